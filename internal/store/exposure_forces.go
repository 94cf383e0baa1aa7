package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/exportctl/exportctl"
)

// forceRows are an incident's incident_forces rows: the countries whose
// forces it is attributed to (exportctl.AttributedForces).
func forceRows(id int64, inc *exportctl.Incident) [][]any {
	var out [][]any
	for _, f := range exportctl.AttributedForces(inc.Actors) {
		out = append(out, []any{id, f.Country, inc.StartDate, f.Name, f.Confidence})
	}
	return out
}

const insertForceSQL = `INSERT INTO incident_forces (incident_id, country, start_date, force, confidence) VALUES ($1, $2, $3, $4, $5)`

// writeIncidentForces replaces an incident's incident_forces rows.
func writeIncidentForces(ctx context.Context, tx *sql.Tx, id int64, inc *exportctl.Incident) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM incident_forces WHERE incident_id = $1`, id); err != nil {
		return err
	}
	for _, r := range forceRows(id, inc) {
		if _, err := tx.ExecContext(ctx, insertForceSQL, r...); err != nil {
			return err
		}
	}
	return nil
}

// backfillIncidentForces fills incident_forces once for the incidents
// stored before it existed (migration 00014); a counter row marks it done,
// so several servers starting at once do it once.
func (s *Store) backfillIncidentForces(ctx context.Context) error {
	return s.tx(ctx, "incident_forces.backfill", func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO counters (name, value) VALUES ('incident_forces_backfill', 1) ON CONFLICT (name) DO NOTHING`)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, start_date, actors FROM incidents WHERE state_forces = 1 ORDER BY id`)
		if err != nil {
			return err
		}
		var pending [][]any
		for rows.Next() {
			var inc exportctl.Incident
			var actors string
			if err := rows.Scan(&inc.ID, &inc.StartDate, &actors); err != nil {
				rows.Close()
				return err
			}
			if err := json.Unmarshal([]byte(actors), &inc.Actors); err != nil {
				rows.Close()
				return fmt.Errorf("incident %d actors: %w", inc.ID, err)
			}
			pending = append(pending, forceRows(inc.ID, &inc)...)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, r := range pending {
			if _, err := tx.ExecContext(ctx, insertForceSQL, r...); err != nil {
				return err
			}
		}
		return nil
	})
}
