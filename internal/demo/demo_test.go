package demo_test

import (
	"context"
	"maps"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/demo"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

var ctx = context.Background()

// officer is an internal actor that sees every case.
var officer = exportctl.Actor{Role: exportctl.RoleCaseOfficer, Username: "t"}

func allApplications(t *testing.T, s *store.Store, f exportctl.ApplicationFilter) []exportctl.ApplicationSummary {
	t.Helper()
	var out []exportctl.ApplicationSummary
	f.Limit = 500
	for {
		page, err := s.Applications(ctx, officer, f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, page.Items...)
		if page.Next == nil {
			return out
		}
		f.Cursor = *page.Next
	}
}

func TestSeed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		logins, err := demo.Seed(ctx, s)
		if err != nil {
			t.Fatal(err)
		}

		// Every role has a login, every login has a note.
		roles := map[string]bool{}
		for _, l := range logins {
			roles[l.Role] = true
			if l.Role == "reporter" { // the anonymous reporter has a receipt code, not an account
				if !regexp.MustCompile(`receipt code ([0-9A-Z]{4}-){6}[0-9A-Z]{4}$`).MatchString(l.Note) {
					t.Errorf("reporter login %+v: want a receipt code in the note", l)
				}
				if _, err := s.ReporterConcern(ctx, exportctl.ConcernReporter{Code: l.Note[len(l.Note)-34:]}); err != nil {
					t.Errorf("the demo's receipt code does not open its concern: %v", err)
				}
				continue
			}
			if l.Password != demo.Password || l.Note == "" || l.Username == "" {
				t.Errorf("login %+v: want the demo password, a username and a note", l)
			}
		}
		for _, r := range exportctl.Roles {
			if !roles[string(r)] {
				t.Errorf("no demo login with role %s", r)
			}
		}

		checkConcerns(t, s)

		// Applications in every state.
		counts, err := s.StatusCounts(ctx, officer)
		if err != nil {
			t.Fatal(err)
		}
		// Staff never see drafts: count those in the table.
		var drafts int
		if err := s.DB().QueryRow(`SELECT COUNT(*) FROM applications WHERE status = 'draft'`).Scan(&drafts); err != nil {
			t.Fatal(err)
		}
		counts[exportctl.StatusDraft] = drafts
		total := 0
		for _, n := range counts {
			total += n
		}
		if total < 40 {
			t.Errorf("%d applications, want at least 40", total)
		}
		for _, st := range exportctl.CaseStatuses {
			if counts[st] == 0 {
				t.Errorf("no application is %s", st)
			}
		}
		t.Logf("applications per status (%d in all): %v", total, counts)

		// Every outcome, and the destinations the issue names.
		apps := allApplications(t, s, exportctl.ApplicationFilter{})
		if len(apps) != total-drafts {
			t.Fatalf("listed %d applications, counted %d", len(apps), total)
		}
		outcomes := map[string]int{}
		perDest := map[string]int{}
		for _, a := range apps {
			if a.Status == exportctl.StatusFinalised {
				outcomes[a.Outcome]++
			}
			perDest[a.Destination]++
		}
		for _, o := range exportctl.Outcomes {
			if outcomes[o] == 0 {
				t.Errorf("no finalised application with outcome %s", o)
			}
		}
		t.Logf("finalised outcomes: %v", outcomes)
		t.Logf("applications per destination: %v", perDest)
		for _, c := range []string{"IL", "SA", "UA", "US", "TR", "IN"} {
			got := allApplications(t, s, exportctl.ApplicationFilter{Destination: c})
			if len(got) == 0 {
				t.Errorf("no application to %s", c)
			}
		}

		// Rating families, and refusals citing criteria.
		families := map[string]bool{}
		cited := map[string]bool{}
		for _, sum := range apps {
			a, err := s.Application(ctx, officer, sum.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, g := range a.Goods {
				families[exportctl.RatingFamily(g.Rating)] = true
				if g.ComponentOf != "" && g.Description == "" {
					t.Errorf("%s: component without description", a.Reference)
				}
			}
			ds, err := s.Decisions(ctx, officer, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				if d.Outcome == exportctl.OutcomeRefused {
					if len(d.Reasons) < 100 {
						t.Errorf("%s: refusal reasons too thin: %q", a.Reference, d.Reasons)
					}
					for _, c := range d.Criteria {
						cited[c] = true
					}
				}
			}
		}
		for _, f := range []string{"ML10", "ML15", "ML4", "ML6", "ML13", "ML1", "5A002", "1C350"} {
			if !families[f] {
				t.Errorf("no good rated in family %s", f)
			}
		}
		if !families["ML9"] && !families["ML11"] {
			t.Errorf("no naval goods rated ML9 or ML11")
		}
		for _, c := range []string{"2c", "2a", "7", "1"} {
			if !cited[c] {
				t.Errorf("no refusal cites criterion %s", c)
			}
		}

		checkRecords(t, s, apps)
		checkEvidence(t, s)

		// Licences: suspended, reinstated, revoked, surrendered.
		licCounts := map[string]int{}
		for _, st := range exportctl.LicenceStatuses {
			page, err := s.Licences(ctx, officer, exportctl.LicenceFilter{Status: st})
			if err != nil {
				t.Fatal(err)
			}
			licCounts[st] = page.Total
		}
		t.Logf("licences per status: %v", licCounts)
		if licCounts[exportctl.LicenceSuspended] < 3 {
			t.Errorf("%d suspended licences, want at least 3", licCounts[exportctl.LicenceSuspended])
		}
		if licCounts[exportctl.LicenceRevoked] == 0 || licCounts[exportctl.LicenceSurrendered] == 0 {
			t.Errorf("want a revoked and a surrendered licence: %v", licCounts)
		}
		israel, err := s.Licences(ctx, officer, exportctl.LicenceFilter{Status: exportctl.LicenceSuspended, Destination: "IL"})
		if err != nil {
			t.Fatal(err)
		}
		if israel.Total < 3 {
			t.Errorf("%d suspended licences for Israel, want at least 3", israel.Total)
		}
		reinstated := false
		issued, err := s.Licences(ctx, officer, exportctl.LicenceFilter{Status: exportctl.LicenceIssued, Limit: 500})
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range issued.Items {
			h, err := s.LicenceHistory(ctx, officer, l.ID)
			if err != nil {
				t.Fatal(err)
			}
			if slices.ContainsFunc(h, func(e exportctl.AuditEvent) bool { return e.Action == "licence.reinstate" }) {
				reinstated = true
			}
		}
		if !reinstated {
			t.Error("no licence was reinstated after suspension")
		}
		checkReviews(t, s, officer)
		if _, problems, err := s.VerifyLog(ctx); err != nil || len(problems) > 0 {
			t.Errorf("the demo's transparency log: %v %+v", err, problems)
		}

		// The logins work, and exporters see only their own cases.
		for _, name := range []string{"officer", "minister", "northbridge"} {
			i := slices.IndexFunc(logins, func(l demo.Login) bool { return l.Username == name })
			if i < 0 {
				t.Fatalf("no login %q", name)
			}
			sess, err := s.Login(ctx, logins[i].Username, logins[i].Password)
			if err != nil {
				t.Fatalf("login %s: %v", name, err)
			}
			if string(sess.User.Role) != logins[i].Role {
				t.Errorf("login %s: role %s, want %s", name, sess.User.Role, logins[i].Role)
			}
			if name == "northbridge" {
				a := exportctl.ActorOf(sess.User)
				own, err := s.Applications(ctx, a, exportctl.ApplicationFilter{Limit: 500})
				if err != nil {
					t.Fatal(err)
				}
				if own.Total == 0 || own.Total == total {
					t.Errorf("northbridge sees %d of %d applications", own.Total, total)
				}
				for _, sum := range own.Items {
					if sum.OrgName != "Northbridge Aerospace Ltd" {
						t.Errorf("northbridge sees %s of %s", sum.Reference, sum.OrgName)
					}
				}
			}
		}

		// Seeding again fails cleanly and adds nothing.
		_, err = demo.Seed(ctx, s)
		if code := exportctl.ErrorCode(err); code != exportctl.EConflict {
			t.Fatalf("second seed: code %q (%v), want conflict", code, err)
		}
		again, err := s.StatusCounts(ctx, officer)
		if err != nil {
			t.Fatal(err)
		}
		again[exportctl.StatusDraft] = drafts
		var draftsAgain int
		s.DB().QueryRow(`SELECT COUNT(*) FROM applications WHERE status = 'draft'`).Scan(&draftsAgain)
		if !maps.Equal(again, counts) || draftsAgain != drafts {
			t.Errorf("second seed changed the counts: %v -> %v", counts, again)
		}
	})
}

