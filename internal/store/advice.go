package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/exportctl/exportctl"
)

// adviceStatuses are the states in which advisers may advise.
var adviceStatuses = []string{exportctl.StatusInitialChecks, exportctl.StatusUnderReview, exportctl.StatusUnderFinalReview}

// requireInternal refuses exporters: advice, assessments and the decision
// record are internal working papers.
func requireInternal(a exportctl.Actor, op string) error {
	if a.Role == "" {
		return exportctl.Unauthorized("sign in first")
	}
	if !a.Role.Internal() {
		return &exportctl.Error{Code: exportctl.EForbidden, Op: op, Message: "advice, assessments and the decision record are not shown to exporters"}
	}
	return nil
}

// GiveAdvice records a team's advice on one good or party, superseding the
// team's earlier advice on it.
func (s *Store) GiveAdvice(ctx context.Context, a exportctl.Actor, appID int64, in exportctl.AdviceInput) (*exportctl.Advice, error) {
	const op = "application.advise"
	if err := a.Require(op, exportctl.RoleAdviser); err != nil {
		return nil, err
	}
	if a.Team == "" {
		return nil, exportctl.Forbidden("an adviser must belong to a team to give advice")
	}
	if err := in.Validate(exportctl.MustCriteria(exportctl.DefaultCriteriaSet)); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	adv := &exportctl.Advice{ApplicationID: appID, Team: a.Team, AdviserID: a.UserID, Adviser: a.Label(), Subject: in.Subject,
		SubjectID: in.SubjectID, Type: in.Type, Conditions: in.Conditions, Criteria: in.Criteria, Reasons: in.Reasons, CreatedAt: now}
	if adv.Criteria == nil {
		adv.Criteria = []string{}
	}
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		app, err := s.getApplication(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		if !contains(adviceStatuses, app.Status) {
			return exportctl.Conflict("cannot advise: the case is %s (advice is given during initial checks, review and final review)", exportctl.Humanise(app.Status))
		}
		if !hasSubject(app, in.Subject, in.SubjectID) {
			return exportctl.Invalid("subject_id", "the application has no current %s with id %d", in.Subject, in.SubjectID)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE advice SET superseded_at = $1 WHERE application_id = $2 AND team = $3 AND subject = $4 AND subject_id = $5 AND superseded_at IS NULL`,
			ts(now), appID, a.Team, in.Subject, in.SubjectID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO advice (application_id, team, adviser_id, adviser_name, subject, subject_id, type, conditions, criteria, reasons, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			appID, a.Team, nullID(a.UserID), adv.Adviser, in.Subject, in.SubjectID, in.Type, in.Conditions, strings.Join(in.Criteria, ","), in.Reasons, ts(now)).Scan(&adv.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "application", appID, map[string]any{
			"team": a.Team, "subject": in.Subject, "subject_id": in.SubjectID, "type": in.Type, "criteria": in.Criteria})
	})
	if err != nil {
		return nil, err
	}
	return adv, nil
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func hasSubject(app *exportctl.Application, subject string, id int64) bool {
	if subject == exportctl.SubjectGood {
		for _, g := range app.Goods {
			if g.ID == id {
				return true
			}
		}
		return false
	}
	for _, p := range app.Parties {
		if p.ID == id {
			return true
		}
	}
	return false
}

// Advice lists every piece of advice on a case, superseded ones included.
func (s *Store) Advice(ctx context.Context, a exportctl.Actor, appID int64) ([]exportctl.Advice, error) {
	if err := requireInternal(a, "application.advice"); err != nil {
		return nil, err
	}
	if _, err := s.Application(ctx, a, appID); err != nil {
		return nil, err
	}
	out, err := s.loadAdvice(ctx, s.read, appID)
	if err != nil {
		return nil, exportctl.Internal("application.advice", err)
	}
	return out, nil
}

func (s *Store) loadAdvice(ctx context.Context, q queryer, appID int64) ([]exportctl.Advice, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, team, COALESCE(adviser_id, 0), adviser_name, subject, subject_id, type, conditions, criteria, reasons, created_at, superseded_at
		FROM advice WHERE application_id = $1 ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.Advice{}
	for rows.Next() {
		v := exportctl.Advice{ApplicationID: appID}
		var crit, at string
		var sup sql.NullString
		if err := rows.Scan(&v.ID, &v.Team, &v.AdviserID, &v.Adviser, &v.Subject, &v.SubjectID, &v.Type, &v.Conditions, &crit, &v.Reasons, &at, &sup); err != nil {
			return nil, err
		}
		v.Criteria, v.CreatedAt, v.Superseded = splitList(crit), parseTS(at), sup.Valid
		out = append(out, v)
	}
	return out, rows.Err()
}

func (s *Store) loadResolutions(ctx context.Context, q queryer, appID int64) ([]exportctl.Resolution, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, subject, subject_id, result, conditions, reasons, resolved_by_name, resolved_at
		FROM advice_resolutions WHERE application_id = $1 ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []exportctl.Resolution
	for rows.Next() {
		var r exportctl.Resolution
		var at string
		if err := rows.Scan(&r.ID, &r.Subject, &r.SubjectID, &r.Result, &r.Conditions, &r.Reasons, &r.By, &at); err != nil {
			return nil, err
		}
		r.At = parseTS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// combine applies the combination rules per current good and party. A
// resolution counts only while the advice it resolved still conflicts.
func combine(app *exportctl.Application, advice []exportctl.Advice, resolutions []exportctl.Resolution) []exportctl.CombinedAdvice {
	var out []exportctl.CombinedAdvice
	one := func(subject string, id int64, label string) {
		var mine []exportctl.Advice
		var teams []string
		for _, v := range advice {
			if v.Subject == subject && v.SubjectID == id && !v.Superseded {
				mine = append(mine, v)
				teams = append(teams, v.Team)
			}
		}
		result, conds, crit := exportctl.CombineAdvice(mine)
		c := exportctl.CombinedAdvice{Subject: subject, SubjectID: id, Label: label, Result: result, Conditions: conds, Criteria: crit, Teams: teams}
		if result == exportctl.AdviceConflicting {
			for i := range resolutions {
				if r := resolutions[i]; r.Subject == subject && r.SubjectID == id {
					c.Resolution = &r
				}
			}
		}
		out = append(out, c)
	}
	for _, g := range app.Goods {
		one(exportctl.SubjectGood, g.ID, fmt.Sprintf("%s (%s)", g.Description, g.Rating))
	}
	for _, p := range app.Parties {
		one(exportctl.SubjectParty, p.ID, fmt.Sprintf("%s, %s (%s)", p.Name, exportctl.CountryName(p.Country), exportctl.Humanise(p.Role)))
	}
	return out
}

// CombinedAdvice combines every team's current advice per good and party.
func (s *Store) CombinedAdvice(ctx context.Context, a exportctl.Actor, appID int64) ([]exportctl.CombinedAdvice, error) {
	if err := requireInternal(a, "application.combined_advice"); err != nil {
		return nil, err
	}
	app, err := s.Application(ctx, a, appID)
	if err != nil {
		return nil, err
	}
	return s.combinedAdvice(ctx, s.read, app)
}

func (s *Store) combinedAdvice(ctx context.Context, q queryer, app *exportctl.Application) ([]exportctl.CombinedAdvice, error) {
	adv, err := s.loadAdvice(ctx, q, app.ID)
	if err != nil {
		return nil, err
	}
	res, err := s.loadResolutions(ctx, q, app.ID)
	if err != nil {
		return nil, err
	}
	return combine(app, adv, res), nil
}

// ResolveConflict records a senior official's resolution of conflicting advice.
func (s *Store) ResolveConflict(ctx context.Context, a exportctl.Actor, appID int64, in exportctl.ResolutionInput) (*exportctl.Resolution, error) {
	const op = "application.resolve_advice"
	if err := a.Require(op, exportctl.RoleSeniorOfficial); err != nil {
		return nil, err
	}
	in.Reasons, in.Conditions = strings.TrimSpace(in.Reasons), strings.TrimSpace(in.Conditions)
	if !contains([]string{exportctl.AdviceApprove, exportctl.AdviceProviso, exportctl.AdviceRefuse}, in.Result) {
		return nil, exportctl.Invalid("result", "must be approve, proviso or refuse")
	}
	if in.Result == exportctl.AdviceProviso && in.Conditions == "" {
		return nil, exportctl.Invalid("conditions", "a proviso must state its conditions")
	}
	if in.Reasons == "" {
		return nil, exportctl.Invalid("reasons", "a resolution of conflicting advice must give reasons")
	}
	now := s.now().UTC()
	r := &exportctl.Resolution{Subject: in.Subject, SubjectID: in.SubjectID, Result: in.Result, Conditions: in.Conditions, Reasons: in.Reasons, By: a.Label(), At: now}
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		app, err := s.getApplication(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		if !contains(adviceStatuses, app.Status) {
			return exportctl.Conflict("cannot resolve advice: the case is %s", exportctl.Humanise(app.Status))
		}
		combined, err := s.combinedAdvice(ctx, tx, app)
		if err != nil {
			return err
		}
		found := false
		for _, c := range combined {
			if c.Subject == in.Subject && c.SubjectID == in.SubjectID {
				found = true
				if c.Result != exportctl.AdviceConflicting {
					return exportctl.Conflict("the advice on %s is %s, not conflicting: there is nothing to resolve", c.Label, exportctl.Humanise(c.Result))
				}
			}
		}
		if !found {
			return exportctl.Invalid("subject_id", "the application has no current %s with id %d", in.Subject, in.SubjectID)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO advice_resolutions (application_id, subject, subject_id, result, conditions, reasons, resolved_by, resolved_by_name, resolved_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			appID, in.Subject, in.SubjectID, in.Result, in.Conditions, in.Reasons, nullID(a.UserID), r.By, ts(now)).Scan(&r.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "application", appID, map[string]any{"subject": in.Subject, "subject_id": in.SubjectID, "result": in.Result, "conditions": in.Conditions, "reasons": in.Reasons})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}
