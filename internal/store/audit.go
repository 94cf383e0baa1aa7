package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"

	"github.com/exportctl/exportctl"
)

// audit appends an audit event inside the command's transaction. summary
// is either a sentence or a value marshalled to JSON (a before/after map).
func (s *Store) audit(ctx context.Context, tx *sql.Tx, a exportctl.Actor, at time.Time, action, subjectType string, subjectID int64, summary any) error {
	row, err := auditRow(a, at, action, subjectType, subjectID, summary)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO audit_events (at, actor_id, actor, actor_role, action, subject_type, subject_id, summary)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, row...)
	return err
}

// auditColumns are the columns of auditRow, for commands that append
// many events at once (insertMany).
var auditColumns = []string{"at", "actor_id", "actor", "actor_role", "action", "subject_type", "subject_id", "summary"}

func auditRow(a exportctl.Actor, at time.Time, action, subjectType string, subjectID int64, summary any) ([]any, error) {
	var text string
	switch v := summary.(type) {
	case string:
		text = v
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("audit summary: %w", err)
		}
		text = string(b)
	}
	var actorID any
	if a.UserID != 0 {
		actorID = a.UserID
	}
	return []any{ts(at), actorID, a.Label(), string(a.Role), action, subjectType, subjectID, text}, nil
}

// auditTrail reads events for one or more subjects, oldest first.
func (s *Store) auditTrail(ctx context.Context, where string, args ...any) ([]exportctl.AuditEvent, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, at, COALESCE(actor_id, 0), actor, actor_role, action, subject_type, subject_id, summary
		FROM audit_events WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []exportctl.AuditEvent
	for rows.Next() {
		var e exportctl.AuditEvent
		var at string
		if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.Actor, &e.ActorRole, &e.Action, &e.SubjectType, &e.SubjectID, &e.Summary); err != nil {
			return nil, err
		}
		e.At = parseTS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
