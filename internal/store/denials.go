package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

var _ exportctl.Consistency = (*Store)(nil)

const denialColumns = `d.id, d.reference, d.name, d.address, d.country, d.item_description, d.ratings, d.end_use, d.reason,
	d.source, COALESCE(d.application_id, 0), d.denied_at, d.superseded_at`

func scanDenial(row interface{ Scan(...any) error }) (exportctl.Denial, error) {
	var d exportctl.Denial
	var ratings, denied string
	var superseded sql.NullString
	err := row.Scan(&d.ID, &d.Reference, &d.Name, &d.Address, &d.Country, &d.ItemDescription, &ratings, &d.EndUse, &d.Reason,
		&d.Source, &d.ApplicationID, &denied, &superseded)
	d.Ratings = splitList(ratings)
	d.DeniedAt = parseTS(denied)
	d.SupersededAt = parseTSPtr(superseded)
	return d, err
}

// requireStaff admits government staff (and the system); exporters
// are forbidden, anonymous callers unauthorised.
func requireStaff(a exportctl.Actor, op string) error {
	if a.Role == "" {
		return exportctl.Unauthorized("sign in first")
	}
	if !a.Role.Internal() {
		return &exportctl.Error{Code: exportctl.EForbidden, Op: op, Message: "only government staff may see the denials register"}
	}
	return nil
}

