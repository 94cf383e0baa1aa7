package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

// assessmentStatuses are the states in which the case officer assesses.
var assessmentStatuses = []string{exportctl.StatusInitialChecks, exportctl.StatusUnderReview, exportctl.StatusUnderFinalReview, exportctl.StatusUnderAppeal}

// SaveAssessment saves a new version of the case's assessment; the earlier
// version is marked superseded. A final version must be complete and pass
// the evidence guard.
func (s *Store) SaveAssessment(ctx context.Context, a exportctl.Actor, appID int64, in exportctl.AssessmentInput) (*exportctl.Assessment, error) {
	const op = "application.assess"
	if err := a.Require(op, exportctl.RoleCaseOfficer); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if err := in.Validate(now); err != nil {
		return nil, err
	}
	var out *exportctl.Assessment
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		app, err := s.getApplication(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		if !contains(assessmentStatuses, app.Status) {
			return exportctl.Conflict("cannot assess: the case is %s", exportctl.Humanise(app.Status))
		}
		if in.Final && s.Evidence != nil {
			eu, cutoff := "", now
			if p := app.EndUser(); p != nil {
				eu = p.Name
			}
			if d, err := time.Parse(time.DateOnly, in.EvidenceCutoff); err == nil {
				cutoff = d.Add(24*time.Hour - time.Nanosecond)
			}
			n, err := s.Evidence.RelevantIncidents(ctx, app.Destination, eu, cutoff)
			if err != nil {
				return err
			}
			if err := exportctl.CheckEvidenceGuard(&in, n); err != nil {
				return err
			}
		}
		var version int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) FROM assessments WHERE application_id = $1`, appID).Scan(&version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE assessments SET superseded_at = $1 WHERE application_id = $2 AND superseded_at IS NULL`, ts(now), appID); err != nil {
			return err
		}
		status := exportctl.AssessmentDraft
		if in.Final {
			status = exportctl.AssessmentFinal
		}
		if in.Findings == nil {
			in.Findings = []exportctl.Finding{}
		}
		for i := range in.Findings {
			if in.Findings[i].Evidence == nil {
				in.Findings[i].Evidence = []exportctl.EvidenceRef{}
			}
		}
		findings, _ := json.Marshal(in.Findings)
		var ihl []byte
		if in.IHL != nil {
			ihl, _ = json.Marshal(in.IHL)
		}
		out = &exportctl.Assessment{ApplicationID: appID, Version: version + 1, CriteriaSet: in.CriteriaSet, EvidenceCutoff: in.EvidenceCutoff,
			Findings: in.Findings, IHL: in.IHL, EvidenceGuardReason: strings.TrimSpace(in.EvidenceGuardReason), Status: status,
			AuthorID: a.UserID, Author: a.Label(), CreatedAt: now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO assessments (application_id, version, criteria_set, evidence_cutoff, findings, ihl, evidence_guard_reason, status, author_id, author_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			appID, out.Version, out.CriteriaSet, out.EvidenceCutoff, string(findings), string(ihl), out.EvidenceGuardReason, status,
			nullID(a.UserID), out.Author, ts(now)).Scan(&out.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "application", appID, map[string]any{
			"assessment_id": out.ID, "version": out.Version, "status": status, "criteria_set": out.CriteriaSet,
			"evidence_cutoff": out.EvidenceCutoff, "adverse": out.Adverse()})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Assessments lists every version of a case's assessment, oldest first.
func (s *Store) Assessments(ctx context.Context, a exportctl.Actor, appID int64) ([]exportctl.Assessment, error) {
	if err := requireInternal(a, "application.assessments"); err != nil {
		return nil, err
	}
	if _, err := s.Application(ctx, a, appID); err != nil {
		return nil, err
	}
	out, err := s.loadAssessments(ctx, s.read, appID)
	if err != nil {
		return nil, exportctl.Internal("application.assessments", err)
	}
	return out, nil
}

func (s *Store) loadAssessments(ctx context.Context, q queryer, appID int64) ([]exportctl.Assessment, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, version, criteria_set, evidence_cutoff, findings, ihl, evidence_guard_reason, status,
		COALESCE(author_id, 0), author_name, created_at, superseded_at FROM assessments WHERE application_id = $1 ORDER BY version`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.Assessment{}
	for rows.Next() {
		as := exportctl.Assessment{ApplicationID: appID}
		var findings, ihl, at string
		var sup sql.NullString
		if err := rows.Scan(&as.ID, &as.Version, &as.CriteriaSet, &as.EvidenceCutoff, &findings, &ihl, &as.EvidenceGuardReason, &as.Status,
			&as.AuthorID, &as.Author, &at, &sup); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(findings), &as.Findings); err != nil {
			return nil, err
		}
		if ihl != "" {
			as.IHL = &exportctl.IHLFindings{}
			if err := json.Unmarshal([]byte(ihl), as.IHL); err != nil {
				return nil, err
			}
		}
		as.CreatedAt, as.Superseded = parseTS(at), sup.Valid
		out = append(out, as)
	}
	return out, rows.Err()
}

// currentAssessment is the latest version, or nil.
func (s *Store) currentAssessment(ctx context.Context, q queryer, appID int64) (*exportctl.Assessment, error) {
	all, err := s.loadAssessments(ctx, q, appID)
	if err != nil || len(all) == 0 {
		return nil, err
	}
	return &all[len(all)-1], nil
}

// latestFinalAssessment is the latest assessment that was finalised: a
// draft saved later (say, on appeal) is not a finding yet.
func (s *Store) latestFinalAssessment(ctx context.Context, q queryer, appID int64) (*exportctl.Assessment, error) {
	all, err := s.loadAssessments(ctx, q, appID)
	if err != nil {
		return nil, err
	}
	for i := len(all) - 1; i >= 0; i-- {
		if all[i].Status == exportctl.AssessmentFinal {
			return &all[i], nil
		}
	}
	return nil, nil
}

// SubmitFinalAdvice records the case officer's recommendation and sends the
// case to countersigning. Every good and party needs advice, with any
// conflict resolved, and the assessment must be final.
func (s *Store) SubmitFinalAdvice(ctx context.Context, a exportctl.Actor, appID int64, in exportctl.FinalAdviceInput) (*exportctl.FinalAdvice, error) {
	const op = "application.submit_final_advice"
	if err := a.Require(op, exportctl.RoleCaseOfficer); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var fa *exportctl.FinalAdvice
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		app, err := s.getApplication(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		to, err := exportctl.Next(exportctl.CaseMachine, app.Status, exportctl.ActSubmitFinalAdvice, a.Role)
		if err != nil {
			return err
		}
		as, err := s.currentAssessment(ctx, tx, appID)
		if err != nil {
			return err
		}
		if as == nil || as.Status != exportctl.AssessmentFinal {
			return exportctl.Conflict("cannot submit final advice: finalise the assessment first")
		}
		set := exportctl.MustCriteria(as.CriteriaSet)
		if err := in.Validate(set); err != nil {
			return err
		}
		combined, err := s.combinedAdvice(ctx, tx, app)
		if err != nil {
			return err
		}
		var missing []string
		for _, c := range combined {
			switch {
			case c.Result == "":
				missing = append(missing, "no advice yet on "+c.Label)
			case c.Result == exportctl.AdviceConflicting && c.Resolution == nil:
				missing = append(missing, "conflicting advice on "+c.Label+" awaits a senior official's resolution")
			}
		}
		if len(missing) > 0 {
			return exportctl.Conflict("cannot submit final advice: %s", strings.Join(missing, "; "))
		}
		sensitive, reasons := s.Sensitivity.Sensitive(app, as)
		needed := 1
		if sensitive {
			needed = 2
		}
		fa = &exportctl.FinalAdvice{ApplicationID: appID, Recommendation: in.Recommendation, Criteria: in.Criteria, Conditions: strings.TrimSpace(in.Conditions),
			Reasons: in.Reasons, AssessmentID: as.ID, Sensitive: sensitive, SensitiveReasons: reasons, CountersignsNeeded: needed,
			AuthorID: a.UserID, Author: a.Label(), CreatedAt: now}
		if fa.Criteria == nil {
			fa.Criteria = []string{}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO final_advice (application_id, recommendation, criteria, conditions, reasons, assessment_id, sensitive, sensitive_reasons, countersigns_needed, author_id, author_name, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			appID, fa.Recommendation, strings.Join(fa.Criteria, ","), fa.Conditions, fa.Reasons, as.ID, boolInt(sensitive), strings.Join(reasons, "\n"),
			needed, nullID(a.UserID), fa.Author, ts(now)).Scan(&fa.ID); err != nil {
			return err
		}
		return s.moveCase(ctx, tx, a, app, exportctl.ActSubmitFinalAdvice, to, "", now, map[string]any{
			"final_advice_id": fa.ID, "recommendation": fa.Recommendation, "criteria": fa.Criteria,
			"sensitive": sensitive, "sensitive_reasons": reasons, "countersignatures_needed": needed})
	})
	if err != nil {
		return nil, err
	}
	return fa, nil
}

func (s *Store) loadFinalAdvice(ctx context.Context, q queryer, appID int64) ([]exportctl.FinalAdvice, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, recommendation, criteria, conditions, reasons, assessment_id, sensitive, sensitive_reasons,
		countersigns_needed, COALESCE(author_id, 0), author_name, created_at, superseded_at FROM final_advice WHERE application_id = $1 ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.FinalAdvice{}
	for rows.Next() {
		f := exportctl.FinalAdvice{ApplicationID: appID}
		var crit, reasons, at string
		var sensitive int
		var sup sql.NullString
		if err := rows.Scan(&f.ID, &f.Recommendation, &crit, &f.Conditions, &f.Reasons, &f.AssessmentID, &sensitive, &reasons,
			&f.CountersignsNeeded, &f.AuthorID, &f.Author, &at, &sup); err != nil {
			return nil, err
		}
		f.Criteria, f.Sensitive, f.CreatedAt, f.Superseded = splitList(crit), sensitive != 0, parseTS(at), sup.Valid
		if reasons != "" {
			f.SensitiveReasons = strings.Split(reasons, "\n")
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// currentFinalAdvice is the final advice now in force, or nil.
func (s *Store) currentFinalAdvice(ctx context.Context, q queryer, appID int64) (*exportctl.FinalAdvice, error) {
	all, err := s.loadFinalAdvice(ctx, q, appID)
	if err != nil {
		return nil, err
	}
	for i := len(all) - 1; i >= 0; i-- {
		if !all[i].Superseded {
			return &all[i], nil
		}
	}
	return nil, nil
}

func (s *Store) loadCountersignatures(ctx context.Context, q queryer, appID int64) ([]exportctl.Countersignature, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, final_advice_id, sign_order, COALESCE(signer_id, 0), signer_name, signer_role, approved, reasons, created_at, invalidated_at
		FROM countersignatures WHERE application_id = $1 ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.Countersignature{}
	for rows.Next() {
		c := exportctl.Countersignature{ApplicationID: appID}
		var role, at string
		var approved int
		var inv sql.NullString
		if err := rows.Scan(&c.ID, &c.FinalAdviceID, &c.Order, &c.SignerID, &c.Signer, &role, &approved, &c.Reasons, &at, &inv); err != nil {
			return nil, err
		}
		c.SignerRole, c.Approved, c.CreatedAt, c.InvalidatedAt = exportctl.Role(role), approved != 0, parseTS(at), parseTSPtr(inv)
		out = append(out, c)
	}
	return out, rows.Err()
}

// Countersign approves or rejects the final advice. The countersigner is
// never its author (nor the assessment's); a sensitive case needs a second
// countersignature by a senior official. A rejection invalidates earlier
// countersignatures, supersedes the final advice and returns the case to
// final review.
func (s *Store) Countersign(ctx context.Context, a exportctl.Actor, appID int64, in exportctl.CountersignInput) (*exportctl.Countersignature, error) {
	const op = "application.countersign"
	if err := a.Require(op, exportctl.RoleCaseOfficer, exportctl.RoleSeniorOfficial); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var cs *exportctl.Countersignature
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		app, err := s.getApplication(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		if app.Status != exportctl.StatusCountersigning {
			return exportctl.Conflict("cannot countersign: the case is %s", exportctl.Humanise(app.Status))
		}
		fa, err := s.currentFinalAdvice(ctx, tx, appID)
		if err != nil {
			return err
		}
		if fa == nil {
			return exportctl.Conflict("cannot countersign: there is no final advice")
		}
		as, err := s.currentAssessment(ctx, tx, appID)
		if err != nil {
			return err
		}
		if a.UserID == fa.AuthorID || (as != nil && a.UserID == as.AuthorID) {
			return &exportctl.Error{Code: exportctl.EForbidden, Op: op, Message: "you wrote the final advice or the assessment on this case: someone else must countersign it"}
		}
		all, err := s.loadCountersignatures(ctx, tx, appID)
		if err != nil {
			return err
		}
		var valid []exportctl.Countersignature
		for _, c := range all {
			if c.FinalAdviceID == fa.ID && c.InvalidatedAt == nil && c.Approved {
				valid = append(valid, c)
			}
		}
		for _, c := range valid {
			if c.SignerID == a.UserID {
				return exportctl.Conflict("you have already countersigned this final advice: a second countersignature must come from someone else")
			}
		}
		order := len(valid) + 1
		if in.Decision == "approve" && fa.Sensitive && order == fa.CountersignsNeeded && a.Role != exportctl.RoleSeniorOfficial {
			seniorSigned := false
			for _, c := range valid {
				seniorSigned = seniorSigned || c.SignerRole == exportctl.RoleSeniorOfficial
			}
			if !seniorSigned {
				return &exportctl.Error{Code: exportctl.EForbidden, Op: op, Message: "this case is sensitive (" + strings.Join(fa.SensitiveReasons, "; ") + "): one of its countersignatures must be a senior official's"}
			}
		}
		cs = &exportctl.Countersignature{ApplicationID: appID, FinalAdviceID: fa.ID, Order: order, SignerID: a.UserID, Signer: a.Label(),
			SignerRole: a.Role, Approved: in.Decision == "approve", Reasons: in.Reasons, CreatedAt: now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO countersignatures (application_id, final_advice_id, sign_order, signer_id, signer_name, signer_role, approved, reasons, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			appID, fa.ID, order, nullID(a.UserID), cs.Signer, string(a.Role), boolInt(cs.Approved), cs.Reasons, ts(now)).Scan(&cs.ID); err != nil {
			return err
		}
		summary := map[string]any{"countersignature_id": cs.ID, "final_advice_id": fa.ID, "order": order, "approved": cs.Approved}
		if !cs.Approved {
			if _, err := tx.ExecContext(ctx, `UPDATE countersignatures SET invalidated_at = $1 WHERE final_advice_id = $2 AND id <> $3 AND invalidated_at IS NULL`, ts(now), fa.ID, cs.ID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE final_advice SET superseded_at = $1 WHERE id = $2`, ts(now), fa.ID); err != nil {
				return err
			}
			summary["reasons"] = in.Reasons
			return s.moveCase(ctx, tx, a, app, exportctl.ActCountersignReject, exportctl.StatusUnderFinalReview, in.Reasons, now, summary)
		}
		if order < fa.CountersignsNeeded {
			return s.audit(ctx, tx, a, now, op, "application", appID, summary)
		}
		return s.moveCase(ctx, tx, a, app, exportctl.ActCountersigned, exportctl.StatusAwaitingDecision, "", now, summary)
	})
	if err != nil {
		return nil, err
	}
	return cs, nil
}

