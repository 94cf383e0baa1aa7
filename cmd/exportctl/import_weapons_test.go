package main

import (
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
	vars := map[string]string{"EXPORTCTL_DB": filepath.Join(t.TempDir(), "x.db")}
	start := time.Now()
	code, out, errOut := runCLI(t, vars, "", "import", "caat", file)
	t.Logf("import caat (96,311 rows) took %s", time.Since(start).Round(time.Millisecond))
	// 711 rows name no single country ("Channel Islands", ...): reported
	// with their lines, the rest imported, exit 1 without --allow-rejects.
	if code != 1 || !strings.Contains(out, "read 96311, new 95600, updated 0, unchanged 0, rejected 711") {
		t.Fatalf("import: %d %q", code, out)
	}
	if n := strings.Count(errOut, ": rejected line "); n != 711 || !strings.Contains(errOut, `rejected line 38: country: "Channel Islands"`) {
		t.Errorf("%d rejects reported: %.300s", n, errOut)
	}
	code, out, _ = runCLI(t, vars, "", "import", "--allow-rejects", "caat", file)
	if code != 0 || !strings.Contains(out, "read 96311, new 0, updated 0, unchanged 95600, rejected 711") {
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
