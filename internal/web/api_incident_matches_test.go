package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

func TestAPIIncidentMatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newAPIWorld(t, s)
		ctx := context.Background()
		_, tok, err := s.CreateUser(ctx, exportctl.Actor{Username: "system", Role: exportctl.RoleAdmin},
			exportctl.UserInput{Username: "ana1", Role: exportctl.RoleAnalyst, Password: "correct horse battery"})
		if err != nil {
			t.Fatal(err)
		}
		w.fix.Tokens["ana1"] = tok
		ana, officer, exporter := w.as(t, "ana1"), w.as(t, "officer1"), w.as(t, "exporter1")

		// One strike on a hospital, reported by two sources.
		lat, lon := 31.5, 34.45
		for _, src := range []string{"sind-health", "acled"} {
			inc := exportctl.Incident{Sources: []exportctl.SourceID{{Source: src, ID: src + "-1"}}, StartDate: "2023-11-10", Country: "PS",
				Admin1: "Gaza Strip", Latitude: &lat, Longitude: &lon, GeoPrecision: 1, Target: exportctl.TargetHospital, Publishable: true}
			if _, err := s.ImportIncidents(ctx, exportctl.System, src, "hand.csv", func(emit func(exportctl.Incident, int) error) error {
				return emit(inc, 2)
			}, nil); err != nil {
				t.Fatal(err)
			}
		}

		var res struct {
			Proposed int `json:"proposed"`
		}
		for _, c := range []*apiClient{officer, exporter} {
			if code, _ := c.do("POST", "/api/v1/incident-matches/propose?country=PS", nil, nil); code != http.StatusForbidden {
				t.Errorf("propose as %s: %d", c.token[:8], code)
			}
		}
		if code, p := ana.do("POST", "/api/v1/incident-matches/propose?country=PS&from=2023-13-01", nil, nil); code != 422 || p["field"] != "from" {
			t.Errorf("bad date: %d %v", code, p)
		}
		if code, p := ana.do("POST", "/api/v1/incident-matches/propose?near=1,2", nil, nil); code != 422 || p["field"] != "near" {
			t.Errorf("bad near: %d %v", code, p)
		}
		if code, p := ana.do("POST", "/api/v1/incident-matches/propose?country=PS&from=2023-01-01&to=2023-12-31&target=hospital", nil, &res); code != 200 || res.Proposed != 1 {
			t.Fatalf("propose: %d %v %+v", code, p, res)
		}
		if code, _ := ana.do("POST", "/api/v1/incident-matches/propose", nil, &res); code != 200 || res.Proposed != 0 {
			t.Errorf("propose again: %d %+v", code, res)
		}

		var page exportctl.Page[exportctl.IncidentMatch]
		if code, _ := officer.do("GET", "/api/v1/incident-matches?status=proposed", nil, &page); code != 200 || page.Total != 1 || len(page.Items) != 1 {
			t.Fatalf("list: %d %+v", code, page)
		}
		m := page.Items[0]
		if m.Status != "proposed" || m.Score < exportctl.MatchThreshold || len(m.Reasons) == 0 {
			t.Errorf("match: %+v", m)
		}
		if code, _ := exporter.do("GET", "/api/v1/incident-matches", nil, nil); code != http.StatusForbidden {
			t.Errorf("exporter list: %d", code)
		}
		if code, _ := (&apiClient{t: t, base: w.url}).do("GET", "/api/v1/incident-matches", nil, nil); code != http.StatusUnauthorized {
			t.Errorf("anonymous list: %d", code)
		}
		if code, p := officer.do("GET", "/api/v1/incident-matches?status=maybe", nil, nil); code != 422 || p["field"] != "status" {
			t.Errorf("bad status: %d %v", code, p)
		}
		var forA exportctl.Page[exportctl.IncidentMatch]
		if code, _ := officer.do("GET", "/api/v1/incident-matches?incident="+itoa(m.A), nil, &forA); code != 200 || len(forA.Items) != 1 || forA.Items[0].ID != m.ID {
			t.Errorf("matches of incident %d: %d %+v", m.A, code, forA)
		}
		if code, _ := officer.do("GET", "/api/v1/incident-matches?incident=999999", nil, nil); code != http.StatusNotFound {
			t.Errorf("matches of a missing incident: %d", code)
		}

		path := "/api/v1/incident-matches/" + itoa(m.ID)
		if code, _ := officer.do("POST", path+"/confirm", map[string]string{"note": "same"}, nil); code != http.StatusForbidden {
			t.Errorf("officer confirms: %d", code)
		}
		if code, _ := ana.do("POST", path+"/confirm", `{"colour":"red"}`, nil); code != http.StatusBadRequest {
			t.Errorf("unknown field: %d", code)
		}
		var got exportctl.IncidentMatch
		if code, p := ana.do("POST", path+"/confirm", map[string]string{"note": "same strike, two monitors"}, &got); code != 200 ||
			got.Status != "confirmed" || got.Note != "same strike, two monitors" || got.By != "ana1" || got.At == nil {
			t.Fatalf("confirm: %d %v %+v", code, p, got)
		}
		if code, _ := ana.do("POST", path+"/reject", nil, nil); code != http.StatusConflict {
			t.Errorf("reject after confirm: %d", code)
		}
		if code, _ := officer.do("GET", path, nil, &got); code != 200 || got.Status != "confirmed" {
			t.Errorf("get: %d %+v", code, got)
		}
		if code, _ := officer.do("POST", "/api/v1/incident-matches/999999/reject", nil, nil); code != http.StatusForbidden {
			t.Errorf("officer rejects a missing match: %d", code)
		}
		if code, _ := ana.do("POST", "/api/v1/incident-matches/999999/reject", nil, nil); code != http.StatusNotFound {
			t.Errorf("reject a missing match: %d", code)
		}
		// Both records stay, in one group.
		for _, id := range []int64{m.A, m.B} {
			inc, err := s.Incident(ctx, exportctl.System, id)
			if err != nil || inc.GroupID != m.A {
				t.Errorf("incident %d: group %v %v", id, inc, err)
			}
		}
		if n, err := s.DistinctIncidentCount(ctx, exportctl.Actor{}, exportctl.IncidentFilter{Country: "PS"}); err != nil || n != 1 {
			t.Errorf("distinct count: %d %v", n, err)
		}
	})
}