// departureNeeded says whether issuing now departs from the record: the
// final advice recommended refusal, the advisory teams' combined advice
// on a good or party is to refuse (every team refused, or a senior
// official resolved a conflict as a refusal), or the assessment holds
// adverse findings. On appeal only the assessment counts: the appeal
// reassesses, and the refusal is what is being appealed.
func (s *Store) departureNeeded(ctx context.Context, q queryer, app *exportctl.Application) (bool, []string, error) {
	as, err := s.latestFinalAssessment(ctx, q, app.ID)
	if err != nil {
		return false, nil, err
	}
	var fa *exportctl.FinalAdvice
	if app.Status != exportctl.StatusUnderAppeal {
		if fa, err = s.currentFinalAdvice(ctx, q, app.ID); err != nil {
			return false, nil, err
		}
	}
	var criteria []string
	if as != nil {
		criteria = as.Adverse()
	}
	add := func(cs []string) {
		for _, c := range cs {
			if !contains(criteria, c) {
				criteria = append(criteria, c)
			}
		}
	}
	refuse := fa != nil && fa.Recommendation == exportctl.RecommendRefuse
	if refuse {
		add(fa.Criteria)
	}
	if app.Status != exportctl.StatusUnderAppeal {
		combined, err := s.combinedAdvice(ctx, q, app)
		if err != nil {
			return false, nil, err
		}
		for _, c := range combined {
			if c.Final() == exportctl.AdviceRefuse {
				refuse = true
				add(c.Criteria)
			}
		}
	}
	return refuse || len(criteria) > 0, criteria, nil
}