// checkRecords reads the decision record of every visible case: decided
// cases went through advice, assessment, final advice and countersigning;
// cases in the new states are where they should be; and the special cases
// the issue asks for are there (conflicting advice resolved, a refusal
// under 2c, a departure, a rejected countersignature).
func checkRecords(t *testing.T, s *store.Store, apps []exportctl.ApplicationSummary) {
	t.Helper()
	var resolved, departures, carveOuts, invalidated, refusals2c, documents, partial int
	for _, sum := range apps {
		rec, err := s.DecisionRecord(ctx, officer, sum.ID)
		if err != nil {
			t.Fatalf("%s: decision record: %v", sum.Reference, err)
		}
		ref := sum.Reference + " (" + sum.Status + ")"
		var final *exportctl.Assessment
		for i, as := range rec.Assessments {
			if as.Status == exportctl.AssessmentFinal {
				final = &rec.Assessments[i]
			}
		}
		var currentAdvice *exportctl.FinalAdvice
		for i, fa := range rec.FinalAdvice {
			if !fa.Superseded {
				currentAdvice = &rec.FinalAdvice[i]
			}
		}
		valid := 0
		for _, c := range rec.Countersignatures {
			if c.InvalidatedAt != nil {
				invalidated++
			}
			if c.Approved && c.InvalidatedAt == nil {
				valid++
			}
		}
		for _, c := range rec.CombinedAdvice {
			if c.Result == exportctl.AdviceConflicting && c.Resolution != nil {
				resolved++
				if c.Resolution.Reasons == "" || !strings.Contains(c.Resolution.By, "senior") {
					t.Errorf("%s: resolution %+v: want reasons by the senior official", ref, c.Resolution)
				}
			}
		}

		switch sum.Status {
		case exportctl.StatusFinalised, exportctl.StatusUnderAppeal:
			if len(rec.Advice) == 0 || final == nil || len(rec.FinalAdvice) == 0 || valid == 0 || len(rec.Decisions) == 0 {
				t.Errorf("%s: decided without the whole record: %d advice, final assessment %v, %d final advice, %d valid countersignatures, %d decisions",
					ref, len(rec.Advice), final != nil, len(rec.FinalAdvice), valid, len(rec.Decisions))
				continue
			}
			teams := map[string]bool{}
			for _, a := range rec.Advice {
				teams[a.Team] = true
			}
			if !teams["FCDO"] || !teams["MOD"] {
				t.Errorf("%s: advice from %v, want FCDO and MOD", ref, teams)
			}
			for _, c := range rec.CombinedAdvice {
				if c.Result == "" {
					t.Errorf("%s: no advice on %s", ref, c.Label)
				}
			}
			if final.EvidenceCutoff == "" || final.IHL == nil || final.IHL.Detainees == "" {
				t.Errorf("%s: final assessment without cut-off or IHL findings", ref)
			}
			for _, d := range rec.Decisions {
				if !strings.Contains(d.DecidedBy, "minister") || d.Reasons == "" {
					t.Errorf("%s: decision %+v: want the minister's, with reasons", ref, d)
				}
				if d.Outcome == exportctl.OutcomeRefused && slices.Contains(d.Criteria, "2c") {
					refusals2c++
				}
			}
			for _, d := range rec.Departures {
				departures++
				if d.Kind == exportctl.DepartureCarveOut && strings.Contains(d.Scope, "F-35 global spares pool") && slices.Contains(d.Criteria, "2c") {
					if !slices.ContainsFunc(rec.Decisions, func(x exportctl.Decision) bool { return x.Departure && x.Outcome == exportctl.OutcomeIssued }) {
						t.Errorf("%s: carve-out without a decision marked as a departure", ref)
					}
					if f, _ := final.Finding("2c"); f.Finding != exportctl.FindingClearRisk {
						t.Errorf("%s: carve-out, but the 2c finding is %q", ref, f.Finding)
					}
					carveOuts++
				}
			}
		case exportctl.StatusUnderReview:
			if final != nil || len(rec.FinalAdvice) > 0 {
				t.Errorf("%s: final assessment or final advice before final review", ref)
			}
			teams := map[string]bool{}
			for _, a := range rec.Advice {
				teams[a.Team] = true
			}
			if len(teams) == 1 {
				partial++
			}
		case exportctl.StatusUnderFinalReview:
			if len(rec.Assessments) == 0 || rec.Assessments[len(rec.Assessments)-1].Status != exportctl.AssessmentDraft {
				t.Errorf("%s: want a draft assessment", ref)
			}
		case exportctl.StatusCountersigning:
			if currentAdvice == nil || valid >= currentAdvice.CountersignsNeeded {
				t.Errorf("%s: want final advice awaiting countersignature (%d valid)", ref, valid)
			}
		case exportctl.StatusAwaitingDecision:
			if currentAdvice == nil || valid != currentAdvice.CountersignsNeeded || len(rec.Decisions) > 0 {
				t.Errorf("%s: want final advice countersigned %d times and no decision; %d valid, %d decisions", ref, currentAdvice.CountersignsNeeded, valid, len(rec.Decisions))
			}
		}
		// Cases to Israel and Saudi Arabia cite reports on criterion 2c.
		if final != nil && (sum.Destination == "IL" || sum.Destination == "SA") {
			f, _ := final.Finding("2c")
			if slices.ContainsFunc(f.Evidence, func(e exportctl.EvidenceRef) bool {
				return e.Kind == exportctl.EvidenceDocument && strings.HasPrefix(e.Ref, "https://")
			}) {
				documents++
			} else {
				t.Errorf("%s: the 2c finding cites no report", ref)
			}
		}
	}
	t.Logf("resolved conflicts %d, departures %d, invalidated countersignatures %d, refusals under 2c %d, 2c findings citing reports %d",
		resolved, departures, invalidated, refusals2c, documents)
	if resolved == 0 {
		t.Error("no conflicting advice resolved by a senior official")
	}
	if departures == 0 || carveOuts == 0 {
		t.Errorf("%d departures, %d of them the F-35 carve-out: want both", departures, carveOuts)
	}
	if partial == 0 {
		t.Error("no case under review with advice from one team only")
	}
	if invalidated == 0 {
		t.Error("no invalidated countersignature")
	}
	if refusals2c == 0 {
		t.Error("no refusal under 2c")
	}
}

