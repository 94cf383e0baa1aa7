package store_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// submitted creates and submits the sample application.
func submitted(t *testing.T, s *store.Store, f *storetest.Fixture) *exportctl.Application {
	t.Helper()
	app, err := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
	if err != nil {
		t.Fatal(err)
	}
	if app, err = s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
		t.Fatal(err)
	}
	return app
}

func yesterday(s *store.Store) string { return s.Now().AddDate(0, 0, -1).Format(time.DateOnly) }

func TestAdviceConflictNeedsSeniorResolution(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		app := submitted(t, s, f)
		s.Transition(ctx, f.Officer, app.ID, exportctl.ActBeginChecks, "")
		s.Transition(ctx, f.Officer, app.ID, exportctl.ActStartReview, "")
		good, party := app.Goods[0].ID, app.Parties[0].ID
		// Bad advice: a refusal needs criteria and reasons; a proviso its conditions.
		_, err := s.GiveAdvice(ctx, f.FCDO, app.ID, exportctl.AdviceInput{Subject: "good", SubjectID: good, Type: "refuse"})
		mustCode(t, err, exportctl.EInvalid)
		_, err = s.GiveAdvice(ctx, f.FCDO, app.ID, exportctl.AdviceInput{Subject: "good", SubjectID: good, Type: "proviso"})
		if exportctl.ErrorField(err) != "conditions" {
			t.Errorf("proviso without conditions: %v", err)
		}
		_, err = s.GiveAdvice(ctx, f.Officer, app.ID, exportctl.AdviceInput{Subject: "good", SubjectID: good, Type: "approve"})
		mustCode(t, err, exportctl.EForbidden)
		_, err = s.GiveAdvice(ctx, f.FCDO, app.ID, exportctl.AdviceInput{Subject: "good", SubjectID: 99999, Type: "approve"})
		if exportctl.ErrorField(err) != "subject_id" {
			t.Errorf("unknown good: %v", err)
		}
		// FCDO refuses the first good under 2c; MOD approves it: conflicting.
		if _, err := s.GiveAdvice(ctx, f.FCDO, app.ID, exportctl.AdviceInput{Subject: "good", SubjectID: good, Type: "refuse", Criteria: []string{"2c"}, Reasons: "Clear risk of use in strikes on civilian objects."}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GiveAdvice(ctx, f.MOD, app.ID, exportctl.AdviceInput{Subject: "good", SubjectID: good, Type: "approve"}); err != nil {
			t.Fatal(err)
		}
		// MOD adds a proviso on the end user: combined proviso.
		s.GiveAdvice(ctx, f.FCDO, app.ID, exportctl.AdviceInput{Subject: "party", SubjectID: party, Type: "approve"})
		s.GiveAdvice(ctx, f.MOD, app.ID, exportctl.AdviceInput{Subject: "party", SubjectID: party, Type: "proviso", Conditions: "No re-export without consent"})
		combined, err := s.CombinedAdvice(ctx, f.Officer, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		byID := map[string]exportctl.CombinedAdvice{}
		for _, c := range combined {
			byID[c.Subject+strconv.FormatInt(c.SubjectID, 10)] = c
		}
		if byID["good"+strconv.FormatInt(good, 10)].Result != exportctl.AdviceConflicting || byID["party"+strconv.FormatInt(party, 10)].Result != exportctl.AdviceProviso ||
			byID["good"+strconv.FormatInt(app.Goods[1].ID, 10)].Result != "" {
			t.Fatalf("combined = %+v", combined)
		}
		// Exporters never see advice.
		_, err = s.Advice(ctx, f.Exporter, app.ID)
		mustCode(t, err, exportctl.EForbidden)
		// Advise on everything else, then try final advice: the conflict blocks it.
		for _, g := range app.Goods[1:] {
			s.GiveAdvice(ctx, f.FCDO, app.ID, exportctl.AdviceInput{Subject: "good", SubjectID: g.ID, Type: "approve"})
		}
		for _, p := range app.Parties[1:] {
			s.GiveAdvice(ctx, f.FCDO, app.ID, exportctl.AdviceInput{Subject: "party", SubjectID: p.ID, Type: "approve"})
		}
		s.Transition(ctx, f.Officer, app.ID, exportctl.ActFinalReview, "")
		if _, err := s.SaveAssessment(ctx, f.Officer, app.ID, storetest.FinalAssessment(yesterday(s))); err != nil {
			t.Fatal(err)
		}
		_, err = s.SubmitFinalAdvice(ctx, f.Officer, app.ID, exportctl.FinalAdviceInput{Recommendation: "issue", Reasons: "ok"})
		mustCode(t, err, exportctl.EConflict)
		if !strings.Contains(err.Error(), "senior official") {
			t.Errorf("message should say a senior official must resolve: %v", err)
		}
		// Only a senior official resolves, with reasons, and only a conflict.
		_, err = s.ResolveConflict(ctx, f.Officer, app.ID, exportctl.ResolutionInput{Subject: "good", SubjectID: good, Result: "refuse", Reasons: "x"})
		mustCode(t, err, exportctl.EForbidden)
		_, err = s.ResolveConflict(ctx, f.Senior, app.ID, exportctl.ResolutionInput{Subject: "good", SubjectID: good, Result: "refuse"})
		if exportctl.ErrorField(err) != "reasons" {
			t.Errorf("resolution without reasons: %v", err)
		}
		_, err = s.ResolveConflict(ctx, f.Senior, app.ID, exportctl.ResolutionInput{Subject: "party", SubjectID: party, Result: "approve", Reasons: "x"})
		mustCode(t, err, exportctl.EConflict)
		if _, err := s.ResolveConflict(ctx, f.Senior, app.ID, exportctl.ResolutionInput{Subject: "good", SubjectID: good, Result: "refuse", Reasons: "The FCDO's evidence of strikes is persuasive."}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitFinalAdvice(ctx, f.Officer, app.ID, exportctl.FinalAdviceInput{Recommendation: "refuse", Criteria: []string{"2c"}, Reasons: "Clear risk under 2c."}); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAssessmentRules(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		app := submitted(t, s, f)
		s.Transition(ctx, f.Officer, app.ID, exportctl.ActBeginChecks, "")
		// A draft may be partial; a final one must be complete.
		draft := exportctl.AssessmentInput{Findings: []exportctl.Finding{{Criterion: "2c", Finding: "clear_risk", Reasoning: "Reports of strikes."}}}
		as, err := s.SaveAssessment(ctx, f.Officer, app.ID, draft)
		if err != nil || as.Version != 1 || as.CriteriaSet != exportctl.CriteriaUK2021 || as.Status != "draft" {
			t.Fatalf("draft = %+v, %v", as, err)
		}
		final := draft
		final.Final, final.EvidenceCutoff = true, yesterday(s)
		_, err = s.SaveAssessment(ctx, f.Officer, app.ID, final)
		if err == nil || !strings.Contains(err.Error(), "criterion 1") {
			t.Errorf("incomplete final assessment: %v", err)
		}
		bad := []struct {
			field string
			edit  func(in *exportctl.AssessmentInput)
		}{
			{"findings[0].reasoning", func(in *exportctl.AssessmentInput) { in.Findings[0].Reasoning = " " }},
			{"findings[0].criterion", func(in *exportctl.AssessmentInput) { in.Findings[0].Criterion = "9" }},
			{"findings[0].finding", func(in *exportctl.AssessmentInput) { in.Findings[0].Finding = "knowledge_of_use" }},
			{"evidence_cutoff", func(in *exportctl.AssessmentInput) { in.EvidenceCutoff = "2999-01-01" }},
			{"ihl.detainees", func(in *exportctl.AssessmentInput) { in.IHL.Detainees = "" }},
			{"criteria_set", func(in *exportctl.AssessmentInput) { in.CriteriaSet = "uk-1998" }},
		}
		for _, b := range bad {
			in := storetest.FinalAssessment(yesterday(s))
			idx := 0
			for i, fd := range in.Findings {
				if fd.Criterion == "2c" {
					idx = i
				}
			}
			in.Findings[0], in.Findings[idx] = in.Findings[idx], in.Findings[0]
			b.edit(&in)
			_, err := s.SaveAssessment(ctx, f.Officer, app.ID, in)
			if exportctl.ErrorField(err) != b.field {
				t.Errorf("want an error on %s, got %v", b.field, err)
			}
		}
		// ATT 6.3 takes the knowledge test; other sets are recorded with their version.
		att := exportctl.AssessmentInput{CriteriaSet: exportctl.CriteriaATT, Findings: []exportctl.Finding{{Criterion: "6.3", Finding: "knowledge_of_use", Reasoning: "x"}}}
		if as, err := s.SaveAssessment(ctx, f.Officer, app.ID, att); err != nil || as.CriteriaSet != "att-2013" || as.Version != 2 {
			t.Errorf("ATT assessment: %+v %v", as, err)
		}
		all, err := s.Assessments(ctx, f.Officer, app.ID)
		if err != nil || len(all) != 2 || !all[0].Superseded || all[1].Superseded {
			t.Errorf("versions = %+v, %v", all, err)
		}
		_, err = s.Assessments(ctx, f.Exporter, app.ID)
		mustCode(t, err, exportctl.EForbidden)
		_, err = s.SaveAssessment(ctx, f.FCDO, app.ID, draft)
		mustCode(t, err, exportctl.EForbidden)
	})
}

// fakeEvidence is an evidence register that reports a fixed count.
type fakeEvidence struct{ n int }

func (f fakeEvidence) RelevantIncidents(ctx context.Context, destination, endUser string, cutoff time.Time) (int, error) {
	if destination != "IL" {
		return 0, nil
	}
	return f.n, nil
}

func TestEvidenceGuard(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.Evidence = fakeEvidence{n: 12}
		f := storetest.NewFixture(t, s)
		app := submitted(t, s, f)
		s.Transition(ctx, f.Officer, app.ID, exportctl.ActBeginChecks, "")
		in := storetest.FinalAssessment(yesterday(s))
		_, err := s.SaveAssessment(ctx, f.Officer, app.ID, in)
		if exportctl.ErrorField(err) != "evidence_guard_reason" || !strings.Contains(err.Error(), "12 incident") {
			t.Fatalf("guard: %v", err)
		}
		// Citing an incident satisfies it...
		cited := storetest.FinalAssessment(yesterday(s))
		for i := range cited.Findings {
			if cited.Findings[i].Criterion == "2c" {
				cited.Findings[i].Evidence = []exportctl.EvidenceRef{{Kind: "incident", Ref: "SIND-42822"}}
			}
		}
		if _, err := s.SaveAssessment(ctx, f.Officer, app.ID, cited); err != nil {
			t.Fatal(err)
		}
		// ...and so does an explicit, recorded reason.
		in.EvidenceGuardReason = "The incidents concern ground forces; the goods are naval radar spares."
		as, err := s.SaveAssessment(ctx, f.Officer, app.ID, in)
		if err != nil || as.EvidenceGuardReason == "" {
			t.Fatalf("with reason: %+v %v", as, err)
		}
	})
}

