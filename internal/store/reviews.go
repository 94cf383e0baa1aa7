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

// Who does what in a review (the status moves are in the transition table).
var (
	reviewOpeners   = []exportctl.Role{exportctl.RoleCaseOfficer, exportctl.RoleSeniorOfficial}
	reviewLeads     = []exportctl.Role{exportctl.RoleCaseOfficer, exportctl.RoleSeniorOfficial, exportctl.RoleDecisionMaker}
	taskDeciders    = []exportctl.Role{exportctl.RoleCaseOfficer, exportctl.RoleSeniorOfficial, exportctl.RoleDecisionMaker}
	reviewCriterion = []string{"2c"} // a carve-out departs from the clear-risk test
)

// requireReviewReader lets internal roles read reviews; exporters are
// pointed to the public pages.
func requireReviewReader(a exportctl.Actor, op string) error {
	if a.Role == "" {
		return exportctl.Unauthorized("sign in first")
	}
	if !a.Role.Internal() {
		return &exportctl.Error{Code: exportctl.EForbidden, Op: op, Message: "reviews and reassessment tasks are for officials; their public pages are at /public/reviews"}
	}
	return nil
}

// scopeQuery selects the extant licences a review covers: issued or
// suspended, decided here (not imported history), for the destination
// and, for an end-user review, whose end user's name contains the given
// one (as the exposure analysis matches end users).
func scopeQuery(in exportctl.ReviewInput) (string, []any) {
	q := `SELECT l.id FROM licences l JOIN applications a ON a.id = l.application_id
		WHERE l.status IN ($1, $2) AND l.historical = 0 AND l.destination = $3`
	args := []any{exportctl.LicenceIssued, exportctl.LicenceSuspended, in.Destination}
	if in.Kind == exportctl.ReviewEndUser {
		q += ` AND LOWER(a.end_user_name) LIKE $4 ESCAPE '\'`
		args = append(args, likePattern(in.EndUser))
	}
	return q + ` ORDER BY l.id`, args
}

// scopeExposure asks the exposure analysis for the review's destination
// (or end user) once, before the transaction: the summaries pre-fill each
// licence in scope.
func (s *Store) scopeExposure(ctx context.Context, in exportctl.ReviewInput) (map[int64]exportctl.ExposureSummary, error) {
	q := exportctl.ExposureQuery{Destination: in.Destination, Limit: 1}
	if in.Kind == exportctl.ReviewEndUser {
		q.EndUser = in.EndUser
	}
	res, err := s.Exposure(ctx, exportctl.System, q)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]exportctl.ExposureSummary, len(res.Licences))
	for _, l := range res.Licences {
		out[l.LicenceID] = l.ExposureSummary
	}
	return out, nil
}

// OpenReview opens a review with its scope, pre-filled from the exposure
// analysis, and answers an open reassessment task for the destination.
func (s *Store) OpenReview(ctx context.Context, a exportctl.Actor, in exportctl.ReviewInput) (*exportctl.Review, error) {
	const op = "review.open"
	if err := a.Require(op, reviewOpeners...); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	if err := in.Validate(now.Format(time.DateOnly)); err != nil {
		return nil, err
	}
	exposure, err := s.scopeExposure(ctx, in)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	var id int64
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		var role string
		var disabled int
		err := tx.QueryRowContext(ctx, `SELECT role, disabled FROM users WHERE id = $1`, in.LeadID).Scan(&role, &disabled)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && (disabled != 0 || !slices.Contains(reviewLeads, exportctl.Role(role)))) {
			return exportctl.Invalid("lead_id", "the lead must be an active case officer, senior official or decision maker")
		}
		if err != nil {
			return err
		}
		seq, err := s.nextSeq(ctx, tx, "review/"+strconv.Itoa(now.Year()))
		if err != nil {
			return err
		}
		ref := fmt.Sprintf("REV/%d/%04d", now.Year(), seq)
		if err := tx.QueryRowContext(ctx, `INSERT INTO reviews (reference, kind, destination, end_user, terms_of_reference, lead_id,
			evidence_cutoff, deadline, status, opened_by, opened_by_name, opened_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			ref, in.Kind, in.Destination, in.EndUser, in.TermsOfReference, in.LeadID, in.EvidenceCutoff, in.Deadline,
			exportctl.ReviewOpen, nullID(a.UserID), a.Label(), ts(now)).Scan(&id); err != nil {
			return err
		}
		q, args := scopeQuery(in)
		ids, err := queryIDs(ctx, tx, q, args...)
		if err != nil {
			return err
		}
		var rows [][]any
		for _, lid := range ids {
			e := exposure[lid]
			rows = append(rows, []any{id, lid, e.Direct, e.Platform, e.Contextual, e.Strongest})
		}
		if err := s.insertMany(ctx, tx, "review_licences", []string{"review_id", "licence_id", "direct", "platform", "contextual", "strongest"}, rows, "", nil); err != nil {
			return err
		}
		for _, m := range in.Milestones {
			if _, err := tx.ExecContext(ctx, `INSERT INTO review_milestones (review_id, name, due) VALUES ($1, $2, $3)`, id, m.Name, m.Due); err != nil {
				return err
			}
		}
		taskID, err := s.answerTask(ctx, tx, a, in.Destination, id, ref, now)
		if err != nil {
			return err
		}
		if taskID != 0 {
			if _, err := tx.ExecContext(ctx, `UPDATE reviews SET task_id = $1 WHERE id = $2`, taskID, id); err != nil {
				return err
			}
		}
		if err := s.publish(ctx, tx, exportctl.LogReviewOpened, "review", id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "review", id, map[string]any{"reference": ref, "kind": in.Kind, "destination": in.Destination,
			"end_user": in.EndUser, "deadline": in.Deadline, "evidence_cutoff": in.EvidenceCutoff, "licences": len(ids), "task_id": taskID})
	})
	if err != nil {
		return nil, err
	}
	return s.Review(ctx, a, id)
}

func queryIDs(ctx context.Context, q queryer, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// answerTask closes the destination's open reassessment task, if any,
// with the review as its decision.
func (s *Store) answerTask(ctx context.Context, tx *sql.Tx, a exportctl.Actor, destination string, reviewID int64, ref string, now time.Time) (int64, error) {
	var taskID int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM reassessment_tasks WHERE destination = $1 AND status = $2`, destination, exportctl.TaskOpen).Scan(&taskID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	return taskID, s.closeTask(ctx, tx, a, taskID, exportctl.TaskDecisionInput{Decision: exportctl.TaskDecisionReview, ReviewID: reviewID,
		Reasons: "answered by review " + ref}, now)
}