func (s *Store) insertDeparture(ctx context.Context, tx *sql.Tx, a exportctl.Actor, d *exportctl.Departure) error {
	if d.Criteria == nil {
		d.Criteria = []string{}
	}
	return tx.QueryRowContext(ctx, `INSERT INTO departures (application_id, licence_id, decision_id, review_id, kind, scope, reasons, criteria, decided_by, decided_by_name, decided_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		d.ApplicationID, nullID(d.LicenceID), nullID(d.DecisionID), nullID(d.ReviewID), d.Kind, d.Scope, d.Reasons, strings.Join(d.Criteria, ","),
		nullID(a.UserID), d.By, ts(d.At)).Scan(&d.ID)
}

// RecordDeparture records a carve-out on a decided case (for example
// components for a multinational spares pool exempted from a suspension).
// Decision makers only.
func (s *Store) RecordDeparture(ctx context.Context, a exportctl.Actor, appID int64, in exportctl.DepartureInput) (*exportctl.Departure, error) {
	const op = "application.record_departure"
	if err := a.Require(op, exportctl.RoleDecisionMaker); err != nil {
		return nil, err
	}
	if in.Kind == "" {
		in.Kind = exportctl.DepartureCarveOut
	}
	if err := in.Validate(""); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var d *exportctl.Departure
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		app, err := s.getApplication(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		if app.Status != exportctl.StatusFinalised || app.Outcome != exportctl.OutcomeIssued {
			return exportctl.Conflict("a carve-out applies to an issued licence; this case is %s", exportctl.Humanise(app.Status))
		}
		d = &exportctl.Departure{ApplicationID: appID, LicenceID: app.LicenceID, Kind: in.Kind, Scope: in.Scope, Reasons: in.Reasons, By: a.Label(), At: now}
		if err := s.insertDeparture(ctx, tx, a, d); err != nil {
			return err
		}
		if err := s.publish(ctx, tx, exportctl.LogDeparture, "departure", d.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "application", appID, map[string]any{"departure_id": d.ID, "kind": d.Kind, "scope": d.Scope, "reasons": d.Reasons})
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

func (s *Store) loadDepartures(ctx context.Context, q queryer, appID int64) ([]exportctl.Departure, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, COALESCE(licence_id, 0), COALESCE(decision_id, 0), COALESCE(review_id, 0), kind, scope, reasons, criteria, decided_by_name, decided_at
		FROM departures WHERE application_id = $1 ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.Departure{}
	for rows.Next() {
		d := exportctl.Departure{ApplicationID: appID}
		var crit, at string
		if err := rows.Scan(&d.ID, &d.LicenceID, &d.DecisionID, &d.ReviewID, &d.Kind, &d.Scope, &d.Reasons, &crit, &d.By, &at); err != nil {
			return nil, err
		}
		d.Criteria, d.At = splitList(crit), parseTS(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Departures lists a case's departures. Internal roles.
func (s *Store) Departures(ctx context.Context, a exportctl.Actor, appID int64) ([]exportctl.Departure, error) {
	if err := requireInternal(a, "application.departures"); err != nil {
		return nil, err
	}
	if _, err := s.Application(ctx, a, appID); err != nil {
		return nil, err
	}
	out, err := s.loadDepartures(ctx, s.read, appID)
	if err != nil {
		return nil, exportctl.Internal("application.departures", err)
	}
	return out, nil
}

// DecisionRecord assembles the whole record of a case. Internal roles.
func (s *Store) DecisionRecord(ctx context.Context, a exportctl.Actor, appID int64) (*exportctl.DecisionRecord, error) {
	const op = "application.decision_record"
	if err := requireInternal(a, op); err != nil {
		return nil, err
	}
	app, err := s.Application(ctx, a, appID)
	if err != nil {
		return nil, err
	}
	rec := &exportctl.DecisionRecord{Application: app, GeneratedAt: s.now().UTC()}
	steps := []func() error{
		func() (err error) { rec.Advice, err = s.loadAdvice(ctx, s.read, appID); return },
		func() (err error) { rec.CombinedAdvice, err = s.combinedAdvice(ctx, s.read, app); return },
		func() (err error) { rec.Resolutions, err = s.loadResolutions(ctx, s.read, appID); return },
		func() (err error) { rec.Assessments, err = s.loadAssessments(ctx, s.read, appID); return },
		func() (err error) { rec.FinalAdvice, err = s.loadFinalAdvice(ctx, s.read, appID); return },
		func() (err error) { rec.Countersignatures, err = s.loadCountersignatures(ctx, s.read, appID); return },
		func() (err error) { rec.Departures, err = s.loadDepartures(ctx, s.read, appID); return },
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return nil, exportctl.Internal(op, err)
		}
	}
	if rec.Decisions, err = s.Decisions(ctx, a, appID); err != nil {
		return nil, err
	}
	if rec.History, err = s.History(ctx, a, appID); err != nil {
		return nil, err
	}
	if rec.Resolutions == nil {
		rec.Resolutions = []exportctl.Resolution{}
	}
	return rec, nil
}
