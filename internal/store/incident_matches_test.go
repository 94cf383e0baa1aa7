package store_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

func matchFloat(f float64) *float64 { return &f }

// importHand imports hand-built incidents of one source, as an import of
// that source's file would.
func importHand(t *testing.T, s *store.Store, a exportctl.Actor, source string, incs ...exportctl.Incident) {
	t.Helper()
	res, err := s.ImportIncidents(ctx, a, source, source+"-hand.csv", func(emit func(exportctl.Incident, int) error) error {
		for i, inc := range incs {
			if err := emit(inc, i+2); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if err != nil || len(res.Rejected) > 0 || res.New != len(incs) {
		t.Fatalf("import %s: %+v %v", source, res, err)
	}
}

// matchWorld is a small register with three events reported by several
// sources, an event nobody else reported, and a different event at the
// same place.
type matchWorld struct {
	analyst, officer, exporter exportctl.Actor
	ids                        map[string]int64 // by source id
}

func newMatchWorld(t *testing.T, s *store.Store) *matchWorld {
	t.Helper()
	f := storetest.NewFixture(t, s)
	u, _, err := s.CreateUser(ctx, exportctl.System, exportctl.UserInput{Username: "analyst1", Role: exportctl.RoleAnalyst})
	if err != nil {
		t.Fatal(err)
	}
	w := &matchWorld{analyst: exportctl.ActorOf(*u), officer: f.Officer, exporter: f.Exporter, ids: map[string]int64{}}
	idf := []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Israeli Defence Forces", Confidence: 0.8}}
	acledIDF := []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 8, Name: "Military Forces of Israel (2022-)",
		Force: "Israel Defense Forces (IDF)", Confidence: 0.8}}
	inc := func(src, id, date string, lat, lon float64, geo int, target string, actors []exportctl.IncidentActor) exportctl.Incident {
		return exportctl.Incident{Sources: []exportctl.SourceID{{Source: src, ID: id}}, StartDate: date, DatePrecision: 1,
			Country: "PS", Admin1: "Gaza Strip", Latitude: matchFloat(lat), Longitude: matchFloat(lon), GeoPrecision: geo, Target: target, Actors: actors,
			Narrative: id, Publishable: true}
	}
	// Two health workers injured: the records without coordinates need a
	// harm count in common.
	hurt := func(i exportctl.Incident) exportctl.Incident { i.Harm.Injured = 2; return i }
	// Event 1: a strike on a hospital, 2023-11-10 (SiND, ACLED a day
	// later and 3 km off, and an analyst's own record).
	// Event 2: health workers attacked, 2023-11-20 (SiND, ACLED, and the
	// AWSD, which withholds places in Palestine and calls them aid workers).
	importHand(t, s, w.analyst, "sind-health",
		inc("sind-health", "S1", "2023-11-10", 31.346, 34.303, 2, exportctl.TargetHospital, idf),
		inc("sind-health", "S2", "2023-11-10", 31.706, 34.303, 2, exportctl.TargetHospital, idf), // 40 km north: another strike
		hurt(inc("sind-health", "S3", "2023-11-20", 31.520, 34.450, 2, exportctl.TargetHealthWorker, idf)),
	)
	importHand(t, s, w.analyst, "acled",
		inc("acled", "A1", "2023-11-11", 31.373, 34.303, 1, exportctl.TargetHospital, acledIDF),
		inc("acled", "A2", "2023-11-10", 31.346, 34.303, 1, exportctl.TargetSchool, acledIDF), // a school: another event
		hurt(inc("acled", "A3", "2023-11-21", 31.520, 34.500, 1, exportctl.TargetHealthWorker, acledIDF)),
	)
	awsd := hurt(inc("awsd", "W1", "2023-11-20", 31.52, 34.45, 0, exportctl.TargetAid,
		[]exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Israel Defense Forces (IDF)", Confidence: 1}}))
	awsd.Latitude, awsd.Longitude, awsd.Redacted = nil, nil, true
	importHand(t, s, w.analyst, "awsd", awsd)
	man := inc("", "", "2023-11-10", 31.350, 34.300, 1, exportctl.TargetHospital, nil)
	man.Sources = nil
	m, err := s.CreateIncident(ctx, w.analyst, man)
	if err != nil {
		t.Fatal(err)
	}
	page, err := s.Incidents(ctx, w.analyst, exportctl.IncidentFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range page.Items {
		if i.Sources[0].Source != exportctl.SourceManual {
			w.ids[i.Sources[0].ID] = i.ID
		}
	}
	w.ids["X1"] = m.ID
	if len(w.ids) != 8 {
		t.Fatalf("incidents %v", w.ids)
	}
	return w
}

// pairs names a list of matches by source ids, "S1-A1".
func (w *matchWorld) pairs(ms []exportctl.IncidentMatch) map[string]exportctl.IncidentMatch {
	name := map[int64]string{}
	for k, id := range w.ids {
		name[id] = k
	}
	out := map[string]exportctl.IncidentMatch{}
	for _, m := range ms {
		a, b := name[m.A], name[m.B]
		if a > b {
			a, b = b, a
		}
		out[a+"-"+b] = m
	}
	return out
}

func TestIncidentMatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newMatchWorld(t, s)
		ana := w.analyst

		// Who may propose.
		for _, a := range []exportctl.Actor{w.officer, w.exporter, {}} {
			_, err := s.ProposeMatches(ctx, a, exportctl.IncidentFilter{})
			mustCode(t, err, exportctl.EForbidden)
		}
		_, err := s.ProposeMatches(ctx, ana, exportctl.IncidentFilter{From: "2023-13-01"})
		mustCode(t, err, exportctl.EInvalid)

		n, err := s.ProposeMatches(ctx, ana, exportctl.IncidentFilter{Country: "PS"})
		if err != nil {
			t.Fatal(err)
		}
		page, err := s.Matches(ctx, w.officer, exportctl.MatchProposed, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		got := w.pairs(page.Items)
		want := []string{"A1-S1", "A1-X1", "S1-X1", "S3-W1", "A3-S3", "A3-W1"}
		if n != len(want) || page.Total != len(want) || len(got) != len(want) {
			t.Fatalf("proposed %d, listed %d: %v", n, page.Total, matchKeys(got))
		}
		for _, p := range want {
			m, ok := got[p]
			if !ok {
				t.Errorf("%s not proposed (got %v)", p, matchKeys(got))
				continue
			}
			if m.Status != exportctl.MatchProposed || m.Score < exportctl.MatchThreshold || m.Score > 1 || len(m.Reasons) < 5 || m.A >= m.B || m.At != nil {
				t.Errorf("%s: %+v", p, m)
			}
		}
		t.Logf("S1-A1: %.3f %s", got["A1-S1"].Score, strings.Join(got["A1-S1"].Reasons, "; "))
		t.Logf("S3-W1: %.3f %s", got["S3-W1"].Score, strings.Join(got["S3-W1"].Reasons, "; "))
		// The redacted AWSD record's place is never described.
		for _, p := range []string{"S3-W1", "A3-W1"} {
			if r := strings.Join(got[p].Reasons, "; "); strings.Contains(r, " km") || !strings.Contains(r, "same admin1 Gaza Strip") {
				t.Errorf("%s reasons: %s", p, r)
			}
		}
		if got["S3-W1"].Score >= got["A3-S3"].Score {
			t.Errorf("the redacted pair should score lower: %v vs %v", got["S3-W1"].Score, got["A3-S3"].Score)
		}

		// Proposing again proposes nothing new.
		if n, err := s.ProposeMatches(ctx, ana, exportctl.IncidentFilter{}); err != nil || n != 0 {
			t.Fatalf("re-propose: %d %v", n, err)
		}
		// Paging.
		p1, err := s.Matches(ctx, ana, "", 4, "")
		if err != nil || len(p1.Items) != 4 || p1.Next == nil || p1.Total != 6 {
			t.Fatalf("page 1: %+v %v", p1, err)
		}
		p2, err := s.Matches(ctx, ana, "", 4, *p1.Next)
		if err != nil || len(p2.Items) != 2 || p2.Next != nil || p2.Items[0].ID >= p1.Items[3].ID {
			t.Fatalf("page 2: %+v %v", p2, err)
		}
		_, err = s.Matches(ctx, ana, "maybe", 0, "")
		mustCode(t, err, exportctl.EInvalid)
		for _, a := range []exportctl.Actor{w.exporter, {}} {
			_, err = s.Matches(ctx, a, "", 0, "")
			mustCode(t, err, exportctl.EForbidden)
			_, err = s.MatchesFor(ctx, a, w.ids["S3"])
			mustCode(t, err, exportctl.EForbidden)
		}
		for3, err := s.MatchesFor(ctx, w.officer, w.ids["S3"])
		if err != nil || len(for3) != 2 {
			t.Fatalf("matches for S3: %+v %v", for3, err)
		}
		_, err = s.MatchesFor(ctx, ana, 999999)
		mustCode(t, err, exportctl.ENotFound)

		// Deciding: analysts only.
		id := func(p string) int64 { return got[p].ID }
		mustCode(t, s.DecideMatch(ctx, w.officer, id("S3-W1"), true, ""), exportctl.EForbidden)
		mustCode(t, s.DecideMatch(ctx, w.exporter, id("S3-W1"), true, ""), exportctl.EForbidden)
		mustCode(t, s.DecideMatch(ctx, ana, 999999, true, ""), exportctl.ENotFound)
		mustCode(t, s.DecideMatch(ctx, ana, id("S3-W1"), true, strings.Repeat("x", 20001)), exportctl.EInvalid)

		group := func(src string) int64 {
			t.Helper()
			inc, err := s.Incident(ctx, ana, w.ids[src])
			if err != nil {
				t.Fatal(err)
			}
			return inc.GroupID
		}
		// Event 2: A3-W1 first makes the group of A3 and W1 ...
		if err := s.DecideMatch(ctx, ana, id("A3-W1"), true, "same PRCS team"); err != nil {
			t.Fatal(err)
		}
		g := min(w.ids["A3"], w.ids["W1"])
		if group("A3") != g || group("W1") != g || group("S3") != 0 {
			t.Fatalf("groups after A3-W1: %d %d %d, want %d", group("A3"), group("W1"), group("S3"), g)
		}
		// ... then S3-W1 merges S3 in: S3 has the smallest id, so the
		// larger group's members are renumbered.
		if err := s.DecideMatch(ctx, ana, id("S3-W1"), true, ""); err != nil {
			t.Fatal(err)
		}
		g = w.ids["S3"]
		if group("A3") != g || group("W1") != g || group("S3") != g {
			t.Fatalf("groups after S3-W1: %d %d %d, want %d", group("A3"), group("W1"), group("S3"), g)
		}
		m, err := s.Match(ctx, w.officer, id("S3-W1"))
		if err != nil || m.Status != exportctl.MatchConfirmed || m.By != "analyst1" || m.At == nil {
			t.Fatalf("decided match: %+v %v", m, err)
		}
		mustCode(t, s.DecideMatch(ctx, ana, id("S3-W1"), false, ""), exportctl.EConflict) // already decided
		// A3-S3 is already implied: rejecting it contradicts the group.
		mustCode(t, s.DecideMatch(ctx, ana, id("A3-S3"), false, ""), exportctl.EConflict)
		if err := s.DecideMatch(ctx, ana, id("A3-S3"), true, ""); err != nil {
			t.Fatal(err)
		}

		// Event 1: S1-A1 rejected; S1-X1 confirmed; A1-X1 would join what
		// an analyst said are different events.
		if err := s.DecideMatch(ctx, ana, id("A1-S1"), false, "different wards, different days"); err != nil {
			t.Fatal(err)
		}
		if err := s.DecideMatch(ctx, ana, id("S1-X1"), true, ""); err != nil {
			t.Fatal(err)
		}
		mustCode(t, s.DecideMatch(ctx, ana, id("A1-X1"), true, ""), exportctl.EConflict)
		if group("A1") != 0 || group("S1") != w.ids["S1"] || group("X1") != w.ids["S1"] {
			t.Errorf("event 1 groups: %d %d %d", group("A1"), group("S1"), group("X1"))
		}
		// Rejected pairs are remembered: proposing again proposes nothing.
		if n, err := s.ProposeMatches(ctx, ana, exportctl.IncidentFilter{}); err != nil || n != 0 {
			t.Fatalf("re-propose after decisions: %d %v", n, err)
		}
		for status, want := range map[string]int{exportctl.MatchProposed: 1, exportctl.MatchConfirmed: 4, exportctl.MatchRejected: 1} {
			if p, err := s.Matches(ctx, ana, status, 0, ""); err != nil || p.Total != want {
				t.Errorf("%s: %d %v, want %d", status, p.Total, err, want)
			}
		}

		// Counting: the plain total counts every record; the distinct count
		// counts each group once.
		day2 := exportctl.IncidentFilter{From: "2023-11-20", To: "2023-11-21"}
		if n := total(t, s, ana, day2); n != 3 {
			t.Errorf("plain total of event 2: %d", n)
		}
		for _, a := range []exportctl.Actor{ana, w.officer, {}} {
			if n, err := s.DistinctIncidentCount(ctx, a, day2); err != nil || n != 1 {
				t.Errorf("distinct count of event 2 as %q: %d %v", a.Role, n, err)
			}
		}
		if n, err := s.DistinctIncidentCount(ctx, ana, exportctl.IncidentFilter{}); err != nil || n != 8-2-1 {
			t.Errorf("distinct count of all: %d %v (8 records, 3 of event 2 and 2 of event 1 grouped)", n, err)
		}
		near := exportctl.IncidentFilter{Near: &exportctl.Near{Lat: 31.52, Lon: 34.47, KM: 5}}
		if n, err := s.DistinctIncidentCount(ctx, ana, near); err != nil || n != 1 || total(t, s, ana, near) != 2 {
			t.Errorf("distinct count near event 2: %d %v (plain %d)", n, err, total(t, s, ana, near))
		}
		_, err = s.DistinctIncidentCount(ctx, w.exporter, day2)
		mustCode(t, err, exportctl.EForbidden)
		// Aggregates count events too: the grouped records count once.
		for _, f := range []exportctl.IncidentFilter{{}, near} {
			counts, err := s.IncidentCounts(ctx, ana, f, "month")
			if err != nil {
				t.Fatal(err)
			}
			sum := 0
			for _, c := range counts {
				sum += c.Count
			}
			want, _ := s.DistinctIncidentCount(ctx, ana, f)
			if sum != want {
				t.Errorf("monthly counts %+v sum to %d, want the %d events", counts, sum, want)
			}
		}

		// Nothing was merged away: every record and source id is still there.
		if n := total(t, s, ana, exportctl.IncidentFilter{}); n != 8 {
			t.Errorf("incidents: %d", n)
		}
		var audits int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM audit_events WHERE action IN ('incident_match.propose', 'incident_match.confirm', 'incident_match.reject')`).Scan(&audits); err != nil || audits != 1+4+1 {
			t.Errorf("audit events: %d %v", audits, err)
		}
	})
}

func matchKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestIncidentMatchesRealData proposes matches between the SiND attacks
// on health care and the Aid Worker Security Database for Palestine in
// 2023, and prints a few for a human to judge.
func TestIncidentMatchesRealData(t *testing.T) {
	sind, awsd := sharedFile(t, sindFile), sharedFile(t, awsdFile)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		importFile(t, s, "sind", sind)
		importFile(t, s, "awsd", awsd)
		f := exportctl.IncidentFilter{Country: "PS", From: "2023-01-01", To: "2023-12-31"}
		start := time.Now()
		n, err := s.ProposeMatches(ctx, exportctl.System, f)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("PS 2023: %d incidents, %d proposals in %v", total(t, s, exportctl.System, f), n, time.Since(start).Round(time.Millisecond))
		if n == 0 {
			t.Fatal("no proposals")
		}
		var ms []exportctl.IncidentMatch
		for cursor := ""; ; {
			p, err := s.Matches(ctx, exportctl.System, exportctl.MatchProposed, 500, cursor)
			if err != nil {
				t.Fatal(err)
			}
			ms = append(ms, p.Items...)
			if p.Next == nil {
				break
			}
			cursor = *p.Next
		}
		if len(ms) != n {
			t.Fatalf("listed %d of %d", len(ms), n)
		}
		incs := map[int64]*exportctl.Incident{}
		get := func(id int64) *exportctl.Incident {
			if incs[id] == nil {
				inc, err := s.Incident(ctx, exportctl.System, id)
				if err != nil {
					t.Fatal(err)
				}
				incs[id] = inc
			}
			return incs[id]
		}
		bands := map[string]int{}
		targets := map[string]int{}
		parent := map[int64]int64{}
		var find func(int64) int64
		find = func(x int64) int64 {
			if p, ok := parent[x]; ok && p != x {
				r := find(p)
				parent[x] = r
				return r
			}
			return x
		}
		for _, m := range ms {
			a, b := get(m.A), get(m.B)
			if a.Sources[0].Source == b.Sources[0].Source {
				t.Errorf("match %d pairs two records of %s", m.ID, a.Sources[0].Source)
			}
			bands[fmt.Sprintf("%.1f", m.Score-0.05)]++
			targets[a.Target+"/"+b.Target]++
			parent[find(m.A)] = find(m.B)
		}
		groups := map[int64]bool{}
		for id := range parent {
			groups[find(id)] = true
		}
		t.Logf("scores (band from): %v; targets: %v", bands, targets)
		t.Logf("if every proposal were confirmed, %d records would form %d groups", len(parent), len(groups))
		// Pairs a reader of both narratives takes for one event (not
		// asserted: the brief is to propose, an analyst decides).
		proposed := map[[2]int64]bool{}
		for _, m := range ms {
			proposed[[2]int64{m.A, m.B}] = true
		}
		record := func(source, id string) exportctl.Incident {
			p, err := s.Incidents(ctx, exportctl.System, exportctl.IncidentFilter{Source: source, SourceID: id})
			if err != nil || len(p.Items) != 1 {
				t.Fatalf("%s %s: %+v %v", source, id, p, err)
			}
			return p.Items[0]
		}
		for _, p := range [][2]string{{"41016", "3938"}, {"41698", "4970"}, {"41690", "3954"}} {
			x, y := record("sind-health", p[0]), record("awsd", p[1])
			score, reasons, _ := exportctl.ProbableDuplicate(x, y)
			t.Logf("known duplicate sind-health %s = awsd %s: proposed %v, %.3f %s", p[0], p[1],
				proposed[[2]int64{min(x.ID, y.ID), max(x.ID, y.ID)}], score, strings.Join(reasons, "; "))
		}
		sort.Slice(ms, func(i, j int) bool {
			return ms[i].Score > ms[j].Score || ms[i].Score == ms[j].Score && ms[i].ID < ms[j].ID
		})
		for _, m := range []exportctl.IncidentMatch{ms[0], ms[len(ms)/2]} {
			t.Logf("match %d score %.3f: %s", m.ID, m.Score, strings.Join(m.Reasons, "; "))
			for _, inc := range []*exportctl.Incident{get(m.A), get(m.B)} {
				names, _ := inc.Perpetrators()
				text := inc.Narrative
				if len(text) > 300 {
					text = text[:300] + "..."
				}
				t.Logf("  %s %s %s %s %s [%s] %s", inc.Sources[0].Source, inc.Sources[0].ID, inc.StartDate, inc.Admin1, inc.Target,
					strings.Join(names, ", "), text)
			}
		}
	})
}
