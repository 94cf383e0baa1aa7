package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

// reassessmentRule is the configured threshold, or the default.
func (s *Store) reassessmentRule() exportctl.ReassessmentRule {
	if s.Reassessment.Incidents > 0 && s.Reassessment.WithinDays > 0 {
		return s.Reassessment
	}
	return exportctl.DefaultReassessment
}

// openReassessmentTasks is the tick's trigger: for each destination with
// extant licences and no open task, it counts the verified incidents
// dated within the rule's period that the exposure analysis links to
// extant licences, and opens a task when they reach the threshold. Only
// evidence new since the last decision on the destination counts (an
// incident recorded, or changed, e.g. verified, after a task was closed
// or a review opened), so a decided task does not reopen on the same
// evidence.
func (s *Store) openReassessmentTasks(ctx context.Context, tx *sql.Tx, now time.Time) (int, error) {
	rule := s.reassessmentRule()
	since := now.UTC().AddDate(0, 0, -rule.WithinDays).Format(time.DateOnly)
	var recent int
	if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM incidents WHERE verification = $1 AND start_date >= $2`,
		exportctl.VerificationVerified, since).Scan(&recent); err != nil {
		return 0, err
	}
	if recent < rule.Incidents {
		return 0, nil // too little new evidence anywhere: no analysis needed
	}
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT l.destination,
			(SELECT MAX(t.closed_at) FROM reassessment_tasks t WHERE t.destination = l.destination),
			(SELECT MAX(r.opened_at) FROM reviews r WHERE r.destination = l.destination)
		FROM licences l WHERE l.status IN ($1, $2) AND l.historical = 0
			AND NOT EXISTS (SELECT 1 FROM reassessment_tasks t WHERE t.destination = l.destination AND t.status = $3)
		ORDER BY l.destination`, exportctl.LicenceIssued, exportctl.LicenceSuspended, exportctl.TaskOpen)
	if err != nil {
		return 0, err
	}
	type candidate struct{ destination, decided string }
	var cands []candidate
	for rows.Next() {
		var c candidate
		var closed, reviewed sql.NullString
		if err := rows.Scan(&c.destination, &closed, &reviewed); err != nil {
			rows.Close()
			return 0, err
		}
		c.decided = max(closed.String, reviewed.String) // fixed-width timestamps compare as text
		cands = append(cands, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	opened := 0
	for _, c := range cands {
		res, err := s.Exposure(ctx, exportctl.System, exportctl.ExposureQuery{Destination: c.destination, Since: since, Limit: exportctl.ExposureMaxLimit})
		if err != nil {
			return opened, fmt.Errorf("exposure for %s: %w", c.destination, err)
		}
		linked, licences := map[int64]bool{}, map[int64]bool{}
		for _, l := range res.Links {
			if exportctl.Extant(l.LicenceStatus) {
				linked[l.IncidentID] = true
				licences[l.LicenceID] = true
			}
		}
		if len(linked) < rule.Incidents {
			continue
		}
		verified, err := queryIDs(ctx, tx, `SELECT id FROM incidents WHERE verification = $1 AND start_date >= $2 AND updated_at > $3 ORDER BY id`,
			exportctl.VerificationVerified, since, c.decided)
		if err != nil {
			return opened, err
		}
		var counted []string
		for _, id := range verified {
			if linked[id] {
				counted = append(counted, strconv.FormatInt(id, 10))
			}
		}
		if len(counted) < rule.Incidents {
			continue
		}
		trigger := fmt.Sprintf("%d new verified incidents dated since %s are linked by the exposure analysis (rule set version %d) to %d extant licences for %s; the threshold is %d within %d days",
			len(counted), since, res.RuleSetVersion, len(licences), exportctl.CountryName(c.destination), rule.Incidents, rule.WithinDays)
		var id int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO reassessment_tasks (destination, status, trigger_text, incident_ids, licences, opened_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, c.destination, exportctl.TaskOpen, trigger, strings.Join(counted, ","), len(licences), ts(now)).Scan(&id); err != nil {
			return opened, err
		}
		if err := s.audit(ctx, tx, exportctl.System, now, "reassessment."+exportctl.ActTaskOpen, "reassessment_task", id,
			map[string]any{"destination": c.destination, "trigger": trigger}); err != nil {
			return opened, err
		}
		opened++
	}
	return opened, nil
}

const taskColumns = `id, destination, status, trigger_text, incident_ids, licences, opened_at, decision, reasons, COALESCE(review_id, 0), closed_by_name, closed_at`

func scanTask(row interface{ Scan(...any) error }) (*exportctl.ReassessmentTask, error) {
	var t exportctl.ReassessmentTask
	var ids, opened string
	var closed sql.NullString
	if err := row.Scan(&t.ID, &t.Destination, &t.Status, &t.Trigger, &ids, &t.Licences, &opened, &t.Decision, &t.Reasons, &t.ReviewID, &t.ClosedBy, &closed); err != nil {
		return nil, err
	}
	t.OpenedAt, t.ClosedAt, t.IncidentIDs = parseTS(opened), parseTSPtr(closed), []int64{}
	for _, s := range splitList(ids) {
		if id, err := strconv.ParseInt(s, 10, 64); err == nil {
			t.IncidentIDs = append(t.IncidentIDs, id)
		}
	}
	return &t, nil
}

// ReassessmentTasks lists tasks, newest first. Internal roles.
func (s *Store) ReassessmentTasks(ctx context.Context, a exportctl.Actor, status string) ([]exportctl.ReassessmentTask, error) {
	const op = "reassessment.list"
	if err := requireReviewReader(a, op); err != nil {
		return nil, err
	}
	q, args := `SELECT `+taskColumns+` FROM reassessment_tasks`, []any{}
	switch status {
	case "":
	case exportctl.TaskOpen, exportctl.TaskClosed:
		q, args = q+` WHERE status = $1`, append(args, status)
	default:
		return nil, exportctl.Invalid("status", "must be open or closed")
	}
	rows, err := s.read.QueryContext(ctx, q+` ORDER BY id DESC`, args...)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	defer rows.Close()
	out := []exportctl.ReassessmentTask{}
	for rows.Next() {
		t, err := scanTask(rows)
		if err != nil {
			return nil, exportctl.Internal(op, err)
		}
		out = append(out, *t)
	}
	return out, rows.Err()
}

// CloseReassessmentTask records the decision that answers an open task:
// a review of the destination, or a reasoned decision to take no action.
func (s *Store) CloseReassessmentTask(ctx context.Context, a exportctl.Actor, id int64, in exportctl.TaskDecisionInput) (*exportctl.ReassessmentTask, error) {
	const op = "reassessment.close_task"
	if err := requireReviewReader(a, op); err != nil {
		return nil, err
	}
	if err := a.Require(op, taskDeciders...); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		return s.closeTask(ctx, tx, a, id, in, now)
	})
	if err != nil {
		return nil, err
	}
	t, err := scanTask(s.read.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM reassessment_tasks WHERE id = $1`, id))
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	return t, nil
}

func (s *Store) closeTask(ctx context.Context, tx *sql.Tx, a exportctl.Actor, id int64, in exportctl.TaskDecisionInput, now time.Time) error {
	t, err := scanTask(tx.QueryRowContext(ctx, `SELECT `+taskColumns+` FROM reassessment_tasks WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return exportctl.NotFound("reassessment task", id)
	}
	if err != nil {
		return err
	}
	if t.Status != exportctl.TaskOpen {
		return exportctl.Conflict("the task was closed on %s (%s)", t.ClosedAt.Format(time.DateOnly), exportctl.Humanise(t.Decision))
	}
	if in.Decision == exportctl.TaskDecisionReview {
		var dest, ref string
		err := tx.QueryRowContext(ctx, `SELECT destination, reference FROM reviews WHERE id = $1`, in.ReviewID).Scan(&dest, &ref)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && dest != t.Destination) {
			return exportctl.Invalid("review_id", "name a review of %s", exportctl.CountryName(t.Destination))
		}
		if err != nil {
			return err
		}
		if in.Reasons == "" {
			in.Reasons = "answered by review " + ref
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE reassessment_tasks SET status = $1, decision = $2, reasons = $3, review_id = $4, closed_by = $5,
		closed_by_name = $6, closed_at = $7 WHERE id = $8`, exportctl.TaskClosed, in.Decision, in.Reasons, nullID(in.ReviewID), nullID(a.UserID), a.Label(), ts(now), id); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, now, "reassessment."+exportctl.ActTaskClose, "reassessment_task", id,
		map[string]any{"decision": in.Decision, "reasons": in.Reasons, "review_id": in.ReviewID})
}
