package exportctl

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// exposureFixture is the seed graph with Israeli operators, licences of
// several kinds and incidents that should and should not link.
func exposureFixture(t *testing.T) (*ExposureGraph, []Licence, []ExposureIncident) {
	t.Helper()
	seed, err := SeedGraph()
	if err != nil {
		t.Fatal(err)
	}
	g := &ExposureGraph{Items: seed.Items, Edges: seed.Edges}
	id := func(name string) int64 {
		i := slices.IndexFunc(seed.Items, func(it Item) bool { return it.Name == name })
		if i < 0 {
			t.Fatalf("no seed item %q", name)
		}
		return seed.Items[i].ID
	}
	for _, o := range []struct {
		item  string
		since int
	}{{"F-16", 1980}, {"F-35", 2016}, {"Hermes 450", 1998}, {"JDAM", 2019}, {"Merkava", 1979}} {
		g.Operators = append(g.Operators, Operator{Recipient: "IL", ItemID: id(o.item), Item: o.item, Since: o.since, Designations: []string{o.item}})
	}
	party := func(role, name, country string) Party { return Party{Role: role, Name: name, Country: country} }
	iaf := party(PartyEndUser, "Israeli Air Force", "IL")
	lics := []Licence{
		{ID: 1, Reference: "GBSIEL/2020/0000001/P", LicenceType: "SIEL", Status: "issued", Destination: "IL", ValidFrom: "2020-01-01",
			Goods: []Good{{Description: "Landing gear actuators", ComponentOf: "F-16", Rating: "ML10a"}}, Parties: []Party{iaf}},
		{ID: 2, Reference: "GBSIEL/2020/0000002/P", LicenceType: "SIEL", Status: "issued", Destination: "IL", ValidFrom: "2020-01-01",
			Goods: []Good{{Description: "Body armour plates", Rating: "ML13d"}, {Description: "Food-testing reagents", Rating: "NLR"}}, Parties: []Party{iaf}},
		{ID: 3, Reference: "GBSIEL/2015/0000003/P", LicenceType: "SIEL", Status: "issued", Destination: "IL", ValidFrom: "2015-06-01",
			Goods: []Good{{Description: "JDAM tail kit actuators", Rating: "ML4a"}}, Parties: []Party{iaf}},
		{ID: 4, Reference: "GBSIEL/2021/0000004/I", LicenceType: "SIEL", ExportType: ExportIncorporation, Status: "issued", Destination: "US", ValidFrom: "2021-03-01",
			Goods:   []Good{{Description: "Fuel pump housings for F-35", Rating: "ML10"}},
			Parties: []Party{party(PartyEndUser, "Lockheed Martin", "US"), party(PartyUltimateEndUser, "Israeli Air Force", "IL")}},
		{ID: 5, Reference: "CAAT/1", LicenceType: "SIEL", Status: "expired", Destination: "IL", ValidFrom: "2010-04-01", Historical: true,
			Goods: []Good{{Description: "Military aircraft components", Rating: "ML10"}}, Parties: []Party{party(PartyEndUser, "Unknown end user (historical data)", "IL")}},
	}
	idf := []ForceAttribution{{Country: "IL", Name: "Israeli Defence Forces"}}
	incs := []ExposureIncident{
		{ID: 101, Date: "2023-10-17", Country: "PS", Target: TargetHospital, Launch: LaunchAirPlane, Weapons: "aerial bomb: plane", Forces: idf, Classifications: []string{"8.2.b.ix"}},
		{ID: 102, Date: "2019-05-01", Country: "PS", Target: TargetHospital, Launch: LaunchAirPlane, Weapons: "aerial bomb: plane", Forces: idf},
		{ID: 103, Date: "2023-11-02", Country: "PS", Target: TargetAmbulance, Launch: LaunchGround, Weapons: "shelling", Forces: idf},
		{ID: 104, Date: "2023-11-03", Country: "SY", Target: TargetHospital, Launch: LaunchAirPlane, Weapons: "aerial bomb: plane",
			Forces: []ForceAttribution{{Country: "SY", Name: "Syrian Armed Forces"}}},
		{ID: 105, Date: "2023-10-22", Country: "PS", Target: TargetHome, Launch: LaunchAirPlane, Weapons: "jdam", Items: []int64{id("JDAM")}, Forces: idf},
		{ID: 106, Date: "2023-12-01", Country: "PS", Target: TargetHealthWorker, Launch: LaunchAirDrone, Weapons: "aerial bomb: drone", Forces: idf},
		{ID: 107, Date: "2023-12-05", Country: "PS", Target: TargetHospital, Launch: LaunchAirPlane, Weapons: "aerial bomb: plane",
			Forces: []ForceAttribution{{Country: "IL", Name: "Israeli Defence Forces", Confidence: 0.2}}},
	}
	return g, lics, incs
}