const reviewColumns = `r.id, r.reference, r.kind, r.destination, r.end_user, r.terms_of_reference, r.lead_id, u.name, r.evidence_cutoff, r.deadline,
	r.status, r.opened_by_name, r.opened_at, r.proposed_at, COALESCE(r.task_id, 0)`

func scanReview(row interface{ Scan(...any) error }) (*exportctl.Review, error) {
	var r exportctl.Review
	var opened string
	var proposed sql.NullString
	if err := row.Scan(&r.ID, &r.Reference, &r.Kind, &r.Destination, &r.EndUser, &r.TermsOfReference, &r.LeadID, &r.Lead,
		&r.EvidenceCutoff, &r.Deadline, &r.Status, &r.OpenedBy, &opened, &proposed, &r.TaskID); err != nil {
		return nil, err
	}
	r.OpenedAt, r.ProposedAt = parseTS(opened), parseTSPtr(proposed)
	return &r, nil
}

// loadReview reads a whole review: its row, findings, milestones, the
// licences in scope with their current determinations, the approval and
// the statement. Leaf builders call it too, so it takes any queryer.
func (s *Store) loadReview(ctx context.Context, q queryer, id int64, withLicences bool) (*exportctl.Review, error) {
	r, err := scanReview(q.QueryRowContext(ctx, `SELECT `+reviewColumns+` FROM reviews r JOIN users u ON u.id = r.lead_id WHERE r.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, exportctl.NotFound("review", id)
	}
	if err != nil {
		return nil, err
	}
	err = q.QueryRowContext(ctx, `SELECT conduct_of_hostilities, humanitarian_access, detainees FROM review_findings
		WHERE review_id = $1 ORDER BY id DESC LIMIT 1`, id).Scan(&r.Findings.ConductOfHostilities, &r.Findings.HumanitarianAccess, &r.Findings.Detainees)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if r.Milestones, err = loadMilestones(ctx, q, id); err != nil {
		return nil, err
	}
	var at string
	err = q.QueryRowContext(ctx, `SELECT reasons, decided_by_name, decided_at FROM review_approvals WHERE review_id = $1`, id).Scan(&r.ApprovalReasons, &r.ApprovedBy, &at)
	if err == nil {
		t := parseTS(at)
		r.ApprovedAt = &t
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	err = q.QueryRowContext(ctx, `SELECT statement, published_at FROM review_statements WHERE review_id = $1`, id).Scan(&r.Statement, &at)
	if err == nil {
		t := parseTS(at)
		r.PublishedAt = &t
	} else if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	if withLicences {
		if r.Licences, err = s.loadReviewLicences(ctx, q, id); err != nil {
			return nil, err
		}
	}
	return r, nil
}

func loadMilestones(ctx context.Context, q queryer, reviewID int64) ([]exportctl.ReviewMilestone, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, due, done FROM review_milestones WHERE review_id = $1 ORDER BY due, id`, reviewID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.ReviewMilestone{}
	for rows.Next() {
		var m exportctl.ReviewMilestone
		if err := rows.Scan(&m.ID, &m.Name, &m.Due, &m.Done); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// loadReviewLicences reads the scope in licence order, each with its
// latest determination and the rating families of its goods.
func (s *Store) loadReviewLicences(ctx context.Context, q queryer, reviewID int64) ([]exportctl.ReviewLicence, error) {
	rows, err := q.QueryContext(ctx, `SELECT l.id, l.reference, COALESCE(o.name, ''), l.licence_type, l.status, a.goods_summary,
			rl.direct, rl.platform, rl.contextual, rl.strongest, rl.applied,
			COALESCE(d.determination, ''), COALESCE(d.determination_reasons, ''), COALESCE(d.outcome, ''), COALESCE(d.conditions, ''),
			COALESCE(d.outcome_reasons, ''), COALESCE(d.recorded_by_name, ''), d.recorded_at, l.application_id
		FROM review_licences rl
		JOIN licences l ON l.id = rl.licence_id
		JOIN applications a ON a.id = l.application_id
		LEFT JOIN organisations o ON o.id = l.org_id
		LEFT JOIN review_determinations d ON d.id = (SELECT MAX(x.id) FROM review_determinations x WHERE x.review_id = rl.review_id AND x.licence_id = rl.licence_id)
		WHERE rl.review_id = $1 ORDER BY l.id`, reviewID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.ReviewLicence{}
	appOf := map[int64]int{} // application id -> index in out
	for rows.Next() {
		var l exportctl.ReviewLicence
		var at sql.NullString
		var appID int64
		if err := rows.Scan(&l.LicenceID, &l.Reference, &l.OrgName, &l.LicenceType, &l.Status, &l.GoodsSummary,
			&l.Exposure.Direct, &l.Exposure.Platform, &l.Exposure.Contextual, &l.Exposure.Strongest, &l.Applied,
			&l.Determination, &l.DeterminationReasons, &l.Outcome, &l.Conditions, &l.OutcomeReasons, &l.DeterminedBy, &at, &appID); err != nil {
			return nil, err
		}
		l.DeterminedAt, l.Ratings = parseTSPtr(at), []string{}
		appOf[appID] = len(out)
		out = append(out, l)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	grows, err := q.QueryContext(ctx, `SELECT g.application_id, g.rating FROM goods g
		JOIN licences l ON l.application_id = g.application_id
		JOIN review_licences rl ON rl.licence_id = l.id
		WHERE rl.review_id = $1 AND g.superseded_at IS NULL ORDER BY g.id`, reviewID)
	if err != nil {
		return nil, err
	}
	defer grows.Close()
	for grows.Next() {
		var appID int64
		var rating string
		if err := grows.Scan(&appID, &rating); err != nil {
			return nil, err
		}
		if i, ok := appOf[appID]; ok {
			if f := exportctl.RatingFamily(rating); !slices.Contains(out[i].Ratings, f) {
				out[i].Ratings = append(out[i].Ratings, f)
			}
		}
	}
	return out, grows.Err()
}

// Review returns one review. Internal roles.
func (s *Store) Review(ctx context.Context, a exportctl.Actor, id int64) (*exportctl.Review, error) {
	const op = "review.get"
	if err := requireReviewReader(a, op); err != nil {
		return nil, err
	}
	r, err := s.loadReview(ctx, s.read, id, true)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	r.Timeline = r.TimelineAt(s.now())
	return r, nil
}

// ReviewLeads lists the active users who may lead a review, by name.
func (s *Store) ReviewLeads(ctx context.Context, a exportctl.Actor) ([]exportctl.User, error) {
	const op = "review.leads"
	if err := requireReviewReader(a, op); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, username, name, role FROM users WHERE disabled = 0 AND role IN ($1, $2, $3) ORDER BY name, id`,
		reviewLeads[0], reviewLeads[1], reviewLeads[2])
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	defer rows.Close()
	out := []exportctl.User{}
	for rows.Next() {
		var u exportctl.User
		if err := rows.Scan(&u.ID, &u.Username, &u.Name, &u.Role); err != nil {
			return nil, exportctl.Internal(op, err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Reviews lists reviews, newest first. Internal roles.
func (s *Store) Reviews(ctx context.Context, a exportctl.Actor, f exportctl.ReviewFilter) (exportctl.Page[exportctl.ReviewSummary], error) {
	const op = "review.list"
	var page exportctl.Page[exportctl.ReviewSummary]
	if err := requireReviewReader(a, op); err != nil {
		return page, err
	}
	var w where
	if f.Status != "" {
		if !slices.Contains(exportctl.ReviewStatuses, f.Status) {
			return page, exportctl.Invalid("status", "unknown review status %q", f.Status)
		}
		w.add("r.status = ?", f.Status)
	}
	if f.Destination != "" {
		c, err := exportctl.ParseCountry("destination", f.Destination)
		if err != nil {
			return page, err
		}
		w.add("r.destination = ?", c)
	}
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM reviews r`+w.sql(), w.args...).Scan(&page.Total); err != nil {
		return page, exportctl.Internal(op, err)
	}
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return page, err
	}
	if after > 0 {
		w.add("r.id < ?", after)
	}
	limit := pageLimit(f.Limit)
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.reference, r.kind, r.destination, r.end_user, u.name, r.status, r.deadline, r.opened_at,
			(SELECT COUNT(*) FROM review_licences rl WHERE rl.review_id = r.id),
			(SELECT COUNT(DISTINCT d.licence_id) FROM review_determinations d WHERE d.review_id = r.id)
		FROM reviews r JOIN users u ON u.id = r.lead_id`+w.sql()+` ORDER BY r.id DESC LIMIT `+strconv.Itoa(limit+1), w.args...)
	if err != nil {
		return page, exportctl.Internal(op, err)
	}
	defer rows.Close()
	page.Items = []exportctl.ReviewSummary{}
	for rows.Next() {
		var r exportctl.ReviewSummary
		var opened string
		if err := rows.Scan(&r.ID, &r.Reference, &r.Kind, &r.Destination, &r.EndUser, &r.Lead, &r.Status, &r.Deadline, &opened, &r.Licences, &r.Determined); err != nil {
			return page, exportctl.Internal(op, err)
		}
		r.OpenedAt = parseTS(opened)
		page.Items = append(page.Items, r)
	}
	if err := rows.Err(); err != nil {
		return page, exportctl.Internal(op, err)
	}
	endPage(&page, limit, func(x exportctl.ReviewSummary) string { return strconv.FormatInt(x.ID, 10) })
	return page, nil
}

// reviewStep runs one command on a review: it loads the review in the
// transaction, moves it through the transition table (which checks the
// role and the state) and writes the new status; fn does the rest.
func (s *Store) reviewStep(ctx context.Context, a exportctl.Actor, op string, id int64, action string, withLicences bool,
	fn func(tx *sql.Tx, r *exportctl.Review, now time.Time) error) error {
	if err := requireReviewReader(a, op); err != nil {
		return err
	}
	now := s.now().UTC()
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		r, err := s.loadReview(ctx, tx, id, withLicences)
		if err != nil {
			return err
		}
		to, err := exportctl.Next(exportctl.ReviewMachine, r.Status, action, a.Role)
		if err != nil {
			return err
		}
		if err := fn(tx, r, now); err != nil {
			return err
		}
		if to != r.Status {
			if _, err := tx.ExecContext(ctx, `UPDATE reviews SET status = $1 WHERE id = $2`, to, id); err != nil {
				return err
			}
			r.Status = to
		}
		return nil
	})
}

// RecordDetermination records a licence's determination and proposed
// outcome; a later one supersedes it (both stay on record).
func (s *Store) RecordDetermination(ctx context.Context, a exportctl.Actor, id int64, in exportctl.DeterminationInput) (*exportctl.ReviewLicence, error) {
	const op = "review.determine"
	if err := requireReviewReader(a, op); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.reviewStep(ctx, a, op, id, exportctl.ActRecord, false, func(tx *sql.Tx, r *exportctl.Review, now time.Time) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM review_licences WHERE review_id = $1 AND licence_id = $2`, id, in.LicenceID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return exportctl.Invalid("licence_id", "licence %d is not in the scope of review %s", in.LicenceID, r.Reference)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_determinations (review_id, licence_id, determination, determination_reasons, outcome,
			conditions, outcome_reasons, recorded_by, recorded_by_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			id, in.LicenceID, in.Determination, in.DeterminationReasons, in.Outcome, in.Conditions, in.OutcomeReasons, nullID(a.UserID), a.Label(), ts(now)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "review", id, map[string]any{"licence_id": in.LicenceID, "determination": in.Determination,
			"outcome": in.Outcome, "conditions": in.Conditions, "reasons": in.DeterminationReasons})
	})
	if err != nil {
		return nil, err
	}
	ls, err := s.loadReviewLicences(ctx, s.read, id)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	for _, l := range ls {
		if l.LicenceID == in.LicenceID {
			return &l, nil
		}
	}
	return nil, exportctl.Internal(op, fmt.Errorf("licence %d left the scope", in.LicenceID))
}

// RecordFindings records the review's findings in the three IHL areas.
func (s *Store) RecordFindings(ctx context.Context, a exportctl.Actor, id int64, in exportctl.ReviewFindings) (*exportctl.Review, error) {
	const op = "review.findings"
	if err := requireReviewReader(a, op); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.reviewStep(ctx, a, op, id, exportctl.ActRecord, false, func(tx *sql.Tx, r *exportctl.Review, now time.Time) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO review_findings (review_id, conduct_of_hostilities, humanitarian_access, detainees,
			recorded_by, recorded_by_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			id, in.ConductOfHostilities, in.HumanitarianAccess, in.Detainees, nullID(a.UserID), a.Label(), ts(now)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "review", id, map[string]any{"before": r.Findings, "after": in})
	})
	if err != nil {
		return nil, err
	}
	return s.Review(ctx, a, id)
}

// milestoneStep checks that the actor may change milestones of a review
// that is not yet closed.
func (s *Store) milestoneStep(ctx context.Context, a exportctl.Actor, op string, id int64, fn func(tx *sql.Tx, r *exportctl.Review, now time.Time) error) error {
	if err := requireReviewReader(a, op); err != nil {
		return err
	}
	if err := a.Require(op, reviewOpeners...); err != nil {
		return err
	}
	now := s.now().UTC()
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		r, err := s.loadReview(ctx, tx, id, false)
		if err != nil {
			return err
		}
		if r.Status == exportctl.ReviewPublished {
			return exportctl.Conflict("review %s is closed", r.Reference)
		}
		return fn(tx, r, now)
	})
}

