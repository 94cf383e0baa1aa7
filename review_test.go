package exportctl

import (
	"testing"
	"time"
)

func fieldsOf(err error) map[string]bool {
	out := map[string]bool{}
	if ve, ok := err.(*ValidationError); ok {
		for _, e := range ve.Errors {
			out[e.Field] = true
		}
	} else if err != nil {
		out[ErrorField(err)] = true
	}
	return out
}

func TestReviewInputValidate(t *testing.T) {
	in := ReviewInput{Kind: "end_user", Destination: "XX", TermsOfReference: " ", EvidenceCutoff: "2026-12-01", Deadline: "2026-01-01",
		Milestones: []MilestoneInput{{Name: "", Due: "soon"}}}
	got := fieldsOf(in.Validate("2026-11-29"))
	for _, f := range []string{"destination", "end_user", "terms_of_reference", "lead_id", "evidence_cutoff", "deadline", "milestones[0].name", "milestones[0].due"} {
		if !got[f] {
			t.Errorf("no error for %s (got %v)", f, got)
		}
	}
	ok := ReviewInput{Destination: "il", TermsOfReference: "Which licences could be used in Gaza.", LeadID: 3, EvidenceCutoff: "2026-11-01", Deadline: "2027-02-01"}
	if err := ok.Validate("2026-11-29"); err != nil {
		t.Fatal(err)
	}
	if ok.Kind != ReviewDestination || ok.Destination != "IL" {
		t.Errorf("defaults: kind %q destination %q", ok.Kind, ok.Destination)
	}
	ok.EndUser = "Israeli Air Force"
	if got := fieldsOf(ok.Validate("2026-11-29")); !got["end_user"] {
		t.Errorf("a destination review naming an end user: %v", got)
	}
}

func TestDeterminationValidate(t *testing.T) {
	cases := []struct {
		in   DeterminationInput
		want []string
	}{
		{DeterminationInput{}, []string{"licence_id", "determination", "determination_reasons", "outcome", "outcome_reasons"}},
		{DeterminationInput{LicenceID: 1, Determination: "yes", DeterminationReasons: "F-16 parts", Outcome: "amend", OutcomeReasons: "r"}, []string{"conditions"}},
		{DeterminationInput{LicenceID: 1, Determination: "no", DeterminationReasons: "r", Outcome: "suspend", Conditions: "x", OutcomeReasons: "r"}, []string{"conditions"}},
		{DeterminationInput{LicenceID: 1, Determination: "yes", DeterminationReasons: "r", Outcome: "suspend"}, []string{"outcome_reasons"}},
	}
	for i, c := range cases {
		got := fieldsOf(c.in.Validate())
		for _, f := range c.want {
			if !got[f] {
				t.Errorf("case %d: no error for %s (got %v)", i, f, got)
			}
		}
		if len(got) != len(c.want) {
			t.Errorf("case %d: errors %v, want %v", i, got, c.want)
		}
	}
	// Maintaining a licence found not usable needs no further reasons.
	in := DeterminationInput{LicenceID: 1, Determination: "no", DeterminationReasons: "Food-testing chemicals", Outcome: "maintain"}
	if err := in.Validate(); err != nil {
		t.Error(err)
	}
}

func sampleReview() *Review {
	return &Review{Reference: "REV/2026/0001", Deadline: "2026-12-31", OpenedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC),
		Findings: ReviewFindings{ConductOfHostilities: "a", HumanitarianAccess: "b", Detainees: "c"},
		Licences: []ReviewLicence{
			{LicenceID: 1, Reference: "L1", Ratings: []string{"ML10", "ML22"}, Determination: "yes", Outcome: "suspend"},
			{LicenceID: 2, Reference: "L2", Ratings: []string{"ML10"}, Determination: "yes", Outcome: "maintain"},
			{LicenceID: 3, Reference: "L3", Ratings: []string{"1C011"}, Determination: "no", Outcome: "maintain"},
			{LicenceID: 4, Reference: "L4", Ratings: []string{"ML2"}, Determination: "unclear", Outcome: "amend"},
		}}
}

