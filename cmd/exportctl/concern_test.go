package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/concern"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// TestConcernCLI: keygen makes a keyring once; a concern submitted with it
// gets a receipt that verify-receipt accepts with the published key and
// the content, and refuses with other content or another key; tick --now
// escalates a concern nobody acknowledged.
func TestConcernCLI(t *testing.T) {
	dir := t.TempDir()
	keyFile := filepath.Join(dir, "concerns.key")
	code, out, errOut := runCLI(t, nil, "", "concern", "keygen", "--out", keyFile)
	if code != 0 || !strings.Contains(out, "exportctl-concerns+") {
		t.Fatalf("keygen: %d %s %s", code, out, errOut)
	}
	if fi, err := os.Stat(keyFile); err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("keyring file: %v %v", fi, err)
	}
	if code, _, errOut := runCLI(t, nil, "", "concern", "keygen", "--out", keyFile); code == 0 || !strings.Contains(errOut, "never overwritten") {
		t.Errorf("a second keygen over the file: %d %s", code, errOut)
	}
	k, err := concern.LoadFile(keyFile)
	if err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "x.db")
	received := time.Date(2026, 2, 2, 10, 0, 0, 0, time.UTC)
	s, err := store.Open(context.Background(), db, store.Options{Clock: func() time.Time { return received }})
	if err != nil {
		t.Fatal(err)
	}
	s.ReceiptParams = store.ArgonParams{Memory: 1024, Time: 1, Threads: 1}
	s.SetConcernKeys(k)
	storetest.NewConcernStaff(t, s)
	rec, err := s.SubmitConcern(context.Background(), exportctl.Actor{}, storetest.SampleConcern(0))
	s.Close()
	if err != nil {
		t.Fatal(err)
	}
	receipt, content, other := filepath.Join(dir, "receipt.txt"), filepath.Join(dir, "content.json"), filepath.Join(dir, "other.json")
	os.WriteFile(receipt, []byte(rec.Receipt), 0o644)
	os.WriteFile(content, []byte(rec.Content), 0o644)
	os.WriteFile(other, []byte(strings.Replace(rec.Content, "hospitals", "schools", 1)), 0o644)
	code, out, errOut = runCLI(t, nil, "", "concern", "verify-receipt", "--key", k.ReceiptVerifierKey(), "--content", content, receipt)
	if code != 0 || !strings.Contains(out, "valid receipt: concern "+rec.Reference+" submitted 2026-02-02T10:00:00Z") || !strings.Contains(out, "matches the content") {
		t.Fatalf("verify: %d %q %s", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, nil, "", "concern", "verify-receipt", "--key", k.ReceiptVerifierKey(), "--content", other, receipt); code == 0 || !strings.Contains(errOut, "does not match") {
		t.Errorf("other content: %d %s", code, errOut)
	}
	text, _ := concern.Generate()
	k2, _ := concern.Parse([]byte(text))
	if code, _, errOut := runCLI(t, nil, "", "concern", "verify-receipt", "--key", k2.ReceiptVerifierKey(), receipt); code == 0 || !strings.Contains(errOut, "does not verify") {
		t.Errorf("another key: %d %s", code, errOut)
	}
	code, out, errOut = runCLI(t, nil, "", "tick", "--db", db, "--now", "2026-02-09T10:01:00Z")
	if code != 0 || !strings.Contains(out, "1 concern escalation") {
		t.Fatalf("tick after the acknowledgement deadline: %d %q %s", code, out, errOut)
	}
}
