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
	changed := editedACLED(t, orig, "zanzibarword")
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

// editedACLED copies the ACLED sample with the first row's notes replaced
// by word.
func editedACLED(t *testing.T, path, word string) string {
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
	notes := slices.Index(rows[0], "notes")
	rows[1][notes] = "Edited: " + word
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
		whole := storetest.Open(t, s.Engine(), nil)
		importFile(t, whole, "awsd", sharedFile(t, awsdFile))
		importFile(t, whole, "sind", path)
		if s1, s2 := searchTotals(t, whole), searchTotals(t, s); !slices.Equal(s1, s2) {
			t.Fatalf("search totals: imported %v, stopped load finished %v", s1, s2)
		}
	})
}