// AddMilestone adds a milestone to the timeline.
func (s *Store) AddMilestone(ctx context.Context, a exportctl.Actor, id int64, in exportctl.MilestoneInput) (*exportctl.ReviewMilestone, error) {
	const op = "review.add_milestone"
	if err := requireReviewReader(a, op); err != nil {
		return nil, err
	}
	if err := in.Validate(""); err != nil {
		return nil, err
	}
	m := &exportctl.ReviewMilestone{Name: in.Name, Due: in.Due}
	err := s.milestoneStep(ctx, a, op, id, func(tx *sql.Tx, r *exportctl.Review, now time.Time) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO review_milestones (review_id, name, due) VALUES ($1, $2, $3) RETURNING id`, id, in.Name, in.Due).Scan(&m.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "review", id, map[string]any{"milestone_id": m.ID, "name": in.Name, "due": in.Due})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// CompleteMilestone records when a milestone was reached (once).
func (s *Store) CompleteMilestone(ctx context.Context, a exportctl.Actor, id, milestoneID int64, done string) (*exportctl.ReviewMilestone, error) {
	const op = "review.complete_milestone"
	var m *exportctl.ReviewMilestone
	err := s.milestoneStep(ctx, a, op, id, func(tx *sql.Tx, r *exportctl.Review, now time.Time) error {
		today := now.Format(time.DateOnly)
		if done == "" {
			done = today
		}
		if _, err := time.Parse(time.DateOnly, done); err != nil {
			return exportctl.Invalid("done", "%q is not a date (YYYY-MM-DD)", done)
		}
		if done > today || done < r.OpenedAt.Format(time.DateOnly) {
			return exportctl.Invalid("done", "must be between the opening of the review (%s) and today", r.OpenedAt.Format(time.DateOnly))
		}
		for i := range r.Milestones {
			if r.Milestones[i].ID == milestoneID {
				m = &r.Milestones[i]
			}
		}
		if m == nil {
			return exportctl.NotFound("milestone", milestoneID)
		}
		if m.Done != "" {
			return exportctl.Conflict("milestone %q was reached on %s", m.Name, m.Done)
		}
		m.Done = done
		if _, err := tx.ExecContext(ctx, `UPDATE review_milestones SET done = $1 WHERE id = $2`, done, milestoneID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "review", id, map[string]any{"milestone_id": milestoneID, "name": m.Name, "done": done})
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// ProposeOutcome sends a complete review to the decision maker.
func (s *Store) ProposeOutcome(ctx context.Context, a exportctl.Actor, id int64) (*exportctl.Review, error) {
	const op = "review.propose"
	err := s.reviewStep(ctx, a, op, id, exportctl.ActPropose, true, func(tx *sql.Tx, r *exportctl.Review, now time.Time) error {
		if err := r.ReadyToPropose(); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE reviews SET proposed_at = $1 WHERE id = $2`, ts(now), id); err != nil {
			return err
		}
		counts := map[string]int{}
		for _, l := range r.Licences {
			counts[l.Outcome]++
		}
		return s.audit(ctx, tx, a, now, op, "review", id, map[string]any{"outcomes": counts})
	})
	if err != nil {
		return nil, err
	}
	return s.Review(ctx, a, id)
}

