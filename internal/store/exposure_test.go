package store_test

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// exposureWorld issues the sample licence (F-16 parts for Israel) on
// 2023-06-01, records SIPRI F-16I deliveries to Israel and three
// incidents: an IDF air strike on a hospital after the licence (redacted
// place), one before it, and an air strike by another force.
func exposureWorld(t *testing.T, engine string) (*store.Store, *storetest.Fixture, *exportctl.Application, map[string]int64) {
	t.Helper()
	now := time.Date(2023, 6, 1, 10, 0, 0, 0, time.UTC)
	s := storetest.Open(t, engine, func() time.Time { return now })
	f := storetest.NewFixture(t, s)
	app := storetest.DriveToDecision(t, s, f, submitted(t, s, f).ID, exportctl.DecisionInput{Outcome: exportctl.OutcomeIssued})
	if _, err := s.ImportDeliveries(ctx, exportctl.System, "sipri.csv", []exportctl.Delivery{
		{SIPRIID: "1", Supplier: "US", Recipient: "IL", Designation: "F-16I", OrderYear: 1999, DeliveryYear: 2004, Number: 50},
	}); err != nil {
		t.Fatal(err)
	}
	analyst := newAnalyst(t, s, "analyst-exposure")
	lat, lon := 31.52, 34.45
	ids := map[string]int64{}
	for name, in := range map[string]exportctl.Incident{
		"after": {StartDate: "2023-10-17", Country: "PS", Admin1: "Gaza Strip", Place: "Withheld clinic", Latitude: &lat, Longitude: &lon, Redacted: true,
			Target: exportctl.TargetHospital, Narrative: "An air strike hit a clinic.",
			Actors:  []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Israeli Defence Forces"}},
			Weapons: []exportctl.IncidentWeapon{{Reported: "Aerial Bomb: Plane", Launch: exportctl.LaunchAirPlane}}},
		"before": {StartDate: "2023-05-01", Country: "PS", Admin1: "Gaza Strip", Target: exportctl.TargetHospital, Narrative: "An earlier strike.",
			Actors:  []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Israeli Defence Forces"}},
			Weapons: []exportctl.IncidentWeapon{{Reported: "Aerial Bomb: Plane", Launch: exportctl.LaunchAirPlane}}},
		"other": {StartDate: "2023-10-18", Country: "SY", Admin1: "Idlib", Target: exportctl.TargetHospital, Narrative: "A strike by another force.",
			Actors:  []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Syrian Armed Forces"}},
			Weapons: []exportctl.IncidentWeapon{{Reported: "Aerial Bomb: Plane", Launch: exportctl.LaunchAirPlane}}},
	} {
		inc, err := s.CreateIncident(ctx, analyst, in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		ids[name] = inc.ID
	}
	return s, f, app, ids
}

func TestExposure(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			s, f, app, ids := exposureWorld(t, engine)
			res, err := s.Exposure(ctx, f.Officer, exportctl.ExposureQuery{Destination: "IL"})
			if err != nil {
				t.Fatal(err)
			}
			if res.RuleSetVersion != 1 || res.Total != 1 || len(res.Links) != 1 {
				t.Fatalf("version %d, total %d, links %+v", res.RuleSetVersion, res.Total, res.Links)
			}
			l := res.Links[0]
			if l.LicenceID != app.LicenceID || l.IncidentID != ids["after"] || l.Strength != exportctl.StrengthPlatform || l.Item != "F-16" {
				t.Errorf("link %+v", l)
			}
			if l.Place != "" || l.Latitude != nil {
				t.Errorf("a redacted place shown: %q %v", l.Place, l.Latitude)
			}
			if len(res.Licences) != 1 || res.Licences[0].Platform != 1 || res.Licences[0].Strongest != exportctl.StrengthPlatform {
				t.Errorf("licence summary %+v", res.Licences)
			}

			// A new incident is in the next answer (the prepared incidents
			// are kept only while the register does not change).
			extra, err := s.CreateIncident(ctx, newAnalyst(t, s, "analyst-extra"), exportctl.Incident{StartDate: "2023-11-02", Country: "LB", Admin1: "South",
				Target: exportctl.TargetHome, Actors: []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 1, Name: "IDF"}},
				Weapons: []exportctl.IncidentWeapon{{Reported: "Aerial Bomb: Plane", Launch: exportctl.LaunchAirPlane}}})
			if err != nil {
				t.Fatal(err)
			}
			again, err := s.Exposure(ctx, f.Officer, exportctl.ExposureQuery{Destination: "IL"})
			if err != nil || again.Total != 2 || again.Links[0].IncidentID != extra.ID {
				t.Fatalf("after a new incident: %v %+v", err, again)
			}

			// An analyst's classification reaches the aggregates.
			if _, err := s.SetClassification(ctx, newAnalyst(t, s, "analyst-classify"), ids["after"],
				exportctl.ClassificationInput{Code: "8(2)(b)(ix)", Status: "alleged"}); err != nil {
				t.Fatal(err)
			}
			classified, err := s.Exposure(ctx, f.Officer, exportctl.ExposureQuery{Destination: "IL"})
			if err != nil || len(classified.Aggregates.ByClassification) != 1 ||
				classified.Aggregates.ByClassification[0] != (exportctl.ExposureCount{Key: "8(2)(b)(ix)", Links: 1, Incidents: 1}) {
				t.Errorf("by classification: %v %+v", err, classified.Aggregates.ByClassification)
			}

			// By licence, by incident, by end user, by period, by area.
			for name, c := range map[string]struct {
				q     exportctl.ExposureQuery
				links int
			}{
				"licence":  {exportctl.ExposureQuery{LicenceID: app.LicenceID}, 2},
				"end user": {exportctl.ExposureQuery{EndUser: "example air"}, 2},
				"incident": {exportctl.ExposureQuery{IncidentID: ids["after"]}, 1},
				"period":   {exportctl.ExposureQuery{Destination: "IL", Since: "2023-10-01", Until: "2023-10-31"}, 1},
				// the strike's place is withheld: it never matches a box
				"area": {exportctl.ExposureQuery{BBox: &[4]float64{34.2, 31.2, 34.6, 31.6}}, 0},
			} {
				r, err := s.Exposure(ctx, f.Decider, c.q)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if r.Total != c.links || len(r.Links) != c.links || (c.links > 0 && r.Links[len(r.Links)-1].IncidentID != ids["after"]) {
					t.Errorf("%s: %+v", name, r.Links)
				}
			}
			r, err := s.Exposure(ctx, f.Officer, exportctl.ExposureQuery{IncidentID: ids["other"]})
			if err != nil || r.Total != 0 {
				t.Errorf("another force's incident: %v %+v", err, r)
			}
			if _, err := s.Exposure(ctx, f.Officer, exportctl.ExposureQuery{LicenceID: 999999}); exportctl.ErrorCode(err) != exportctl.ENotFound {
				t.Errorf("unknown licence: %v", err)
			}
			if _, err := s.Exposure(ctx, f.Officer, exportctl.ExposureQuery{Destination: "QQ"}); exportctl.ErrorField(err) != "destination" {
				t.Errorf("bad destination: %v", err)
			}

			// Exporters and the public do not read exposure.
			if _, err := s.Exposure(ctx, f.Exporter, exportctl.ExposureQuery{Destination: "IL"}); exportctl.ErrorCode(err) != exportctl.EForbidden {
				t.Errorf("exporter: %v", err)
			}
			if _, err := s.Exposure(ctx, exportctl.Actor{}, exportctl.ExposureQuery{Destination: "IL"}); exportctl.ErrorCode(err) != exportctl.EUnauthorized {
				t.Errorf("public: %v", err)
			}
		})
	}
}

