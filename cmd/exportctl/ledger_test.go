package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

func TestLedgerVerifyNamesDirectEdits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.PasswordParams = store.ArgonParams{Memory: 1024, Time: 1, Threads: 1}
	f := storetest.NewFixture(t, s)
	app, _ := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
	s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, "")
	storetest.DriveToDecision(t, s, f, app.ID, exportctl.DecisionInput{Outcome: "issued"})
	s.Close()
	vars := map[string]string{"EXPORTCTL_DB": path}
	code, out, errOut := runCLI(t, vars, "", "ledger", "verify")
	if code != 0 || !strings.Contains(out, "1 entries checked") || !strings.HasSuffix(strings.TrimSpace(out), "OK") {
		t.Fatalf("verify: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, vars, "", "ledger", "checkpoint")
	if code != 0 || !strings.HasPrefix(out, store.DefaultLogOrigin+"\n1\n") || !strings.Contains(out, "\n— ") {
		t.Errorf("checkpoint: %d %q", code, out)
	}
	s, _ = store.Open(ctx, path, store.Options{})
	s.DB().Exec(`UPDATE applications SET destination = 'GB'`)
	s.Close()
	code, out, _ = runCLI(t, vars, "", "ledger", "verify")
	if code != 1 || !strings.Contains(out, "MISMATCH decision 1: the row no longer matches its leaf: destination was \"IL\", is \"GB\"") {
		t.Errorf("after a direct edit: %d %q", code, out)
	}
}

func TestTickCommand(t *testing.T) {
	vars := map[string]string{"EXPORTCTL_DB": filepath.Join(t.TempDir(), "x.db")}
	code, out, errOut := runCLI(t, vars, "", "tick", "--now", "2030-01-01T00:00:00Z")
	if code != 0 || !strings.Contains(out, "tick at 2030-01-01T00:00:00Z: 0 licence(s) expired") {
		t.Errorf("tick: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, vars, "", "tick", "--now", "tomorrow"); code != 2 || !strings.Contains(errOut, "--now") {
		t.Errorf("bad --now: %d %q", code, errOut)
	}
}