// recordDenials keeps the register in step with a decision, inside the
// decision's transaction. A refusal enters the register as one denial
// (source "own"): the application's reference, the end user's name and
// country, the goods' descriptions and rating families, the end use, and
// the criteria with the reasons as the reason. A second refusal of the
// same application (after an appeal) replaces the entry's details and
// date. Any other outcome on an application whose refusal is registered
// (a refusal overturned on appeal) marks that entry superseded, so it
// matches nothing more.
func (s *Store) recordDenials(ctx context.Context, tx *sql.Tx, app *exportctl.Application, decisionID int64, in exportctl.DecisionInput, now time.Time) error {
	if in.Outcome != exportctl.OutcomeRefused {
		_, err := tx.ExecContext(ctx, `UPDATE denials SET superseded_at = $1 WHERE application_id = $2 AND source = $3 AND superseded_at IS NULL`,
			ts(now), app.ID, exportctl.DenialSourceOwn)
		return err
	}
	eu := app.EndUser()
	if eu == nil {
		return nil // cannot happen for a submitted application; nothing to register
	}
	reason := in.Reasons
	if len(in.Criteria) > 0 {
		reason = "Criteria " + strings.Join(in.Criteria, ", ") + ". " + in.Reasons
	}
	var items []string
	for _, g := range app.Goods {
		items = append(items, g.Description)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO denials (reference, name, name_key, address, country, item_description, ratings, end_use, reason,
			source, application_id, decision_id, denied_at, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
		ON CONFLICT (reference, source) DO UPDATE SET name = excluded.name, name_key = excluded.name_key, address = excluded.address,
			country = excluded.country, item_description = excluded.item_description, ratings = excluded.ratings,
			end_use = excluded.end_use, reason = excluded.reason, decision_id = excluded.decision_id,
			denied_at = excluded.denied_at, superseded_at = NULL`,
		app.Reference, eu.Name, exportctl.NormaliseName(eu.Name), eu.Address, eu.Country, strings.Join(items, "; "),
		strings.Join(exportctl.RatingFamilies(app.Goods), ","), app.EndUse, reason,
		exportctl.DenialSourceOwn, app.ID, nullID(decisionID), ts(now), ts(now))
	return err
}

// ImportDenials adds denials notified by others. All entries are checked
// first (errors name "denials[i].field") and then written in one
// transaction with one audit event. An entry whose reference is already
// registered under the same source is unchanged when its details are the
// same, and a conflict when they differ: the register keeps what was
// notified, and an amendment comes under its own reference.
func (s *Store) ImportDenials(ctx context.Context, a exportctl.Actor, ds []exportctl.DenialInput, source string) (added, unchanged int, err error) {
	const op = "denials.import"
	if err := a.Require(op, exportctl.RoleAdmin, "system"); err != nil {
		return 0, 0, err
	}
	source = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(source), exportctl.DenialImportPrefix))
	if source == "" || len(source) > 200 {
		return 0, 0, exportctl.Invalid("source", "name the source of the denials (such as the file), in at most 200 characters")
	}
	source = exportctl.DenialImportPrefix + source
	now := s.now().UTC()
	today := now.Format(time.DateOnly)
	var errs exportctl.Errors
	for i := range ds {
		prefix := fmt.Sprintf("denials[%d]", i)
		errs = append(errs, ds[i].ValidateAt(prefix)...)
		if ds[i].DeniedAt > today && len(ds[i].DeniedAt) == len(today) {
			errs = append(errs, exportctl.Invalid(prefix+".denied_at", "%s is in the future", ds[i].DeniedAt))
		}
	}
	if err := errs.Err(); err != nil {
		return 0, 0, err
	}
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		ins, err := tx.PrepareContext(ctx, `INSERT INTO denials (reference, name, name_key, address, country, item_description, ratings,
				end_use, reason, source, denied_at, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (reference, source) DO NOTHING RETURNING id`)
		if err != nil {
			return err
		}
		defer ins.Close()
		get, err := tx.PrepareContext(ctx, `SELECT `+denialColumns+` FROM denials d WHERE d.reference = $1 AND d.source = $2`)
		if err != nil {
			return err
		}
		defer get.Close()
		created := ts(now)
		for _, d := range ds {
			denied := created
			if d.DeniedAt != "" {
				t, _ := time.Parse(time.DateOnly, d.DeniedAt)
				denied = ts(t)
			}
			ratings := strings.Join(d.Ratings, ",")
			var id int64
			err := ins.QueryRowContext(ctx, d.Reference, d.Name, exportctl.NormaliseName(d.Name), d.Address, d.Country, d.ItemDescription,
				ratings, d.EndUse, d.Reason, source, denied, created).Scan(&id)
			if err == nil {
				added++
				continue
			}
			if !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			old, err := scanDenial(get.QueryRowContext(ctx, d.Reference, source))
			if err != nil {
				return err
			}
			var diff []string
			for _, f := range []struct {
				name     string
				old, new string
			}{
				{"name", old.Name, d.Name}, {"address", old.Address, d.Address}, {"country", old.Country, d.Country},
				{"item_description", old.ItemDescription, d.ItemDescription}, {"ratings", strings.Join(old.Ratings, ","), ratings},
				{"end_use", old.EndUse, d.EndUse}, {"reason", old.Reason, d.Reason},
			} {
				if f.old != f.new {
					diff = append(diff, f.name)
				}
			}
			if d.DeniedAt != "" && ts(old.DeniedAt) != denied {
				diff = append(diff, "denied_at")
			}
			if len(diff) > 0 {
				return exportctl.Conflict("denial %s of %s is already registered with a different %s: the register keeps what was notified; register an amendment under its own reference",
					d.Reference, strings.TrimPrefix(source, exportctl.DenialImportPrefix), strings.Join(diff, ", "))
			}
			unchanged++
		}
		return s.audit(ctx, tx, a, now, op, "denials", 0, map[string]any{"source": source, "read": len(ds), "added": added, "unchanged": unchanged})
	})
	if err != nil {
		return 0, 0, err
	}
	return added, unchanged, nil
}

// Denials lists the register, newest first, keyset-paged by id.
func (s *Store) Denials(ctx context.Context, a exportctl.Actor, f exportctl.DenialFilter) (exportctl.Page[exportctl.Denial], error) {
	const op = "denials.list"
	var page exportctl.Page[exportctl.Denial]
	if err := requireStaff(a, op); err != nil {
		return page, err
	}
	var w where
	if f.Country != "" {
		c, err := exportctl.ParseCountry("country", f.Country)
		if err != nil {
			return page, err
		}
		w.add("d.country = ?", c)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		pattern := "%" + likeEscaper.Replace(strings.ToLower(q)) + "%"
		w.add(`(LOWER(d.reference) LIKE ? ESCAPE '\' OR LOWER(d.name) LIKE ? ESCAPE '\' OR LOWER(d.item_description) LIKE ? ESCAPE '\')`, pattern)
	}
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM denials d`+w.sql(), w.args...).Scan(&page.Total); err != nil {
		return page, exportctl.Internal(op, err)
	}
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return page, err
	}
	if after > 0 {
		w.add("d.id < ?", after)
	}
	limit := pageLimit(f.Limit)
	rows, err := s.read.QueryContext(ctx, `SELECT `+denialColumns+` FROM denials d`+w.sql()+` ORDER BY d.id DESC LIMIT `+strconv.Itoa(limit+1), w.args...)
	if err != nil {
		return page, exportctl.Internal(op, err)
	}
	defer rows.Close()
	page.Items = []exportctl.Denial{}
	for rows.Next() {
		d, err := scanDenial(rows)
		if err != nil {
			return page, exportctl.Internal(op, err)
		}
		page.Items = append(page.Items, d)
	}
	if err := rows.Err(); err != nil {
		return page, exportctl.Internal(op, err)
	}
	endPage(&page, limit, func(x exportctl.Denial) string { return strconv.FormatInt(x.ID, 10) })
	return page, nil
}

// denialMatches computes an application's matches at read time: the
// candidates come through the denials_match index (same country as the
// end user, one of the parties' name keys, not older than three years,
// not superseded, not the application's own refusal), and
// exportctl.MatchDenial decides. Answers are attached, the latest one
// counting. q is the read cache or a transaction.
func (s *Store) denialMatches(ctx context.Context, q queryer, app *exportctl.Application, now time.Time) ([]exportctl.DenialMatch, error) {
	eu := app.EndUser()
	keys := exportctl.DenialNameKeys(app)
	if eu == nil || len(keys) == 0 {
		return nil, nil
	}
	for len(keys) < 3 {
		keys = append(keys, keys[0]) // one statement text for every application
	}
	rows, err := q.QueryContext(ctx, `SELECT `+denialColumns+` FROM denials d
		WHERE d.country = $1 AND d.name_key IN ($2, $3, $4) AND d.denied_at >= $5
			AND d.superseded_at IS NULL AND (d.application_id IS NULL OR d.application_id <> $6)
		ORDER BY d.denied_at DESC, d.id DESC`,
		eu.Country, keys[0], keys[1], keys[2], ts(exportctl.DenialCutoff(now)), app.ID)
	if err != nil {
		return nil, err
	}
	var out []exportctl.DenialMatch
	for rows.Next() {
		d, err := scanDenial(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		if ok, reasons := exportctl.MatchDenial(app, d, now); ok {
			out = append(out, exportctl.DenialMatch{Denial: d, ApplicationID: app.ID, Reasons: reasons})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	answers, err := s.denialAnswers(ctx, q, app.ID)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Answer = answers[out[i].Denial.ID]
	}
	return out, nil
}

// denialAnswers returns the latest answer per denial for an application.
func (s *Store) denialAnswers(ctx context.Context, q queryer, appID int64) (map[int64]*exportctl.DenialAnswer, error) {
	rows, err := q.QueryContext(ctx, `SELECT denial_id, reasons, answered_by_name, answered_at FROM denial_answers
		WHERE application_id = $1 ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*exportctl.DenialAnswer{}
	for rows.Next() {
		var id int64
		var ans exportctl.DenialAnswer
		var at string
		if err := rows.Scan(&id, &ans.Reasons, &ans.By, &at); err != nil {
			return nil, err
		}
		ans.At = parseTS(at)
		out[id] = &ans
	}
	return out, rows.Err()
}

// DenialMatches lists the denials an application essentially repeats.
func (s *Store) DenialMatches(ctx context.Context, a exportctl.Actor, appID int64) ([]exportctl.DenialMatch, error) {
	const op = "application.denial_matches"
	if err := requireStaff(a, op); err != nil {
		return nil, err
	}
	app, err := s.getApplication(ctx, s.read, a, appID)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	ms, err := s.denialMatches(ctx, s.read, app, s.now().UTC())
	if err != nil {
		return nil, s.wrap(op, err)
	}
	if ms == nil {
		ms = []exportctl.DenialMatch{}
	}
	return ms, nil
}

// unansweredDenialMatches are the matches that still stop the application
// being issued. It works inside a transaction (Decide) or on the reader.
func (s *Store) unansweredDenialMatches(ctx context.Context, q queryer, app *exportctl.Application, now time.Time) ([]exportctl.DenialMatch, error) {
	ms, err := s.denialMatches(ctx, q, app, now)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ms, exportctl.DenialMatch.Answered), nil
}

// requireDenialMatchesAnswered is the check Decide makes before issuing:
// a conflict naming every unanswered match, or nil.
func (s *Store) requireDenialMatchesAnswered(ctx context.Context, q queryer, app *exportctl.Application, now time.Time) error {
	ms, err := s.unansweredDenialMatches(ctx, q, app, now)
	if err != nil || len(ms) == 0 {
		return err
	}
	var refs []string
	for _, m := range ms {
		refs = append(refs, fmt.Sprintf("%s (%s, denied %s, id %d)", m.Denial.Reference, m.Denial.Source, m.Denial.DeniedAt.Format(time.DateOnly), m.Denial.ID))
	}
	return &exportctl.Error{Code: exportctl.EConflict, Op: "application.decide",
		Message: fmt.Sprintf("cannot issue: the application essentially repeats %d denial(s) not yet answered: %s; answer each match with reasons first",
			len(ms), strings.Join(refs, "; "))}
}

// AnswerDenialMatch records why the case proceeds despite a denial that
// matches it. The denial must match now; the answer is appended (the
// latest counts) with an audit event, in one transaction.
func (s *Store) AnswerDenialMatch(ctx context.Context, a exportctl.Actor, appID, denialID int64, reasons string) error {
	const op = "application.answer_denial_match"
	if err := a.Require(op, exportctl.RoleCaseOfficer, exportctl.RoleSeniorOfficial, exportctl.RoleDecisionMaker); err != nil {
		return err
	}
	reasons = strings.TrimSpace(reasons)
	switch {
	case reasons == "":
		return exportctl.Invalid("reasons", "give the reasons for proceeding despite the denial")
	case len(reasons) > 20000:
		return exportctl.Invalid("reasons", "is longer than 20000 characters")
	}
	now := s.now().UTC()
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		app, err := s.getApplication(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		if app.Status == exportctl.StatusFinalised || app.Status == exportctl.StatusWithdrawn {
			return exportctl.Conflict("cannot answer a denial match: the application is %s", exportctl.Humanise(app.Status))
		}
		d, err := scanDenial(tx.QueryRowContext(ctx, `SELECT `+denialColumns+` FROM denials d WHERE d.id = $1`, denialID))
		if errors.Is(err, sql.ErrNoRows) {
			return exportctl.NotFound("denial", denialID)
		}
		if err != nil {
			return err
		}
		if ok, _ := exportctl.MatchDenial(app, d, now); !ok || d.ApplicationID == app.ID {
			return exportctl.Conflict("denial %s does not match application %s (any more): there is nothing to answer", d.Reference, app.Reference)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO denial_answers (application_id, denial_id, reasons, answered_by, answered_by_name, answered_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, appID, denialID, reasons, nullID(a.UserID), a.Label(), ts(now)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "application", appID, map[string]any{
			"denial_id": denialID, "denial_reference": d.Reference, "denial_source": d.Source, "reasons": reasons})
	})
}

// OppositeDecisions lists near-identical applications decided in opposite
// ways since the given time (zero: the last three years). SQL narrows the
// rows to decided applications (issued or refused, finalised or under
// appeal) with their current goods, in destinations that saw both
// outcomes; Go groups them by destination, normalised end-user name and
// rating family, and keeps the cases that have a case of the other outcome
// with a similar end use.
func (s *Store) OppositeDecisions(ctx context.Context, a exportctl.Actor, since time.Time) ([]exportctl.OppositeDecision, error) {
	const op = "consistency.opposite_decisions"
	if err := a.Require(op, exportctl.RoleSeniorOfficial, exportctl.RoleDecisionMaker, exportctl.RoleOversight); err != nil {
		return nil, err
	}
	if since.IsZero() {
		since = exportctl.DenialCutoff(s.now().UTC())
	}
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.reference, o.name, a.outcome, a.destination, a.end_user_name, a.end_use, a.decided_at, g.rating
		FROM applications a
		JOIN organisations o ON o.id = a.org_id
		JOIN goods g ON g.application_id = a.id AND g.superseded_at IS NULL
		WHERE a.outcome IN ($1, $2) AND a.status IN ($3, $4) AND a.decided_at >= $5 AND a.historical = 0
			AND a.destination IN (SELECT b.destination FROM applications b
				WHERE b.outcome IN ($1, $2) AND b.status IN ($3, $4) AND b.decided_at >= $5 AND b.historical = 0
				GROUP BY b.destination HAVING COUNT(DISTINCT b.outcome) = 2)
		ORDER BY a.decided_at DESC, a.id DESC`,
		exportctl.OutcomeIssued, exportctl.OutcomeRefused, exportctl.StatusFinalised, exportctl.StatusUnderAppeal, ts(since))
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	defer rows.Close()
	type group struct {
		od   exportctl.OppositeDecision
		seen map[int64]bool
	}
	groups := map[string]*group{}
	var order []string
	for rows.Next() {
		var c exportctl.OppositeCase
		var outcome, dest, decided, rating string
		if err := rows.Scan(&c.ID, &c.Reference, &c.OrgName, &outcome, &dest, &c.EndUser, &c.EndUse, &decided, &rating); err != nil {
			return nil, exportctl.Internal(op, err)
		}
		c.DecidedAt = parseTS(decided)
		nameKey, fam := exportctl.NormaliseName(c.EndUser), exportctl.RatingFamily(exportctl.NormaliseRating(rating))
		if nameKey == "" || fam == "" || fam == "NLR" {
			continue
		}
		k := dest + "\x00" + nameKey + "\x00" + fam
		g := groups[k]
		if g == nil {
			g = &group{od: exportctl.OppositeDecision{Destination: dest, EndUser: nameKey, RatingFamily: fam}, seen: map[int64]bool{}}
			groups[k] = g
			order = append(order, k)
		}
		if g.seen[c.ID] {
			continue // two goods of one family
		}
		g.seen[c.ID] = true
		if outcome == exportctl.OutcomeRefused {
			g.od.Refused = append(g.od.Refused, c)
		} else {
			g.od.Issued = append(g.od.Issued, c)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, exportctl.Internal(op, err)
	}
	out := []exportctl.OppositeDecision{}
	for _, k := range order {
		od := groups[k].od
		refused := slices.DeleteFunc(slices.Clone(od.Refused), func(r exportctl.OppositeCase) bool {
			return !slices.ContainsFunc(od.Issued, func(i exportctl.OppositeCase) bool { return exportctl.EndUseSimilar(r.EndUse, i.EndUse) })
		})
		issued := slices.DeleteFunc(slices.Clone(od.Issued), func(i exportctl.OppositeCase) bool {
			return !slices.ContainsFunc(od.Refused, func(r exportctl.OppositeCase) bool { return exportctl.EndUseSimilar(r.EndUse, i.EndUse) })
		})
		if len(refused) == 0 || len(issued) == 0 {
			continue
		}
		od.Refused, od.Issued = refused, issued
		out = append(out, od)
	}
	slices.SortFunc(out, func(a, b exportctl.OppositeDecision) int {
		return strings.Compare(a.Destination+"\x00"+a.EndUser+"\x00"+a.RatingFamily, b.Destination+"\x00"+b.EndUser+"\x00"+b.RatingFamily)
	})
	return out, nil
}
