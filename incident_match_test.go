package exportctl

import (
	"strings"
	"testing"
)

func ptr(f float64) *float64 { return &f }

// hospitalStrike is a strike on a hospital in Khan Younis as SiND reports it.
func hospitalStrike() Incident {
	return Incident{
		ID: 1, Sources: []SourceID{{Source: "sind-health", ID: "SIND-1"}},
		StartDate: "2023-11-10", DatePrecision: PrecisionDay, Country: "PS", Admin1: "Gaza Strip",
		Latitude: ptr(31.3460), Longitude: ptr(34.3030), GeoPrecision: 2,
		Target: TargetHospital, Harm: Harm{Killed: 2, Injured: 5},
		Actors: []IncidentActor{{Role: ActorPerpetrator, Type: 1, Name: "Israeli Defence Forces"}},
	}
}

// acledStrike is the same strike as ACLED reports it: a day later, 3 km
// off, the force named differently.
func acledStrike() Incident {
	return Incident{
		ID: 2, Sources: []SourceID{{Source: "acled", ID: "PSE12345"}},
		StartDate: "2023-11-11", DatePrecision: PrecisionDay, Country: "PS", Admin1: "Khan Younis",
		Latitude: ptr(31.3460 + 3/111.19), Longitude: ptr(34.3030), GeoPrecision: 1,
		Target: TargetHospital, Harm: Harm{Killed: 2, Injured: 7},
		Actors: []IncidentActor{
			{Role: ActorPerpetrator, Type: 8, Name: "Military Forces of Israel (2022-)", Force: "Israel Defense Forces (IDF)"},
			{Role: ActorTarget, Type: 7, Name: "Civilians (Palestine)"},
		},
	}
}

func TestProbableDuplicate(t *testing.T) {
	score, reasons, ok := ProbableDuplicate(hospitalStrike(), acledStrike())
	if !ok || score < 0.9 || score > 1 {
		t.Fatalf("same strike: %v %v %v", score, ok, reasons)
	}
	t.Logf("same strike: %.3f %s", score, strings.Join(reasons, "; "))
	joined := strings.Join(reasons, "; ")
	for _, want := range []string{"different sources: sind-health and acled", "1 day(s) apart", "km apart (limit 25 km)", "same target: hospital", `sharing "israel`, "both report 2 killed"} {
		if !strings.Contains(joined, want) {
			t.Errorf("reasons %q lack %q", joined, want)
		}
	}
	// Symmetric.
	if s2, _, ok2 := ProbableDuplicate(acledStrike(), hospitalStrike()); s2 != score || !ok2 {
		t.Errorf("not symmetric: %v vs %v", s2, score)
	}

	cases := []struct {
		name   string
		change func(a, b *Incident)
		why    string
	}{
		{"different target", func(a, b *Incident) { b.Target = TargetSchool }, "different targets"},
		{"unknown target", func(a, b *Incident) { a.Target, b.Target = TargetUnknown, TargetUnknown }, "target unknown"},
		{"40 km apart", func(a, b *Incident) { lat := *a.Latitude + 40/111.19; b.Latitude = &lat }, "km apart (limit 25 km)"},
		{"40 km apart, exact places", func(a, b *Incident) {
			lat := *a.Latitude + 40/111.19
			b.Latitude, a.GeoPrecision, b.GeoPrecision = &lat, 1, 1
		}, "limit 10 km"},
		{"same source", func(a, b *Incident) { b.Sources = []SourceID{{Source: "sind-health", ID: "SIND-2"}} }, "the same source"},
		{"other country", func(a, b *Incident) { b.Country = "IL" }, "different countries"},
		{"three days apart", func(a, b *Incident) { b.StartDate = "2023-11-13" }, "3 days apart (window ±1)"},
		{"other means", func(a, b *Incident) {
			a.Weapons = []IncidentWeapon{{Reported: "Firearms", Launch: LaunchUnknown}}
			b.Weapons = []IncidentWeapon{{Reported: "Air strike", Launch: LaunchAirUnknown}}
		}, "different means: firearms and explosives"},
		{"other harm", func(a, b *Incident) { a.Harm, b.Harm = Harm{Killed: 1}, Harm{Detained: 4} }, "different harm: killed and kidnapped or detained"},
		{"other perpetrators", func(a, b *Incident) {
			b.Actors = []IncidentActor{{Role: ActorPerpetrator, Type: 2, Name: "Hamas"}}
		}, "incompatible perpetrators"},
	}
	for _, c := range cases {
		a, b := hospitalStrike(), acledStrike()
		c.change(&a, &b)
		score, reasons, ok := ProbableDuplicate(a, b)
		if ok || score != 0 || len(reasons) != 1 || !strings.Contains(reasons[0], c.why) {
			t.Errorf("%s: %v %v %q, want no match because %q", c.name, score, ok, reasons, c.why)
		}
	}

	// A week's precision widens the window.
	a, b := hospitalStrike(), acledStrike()
	b.StartDate, b.DatePrecision = "2023-11-15", PrecisionWeek
	if s, r, ok := ProbableDuplicate(a, b); !ok || s >= score {
		t.Errorf("week precision, 5 days apart: %v %v %v", s, ok, r)
	}

	// Shelling and an air strike are both explosives: monitors confuse them.
	a, b = hospitalStrike(), acledStrike()
	a.Weapons = []IncidentWeapon{{Reported: "Shelling", Launch: LaunchGround}}
	b.Weapons = []IncidentWeapon{{Reported: "Air strike", Launch: LaunchAirPlane}, {Reported: "Firearms"}}
	if s, r, ok := ProbableDuplicate(a, b); !ok || s != score || !strings.Contains(strings.Join(r, "; "), "both report explosives") {
		t.Errorf("shelling and air strike: %v %v %v", s, ok, r)
	}

	// One side without a perpetrator: allowed, lower.
	a, b = hospitalStrike(), acledStrike()
	b.Actors = nil
	if s, r, ok := ProbableDuplicate(a, b); !ok || s >= score {
		t.Errorf("no perpetrator on one side: %v %v %v", s, ok, r)
	}
	// Located places need no harm in common; a count in common adds to the score.
	a, b = hospitalStrike(), acledStrike()
	a.Harm, b.Harm = Harm{}, Harm{Killed: 1}
	if s, r, ok := ProbableDuplicate(a, b); !ok || s >= score || s != score-harmBonus {
		t.Errorf("no harm in common: %v %v %v", s, ok, r)
	}
}

