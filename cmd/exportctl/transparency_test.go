package main

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/ledger"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
	"github.com/exportctl/exportctl/internal/web"
)

func httpText(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return string(b)
}

// TestLedgerKeyRotation: after ledger rotate-key the running server signs
// with the new key, publishes both keys, and a checkpoint signed by the old
// key still proves the log only grew.
func TestLedgerKeyRotation(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "x.db")
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.PasswordParams = store.ArgonParams{Memory: 1024, Time: 1, Threads: 1}
	f := storetest.NewFixture(t, s)
	decide := func() {
		app, _ := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, "")
		storetest.DriveToDecision(t, s, f, app.ID, exportctl.DecisionInput{Outcome: "issued"})
	}
	decide()
	srv, err := web.New(s, web.Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	oldKey := strings.TrimSpace(httpText(t, ts.URL+"/log/key"))
	oldCP := filepath.Join(dir, "old.txt")
	os.WriteFile(oldCP, []byte(httpText(t, ts.URL+"/log/checkpoint")), 0o644)

	vars := map[string]string{"EXPORTCTL_DB": path}
	code, out, errOut := runCLI(t, vars, "", "ledger", "rotate-key")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	newKey := lines[len(lines)-1]
	if code != 0 || !strings.HasPrefix(newKey, store.DefaultLogOrigin+"+") || newKey == oldKey {
		t.Fatalf("rotate-key: %d %q %q", code, out, errOut)
	}
	decide()
	if got := strings.TrimSpace(httpText(t, ts.URL+"/log/key")); got != newKey {
		t.Errorf("/log/key = %q, want the new key", got)
	}
	if got := strings.Fields(httpText(t, ts.URL+"/log/keys")); len(got) != 2 || got[0] != newKey || got[1] != oldKey {
		t.Errorf("/log/keys = %q", got)
	}
	// The new checkpoint carries the new key's signature only.
	newV, _ := note.NewVerifier(newKey)
	oldV, _ := note.NewVerifier(oldKey)
	signed := []byte(httpText(t, ts.URL+"/log/checkpoint"))
	if cp, err := ledger.OpenCheckpoint(signed, newV); err != nil || cp.Size != 2 {
		t.Errorf("new checkpoint with the new key: %+v %v", cp, err)
	}
	if _, err := ledger.OpenCheckpoint(signed, oldV); err == nil {
		t.Error("the retired key still signs checkpoints")
	}

	code, out, errOut = runCLI(t, nil, "", "ledger", "verify", "--url", ts.URL, "--key", newKey, "--key", oldKey, "--checkpoint", oldCP)
	if code != 0 || !strings.Contains(out, "consistent with the checkpoint of size 1") || !strings.HasSuffix(strings.TrimSpace(out), "OK") {
		t.Errorf("verify with both keys: %d %q %q", code, out, errOut)
	}
	code, out, errOut = runCLI(t, nil, "", "ledger", "verify", "--url", ts.URL, "--checkpoint", oldCP)
	if code != 0 || !strings.Contains(errOut, "trusting the keys the server publishes") {
		t.Errorf("verify with the published keys: %d %q %q", code, out, errOut)
	}
	// Pinning only the retired key fails: it must not vouch for new checkpoints.
	if code, _, errOut = runCLI(t, nil, "", "ledger", "verify", "--url", ts.URL, "--key", oldKey); code == 0 || !strings.Contains(errOut, "signature") {
		t.Errorf("verify with the retired key alone: %d %q", code, errOut)
	}
	// Rotation is recorded, naming the public keys only.
	var summary string
	s.DB().QueryRow(`SELECT summary FROM audit_events WHERE action = 'log.rotate_key'`).Scan(&summary)
	if !strings.Contains(summary, newKey) || strings.Contains(summary, "PRIVATE") {
		t.Errorf("audit summary %q", summary)
	}
	if code, out, _ := runCLI(t, vars, "", "ledger", "verify"); code != 0 {
		t.Errorf("local verify after rotation: %d %q", code, out)
	}
}

func TestStatsPublishCommand(t *testing.T) {
	vars := map[string]string{"EXPORTCTL_DB": filepath.Join(t.TempDir(), "x.db")}
	code, out, errOut := runCLI(t, vars, "", "stats", "publish", "--period", "2015-Q1")
	if code != 0 || !strings.Contains(out, "statistics 2015-Q1 released: sha256 ") || !strings.Contains(out, "log index 0") {
		t.Fatalf("stats publish: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, vars, "", "stats", "publish", "--period", "2100-Q1"); code != 1 || !strings.Contains(errOut, "has not ended") {
		t.Errorf("a future period: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, vars, "", "stats", "publish"); code != 2 || !strings.Contains(errOut, "--period") {
		t.Errorf("no period: %d %q", code, errOut)
	}
	if code, out, _ := runCLI(t, vars, "", "ledger", "verify"); code != 0 || !strings.Contains(out, "1 entries checked") {
		t.Errorf("verify: %d %q", code, out)
	}
}
