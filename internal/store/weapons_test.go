package store_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/importer"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// weaponsData returns the path of a real dataset under ../shared/data (or
// $EXPORTCTL_SHARED_DATA), skipping when it is absent.
func weaponsData(tb testing.TB, rel string) string {
	tb.Helper()
	dir := os.Getenv("EXPORTCTL_SHARED_DATA")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "data")
	}
	path := filepath.Join(dir, rel)
	if _, err := os.Stat(path); err != nil {
		tb.Skipf("shared data absent (%s): set EXPORTCTL_SHARED_DATA", path)
	}
	return path
}

func graphAnalyst(t *testing.T, s *store.Store, username string) exportctl.Actor {
	t.Helper()
	admin := exportctl.Actor{Username: "system", Role: exportctl.RoleAdmin}
	u, _, err := s.CreateUser(ctx, admin, exportctl.UserInput{Username: username, Role: exportctl.RoleAnalyst, Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	return exportctl.ActorOf(*u)
}

func itemNamed(t *testing.T, s *store.Store, name string) *exportctl.ItemDetail {
	t.Helper()
	items, err := s.Items(ctx, storetest.System, name)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Name == name {
			d, err := s.Item(ctx, storetest.System, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			return d
		}
	}
	t.Fatalf("no item %q", name)
	return nil
}

func hasEdge(d *exportctl.ItemDetail, from, kind, to string) bool {
	return slices.ContainsFunc(d.Edges, func(e exportctl.Edge) bool { return e.FromName == from && e.Kind == kind && e.ToName == to })
}

func TestWeaponSeedGraph(t *testing.T) {
	seed, err := exportctl.SeedGraph()
	if err != nil {
		t.Fatal(err)
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		if n := count(t, s, "weapon_items"); n != len(seed.Items) {
			t.Errorf("%d items loaded, seed has %d", n, len(seed.Items))
		}
		if n := count(t, s, "weapon_edges"); n != len(seed.Edges) {
			t.Errorf("%d edges loaded, seed has %d", n, len(seed.Edges))
		}
		f35 := itemNamed(t, s, "F-35")
		if f35.Kind != exportctl.ItemPlatform || f35.Launch != exportctl.LaunchAirPlane || !slices.Equal(f35.Categories, []string{"ML10"}) || f35.Source != "seed" {
			t.Errorf("F-35 = %+v", f35.Item)
		}
		for _, from := range []string{"F135 engine", "Martin-Baker US16E", "F-35 rear fuselage"} {
			if !hasEdge(f35, from, exportctl.EdgeComponentOf, "F-35") {
				t.Errorf("F-35 lacks %s as a component: %+v", from, f35.Edges)
			}
		}
		jdam := itemNamed(t, s, "JDAM")
		for _, to := range []string{"F-15", "F-16", "F-35"} {
			if !hasEdge(jdam, "JDAM", exportctl.EdgeCompatibleWith, to) {
				t.Errorf("JDAM not compatible with %s", to)
			}
		}
		if !hasEdge(itemNamed(t, s, "F-16I"), "F-16I", exportctl.EdgeVariantOf, "F-16") {
			t.Error("F-16I is not a variant of the F-16")
		}
		// Search covers aliases and categories.
		for q, want := range map[string]string{"fighting falcon": "F-16", "sufa": "F-16I", "hellfire": "AGM-114 Hellfire",
			"F16": "F-16C/D", "pratt & whitney": "F135 engine", "subsystem": "AESA radar", "ml15": "LITENING targeting pod", "Samlesbury": "F-35 rear fuselage"} {
			items, err := s.Items(ctx, f.Officer, q)
			if err != nil || !slices.ContainsFunc(items, func(it exportctl.Item) bool { return it.Name == want }) {
				t.Errorf("Items(%q) = %v %v, want %s", q, itemNames(items), err, want)
			}
		}
		if items, _ := s.Items(ctx, f.Officer, "ML9"); len(items) < 4 {
			t.Errorf("ML9 items: %v", itemNames(items))
		}
		// Seeding again changes nothing.
		before := count(t, s, "audit_events")
		if err := s.SeedWeapons(ctx); err != nil {
			t.Fatal(err)
		}
		if count(t, s, "weapon_items") != len(seed.Items) || count(t, s, "audit_events") != before {
			t.Error("a second seeding changed something")
		}
		// Exporters may not read the graph; anonymous callers must sign in.
		_, err := s.Items(ctx, f.Exporter, "")
		mustCode(t, err, exportctl.EForbidden)
		_, err = s.Item(ctx, f.Exporter, f35.ID)
		mustCode(t, err, exportctl.EForbidden)
		_, err = s.Operators(ctx, f.Exporter, "IL")
		mustCode(t, err, exportctl.EForbidden)
		_, err = s.Items(ctx, exportctl.Actor{}, "")
		mustCode(t, err, exportctl.EUnauthorized)
		_, err = s.Item(ctx, f.Officer, 999999)
		mustCode(t, err, exportctl.ENotFound)
	})
}

func itemNames(items []exportctl.Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.Name)
	}
	return out
}

