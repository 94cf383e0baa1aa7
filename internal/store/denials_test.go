package store_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// submittedSample creates the sample application (end user "Example Air Force",
// IL, ML10 and ML22 goods, end use "Spares for the end user's F-16 fleet")
// and submits it, so that staff see it.
func submittedSample(t *testing.T, s *store.Store, f *storetest.Fixture, change func(in *exportctl.ApplicationInput)) *exportctl.Application {
	t.Helper()
	in := storetest.SampleApplication()
	if change != nil {
		change(&in)
	}
	app, err := s.CreateApplication(ctx, f.Exporter, in)
	if err != nil {
		t.Fatal(err)
	}
	if app, err = s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
		t.Fatal(err)
	}
	return app
}

// denialSet is one denial the sample application repeats and four that
// each differ in one respect.
func denialSet(now time.Time) []exportctl.DenialInput {
	day := func(years int) string { return now.AddDate(years, 0, 0).Format(time.DateOnly) }
	match := exportctl.DenialInput{Reference: "D-MATCH", Name: "Example Air Force Ltd.", Address: "1 Runway Road", Country: "IL",
		ItemDescription: "Landing gear actuators", Ratings: []string{"ML10"}, EndUse: "spares for F-16 fleet of the end user",
		Reason: "Criterion 2c", DeniedAt: day(-1)}
	country, old, family, use := match, match, match, match
	country.Reference, country.Country = "D-COUNTRY", "Jordan"
	old.Reference, old.DeniedAt = "D-OLD", day(-4)
	family.Reference, family.Ratings = "D-FAMILY", []string{"ML4"}
	use.Reference, use.EndUse = "D-ENDUSE", "crowd control"
	return []exportctl.DenialInput{match, country, old, family, use}
}

func TestDenialMatches(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		app := submittedSample(t, s, f, nil)
		added, unchanged, err := s.ImportDenials(ctx, f.Admin, denialSet(time.Now()), "notified.csv")
		if err != nil || added != 5 || unchanged != 0 {
			t.Fatalf("import: %d %d %v", added, unchanged, err)
		}
		ms, err := s.DenialMatches(ctx, f.Officer, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || ms[0].Denial.Reference != "D-MATCH" || ms[0].Answer != nil || ms[0].ApplicationID != app.ID {
			t.Fatalf("matches = %+v", ms)
		}
		d := ms[0].Denial
		if d.Source != "imported: notified.csv" || d.Country != "IL" || !slices.Equal(d.Ratings, []string{"ML10"}) || d.ApplicationID != 0 {
			t.Errorf("denial = %+v", d)
		}
		if got := strings.Join(ms[0].Reasons, "\n"); !strings.Contains(got, "same rating family: ML10") || !strings.Contains(got, "Example Air Force Ltd.") {
			t.Errorf("reasons = %s", got)
		}
		// Exporters never see the register or the matches.
		_, err = s.DenialMatches(ctx, f.Exporter, app.ID)
		mustCode(t, err, exportctl.EForbidden)
		// Staff do not see drafts.
		draft, _ := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		_, err = s.DenialMatches(ctx, f.Officer, draft.ID)
		mustCode(t, err, exportctl.ENotFound)

		// The match stops issue until it is answered with reasons.
		un, err := s.UnansweredDenialMatchesForTest(ctx, app)
		if err != nil || len(un) != 1 {
			t.Fatalf("unanswered before = %v, %v", un, err)
		}
		err = s.RequireDenialMatchesAnsweredForTest(ctx, app)
		mustCode(t, err, exportctl.EConflict)
		if !strings.Contains(err.Error(), "D-MATCH") {
			t.Errorf("conflict should name the denial: %v", err)
		}
		before := count(t, s, "audit_events")
		mustCode(t, s.AnswerDenialMatch(ctx, f.Officer, app.ID, d.ID, "  "), exportctl.EInvalid)
		if err := s.AnswerDenialMatch(ctx, f.Officer, app.ID, d.ID, ""); exportctl.ErrorField(err) != "reasons" {
			t.Errorf("field = %q", exportctl.ErrorField(err))
		}
		mustCode(t, s.AnswerDenialMatch(ctx, f.Exporter, app.ID, d.ID, "x"), exportctl.EForbidden)
		mustCode(t, s.AnswerDenialMatch(ctx, f.Admin, app.ID, d.ID, "x"), exportctl.EForbidden)
		mustCode(t, s.AnswerDenialMatch(ctx, f.Officer, app.ID, 999999, "x"), exportctl.ENotFound)
		page, _ := s.Denials(ctx, f.Officer, exportctl.DenialFilter{Query: "D-FAMILY"})
		if len(page.Items) != 1 {
			t.Fatalf("query: %+v", page)
		}
		mustCode(t, s.AnswerDenialMatch(ctx, f.Officer, app.ID, page.Items[0].ID, "x"), exportctl.EConflict)
		mustCode(t, s.AnswerDenialMatch(ctx, f.Officer, draft.ID, d.ID, "x"), exportctl.ENotFound)
		if count(t, s, "audit_events") != before || count(t, s, "denial_answers") != 0 {
			t.Fatal("a refused answer wrote rows")
		}
		reasons := "The 2025 denial concerned combat use; these spares serve training aircraft, confirmed by the MOD."
		if err := s.AnswerDenialMatch(ctx, f.Senior, app.ID, d.ID, reasons); err != nil {
			t.Fatal(err)
		}
		ms, err = s.DenialMatches(ctx, f.Decider, app.ID)
		if err != nil || len(ms) != 1 || ms[0].Answer == nil || ms[0].Answer.Reasons != reasons || ms[0].Answer.By != "senior1" || ms[0].Answer.At.IsZero() {
			t.Fatalf("answered = %+v %v", ms, err)
		}
		if un, err := s.UnansweredDenialMatchesForTest(ctx, app); err != nil || len(un) != 0 {
			t.Errorf("unanswered after = %v, %v", un, err)
		}
		if err := s.RequireDenialMatchesAnsweredForTest(ctx, app); err != nil {
			t.Errorf("check after answer: %v", err)
		}
		hist, _ := s.History(ctx, f.Officer, app.ID)
		if last := hist[len(hist)-1]; last.Action != "application.answer_denial_match" || !strings.Contains(last.Summary, "D-MATCH") {
			t.Errorf("last event = %+v", last)
		}
		// Answers are a record: never changed or removed.
		if _, err := s.DB().Exec(`UPDATE denial_answers SET reasons = 'x'`); err == nil {
			t.Error("denial_answers accepted an UPDATE")
		}
		if _, err := s.DB().Exec(`DELETE FROM denial_answers`); err == nil {
			t.Error("denial_answers accepted a DELETE")
		}
	})
}