// ReturnReview sends a proposed outcome back to the officials.
func (s *Store) ReturnReview(ctx context.Context, a exportctl.Actor, id int64, reasons string) (*exportctl.Review, error) {
	const op = "review.return"
	if err := requireReviewReader(a, op); err != nil {
		return nil, err
	}
	in := exportctl.LicenceActionInput{Reasons: reasons}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.reviewStep(ctx, a, op, id, exportctl.ActReturnReview, false, func(tx *sql.Tx, r *exportctl.Review, now time.Time) error {
		return s.audit(ctx, tx, a, now, op, "review", id, map[string]any{"reasons": in.Reasons})
	})
	if err != nil {
		return nil, err
	}
	return s.Review(ctx, a, id)
}

// ApproveOutcome applies the proposed outcome to every licence in scope
// in one transaction. Each licence change names the review as its reason
// and is logged; a licence found usable in the conflict but maintained is
// recorded as a carve-out departure; a licence that is no longer extant
// (revoked, surrendered or expired since the proposal) is left as it is.
func (s *Store) ApproveOutcome(ctx context.Context, a exportctl.Actor, id int64, in exportctl.ApproveInput) (*exportctl.Review, error) {
	const op = "review.approve"
	err := s.reviewStep(ctx, a, op, id, exportctl.ActApproveReview, true, func(tx *sql.Tx, r *exportctl.Review, now time.Time) error {
		if err := in.Validate(r); err != nil {
			return err
		}
		carveOuts := map[int64]exportctl.CarveOutInput{}
		for _, c := range in.CarveOuts {
			carveOuts[c.LicenceID] = c
		}
		current, err := s.scopeLicences(ctx, tx, id)
		if err != nil {
			return err
		}
		var changes []licenceChange
		applied := map[string][]int64{}
		for _, rl := range r.Licences {
			result, change, err := s.applyOutcome(ctx, tx, a, r, rl, current[rl.LicenceID], carveOuts[rl.LicenceID], now)
			if err != nil {
				return fmt.Errorf("licence %s: %w", rl.Reference, err)
			}
			if change != nil {
				changes = append(changes, *change)
			}
			applied[result] = append(applied[result], rl.LicenceID)
		}
		if err := s.changeLicences(ctx, tx, a, changes, now); err != nil {
			return err
		}
		counts := map[string]int{}
		for result, ids := range applied {
			counts[result] = len(ids)
			if _, err := s.updateIn(ctx, tx, `UPDATE review_licences SET applied = $1 WHERE review_id = $2 AND licence_id IN (%s)`,
				[]any{result, id}, ids); err != nil {
				return err
			}
		}
		var approvalID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO review_approvals (review_id, reasons, decided_by, decided_by_name, decided_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, id, in.Reasons, nullID(a.UserID), a.Label(), ts(now)).Scan(&approvalID); err != nil {
			return err
		}
		if err := s.publish(ctx, tx, exportctl.LogReviewOutcome, "review_approval", approvalID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "review", id, map[string]any{"reasons": in.Reasons, "applied": counts})
	})
	if err != nil {
		return nil, err
	}
	return s.Review(ctx, a, id)
}

