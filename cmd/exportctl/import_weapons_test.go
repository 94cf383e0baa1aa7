package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func sharedDataFile(t *testing.T, rel string) string {
	t.Helper()
	dir := os.Getenv("EXPORTCTL_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	file := filepath.Join(dir, rel)
	if _, err := os.Stat(file); err != nil {
		t.Skip("shared data absent: " + file)
	}
	return file
}

func TestImportSIPRI(t *testing.T) {
	file := sharedDataFile(t, "sipri/trade-register-recipient-israel.csv")
	vars := map[string]string{"EXPORTCTL_DB": filepath.Join(t.TempDir(), "x.db")}
	code, out, errOut := runCLI(t, vars, "", "import", "sipri", file)
	if code != 0 || !strings.Contains(out, "read 278, new 278, updated 0, unchanged 0, rejected 0") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	if !strings.Contains(out, "name no item of the weapon graph") || !strings.Contains(out, "vehicle engine") {
		t.Errorf("unlinked deliveries not listed: %q", out)
	}
	code, out, _ = runCLI(t, vars, "", "import", "sipri", file)
	if code != 0 || !strings.Contains(out, "read 278, new 0, updated 0, unchanged 278, rejected 0") {
		t.Errorf("re-import: %d %q", code, out)
	}
	// A file of the wrong kind fails at once.
	wrong := sharedDataFile(t, "caat-uk/ratings.csv")
	if code, _, errOut := runCLI(t, vars, "", "import", "sipri", wrong); code != 1 || !strings.Contains(errOut, "not a SIPRI trade register") {
		t.Errorf("wrong file: %d %q", code, errOut)
	}
}

func TestImportCAAT(t *testing.T) {
	file := sharedDataFile(t, "caat-uk/values-2008-2015.csv")
	read, imported, rejected := 96311, 95600, 711
	if raceEnabled {
		// The first 2,001 lines: 2,000 rows, of which these are rejected.
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.SplitAfterN(string(data), "\n", 2002)
		file = filepath.Join(t.TempDir(), "part.csv")
		os.WriteFile(file, []byte(strings.Join(lines[:2001], "")), 0o644)
		read, rejected = 2000, strings.Count(strings.Join(lines[:2001], ""), "Channel Islands")+strings.Count(strings.Join(lines[:2001], ""), "Continental Shelf")+strings.Count(strings.Join(lines[:2001], ""), "French Overseas")+strings.Count(strings.Join(lines[:2001], ""), "Netherlands Antilles")
		imported = read - rejected
	}
	vars := map[string]string{"EXPORTCTL_DB": filepath.Join(t.TempDir(), "x.db")}
	start := time.Now()
	code, out, errOut := runCLI(t, vars, "", "import", "caat", file)
	t.Logf("import caat (%d rows) took %s", read, time.Since(start).Round(time.Millisecond))
	// Rows that name no single country ("Channel Islands", ...) are reported
	// with their lines, the rest imported, exit 1 without --allow-rejects.
	want := fmt.Sprintf("read %d, new %d, updated 0, unchanged 0, rejected %d", read, imported, rejected)
	if code != 1 || !strings.Contains(out, want) {
		t.Fatalf("import: %d %q, want %q", code, out, want)
	}
	if n := strings.Count(errOut, ": rejected line "); n != rejected || !strings.Contains(errOut, `rejected line 38: country: "Channel Islands"`) {
		t.Errorf("%d rejects reported: %.300s", n, errOut)
	}
	code, out, _ = runCLI(t, vars, "", "import", "--allow-rejects", "caat", file)
	if want := fmt.Sprintf("read %d, new 0, updated 0, unchanged %d, rejected %d", read, imported, rejected); code != 0 || !strings.Contains(out, want) {
		t.Errorf("re-import: %d %q", code, out)
	}
	// A row that disagrees with its licence group is rejected with its line.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("licence_group,date,rating,count,value,country,refused\n1,2014-01-01,ML10,1,100,Israel,0\n1,2014-01-02,ML4,1,100,Israel,0\n2,2014-01-01,ML1,1,,Narnia,1\n"), 0o644)
	vars["EXPORTCTL_DB"] = filepath.Join(t.TempDir(), "y.db")
	code, out, errOut = runCLI(t, vars, "", "import", "caat", bad)
	if code != 1 || !strings.Contains(out, "read 3, new 1, updated 0, unchanged 0, rejected 2") ||
		!strings.Contains(errOut, "rejected line 3: licence_group 1: date, country or refused differs from the group's row at line 2") ||
		!strings.Contains(errOut, "rejected line 4: country") {
		t.Errorf("bad file: %d %q %q", code, out, errOut)
	}
}
