package exportctl

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Final advice recommendations.
const (
	RecommendIssue  = "issue"
	RecommendRefuse = "refuse"
	RecommendNLR    = "nlr"
)

// FinalAdvice is the case officer's recommendation that goes to
// countersigning. A rejected countersignature supersedes it.
type FinalAdvice struct {
	ID                 int64     `json:"id"`
	ApplicationID      int64     `json:"application_id"`
	Recommendation     string    `json:"recommendation"`
	Criteria           []string  `json:"criteria"`
	Conditions         string    `json:"conditions,omitempty"`
	Reasons            string    `json:"reasons"`
	AssessmentID       int64     `json:"assessment_id"`
	Sensitive          bool      `json:"sensitive"`
	SensitiveReasons   []string  `json:"sensitive_reasons,omitempty"`
	CountersignsNeeded int       `json:"countersignatures_needed"`
	AuthorID           int64     `json:"author_id"`
	Author             string    `json:"author"`
	CreatedAt          time.Time `json:"created_at"`
	Superseded         bool      `json:"superseded"`
}

// FinalAdviceInput is what the case officer submits.
type FinalAdviceInput struct {
	Recommendation string   `json:"recommendation"`
	Criteria       []string `json:"criteria"`
	Conditions     string   `json:"conditions"`
	Reasons        string   `json:"reasons"`
}

// Validate checks final advice: reasons always; criteria for a refusal.
func (in *FinalAdviceInput) Validate(set CriteriaSet) error {
	var errs Errors
	if !slices.Contains([]string{RecommendIssue, RecommendRefuse, RecommendNLR}, in.Recommendation) {
		errs = append(errs, Invalid("recommendation", "must be issue, refuse or nlr"))
	}
	in.Reasons = strings.TrimSpace(in.Reasons)
	if in.Reasons == "" {
		errs = append(errs, Invalid("reasons", "final advice must give its reasons"))
	}
	if in.Recommendation == RecommendRefuse && len(in.Criteria) == 0 {
		errs = append(errs, Invalid("criteria", "a recommendation to refuse must cite at least one criterion"))
	}
	if in.Recommendation != RecommendRefuse && len(in.Criteria) > 0 {
		errs = append(errs, Invalid("criteria", "criteria are cited only for a refusal"))
	}
	for i, c := range in.Criteria {
		if _, ok := set.Find(c); !ok {
			errs = append(errs, Invalid(fmt.Sprintf("criteria[%d]", i), "%q is not a criterion of %s", c, set.Name))
		}
	}
	return errs.Err()
}

// SensitivityRules say which cases need a second countersignature by a
// senior official. They are configuration, set when the server starts.
type SensitivityRules struct {
	// DestinationsUnderReview are ISO codes of destinations under review.
	DestinationsUnderReview []string
	// ValueThresholdGBP: cases worth more than this are sensitive (0 = no threshold).
	ValueThresholdGBP float64
	// Criterion2Risk: any finding of risk (even mitigated) on a criterion 2
	// sub-criterion makes the case sensitive. On by default.
	IgnoreCriterion2Risk bool
}

// DefaultSensitivity is used when nothing is configured.
var DefaultSensitivity = SensitivityRules{ValueThresholdGBP: 10_000_000}

// Sensitive applies the rules to a case and its assessment.
func (r SensitivityRules) Sensitive(app *Application, as *Assessment) (bool, []string) {
	var reasons []string
	if slices.Contains(r.DestinationsUnderReview, app.Destination) {
		reasons = append(reasons, fmt.Sprintf("the destination (%s) is under review", CountryName(app.Destination)))
	}
	if r.ValueThresholdGBP > 0 && app.TotalValueGBP > r.ValueThresholdGBP {
		reasons = append(reasons, fmt.Sprintf("the value (£%.0f) is over the threshold of £%.0f", app.TotalValueGBP, r.ValueThresholdGBP))
	}
	if !r.IgnoreCriterion2Risk && as != nil {
		for _, f := range as.Findings {
			risky := f.Finding != FindingNoRisk && f.Finding != FindingNotApplicable
			if risky && (strings.HasPrefix(f.Criterion, "2") || strings.HasPrefix(f.Criterion, "7.1b")) {
				reasons = append(reasons, fmt.Sprintf("the assessment found %s under criterion %s", Humanise(f.Finding), f.Criterion))
			}
		}
	}
	return len(reasons) > 0, reasons
}

