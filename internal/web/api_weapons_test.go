package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

func TestAPIWeapons(t *testing.T) {
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

		type list struct {
			Items []exportctl.Item `json:"items"`
			Total int              `json:"total"`
		}
		var l list
		if code, _ := officer.do("GET", "/api/v1/weapons?q="+url.QueryEscape("F-35"), nil, &l); code != 200 || l.Total == 0 {
			t.Fatalf("list: %d %+v", code, l)
		}
		i := slices.IndexFunc(l.Items, func(it exportctl.Item) bool { return it.Name == "F-35" })
		if i < 0 {
			t.Fatalf("no F-35 in %+v", l.Items)
		}
		f35 := l.Items[i]
		var d exportctl.ItemDetail
		if code, _ := officer.do("GET", "/api/v1/weapons/"+itoa(f35.ID), nil, &d); code != 200 || d.Name != "F-35" ||
			!slices.ContainsFunc(d.Edges, func(e exportctl.Edge) bool { return e.FromName == "F135 engine" && e.Kind == "component_of" }) {
			t.Errorf("get F-35: %d %+v", code, d)
		}
		if code, _ := exporter.do("GET", "/api/v1/weapons", nil, nil); code != http.StatusForbidden {
			t.Errorf("exporter list: %d", code)
		}
		if code, _ := (&apiClient{t: t, base: w.url}).do("GET", "/api/v1/weapons", nil, nil); code != http.StatusUnauthorized {
			t.Errorf("anonymous list: %d", code)
		}
		if code, _ := officer.do("GET", "/api/v1/weapons/999999", nil, nil); code != http.StatusNotFound {
			t.Errorf("missing item: %d", code)
		}

		// Analysts add items and edges.
		body := map[string]any{"name": "Spike NLOS", "kind": "munition", "categories": []string{"ML4"}, "aliases": []string{"Tammuz"}}
		var it exportctl.Item
		if code, p := ana.do("POST", "/api/v1/weapons", body, &it); code != http.StatusCreated || it.Source != "analyst:ana1" {
			t.Fatalf("add: %d %v %+v", code, p, it)
		}
		if code, p := ana.do("POST", "/api/v1/weapons", map[string]any{"name": "Namer", "kind": "platform", "categories": []string{"ML6"}}, nil); code != 422 || p["field"] != "launch" {
			t.Errorf("invalid add: %d %v", code, p)
		}
		if code, p := ana.do("POST", "/api/v1/weapons", body, nil); code != http.StatusConflict || p["field"] != "name" {
			t.Errorf("duplicate add: %d %v", code, p)
		}
		if code, _ := ana.do("POST", "/api/v1/weapons", `{"name":"X","colour":"red"}`, nil); code != http.StatusBadRequest {
			t.Errorf("unknown field: %d", code)
		}
		for _, c := range []*apiClient{officer, exporter} {
			if code, _ := c.do("POST", "/api/v1/weapons", body, nil); code != http.StatusForbidden {
				t.Errorf("add by %s: %d", c.token[:8], code)
			}
		}
		var apache list
		officer.do("GET", "/api/v1/weapons?q=apache", nil, &apache)
		j := slices.IndexFunc(apache.Items, func(it exportctl.Item) bool { return it.Name == "AH-64 Apache" })
		if j < 0 {
			t.Fatalf("no Apache: %+v", apache)
		}
		edge := map[string]any{"to": apache.Items[j].ID, "kind": "compatible_with"}
		var e exportctl.Edge
		if code, p := ana.do("POST", "/api/v1/weapons/"+itoa(it.ID)+"/edges", edge, &e); code != http.StatusCreated || e.From != it.ID || e.ToName != "AH-64 Apache" {
			t.Errorf("add edge: %d %v %+v", code, p, e)
		}
		if code, _ := ana.do("POST", "/api/v1/weapons/"+itoa(it.ID)+"/edges", edge, nil); code != http.StatusConflict {
			t.Errorf("duplicate edge: %d", code)
		}
		if code, p := ana.do("POST", "/api/v1/weapons/"+itoa(it.ID)+"/edges", map[string]any{"from": f35.ID, "to": apache.Items[j].ID, "kind": "compatible_with"}, nil); code != 422 || p["field"] != "from" {
			t.Errorf("from not the path: %d %v", code, p)
		}
		if code, p := ana.do("POST", "/api/v1/weapons/"+itoa(it.ID)+"/edges", map[string]any{"to": apache.Items[j].ID, "kind": "part_of"}, nil); code != 422 || p["field"] != "kind" {
			t.Errorf("bad kind: %d %v", code, p)
		}
		if code, _ := exporter.do("POST", "/api/v1/weapons/"+itoa(it.ID)+"/edges", edge, nil); code != http.StatusForbidden {
			t.Errorf("exporter edge: %d", code)
		}

		// Operators, from deliveries.
		if _, err := s.ImportDeliveries(ctx, exportctl.System, "t.csv", []exportctl.Delivery{
			{SIPRIID: "27228", Supplier: "US", Recipient: "IL", Designation: "F-16I", DeliveryYear: 2004, Number: 21},
			{SIPRIID: "22088", Supplier: "US", Recipient: "IL", Designation: "F-16A", DeliveryYear: 1995, Number: 10},
		}); err != nil {
			t.Fatal(err)
		}
		var ops struct {
			Items []exportctl.Operator `json:"items"`
		}
		if code, _ := officer.do("GET", "/api/v1/operators?recipient=IL", nil, &ops); code != 200 ||
			!slices.ContainsFunc(ops.Items, func(o exportctl.Operator) bool {
				return o.Item == "F-16" && o.Since == 1995 && o.Number == 31 && slices.Equal(o.SIPRIIDs, []string{"22088", "27228"})
			}) {
			t.Errorf("operators: %d %+v", code, ops)
		}
		if code, p := officer.do("GET", "/api/v1/operators?recipient=XX", nil, nil); code != 422 || p["field"] != "recipient" {
			t.Errorf("bad recipient: %d %v", code, p)
		}
		if code, _ := exporter.do("GET", "/api/v1/operators", nil, nil); code != http.StatusForbidden {
			t.Errorf("exporter operators: %d", code)
		}
	})
}