func TestImportDenials(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		ds := denialSet(time.Now())
		if _, _, err := s.ImportDenials(ctx, f.Admin, ds, "notified.csv"); err != nil {
			t.Fatal(err)
		}
		before := count(t, s, "audit_events")
		// Re-importing the same file changes nothing.
		added, unchanged, err := s.ImportDenials(ctx, exportctl.System, denialSet(time.Now()), "imported: notified.csv")
		if err != nil || added != 0 || unchanged != 5 || count(t, s, "denials") != 5 {
			t.Fatalf("re-import: %d %d %v", added, unchanged, err)
		}
		if count(t, s, "audit_events") != before+1 {
			t.Error("re-import not audited")
		}
		// The same references from another source are other entries.
		if added, _, err := s.ImportDenials(ctx, f.Admin, denialSet(time.Now())[:1], "other.csv"); err != nil || added != 1 {
			t.Fatalf("other source: %d %v", added, err)
		}
		// A changed entry is a conflict, and nothing of the import is written.
		changed := denialSet(time.Now())
		changed = append(changed, exportctl.DenialInput{Reference: "D-NEW", Name: "New", Country: "GB"})
		changed[2].Reason = "Criterion 7"
		before = count(t, s, "denials")
		_, _, err = s.ImportDenials(ctx, f.Admin, changed, "notified.csv")
		mustCode(t, err, exportctl.EConflict)
		if !strings.Contains(err.Error(), "D-OLD") || !strings.Contains(err.Error(), "reason") || count(t, s, "denials") != before {
			t.Errorf("conflict: %v (%d rows)", err, count(t, s, "denials"))
		}
		// Every bad field is named with its index.
		_, _, err = s.ImportDenials(ctx, f.Admin, []exportctl.DenialInput{{Reference: "x", Name: "y", Country: "GB"}, {Reference: "z", Name: "w", Country: "Atlantis"},
			{Reference: "v", Name: "u", Country: "GB", DeniedAt: time.Now().AddDate(0, 0, 3).Format(time.DateOnly)}}, "bad.csv")
		mustCode(t, err, exportctl.EInvalid)
		var ve *exportctl.ValidationError
		if e, ok := err.(*exportctl.ValidationError); ok {
			ve = e
		}
		if ve == nil || len(ve.Errors) != 2 || ve.Errors[0].Field != "denials[1].country" || ve.Errors[1].Field != "denials[2].denied_at" {
			t.Errorf("validation = %v", err)
		}
		_, _, err = s.ImportDenials(ctx, f.Admin, ds, " ")
		mustCode(t, err, exportctl.EInvalid)
		_, _, err = s.ImportDenials(ctx, f.Officer, ds, "x.csv")
		mustCode(t, err, exportctl.EForbidden)
		// An undated denial is dated the day of import.
		if _, _, err := s.ImportDenials(ctx, f.Admin, []exportctl.DenialInput{{Reference: "U1", Name: "Undated", Country: "GB"}}, "u.csv"); err != nil {
			t.Fatal(err)
		}
		page, _ := s.Denials(ctx, f.Officer, exportctl.DenialFilter{Query: "undated"})
		if len(page.Items) != 1 || time.Since(page.Items[0].DeniedAt) > time.Hour {
			t.Errorf("undated = %+v", page.Items)
		}
	})
}