// TestSeedIsDeterministic seeds two stores and compares what they hold.
func TestSeedIsDeterministic(t *testing.T) {
	summary := func(s *store.Store) []string {
		if _, err := demo.Seed(ctx, s); err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, a := range allApplications(t, s, exportctl.ApplicationFilter{}) {
			out = append(out, a.Reference+" "+a.OrgName+" "+a.Status+" "+a.Outcome+" "+a.Destination+" "+a.GoodsSummary)
		}
		sort.Strings(out)
		return out
	}
	a := summary(storetest.Open(t, "sqlite", nil))
	b := summary(storetest.Open(t, "sqlite", nil))
	if !slices.Equal(a, b) {
		t.Errorf("two seeds differ:\n%v\n%v", a, b)
	}
}

// TestSeedRefusesNonEmptyStore checks that a store with an existing
// organisation is left alone.
func TestSeedRefusesNonEmptyStore(t *testing.T) {
	s := storetest.Open(t, "sqlite", nil)
	if _, err := s.CreateOrganisation(ctx, exportctl.System, "Northbridge Aerospace Ltd", "exporter"); err != nil {
		t.Fatal(err)
	}
	_, err := demo.Seed(ctx, s)
	if code := exportctl.ErrorCode(err); code != exportctl.EConflict {
		t.Fatalf("code %q (%v), want conflict", code, err)
	}
	orgs, err := s.Organisations(ctx, exportctl.System)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 1 {
		t.Errorf("%d organisations after a refused seed, want 1", len(orgs))
	}
}