// scopeLicences reads the current state of every licence in scope.
func (s *Store) scopeLicences(ctx context.Context, q queryer, reviewID int64) (map[int64]*exportctl.Licence, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+licenceColumns+` FROM licences l LEFT JOIN organisations o ON o.id = l.org_id
		WHERE l.id IN (SELECT licence_id FROM review_licences WHERE review_id = $1)`, reviewID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]*exportctl.Licence{}
	for rows.Next() {
		l, err := scanLicence(rows)
		if err != nil {
			return nil, err
		}
		out[l.ID] = l
	}
	return out, rows.Err()
}

// applyOutcome works out one licence's outcome: what it does, and the
// licence change to make (nil when the licence stays as it is). A
// carve-out's departure is recorded here.
func (s *Store) applyOutcome(ctx context.Context, tx *sql.Tx, a exportctl.Actor, r *exportctl.Review, rl exportctl.ReviewLicence,
	l *exportctl.Licence, carve exportctl.CarveOutInput, now time.Time) (string, *licenceChange, error) {
	if l == nil || !exportctl.Extant(l.Status) {
		return "not_extant", nil, nil
	}
	reasons := rl.OutcomeReasons
	if reasons == "" {
		reasons = rl.DeterminationReasons
	}
	change := &licenceChange{Licence: l, Reasons: "Review " + r.Reference + ": " + reasons, ReviewID: r.ID, ReviewRef: r.Reference}
	result := ""
	switch rl.Outcome {
	case exportctl.OutcomeMaintain:
		if !rl.CarveOut() {
			return "maintained", nil, nil
		}
		d := &exportctl.Departure{ApplicationID: l.ApplicationID, LicenceID: l.ID, ReviewID: r.ID, Kind: exportctl.DepartureCarveOut, Scope: carve.Scope,
			Reasons: carve.Reasons, Criteria: reviewCriterion, By: a.Label(), At: now}
		if err := s.insertDeparture(ctx, tx, a, d); err != nil {
			return "", nil, err
		}
		if err := s.publish(ctx, tx, exportctl.LogDeparture, "departure", d.ID); err != nil {
			return "", nil, err
		}
		return "carve_out", nil, s.audit(ctx, tx, a, now, "licence.carve_out", "licence", l.ID, map[string]any{
			"review": r.Reference, "departure_id": d.ID, "scope": d.Scope, "reasons": d.Reasons})
	case exportctl.OutcomeSuspend:
		if l.Status == exportctl.LicenceSuspended {
			return "already_suspended", nil, nil
		}
		change.Action, result = exportctl.ActSuspend, "suspended"
	case exportctl.OutcomeRevoke:
		change.Action, result = exportctl.ActRevoke, "revoked"
	case exportctl.OutcomeAmend:
		change.Action, change.Conditions, result = exportctl.ActAmend, rl.Conditions, "amended"
	default:
		return "", nil, fmt.Errorf("unknown outcome %q", rl.Outcome)
	}
	var err error
	if change.To, err = exportctl.Next(exportctl.LicenceMachine, l.Status, change.Action, a.Role); err != nil {
		return "", nil, err
	}
	return result, change, nil
}

