package store_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/ledger"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

func TestRegisterShowsOnlyPublishedFacts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		p := storetest.Publish(t, s, f)
		all, err := s.Register(ctx, exportctl.RegisterFilter{})
		if err != nil {
			t.Fatal(err)
		}
		// issued, suspended, departure, refused: newest first
		var outcomes []string
		for _, e := range all.Items {
			outcomes = append(outcomes, e.Outcome)
			if e.LogIndex == nil {
				t.Errorf("entry %+v has no log index", e)
			}
		}
		if all.Total != 4 || strings.Join(outcomes, ",") != "refused,departure,suspended,issued" {
			t.Fatalf("register: %d %v", all.Total, outcomes)
		}
		text, _ := json.Marshal(all)
		for _, secret := range p.Secrets {
			if strings.Contains(string(text), secret) {
				t.Errorf("the register shows %q: %s", secret, text)
			}
		}
		for _, ref := range []string{p.Draft.Reference, p.Submitted.Reference} {
			if _, err := s.RegisterByReference(ctx, ref); exportctl.ErrorCode(err) != exportctl.ENotFound {
				t.Errorf("unpublished %s: %v", ref, err)
			}
		}
		entries, err := s.RegisterByReference(ctx, p.Issued.Reference)
		if err != nil || len(entries) != 3 {
			t.Fatalf("by reference: %+v %v", entries, err)
		}
		issued, suspended, departure := entries[0], entries[1], entries[2]
		if issued.Outcome != "issued" || issued.ValueGBP == nil || *issued.ValueGBP != 605000 || issued.EndUserType != "armed_forces" ||
			strings.Join(issued.Ratings, " ") != "ML10 ML22" || !strings.Contains(issued.GoodsSummary, "ML10: ") || !issued.Military {
			t.Errorf("issued entry: %+v", issued)
		}
		if suspended.Outcome != "suspended" || suspended.Reasons != p.SuspendReasons || suspended.LicenceType != "SIEL" || suspended.GoodsSummary != issued.GoodsSummary {
			t.Errorf("suspension entry: %+v", suspended)
		}
		if departure.Outcome != "departure" || !strings.Contains(departure.Reasons, "Carve-out") || !strings.Contains(departure.Reasons, "Scope: Spares") {
			t.Errorf("departure entry: %+v", departure)
		}
		// A decision publishes the reasons written for publication, never
		// its restricted ones; one without them publishes none.
		refused, err := s.RegisterByReference(ctx, p.Refused.Reference)
		if err != nil || len(refused) != 1 || refused[0].Reasons != p.RefusalReasons || issued.Reasons != "" {
			t.Errorf("published reasons: refusal %+v %v, issue %q", refused, err, issued.Reasons)
		}
		byIndex, err := s.RegisterByLogIndex(ctx, *suspended.LogIndex)
		if err != nil || byIndex.ID != suspended.ID {
			t.Errorf("by log index: %+v %v", byIndex, err)
		}

		count := func(f exportctl.RegisterFilter) int {
			t.Helper()
			page, err := s.Register(ctx, f)
			if err != nil {
				t.Fatalf("%+v: %v", f, err)
			}
			return page.Total
		}
		today := s.Now().UTC().Format("2006-01-02")
		for _, c := range []struct {
			f    exportctl.RegisterFilter
			want int
		}{
			{exportctl.RegisterFilter{Destination: "il"}, 4},
			{exportctl.RegisterFilter{Destination: "FR"}, 0},
			{exportctl.RegisterFilter{Outcome: "refused"}, 1},
			{exportctl.RegisterFilter{Criterion: "2c"}, 1},
			{exportctl.RegisterFilter{Criterion: "4"}, 0},
			{exportctl.RegisterFilter{Rating: "ML4"}, 1},
			{exportctl.RegisterFilter{Rating: "ml10"}, 3},
			{exportctl.RegisterFilter{EndUserType: "armed_forces"}, 4},
			{exportctl.RegisterFilter{EndUserType: "police"}, 0},
			{exportctl.RegisterFilter{LicenceType: "siel"}, 4},
			{exportctl.RegisterFilter{Text: "bombs"}, 1},     // ML4: bombs, torpedoes, rockets, missiles...
			{exportctl.RegisterFilter{Text: "aircraft"}, 3},  // ML10: aircraft...
			{exportctl.RegisterFilter{Text: "actuators"}, 0}, // the exporter's own description is not public
			{exportctl.RegisterFilter{MinValue: storetest.F64(900000)}, 1},
			{exportctl.RegisterFilter{MinValue: storetest.F64(600000), MaxValue: storetest.F64(700000)}, 3},
			{exportctl.RegisterFilter{From: today, To: today}, 4},
			{exportctl.RegisterFilter{To: "2000-01-01"}, 0},
			{exportctl.RegisterFilter{Historical: "only"}, 0},
		} {
			if got := count(c.f); got != c.want {
				t.Errorf("%+v: %d entries, want %d", c.f, got, c.want)
			}
		}
		// An open licence publishes no value.
		open, err := s.CreateApplication(ctx, f.Exporter, func() exportctl.ApplicationInput {
			in := storetest.SampleApplication()
			in.LicenceType = "OIEL"
			return in
		}())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Transition(ctx, f.Exporter, open.ID, exportctl.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
		storetest.DriveToDecision(t, s, f, open.ID, exportctl.DecisionInput{Outcome: "issued"})
		oiel, err := s.RegisterByReference(ctx, open.Reference)
		if err != nil || len(oiel) != 1 || oiel[0].ValueGBP != nil || oiel[0].LicenceType != "OIEL" {
			t.Fatalf("open licence: %+v %v", oiel, err)
		}
		if n := count(exportctl.RegisterFilter{MinValue: storetest.F64(0)}); n != 4 {
			t.Errorf("a value filter finds %d entries, want the 4 with a published value", n)
		}
		// Paging: pages of two, two and one, each after the last.
		first, _ := s.Register(ctx, exportctl.RegisterFilter{Limit: 2})
		if first.Next == nil || len(first.Items) != 2 || first.Total != 5 {
			t.Fatalf("first page: %+v", first)
		}
		second, _ := s.Register(ctx, exportctl.RegisterFilter{Limit: 2, Cursor: *first.Next})
		if second.Next == nil || len(second.Items) != 2 || second.Items[0].ID == first.Items[1].ID {
			t.Fatalf("second page: %+v", second)
		}
		third, _ := s.Register(ctx, exportctl.RegisterFilter{Limit: 2, Cursor: *second.Next})
		if third.Next != nil || len(third.Items) != 1 || third.Items[0].Outcome != "issued" || third.Items[0].Reference != p.Issued.Reference {
			t.Errorf("third page: %+v", third)
		}
		// Bad input names every field.
		_, err = s.Register(ctx, exportctl.RegisterFilter{Destination: "XX", Rating: "ZZ1", Outcome: "maybe", From: "yesterday", MinValue: storetest.F64(-1)})
		var ve *exportctl.ValidationError
		if !errors.As(err, &ve) || len(ve.Errors) != 5 {
			t.Errorf("bad filter: %v", err)
		}
		// The log still verifies with the register beside it.
		if _, problems, err := s.VerifyLog(ctx); err != nil || len(problems) != 0 {
			t.Errorf("verify: %+v %v", problems, err)
		}
		// A register row edited behind the system's back is named.
		if _, err := s.DB().Exec(`UPDATE register_entries SET outcome = 'issued', criteria = '' WHERE outcome = 'refused'`); err != nil {
			t.Fatal(err)
		}
		_, problems, err := s.VerifyLog(ctx)
		if err != nil || len(problems) != 1 || !strings.Contains(problems[0].Detail,
			`the public register differs from the log: outcome is "issued", the log says "refused"; criteria is "", the log says "2c 7"`) {
			t.Errorf("after editing the register: %+v %v", problems, err)
		}
	})
}

