package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runCLI runs a command line in-process against the given environment.
func runCLI(t *testing.T, vars map[string]string, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb, getenv: func(k string) string { return vars[k] }}
	code = run(context.Background(), e, args)
	return code, out.String(), errb.String()
}

func TestUserAddPrintsTokenOnLastLine(t *testing.T) {
	vars := map[string]string{"EXPORTCTL_DB": filepath.Join(t.TempDir(), "x.db")}
	code, out, errOut := runCLI(t, vars, "a long passphrase\n", "user", "add", "alice", "--role", "exporter", "--org", "Example Aerospace Ltd", "--password-stdin")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	if !strings.HasPrefix(token, "ectl_") || strings.Contains(token, " ") {
		t.Fatalf("last line is not a token: %q", token)
	}
	if !strings.Contains(errOut, `created exporter organisation "Example Aerospace Ltd"`) {
		t.Errorf("stderr = %q", errOut)
	}
	code, out, _ = runCLI(t, vars, "", "user", "list")
	if code != 0 || !strings.Contains(out, "alice") || !strings.Contains(out, "Example Aerospace Ltd") {
		t.Errorf("user list: %d %q", code, out)
	}
	// The password works for signing in: checked through the store by the
	// store tests; here the CLI must refuse bad input with status 2 or 1.
	if code, _, errOut := runCLI(t, vars, "", "user", "add", "bob", "--role", "wizard"); code != 2 || !strings.Contains(errOut, "wizard") {
		t.Errorf("unknown role: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, vars, "", "user", "add", "alice", "--role", "admin"); code != 1 || !strings.Contains(errOut, "taken") {
		t.Errorf("duplicate user: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, vars, "", "user", "add", "carol", "--role", "adviser"); code != 1 || !strings.Contains(errOut, "team") {
		t.Errorf("adviser without team: %d %q", code, errOut)
	}
}

func TestMigrateVersionAndUsage(t *testing.T) {
	vars := map[string]string{"EXPORTCTL_DB": filepath.Join(t.TempDir(), "x.db")}
	if code, out, errOut := runCLI(t, vars, "", "migrate"); code != 0 || !strings.Contains(out, "sqlite") {
		t.Errorf("migrate: %d %q %q", code, out, errOut)
	}
	if code, out, _ := runCLI(t, vars, "", "migrate"); code != 0 || !strings.Contains(out, "applied 0") {
		t.Errorf("second migrate: %d %q", code, out)
	}
	if code, out, _ := runCLI(t, vars, "", "version"); code != 0 || !strings.HasPrefix(out, "exportctl ") {
		t.Errorf("version: %d %q", code, out)
	}
	if code, _, errOut := runCLI(t, vars, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: %d %q", code, errOut)
	}
	if code, _, _ := runCLI(t, vars, ""); code != 2 {
		t.Errorf("no command: %d", code)
	}
}

func TestImportCAATRatings(t *testing.T) {
	dir := os.Getenv("EXPORTCTL_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	file := filepath.Join(dir, "caat-uk", "ratings.csv")
	if _, err := os.Stat(file); err != nil {
		t.Skip("shared data absent: " + file)
	}
	vars := map[string]string{"EXPORTCTL_DB": filepath.Join(t.TempDir(), "x.db")}
	code, out, errOut := runCLI(t, vars, "", "import", "caat-ratings", file)
	if code != 0 {
		t.Fatalf("import: %d %s %s", code, out, errOut)
	}
	if !strings.Contains(out, "read 317, new 317, updated 0, unchanged 0, rejected 0") {
		t.Errorf("summary = %q", out)
	}
	code, out, _ = runCLI(t, vars, "", "import", "caat-ratings", file)
	if code != 0 || !strings.Contains(out, "new 0, updated 0, unchanged 317") {
		t.Errorf("re-import = %d %q", code, out)
	}
	// A file of the wrong kind fails at once, naming the columns it wanted.
	wrong := filepath.Join(dir, "caat-uk", "values-2008-2015.csv")
	code, _, errOut = runCLI(t, vars, "", "import", "caat-ratings", wrong)
	if code != 1 || !strings.Contains(errOut, "missing columns") || !strings.Contains(errOut, "rating") {
		t.Errorf("wrong file: %d %q", code, errOut)
	}
	// A bad row is reported with its line number, the rest imported, exit 1.
	bad := filepath.Join(t.TempDir(), "bad.csv")
	os.WriteFile(bad, []byte("rating,military,short_description,full_description\nML99x,1,Test,\n,1,Empty,\nQQ1,maybe,Odd,\n"), 0o644)
	code, out, errOut = runCLI(t, vars, "", "import", "caat-ratings", bad)
	if code != 1 || !strings.Contains(errOut, "line 3: rating is empty") || !strings.Contains(errOut, "line 4: military must be 0 or 1") || !strings.Contains(out, "rejected 2") {
		t.Errorf("bad rows: %d %q %q", code, out, errOut)
	}
	if code, _, _ := runCLI(t, vars, "", "import", "--allow-rejects", "caat-ratings", bad); code != 0 {
		t.Errorf("--allow-rejects: exit %d", code)
	}
}
