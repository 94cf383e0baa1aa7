package web_test

import (
	"context"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/importer"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// importAWSD imports the real AWSD file, skipping when it is absent.
func importAWSD(t *testing.T, s *store.Store) {
	t.Helper()
	dir := os.Getenv("EXPORTCTL_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	path := filepath.Join(dir, "awsd", "aid-worker-security-incidents.csv")
	f, err := os.Open(path)
	if err != nil {
		t.Skip("shared data absent: " + path)
	}
	defer f.Close()
	res, err := s.ImportIncidents(context.Background(), exportctl.System, "awsd", "aid-worker-security-incidents.csv",
		func(emit func(exportctl.Incident, int) error) error {
			_, err := importer.AWSDEach(f, emit)
			return err
		}, nil)
	if err != nil || res.New != 4946 {
		t.Fatalf("import: %v %+v", err, res)
	}
}

type incidentPage struct {
	Items []struct {
		ID        int64    `json:"id"`
		Country   string   `json:"country"`
		Latitude  *float64 `json:"latitude"`
		Redacted  bool     `json:"redacted"`
		StartDate string   `json:"start_date"`
	} `json:"items"`
	Total int     `json:"total"`
	Next  *string `json:"next"`
}

func TestAPIIncidents(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		importAWSD(t, s)
		w := newAPIWorld(t, s)
		u, token, err := s.CreateUser(context.Background(), exportctl.Actor{Username: "system", Role: exportctl.RoleAdmin},
			exportctl.UserInput{Username: "analyst1", Name: "Analyst One", Role: exportctl.RoleAnalyst})
		if err != nil {
			t.Fatal(err)
		}
		w.fix.Tokens[u.Username] = token
		off, ana, exp := w.as(t, "officer1"), w.as(t, "analyst1"), w.as(t, "exporter1")

		// Filters, paging and redaction.
		var page incidentPage
		if code, p := off.do("GET", "/api/v1/incidents?country=ps&source=awsd&limit=200", nil, &page); code != 200 || page.Total != 511 || len(page.Items) != 200 || page.Next == nil {
			t.Fatalf("PS: %d %v total %d", code, p, page.Total)
		}
		for _, inc := range page.Items {
			if inc.Latitude != nil || !inc.Redacted || inc.Country != "PS" {
				t.Fatalf("PS incident %d not redacted", inc.ID)
			}
		}
		seen := len(page.Items)
		for page.Next != nil {
			next := *page.Next
			page = incidentPage{}
			if code, _ := off.do("GET", "/api/v1/incidents?country=PS&source=awsd&limit=200&cursor="+url.QueryEscape(next), nil, &page); code != 200 {
				t.Fatalf("next page: %d", code)
			}
			seen += len(page.Items)
		}
		if seen != 511 {
			t.Errorf("paged through %d", seen)
		}
		if code, _ := off.do("GET", "/api/v1/incidents?source=awsd&bbox=34,29,36,34", nil, &page); code != 200 || page.Total == 0 {
			t.Errorf("bbox around Israel and Palestine: %d %d", code, page.Total)
		}
		for _, inc := range page.Items {
			if inc.Country == "PS" || inc.Latitude == nil {
				t.Errorf("a box matched %d in %s", inc.ID, inc.Country)
			}
		}
		if code, _ := off.do("GET", "/api/v1/incidents?country=AF&from=2021-08-15&to=2021-12-31&target=aid&verification=partly_verified&q=killed&actor=taliban", nil, &page); code != 200 {
			t.Errorf("filters together: %d", code)
		}
		if code, _ := off.do("GET", "/api/v1/incidents?near=34.5553,69.2075,25&launch=unknown&weapon=shoot&publishable=true", nil, &page); code != 200 {
			t.Errorf("near Kabul: %d", code)
		}
		for param, value := range map[string]string{"bbox": "34,31,35", "near": "50,30", "from": "2023-13-01", "country": "XX",
			"launch": "catapult", "target": "castle", "verification": "sure", "publishable": "maybe", "limit": "-1", "cursor": "x"} {
			code, p := off.do("GET", "/api/v1/incidents?"+param+"="+url.QueryEscape(value), nil, nil)
			if code != http.StatusUnprocessableEntity || p["field"] != param {
				t.Errorf("%s=%s: %d %v", param, value, code, p)
			}
		}
		var counts struct {
			Items []exportctl.IncidentCount `json:"items"`
		}
		if code, _ := off.do("GET", "/api/v1/incidents/counts?by=country&source=awsd", nil, &counts); code != 200 || len(counts.Items) < 50 || counts.Items[0].Count < 511 {
			t.Errorf("counts: %d %+v", code, counts.Items[:min(3, len(counts.Items))])
		}
		if code, p := off.do("GET", "/api/v1/incidents/counts?by=colour", nil, nil); code != 422 || p["field"] != "by" {
			t.Errorf("counts by colour: %d %v", code, p)
		}

		// Who may.
		if code, _ := exp.do("GET", "/api/v1/incidents", nil, nil); code != http.StatusForbidden {
			t.Errorf("exporter lists: %d", code)
		}
		if code, _ := (&apiClient{t: t, base: w.url}).do("GET", "/api/v1/incidents", nil, nil); code != http.StatusUnauthorized {
			t.Errorf("anonymous: %d", code)
		}
		in := map[string]any{"start_date": "2024-03-02", "country": "UA", "admin1": "Kyiv City", "place": "Kyiv", "latitude": 50.45, "longitude": 30.52,
			"target_category": "hospital", "harm": map[string]int{"killed": 2},
			"actors":          []map[string]any{{"role": "perpetrator", "type": 8, "name": "Armed Forces of the Russian Federation", "confidence": 0.8}},
			"weapons":         []map[string]any{{"reported": "Missile", "launch": "air_plane", "basis": "remnant"}},
			"classifications": []map[string]any{{"code": "8(2)(b)(ix)", "status": "alleged"}},
			"narrative":       "A missile struck a hospital."}
		if code, _ := off.do("POST", "/api/v1/incidents", in, nil); code != http.StatusForbidden {
			t.Errorf("officer creates: %d", code)
		}
		var inc exportctl.Incident
		if code, p := ana.do("POST", "/api/v1/incidents", in, &inc); code != http.StatusCreated || inc.ID == 0 || inc.Sources[0].Source != "manual" ||
			inc.Classifications[0].By != "Analyst One (analyst1)" {
			t.Fatalf("analyst creates: %d %v %+v", code, p, inc)
		}
		bad := map[string]any{"start_date": "2024-03-02", "country": "UA", "latitude": 95.0, "longitude": 30.0}
		if code, p := ana.do("POST", "/api/v1/incidents", bad, nil); code != 422 || p["field"] != "latitude" {
			t.Errorf("bad latitude: %d %v", code, p)
		}
		if code, p := ana.do("POST", "/api/v1/incidents", `{"start_date":"2024-03-02","country":"UA","colour":"red"}`, nil); code != 400 || p["field"] != "colour" {
			t.Errorf("unknown field: %d %v", code, p)
		}
		if code, p := ana.do("POST", "/api/v1/incidents", `{"start_date":"2024-03-02","country":"UA","actors":[{"role":"perpetrator","name":"x","type":"state"}]}`, nil); code != 400 || p["field"] != "actors[0].type" {
			t.Errorf("actor type as text: %d %v", code, p)
		}

		// The record of an incident.
		base := "/api/v1/incidents/" + itoa(inc.ID)
		var step exportctl.VerificationStep
		if code, p := ana.do("POST", base+"/verification", map[string]any{"step": "technical", "confidence": 0.7, "state": "partly_verified"}, &step); code != 201 || step.ID == 0 {
			t.Errorf("step: %d %v", code, p)
		}
		if code, p := ana.do("POST", base+"/verification", map[string]any{"step": "hunch", "confidence": 0.7}, nil); code != 422 || p["field"] != "step" {
			t.Errorf("bad step: %d %v", code, p)
		}
		var src exportctl.EvidenceSource
		if code, p := ana.do("POST", base+"/sources", map[string]any{"publisher": "Example News", "url": "https://example.org/a", "captured_at": "2024-03-02T10:00:00Z",
			"sha256": strings.Repeat("ab", 32)}, &src); code != 201 || src.ID == 0 || len(src.Custody) != 1 {
			t.Fatalf("source: %d %v", code, p)
		}
		if code, p := ana.do("POST", base+"/sources/"+itoa(src.ID)+"/custody", map[string]any{"action": "copied", "note": "working copy"}, nil); code != 201 {
			t.Errorf("custody: %d %v", code, p)
		}
		if code, _ := ana.do("POST", base+"/sources/999999/custody", map[string]any{"action": "copied"}, nil); code != 404 {
			t.Errorf("custody of no source: %d", code)
		}
		if code, p := ana.do("POST", base+"/classifications", map[string]any{"code": "8(2)(b)(ix)", "status": "assessed"}, &inc); code != 201 || len(inc.Classifications) != 2 {
			t.Errorf("classify: %d %v", code, p)
		}
		if code, p := ana.do("POST", base+"/classifications", map[string]any{"code": "8(2)(q)", "status": "assessed"}, nil); code != 422 || p["field"] != "code" {
			t.Errorf("bad classification: %d %v", code, p)
		}
		if code, p := ana.do("POST", base+"/publish", map[string]any{"publishable": true}, &inc); code != 200 || !inc.Publishable {
			t.Errorf("publish: %d %v", code, p)
		}
		if code, _ := off.do("POST", base+"/publish", map[string]any{"publishable": false}, nil); code != 403 {
			t.Errorf("officer unpublishes: %d", code)
		}
		var rec exportctl.IncidentRecord
		if code, _ := off.do("GET", base, nil, &rec); code != 200 || rec.ID != inc.ID || rec.Verification != "partly_verified" || len(rec.VerificationSteps) != 1 ||
			len(rec.EvidenceSources) != 1 || len(rec.EvidenceSources[0].Custody) != 2 || len(rec.Versions) != 4 || rec.Latitude == nil {
			t.Errorf("record: %d %+v", code, rec)
		}
		var versions struct {
			Items []exportctl.IncidentVersion `json:"items"`
		}
		if code, _ := off.do("GET", base+"/versions", nil, &versions); code != 200 || len(versions.Items) != 4 || versions.Items[3].Incident == nil || !versions.Items[3].Incident.Publishable {
			t.Errorf("versions: %d %+v", code, versions)
		}
		if code, _ := exp.do("GET", base, nil, nil); code != 403 {
			t.Errorf("exporter reads: %d", code)
		}
		if code, _ := off.do("GET", "/api/v1/incidents/999999", nil, nil); code != 404 {
			t.Errorf("no such incident: %d", code)
		}
	})
}