func TestCountersigningAndDecision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s.Sensitivity = exportctl.SensitivityRules{DestinationsUnderReview: []string{"IL"}}
		f := storetest.NewFixture(t, s)
		app := submitted(t, s, f)
		// Deciding before countersigning is a conflict.
		_, err := s.Decide(ctx, f.Decider, app.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "x"})
		mustCode(t, err, exportctl.EConflict)
		// An adverse 2c finding, and advice to issue all the same.
		assessment := storetest.FinalAssessment(yesterday(s))
		for i := range assessment.Findings {
			if assessment.Findings[i].Criterion == "2c" {
				assessment.Findings[i] = exportctl.Finding{Criterion: "2c", Finding: "clear_risk", Reasoning: "Documented strikes on hospitals by the end user's aircraft.",
					Evidence: []exportctl.EvidenceRef{{Kind: "document", Ref: "https://example.org/report"}}}
			}
		}
		storetest.ToCountersigning(t, s, f, app.ID, assessment, exportctl.FinalAdviceInput{Recommendation: "issue", Reasons: "Components only."})
		rec, _ := s.DecisionRecord(ctx, f.Officer, app.ID)
		fa := rec.FinalAdvice[0]
		if !fa.Sensitive || fa.CountersignsNeeded != 2 || len(fa.SensitiveReasons) != 2 {
			t.Fatalf("sensitivity = %+v", fa)
		}
		// The author cannot countersign; the first countersigner cannot sign twice;
		// the second must be a senior official.
		_, err = s.Countersign(ctx, f.Officer, app.ID, exportctl.CountersignInput{Decision: "approve"})
		mustCode(t, err, exportctl.EForbidden)
		if _, err := s.Countersign(ctx, f.Officer2, app.ID, exportctl.CountersignInput{Decision: "approve"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.Countersign(ctx, f.Officer2, app.ID, exportctl.CountersignInput{Decision: "approve"})
		mustCode(t, err, exportctl.EConflict)
		// The senior official rejects: earlier countersignatures are invalidated, kept, and the case returns.
		_, err = s.Countersign(ctx, f.Senior, app.ID, exportctl.CountersignInput{Decision: "reject"})
		if exportctl.ErrorField(err) != "reasons" {
			t.Errorf("rejection without reasons: %v", err)
		}
		if _, err := s.Countersign(ctx, f.Senior, app.ID, exportctl.CountersignInput{Decision: "reject", Reasons: "The advice does not address the 2c finding."}); err != nil {
			t.Fatal(err)
		}
		got, _ := s.Application(ctx, f.Officer, app.ID)
		if got.Status != exportctl.StatusUnderFinalReview {
			t.Fatalf("after rejection status = %s", got.Status)
		}
		rec, _ = s.DecisionRecord(ctx, f.Officer, app.ID)
		if len(rec.Countersignatures) != 2 || rec.Countersignatures[0].InvalidatedAt == nil || !rec.FinalAdvice[0].Superseded {
			t.Fatalf("after rejection: %+v %+v", rec.Countersignatures, rec.FinalAdvice)
		}
		// New final advice; countersigned by the officer and the senior official.
		if _, err := s.SubmitFinalAdvice(ctx, f.Officer, app.ID, exportctl.FinalAdviceInput{Recommendation: "issue", Reasons: "Components for the multinational spares pool only."}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Countersign(ctx, f.Officer2, app.ID, exportctl.CountersignInput{Decision: "approve"}); err != nil {
			t.Fatal(err)
		}
		u, _, err := s.CreateUser(ctx, exportctl.System, exportctl.UserInput{Username: "officer3", Role: exportctl.RoleCaseOfficer})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Countersign(ctx, exportctl.ActorOf(*u), app.ID, exportctl.CountersignInput{Decision: "approve"})
		mustCode(t, err, exportctl.EForbidden) // a sensitive case needs a senior official among its countersigners
		if got, _ := s.Application(ctx, f.Officer, app.ID); got.Status != exportctl.StatusCountersigning {
			t.Fatalf("status = %s", got.Status)
		}
		if _, err := s.Countersign(ctx, f.Senior, app.ID, exportctl.CountersignInput{Decision: "approve"}); err != nil {
			t.Fatal(err)
		}
		if got, _ := s.Application(ctx, f.Officer, app.ID); got.Status != exportctl.StatusAwaitingDecision {
			t.Fatalf("after two countersignatures status = %s", got.Status)
		}
	})
}

