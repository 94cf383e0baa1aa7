package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

func TestReviewCommands(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	ctx := context.Background()
	s, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.PasswordParams = store.ArgonParams{Memory: 1024, Time: 1, Threads: 1}
	fx := storetest.NewFixture(t, s)
	var refs []string
	for range 2 {
		app, err := s.CreateApplication(ctx, fx.Exporter, storetest.SampleApplication())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Transition(ctx, fx.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
		refs = append(refs, storetest.DriveToDecision(t, s, fx, app.ID, exportctl.DecisionInput{Outcome: exportctl.OutcomeIssued}).Reference)
	}
	s.Close()
	today := time.Now().UTC()
	vars := map[string]string{"EXPORTCTL_DB": dbPath}
	as := func(user string) map[string]string {
		return map[string]string{"EXPORTCTL_DB": dbPath, "EXPORTCTL_TOKEN": fx.Tokens[user]}
	}
	open := []string{"review", "open", "--destination", "IL", "--terms", "Which licences could be used in Gaza.", "--lead", "officer1",
		"--cutoff", today.AddDate(0, 0, -1).Format(time.DateOnly), "--deadline", today.AddDate(0, 1, 0).Format(time.DateOnly),
		"--milestone", "Evidence gathered=" + today.AddDate(0, 0, 7).Format(time.DateOnly)}
	if code, _, errOut := runCLI(t, vars, "", open...); code != 2 || !strings.Contains(errOut, "EXPORTCTL_TOKEN") {
		t.Errorf("without a token: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, as("exporter1"), "", open...); code != 1 || !strings.Contains(errOut, "for officials") {
		t.Errorf("exporter opens: %d %q", code, errOut)
	}
	code, out, errOut := runCLI(t, as("senior1"), "", open...)
	if code != 0 || !strings.Contains(out, "opened review 1 (REV/") || !strings.Contains(out, "2 licence(s) in scope") {
		t.Fatalf("open: %d %q %q", code, out, errOut)
	}
	officer := as("officer1")
	if code, _, errOut := runCLI(t, officer, "", "review", "determine", "1", "--licence", refs[0], "--determination", "perhaps", "--reasons", "x", "--outcome", "suspend"); code != 1 || !strings.Contains(errOut, "determination") {
		t.Errorf("bad determination: %d %q", code, errOut)
	}
	steps := [][]string{
		{"review", "determine", "1", "--licence", refs[0], "--determination", "yes", "--reasons", "F-16 parts.", "--outcome", "suspend", "--outcome-reasons", "Clear risk."},
		{"review", "determine", "1", "--licence", refs[1], "--determination", "yes", "--reasons", "F-16 parts.", "--outcome", "maintain", "--outcome-reasons", "Spares pool."},
		{"review", "findings", "1", "--conduct", "Concerns.", "--access", "Impeded.", "--detainees", "Reports."},
		{"review", "milestone", "1", "--done", "1"},
		{"review", "propose", "1"},
	}
	for _, st := range steps {
		if code, out, errOut := runCLI(t, officer, "", st...); code != 0 {
			t.Fatalf("%v: %d %q %q", st, code, out, errOut)
		}
	}
	decider := as("decider1")
	if code, _, errOut := runCLI(t, decider, "", "review", "approve", "1", "--reasons", "Approved."); code != 1 || !strings.Contains(errOut, "carve-out") {
		t.Errorf("approve without the carve-out: %d %q", code, errOut)
	}
	code, out, errOut = runCLI(t, decider, "", "review", "approve", "1", "--reasons", "Approved.", "--carve-out", refs[1]+"|F-35 spares pool|Collective security.")
	if code != 0 || !strings.Contains(out, "1 suspended, 0 revoked, 0 amended, 0 maintained, 1 carve-out(s)") {
		t.Fatalf("approve: %d %q %q", code, out, errOut)
	}
	if code, out, errOut := runCLI(t, as("senior1"), "", "review", "publish", "1", "--statement", "One licence suspended."); code != 0 || !strings.Contains(out, "published") {
		t.Fatalf("publish: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, officer, "", "review", "show", "1")
	if code != 0 || !strings.Contains(out, "status published") || !strings.Contains(out, "reached "+today.Format(time.DateOnly)) || !strings.Contains(out, "carve_out") {
		t.Errorf("show: %d %q", code, out)
	}
	code, out, _ = runCLI(t, officer, "", "review", "show", "1", "--format", "json")
	var r exportctl.Review
	if err := json.Unmarshal([]byte(out), &r); code != 0 || err != nil || r.Status != exportctl.ReviewPublished || len(r.Licences) != 2 {
		t.Errorf("show json: %d %v", code, err)
	}
	if code, out, _ := runCLI(t, officer, "", "review", "list"); code != 0 || !strings.Contains(out, "published") {
		t.Errorf("list: %d %q", code, out)
	}
	if code, _, errOut := runCLI(t, officer, "", "review", "close-task", "7", "--decision", "no_action", "--reasons", "Noted."); code != 1 || !strings.Contains(errOut, "reasons") {
		t.Errorf("close with 'noted': %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, officer, "", "review", "frobnicate"); code != 2 || !strings.Contains(errOut, "frobnicate") {
		t.Errorf("unknown subcommand: %d %q", code, errOut)
	}
	// tick takes the threshold; nothing crosses it here.
	if code, out, errOut := runCLI(t, vars, "", "tick", "--reassess-incidents", "3", "--reassess-days", "14"); code != 0 || !strings.Contains(out, "0 reassessment task(s) opened") {
		t.Errorf("tick: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, vars, "", "tick", "--reassess-incidents", "0"); code != 2 || !strings.Contains(errOut, "--reassess-incidents") {
		t.Errorf("tick with a zero threshold: %d %q", code, errOut)
	}
}
