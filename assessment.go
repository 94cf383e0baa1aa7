package exportctl

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Findings an assessment records per criterion. The three legal tests are
// distinct findings, not one scale: knowledge (ATT 6.3), overriding risk
// after mitigation (ATT 7.3) and clear risk (UK/EU criterion 2c).
const (
	FindingNoRisk         = "no_risk"
	FindingRiskMitigated  = "risk_mitigated"
	FindingClearRisk      = "clear_risk"
	FindingOverridingRisk = "overriding_risk"
	FindingKnowledge      = "knowledge_of_use" // ATT 6.3 only
	FindingNotApplicable  = "not_applicable"
)

// FindingTypes lists the findings in the order forms show them.
var FindingTypes = []string{FindingNoRisk, FindingRiskMitigated, FindingClearRisk, FindingOverridingRisk, FindingKnowledge, FindingNotApplicable}

// AdverseFinding reports whether a finding stands against issuing: issuing
// despite one is a departure.
func AdverseFinding(f string) bool {
	return f == FindingClearRisk || f == FindingOverridingRisk || f == FindingKnowledge
}

// Evidence kinds an assessment may cite.
const (
	EvidenceIncident = "incident" // an incident of the evidence register
	EvidenceDocument = "document" // a report, cable or other document
	EvidenceAdvice   = "advice"   // advice given on the case
)

// EvidenceRef cites one piece of evidence.
type EvidenceRef struct {
	Kind string `json:"kind"`
	Ref  string `json:"ref"` // incident id, URL or document reference
	Note string `json:"note,omitempty"`
}

// Finding is the assessment of one criterion.
type Finding struct {
	Criterion string        `json:"criterion"`
	Finding   string        `json:"finding"`
	Reasoning string        `json:"reasoning"`
	Evidence  []EvidenceRef `json:"evidence"`
}

// IHLFindings are what an assessment of criterion 2c must also hold
// (DOMAIN.md section 2: the Court of Appeal's 2019 judgment and after).
type IHLFindings struct {
	PastViolations          string `json:"past_violations"`          // finding on past violations by the end user
	Pattern                 string `json:"pattern"`                  // any pattern of violations
	ConductOfHostilities    string `json:"conduct_of_hostilities"`   // capability and commitment to comply
	HumanitarianAccess      string `json:"humanitarian_access"`      // relief and access
	Detainees               string `json:"detainees"`                // treatment of detainees
	RecipientInvestigations string `json:"recipient_investigations"` // the recipient's own investigations and accountability
	Assurances              string `json:"assurances"`               // assurances relied on
}

func (f IHLFindings) fields() []struct{ name, value string } {
	return []struct{ name, value string }{
		{"past_violations", f.PastViolations}, {"pattern", f.Pattern},
		{"conduct_of_hostilities", f.ConductOfHostilities}, {"humanitarian_access", f.HumanitarianAccess},
		{"detainees", f.Detainees}, {"recipient_investigations", f.RecipientInvestigations},
		{"assurances", f.Assurances},
	}
}

// Assessment statuses.
const (
	AssessmentDraft = "draft"
	AssessmentFinal = "final"
)

// Assessment is one version of a case officer's assessment against the
// criteria set in force. Each save is a new version; the latest counts.
type Assessment struct {
	ID                  int64        `json:"id"`
	ApplicationID       int64        `json:"application_id"`
	Version             int          `json:"version"`
	CriteriaSet         string       `json:"criteria_set"`
	EvidenceCutoff      string       `json:"evidence_cutoff"`
	Findings            []Finding    `json:"findings"`
	IHL                 *IHLFindings `json:"ihl,omitempty"`
	EvidenceGuardReason string       `json:"evidence_guard_reason,omitempty"`
	Status              string       `json:"status"`
	AuthorID            int64        `json:"author_id"`
	Author              string       `json:"author"`
	CreatedAt           time.Time    `json:"created_at"`
	Superseded          bool         `json:"superseded"`
}

// Finding returns the finding on a criterion, if any.
func (a *Assessment) Finding(criterion string) (Finding, bool) {
	for _, f := range a.Findings {
		if f.Criterion == criterion {
			return f, true
		}
	}
	return Finding{}, false
}

// Adverse lists the criteria with adverse findings.
func (a *Assessment) Adverse() []string {
	var out []string
	for _, f := range a.Findings {
		if AdverseFinding(f.Finding) {
			out = append(out, f.Criterion)
		}
	}
	return out
}

// AssessmentInput is an assessment as the case officer writes it.
type AssessmentInput struct {
	CriteriaSet         string       `json:"criteria_set"`
	EvidenceCutoff      string       `json:"evidence_cutoff"`
	Findings            []Finding    `json:"findings"`
	IHL                 *IHLFindings `json:"ihl"`
	EvidenceGuardReason string       `json:"evidence_guard_reason"`
	Final               bool         `json:"final"`
}

// IHLCriterion is the criterion of a set that carries the IHL test.
func IHLCriterion(set string) string {
	if set == CriteriaATT {
		return "7.1b.i"
	}
	return "2c"
}