func TestDenialsList(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		if _, _, err := s.ImportDenials(ctx, f.Admin, denialSet(time.Now()), "notified.csv"); err != nil {
			t.Fatal(err)
		}
		_, err := s.Denials(ctx, f.Exporter, exportctl.DenialFilter{})
		mustCode(t, err, exportctl.EForbidden)
		_, err = s.Denials(ctx, exportctl.Actor{}, exportctl.DenialFilter{})
		mustCode(t, err, exportctl.EUnauthorized)
		all, err := s.Denials(ctx, f.Officer, exportctl.DenialFilter{})
		if err != nil || all.Total != 5 || len(all.Items) != 5 || all.Next != nil || all.Items[0].Reference != "D-ENDUSE" {
			t.Fatalf("all = %+v %v", all, err)
		}
		il, _ := s.Denials(ctx, f.Senior, exportctl.DenialFilter{Country: "il"})
		if il.Total != 4 {
			t.Errorf("IL total = %d", il.Total)
		}
		_, err = s.Denials(ctx, f.Senior, exportctl.DenialFilter{Country: "Narnia"})
		mustCode(t, err, exportctl.EInvalid)
		p1, _ := s.Denials(ctx, f.Officer, exportctl.DenialFilter{Query: "AIR FORCE", Limit: 3})
		if p1.Total != 5 || len(p1.Items) != 3 || p1.Next == nil {
			t.Fatalf("page 1 = %+v", p1)
		}
		p2, _ := s.Denials(ctx, f.Officer, exportctl.DenialFilter{Query: "air force", Limit: 3, Cursor: *p1.Next})
		if len(p2.Items) != 2 || p2.Next != nil || p2.Items[0].ID >= p1.Items[2].ID {
			t.Errorf("page 2 = %+v", p2)
		}
		// % and _ match literally.
		if none, _ := s.Denials(ctx, f.Officer, exportctl.DenialFilter{Query: "%"}); none.Total != 0 {
			t.Errorf("%% matched %d", none.Total)
		}
	})
}

func TestOwnRefusalsEnterTheRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		refused := submittedSample(t, s, f, nil)
		now := time.Now().UTC()
		in := exportctl.DecisionInput{Outcome: exportctl.OutcomeRefused, Criteria: []string{"2c", "7"}, Reasons: "Clear risk of use in serious violations."}
		if err := s.RecordDenialsForTest(ctx, refused, in, now); err != nil {
			t.Fatal(err)
		}
		page, err := s.Denials(ctx, f.Officer, exportctl.DenialFilter{})
		if err != nil || len(page.Items) != 1 {
			t.Fatalf("register = %+v %v", page, err)
		}
		d := page.Items[0]
		if d.Reference != refused.Reference || d.Source != exportctl.DenialSourceOwn || d.ApplicationID != refused.ID || d.Name != "Example Air Force" ||
			d.Country != "IL" || !slices.Equal(d.Ratings, []string{"ML10", "ML22"}) || d.EndUse != refused.EndUse ||
			!strings.HasPrefix(d.Reason, "Criteria 2c, 7. Clear risk") || !strings.Contains(d.ItemDescription, "Cockpit display units") {
			t.Errorf("own denial = %+v", d)
		}
		// The refused application does not match its own refusal; an
		// essentially identical new one does.
		if ms, _ := s.DenialMatches(ctx, f.Officer, refused.ID); len(ms) != 0 {
			t.Errorf("own refusal matched: %+v", ms)
		}
		again := submittedSample(t, s, f, func(in *exportctl.ApplicationInput) {
			in.Parties[0].Name = "Example Air Force Limited"
			in.EndUse = "F-16 fleet spares for the end user"
		})
		ms, err := s.DenialMatches(ctx, f.Officer, again.ID)
		if err != nil || len(ms) != 1 || ms[0].Denial.ID != d.ID {
			t.Fatalf("repeat = %+v %v", ms, err)
		}
		// A second refusal of the same application updates its entry.
		in.Reasons = "Refused again on appeal."
		if err := s.RecordDenialsForTest(ctx, refused, in, now.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if n := count(t, s, "denials"); n != 1 {
			t.Errorf("%d denials after a second refusal", n)
		}
		// A refusal overturned on appeal is superseded and matches nothing more.
		if err := s.RecordDenialsForTest(ctx, refused, exportctl.DecisionInput{Outcome: exportctl.OutcomeIssued, Reasons: "Appeal allowed."}, now.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
		if ms, _ := s.DenialMatches(ctx, f.Officer, again.ID); len(ms) != 0 {
			t.Errorf("superseded denial matched: %+v", ms)
		}
		page, _ = s.Denials(ctx, f.Officer, exportctl.DenialFilter{})
		if len(page.Items) != 1 || page.Items[0].SupersededAt == nil || !strings.Contains(page.Items[0].Reason, "Refused again") {
			t.Errorf("after appeal = %+v", page.Items)
		}
	})
}

