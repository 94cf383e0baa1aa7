package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// A load (LoadIncidents) defers the incidents' search indexes and the
// trigger that feeds new rows to the full-text index: it drops them and
// notes their definitions in incident_load, in one transaction, and
// FinishIncidentLoad builds them again, in one transaction, once the rows
// are written. Between the two the register is consistent (searches scan
// instead of seeking; text searches miss the new rows), and whoever
// finishes first (the load, a later import, serve) finishes for all.

// deferIncidentIndexes drops the incidents' secondary indexes and the
// full-text insert trigger, noting them in incident_load with the highest
// incident id (the rows above it are new to the full-text index). Nothing
// when an unfinished load has already deferred them. The trigger that
// follows updates stays: rows a load changes are indexed. On PostgreSQL
// the drop waits for the queries running on incidents and holds others
// back only while it commits; the builds at the end hold back writers,
// not readers.
func (s *Store) deferIncidentIndexes(ctx context.Context) error {
	// The indexes to defer, as (type, name, definition): on PostgreSQL
	// every index of incidents but its primary key (the text index is one
	// of them: there is no trigger).
	objects := `SELECT type, name, sql FROM sqlite_master
			WHERE tbl_name = 'incidents' AND sql IS NOT NULL AND (type = 'index' OR name = 'incidents_fts_insert')`
	if s.dialect.isPostgres() {
		objects = `SELECT 'index', indexname, indexdef FROM pg_indexes
			WHERE schemaname = current_schema() AND tablename = 'incidents' AND indexname <> 'incidents_pkey'`
	}
	return s.tx(ctx, "incidents.load", func(tx *sql.Tx) error {
		var pending int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM incident_load`).Scan(&pending); err != nil || pending > 0 {
			return err
		}
		var fromID int64
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(id), 0) FROM incidents`).Scan(&fromID); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, objects)
		if err != nil {
			return err
		}
		type object struct{ typ, name, sql string }
		var objects []object
		for rows.Next() {
			var o object
			if err := rows.Scan(&o.typ, &o.name, &o.sql); err != nil {
				rows.Close()
				return err
			}
			objects = append(objects, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, o := range objects {
			if _, err := tx.ExecContext(ctx, `INSERT INTO incident_load (name, definition, from_id) VALUES ($1, $2, $3)`, o.name, o.sql, fromID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `DROP `+strings.ToUpper(o.typ)+` `+o.name); err != nil {
				return err
			}
		}
		return nil
	})
}

// FinishIncidentLoad builds what a load deferred, in one transaction: the
// indexes (stage "indexing NAME" before each), the full-text index of the
// rows added since the load began (as the trigger would have: a redacted
// place is not indexed), and the trigger. Nothing to do is quick: one
// lookup. After a build the write-ahead log, which holds every new index
// page, is copied into the database and emptied.
func (s *Store) FinishIncidentLoad(ctx context.Context, stage func(string)) error {
	if stage == nil {
		stage = func(string) {}
	}
	var pending int
	if err := s.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM incident_load`).Scan(&pending); err != nil || pending == 0 {
		return err
	}
	built := false
	if !s.dialect.isPostgres() {
		// Sort through temporary files, not memory (a million-row sort held
		// every run in RAM at once), in runs of 8 MB sorted by two threads
		// and merged: about twice as fast on two cores as one sort in the
		// page cache's 64 MB. The writer's settings come back after.
		defer s.writerPragmas(ctx, map[string]string{"temp_store": "FILE", "threads": "2", "cache_size": "-8192"})()
	}
	err := s.tx(ctx, "incidents.load", func(tx *sql.Tx) error {
		rows, err := tx.QueryContext(ctx, `SELECT name, definition, from_id FROM incident_load ORDER BY name`)
		if err != nil {
			return err
		}
		type deferred struct {
			name, definition string
			fromID           int64
		}
		var all []deferred
		for rows.Next() {
			var d deferred
			if err := rows.Scan(&d.name, &d.definition, &d.fromID); err != nil {
				rows.Close()
				return err
			}
			all = append(all, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(all) == 0 {
			return err
		}
		var trigger *deferred
		for i, d := range all {
			if strings.HasPrefix(d.definition, "CREATE TRIGGER") {
				trigger = &all[i]
				continue
			}
			stage("indexing " + d.name)
			if _, err := tx.ExecContext(ctx, strings.Replace(d.definition, "CREATE INDEX", "CREATE INDEX IF NOT EXISTS", 1)); err != nil {
				return fmt.Errorf("build index %s: %w", d.name, err)
			}
		}
		if trigger != nil {
			stage("indexing text")
			if _, err := tx.ExecContext(ctx, `INSERT INTO incidents_fts (rowid, narrative, place, perpetrator)
				SELECT id, narrative, CASE WHEN redacted = 1 THEN '' ELSE place END, perpetrator FROM incidents WHERE id > $1`, trigger.fromID); err != nil {
				return fmt.Errorf("index the text: %w", err)
			}
			if _, err := tx.ExecContext(ctx, trigger.definition); err != nil {
				return err
			}
		}
		built = true
		_, err = tx.ExecContext(ctx, `DELETE FROM incident_load`)
		return err
	})
	if err != nil || !built || s.dialect.isPostgres() {
		return err
	}
	// Best effort: a long reader makes the checkpoint wait or give up, and
	// the next one does the same work.
	s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return nil
}