func TestExposureRuleSets(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		analyst := newAnalyst(t, s, "analyst-rules")
		sets, err := s.ExposureRuleSets(ctx, f.Officer)
		if err != nil || len(sets) != 1 || !sets[0].InUse || sets[0].Version != 1 {
			t.Fatalf("%v %+v", err, sets)
		}
		if _, err := s.ProposeExposureRules(ctx, analyst, []byte(`{"categories": [{"category": "ML99"}]}`)); exportctl.ErrorField(err) != "categories[0].category" {
			t.Errorf("bad rules: %v", err)
		}
		if _, err := s.ProposeExposureRules(ctx, f.Senior, exportctl.DefaultExposureRulesJSON); exportctl.ErrorCode(err) != exportctl.EForbidden {
			t.Errorf("a senior official proposed: %v", err)
		}
		// Version 2 drops ML10: proposed, not yet in use.
		rules := exportctl.DefaultExposureRules()
		rules.Categories = slices.DeleteFunc(rules.Categories, func(c exportctl.CategoryRule) bool { return c.Category == "ML10" })
		data, err := json.Marshal(rules)
		if err != nil {
			t.Fatal(err)
		}
		v2, err := s.ProposeExposureRules(ctx, analyst, data)
		if err != nil || v2.Version != 2 || v2.InUse || v2.ApprovedAt != nil {
			t.Fatalf("%v %+v", err, v2)
		}
		if _, err := s.ApproveExposureRules(ctx, analyst, 2); exportctl.ErrorCode(err) != exportctl.EForbidden {
			t.Errorf("the proposer's role approved: %v", err)
		}
		if _, err := s.ApproveExposureRules(ctx, f.Senior, 3); exportctl.ErrorCode(err) != exportctl.ENotFound {
			t.Errorf("unknown version: %v", err)
		}
		v2, err = s.ApproveExposureRules(ctx, f.Senior, 2)
		if err != nil || !v2.InUse || v2.ApprovedBy == "" {
			t.Fatalf("%v %+v", err, v2)
		}
		if _, err := s.ApproveExposureRules(ctx, f.Senior, 2); exportctl.ErrorCode(err) != exportctl.EConflict {
			t.Errorf("approved twice: %v", err)
		}
		res, err := s.Exposure(ctx, f.Officer, exportctl.ExposureQuery{Destination: "IL"})
		if err != nil || res.RuleSetVersion != 2 {
			t.Errorf("%v: answer used version %d", err, res.RuleSetVersion)
		}
	})
}

// TestIncidentForcesBackfill: incidents stored before migration 00014
// get their attribution rows once, when the store opens.
func TestIncidentForcesBackfill(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			s, f, _, ids := exposureWorld(t, engine)
			// Forget the attribution index, as a database from before
			// migration 00014 would have it, and reopen.
			db := s.DB()
			if _, err := db.Exec(`DELETE FROM incident_forces`); err != nil {
				t.Fatal(err)
			}
			if _, err := db.Exec(`DELETE FROM counters WHERE name = 'incident_forces_backfill'`); err != nil {
				t.Fatal(err)
			}
			if err := s.BackfillIncidentForces(ctx); err != nil {
				t.Fatal(err)
			}
			res, err := s.Exposure(ctx, f.Officer, exportctl.ExposureQuery{Destination: "IL"})
			if err != nil || res.Total != 1 || res.Links[0].IncidentID != ids["after"] {
				t.Errorf("after the backfill: %v %+v", err, res)
			}
		})
	}
}