func TestAnalystExtendsTheGraph(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		ana := graphAnalyst(t, s, "ana1")
		// A delivery of something the seed does not know stays unlinked...
		res, err := s.ImportDeliveries(ctx, ana, "test.csv", []exportctl.Delivery{
			{SIPRIID: "1", Supplier: "US", Recipient: "IL", Designation: "Namer APC", DeliveryYear: 2014, Number: 7},
			{SIPRIID: "2", Supplier: "US", Recipient: "IL", Designation: "AH-64D Apache Longbow", DeliveryYear: 2005, Number: 11},
		})
		if err != nil || res.New != 2 || res.Unmapped != 1 || !slices.Equal(res.UnmappedDesignations, []string{"Namer APC"}) {
			t.Fatalf("import = %+v, %v", res, err)
		}
		items := count(t, s, "weapon_items")
		audit := count(t, s, "audit_events")

		// Validation names every bad field and writes nothing.
		_, err = s.AddItem(ctx, ana, exportctl.ItemInput{Name: "Namer", Kind: "tank", Categories: []string{"ML99"}})
		mustCode(t, err, exportctl.EInvalid)
		if exportctl.ErrorField(err) != "kind" || !strings.Contains(err.Error(), "and 1 more") {
			t.Errorf("invalid item: %v", err)
		}
		_, err = s.AddItem(ctx, ana, exportctl.ItemInput{Name: "Namer", Kind: exportctl.ItemPlatform, Categories: []string{"ML6"}})
		if exportctl.ErrorField(err) != "launch" {
			t.Errorf("platform without launch: %v", err)
		}
		// A name or alias that already names an item is a conflict on that field.
		_, err = s.AddItem(ctx, ana, exportctl.ItemInput{Name: "Spike NLOS", Kind: exportctl.ItemMunition, Categories: []string{"ML4"}, Aliases: []string{"Tammuz", "Hellfire"}})
		mustCode(t, err, exportctl.EConflict)
		if exportctl.ErrorField(err) != "aliases[1]" || !strings.Contains(err.Error(), "AGM-114 Hellfire") {
			t.Errorf("alias clash: %v", err)
		}
		_, err = s.AddItem(ctx, ana, exportctl.ItemInput{Name: "f16", Kind: exportctl.ItemPlatform, Categories: []string{"ML10"}, Launch: "air_plane"})
		if exportctl.ErrorField(err) != "name" {
			t.Errorf("name clash: %v", err)
		}
		// Only analysts add.
		for _, a := range []exportctl.Actor{f.Exporter, f.Officer, f.Admin} {
			_, err = s.AddItem(ctx, a, exportctl.ItemInput{Name: "Namer", Kind: exportctl.ItemPlatform, Categories: []string{"ML6"}, Launch: "ground"})
			mustCode(t, err, exportctl.EForbidden)
		}
		if count(t, s, "weapon_items") != items || count(t, s, "audit_events") != audit {
			t.Fatal("a refused command wrote something")
		}

		namer, err := s.AddItem(ctx, ana, exportctl.ItemInput{Name: "Namer", Kind: exportctl.ItemPlatform, Categories: []string{"ml6a"},
			Aliases: []string{"Namer APC", "Namer IFV"}, Launch: "Ground", Description: "Israeli heavy armoured personnel carrier"})
		if err != nil {
			t.Fatal(err)
		}
		if namer.Source != "analyst:ana1" || !slices.Equal(namer.Categories, []string{"ML6"}) || namer.Launch != exportctl.LaunchGround {
			t.Errorf("added %+v", namer)
		}
		// ... until an analyst adds the item: the delivery links to it.
		ops, err := s.Operators(ctx, f.Officer, "il")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(ops, func(o exportctl.Operator) bool { return o.ItemID == namer.ID && o.Since == 2014 && o.Number == 7 }) {
			t.Errorf("operators after adding Namer: %+v", ops)
		}
		if count(t, s, "audit_events") != audit+1 {
			t.Error("adding an item is one audit event")
		}

		// Edges.
		spike, err := s.AddItem(ctx, ana, exportctl.ItemInput{Name: "Spike NLOS", Kind: exportctl.ItemMunition, Categories: []string{"ML4"}, Aliases: []string{"Tammuz"}})
		if err != nil {
			t.Fatal(err)
		}
		apache := itemNamed(t, s, "AH-64 Apache")
		e, err := s.AddEdge(ctx, ana, exportctl.EdgeInput{From: spike.ID, To: apache.ID, Kind: "compatible_with"})
		if err != nil {
			t.Fatal(err)
		}
		if e.FromName != "Spike NLOS" || e.ToName != "AH-64 Apache" || e.Source != "analyst:ana1" {
			t.Errorf("edge %+v", e)
		}
		_, err = s.AddEdge(ctx, ana, exportctl.EdgeInput{From: spike.ID, To: apache.ID, Kind: "compatible_with"})
		mustCode(t, err, exportctl.EConflict)
		_, err = s.AddEdge(ctx, ana, exportctl.EdgeInput{From: namer.ID, To: apache.ID, Kind: "component_of"})
		if exportctl.ErrorField(err) != "kind" {
			t.Errorf("platform component_of: %v", err)
		}
		_, err = s.AddEdge(ctx, ana, exportctl.EdgeInput{From: spike.ID, To: 999999, Kind: "compatible_with"})
		if exportctl.ErrorField(err) != "to" {
			t.Errorf("unknown target: %v", err)
		}
		_, err = s.AddEdge(ctx, ana, exportctl.EdgeInput{From: 999999, To: spike.ID, Kind: "compatible_with"})
		mustCode(t, err, exportctl.ENotFound)
		f16, f16i := itemNamed(t, s, "F-16"), itemNamed(t, s, "F-16I")
		_, err = s.AddEdge(ctx, ana, exportctl.EdgeInput{From: f16.ID, To: f16i.ID, Kind: "variant_of"})
		if exportctl.ErrorField(err) != "to" || !strings.Contains(err.Error(), "cycle") {
			t.Errorf("variant cycle: %v", err)
		}
		_, err = s.AddEdge(ctx, f.Exporter, exportctl.EdgeInput{From: spike.ID, To: apache.ID, Kind: "compatible_with"})
		mustCode(t, err, exportctl.EForbidden)
		d, _ := s.Item(ctx, f.Officer, apache.ID)
		if !hasEdge(d, "Spike NLOS", "compatible_with", "AH-64 Apache") || !hasEdge(d, "AGM-114 Hellfire", "compatible_with", "AH-64 Apache") {
			t.Errorf("Apache edges: %+v", d.Edges)
		}
		if len(d.Operators) != 1 || d.Operators[0].Since != 2005 || d.Operators[0].Number != 11 || d.Operators[0].Recipient != "IL" {
			t.Errorf("Apache operators: %+v", d.Operators)
		}
	})
}