type pair struct {
	licence  int64
	incident int64
}

func linksOf(res *ExposureResult) map[pair]ExposureLink {
	out := map[pair]ExposureLink{}
	for _, l := range res.Links {
		out[pair{l.LicenceID, l.IncidentID}] = l
	}
	return out
}

func TestComputeExposure(t *testing.T) {
	g, lics, incs := exposureFixture(t)
	q := ExposureQuery{Destination: "IL"}
	if err := q.Validate(); err != nil {
		t.Fatal(err)
	}
	res := ComputeExposure(DefaultExposureRules(), 1, g, lics, incs, q)
	links := linksOf(res)
	want := map[pair]string{
		{1, 101}: StrengthPlatform, // F-16 parts, air strike after issue
		{1, 105}: StrengthPlatform, // the JDAM strike is also a plane strike
		{3, 105}: StrengthDirect,   // JDAM identified
		{3, 101}: StrengthPlatform, // ML4 via F-16 (JDAM compatible with F-16), operated since 1980
		{3, 102}: StrengthPlatform,
		{4, 101}: StrengthPlatform, // incorporated F-35 parts going on to Israel
		{4, 105}: StrengthPlatform,
		{5, 101}: StrengthPlatform, // historical ML10, platform by category
		{5, 102}: StrengthPlatform,
		{5, 105}: StrengthPlatform,
		{5, 106}: StrengthPlatform, // Hermes 450 is an ML10 drone Israel operates
	}
	for p, s := range want {
		l, ok := links[p]
		if !ok {
			t.Errorf("no link %v (want %s)", p, s)
			continue
		}
		if l.Strength != s {
			t.Errorf("link %v is %s, want %s; path %+v", p, l.Strength, s, l.Path)
		}
	}
	for p, l := range links {
		if _, ok := want[p]; !ok {
			t.Errorf("unexpected link %v (%s): %+v", p, l.Strength, l.Path)
		}
	}
	if res.Total != len(want) || len(res.Links) != len(want) {
		t.Errorf("total %d, listed %d, want %d", res.Total, len(res.Links), len(want))
	}

	// The path explains itself: licence -> good -> platform -> force -> incident.
	l := links[pair{1, 101}]
	var kinds []string
	for _, s := range l.Path {
		kinds = append(kinds, s.Kind)
	}
	if got := strings.Join(kinds, ">"); got != "licence>good>platform>force>incident" {
		t.Errorf("path %s", got)
	}
	if l.Item != "F-16" || !strings.Contains(l.Path[2].Why, "since 1980") || !strings.Contains(l.Dates, "2020-01-01") {
		t.Errorf("platform step %+v, dates %q", l.Path[2], l.Dates)
	}
	inc := links[pair{4, 101}]
	if inc.Path[1].Kind != StepIncorporation || !strings.Contains(inc.Path[1].Label, "Israeli Air Force") {
		t.Errorf("incorporation path %+v", inc.Path)
	}
	if d := links[pair{3, 105}]; d.Path[2].Kind != StepItem || d.Item != "JDAM" {
		t.Errorf("direct path %+v", d.Path)
	}

	// A good naming an item links only through it: the F-16 parts do not
	// reach the drone strike, the JDAM parts not the shelling.
	for _, p := range []pair{{1, 106}, {3, 103}, {3, 106}, {4, 106}} {
		if _, ok := links[p]; ok {
			t.Errorf("link %v: a named item's good links only through the item", p)
		}
	}

	// Per licence: the body armour and NLR licence links to nothing.
	sum := map[int64]ExposureLicence{}
	for _, s := range res.Licences {
		sum[s.LicenceID] = s
	}
	if s := sum[2]; s.Links() != 0 || s.Strongest != "" {
		t.Errorf("body armour licence: %+v", s)
	}
	if s := sum[3]; s.Direct != 1 || s.Platform != 2 || s.Strongest != StrengthDirect {
		t.Errorf("JDAM licence: %+v", s)
	}

	// Aggregates count links and distinct incidents.
	find := func(rows []ExposureCount, key string) ExposureCount {
		for _, r := range rows {
			if r.Key == key {
				return r
			}
		}
		return ExposureCount{}
	}
	if c := find(res.Aggregates.ByTarget, TargetHospital); c.Incidents != 2 || c.Links != 6 {
		t.Errorf("hospital aggregate %+v", c)
	}
	if c := find(res.Aggregates.ByMonth, "2023-10"); c.Incidents != 2 || c.Links != 8 {
		t.Errorf("2023-10 aggregate %+v", c)
	}
	if c := find(res.Aggregates.ByClassification, "8.2.b.ix"); c.Incidents != 1 || c.Links != 4 {
		t.Errorf("classification aggregate %+v", c)
	}
	if c := find(res.Aggregates.ByRating, "ML10"); c.Licences != 2 || c.Links != 6 || c.Incidents != 4 {
		t.Errorf("ML10 aggregate %+v", c)
	}
	if res.Incidents != 4 {
		t.Errorf("linked incidents %d, want 4", res.Incidents)
	}

	// Same question, same data in another order: the same answer.
	r := rand.New(rand.NewPCG(1, 2))
	for range 5 {
		r.Shuffle(len(lics), func(i, j int) { lics[i], lics[j] = lics[j], lics[i] })
		r.Shuffle(len(incs), func(i, j int) { incs[i], incs[j] = incs[j], incs[i] })
		again := ComputeExposure(DefaultExposureRules(), 1, g, lics, incs, q)
		a, _ := json.Marshal(res)
		b, _ := json.Marshal(again)
		if !reflect.DeepEqual(a, b) {
			t.Fatal("a shuffled input changed the answer")
		}
	}

	// The limit bounds the listing, not the counts.
	q.Limit = 3
	small := ComputeExposure(DefaultExposureRules(), 1, g, lics, incs, q)
	if len(small.Links) != 3 || small.Total != res.Total || !reflect.DeepEqual(small.Links, res.Links[:3]) {
		t.Errorf("limited: %d links, total %d", len(small.Links), small.Total)
	}
}

