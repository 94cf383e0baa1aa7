package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// incidentSchema lists the incidents table's indexes and triggers, which a
// load drops and must put back.
func incidentSchema(t *testing.T, s *store.Store) []string {
	t.Helper()
	q := `SELECT type || ' ' || name || ' ' || sql FROM sqlite_master WHERE tbl_name IN ('incidents', 'incidents_fts') AND sql IS NOT NULL ORDER BY name`
	if s.Engine() == "postgres" {
		q = `SELECT indexname || ' ' || indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'incidents' ORDER BY indexname`
	}
	rows, err := s.DB().Query(q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var v string
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if len(out) < 7 {
		t.Fatalf("only %d indexes and triggers on incidents: %v", len(out), out)
	}
	return out
}

// checkText fails unless the full-text index agrees with the incidents
// (SQLite's FTS5 integrity check compares it with its content table; the
// text index of PostgreSQL is an ordinary index).
func checkText(t *testing.T, s *store.Store) {
	t.Helper()
	if s.Engine() != "sqlite" {
		return
	}
	if _, err := s.DB().Exec(`INSERT INTO incidents_fts (incidents_fts, rank) VALUES ('integrity-check', 1)`); err != nil {
		t.Fatalf("the full-text index disagrees with the incidents: %v", err)
	}
}

// registerDigest is a hash of every incident's identity and searched
// columns, in source id order, and the count of each table a load writes.
func registerDigest(t *testing.T, s *store.Store) string {
	t.Helper()
	rows, err := s.DB().Query(`SELECT source, source_id, country, start_date, target, launch, verification, narrative, place, version
		FROM incidents ORDER BY source, source_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	h := sha256.New()
	n := 0
	for rows.Next() {
		var v [10]string
		if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7], &v[8], &v[9]); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(h, "%q\n", v)
		n++
	}
	var counts []int
	for _, table := range []string{"incident_sources", "incident_versions", "incident_forces"} {
		var c int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&c); err != nil {
			t.Fatal(err)
		}
		counts = append(counts, c)
	}
	return fmt.Sprintf("%d incidents %x, sources/versions/forces %v", n, h.Sum(nil), counts)
}

// searchTotals answers searches that use each of the rebuilt indexes.
func searchTotals(t *testing.T, s *store.Store) []int {
	t.Helper()
	var out []int
	for _, f := range []exportctl.IncidentFilter{
		{Text: "hospital"}, {Text: "ambulance"}, {Country: "SY"}, {Target: "hospital", From: "2020-01-01", To: "2021-12-31"},
		{Launch: "air"}, {Verification: "unverified"}, {BBox: &[4]float64{30, 30, 45, 40}},
	} {
		f.Limit = 1
		p, err := s.Incidents(ctx, exportctl.System, f)
		if err != nil {
			t.Fatalf("%+v: %v", f, err)
		}
		out = append(out, p.Total)
	}
	return out
}

// A load gives the register an import in batches gives (the same rows, the
// same answers from every index and the full text) and puts back every
// index and trigger it dropped; loading the file again changes nothing
// and drops nothing.
func TestLoadIncidentsMatchesImport(t *testing.T) {
	path := sharedFile(t, sindFile)
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			batched, loaded := storetest.Open(t, engine, nil), storetest.Open(t, engine, nil)
			schema := incidentSchema(t, loaded)
			want := importFile(t, batched, "sind", path)
			var stages []string
			got, err := loaded.LoadIncidents(ctx, exportctl.System, "sind", filepath.Base(path), reader(t, "sind", path, nil), func(n int, stage string) {
				if stage != "" {
					stages = append(stages, stage)
				}
			})
			if err != nil || got.ImportResult != want.ImportResult || got.New != 8852 {
				t.Fatalf("load: %v %+v, import %+v", err, got.ImportResult, want.ImportResult)
			}
			if engine == "sqlite" && (len(stages) < 7 || stages[len(stages)-1] != "indexing text") {
				t.Errorf("progress stages %v", stages)
			}
			checkText(t, loaded)
			if d1, d2 := registerDigest(t, batched), registerDigest(t, loaded); d1 != d2 {
				t.Fatalf("registers differ:\nbatches %s\nload    %s", d1, d2)
			}
			if s1, s2 := searchTotals(t, batched), searchTotals(t, loaded); !slices.Equal(s1, s2) || s1[0] == 0 || s1[2] == 0 {
				t.Fatalf("search totals differ: batches %v, load %v", s1, s2)
			}
			if after := incidentSchema(t, loaded); !slices.Equal(schema, after) {
				t.Fatalf("schema after the load:\n%s\nbefore:\n%s", strings.Join(after, "\n"), strings.Join(schema, "\n"))
			}
			// Loading records the register holds builds nothing.
			stages = nil
			again, err := loaded.LoadIncidents(ctx, exportctl.System, "sind", filepath.Base(path), reader(t, "sind", path, nil), func(n int, stage string) {
				if stage != "" {
					stages = append(stages, stage)
				}
			})
			if err != nil || again.Unchanged != 8852 || again.New != 0 || len(stages) != 0 {
				t.Fatalf("load again: %v %+v, stages %v", err, again.ImportResult, stages)
			}
			// New incidents added in batches after a load reach the
			// full-text index through the trigger the load put back.
			importFile(t, loaded, "awsd", sharedFile(t, awsdFile))
			importFile(t, batched, "awsd", sharedFile(t, awsdFile))
			if s1, s2 := searchTotals(t, batched), searchTotals(t, loaded); !slices.Equal(s1, s2) {
				t.Fatalf("after adding AWSD: batches %v, load %v", s1, s2)
			}
		})
	}
}

// A load over a register that holds the records updates the changed ones
// (their text leaves and enters the full-text index) and adds the new.
func TestLoadIncidentsUpdates(t *testing.T) {
	orig := sharedFile(t, acledFile)
	changed := editedACLED(t, orig, "zanzibarword", 1)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		importFile(t, s, "acled", orig)
		res, err := s.LoadIncidents(ctx, exportctl.System, "acled", "edited.csv", reader(t, "acled", changed, nil), nil)
		if err != nil || res.Updated != 1 || res.New != 0 || res.Unchanged != res.Read-1 {
			t.Fatalf("load of an edited file: %v %+v", err, res.ImportResult)
		}
		p, err := s.Incidents(ctx, exportctl.System, exportctl.IncidentFilter{Text: "zanzibarword"})
		if err != nil || p.Total != 1 || !strings.Contains(p.Items[0].Narrative, "zanzibarword") {
			t.Fatalf("search for the edited text: %v %+v", err, p)
		}
	})
}

// editedACLED copies the ACLED sample with the notes of one row (1 is the
// first after the header) replaced by word.
func editedACLED(t *testing.T, path, word string, row int) string {
	return editedCSV(t, path, "notes", row, "Edited: "+word)
}

// editedCSV copies a CSV file with one cell (column by header name, row 1
// the first after the header) replaced by value.
func editedCSV(t *testing.T, path, column string, row int, value string) string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows[row][slices.Index(rows[0], column)] = value
	out := filepath.Join(t.TempDir(), "edited.csv")
	w, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	cw := csv.NewWriter(w)
	cw.WriteAll(rows)
	if err := w.Close(); err != nil || cw.Error() != nil {
		t.Fatal(err, cw.Error())
	}
	return out
}

// A load stopped part-way (a crash, a cancellation) leaves whole batches
// and its deferred indexes noted; searches still answer (by scanning), and
// the next import builds the indexes and indexes the text, so the register
// ends as if the load had finished.
func TestLoadIncidentsStoppedIsFinishedLater(t *testing.T) {
	path := sharedFile(t, sindFile)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.SetLoadBatchForTest(store.ImportBatchSize)
		schema := incidentSchema(t, s)
		c, cancel := context.WithCancel(ctx)
		defer cancel()
		batches := 0
		_, err := s.LoadIncidents(c, exportctl.System, "sind", filepath.Base(path), reader(t, "sind", path, nil), func(int, string) {
			if batches++; batches == 2 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("load after a cancel: %v", err)
		}
		var incidents, deferred int
		s.DB().QueryRow(`SELECT COUNT(*) FROM incidents`).Scan(&incidents)
		s.DB().QueryRow(`SELECT COUNT(*) FROM incident_load`).Scan(&deferred)
		if incidents != 2*store.ImportBatchSize {
			t.Fatalf("after the stop: %d incidents", incidents)
		}
		// Seven indexes and the text trigger (SQLite) or index (PostgreSQL).
		if deferred != 8 {
			t.Fatalf("%d indexes and triggers noted as deferred, want 8", deferred)
		}
		p, err := s.Incidents(ctx, exportctl.System, exportctl.IncidentFilter{Country: "SY", From: "2016-01-01", Text: "hospital", Limit: 5})
		if err != nil || p.Total == 0 || len(p.Items) != 5 {
			t.Fatalf("search without the indexes: %v %+v", err, p.Total)
		}
		// Any import finishes the load; the re-run adds the rest.
		importFile(t, s, "awsd", sharedFile(t, awsdFile))
		if after := incidentSchema(t, s); !slices.Equal(schema, after) {
			t.Fatalf("schema after the next import:\n%s\nbefore:\n%s", strings.Join(after, "\n"), strings.Join(schema, "\n"))
		}
		res, err := s.LoadIncidents(ctx, exportctl.System, "sind", filepath.Base(path), reader(t, "sind", path, nil), nil)
		if err != nil || res.New != 8852-2*store.ImportBatchSize || res.Unchanged != 2*store.ImportBatchSize {
			t.Fatalf("re-run: %v %+v", err, res.ImportResult)
		}
		checkText(t, s)
		whole := storetest.Open(t, s.Engine(), nil)
		importFile(t, whole, "awsd", sharedFile(t, awsdFile))
		importFile(t, whole, "sind", path)
		if s1, s2 := searchTotals(t, whole), searchTotals(t, s); !slices.Equal(s1, s2) {
			t.Fatalf("search totals: imported %v, stopped load finished %v", s1, s2)
		}
	})
}

// A load stopped after deferring leaves rows the full-text index does not
// hold yet; a load of a newer file that changes them must not ask the
// index to forget text it never had (FTS5 would corrupt): the pending
// load is finished before anything is written.
func TestLoadAfterStoppedLoadUpdatesSafely(t *testing.T) {
	orig := sharedFile(t, acledFile)
	changed := editedACLED(t, orig, "zanzibarword", 150) // in the second batch: written after the indexes were deferred
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.SetLoadBatchForTest(100)
		c, cancel := context.WithCancel(ctx)
		defer cancel()
		batches := 0
		_, err := s.LoadIncidents(c, exportctl.System, "acled", "first.csv", reader(t, "acled", orig, nil), func(int, string) {
			if batches++; batches == 3 {
				cancel()
			}
		})
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("stopped load: %v", err)
		}
		res, err := s.LoadIncidents(ctx, exportctl.System, "acled", "edited.csv", reader(t, "acled", changed, nil), nil)
		if err != nil || res.Updated != 1 {
			t.Fatalf("load of the edited file: %v %+v", err, res.ImportResult)
		}
		checkText(t, s)
		p, err := s.Incidents(ctx, exportctl.System, exportctl.IncidentFilter{Text: "zanzibarword"})
		if err != nil || p.Total != 1 {
			t.Fatalf("search for the edited text: %v %d", err, p.Total)
		}
	})
}

// An import that would change records a load in another process wrote
// after deferring the text index is refused with a conflict, before it
// changes them; once the load has finished it goes through.
func TestImportRefusesRecordsOfALoadInProgress(t *testing.T) {
	path := sharedFile(t, sindFile)
	changed := editedCSV(t, path, "Event Description", 5000, "Edited: zanzibarword")
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		importFile(t, s, "sind", path)
		batches := 0
		_, err := s.ImportIncidents(ctx, exportctl.System, "sind", "edited.csv", reader(t, "sind", changed, nil), func(int, string) {
			if batches++; batches == 1 { // the other process's load defers its indexes now
				if _, err := s.DB().Exec(`INSERT INTO incident_load (name, definition, from_id) VALUES ('incidents_marker', 'CREATE INDEX incidents_marker ON incidents(id)', 0)`); err != nil {
					t.Fatal(err)
				}
			}
		})
		if exportctl.ErrorCode(err) != exportctl.EConflict || !strings.Contains(err.Error(), "a bulk load is writing these records") {
			t.Fatalf("import during a load: %v", err)
		}
		if _, err := s.DB().Exec(`DELETE FROM incident_load`); err != nil { // the load finished
			t.Fatal(err)
		}
		res, err := s.ImportIncidents(ctx, exportctl.System, "sind", "edited.csv", reader(t, "sind", changed, nil), nil)
		if err != nil || res.Updated != 1 {
			t.Fatalf("import after the load: %v %+v", err, res.ImportResult)
		}
		checkText(t, s)
	})
}

// A load whose file fails part-way keeps its whole batches and still
// builds the indexes it deferred before it returns the error.
func TestLoadIncidentsFailedFileStillIndexes(t *testing.T) {
	path := sharedFile(t, sindFile)
	failing := errors.New("the file ends in the middle of a row")
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.SetLoadBatchForTest(1000)
		schema := incidentSchema(t, s)
		read := reader(t, "sind", path, nil)
		res, err := s.LoadIncidents(ctx, exportctl.System, "sind", filepath.Base(path), func(emit func(exportctl.Incident, int) error) error {
			n := 0
			return read(func(inc exportctl.Incident, line int) error {
				if n++; n > 3500 {
					return failing
				}
				return emit(inc, line)
			})
		}, nil)
		if !errors.Is(err, failing) || res.New != 3000 {
			t.Fatalf("load of a failing file: %v %+v", err, res.ImportResult)
		}
		var deferred int
		s.DB().QueryRow(`SELECT COUNT(*) FROM incident_load`).Scan(&deferred)
		if after := incidentSchema(t, s); deferred != 0 || !slices.Equal(schema, after) {
			t.Fatalf("after the failure: %d deferred, schema\n%s", deferred, strings.Join(after, "\n"))
		}
		checkText(t, s)
	})
}