// TestRegisterSearchFollowsTheDatabase: a second server's search copy sees
// what the first publishes, in date order, after new events (loaded
// incrementally) and after historical rows are rewritten (reloaded).
func TestRegisterSearchFollowsTheDatabase(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			dsn := storetest.DSN(t, engine)
			open := func() *store.Store {
				s, err := store.Open(ctx, dsn, store.Options{})
				if err != nil {
					t.Fatal(err)
				}
				s.PasswordParams = store.ArgonParams{Memory: 1024, Time: 1, Threads: 1}
				t.Cleanup(func() { s.Close() })
				return s
			}
			a, b := open(), open()
			refs := func() []string {
				t.Helper()
				var out []string
				for cursor := ""; ; {
					page, err := b.Register(ctx, exportctl.RegisterFilter{Limit: 2, Cursor: cursor})
					if err != nil {
						t.Fatal(err)
					}
					for _, e := range page.Items {
						out = append(out, e.Date[:4]+" "+e.Outcome)
					}
					if page.Next == nil {
						return out
					}
					cursor = *page.Next
				}
			}
			if got := refs(); len(got) != 0 {
				t.Fatalf("empty register: %v", got)
			}
			f := storetest.NewFixture(t, a)
			p := storetest.Publish(t, a, f)
			year := a.Now().UTC().Format("2006")
			want := []string{year + " refused", year + " departure", year + " suspended", year + " issued"}
			if got := refs(); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("after publishing: %v", got)
			}
			if _, err := a.ImportHistorical(ctx, exportctl.System, "v1.csv", seqOf([]exportctl.HistoricalDecision{
				{Group: "1", Date: "2014-08-01", LicenceType: "SIEL", Rating: "ML10", Count: 1, ValueGBP: 1000, Destination: "IL"},
				{Group: "2", Date: "2010-05-06", LicenceType: "SIEL", Rating: "ML7", Count: 1, ValueGBP: 3, Destination: "SA", Refused: true},
			})); err != nil {
				t.Fatal(err)
			}
			want = append(want, "2014 issued", "2010 refused")
			if got := refs(); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("after the history: %v", got)
			}
			if _, err := a.ChangeLicence(ctx, f.Officer, p.Issued.LicenceID, exportctl.ActReinstate, exportctl.LicenceActionInput{Reasons: "Review completed."}); err != nil {
				t.Fatal(err)
			}
			want = append([]string{year + " reinstated"}, want...)
			if got := refs(); strings.Join(got, ",") != strings.Join(want, ",") {
				t.Fatalf("after a reinstatement: %v", got)
			}
			page, _ := b.Register(ctx, exportctl.RegisterFilter{Destination: "SA", Historical: "only"})
			if page.Total != 1 || page.Items[0].Reference != "CAAT/2" {
				t.Errorf("SA history: %+v", page)
			}
		})
	}
}

