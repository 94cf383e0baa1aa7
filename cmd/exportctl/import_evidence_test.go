package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

func evidenceDataFile(t *testing.T, rel string) string {
	t.Helper()
	dir := os.Getenv("EXPORTCTL_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	path := filepath.Join(dir, rel)
	if _, err := os.Stat(path); err != nil {
		t.Skip("shared data absent: " + path)
	}
	return path
}

func TestImportIncidents(t *testing.T) {
	sind := evidenceDataFile(t, "insecurity-insight/attacks-on-health-care-2016-2023.csv")
	awsd := evidenceDataFile(t, "awsd/aid-worker-security-incidents.csv")
	acled := evidenceDataFile(t, "acled/acled-sample-2022.csv")
	db := filepath.Join(t.TempDir(), "x.db")
	vars := map[string]string{"EXPORTCTL_DB": db}

	// SiND: 8,862 rows, 10 rejected (2 without a country, 8 empty), exit 1.
	code, out, errOut := runCLI(t, vars, "", "import", "sind", sind)
	if code != 1 || !strings.Contains(out, "read 8862, new 8852, updated 0, unchanged 0, rejected 10") {
		t.Fatalf("sind: %d %q %q", code, out, errOut)
	}
	if n := strings.Count(errOut, "attacks-on-health-care-2016-2023.csv: rejected line "); n != 10 ||
		!strings.Contains(errOut, `rejected line 6173: Country ISO is empty and Country: unknown country "Unspecified"`) ||
		!strings.Contains(errOut, "rejected line 9319: empty row") {
		t.Errorf("sind rejects (%d): %q", n, errOut)
	}
	// Again: nothing changes; --allow-rejects exits 0.
	code, out, _ = runCLI(t, vars, "", "import", "--allow-rejects", "sind", sind)
	if code != 0 || !strings.Contains(out, "read 8862, new 0, updated 0, unchanged 8852, rejected 10") {
		t.Errorf("sind again: %d %q", code, out)
	}

	code, out, errOut = runCLI(t, vars, "", "import", "awsd", awsd)
	if code != 1 || !strings.Contains(out, "read 4954, new 4946, updated 0, unchanged 0, rejected 8") || !strings.Contains(errOut, "rejected line 2767:") {
		t.Errorf("awsd: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, vars, "", "import", "awsd", "--allow-rejects", awsd)
	if code != 0 || !strings.Contains(out, "new 0, updated 0, unchanged 4946, rejected 8") {
		t.Errorf("awsd again: %d %q", code, out)
	}

	code, out, errOut = runCLI(t, vars, "", "import", "acled", acled)
	if code != 0 || !strings.Contains(out, "read 326, new 326, updated 0, unchanged 0, rejected 0") || errOut != "" {
		t.Errorf("acled: %d %q %q", code, out, errOut)
	}

	// A file of another source fails at once, naming what it wanted.
	code, _, errOut = runCLI(t, vars, "", "import", "acled", awsd)
	if code != 1 || !strings.Contains(errOut, "this is not an ACLED export: missing columns") {
		t.Errorf("awsd as acled: %d %q", code, errOut)
	}

	// The dataset comes from the file name; the register holds them all.
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	counts, err := s.IncidentCounts(context.Background(), exportctl.System, exportctl.IncidentFilter{}, "source")
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, c := range counts {
		got[c.Key] = c.Count
	}
	if len(got) != 3 || got["sind-health"] != 8852 || got["awsd"] != 4946 || got["acled"] != 326 {
		t.Errorf("sources = %v", got)
	}
}

func TestSiNDDataset(t *testing.T) {
	for name, want := range map[string]string{
		"attacks-on-health-care-2016-2023.csv": "health", "2024-aid-worker-kka.csv": "aid-workers", "Education-incidents.csv": "education",
		"explosive-weapons.csv": "explosive-weapons", "incidents.csv": "",
	} {
		if got := sindDataset(name); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
	}
}

// --bulk on loads with the indexes built once at the end: the same rows,
// the indexes back, nothing left deferred; a bad value is a usage error.
func TestImportBulk(t *testing.T) {
	sind := evidenceDataFile(t, "insecurity-insight/attacks-on-health-care-2016-2023.csv")
	db := filepath.Join(t.TempDir(), "x.db")
	vars := map[string]string{"EXPORTCTL_DB": db}
	code, out, errOut := runCLI(t, vars, "", "import", "--bulk", "on", "--allow-rejects", "sind", sind)
	if code != 0 || !strings.Contains(out, "read 8862, new 8852, updated 0, unchanged 0, rejected 10") {
		t.Fatalf("bulk sind: %d %q %q", code, out, errOut)
	}
	s, err := store.Open(context.Background(), db, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var indexes, deferred int
	s.DB().QueryRow(`SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'incidents' AND type IN ('index', 'trigger')`).Scan(&indexes)
	s.DB().QueryRow(`SELECT COUNT(*) FROM incident_load`).Scan(&deferred)
	if indexes < 10 || deferred != 0 {
		t.Errorf("after the load: %d indexes and triggers on incidents, %d deferred", indexes, deferred)
	}
	p, err := s.Incidents(context.Background(), exportctl.System, exportctl.IncidentFilter{Text: "hospital", Limit: 1})
	if err != nil || p.Total == 0 {
		t.Errorf("text search after the load: %v %d", err, p.Total)
	}

	code, _, errOut = runCLI(t, vars, "", "import", "--bulk", "maybe", "sind", sind)
	if code != 2 || !strings.Contains(errOut, `--bulk: "maybe" is not auto, on or off`) {
		t.Errorf("--bulk maybe: %d %q", code, errOut)
	}
}

// --bulk auto loads a file that looks larger than the register and at
// least bulkLoadMinRows rows; smaller files go in batches.
func TestBulkLoadAuto(t *testing.T) {
	s, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "x.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	big := int64(bulkLoadMinRows * bulkRowBytes)
	for _, c := range []struct {
		in   importInput
		want bool
	}{
		{importInput{bulk: "auto", size: big}, true},
		{importInput{bulk: "auto", size: big - bulkRowBytes}, false},
		{importInput{bulk: "auto", size: -1}, false},
		{importInput{bulk: "off", size: 100 * big}, false},
		{importInput{bulk: "on", size: 10}, true},
	} {
		if got, err := bulkLoad(context.Background(), s, c.in); err != nil || got != c.want {
			t.Errorf("%+v: %v %v, want %v", c.in, got, err, c.want)
		}
	}
}