// Countersignature is one countersigner's approval or rejection of final
// advice. A rejection invalidates the earlier ones, which stay on record.
type Countersignature struct {
	ID            int64      `json:"id"`
	ApplicationID int64      `json:"application_id"`
	FinalAdviceID int64      `json:"final_advice_id"`
	Order         int        `json:"order"`
	SignerID      int64      `json:"signer_id"`
	Signer        string     `json:"signer"`
	SignerRole    Role       `json:"signer_role"`
	Approved      bool       `json:"approved"`
	Reasons       string     `json:"reasons"`
	CreatedAt     time.Time  `json:"created_at"`
	InvalidatedAt *time.Time `json:"invalidated_at,omitempty"`
}

// CountersignInput approves or rejects final advice.
type CountersignInput struct {
	Decision string `json:"decision"` // approve or reject
	Reasons  string `json:"reasons"`
}

// Validate requires a decision, and reasons for a rejection.
func (in *CountersignInput) Validate() error {
	in.Reasons = strings.TrimSpace(in.Reasons)
	switch in.Decision {
	case "approve":
		return nil
	case "reject":
		if in.Reasons == "" {
			return Invalid("reasons", "say why the final advice is rejected")
		}
		return nil
	}
	return Invalid("decision", "must be approve or reject")
}

// Departure kinds.
const (
	DepartureIssueDespiteFinding = "issue_despite_finding" // issuing against an adverse finding or advice to refuse
	DepartureCarveOut            = "carve_out"             // an exemption, e.g. components for a multinational spares pool
)

// Departure is a decision that departs from the criteria or the advice:
// its own record, always shown as a departure, on the record and in public.
type Departure struct {
	ID            int64     `json:"id"`
	ApplicationID int64     `json:"application_id"`
	LicenceID     int64     `json:"licence_id,omitempty"`
	DecisionID    int64     `json:"decision_id,omitempty"`
	ReviewID      int64     `json:"review_id,omitempty"` // the review whose outcome carved it out
	Kind          string    `json:"kind"`
	Scope         string    `json:"scope"`
	Reasons       string    `json:"reasons"`
	Criteria      []string  `json:"criteria"` // the adverse findings departed from
	By            string    `json:"by"`
	At            time.Time `json:"at"`
}

// DepartureInput records a departure.
type DepartureInput struct {
	Kind    string `json:"kind"`
	Scope   string `json:"scope"`
	Reasons string `json:"reasons"`
}

// Validate requires a kind, a scope and reasons.
func (in *DepartureInput) Validate(prefix string) error {
	var errs Errors
	if in.Kind == "" {
		in.Kind = DepartureIssueDespiteFinding
	}
	if in.Kind != DepartureIssueDespiteFinding && in.Kind != DepartureCarveOut {
		errs = append(errs, Invalid(prefix+"kind", "must be issue_despite_finding or carve_out"))
	}
	in.Scope, in.Reasons = strings.TrimSpace(in.Scope), strings.TrimSpace(in.Reasons)
	if in.Scope == "" {
		errs = append(errs, Invalid(prefix+"scope", "state what the departure covers"))
	}
	if in.Reasons == "" {
		errs = append(errs, Invalid(prefix+"reasons", "give the reasons for departing from the criteria or the advice"))
	}
	return errs.Err()
}

// DecisionRecord is everything a court or an oversight body needs to read
// a decision: who advised what, the findings and evidence, the cut-off,
// who countersigned, the decision and its reasons, and any departure.
type DecisionRecord struct {
	Application       *Application       `json:"application"`
	Advice            []Advice           `json:"advice"`
	CombinedAdvice    []CombinedAdvice   `json:"combined_advice"`
	Resolutions       []Resolution       `json:"resolutions"`
	Assessments       []Assessment       `json:"assessments"`
	FinalAdvice       []FinalAdvice      `json:"final_advice"`
	Countersignatures []Countersignature `json:"countersignatures"`
	Decisions         []Decision         `json:"decisions"`
	Departures        []Departure        `json:"departures"`
	History           []AuditEvent       `json:"history"`
	GeneratedAt       time.Time          `json:"generated_at"`
}
