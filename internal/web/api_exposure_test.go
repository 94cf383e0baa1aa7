package web_test

import (
	"context"
	"encoding/csv"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// seedExposure gives the world an analyst (analyst1), historical
// licences to Israel (CAAT/1: ML10 in 2014; CAAT/2: ML13 body armour),
// SIPRI's F-16I deliveries and two Israeli Defence Forces air strikes on
// hospitals in Gaza in October 2023, one at a place the publisher
// withheld. It returns the incidents' ids.
func seedExposure(t *testing.T, s *store.Store, fx *storetest.Fixture) (shown, withheld int64) {
	t.Helper()
	ctx := context.Background()
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
	u, tok, err := s.CreateUser(ctx, exportctl.System, exportctl.UserInput{Username: "analyst1", Name: "Analyst One", Role: exportctl.RoleAnalyst, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	fx.Tokens["analyst1"] = tok
	analyst := exportctl.ActorOf(*u)
	strike := func(date, place string, lat, lon float64, redacted bool) int64 {
		inc, err := s.CreateIncident(ctx, analyst, exportctl.Incident{StartDate: date, Country: "PS", Admin1: "Gaza Strip", Place: place,
			Latitude: &lat, Longitude: &lon, Redacted: redacted, Target: exportctl.TargetHospital, Narrative: "An air strike hit a hospital.",
			Actors:  []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Israeli Defence Forces"}},
			Weapons: []exportctl.IncidentWeapon{{Reported: "Aerial Bomb: Plane", Launch: exportctl.LaunchAirPlane}}})
		if err != nil {
			t.Fatal(err)
		}
		return inc.ID
	}
	return strike("2023-10-17", "Gaza City", 31.52, 34.45, false), strike("2023-10-20", "Withheld clinic", 31.35, 34.30, true)
}

func TestAPIExposure(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newAPIWorld(t, s)
		shown, withheld := seedExposure(t, s, w.fix)
		off := w.as(t, "officer1")
		var res exportctl.ExposureResult
		code, p := off.do("GET", "/api/v1/exposure?destination=IL&since=2023-10-07", nil, &res)
		if code != 200 || res.RuleSetVersion != 1 || res.Total != 2 || len(res.Links) != 2 {
			t.Fatalf("%d %v %+v", code, p, res)
		}
		for _, l := range res.Links {
			if l.LicenceReference != "CAAT/1" || l.Strength != exportctl.StrengthPlatform || l.Item != "F-16" || len(l.Path) != 5 {
				t.Errorf("link %+v", l)
			}
			if l.IncidentID == withheld && (l.Place != "" || l.Latitude != nil) {
				t.Errorf("a withheld place in the answer: %+v", l)
			}
		}
		if res.Links[0].IncidentID != withheld || res.Links[1].IncidentID != shown {
			t.Errorf("not newest first: %+v", res.Links)
		}
		if len(res.Aggregates.ByTarget) != 1 || res.Aggregates.ByTarget[0] != (exportctl.ExposureCount{Key: "hospital", Links: 2, Incidents: 2}) {
			t.Errorf("by target %+v", res.Aggregates.ByTarget)
		}

		// CSV by parameter and by Accept.
		for _, accept := range []string{"", "text/csv"} {
			path := "/api/v1/exposure?licence_reference=CAAT/1"
			if accept == "" {
				path += "&format=csv"
			}
			req, _ := http.NewRequest("GET", w.url+path, nil)
			req.Header.Set("Authorization", "Bearer "+w.fix.Tokens["officer1"])
			if accept != "" {
				req.Header.Set("Accept", accept)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			rows, err := csv.NewReader(strings.NewReader(string(data))).ReadAll()
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || err != nil || len(rows) != 3 ||
				!slices.Equal(rows[0], exportctl.ExposureCSVHeader) || rows[1][0] != "CAAT/1" {
				t.Errorf("csv (accept %q): %d %q %v %q", accept, resp.StatusCode, resp.Header.Get("Content-Type"), err, data)
			}
		}

		// Bad parameters are named; exporters and the public are refused.
		for path, field := range map[string]string{
			"/api/v1/exposure?destination=XX":            "destination",
			"/api/v1/exposure?destination=IL&since=x":    "since",
			"/api/v1/exposure?licence_id=abc":            "licence_id",
			"/api/v1/exposure?destination=IL&format=pdf": "format",
			"/api/v1/exposure":                           "destination",
		} {
			if code, p := off.do("GET", path, nil, nil); code != 422 || p["field"] != field {
				t.Errorf("%s: %d %v", path, code, p)
			}
		}
		if code, _ := off.do("GET", "/api/v1/exposure?licence_reference=NOPE", nil, nil); code != 404 {
			t.Errorf("unknown licence: %d", code)
		}
		if code, _ := w.as(t, "exporter1").do("GET", "/api/v1/exposure?destination=IL", nil, nil); code != 403 {
			t.Errorf("exporter: %d", code)
		}
		if code, _ := (&apiClient{t: t, base: w.url}).do("GET", "/api/v1/exposure?destination=IL", nil, nil); code != 401 {
			t.Errorf("public: %d", code)
		}

		// The rules: an analyst proposes, a senior official approves.
		var sets struct{ Items []exportctl.ExposureRuleSet }
		if code, _ := off.do("GET", "/api/v1/exposure/rules", nil, &sets); code != 200 || len(sets.Items) != 1 || !sets.Items[0].InUse {
			t.Fatalf("rules: %d %+v", code, sets)
		}
		rules := exportctl.DefaultExposureRules()
		rules.Categories = slices.DeleteFunc(rules.Categories, func(c exportctl.CategoryRule) bool { return c.Category == "ML10" })
		if code, p := w.as(t, "analyst1").do("POST", "/api/v1/exposure/rules", `{"categories":[{"category":"ML10","launches":["orbit"]}]}`, nil); code != 422 || p["field"] != "categories[0].launches[0]" {
			t.Errorf("bad rules: %d %v", code, p)
		}
		var rs exportctl.ExposureRuleSet
		if code, p := w.as(t, "analyst1").do("POST", "/api/v1/exposure/rules", rules, &rs); code != 201 || rs.Version != 2 || rs.InUse {
			t.Fatalf("propose: %d %v %+v", code, p, rs)
		}
		if code, _ := w.as(t, "analyst1").do("POST", "/api/v1/exposure/rules/2/approve", nil, nil); code != 403 {
			t.Errorf("the analyst approved: %d", code)
		}
		if code, _ := w.as(t, "senior1").do("POST", "/api/v1/exposure/rules/2/approve", nil, &rs); code != 200 || !rs.InUse {
			t.Fatalf("approve: %d %+v", code, rs)
		}
		if code, _ := off.do("GET", "/api/v1/exposure?destination=IL", nil, &res); code != 200 || res.RuleSetVersion != 2 || res.Total != 0 {
			t.Errorf("after the change: %d version %d, %d links", code, res.RuleSetVersion, res.Total)
		}
	})
}