// fields lists the fields a validation error names.
func fields(err error) string {
	var ve *ValidationError
	if !errors.As(err, &ve) {
		return ""
	}
	var out []string
	for _, e := range ve.Errors {
		out = append(out, e.Field)
	}
	return strings.Join(out, ",")
}

func TestExposureQueryValidate(t *testing.T) {
	q := ExposureQuery{Destination: "XX", Since: "2024-13-01", Until: "2023-01-01", Limit: -1}
	if got := fields(q.Validate()); got != "destination,since,limit" {
		t.Errorf("fields %q", got)
	}
	if err := (&ExposureQuery{}).Validate(); err == nil || !strings.Contains(err.Error(), "name a destination") {
		t.Errorf("empty query: %v", err)
	}
	ok := ExposureQuery{Destination: "il", Since: "2023-10-07"}
	if err := ok.Validate(); err != nil || ok.Destination != "IL" || ok.Limit != ExposureDefaultLimit {
		t.Errorf("%v %+v", err, ok)
	}
}

func TestExposureRulesValidate(t *testing.T) {
	r := DefaultExposureRules()
	if r.Rule("ML13d") != nil || r.Rule("NLR") != nil || r.Rule("5A002a") != nil {
		t.Error("body armour, NLR or dual-use has a rule")
	}
	if rule := r.Rule("ML10a"); rule == nil || !rule.PlatformByCategory {
		t.Errorf("ML10 rule %+v", rule)
	}
	_, err := ParseExposureRules([]byte(`{"min_confidence": 2, "categories": [{"category": "ML99"}, {"category": "ML10", "launches": ["space"]}]}`))
	if got := fields(err); got != "min_confidence,categories[0].category,categories[1].launches[0]" {
		t.Errorf("fields %q", got)
	}
	if _, err := ParseExposureRules([]byte(`{"categories": [], "extra": 1}`)); err == nil {
		t.Error("unknown field accepted")
	}
}

