package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

func TestExposureCommand(t *testing.T) {
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "x.db")
	vars := map[string]string{"EXPORTCTL_DB": dbPath}
	ctx := context.Background()
	s, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// A historical ML10 licence to Israel (2014), a body-armour one, an
	// F-16 delivery and an air strike by the Israeli Defence Forces.
	if _, err := s.ImportHistorical(ctx, exportctl.System, "caat.csv", slices.Values([]exportctl.HistoricalDecision{
		{Group: "1", Date: "2014-08-01", LicenceType: "SIEL", Rating: "ML10", Count: 1, ValueGBP: 1000, Destination: "IL"},
		{Group: "2", Date: "2014-08-02", LicenceType: "SIEL", Rating: "ML13", Count: 1, ValueGBP: 1000, Destination: "IL"},
	})); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportDeliveries(ctx, exportctl.System, "sipri.csv", []exportctl.Delivery{
		{SIPRIID: "1", Supplier: "US", Recipient: "IL", Designation: "F-16I", OrderYear: 1999, DeliveryYear: 2004, Number: 50}}); err != nil {
		t.Fatal(err)
	}
	user := func(name string, role exportctl.Role) (exportctl.Actor, string) {
		u, tok, err := s.CreateUser(ctx, exportctl.System, exportctl.UserInput{Username: name, Name: name, Role: role})
		if err != nil {
			t.Fatal(err)
		}
		return exportctl.ActorOf(*u), tok
	}
	analyst, analystTok := user("analyst1", exportctl.RoleAnalyst)
	_, seniorTok := user("senior1", exportctl.RoleSeniorOfficial)
	inc, err := s.CreateIncident(ctx, analyst, exportctl.Incident{StartDate: "2023-10-17", Country: "PS", Admin1: "Gaza Strip", Target: exportctl.TargetHospital,
		Actors:  []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Israeli Defence Forces"}},
		Weapons: []exportctl.IncidentWeapon{{Reported: "Aerial Bomb: Plane", Launch: exportctl.LaunchAirPlane}}})
	if err != nil {
		t.Fatal(err)
	}
	s.Close()

	code, out, errOut := runCLI(t, vars, "", "exposure", "--destination", "IL", "--since", "2023-10-07")
	if code != 0 || !strings.Contains(out, "rule set version 1: 1 link(s) between 2 licence(s) and 1 incident(s)") ||
		!strings.Contains(out, "CAAT/1") || !strings.Contains(out, "platform") || !strings.Contains(out, "F-16") || strings.Contains(out, "CAAT/2") {
		t.Fatalf("table: %d %q %q", code, out, errOut)
	}
	code, out, _ = runCLI(t, vars, "", "exposure", "--destination", "IL", "--format", "json")
	var res exportctl.ExposureResult
	if err := json.Unmarshal([]byte(out), &res); code != 0 || err != nil || res.Total != 1 || res.Links[0].IncidentID != inc.ID || len(res.Links[0].Path) != 5 {
		t.Fatalf("json: %d %v %q", code, err, out)
	}
	code, out, _ = runCLI(t, vars, "", "exposure", "--licence", "CAAT/1", "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if code != 0 || err != nil || len(rows) != 2 || rows[1][0] != "CAAT/1" || rows[1][16] != "platform" || !strings.Contains(rows[1][17], "force: Israeli Defence Forces") {
		t.Fatalf("csv: %d %v %q", code, err, out)
	}
	if code, _, errOut := runCLI(t, vars, "", "exposure", "--licence", "CAAT/9"); code != 1 || !strings.Contains(errOut, "CAAT/9") {
		t.Errorf("unknown licence: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, vars, "", "exposure", "--destination", "XX"); code != 2 || !strings.Contains(errOut, "--destination") {
		t.Errorf("bad destination: %d %q", code, errOut)
	}
	if code, _, errOut := runCLI(t, vars, "", "exposure", "--destination", "IL", "--format", "xml"); code != 2 || !strings.Contains(errOut, "--format") {
		t.Errorf("bad format: %d %q", code, errOut)
	}

	// The rules: shown; a change proposed by the analyst and approved by
	// the senior official; then answers use the new version.
	if code, out, _ := runCLI(t, vars, "", "exposure", "rules", "show"); code != 0 || !strings.Contains(out, "version 1: proposed by system") || !strings.Contains(out, `"ML10"`) {
		t.Fatalf("show: %d %q", code, out)
	}
	rules := exportctl.DefaultExposureRules()
	rules.Categories = slices.DeleteFunc(rules.Categories, func(c exportctl.CategoryRule) bool { return c.Category == "ML10" })
	data, _ := json.Marshal(rules)
	file := filepath.Join(dir, "rules.json")
	if err := os.WriteFile(file, data, 0o600); err != nil {
		t.Fatal(err)
	}
	if code, _, errOut := runCLI(t, vars, "", "exposure", "rules", "propose", file); code != 2 || !strings.Contains(errOut, "EXPORTCTL_TOKEN") {
		t.Errorf("without a token: %d %q", code, errOut)
	}
	vars["EXPORTCTL_TOKEN"] = seniorTok
	if code, _, errOut := runCLI(t, vars, "", "exposure", "rules", "propose", file); code != 1 || !strings.Contains(errOut, "may not") {
		t.Errorf("a senior official proposed: %d %q", code, errOut)
	}
	vars["EXPORTCTL_TOKEN"] = analystTok
	if code, out, errOut := runCLI(t, vars, "", "exposure", "rules", "propose", file); code != 0 || !strings.Contains(out, "proposed version 2") {
		t.Fatalf("propose: %d %q %q", code, out, errOut)
	}
	if code, _, _ := runCLI(t, vars, "", "exposure", "rules", "approve", "2"); code != 1 {
		t.Errorf("the analyst approved: %d", code)
	}
	vars["EXPORTCTL_TOKEN"] = seniorTok
	if code, out, errOut := runCLI(t, vars, "", "exposure", "rules", "approve", "2"); code != 0 || !strings.Contains(out, "version 2 approved by senior1") {
		t.Fatalf("approve: %d %q %q", code, out, errOut)
	}
	if code, out, _ := runCLI(t, vars, "", "exposure", "--destination", "IL"); code != 0 || !strings.Contains(out, "rule set version 2: 0 link(s)") {
		t.Errorf("after the change: %d %q", code, out)
	}
}