// Validate checks an assessment. A draft may be incomplete, but whatever
// it holds must be valid; a final assessment has a finding with reasoning
// on every criterion of its set, an evidence cut-off no later than today,
// and for the IHL criterion every IHL finding.
func (in *AssessmentInput) Validate(today time.Time) error {
	var errs Errors
	if in.CriteriaSet == "" {
		in.CriteriaSet = DefaultCriteriaSet
	}
	set, ok := Criteria(in.CriteriaSet)
	if !ok {
		return Invalid("criteria_set", "unknown criteria set %q (uk-selc-2021, eu-cp-2008, att-2013)", in.CriteriaSet)
	}
	if in.EvidenceCutoff != "" {
		d, err := time.Parse(time.DateOnly, in.EvidenceCutoff)
		switch {
		case err != nil:
			errs = append(errs, Invalid("evidence_cutoff", "must be a date as YYYY-MM-DD"))
		case d.After(today):
			errs = append(errs, Invalid("evidence_cutoff", "cannot be after today"))
		}
	} else if in.Final {
		errs = append(errs, Invalid("evidence_cutoff", "state the evidence cut-off date: the date of the latest evidence considered"))
	}
	seen := map[string]bool{}
	for i, f := range in.Findings {
		field := fmt.Sprintf("findings[%d]", i)
		c, ok := set.Find(f.Criterion)
		switch {
		case !ok:
			errs = append(errs, Invalid(field+".criterion", "%q is not a criterion of %s", f.Criterion, set.Name))
			continue
		case c.Test == "group":
			errs = append(errs, Invalid(field+".criterion", "%q is a heading: assess its sub-criteria", f.Criterion))
			continue
		case seen[f.Criterion]:
			errs = append(errs, Invalid(field+".criterion", "criterion %s is assessed twice", f.Criterion))
			continue
		}
		seen[f.Criterion] = true
		if !slices.Contains(FindingTypes, f.Finding) {
			errs = append(errs, Invalid(field+".finding", "must be one of %s", strings.Join(FindingTypes, ", ")))
		}
		if f.Finding == FindingKnowledge && c.Test != "prohibit_if_knowledge" {
			errs = append(errs, Invalid(field+".finding", "knowledge_of_use is the ATT 6.3 test; criterion %s is not", f.Criterion))
		}
		in.Findings[i].Reasoning = strings.TrimSpace(f.Reasoning)
		if in.Findings[i].Reasoning == "" {
			errs = append(errs, Invalid(field+".reasoning", "give the reasoning for the finding on criterion %s", f.Criterion))
		}
		for j, e := range f.Evidence {
			if !slices.Contains([]string{EvidenceIncident, EvidenceDocument, EvidenceAdvice}, e.Kind) {
				errs = append(errs, Invalid(fmt.Sprintf("%s.evidence[%d].kind", field, j), "must be incident, document or advice"))
			}
			if strings.TrimSpace(e.Ref) == "" {
				errs = append(errs, Invalid(fmt.Sprintf("%s.evidence[%d].ref", field, j), "name the evidence (an incident id, URL or document reference)"))
			}
		}
	}
	if in.Final {
		for _, c := range set.Citable() {
			if !seen[c.Code] {
				errs = append(errs, Invalid("findings", "a final assessment needs a finding on criterion %s (%s)", c.Code, c.Title))
			}
		}
		if ihl := IHLCriterion(set.Name); seen[ihl] {
			if in.IHL == nil {
				in.IHL = &IHLFindings{}
			}
			for _, f := range in.IHL.fields() {
				if strings.TrimSpace(f.value) == "" {
					errs = append(errs, Invalid("ihl."+f.name, "the assessment of criterion %s needs a finding on %s", ihl, Humanise(f.name)))
				}
			}
		}
	}
	return errs.Err()
}

// EvidenceProvider answers whether the evidence register holds incidents
// relevant to a destination and end user up to a date: the evidence guard
// asks it before an IHL assessment that cites no incident is finalised.
type EvidenceProvider interface {
	RelevantIncidents(ctx context.Context, destination, endUser string, cutoff time.Time) (int, error)
}

// CheckEvidenceGuard refuses a final assessment whose IHL finding cites no
// incident while the register holds relevant ones, unless a reason for not
// citing them is recorded.
func CheckEvidenceGuard(in *AssessmentInput, relevant int) error {
	if !in.Final || relevant == 0 || strings.TrimSpace(in.EvidenceGuardReason) != "" {
		return nil
	}
	assessed := false
	for _, f := range in.Findings {
		if f.Criterion != IHLCriterion(in.CriteriaSet) {
			continue
		}
		assessed = true
		for _, e := range f.Evidence {
			if e.Kind == EvidenceIncident {
				return nil
			}
		}
	}
	if !assessed {
		return nil // completeness is Validate's concern
	}
	return Invalid("evidence_guard_reason", "the evidence register holds %d incident(s) relevant to this end user or destination up to the cut-off, and the finding on %s cites none: cite them, or record why they do not bear on this case", relevant, IHLCriterion(in.CriteriaSet))
}
