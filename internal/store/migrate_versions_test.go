package store_test

import (
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// Migration 20 moves each incident's current version out of
// incident_versions into the incidents row: the history reads the same
// before and after, and only superseded versions stay in the table.
// Migration 22 moves the original source values out of the row.
func TestMigrationKeepsSupersededVersionsOnly(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			s, err := store.Open(ctx, storetest.DSN(t, engine), store.Options{NoMigrate: true})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.MigrateUpToForTest(ctx, 19); err != nil {
				t.Fatal(err)
			}
			db := s.DB()
			// An imported record an analyst then changed (two versions), as
			// the register stored it before: a version row for each.
			exec := func(q string, args ...any) {
				t.Helper()
				if _, err := db.Exec(q, args...); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			exec(`INSERT INTO incidents (id, source, source_id, start_date, country, target, verification, narrative, publishable, publish_decided, version, original, created_at, updated_at)
				VALUES (7, 'acled', 'SYR1', '2024-01-02', 'SY', 'hospital', 'unverified', 'An airstrike hit the hospital.', 1, 1, 2, '{"notes":"As read."}', '2025-01-01T00:00:00.000000Z', '2025-02-01T00:00:00.000000Z')`)
			exec(`INSERT INTO incident_sources (source, source_id, incident_id, row_hash, first_seen, last_seen) VALUES ('acled', 'SYR1', 7, 'h1', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z')`)
			exec(`INSERT INTO incident_versions (incident_id, version, data, row_hash, source, file, imported_at) VALUES
				(7, 1, '{"narrative":"An airstrike hit the hospital.","publishable":false}', 'h1', 'acled', 'acled-2025.csv', '2025-01-01T00:00:00.000000Z'),
				(7, 2, '{"narrative":"An airstrike hit the hospital.","publishable":true}', 'h2', 'analyst', '', '2025-02-01T00:00:00.000000Z')`)
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			var kept int
			var source, file string
			db.QueryRow(`SELECT COUNT(*) FROM incident_versions`).Scan(&kept)
			db.QueryRow(`SELECT version_source, version_file FROM incidents WHERE id = 7`).Scan(&source, &file)
			if kept != 1 || source != "analyst" || file != "" {
				t.Fatalf("after the migration: %d version rows, current version by %q from %q", kept, source, file)
			}
			vs, err := s.IncidentVersions(ctx, exportctl.Actor{Role: exportctl.RoleAnalyst, Name: "a"}, 7)
			if err != nil || len(vs) != 2 {
				t.Fatalf("versions: %v %+v", err, vs)
			}
			if vs[0].Version != 1 || vs[0].Source != "acled" || vs[0].File != "acled-2025.csv" || vs[0].Incident.Publishable ||
				vs[1].Version != 2 || vs[1].Source != "analyst" || !vs[1].Incident.Publishable || vs[1].ImportedAt.Month() != 2 {
				t.Errorf("versions after the migration: %+v", vs)
			}
			// Migration 22 moves the original values into their own table.
			if inc, err := s.Incident(ctx, exportctl.System, 7); err != nil || inc.Original["notes"] != "As read." {
				t.Errorf("original values after the migrations: %v %+v", err, inc)
			}
			if _, err := db.Exec(`DELETE FROM incident_versions`); err == nil {
				t.Error("incident_versions is no longer append-only")
			}
		})
	}
}
