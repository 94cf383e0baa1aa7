package exportctl

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Advice types an advisory team may give on a good or a party.
const (
	AdviceApprove       = "approve"
	AdviceProviso       = "proviso" // approve with conditions
	AdviceRefuse        = "refuse"
	AdviceNLR           = "no_licence_required"
	AdviceNotApplicable = "not_applicable"
	// AdviceConflicting is never given: it is what combining advice yields
	// when a refusal meets any other view, and a senior official resolves it.
	AdviceConflicting = "conflicting"
)

// AdviceTypes lists the advice an adviser may give.
var AdviceTypes = []string{AdviceApprove, AdviceProviso, AdviceRefuse, AdviceNLR, AdviceNotApplicable}

// Advice subjects: advice is given per good and per party (destination).
const (
	SubjectGood  = "good"
	SubjectParty = "party"
)

// Advice is one team's advice on one good or party. A team revising its
// advice adds a new row; the earlier one is marked superseded and kept.
type Advice struct {
	ID            int64     `json:"id"`
	ApplicationID int64     `json:"application_id"`
	Team          string    `json:"team"`
	AdviserID     int64     `json:"adviser_id"`
	Adviser       string    `json:"adviser"`
	Subject       string    `json:"subject"` // good or party
	SubjectID     int64     `json:"subject_id"`
	Type          string    `json:"type"`
	Conditions    string    `json:"conditions,omitempty"`
	Criteria      []string  `json:"criteria"`
	Reasons       string    `json:"reasons"`
	CreatedAt     time.Time `json:"created_at"`
	Superseded    bool      `json:"superseded"`
}

// AdviceInput is advice as an adviser gives it.
type AdviceInput struct {
	Subject    string   `json:"subject"`
	SubjectID  int64    `json:"subject_id"`
	Type       string   `json:"type"`
	Conditions string   `json:"conditions"`
	Criteria   []string `json:"criteria"`
	Reasons    string   `json:"reasons"`
}

// Validate checks advice against the criteria set in force: a refusal
// cites criteria and gives reasons; a proviso states its conditions.
func (in *AdviceInput) Validate(set CriteriaSet) error {
	var errs Errors
	if in.Subject != SubjectGood && in.Subject != SubjectParty {
		errs = append(errs, Invalid("subject", "must be good or party"))
	}
	if in.SubjectID <= 0 {
		errs = append(errs, Invalid("subject_id", "name the good or party the advice is about"))
	}
	if !slices.Contains(AdviceTypes, in.Type) {
		errs = append(errs, Invalid("type", "must be one of %s", strings.Join(AdviceTypes, ", ")))
	}
	in.Reasons = strings.TrimSpace(in.Reasons)
	in.Conditions = strings.TrimSpace(in.Conditions)
	switch in.Type {
	case AdviceRefuse:
		if len(in.Criteria) == 0 {
			errs = append(errs, Invalid("criteria", "advice to refuse must cite at least one criterion"))
		}
		if in.Reasons == "" {
			errs = append(errs, Invalid("reasons", "advice to refuse must give reasons"))
		}
	case AdviceProviso:
		if in.Conditions == "" {
			errs = append(errs, Invalid("conditions", "a proviso must state its conditions"))
		}
	}
	if in.Type != AdviceRefuse && len(in.Criteria) > 0 {
		errs = append(errs, Invalid("criteria", "criteria are cited only in advice to refuse"))
	}
	for i, c := range in.Criteria {
		if _, ok := set.Find(c); !ok {
			errs = append(errs, Invalid(fmt.Sprintf("criteria[%d]", i), "%q is not a criterion of %s", c, set.Name))
		}
	}
	return errs.Err()
}

// CombinedAdvice is the result of combining every team's current advice
// on one subject.
type CombinedAdvice struct {
	Subject    string   `json:"subject"`
	SubjectID  int64    `json:"subject_id"`
	Label      string   `json:"label"` // the good's description or the party's name
	Result     string   `json:"result"`
	Conditions []string `json:"conditions,omitempty"`
	Criteria   []string `json:"criteria,omitempty"`
	Teams      []string `json:"teams"`
	// Resolution is a senior official's answer to conflicting advice.
	Resolution *Resolution `json:"resolution,omitempty"`
}

// Final is the result that counts: the resolution of a conflict if there is one.
func (c CombinedAdvice) Final() string {
	if c.Resolution != nil {
		return c.Resolution.Result
	}
	return c.Result
}

// Resolution is a senior official's decision on conflicting advice.
type Resolution struct {
	ID         int64     `json:"id"`
	Subject    string    `json:"subject"`
	SubjectID  int64     `json:"subject_id"`
	Result     string    `json:"result"` // approve, proviso or refuse
	Conditions string    `json:"conditions,omitempty"`
	Reasons    string    `json:"reasons"`
	By         string    `json:"by"`
	At         time.Time `json:"at"`
}

// ResolutionInput is a senior official's answer to conflicting advice.
type ResolutionInput struct {
	Subject    string `json:"subject"`
	SubjectID  int64  `json:"subject_id"`
	Result     string `json:"result"`     // approve, proviso or refuse
	Conditions string `json:"conditions"` // for a proviso
	Reasons    string `json:"reasons"`
}

// CombineAdvice applies the combination rules of DOMAIN.md section 2 to
// the current advice of every team on one subject:
//   - not applicable is ignored;
//   - approve + proviso = proviso (conditions collected);
//   - approve + no licence required = no licence required;
//   - refusal by every team = refuse; a refusal with any other view = conflicting;
//   - no advice = "" (none yet).
func CombineAdvice(advice []Advice) (result string, conditions, criteria []string) {
	var types []string
	for _, a := range advice {
		if a.Superseded || a.Type == AdviceNotApplicable {
			continue
		}
		types = append(types, a.Type)
		if a.Type == AdviceProviso && !slices.Contains(conditions, a.Conditions) {
			conditions = append(conditions, a.Conditions)
		}
		for _, c := range a.Criteria {
			if !slices.Contains(criteria, c) {
				criteria = append(criteria, c)
			}
		}
	}
	if len(types) == 0 {
		if len(advice) > 0 {
			return AdviceNotApplicable, nil, nil
		}
		return "", nil, nil
	}
	has := func(t string) bool { return slices.Contains(types, t) }
	switch {
	case has(AdviceRefuse):
		for _, t := range types {
			if t != AdviceRefuse {
				return AdviceConflicting, conditions, criteria
			}
		}
		return AdviceRefuse, nil, criteria
	case has(AdviceProviso):
		// A proviso is the stricter view: the conditions attach even where
		// another team thinks no licence is needed.
		return AdviceProviso, conditions, nil
	case has(AdviceNLR):
		return AdviceNLR, nil, nil
	}
	return AdviceApprove, nil, nil
}