// A redacted record (AWSD withholds places in Palestine) matches on admin1
// and the day, with a lower score, and its reasons say nothing of its
// coordinates.
func TestProbableDuplicateRedacted(t *testing.T) {
	sind := hospitalStrike()
	sind.Target = TargetHealthWorker
	awsd := Incident{
		ID: 3, Sources: []SourceID{{Source: "awsd", ID: "4700"}},
		StartDate: "2023-11-10", DatePrecision: PrecisionDay, Country: "PS", Admin1: "Gaza Strip", Admin2: "Khan Younis",
		Latitude: ptr(31.35), Longitude: ptr(34.30), Redacted: true, Target: TargetHealthWorker, Harm: Harm{Killed: 2, AidWorkers: 2},
		Actors: []IncidentActor{{Role: ActorPerpetrator, Type: 1, Name: "Israel Defense Forces (IDF)"}},
	}
	full, _, _ := ProbableDuplicate(hospitalStrike(), acledStrike())
	score, reasons, ok := ProbableDuplicate(sind, awsd)
	if !ok || score >= full {
		t.Fatalf("redacted, same admin1 and day: %v %v %v (located pair %v)", score, ok, reasons, full)
	}
	t.Logf("redacted: %.3f %s", score, strings.Join(reasons, "; "))
	joined := strings.Join(reasons, "; ")
	if !strings.Contains(joined, "same admin1 Gaza Strip") || strings.Contains(joined, " km") || strings.Contains(joined, "Khan Younis") {
		t.Errorf("reasons %q", joined)
	}
	// Without coordinates, a harm count in common is required.
	awsd.Harm = Harm{Killed: 1}
	if _, r, ok := ProbableDuplicate(sind, awsd); ok || !strings.Contains(r[0], "no harm count in common") {
		t.Errorf("admin1 only, no count in common: %v", r)
	}
	awsd.Harm = Harm{Killed: 2}
	// AWSD calls every victim an aid worker: related to health workers, lower again.
	awsd.Target = TargetAid
	if s, r, ok := ProbableDuplicate(sind, awsd); !ok || s >= score {
		t.Errorf("aid and health_worker: %v %v %v", s, ok, r)
	}
	// Another admin1: no.
	awsd.Admin1 = "West Bank"
	if _, r, ok := ProbableDuplicate(sind, awsd); ok {
		t.Errorf("other admin1 matched: %v", r)
	}
	// No admin1 at all ("No Information"): no.
	awsd.Admin1, sind.Admin1 = "No Information", "No Information"
	sind.Redacted = true
	if _, r, ok := ProbableDuplicate(sind, awsd); ok {
		t.Errorf("no place matched: %v", r)
	}
}