// sipriIsrael reads the real SIPRI Israel export and counts, independently
// of the parser, the deliveries per designation: first year and total.
func sipriIsrael(t *testing.T) (path string, first, total map[string]int) {
	t.Helper()
	path = weaponsData(t, "sipri/trade-register-recipient-israel.csv")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	var body []string
	for _, l := range lines[11:] {
		body = append(body, strings.TrimSuffix(strings.TrimRight(l, "\r"), ";"))
	}
	rows, err := csv.NewReader(strings.NewReader(strings.Join(body, "\n"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	first, total = map[string]int{}, map[string]int{}
	for _, r := range rows[1:] {
		year, _ := strconv.Atoi(r[10])
		n, _ := strconv.Atoi(r[8])
		if f, ok := first[r[3]]; !ok || year < f {
			first[r[3]] = year
		}
		total[r[3]] += n
	}
	if len(rows)-1 != 278 {
		t.Fatalf("the SIPRI file has %d rows, want 278", len(rows)-1)
	}
	return path, first, total
}

func TestImportSIPRIIsrael(t *testing.T) {
	path, first, total := sipriIsrael(t)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		data, _ := os.ReadFile(path)
		b, err := importer.SIPRI(bytes.NewReader(data))
		if err != nil || len(b.Items) != 278 || len(b.Rejects) != 0 {
			t.Fatalf("parse: %d items, %v rejects, %v", len(b.Items), b.Rejects, err)
		}
		_, err = s.ImportDeliveries(ctx, f.Exporter, "x.csv", b.Items)
		mustCode(t, err, exportctl.EForbidden)
		res, err := s.ImportDeliveries(ctx, exportctl.System, filepath.Base(path), b.Items)
		if err != nil {
			t.Fatal(err)
		}
		if res.Read != 278 || res.New != 278 || res.Unchanged != 0 || res.Unmapped == 0 || res.Unmapped > 200 {
			t.Errorf("first import %+v", res.ImportResult)
		}
		t.Logf("%d of 278 deliveries link to no item: %s", res.Unmapped, strings.Join(res.UnmappedDesignations, "; "))
		if slices.Contains(res.UnmappedDesignations, "JDAM") || slices.Contains(res.UnmappedDesignations, "F-16I") {
			t.Errorf("well-known systems unmapped: %v", res.UnmappedDesignations)
		}
		ops, err := s.Operators(ctx, f.Officer, "IL")
		if err != nil {
			t.Fatal(err)
		}
		op := func(item string) exportctl.Operator {
			t.Helper()
			i := slices.IndexFunc(ops, func(o exportctl.Operator) bool { return o.Item == item })
			if i < 0 {
				t.Fatalf("Israel does not operate %s: %+v", item, ops)
			}
			return ops[i]
		}
		minOf := func(ds ...string) int {
			m := 9999
			for _, d := range ds {
				if y, ok := first[d]; ok {
					m = min(m, y)
				}
			}
			return m
		}
		for item, designations := range map[string][]string{
			"F-16":             {"F-16A", "F-16I"},
			"F-16I":            {"F-16I"},
			"F-35":             {"F-35A Lightning-2"},
			"JDAM":             {"JDAM"},
			"AH-64 Apache":     {"AH-64D Apache Longbow"},
			"AGM-114 Hellfire": {"AGM-114 Hellfire-2", "AGM-114L Hellfire"},
			"GBU-39":           {"GBU-39 SDB"},
			"F-15":             {"F-15E Strike Eagle", "F-15C Eagle"},
		} {
			o := op(item)
			want := 0
			for _, d := range designations {
				want += total[d]
			}
			if o.Since != minOf(designations...) || o.Number != want || o.Recipient != "IL" || o.Source != "sipri" {
				t.Errorf("%s: since %d number %d, want since %d number %d (%+v)", item, o.Since, o.Number, minOf(designations...), want, o)
			}
		}
		// The facts the issue names, from the file itself.
		if op("F-16").Since != 1995 || op("F-35").Since != 2016 || op("JDAM").Since != 2000 || op("AH-64 Apache").Since != 2005 {
			t.Errorf("F-16 %d, F-35 %d, JDAM %d, AH-64 %d", op("F-16").Since, op("F-35").Since, op("JDAM").Since, op("AH-64 Apache").Since)
		}
		// DOMAIN.md's worked example: 1,588 JDAM kits delivered in 2019 (ordered 2016), SIPRI deal 59889.
		if !slices.Contains(op("JDAM").SIPRIIDs, "59889") {
			t.Errorf("JDAM deals %v", op("JDAM").SIPRIIDs)
		}
		var n int
		if err := s.DB().QueryRow(`SELECT number FROM deliveries WHERE sipri_id = '59889' AND delivery_year = 2019`).Scan(&n); err != nil || n != 1588 {
			t.Errorf("JDAM 2019: %d %v", n, err)
		}
		if f35 := op("F-35"); !slices.Equal(f35.Designations, []string{"F-35A Lightning-2"}) {
			t.Errorf("F-35 designations %v", f35.Designations)
		}

		// Re-importing the same file changes nothing.
		before := count(t, s, "deliveries")
		res, err = s.ImportDeliveries(ctx, exportctl.System, filepath.Base(path), b.Items)
		if err != nil || res.New != 0 || res.Updated != 0 || res.Unchanged != 278 {
			t.Errorf("re-import %+v %v", res.ImportResult, err)
		}
		if count(t, s, "deliveries") != before {
			t.Error("re-import added rows")
		}
		// A corrected row is an update.
		items := slices.Clone(b.Items)
		for i := range items {
			if items[i].SIPRIID == "59889" {
				items[i].Number = 1600
			}
		}
		res, err = s.ImportDeliveries(ctx, exportctl.System, "corrected.csv", items)
		if err != nil || res.Updated != 1 || res.Unchanged != 277 {
			t.Errorf("corrected import %+v %v", res.ImportResult, err)
		}
		// Bad entries are all reported and nothing is written.
		_, err = s.ImportDeliveries(ctx, exportctl.System, "bad.csv", []exportctl.Delivery{{Supplier: "XX", Recipient: "IL", Designation: "JDAM", DeliveryYear: 2019},
			{Supplier: "US", Recipient: "IL", Designation: "", DeliveryYear: 19}})
		if exportctl.ErrorField(err) != "deliveries[0].supplier" || !strings.Contains(err.Error(), "and 2 more") {
			t.Errorf("bad deliveries: %v", err)
		}
	})
}
