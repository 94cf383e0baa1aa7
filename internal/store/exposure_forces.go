package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

// incidentForceColumns are incident_forces' columns, in forceRows order.
const incidentForceColumns = `country, start_date, incident_id, force, confidence, incident_country, admin1, place, latitude, longitude,
	target, launch, weapons, items, classification_codes`

const incidentForceCount = 15

var insertForceSQL = `INSERT INTO incident_forces (` + incidentForceColumns + `) VALUES (` + placeholders(1, incidentForceCount) + `)`

// forceRows are an incident's incident_forces rows: one per country whose
// forces it is attributed to (exportctl.AttributedForces), with what the
// exposure engine reads of it, redacted.
func forceRows(id int64, inc *exportctl.Incident) [][]any {
	forces := exportctl.AttributedForces(inc.Actors)
	if len(forces) == 0 {
		return nil
	}
	shown := exportctl.Incident{Redacted: inc.Redacted, Place: inc.Place, Latitude: inc.Latitude, Longitude: inc.Longitude}
	shown.Redact()
	var weapons, items []string
	for _, w := range inc.Weapons {
		for _, t := range []string{w.Reported, w.Item} {
			if t != "" {
				weapons = append(weapons, strings.ToLower(t))
			}
		}
		if w.ItemID != 0 {
			items = append(items, strconv.FormatInt(w.ItemID, 10))
		}
	}
	var out [][]any
	for _, f := range forces {
		out = append(out, []any{f.Country, inc.StartDate, id, f.Name, f.Confidence, inc.Country, inc.Admin1, shown.Place,
			nullFloat(shown.Latitude), nullFloat(shown.Longitude), inc.Target, inc.PrimaryLaunch(), strings.Join(weapons, "; "),
			strings.Join(items, ","), classificationCodes(inc)})
	}
	return out
}

// writeIncidentForces replaces an incident's incident_forces rows. The
// classifications are the register's (an import does not change them),
// so they are taken from the incident as stored.
func writeIncidentForces(ctx context.Context, tx *sql.Tx, id int64, inc *exportctl.Incident) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM incident_forces WHERE incident_id = $1`, id); err != nil {
		return err
	}
	for _, r := range forceRows(id, inc) {
		if _, err := tx.ExecContext(ctx, insertForceSQL, r...); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `UPDATE incident_forces SET classification_codes = (SELECT classification_codes FROM incidents WHERE id = $1)
		WHERE incident_id = $1`, id)
	return err
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
		rows, err := tx.QueryContext(ctx, `SELECT id, start_date, country, admin1, place, latitude, longitude, redacted, target,
			actors, weapons, classifications FROM incidents WHERE state_forces = 1 ORDER BY id`)
		if err != nil {
			return err
		}
		var pending [][]any
		for rows.Next() {
			var inc exportctl.Incident
			var lat, lon sql.NullFloat64
			var redacted int
			var actors, weapons, classifications string
			if err := rows.Scan(&inc.ID, &inc.StartDate, &inc.Country, &inc.Admin1, &inc.Place, &lat, &lon, &redacted, &inc.Target,
				&actors, &weapons, &classifications); err != nil {
				rows.Close()
				return err
			}
			if lat.Valid && lon.Valid {
				inc.Latitude, inc.Longitude = &lat.Float64, &lon.Float64
			}
			inc.Redacted = redacted == 1
			for _, part := range []struct {
				text string
				into any
			}{{actors, &inc.Actors}, {weapons, &inc.Weapons}, {classifications, &inc.Classifications}} {
				if err := json.Unmarshal([]byte(part.text), part.into); err != nil {
					rows.Close()
					return fmt.Errorf("incident %d: %w", inc.ID, err)
				}
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
