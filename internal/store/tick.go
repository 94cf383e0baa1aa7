package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/exportctl/exportctl"
)

// TickReport says what one run of the time-driven work did.
type TickReport struct {
	Ran         bool // false when another server holds the tick lock
	Expired     int  // licences past their validity marked expired
	TasksOpened int  // reassessment tasks opened by new evidence
	// ConcernEscalations counts concerns escalated for a missed deadline.
	ConcernEscalations int
}

// tickLock is the PostgreSQL advisory-lock key of the time-driven work, so
// that of several servers only one runs it at a time.
const tickLock = 7_227_274

// Tick runs the time-driven work once, as of now: licences past their
// validity expire (each a logged status change), the concerns clocks
// escalate missed deadlines, and destinations whose new evidence crosses
// the reassessment threshold get a reassessment task (one open task per
// destination). Idempotent: a second run at the same time does nothing.
func (s *Store) Tick(ctx context.Context, now time.Time) (TickReport, error) {
	var rep TickReport
	err := s.tx(ctx, "tick", func(tx *sql.Tx) error {
		if s.dialect.isPostgres() {
			var got bool
			if err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock($1)`, tickLock).Scan(&got); err != nil {
				return err
			}
			if !got {
				return nil
			}
		}
		rep.Ran = true
		today := now.UTC().Format(time.DateOnly)
		rows, err := tx.QueryContext(ctx, `SELECT `+licenceColumns+` FROM licences l LEFT JOIN organisations o ON o.id = l.org_id
			WHERE l.status IN ($1, $2) AND l.valid_until < $3 AND l.historical = 0 ORDER BY l.id`,
			exportctl.LicenceIssued, exportctl.LicenceSuspended, today)
		if err != nil {
			return err
		}
		var due []*exportctl.Licence
		for rows.Next() {
			l, err := scanLicence(rows)
			if err != nil {
				rows.Close()
				return err
			}
			due = append(due, l)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, l := range due {
			to, err := exportctl.Next(exportctl.LicenceMachine, l.Status, exportctl.ActExpire, exportctl.System.Role)
			if err != nil {
				return err
			}
			if err := s.moveLicence(ctx, tx, exportctl.System, l, exportctl.ActExpire, to, "validity ended on "+l.ValidUntil, now.UTC()); err != nil {
				return err
			}
			rep.Expired++
		}
		if rep.ConcernEscalations, err = s.tickConcerns(ctx, tx, now.UTC()); err != nil {
			return err
		}
		rep.TasksOpened, err = s.openReassessmentTasks(ctx, tx, now)
		return err
	})
	return rep, err
}
