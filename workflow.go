package exportctl

import (
	"fmt"
	"slices"
)

// Machine names a state machine in the transition table.
type Machine string

const (
	CaseMachine    Machine = "case"
	LicenceMachine Machine = "licence"
	ReviewMachine  Machine = "review"
)

// Case states (as LITE runs them, simplified).
const (
	StatusDraft            = "draft"              // the exporter is writing it
	StatusSubmitted        = "submitted"          // waiting for a case officer
	StatusInitialChecks    = "initial_checks"     // a case officer checks completeness
	StatusUnderReview      = "under_review"       // advisers give advice
	StatusUnderFinalReview = "under_final_review" // assessment and final advice
	StatusCountersigning   = "countersigning"     // final advice awaits countersignature
	StatusAwaitingDecision = "awaiting_decision"  // countersigned: the decision maker decides
	StatusApplicantEditing = "applicant_editing"  // returned to the exporter with a query; the clock pauses
	StatusFinalised        = "finalised"          // decided: see the outcome
	StatusWithdrawn        = "withdrawn"          // withdrawn by the exporter
	StatusUnderAppeal      = "under_appeal"       // a refusal appealed within 28 days
)

// CaseStatuses lists case states in workflow order, as the queues show them.
var CaseStatuses = []string{
	StatusDraft, StatusSubmitted, StatusInitialChecks, StatusUnderReview,
	StatusUnderFinalReview, StatusCountersigning, StatusAwaitingDecision,
	StatusApplicantEditing, StatusUnderAppeal, StatusFinalised, StatusWithdrawn,
}

// Licence states.
const (
	LicenceIssued      = "issued"
	LicenceSuspended   = "suspended"
	LicenceRevoked     = "revoked"
	LicenceSurrendered = "surrendered"
	LicenceExhausted   = "exhausted"
	LicenceExpired     = "expired"
)

// LicenceStatuses lists licence states.
var LicenceStatuses = []string{LicenceIssued, LicenceSuspended, LicenceRevoked, LicenceSurrendered, LicenceExhausted, LicenceExpired}

// Actions on cases and licences.
const (
	ActSubmit      = "submit"
	ActBeginChecks = "begin_checks"
	ActStartReview = "start_review"
	ActFinalReview = "final_review"
	ActReturn      = "return_to_applicant"
	ActWithdraw    = "withdraw"
	ActDecide      = "decide"
	ActAppeal      = "appeal"
	// Countersigning moves the case by itself: final advice sends it to
	// countersigning, the last approval to the decision maker, a rejection
	// back to final review.
	ActSubmitFinalAdvice = "submit_final_advice"
	ActCountersigned     = "countersigned"
	ActCountersignReject = "countersign_rejected"

	ActSuspend   = "suspend"
	ActReinstate = "reinstate"
	ActRevoke    = "revoke"
	ActSurrender = "surrender"
	ActExhaust   = "exhaust"
	ActExpire    = "expire"
)

// Transition is one row of the table: in state From, Action leads to To,
// and only the listed roles may take it.
type Transition struct {
	Machine Machine
	From    string
	Action  string
	To      string
	Roles   []Role
}

var (
	officers   = []Role{RoleCaseOfficer}
	signers    = []Role{RoleCaseOfficer, RoleSeniorOfficial}
	deciders   = []Role{RoleDecisionMaker}
	licensing  = []Role{RoleCaseOfficer, RoleSeniorOfficial, RoleDecisionMaker}
	revokers   = []Role{RoleSeniorOfficial, RoleDecisionMaker, RoleCaseOfficer}
	applicants = []Role{RoleExporter}
	system     = []Role{"system"}
	reviewers  = []Role{RoleCaseOfficer, RoleSeniorOfficial}
	publishers = []Role{RoleSeniorOfficial, RoleDecisionMaker}
)