func TestDepartureAndDecisionRecord(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		app := submitted(t, s, f)
		assessment := storetest.FinalAssessment(yesterday(s))
		for i := range assessment.Findings {
			if assessment.Findings[i].Criterion == "2c" {
				assessment.Findings[i].Finding = exportctl.FindingClearRisk
			}
		}
		storetest.ToCountersigning(t, s, f, app.ID, assessment, exportctl.FinalAdviceInput{Recommendation: "refuse", Criteria: []string{"2c"}, Reasons: "Clear risk."})
		storetest.Countersign(t, s, f, app.ID)
		// Only a decision maker decides.
		_, err := s.Decide(ctx, f.Officer, app.ID, exportctl.DecisionInput{Outcome: "refused", Criteria: []string{"2c"}, Reasons: "x"})
		mustCode(t, err, exportctl.EForbidden)
		// Issuing against the finding needs a departure.
		_, err = s.Decide(ctx, f.Decider, app.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "Strategic interest."})
		if exportctl.ErrorField(err) != "departure" || !strings.Contains(err.Error(), "2c") {
			t.Fatalf("issue without departure: %v", err)
		}
		_, err = s.Decide(ctx, f.Decider, app.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "x", Departure: &exportctl.DepartureInput{Scope: "F-35 components"}})
		if exportctl.ErrorField(err) != "departure.reasons" {
			t.Errorf("departure without reasons: %v", err)
		}
		app, err = s.Decide(ctx, f.Decider, app.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "Issued for the global spares pool.",
			Departure: &exportctl.DepartureInput{Kind: "carve_out", Scope: "F-35 components for the multinational spares pool", Reasons: "Removing UK parts would disrupt the programme."}})
		if err != nil || app.LicenceID == 0 {
			t.Fatalf("issue with departure: %v", err)
		}
		rec, err := s.DecisionRecord(ctx, f.Officer, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(rec.Departures) != 1 || rec.Departures[0].Kind != "carve_out" || strings.Join(rec.Departures[0].Criteria, ",") != "2c" || rec.Departures[0].DecisionID != rec.Decisions[0].ID {
			t.Errorf("departures = %+v", rec.Departures)
		}
		if !rec.Decisions[0].Departure || len(rec.Advice) != 12 || len(rec.Assessments) != 1 || len(rec.Countersignatures) != 2 || len(rec.FinalAdvice) != 1 {
			t.Errorf("record = decisions %+v, advice %d, assessments %d, countersignatures %d", rec.Decisions, len(rec.Advice), len(rec.Assessments), len(rec.Countersignatures))
		}
		_, err = s.DecisionRecord(ctx, f.Exporter, app.ID)
		mustCode(t, err, exportctl.EForbidden)
		// The exporter's history shows its case's steps, not the internal working.
		hist, err := s.History(ctx, f.Exporter, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range hist {
			if e.Action == "application.advise" || e.Action == "application.assess" || strings.Contains(e.Summary, "sensitive") {
				t.Errorf("exporter sees internal event %s: %s", e.Action, e.Summary)
			}
		}
		// A later carve-out on the licence is its own departure.
		if _, err := s.RecordDeparture(ctx, f.Decider, app.ID, exportctl.DepartureInput{Scope: "Spares for the pool", Reasons: "Exempt from the suspension"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.RecordDeparture(ctx, f.Officer, app.ID, exportctl.DepartureInput{Scope: "x", Reasons: "y"})
		mustCode(t, err, exportctl.EForbidden)
		if _, err := s.DB().Exec(`DELETE FROM departures`); err == nil {
			t.Error("departures can be deleted")
		}
	})
}

func TestStoreFixesFromTheDemo(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		// A sensitive case: the senior official may sign first and a case officer second.
		s.Sensitivity = exportctl.SensitivityRules{DestinationsUnderReview: []string{"IL"}}
		app := submitted(t, s, f)
		storetest.ToCountersigning(t, s, f, app.ID, storetest.FinalAssessment(yesterday(s)),
			exportctl.FinalAdviceInput{Recommendation: "issue", Conditions: "No re-export without UK consent", Reasons: "ok"})
		if _, err := s.Countersign(ctx, f.Senior, app.ID, exportctl.CountersignInput{Decision: "approve"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Countersign(ctx, f.Officer2, app.ID, exportctl.CountersignInput{Decision: "approve"}); err != nil {
			t.Fatalf("officer after senior: %v", err)
		}
		app, err := s.Decide(ctx, f.Decider, app.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "ok"})
		if err != nil {
			t.Fatal(err)
		}
		lic, _ := s.Licence(ctx, f.Exporter, app.LicenceID)
		if lic.Conditions != "No re-export without UK consent" {
			t.Errorf("licence conditions = %q", lic.Conditions)
		}
		// Resolving advice after the decision is a conflict.
		_, err = s.ResolveConflict(ctx, f.Senior, app.ID, exportctl.ResolutionInput{Subject: "good", SubjectID: app.Goods[0].ID, Result: "approve", Reasons: "x"})
		mustCode(t, err, exportctl.EConflict)

		// On appeal a draft assessment does not replace the final finding: issuing still needs a departure.
		s.Sensitivity = exportctl.SensitivityRules{}
		second, _ := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		s.Transition(ctx, f.Exporter, second.ID, exportctl.ActSubmit, "")
		risky := storetest.FinalAssessment(yesterday(s))
		for i := range risky.Findings {
			if risky.Findings[i].Criterion == "2c" {
				risky.Findings[i].Finding = exportctl.FindingClearRisk
			}
		}
		storetest.ToCountersigning(t, s, f, second.ID, risky, exportctl.FinalAdviceInput{Recommendation: "refuse", Criteria: []string{"2c"}, Reasons: "Clear risk."})
		storetest.Countersign(t, s, f, second.ID)
		if _, err := s.Decide(ctx, f.Decider, second.ID, exportctl.DecisionInput{Outcome: "refused", Criteria: []string{"2c"}, Reasons: "Clear risk."}); err != nil {
			t.Fatal(err)
		}
		s.Transition(ctx, f.Exporter, second.ID, exportctl.ActAppeal, "new assurances")
		if _, err := s.SaveAssessment(ctx, f.Officer, second.ID, exportctl.AssessmentInput{}); err != nil {
			t.Fatal(err)
		}
		_, err = s.Decide(ctx, f.Decider, second.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "On appeal"})
		if exportctl.ErrorField(err) != "departure" {
			t.Errorf("a draft on appeal must not clear the adverse finding: %v", err)
		}
	})
}