func TestReviewReadyAndApprove(t *testing.T) {
	r := sampleReview()
	if err := r.ReadyToPropose(); err != nil {
		t.Fatal(err)
	}
	r.Findings.Detainees = ""
	r.Licences[3].Outcome = ""
	if got := fieldsOf(r.ReadyToPropose()); !got["findings"] || !got["licences[3]"] || len(got) != 2 {
		t.Errorf("ready: %v", got)
	}
	r = sampleReview()
	// L2 is a carve-out: approval without one fails naming it.
	in := ApproveInput{Reasons: "Approved."}
	if got := fieldsOf(in.Validate(r)); !got["carve_out_2"] {
		t.Errorf("missing carve-out not named: %v", got)
	}
	in.CarveOuts = []CarveOutInput{{LicenceID: 3, Scope: "x", Reasons: "y"}, {LicenceID: 2}}
	got := fieldsOf(in.Validate(r))
	for _, f := range []string{"carve_outs[0].licence_id", "carve_outs[1].scope", "carve_outs[1].reasons"} {
		if !got[f] {
			t.Errorf("no error for %s (got %v)", f, got)
		}
	}
	in.CarveOuts = []CarveOutInput{{LicenceID: 2, Scope: "F-35 components to the global spares pool", Reasons: "Collective security."}}
	if err := in.Validate(r); err != nil {
		t.Error(err)
	}
}

func TestReviewTimelineAndOutcome(t *testing.T) {
	r := sampleReview()
	tl := r.TimelineAt(time.Date(2026, 12, 31, 23, 0, 0, 0, time.UTC))
	if tl.DaysOpen != 60 || tl.DeadlinePassed || tl.OpenedOn != "2026-11-01" {
		t.Errorf("on the deadline day: %+v", tl)
	}
	if tl := r.TimelineAt(time.Date(2027, 1, 1, 0, 0, 1, 0, time.UTC)); !tl.DeadlinePassed || tl.DaysOpen != 61 {
		t.Errorf("a day late: %+v", tl)
	}
	pub := time.Date(2026, 12, 20, 10, 0, 0, 0, time.UTC)
	r.Status, r.PublishedAt, r.Statement = ReviewPublished, &pub, "We suspended one licence."
	if tl := r.TimelineAt(time.Date(2027, 6, 1, 0, 0, 0, 0, time.UTC)); tl.DaysOpen != 49 || tl.DeadlinePassed || tl.ClosedOn != "2026-12-20" {
		t.Errorf("published in time, read later: %+v", tl)
	}
	rows := r.OutcomeByCategory()
	order := []string{"ML2", "ML10", "ML22", "1C011", "all"}
	if len(rows) != len(order) {
		t.Fatalf("rows %+v", rows)
	}
	for i, c := range order {
		if rows[i].Category != c {
			t.Errorf("row %d is %s, want %s", i, rows[i].Category, c)
		}
	}
	ml10 := rows[1]
	if ml10.Licences != 2 || ml10.Suspend != 1 || ml10.Maintain != 1 || ml10.CarveOuts != 1 {
		t.Errorf("ML10: %+v", ml10)
	}
	all := rows[4]
	if all.Licences != 4 || all.Maintain != 2 || all.Amend != 1 || all.Suspend != 1 || all.CarveOuts != 1 {
		t.Errorf("all: %+v", all)
	}
	if p := r.Public(pub); p.Statement == "" || len(p.Outcome) != 5 || p.Status != ReviewPublished {
		t.Errorf("published public view: %+v", p)
	}
	r.Status = ReviewApproved
	if p := r.Public(pub); p.Statement != "" || p.Outcome != nil || p.Status != ReviewInProgress {
		t.Errorf("unpublished public view shows the outcome: %+v", p)
	}
}

func TestExposureSummaryAndTaskDecision(t *testing.T) {
	var e ExposureSummary
	for _, s := range []string{"contextual", "platform", "contextual", "bogus"} {
		e.Add(s)
	}
	if e.Strongest != StrengthPlatform || e.Links() != 3 {
		t.Errorf("%+v", e)
	}
	in := TaskDecisionInput{Decision: "no_action", Reasons: "Noted."}
	if got := fieldsOf(in.Validate()); !got["reasons"] {
		t.Errorf("noted accepted: %v", got)
	}
	in = TaskDecisionInput{Decision: "review"}
	if got := fieldsOf(in.Validate()); !got["review_id"] {
		t.Errorf("review without id: %v", got)
	}
	if err := (ReassessmentRule{Incidents: 0, WithinDays: 0}).Validate(); len(fieldsOf(err)) != 2 {
		t.Errorf("rule: %v", err)
	}
}
