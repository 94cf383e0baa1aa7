package demo_test

import (
	"context"
	"maps"
	"slices"
	"sort"
	"testing"

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
			if l.Password != demo.Password || l.Note == "" || l.Username == "" {
				t.Errorf("login %+v: want the demo password, a username and a note", l)
			}
		}
		for _, r := range exportctl.Roles {
			if !roles[string(r)] {
				t.Errorf("no demo login with role %s", r)
			}
		}

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
