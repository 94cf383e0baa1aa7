package store

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/importer"
)

// TestCanonicalIncidentJSON checks that the hand-written canonical JSON is
// what encoding/json makes of the same incident, on an incident with every
// field set (and awkward strings) and on every incident of the real files.
func TestCanonicalIncidentJSON(t *testing.T) {
	lat, lon, tiny, huge := 31.5294490666, -0.000001, 1e-7, 1e21
	full := exportctl.Incident{ID: 7, Sources: []exportctl.SourceID{{Source: "sind-health", ID: "42822"}, {Source: "awsd", ID: "4664~2"}},
		StartDate: "2023-12-21", EndDate: "2023-12-22", DatePrecision: 2, Country: "PS", Admin1: "Gaza <Strip> & \"north\"", Admin2: "a\\b",
		Admin3: "tab\there", Place: "line\nbreak\r\x01\x1f\b\f", Latitude: &lat, Longitude: &lon, GeoPrecision: 2, Redacted: true,
		EventType: "Explosions/Remote violence", SubEventType: "Air/drone strike", Target: "hospital", Damage: "destroyed", AidAccess: "denied",
		Harm: exportctl.Harm{Killed: 1, Injured: 2, Kidnapped: 3, Detained: 4, HealthWorkers: 5, AidWorkers: 6, Children: 7, Journalists: 8},
		Actors: []exportctl.IncidentActor{{Role: "perpetrator", Type: 1, Name: "Israeli Defence Forces", Force: "IAF", Country: "IL", Basis: "source_report", Confidence: 0.75},
			{Role: "target", Name: "Civilians \u2028\u2029 é 日本", Confidence: tiny}, {Role: "other", Confidence: huge}},
		Weapons: []exportctl.IncidentWeapon{{Reported: "Aerial Bomb: Plane", Launch: "air_plane", ItemID: 3, Item: "GBU-39", Basis: "remnant", Markings: "CAGE 0ABC1"},
			{Reported: "Firearms", Launch: "unknown"}},
		Classifications: []exportctl.Classification{{Code: "8(2)(b)(ix)", Status: "alleged", By: "analyst1"}},
		Verification:    "partly_verified", Narrative: "bad utf8 \xff\xfe end", Publishable: true, GroupID: 9,
		Original:  map[string]string{"z": "last", "a": "first", "Location ": "Health Building", "": "empty key", "<x>": "&"},
		CreatedAt: time.Date(2024, 1, 2, 3, 4, 5, 600, time.UTC)}
	check := func(inc exportctl.Incident) {
		t.Helper()
		enc := encodeIncident(&inc, nil)
		want, err := json.Marshal(inc)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc.data, want) {
			t.Fatalf("canonical JSON differs from encoding/json:\n got %s\nwant %s", enc.data, want)
		}
		for _, part := range []struct {
			span span
			v    any
		}{{enc.actors, inc.Actors}, {enc.weapons, inc.Weapons}, {enc.classifications, inc.Classifications}, {enc.original, inc.Original}} {
			if len(inc.Original) == 0 && part.span == enc.original {
				continue
			}
			want, _ := json.Marshal(part.v)
			if got := enc.data[part.span.from:part.span.to]; !bytes.Equal(got, want) {
				t.Fatalf("part %s, want %s", got, want)
			}
		}
	}
	check(full)
	check(exportctl.Incident{})

	dir := os.Getenv("EXPORTCTL_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	n := 0
	for _, f := range []struct {
		rel   string
		parse func(*os.File, func(exportctl.Incident, int) error) error
	}{
		{"insecurity-insight/attacks-on-health-care-2016-2023.csv", func(r *os.File, fn func(exportctl.Incident, int) error) error {
			_, err := importer.SiNDEach(r, "health", fn)
			return err
		}},
		{"awsd/aid-worker-security-incidents.csv", func(r *os.File, fn func(exportctl.Incident, int) error) error {
			_, err := importer.AWSDEach(r, fn)
			return err
		}},
		{"acled/acled-sample-2022.csv", func(r *os.File, fn func(exportctl.Incident, int) error) error {
			_, err := importer.ACLEDEach(r, fn)
			return err
		}},
	} {
		file, err := os.Open(filepath.Join(dir, f.rel))
		if err != nil {
			t.Logf("shared data absent (%v): checked the hand-made incidents only", err)
			continue
		}
		err = f.parse(file, func(inc exportctl.Incident, line int) error { check(inc); n++; return nil })
		file.Close()
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("%d real incidents checked", n)
}