// TestUnanimousRefusalAdviceNeedsDeparture: when every advisory team
// advises refusal on a party, issuing departs from the advice even if the
// case officer's assessment and final advice found no risk.
func TestUnanimousRefusalAdviceNeedsDeparture(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		app := submitted(t, s, f)
		for _, act := range []string{exportctl.ActBeginChecks, exportctl.ActStartReview} {
			if _, err := s.Transition(ctx, f.Officer, app.ID, act, ""); err != nil {
				t.Fatal(err)
			}
		}
		for _, adviser := range []exportctl.Actor{f.FCDO, f.MOD} {
			for _, g := range app.Goods {
				if _, err := s.GiveAdvice(ctx, adviser, app.ID, exportctl.AdviceInput{Subject: exportctl.SubjectGood, SubjectID: g.ID, Type: exportctl.AdviceApprove}); err != nil {
					t.Fatal(err)
				}
			}
			for _, p := range app.Parties {
				in := exportctl.AdviceInput{Subject: exportctl.SubjectParty, SubjectID: p.ID, Type: exportctl.AdviceApprove}
				if p.Role == "end_user" {
					in = exportctl.AdviceInput{Subject: exportctl.SubjectParty, SubjectID: p.ID, Type: exportctl.AdviceRefuse, Criteria: []string{"2c"}, Reasons: "Credible reports of strikes on hospitals by this unit."}
				}
				if _, err := s.GiveAdvice(ctx, adviser, app.ID, in); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := s.Transition(ctx, f.Officer, app.ID, exportctl.ActFinalReview, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SaveAssessment(ctx, f.Officer, app.ID, storetest.FinalAssessment(yesterday(s))); err != nil {
			t.Fatal(err)
		}
		if _, err := s.SubmitFinalAdvice(ctx, f.Officer, app.ID, exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendIssue, Reasons: "No clear risk found."}); err != nil {
			t.Fatal(err)
		}
		storetest.Countersign(t, s, f, app.ID)
		_, err := s.Decide(ctx, f.Decider, app.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "In line with the final advice."})
		if exportctl.ErrorField(err) != "departure" || !strings.Contains(err.Error(), "2c") {
			t.Fatalf("issue against unanimous advice to refuse, without a departure: %v", err)
		}
		if _, err := s.Decide(ctx, f.Decider, app.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "Assurances received.",
			Departure: &exportctl.DepartureInput{Scope: "The end user", Reasons: "New end-use assurances answer the teams' concern."}}); err != nil {
			t.Fatalf("issue with a departure: %v", err)
		}
		rec, err := s.DecisionRecord(ctx, f.Decider, app.ID)
		if err != nil || len(rec.Departures) != 1 || strings.Join(rec.Departures[0].Criteria, ",") != "2c" {
			t.Fatalf("record: %v %+v", err, rec)
		}
	})
}