// Transitions is the whole workflow: the one place that says what may
// happen to a case or a licence, in which state, and by whom.
var Transitions = []Transition{
	{CaseMachine, StatusDraft, ActSubmit, StatusSubmitted, applicants},
	{CaseMachine, StatusApplicantEditing, ActSubmit, StatusSubmitted, applicants},
	{CaseMachine, StatusSubmitted, ActBeginChecks, StatusInitialChecks, officers},
	{CaseMachine, StatusInitialChecks, ActStartReview, StatusUnderReview, officers},
	{CaseMachine, StatusUnderReview, ActFinalReview, StatusUnderFinalReview, officers},
	{CaseMachine, StatusSubmitted, ActReturn, StatusApplicantEditing, officers},
	{CaseMachine, StatusInitialChecks, ActReturn, StatusApplicantEditing, officers},
	{CaseMachine, StatusUnderReview, ActReturn, StatusApplicantEditing, officers},
	{CaseMachine, StatusUnderFinalReview, ActReturn, StatusApplicantEditing, officers},
	{CaseMachine, StatusUnderFinalReview, ActSubmitFinalAdvice, StatusCountersigning, officers},
	{CaseMachine, StatusCountersigning, ActCountersigned, StatusAwaitingDecision, signers},
	{CaseMachine, StatusCountersigning, ActCountersignReject, StatusUnderFinalReview, signers},
	{CaseMachine, StatusDraft, ActWithdraw, StatusWithdrawn, applicants},
	{CaseMachine, StatusSubmitted, ActWithdraw, StatusWithdrawn, applicants},
	{CaseMachine, StatusInitialChecks, ActWithdraw, StatusWithdrawn, applicants},
	{CaseMachine, StatusUnderReview, ActWithdraw, StatusWithdrawn, applicants},
	{CaseMachine, StatusUnderFinalReview, ActWithdraw, StatusWithdrawn, applicants},
	{CaseMachine, StatusCountersigning, ActWithdraw, StatusWithdrawn, applicants},
	{CaseMachine, StatusAwaitingDecision, ActWithdraw, StatusWithdrawn, applicants},
	{CaseMachine, StatusApplicantEditing, ActWithdraw, StatusWithdrawn, applicants},
	{CaseMachine, StatusAwaitingDecision, ActDecide, StatusFinalised, deciders},
	{CaseMachine, StatusUnderAppeal, ActDecide, StatusFinalised, deciders},
	{CaseMachine, StatusFinalised, ActAppeal, StatusUnderAppeal, applicants},

	{LicenceMachine, LicenceIssued, ActSuspend, LicenceSuspended, licensing},
	{LicenceMachine, LicenceSuspended, ActReinstate, LicenceIssued, licensing},
	{LicenceMachine, LicenceIssued, ActRevoke, LicenceRevoked, revokers},
	{LicenceMachine, LicenceSuspended, ActRevoke, LicenceRevoked, revokers},
	{LicenceMachine, LicenceIssued, ActSurrender, LicenceSurrendered, applicants},
	{LicenceMachine, LicenceSuspended, ActSurrender, LicenceSurrendered, applicants},
	{LicenceMachine, LicenceIssued, ActExhaust, LicenceExhausted, applicants},
	{LicenceMachine, LicenceIssued, ActExpire, LicenceExpired, system},
	{LicenceMachine, LicenceSuspended, ActExpire, LicenceExpired, system},
	// Amending adds conditions; only a review's approval does it.
	{LicenceMachine, LicenceIssued, ActAmend, LicenceIssued, deciders},
	{LicenceMachine, LicenceSuspended, ActAmend, LicenceSuspended, deciders},

	{ReviewMachine, ReviewOpen, ActRecord, ReviewInProgress, reviewers},
	{ReviewMachine, ReviewInProgress, ActRecord, ReviewInProgress, reviewers},
	{ReviewMachine, ReviewInProgress, ActPropose, ReviewProposed, reviewers},
	{ReviewMachine, ReviewProposed, ActReturnReview, ReviewInProgress, deciders},
	{ReviewMachine, ReviewProposed, ActApproveReview, ReviewApproved, deciders},
	{ReviewMachine, ReviewApproved, ActPublishReview, ReviewPublished, publishers},
}

// Next applies the table: the state that action leads to from state, or a
// conflict naming the current state and the action, or forbidden when the
// action exists there but not for this role.
func Next(m Machine, from, action string, role Role) (string, error) {
	known := false
	for _, t := range Transitions {
		if t.Machine != m || t.Action != action {
			continue
		}
		known = true
		if t.From != from {
			continue
		}
		if !slices.Contains(t.Roles, role) {
			return "", &Error{Code: EForbidden, Op: string(m) + "." + action,
				Message: fmt.Sprintf("your role (%s) may not %s a %s that is %s", roleName(role), Humanise(action), m, Humanise(from))}
		}
		return t.To, nil
	}
	if !known {
		return "", Invalid("action", "unknown %s action %q", m, action)
	}
	return "", &Error{Code: EConflict, Op: string(m) + "." + action,
		Message: fmt.Sprintf("cannot %s: the %s is %s", Humanise(action), m, Humanise(from))}
}

func roleName(r Role) string {
	if t, ok := RoleTitles[r]; ok {
		return t
	}
	return string(r)
}

// Actions lists what a role may do to something in state from, in table order.
func Actions(m Machine, from string, role Role) []string {
	var out []string
	for _, t := range Transitions {
		if t.Machine == m && t.From == from && slices.Contains(t.Roles, role) && !slices.Contains(out, t.Action) {
			out = append(out, t.Action)
		}
	}
	return out
}

// Humanise turns a snake_case code into words ("under_review" -> "under review").
func Humanise(code string) string {
	b := []byte(code)
	for i, c := range b {
		if c == '_' {
			b[i] = ' '
		}
	}
	return string(b)
}

// Extant reports whether a licence in this state still authorises (or may
// again authorise) exports: reviews re-assess extant licences.
func Extant(licenceStatus string) bool {
	return licenceStatus == LicenceIssued || licenceStatus == LicenceSuspended
}