// PublishReview publishes the statement and closes the review.
func (s *Store) PublishReview(ctx context.Context, a exportctl.Actor, id int64, in exportctl.StatementInput) (*exportctl.Review, error) {
	const op = "review.publish"
	if err := requireReviewReader(a, op); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	err := s.reviewStep(ctx, a, op, id, exportctl.ActPublishReview, false, func(tx *sql.Tx, r *exportctl.Review, now time.Time) error {
		var statementID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO review_statements (review_id, statement, published_by, published_by_name, published_at)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`, id, in.Statement, nullID(a.UserID), a.Label(), ts(now)).Scan(&statementID); err != nil {
			return err
		}
		if err := s.publish(ctx, tx, exportctl.LogReviewStatement, "review_statement", statementID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "review", id, map[string]any{"statement": in.Statement})
	})
	if err != nil {
		return nil, err
	}
	return s.Review(ctx, a, id)
}

// PublicReviews lists every review's public view, newest first.
func (s *Store) PublicReviews(ctx context.Context) ([]exportctl.PublicReview, error) {
	ids, err := queryIDs(ctx, s.read, `SELECT id FROM reviews ORDER BY id DESC`)
	if err != nil {
		return nil, exportctl.Internal("review.public", err)
	}
	out := []exportctl.PublicReview{}
	for _, id := range ids {
		p, err := s.PublicReview(ctx, id)
		if err != nil {
			return nil, err
		}
		out = append(out, *p)
	}
	return out, nil
}

// PublicReview is one review's public view: the timeline, and the outcome
// by category of goods and the statement once published.
func (s *Store) PublicReview(ctx context.Context, id int64) (*exportctl.PublicReview, error) {
	const op = "review.public"
	r, err := s.loadReview(ctx, s.read, id, false)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	if r.Status == exportctl.ReviewPublished {
		if r.Licences, err = s.loadReviewLicences(ctx, s.read, id); err != nil {
			return nil, exportctl.Internal(op, err)
		}
	}
	p := r.Public(s.now())
	return &p, nil
}

// licenceChange is one move of a licence: the action, the state it
// leads to, the reasons, and for a review's changes the review and any
// conditions added.
type licenceChange struct {
	Licence             *exportctl.Licence
	Action, To, Reasons string
	ReviewID            int64
	ReviewRef           string
	Conditions          string
}

// changeLicences records licence changes (each licence at most once): the
// transition rows, the status (and for an amendment the conditions), the
// log leaves and the audit events the licence history shows, naming the
// review when there is one. A review's outcome moves hundreds of licences
// in one transaction, so rows are written in bulk.
func (s *Store) changeLicences(ctx context.Context, tx *sql.Tx, a exportctl.Actor, cs []licenceChange, now time.Time) error {
	if len(cs) == 0 {
		return nil
	}
	rows := make([][]any, len(cs))
	for i, c := range cs {
		rows[i] = []any{c.Licence.ID, c.Licence.Status, c.Action, c.To, c.Reasons, nullID(a.UserID), ts(now), nullID(c.ReviewID), c.Conditions}
	}
	transitionOf := make(map[int64]int64, len(cs))
	err := s.insertMany(ctx, tx, "licence_transitions", []string{"licence_id", "from_status", "action", "to_status", "reasons", "actor_id", "at", "review_id", "conditions"},
		rows, "RETURNING id, licence_id", func(r *sql.Rows) error {
			var id, licenceID int64
			err := r.Scan(&id, &licenceID)
			transitionOf[licenceID] = id
			return err
		})
	if err != nil {
		return err
	}
	byMove := map[[2]string][]int64{} // from, to
	byConditions := map[string][]int64{}
	transitions := make([]int64, len(cs))
	audits := make([][]any, len(cs))
	for i, c := range cs {
		if c.To != c.Licence.Status {
			move := [2]string{c.Licence.Status, c.To}
			byMove[move] = append(byMove[move], c.Licence.ID)
		}
		if c.Conditions != "" {
			byConditions[c.Conditions] = append(byConditions[c.Conditions], c.Licence.ID)
		}
		transitions[i] = transitionOf[c.Licence.ID]
		summary := map[string]string{"from": c.Licence.Status, "to": c.To, "reasons": c.Reasons}
		if c.ReviewRef != "" {
			summary["review"] = c.ReviewRef
		}
		if c.Conditions != "" {
			summary["conditions"] = c.Conditions
		}
		if audits[i], err = auditRow(a, now, "licence."+c.Action, "licence", c.Licence.ID, summary); err != nil {
			return err
		}
	}
	// Each licence moves from the status it was read in: if another command
	// changed it meanwhile, nothing is written.
	for move, ids := range byMove {
		n, err := s.updateIn(ctx, tx, `UPDATE licences SET status = $1 WHERE status = $2 AND id IN (%s)`, []any{move[1], move[0]}, ids)
		if err != nil {
			return err
		}
		if n != int64(len(ids)) {
			return exportctl.Conflict("a licence changed while this command ran; try again")
		}
	}
	for cond, ids := range byConditions {
		if _, err := s.updateIn(ctx, tx, `UPDATE licences SET conditions = CASE WHEN conditions = '' THEN $1 ELSE conditions || $2 END WHERE id IN (%s)`, []any{cond, "\n" + cond}, ids); err != nil {
			return err
		}
	}
	if err := s.publishMany(ctx, tx, exportctl.LogLicenceStatus, "licence_transition", transitions); err != nil {
		return err
	}
	return s.insertMany(ctx, tx, "audit_events", auditColumns, audits, "", nil)
}

// updateIn runs stmt for ids in chunks and returns the rows it changed:
// its %s is the list of ids' placeholders, which follow args' parameters.
func (s *Store) updateIn(ctx context.Context, tx *sql.Tx, stmt string, args []any, ids []int64) (int64, error) {
	var changed int64
	for len(ids) > 0 {
		n := min(500, len(ids))
		chunk := ids[:n]
		ids = ids[n:]
		marks := make([]string, n)
		all := append([]any{}, args...)
		for i, id := range chunk {
			all = append(all, id)
			marks[i] = "$" + strconv.Itoa(len(all))
		}
		res, err := tx.ExecContext(ctx, fmt.Sprintf(stmt, strings.Join(marks, ", ")), all...)
		if err != nil {
			return changed, err
		}
		k, err := res.RowsAffected()
		if err != nil {
			return changed, err
		}
		changed += k
	}
	return changed, nil
}

// reviewLeaf builds the log leaf of a review's opening (subject: the
// review), its approved outcome (the approval) or its statement.
func (s *Store) reviewLeaf(ctx context.Context, q queryer, kind string, id int64) (exportctl.LogLeaf, []byte, error) {
	reviewID, subject, at := id, "review", ""
	switch kind {
	case exportctl.LogReviewOutcome:
		subject = "review_approval"
		if err := q.QueryRowContext(ctx, `SELECT review_id, decided_at FROM review_approvals WHERE id = $1`, id).Scan(&reviewID, &at); err != nil {
			return exportctl.LogLeaf{}, nil, err
		}
	case exportctl.LogReviewStatement:
		subject = "review_statement"
		if err := q.QueryRowContext(ctx, `SELECT review_id, published_at FROM review_statements WHERE id = $1`, id).Scan(&reviewID, &at); err != nil {
			return exportctl.LogLeaf{}, nil, err
		}
	}
	r, err := s.loadReview(ctx, q, reviewID, kind == exportctl.LogReviewOutcome)
	if err != nil {
		return exportctl.LogLeaf{}, nil, err
	}
	public := map[string]any{"kind": r.Kind, "destination": r.Destination}
	var restricted map[string]any
	switch kind {
	case exportctl.LogReviewOpened:
		var scope int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM review_licences WHERE review_id = $1`, r.ID).Scan(&scope); err != nil {
			return exportctl.LogLeaf{}, nil, err
		}
		at = ts(r.OpenedAt)
		public["terms_of_reference"], public["evidence_cutoff"], public["deadline"], public["licences"] = r.TermsOfReference, r.EvidenceCutoff, r.Deadline, scope
		restricted = map[string]any{"end_user": r.EndUser, "lead": r.Lead}
	case exportctl.LogReviewOutcome:
		public["outcome"] = r.OutcomeByCategory()
		restricted = map[string]any{"reasons": r.ApprovalReasons, "approved_by": r.ApprovedBy}
	case exportctl.LogReviewStatement:
		public["statement"] = r.Statement
	}
	leaf := exportctl.LogLeaf{Version: 1, Kind: kind, At: parseTS(at), SubjectType: subject, SubjectID: id, Reference: r.Reference, Public: canonical(public)}
	if restricted == nil {
		return leaf, nil, nil
	}
	return leaf, canonical(restricted), nil
}