func TestAttributedForces(t *testing.T) {
	got := AttributedForces([]IncidentActor{
		{Role: ActorPerpetrator, Type: 1, Name: "Syrian or Russian Forces"},
		{Role: ActorPerpetrator, Type: 1, Name: "Israeli Defence Forces", Confidence: 0.9},
		{Role: ActorPerpetrator, Type: 2, Name: "Hamas"},
		{Role: "target", Type: 1, Name: "Egyptian army"},
		{Role: ActorPerpetrator, Type: 8, Name: "Unit 8200", Country: "IL"},
		{Role: ActorPerpetrator, Type: 1, Name: "Armed forces of Nigeria"},
		{Role: ActorPerpetrator, Type: 1, Name: "Nigerian-backed militia"}, // no country's name as a word
	})
	var cs []string
	for _, f := range got {
		cs = append(cs, f.Country+":"+f.Name)
	}
	if strings.Join(cs, ",") != "IL:Israeli Defence Forces,NG:Armed forces of Nigeria,RU:Syrian or Russian Forces,SY:Syrian or Russian Forces" {
		t.Errorf("got %v", cs)
	}
}

// TestExposureLimitIsAPrefix: whatever the limit, the links listed are
// the first of the full listing (many incidents share a day).
func TestExposureLimitIsAPrefix(t *testing.T) {
	g, lics, _ := exposureFixture(t)
	r := rand.New(rand.NewPCG(7, 7))
	launches := []string{LaunchAirPlane, LaunchAirDrone, LaunchGround, LaunchUnknown}
	var incs []ExposureIncident
	for i := range 300 {
		incs = append(incs, ExposureIncident{ID: int64(1000 + r.IntN(100000)*10 + i%10), Date: fmt.Sprintf("2023-%02d-%02d", 1+r.IntN(3), 1+r.IntN(3)),
			Country: "PS", Target: TargetCategories[r.IntN(len(TargetCategories))], Launch: launches[r.IntN(len(launches))],
			Forces: []ForceAttribution{{Country: "IL", Name: "Israeli Defence Forces"}}})
	}
	full := ComputeExposure(DefaultExposureRules(), 1, g, lics, incs, ExposureQuery{Destination: "IL", Limit: ExposureMaxLimit})
	if full.Total != len(full.Links) || full.Total < 300 {
		t.Fatalf("total %d, listed %d", full.Total, len(full.Links))
	}
	for _, limit := range []int{1, 2, 7, 50, 299, 301, 777} {
		got := ComputeExposure(DefaultExposureRules(), 1, g, lics, incs, ExposureQuery{Destination: "IL", Limit: limit})
		if !reflect.DeepEqual(got.Links, full.Links[:min(limit, len(full.Links))]) {
			t.Fatalf("limit %d: not a prefix of the full listing", limit)
		}
	}
}
