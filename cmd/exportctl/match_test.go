package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

func TestMatchIncidentsCommand(t *testing.T) {
	dbPath := filepath.Join(t.TempDir(), "x.db")
	vars := map[string]string{"EXPORTCTL_DB": dbPath}
	if code, out, errOut := runCLI(t, vars, "", "match-incidents", "--country", "PS"); code != 0 || !strings.Contains(out, "no new probable duplicates") {
		t.Fatalf("empty register: %d %q %q", code, out, errOut)
	}
	if code, _, errOut := runCLI(t, vars, "", "match-incidents", "--from", "2023-02-30"); code != 2 || !strings.Contains(errOut, "--from") {
		t.Errorf("bad date: %d %q", code, errOut)
	}
	// Two records of one strike, from two sources.
	ctx := context.Background()
	s, err := store.Open(ctx, dbPath, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	lat, lon := 31.5, 34.45
	strike := func(src string) exportctl.Incident {
		return exportctl.Incident{Sources: []exportctl.SourceID{{Source: src, ID: src + "-1"}}, StartDate: "2023-11-10", Country: "PS",
			Admin1: "Gaza Strip", Latitude: &lat, Longitude: &lon, GeoPrecision: 1, Target: exportctl.TargetHospital}
	}
	for _, src := range []string{"sind-health", "acled"} {
		inc := strike(src)
		if _, err := s.ImportIncidents(ctx, exportctl.System, src, "hand.csv", func(emit func(exportctl.Incident, int) error) error {
			return emit(inc, 2)
		}, nil); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if code, out, errOut := runCLI(t, vars, "", "match-incidents", "--country", "PS", "--from", "2023-01-01", "--to", "2023-12-31"); code != 0 || !strings.Contains(out, "proposed 1 ") {
		t.Fatalf("propose: %d %q %q", code, out, errOut)
	}
	if code, out, _ := runCLI(t, vars, "", "match-incidents"); code != 0 || !strings.Contains(out, "no new") {
		t.Errorf("again: %d %q", code, out)
	}
}