// checkEvidence checks the demo's evidence set: illustrative incidents in
// Gaza, Yemen and Ukraine, redacted ones without coordinates, the two
// Deir al-Balah JDAM strikes with their classification, operators for
// Israel, and incidents the evidence guard finds for the Israeli Air Force.
func checkEvidence(t *testing.T, s *store.Store) {
	t.Helper()
	page, err := s.Incidents(ctx, officer, exportctl.IncidentFilter{Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	all := page.Items
	if n := len(all); n < 25 || n > 40 {
		t.Errorf("%d demo incidents, want 25-40", n)
	}
	perCountry := map[string]int{}
	redacted, publishable, evidence := 0, 0, 0
	states := map[string]bool{}
	for _, inc := range all {
		perCountry[inc.Country]++
		states[inc.Verification] = true
		if !strings.HasPrefix(inc.Narrative, "Illustrative demo record based on public reporting:") {
			t.Errorf("incident %d: narrative %q does not say it is illustrative", inc.ID, inc.Narrative)
		}
		if inc.Publishable {
			publishable++
		}
		if inc.Redacted {
			redacted++
			got, err := s.Incident(ctx, officer, inc.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Latitude != nil || got.Longitude != nil || got.Place != "" {
				t.Errorf("redacted incident %d has a place for an internal actor: %+v", inc.ID, got)
			}
		}
		rec, err := s.IncidentRecord(ctx, officer, inc.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.EvidenceSources) > 0 {
			evidence++
			for _, src := range rec.EvidenceSources {
				if len(src.SHA256) != 64 || src.URL == "" {
					t.Errorf("incident %d: evidence source %+v, want a URL and a SHA-256", inc.ID, src)
				}
			}
			if len(rec.VerificationSteps) == 0 {
				t.Errorf("incident %d has evidence sources but no verification steps", inc.ID)
			}
		}
	}
	for _, c := range []string{"PS", "YE", "UA"} {
		if perCountry[c] == 0 {
			t.Errorf("no demo incident in %s (%v)", c, perCountry)
		}
	}
	if redacted == 0 {
		t.Error("no redacted demo incident")
	}
	if publishable == 0 || publishable == len(all) {
		t.Errorf("%d of %d demo incidents publishable, want some", publishable, len(all))
	}
	if evidence == 0 {
		t.Error("no demo incident with evidence sources")
	}
	for _, st := range []string{exportctl.VerificationVerified, exportctl.VerificationPartly, exportctl.VerificationUnverified} {
		if !states[st] {
			t.Errorf("no demo incident is %s", st)
		}
	}

	jdam, err := s.Incidents(ctx, officer, exportctl.IncidentFilter{Country: "PS", Admin1: "Gaza Strip", Weapon: "JDAM", Classification: "8(2)(b)(i)", Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	deir := 0
	for _, inc := range jdam.Items {
		if inc.Place == "Deir al-Balah" && strings.HasPrefix(inc.StartDate, "2023-10") && inc.Weapons[0].ItemID != 0 &&
			strings.Contains(inc.Weapons[0].Markings, "CAGE 70628") && inc.Classifications[0].By == "Amnesty International" {
			deir++
		}
	}
	if deir != 2 {
		t.Errorf("%d JDAM strikes in Deir al-Balah in October 2023 classified 8(2)(b)(i), want 2 (%+v)", deir, jdam.Items)
	}

	ops, err := s.Operators(ctx, officer, "IL")
	if err != nil {
		t.Fatal(err)
	}
	items := map[string]int{}
	for _, o := range ops {
		items[o.Item] = o.Number
	}
	for _, want := range []string{"F-35", "F-35A", "F-16I", "JDAM", "GBU-39", "Hermes 450"} {
		if items[want] == 0 {
			t.Errorf("Israel does not operate %s: %v", want, items)
		}
	}
	if items["JDAM"] != 1588 {
		t.Errorf("JDAM delivered to Israel: %d, want 1588", items["JDAM"])
	}
	sa, err := s.Operators(ctx, officer, "SA")
	if err != nil {
		t.Fatal(err)
	}
	if len(sa) < 4 {
		t.Errorf("%d operators for Saudi Arabia, want at least 4: %+v", len(sa), sa)
	}

	for _, c := range []struct{ dest, endUser string }{{"IL", "Israeli Air Force"}, {"SA", "Royal Saudi Air Force"}, {"RU", ""}} {
		n, err := s.RelevantIncidents(ctx, c.dest, c.endUser, time.Now())
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			t.Errorf("no relevant incident for %s / %q", c.dest, c.endUser)
		}
	}
}

// checkConcerns checks the demo's concerns: one in each state, one
// escalated for a missed acknowledgement, one contested and escalated,
// one with an open protection case.
func checkConcerns(t *testing.T, s *store.Store) {
	t.Helper()
	oversight := exportctl.Actor{UserID: -1, Username: "oversight", Role: exportctl.RoleOversight}
	page, err := s.ConcernList(ctx, oversight, exportctl.ConcernFilter{})
	if err != nil {
		t.Fatal(err)
	}
	statuses := map[string]int{}
	var missed, contestedEscalated, protection bool
	for _, c := range page.Items {
		statuses[c.Status]++
		if c.AckMissed && c.Level == exportctl.LevelNominatedOfficer && c.Escalations == 1 {
			missed = true
		}
		if c.Status == exportctl.ConcernContested && c.Level == exportctl.LevelNominatedOfficer {
			contestedEscalated = true
		}
		if c.OpenProtection > 0 {
			protection = true
		}
	}
	for _, st := range exportctl.ConcernStatuses {
		if st != exportctl.ConcernAcknowledged && statuses[st] == 0 {
			t.Errorf("no demo concern %s (%v)", st, statuses)
		}
	}
	if !missed || !contestedEscalated || !protection {
		t.Errorf("demo concerns: escalated for a missed deadline %v, contested and escalated %v, protection case %v", missed, contestedEscalated, protection)
	}
}

// checkReviews: the demo has a completed review with suspensions and a
// carve-out, published, and a review in progress, both on the public pages.
func checkReviews(t *testing.T, s *store.Store, officer exportctl.Actor) {
	t.Helper()
	page, err := s.Reviews(ctx, officer, exportctl.ReviewFilter{})
	if err != nil || page.Total != 2 {
		t.Fatalf("reviews: %+v %v", page, err)
	}
	for _, sum := range page.Items {
		r, err := s.Review(ctx, officer, sum.ID)
		if err != nil {
			t.Fatal(err)
		}
		applied := map[string]int{}
		for _, l := range r.Licences {
			applied[l.Applied]++
			if l.Determination == "" {
				t.Errorf("%s: licence %s has no determination", r.Reference, l.Reference)
			}
		}
		switch r.Destination {
		case "IL":
			if r.Status != exportctl.ReviewPublished || applied["suspended"] != 4 || applied["carve_out"] != 1 || r.Statement == "" {
				t.Errorf("Israel review: %s, applied %v", r.Status, applied)
			}
			// The licences were decided in 2023 and the review held in
			// 2024, so the exposure analysis links the incidents between.
			for _, l := range r.Licences {
				if l.Determination == exportctl.DeterminationYes && l.Exposure.Strongest == "" {
					t.Errorf("Israel review: licence %s (%v) found usable in the conflict has no exposure links", l.Reference, l.Ratings)
				}
			}
		case "SA":
			if r.Status != exportctl.ReviewInProgress || r.Milestones[0].Done == "" {
				t.Errorf("Saudi review: %s, milestones %+v", r.Status, r.Milestones)
			}
		default:
			t.Errorf("a review of %s", r.Destination)
		}
		p, err := s.PublicReview(ctx, r.ID)
		if err != nil || (p.Outcome != nil) != (r.Destination == "IL") {
			t.Errorf("public view of %s: %+v %v", r.Reference, p, err)
		}
	}
}