func TestOppositeDecisions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		now := time.Now().UTC()
		// decided sets the projection columns directly: the decision
		// workflow itself is tested elsewhere.
		decided := func(app *exportctl.Application, outcome string, ago time.Duration) {
			t.Helper()
			if _, err := s.DB().Exec(`UPDATE applications SET status = $1, outcome = $2, decided_at = $3 WHERE id = $4`,
				exportctl.StatusFinalised, outcome, now.Add(-ago).Format("2006-01-02T15:04:05.000000Z"), app.ID); err != nil {
				t.Fatal(err)
			}
		}
		refused := submittedSample(t, s, f, nil)
		decided(refused, exportctl.OutcomeRefused, 48*time.Hour)
		issued := submittedSample(t, s, f, func(in *exportctl.ApplicationInput) {
			in.Parties[0].Name = "The Example Air Force Ltd"
			in.EndUse = "Spares for the F-16 fleet of the end user"
		})
		decided(issued, exportctl.OutcomeIssued, 24*time.Hour)
		otherUse := submittedSample(t, s, f, func(in *exportctl.ApplicationInput) { in.EndUse = "Crowd control" })
		decided(otherUse, exportctl.OutcomeIssued, time.Hour)
		otherPlace := submittedSample(t, s, f, func(in *exportctl.ApplicationInput) { in.Parties[0].Country = "JO" })
		decided(otherPlace, exportctl.OutcomeIssued, time.Hour)
		old := submittedSample(t, s, f, nil)
		decided(old, exportctl.OutcomeIssued, 4*365*24*time.Hour)
		submittedSample(t, s, f, nil) // undecided

		_, err := s.OppositeDecisions(ctx, f.Officer, time.Time{})
		mustCode(t, err, exportctl.EForbidden)
		_, err = s.OppositeDecisions(ctx, f.Exporter, time.Time{})
		mustCode(t, err, exportctl.EForbidden)
		ods, err := s.OppositeDecisions(ctx, f.Senior, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		// The sample has ML10 and ML22 goods: one group per family.
		if len(ods) != 2 {
			t.Fatalf("groups = %+v", ods)
		}
		for i, fam := range []string{"ML10", "ML22"} {
			od := ods[i]
			if od.Destination != "IL" || od.EndUser != "example air force" || od.RatingFamily != fam ||
				len(od.Refused) != 1 || od.Refused[0].ID != refused.ID || len(od.Issued) != 1 || od.Issued[0].ID != issued.ID {
				t.Errorf("group %d = %+v", i, od)
			}
		}
		if od := ods[0]; od.Issued[0].Reference != issued.Reference || od.Issued[0].OrgName != "Example Aerospace Ltd" || od.Issued[0].DecidedAt.IsZero() {
			t.Errorf("case = %+v", od.Issued[0])
		}
		// Since yesterday only the issue is in range: nothing opposes it.
		if ods, err := s.OppositeDecisions(ctx, f.Decider, now.Add(-36*time.Hour)); err != nil || len(ods) != 0 {
			t.Errorf("since yesterday = %+v %v", ods, err)
		}
	})
}