// TestAppendLeavesInBatches: leaves appended in batches of any size build
// the tree that appending them one by one builds, and each gets its
// register row.
func TestAppendLeavesInBatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		r := rand.New(rand.NewPCG(7, 8))
		mem := ledger.NewMemoryStore()
		n := 0
		for _, batch := range []int{1, 7, 300, 1, 1000, 255, 2} {
			var leaves []exportctl.LogLeaf
			for range batch {
				l := benchLeaf(n, r)
				leaves = append(leaves, l)
				data, _ := json.Marshal(l)
				if _, err := mem.Append(ctx, data); err != nil {
					t.Fatal(err)
				}
				n++
			}
			if err := s.AppendLeavesForTest(ctx, leaves); err != nil {
				t.Fatal(err)
			}
			got, err := ledger.TreeHash(ctx, int64(n), s)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := ledger.TreeHash(ctx, int64(n), mem)
			if got != want {
				t.Fatalf("after a batch of %d (%d leaves): tree hash differs", batch, n)
			}
		}
		if size, _ := s.Size(ctx); size != int64(n) {
			t.Errorf("log size %d, want %d", size, n)
		}
		if page, err := s.Register(ctx, exportctl.RegisterFilter{Limit: 1}); err != nil || page.Total != n {
			t.Errorf("register of %d entries, want %d: %v", page.Total, n, err)
		}
	})
}