func TestDuplicateActorWords(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"Israeli Defence Forces", "Israel Defense Forces (IDF)", true},
		{"Israeli Defence Forces", "IDF", true},
		{"Sudanese Armed Forces", "Military Forces of Sudan (2019-)", true},
		{"Rapid Support Forces", "RSF", true},
		{"Israeli police", "Palestinian police", false},
		{"Hamas", "Israel Defense Forces", false},
		{"Unknown armed group", "Unidentified armed group", false},
	} {
		got := sharedActorWord([]IncidentActor{{Name: c.a}}, []IncidentActor{{Name: c.b}}) != ""
		if got != c.want {
			t.Errorf("%q and %q share a word: %v, want %v", c.a, c.b, got, c.want)
		}
	}
}

func TestDuplicateCandidates(t *testing.T) {
	mk := func(id int64, src, date string, prec int, lat float64) Incident {
		return Incident{ID: id, Sources: []SourceID{{Source: src, ID: src + "-" + date}}, StartDate: date, DatePrecision: prec,
			Country: "PS", Admin1: "Gaza Strip", Latitude: ptr(lat), Longitude: ptr(34.3), GeoPrecision: 1, Target: TargetHospital}
	}
	incs := []Incident{
		mk(1, "sind-health", "2023-11-10", 1, 31.50),
		mk(2, "acled", "2023-11-11", 1, 31.50),       // matches 1
		mk(3, "acled", "2023-11-10", 1, 31.70),       // 22 km from 1: too far
		mk(4, "sind-health", "2023-11-12", 1, 31.50), // matches 2, not 1 (two days)
		mk(5, "awsd", "2023-11-01", 3, 31.501),       // month precision: matches 1, 2 and 4
		mk(6, "acled", "2023-12-20", 1, 31.50),       // alone
	}
	incs[4].EndDate = "2023-11-30"
	got := DuplicateCandidates(incs, nil)
	pairs := map[[2]int64]bool{}
	for _, c := range got {
		if c.A >= c.B || pairs[[2]int64{c.A, c.B}] {
			t.Errorf("bad or repeated pair %+v", c)
		}
		pairs[[2]int64{c.A, c.B}] = true
	}
	want := [][2]int64{{1, 2}, {2, 4}, {1, 5}, {2, 5}, {4, 5}}
	if len(pairs) != len(want) {
		t.Errorf("pairs %v, want %v", pairs, want)
	}
	for _, w := range want {
		if !pairs[w] {
			t.Errorf("missing pair %v in %v", w, pairs)
		}
	}
	for i := 1; i < len(got); i++ {
		if got[i].Score > got[i-1].Score {
			t.Errorf("not best first: %+v", got)
		}
	}
	// Grouped pairs and skipped ones are left out.
	incs[0].GroupID, incs[1].GroupID = 1, 1
	got = DuplicateCandidates(incs, func(a, b int64) bool { return a == 2 && b == 4 })
	for _, c := range got {
		if c.A == 1 && c.B == 2 || c.A == 2 && c.B == 4 {
			t.Errorf("grouped or skipped pair proposed: %+v", c)
		}
	}
	if len(got) != 3 {
		t.Errorf("after grouping and skipping: %+v", got)
	}
}
