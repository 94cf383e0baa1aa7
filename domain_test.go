package exportctl

import (
	"errors"
	"strings"
	"testing"
)

func TestRatings(t *testing.T) {
	valid := map[string]string{
		"ML1": "ML1", "ml10A": "ML10a", "ML22a": "ML22a", "ML4b.1": "ML4b.1", " ML13 ": "ML13",
		"PL5017": "PL5017", "pl9002": "PL9002", "5A002": "5A002", "5a002A": "5A002a", "1C350": "1C350", "nlr": "NLR",
	}
	for in, want := range valid {
		got, err := ParseRating("rating", in)
		if err != nil || got != want {
			t.Errorf("ParseRating(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "ML0", "ML23", "ML100", "PL123", "5F002", "5A02", "X", "ML10-a"} {
		if _, err := ParseRating("goods[0].rating", bad); err == nil || ErrorField(err) != "goods[0].rating" {
			t.Errorf("ParseRating(%q) = %v, want an error naming the field", bad, err)
		}
	}
	for r, fam := range map[string]string{"ML10a": "ML10", "ML22": "ML22", "5A002a": "5A002", "PL5017": "PL5017"} {
		if got := RatingFamily(r); got != fam {
			t.Errorf("RatingFamily(%s) = %s", r, got)
		}
	}
	if MLCategory("ML10a") != 10 || MLCategory("5A002") != 0 || !MilitaryRating("PL5017") || MilitaryRating("PL9002") {
		t.Error("categories")
	}
	if len(MilitaryListTitles) != 22 || RatingTitle("ML10h") == "" {
		t.Error("Military List titles")
	}
}

func TestTransitionTable(t *testing.T) {
	to, err := Next(CaseMachine, StatusDraft, ActSubmit, RoleExporter)
	if err != nil || to != StatusSubmitted {
		t.Fatalf("submit draft = %s, %v", to, err)
	}
	_, err = Next(CaseMachine, StatusWithdrawn, ActSubmit, RoleExporter)
	if ErrorCode(err) != EConflict || !strings.Contains(err.Error(), "withdrawn") || !strings.Contains(err.Error(), "submit") {
		t.Errorf("submit withdrawn: %v", err)
	}
	_, err = Next(CaseMachine, StatusSubmitted, ActBeginChecks, RoleExporter)
	if ErrorCode(err) != EForbidden {
		t.Errorf("exporter begins checks: %v", err)
	}
	_, err = Next(LicenceMachine, LicenceIssued, "explode", RoleCaseOfficer)
	if ErrorCode(err) != EInvalid {
		t.Errorf("unknown action: %v", err)
	}
	// Every state a transition reaches is a declared state, and every
	// declared case state can be reached.
	reached := map[string]bool{StatusDraft: true}
	for _, tr := range Transitions {
		all := CaseStatuses
		switch tr.Machine {
		case LicenceMachine:
			all = LicenceStatuses
		case ReviewMachine:
			all = ReviewStatuses
		}
		for _, st := range []string{tr.From, tr.To} {
			if !contains(all, st) {
				t.Errorf("transition %+v uses undeclared state %q", tr, st)
			}
		}
		if len(tr.Roles) == 0 {
			t.Errorf("transition %+v allows no role", tr)
		}
		reached[tr.To] = true
	}
	for _, st := range CaseStatuses {
		if !reached[st] {
			t.Errorf("case state %s is unreachable", st)
		}
	}
	if got := Actions(LicenceMachine, LicenceSuspended, RoleCaseOfficer); strings.Join(got, ",") != "reinstate,revoke" {
		t.Errorf("officer actions on a suspended licence = %v", got)
	}
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func TestCombineAdvice(t *testing.T) {
	adv := func(types ...string) []Advice {
		var out []Advice
		for i, ty := range types {
			a := Advice{Team: []string{"FCDO", "MOD", "NCSC"}[i], Type: ty}
			if ty == AdviceProviso {
				a.Conditions = "no onward transfer"
			}
			if ty == AdviceRefuse {
				a.Criteria = []string{"2c"}
			}
			out = append(out, a)
		}
		return out
	}
	cases := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{AdviceApprove}, AdviceApprove},
		{[]string{AdviceApprove, AdviceProviso}, AdviceProviso},
		{[]string{AdviceApprove, AdviceNLR}, AdviceNLR},
		{[]string{AdviceRefuse, AdviceRefuse}, AdviceRefuse},
		{[]string{AdviceRefuse, AdviceApprove}, AdviceConflicting},
		{[]string{AdviceProviso, AdviceRefuse}, AdviceConflicting},
		{[]string{AdviceRefuse, AdviceNotApplicable}, AdviceRefuse},
		{[]string{AdviceNotApplicable}, AdviceNotApplicable},
		{[]string{AdviceNLR, AdviceProviso}, AdviceProviso},
	}
	for _, c := range cases {
		got, conds, crit := CombineAdvice(adv(c.in...))
		if got != c.want {
			t.Errorf("CombineAdvice(%v) = %s, want %s", c.in, got, c.want)
		}
		if got == AdviceProviso && len(conds) != 1 {
			t.Errorf("proviso conditions = %v", conds)
		}
		if got == AdviceRefuse && (len(crit) != 1 || crit[0] != "2c") {
			t.Errorf("refusal criteria = %v", crit)
		}
	}
	// Superseded advice does not count.
	a := adv(AdviceRefuse, AdviceApprove)
	a[0].Superseded = true
	if got, _, _ := CombineAdvice(a); got != AdviceApprove {
		t.Errorf("superseded refusal still counts: %s", got)
	}
}

func TestSensitivityRules(t *testing.T) {
	app := &Application{Destination: "IL", TotalValueGBP: 2_000_000}
	risky := &Assessment{Findings: []Finding{{Criterion: "2c", Finding: FindingRiskMitigated}, {Criterion: "7", Finding: FindingClearRisk}}}
	calm := &Assessment{Findings: []Finding{{Criterion: "2c", Finding: FindingNoRisk}}}
	cases := []struct {
		rules SensitivityRules
		as    *Assessment
		want  int // number of reasons
	}{
		{SensitivityRules{}, calm, 0},
		{SensitivityRules{}, risky, 1}, // 2c risk, even mitigated; criterion 7 is not criterion 2
		{SensitivityRules{IgnoreCriterion2Risk: true}, risky, 0},
		{SensitivityRules{DestinationsUnderReview: []string{"IL"}}, calm, 1},
		{SensitivityRules{ValueThresholdGBP: 1_000_000}, calm, 1},
		{SensitivityRules{ValueThresholdGBP: 5_000_000, DestinationsUnderReview: []string{"SA"}}, calm, 0},
	}
	for i, c := range cases {
		got, reasons := c.rules.Sensitive(app, c.as)
		if len(reasons) != c.want || got != (c.want > 0) {
			t.Errorf("case %d: sensitive=%v reasons=%v, want %d reasons", i, got, reasons, c.want)
		}
	}
}

func TestDecisionAndDepartureValidation(t *testing.T) {
	set := MustCriteria(CriteriaUK2021)
	d := DecisionInput{Outcome: "refused", Criteria: []string{"2c"}, Reasons: "x", Departure: &DepartureInput{Scope: "s", Reasons: "r"}}
	if ErrorField(d.Validate(set)) != "departure" {
		t.Errorf("a departure on a refusal must be refused: %v", d.Validate(set))
	}
	d = DecisionInput{Outcome: "issued", Reasons: "x", Departure: &DepartureInput{Scope: " "}}
	err := d.Validate(set)
	var ve *ValidationError
	if !errors.As(err, &ve) || len(ve.Errors) != 2 || ve.Errors[0].Field != "departure.scope" {
		t.Errorf("departure without scope and reasons: %v", err)
	}
	fa := FinalAdviceInput{Recommendation: "refuse", Reasons: "x"}
	if ErrorField(fa.Validate(set)) != "criteria" {
		t.Errorf("refusal advice without criteria: %v", fa.Validate(set))
	}
	cs := CountersignInput{Decision: "reject"}
	if ErrorField(cs.Validate()) != "reasons" {
		t.Errorf("rejection without reasons: %v", cs.Validate())
	}
	in := AssessmentInput{CriteriaSet: CriteriaATT, Findings: []Finding{{Criterion: "6.3", Finding: FindingKnowledge, Reasoning: "x"}}, Final: true, EvidenceCutoff: "2026-01-01"}
	if err := CheckEvidenceGuard(&in, 3); err != nil {
		t.Errorf("the guard concerns the IHL criterion of the set (7.1b.i), which this draft does not assess: %v", err)
	}
	in.Findings = append(in.Findings, Finding{Criterion: "7.1b.i", Finding: FindingClearRisk, Reasoning: "x"})
	if ErrorField(CheckEvidenceGuard(&in, 3)) != "evidence_guard_reason" {
		t.Error("ATT 7.1b.i finding citing no incident must trip the guard")
	}
}
