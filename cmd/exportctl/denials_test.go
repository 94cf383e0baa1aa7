package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestImportDenials(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{"EXPORTCTL_DB": filepath.Join(dir, "x.db")}
	good := filepath.Join(dir, "denials.csv")
	os.WriteFile(good, []byte(`reference,name,address,country,item description,end use,reason,date
UK/2025/001,Example Air Force Ltd.,"1 Runway Road
Tel Aviv",IL,Landing gear actuators,spares for F-16 fleet,Criterion 2c,2025-03-01
UK/2025/002,Harbour Police,,Israel,Riot shields,crowd control,Criterion 2,15/06/2024
`), 0o644)
	code, out, errOut := runCLI(t, vars, "", "import", "denials", good)
	if code != 0 || !strings.Contains(out, "read 2, new 2, updated 0, unchanged 0, rejected 0") {
		t.Fatalf("import: %d %q %q", code, out, errOut)
	}
	// Re-importing the same file changes nothing.
	code, out, _ = runCLI(t, vars, "", "import", "denials", good)
	if code != 0 || !strings.Contains(out, "read 2, new 0, updated 0, unchanged 2, rejected 0") {
		t.Errorf("re-import: %d %q", code, out)
	}
	// Bad rows are reported with their line numbers, the rest imported, exit 1.
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("reference,name,address,country,item description,end use,reason\nB1,Somebody,,XX,Rifles,hunting,7\n,Nobody,,GB,Radios,,7\nB3,Fine,,FR,Radars,,1\n"), 0o644)
	code, out, errOut = runCLI(t, vars, "", "import", "denials", bad)
	if code != 1 || !strings.Contains(out, "read 3, new 1, updated 0, unchanged 0, rejected 2") ||
		!strings.Contains(errOut, "bad.csv: rejected line 2: country") || !strings.Contains(errOut, "rejected line 3: reference: a reference is required") {
		t.Errorf("bad rows: %d %q %q", code, out, errOut)
	}
	if code, out, _ := runCLI(t, vars, "", "import", "--allow-rejects", "denials", bad); code != 0 || !strings.Contains(out, "unchanged 1, rejected 2") {
		t.Errorf("--allow-rejects: exit %d %q", code, out)
	}
	// A file of the wrong kind fails at once, naming the columns it wanted.
	wrong := filepath.Join(dir, "ratings.csv")
	os.WriteFile(wrong, []byte("rating,military,short_description\nML1,1,x\n"), 0o644)
	if code, _, errOut := runCLI(t, vars, "", "import", "denials", wrong); code != 1 || !strings.Contains(errOut, "missing columns reference, name") {
		t.Errorf("wrong file: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, vars, "", "import", "refusals", good); code != 2 || !strings.Contains(errOut, "denials") {
		t.Errorf("unknown source: %d %q", code, errOut)
	}
}
