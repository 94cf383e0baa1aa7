package exportctl

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Review kinds: a destination review re-assesses every extant licence for
// a country; an end-user review those for one end user there.
const (
	ReviewDestination = "destination"
	ReviewEndUser     = "end_user"
)

// Review states: open -> in progress (the first determination or
// finding) -> outcome proposed -> approved (the outcome applied to
// the licences) -> published (the statement out, the review closed). A
// decision maker may send a proposal back to in progress.
const (
	ReviewOpen       = "open"
	ReviewInProgress = "in_progress"
	ReviewProposed   = "proposed"
	ReviewApproved   = "approved"
	ReviewPublished  = "published"
)

// ReviewStatuses lists review states in order.
var ReviewStatuses = []string{ReviewOpen, ReviewInProgress, ReviewProposed, ReviewApproved, ReviewPublished}

// Review actions of the transition table (workflow.go).
const (
	ActRecord        = "record"         // a determination or findings
	ActPropose       = "propose"        // the proposed outcome goes to the decision maker
	ActReturnReview  = "return"         // the decision maker sends it back
	ActApproveReview = "approve"        // the outcome is applied to the licences
	ActPublishReview = "publish"        // the statement is published; the review closes
	ActAmend         = "amend"          // a licence's conditions change (through a review)
	ActReviewOpen    = "open"           // audit only
	ActTaskClose     = "close_task"     // a reassessment task answered
	ActTaskOpen      = "open_task"      // a reassessment task opened by a trigger
	ActMilestoneDone = "milestone_done" // audit only
)

// Determinations: could the licensed items be used in the conflict?
const (
	DeterminationYes     = "yes"
	DeterminationNo      = "no"
	DeterminationUnclear = "unclear"
)

// Determinations lists the determinations.
var Determinations = []string{DeterminationYes, DeterminationNo, DeterminationUnclear}

// Review outcomes for one licence.
const (
	OutcomeMaintain = "maintain"
	OutcomeSuspend  = "suspend"
	OutcomeAmend    = "amend" // new conditions, e.g. "no direct shipments for use in the destination"
	OutcomeRevoke   = "revoke"
)

// ReviewOutcomes lists the outcomes, mildest first.
var ReviewOutcomes = []string{OutcomeMaintain, OutcomeAmend, OutcomeSuspend, OutcomeRevoke}

// Link strengths of the exposure analysis, strongest first.
const (
	StrengthDirect     = "direct"
	StrengthPlatform   = "platform"
	StrengthContextual = "contextual"
)

// ExposureSummary is what the exposure analysis found for one licence:
// the number of linked incidents by strength and the strongest link.
type ExposureSummary struct {
	Direct     int    `json:"direct"`
	Platform   int    `json:"platform"`
	Contextual int    `json:"contextual"`
	Strongest  string `json:"strongest,omitempty"` // direct, platform, contextual, or "" for none
}

// Add counts one link of a strength.
func (e *ExposureSummary) Add(strength string) {
	switch strength {
	case StrengthDirect:
		e.Direct++
	case StrengthPlatform:
		e.Platform++
	case StrengthContextual:
		e.Contextual++
	default:
		return
	}
	rank := map[string]int{"": 0, StrengthContextual: 1, StrengthPlatform: 2, StrengthDirect: 3}
	if rank[strength] > rank[e.Strongest] {
		e.Strongest = strength
	}
}

// Links is the number of links of every strength.
func (e ExposureSummary) Links() int { return e.Direct + e.Platform + e.Contextual }

// Review is a destination or end-user review.
type Review struct {
	ID               int64             `json:"id"`
	Reference        string            `json:"reference"`
	Kind             string            `json:"kind"`
	Destination      string            `json:"destination"`
	EndUser          string            `json:"end_user,omitempty"`
	TermsOfReference string            `json:"terms_of_reference"`
	LeadID           int64             `json:"lead_id"`
	Lead             string            `json:"lead"`
	EvidenceCutoff   string            `json:"evidence_cutoff"` // YYYY-MM-DD
	Deadline         string            `json:"deadline"`        // YYYY-MM-DD
	Status           string            `json:"status"`
	OpenedBy         string            `json:"opened_by"`
	OpenedAt         time.Time         `json:"opened_at"`
	ProposedAt       *time.Time        `json:"proposed_at,omitempty"`
	ApprovedAt       *time.Time        `json:"approved_at,omitempty"`
	ApprovedBy       string            `json:"approved_by,omitempty"`
	ApprovalReasons  string            `json:"approval_reasons,omitempty"`
	PublishedAt      *time.Time        `json:"published_at,omitempty"`
	Statement        string            `json:"statement,omitempty"`
	TaskID           int64             `json:"task_id,omitempty"` // the reassessment task it answers
	Findings         ReviewFindings    `json:"findings"`
	Milestones       []ReviewMilestone `json:"milestones"`
	Timeline         ReviewTimeline    `json:"timeline"` // as of the time it was read
	Licences         []ReviewLicence   `json:"licences,omitempty"`
}

// ReviewSummary is a row of the list of reviews.
type ReviewSummary struct {
	ID          int64     `json:"id"`
	Reference   string    `json:"reference"`
	Kind        string    `json:"kind"`
	Destination string    `json:"destination"`
	EndUser     string    `json:"end_user,omitempty"`
	Lead        string    `json:"lead"`
	Status      string    `json:"status"`
	Deadline    string    `json:"deadline"`
	OpenedAt    time.Time `json:"opened_at"`
	Licences    int       `json:"licences"`
	Determined  int       `json:"determined"`
}

// ReviewFindings are the review's findings in the three IHL areas.
type ReviewFindings struct {
	ConductOfHostilities string `json:"conduct_of_hostilities"`
	HumanitarianAccess   string `json:"humanitarian_access"`
	Detainees            string `json:"detainees"`
}

// Validate trims the findings; every area must be addressed.
func (f *ReviewFindings) Validate() error {
	var errs Errors
	for _, p := range []struct {
		field string
		v     *string
	}{{"conduct_of_hostilities", &f.ConductOfHostilities}, {"humanitarian_access", &f.HumanitarianAccess}, {"detainees", &f.Detainees}} {
		*p.v = strings.TrimSpace(*p.v)
		if *p.v == "" {
			errs = append(errs, Invalid(p.field, "state the review's finding on %s", Humanise(p.field)))
		} else if len(*p.v) > 20000 {
			errs = append(errs, Invalid(p.field, "is longer than 20000 characters"))
		}
	}
	return errs.Err()
}

// Complete reports whether every area has a finding.
func (f ReviewFindings) Complete() bool {
	return f.ConductOfHostilities != "" && f.HumanitarianAccess != "" && f.Detainees != ""
}

// ReviewMilestone is a step of the review's timeline.
type ReviewMilestone struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
	Due  string `json:"due"`            // YYYY-MM-DD
	Done string `json:"done,omitempty"` // YYYY-MM-DD, once reached
}

// MilestoneInput adds a milestone.
type MilestoneInput struct {
	Name string `json:"name"`
	Due  string `json:"due"`
}

// Validate checks a milestone at prefix (e.g. "milestones[1].").
func (in *MilestoneInput) Validate(prefix string) error {
	var errs Errors
	in.Name = strings.TrimSpace(in.Name)
	if in.Name == "" {
		errs = append(errs, Invalid(prefix+"name", "name the milestone"))
	} else if len(in.Name) > 200 {
		errs = append(errs, Invalid(prefix+"name", "is longer than 200 characters"))
	}
	if err := checkDate(prefix+"due", in.Due, true); err != nil {
		errs = append(errs, err)
	}
	return errs.Err()
}

// ReviewLicence is one licence in a review's scope: what the exposure
// analysis found when the review opened, the determination and the
// proposed outcome.
type ReviewLicence struct {
	LicenceID            int64           `json:"licence_id"`
	Reference            string          `json:"reference"`
	OrgName              string          `json:"org_name"`
	LicenceType          string          `json:"licence_type"`
	Status               string          `json:"status"` // the licence's current status
	Ratings              []string        `json:"ratings"`
	GoodsSummary         string          `json:"goods_summary"`
	Exposure             ExposureSummary `json:"exposure"`
	Determination        string          `json:"determination,omitempty"`
	DeterminationReasons string          `json:"determination_reasons,omitempty"`
	Outcome              string          `json:"outcome,omitempty"`
	Conditions           string          `json:"conditions,omitempty"`
	OutcomeReasons       string          `json:"outcome_reasons,omitempty"`
	DeterminedBy         string          `json:"determined_by,omitempty"`
	DeterminedAt         *time.Time      `json:"determined_at,omitempty"`
	Applied              string          `json:"applied,omitempty"` // what approval did: suspended, revoked, amended, maintained, carve_out
}

// CarveOut reports whether keeping the licence departs from the
// determination: the items could be used in the conflict, yet the licence
// is maintained unchanged.
func (l ReviewLicence) CarveOut() bool {
	return l.Determination == DeterminationYes && l.Outcome == OutcomeMaintain
}

// DeterminationInput records a determination and proposed outcome for
// one licence in scope.
type DeterminationInput struct {
	LicenceID            int64  `json:"licence_id"`
	Determination        string `json:"determination"`
	DeterminationReasons string `json:"determination_reasons"`
	Outcome              string `json:"outcome"`
	Conditions           string `json:"conditions"`
	OutcomeReasons       string `json:"outcome_reasons"`
}

// Validate checks a determination: reasons for the determination always,
// conditions only (and always) for an amendment, reasons for any outcome
// other than maintaining a licence found not usable in the conflict.
func (in *DeterminationInput) Validate() error {
	var errs Errors
	in.DeterminationReasons = strings.TrimSpace(in.DeterminationReasons)
	in.Conditions = strings.TrimSpace(in.Conditions)
	in.OutcomeReasons = strings.TrimSpace(in.OutcomeReasons)
	if in.LicenceID <= 0 {
		errs = append(errs, Invalid("licence_id", "name a licence in the review's scope"))
	}
	if !slices.Contains(Determinations, in.Determination) {
		errs = append(errs, Invalid("determination", "must be yes, no or unclear (could the items be used in the conflict?)"))
	}
	if in.DeterminationReasons == "" {
		errs = append(errs, Invalid("determination_reasons", "give the reasons for the determination"))
	}
	if !slices.Contains(ReviewOutcomes, in.Outcome) {
		errs = append(errs, Invalid("outcome", "must be maintain, suspend, amend or revoke"))
	}
	switch {
	case in.Outcome == OutcomeAmend && in.Conditions == "":
		errs = append(errs, Invalid("conditions", "an amendment states the conditions it adds, e.g. no direct shipments for use in the destination"))
	case in.Outcome != OutcomeAmend && in.Conditions != "":
		errs = append(errs, Invalid("conditions", "conditions are given only for an amendment"))
	}
	if in.OutcomeReasons == "" && !(in.Outcome == OutcomeMaintain && in.Determination == DeterminationNo) {
		errs = append(errs, Invalid("outcome_reasons", "give the reasons for the proposed outcome"))
	}
	for _, f := range []struct{ name, v string }{{"determination_reasons", in.DeterminationReasons}, {"conditions", in.Conditions}, {"outcome_reasons", in.OutcomeReasons}} {
		if len(f.v) > 20000 {
			errs = append(errs, Invalid(f.name, "is longer than 20000 characters"))
		}
	}
	return errs.Err()
}

// ReviewInput opens a review.
type ReviewInput struct {
	Kind             string           `json:"kind"`
	Destination      string           `json:"destination"`
	EndUser          string           `json:"end_user"`
	TermsOfReference string           `json:"terms_of_reference"`
	LeadID           int64            `json:"lead_id"`
	EvidenceCutoff   string           `json:"evidence_cutoff"`
	Deadline         string           `json:"deadline"`
	Milestones       []MilestoneInput `json:"milestones"`
}

// Validate checks a new review as of today (YYYY-MM-DD): a kind, a
// destination, an end user for an end-user review, terms of reference, a
// lead, an evidence cut-off not in the future and a deadline after today.
func (in *ReviewInput) Validate(today string) error {
	var errs Errors
	if in.Kind == "" {
		in.Kind = ReviewDestination
	}
	if in.Kind != ReviewDestination && in.Kind != ReviewEndUser {
		errs = append(errs, Invalid("kind", "must be destination or end_user"))
	}
	if c, err := ParseCountry("destination", in.Destination); err != nil {
		errs = append(errs, err.(*Error))
	} else {
		in.Destination = c
	}
	in.EndUser = strings.TrimSpace(in.EndUser)
	if in.Kind == ReviewEndUser && in.EndUser == "" {
		errs = append(errs, Invalid("end_user", "an end-user review names the end user"))
	}
	if in.Kind == ReviewDestination && in.EndUser != "" {
		errs = append(errs, Invalid("end_user", "a destination review covers every end user; choose an end-user review to name one"))
	}
	in.TermsOfReference = strings.TrimSpace(in.TermsOfReference)
	if in.TermsOfReference == "" {
		errs = append(errs, Invalid("terms_of_reference", "state the terms of reference: what the review examines and why"))
	} else if len(in.TermsOfReference) > 20000 {
		errs = append(errs, Invalid("terms_of_reference", "is longer than 20000 characters"))
	}
	if in.LeadID <= 0 {
		errs = append(errs, Invalid("lead_id", "name the official who leads the review"))
	}
	if err := checkDate("evidence_cutoff", in.EvidenceCutoff, true); err != nil {
		errs = append(errs, err)
	} else if in.EvidenceCutoff > today {
		errs = append(errs, Invalid("evidence_cutoff", "cannot be in the future"))
	}
	if err := checkDate("deadline", in.Deadline, true); err != nil {
		errs = append(errs, err)
	} else if in.Deadline <= today {
		errs = append(errs, Invalid("deadline", "must be after today (%s)", today))
	}
	for i := range in.Milestones {
		if err := in.Milestones[i].Validate(fmt.Sprintf("milestones[%d].", i)); err != nil {
			errs = append(errs, err.(*ValidationError).Errors...)
		}
	}
	return errs.Err()
}

func checkDate(field, v string, required bool) *Error {
	if v == "" {
		if required {
			return Invalid(field, "give a date as YYYY-MM-DD")
		}
		return nil
	}
	if _, err := time.Parse(time.DateOnly, v); err != nil {
		return Invalid(field, "%q is not a date (YYYY-MM-DD)", v)
	}
	return nil
}

// ReadyToPropose checks that a review may go to the decision maker: it
// has licences in scope, each with a determination and proposed outcome,
// and findings in all three IHL areas. The error names each missing piece.
func (r *Review) ReadyToPropose() error {
	var errs Errors
	if !r.Findings.Complete() {
		errs = append(errs, Invalid("findings", "record the findings in all three IHL areas (conduct of hostilities, humanitarian relief and access, detainees)"))
	}
	for i, l := range r.Licences {
		if l.Determination == "" || l.Outcome == "" {
			errs = append(errs, Invalid(fmt.Sprintf("licences[%d]", i), "licence %s has no determination and proposed outcome yet", l.Reference))
		}
	}
	return errs.Err()
}

// CarveOutInput gives the decision maker's scope and reasons for keeping a
// licence whose items could be used in the conflict.
type CarveOutInput struct {
	LicenceID int64  `json:"licence_id"`
	Scope     string `json:"scope"`
	Reasons   string `json:"reasons"`
}

// ApproveInput is the decision maker's approval of a proposed outcome.
type ApproveInput struct {
	Reasons   string          `json:"reasons"`
	CarveOuts []CarveOutInput `json:"carve_outs"`
}

// Validate checks an approval against the review: reasons, and one
// carve-out with scope and reasons for every licence determined usable in
// the conflict but maintained, and none for any other licence.
func (in *ApproveInput) Validate(r *Review) error {
	var errs Errors
	in.Reasons = strings.TrimSpace(in.Reasons)
	if in.Reasons == "" {
		errs = append(errs, Invalid("reasons", "give the reasons for approving the outcome"))
	}
	given := map[int64]int{}
	for i := range in.CarveOuts {
		c := &in.CarveOuts[i]
		prefix := fmt.Sprintf("carve_outs[%d].", i)
		c.Scope, c.Reasons = strings.TrimSpace(c.Scope), strings.TrimSpace(c.Reasons)
		if _, dup := given[c.LicenceID]; dup {
			errs = append(errs, Invalid(prefix+"licence_id", "licence %d has two carve-outs", c.LicenceID))
			continue
		}
		given[c.LicenceID] = i
		l := r.licence(c.LicenceID)
		switch {
		case l == nil:
			errs = append(errs, Invalid(prefix+"licence_id", "licence %d is not in the review's scope", c.LicenceID))
			continue
		case !l.CarveOut():
			errs = append(errs, Invalid(prefix+"licence_id", "licence %s is not a carve-out: only a licence determined usable in the conflict and maintained is one", l.Reference))
			continue
		}
		if c.Scope == "" {
			errs = append(errs, Invalid(prefix+"scope", "state what the carve-out covers"))
		}
		if c.Reasons == "" {
			errs = append(errs, Invalid(prefix+"reasons", "give the reasons for departing from the determination"))
		}
	}
	for _, l := range r.Licences {
		if _, ok := given[l.LicenceID]; l.CarveOut() && !ok {
			errs = append(errs, Invalid(fmt.Sprintf("carve_out_%d", l.LicenceID),
				"licence %s could be used in the conflict but is maintained: record the carve-out with its scope and reasons", l.Reference))
		}
	}
	return errs.Err()
}

func (r *Review) licence(id int64) *ReviewLicence {
	for i := range r.Licences {
		if r.Licences[i].LicenceID == id {
			return &r.Licences[i]
		}
	}
	return nil
}

// StatementInput publishes the review's statement and closes it.
type StatementInput struct {
	Statement string `json:"statement"`
}

// Validate requires a statement.
func (in *StatementInput) Validate() error {
	in.Statement = strings.TrimSpace(in.Statement)
	if in.Statement == "" {
		return Invalid("statement", "write the statement the public will read")
	}
	if len(in.Statement) > 50000 {
		return Invalid("statement", "is longer than 50000 characters")
	}
	return nil
}

// ReviewTimeline is what anyone may see of a review while it runs: when
// it opened, its milestones, how long it has been open and whether it is
// past its deadline.
type ReviewTimeline struct {
	OpenedOn       string            `json:"opened_on"`
	Deadline       string            `json:"deadline"`
	Milestones     []ReviewMilestone `json:"milestones"`
	DaysOpen       int               `json:"days_open"`
	DeadlinePassed bool              `json:"deadline_passed"`
	ClosedOn       string            `json:"closed_on,omitempty"`
}

// TimelineAt computes the public timeline as of now. Days are calendar
// days; a closed review counts to its publication, and the deadline has
// passed when the review was still open at the end of the deadline day.
func (r *Review) TimelineAt(now time.Time) ReviewTimeline {
	t := ReviewTimeline{OpenedOn: r.OpenedAt.UTC().Format(time.DateOnly), Deadline: r.Deadline, Milestones: r.Milestones}
	end := now.UTC()
	if r.PublishedAt != nil {
		end = r.PublishedAt.UTC()
		t.ClosedOn = end.Format(time.DateOnly)
	}
	opened, _ := time.Parse(time.DateOnly, t.OpenedOn)
	last, _ := time.Parse(time.DateOnly, end.Format(time.DateOnly))
	t.DaysOpen = int(last.Sub(opened).Hours() / 24)
	t.DeadlinePassed = end.Format(time.DateOnly) > r.Deadline
	if t.Milestones == nil {
		t.Milestones = []ReviewMilestone{}
	}
	return t
}

// OutcomeByCategory is the published outcome for one category of goods
// (a rating family such as ML10): how many licences carrying such goods
// were maintained, amended, suspended or revoked, and how many of the
// maintained ones are carve-outs. A licence with goods of several
// categories counts under each.
type OutcomeByCategory struct {
	Category  string `json:"category"`
	Title     string `json:"title"`
	Licences  int    `json:"licences"`
	Maintain  int    `json:"maintained"`
	Amend     int    `json:"amended"`
	Suspend   int    `json:"suspended"`
	Revoke    int    `json:"revoked"`
	CarveOuts int    `json:"carve_outs"`
}

// OutcomeByCategory tallies the licences' outcomes by rating family, in
// family order, with a final "all" row counting each licence once.
func (r *Review) OutcomeByCategory() []OutcomeByCategory {
	rows := map[string]*OutcomeByCategory{}
	total := &OutcomeByCategory{Category: "all", Title: "All licences in scope"}
	count := func(o *OutcomeByCategory, l ReviewLicence) {
		o.Licences++
		switch l.Outcome {
		case OutcomeMaintain:
			o.Maintain++
			if l.CarveOut() {
				o.CarveOuts++
			}
		case OutcomeAmend:
			o.Amend++
		case OutcomeSuspend:
			o.Suspend++
		case OutcomeRevoke:
			o.Revoke++
		}
	}
	for _, l := range r.Licences {
		count(total, l)
		for _, f := range l.Ratings {
			row, ok := rows[f]
			if !ok {
				row = &OutcomeByCategory{Category: f, Title: RatingTitle(f)}
				rows[f] = row
			}
			count(row, l)
		}
	}
	out := make([]OutcomeByCategory, 0, len(rows)+1)
	for _, row := range rows {
		out = append(out, *row)
	}
	slices.SortFunc(out, func(a, b OutcomeByCategory) int { return compareFamilies(a.Category, b.Category) })
	return append(out, *total)
}

// compareFamilies orders Military List families by number (ML2 before
// ML10), then everything else alphabetically.
func compareFamilies(a, b string) int {
	ma, mb := MLCategory(a), MLCategory(b)
	switch {
	case ma != 0 && mb != 0:
		return ma - mb
	case ma != 0:
		return -1
	case mb != 0:
		return 1
	}
	return strings.Compare(a, b)
}

// PublicReview is what the public review page shows: the timeline always,
// the outcome by category of goods and the statement once published.
type PublicReview struct {
	ID               int64               `json:"id"`
	Reference        string              `json:"reference"`
	Kind             string              `json:"kind"`
	Destination      string              `json:"destination"`
	TermsOfReference string              `json:"terms_of_reference"`
	Status           string              `json:"status"` // in_progress or published
	Timeline         ReviewTimeline      `json:"timeline"`
	Outcome          []OutcomeByCategory `json:"outcome,omitempty"`
	Statement        string              `json:"statement,omitempty"`
	PublishedAt      *time.Time          `json:"published_at,omitempty"`
}

// Public is the public view of a review as of now.
func (r *Review) Public(now time.Time) PublicReview {
	p := PublicReview{ID: r.ID, Reference: r.Reference, Kind: r.Kind, Destination: r.Destination,
		TermsOfReference: r.TermsOfReference, Status: ReviewInProgress, Timeline: r.TimelineAt(now)}
	if r.Status == ReviewPublished {
		p.Status, p.Outcome, p.Statement, p.PublishedAt = ReviewPublished, r.OutcomeByCategory(), r.Statement, r.PublishedAt
	}
	return p
}

// ReviewFilter selects reviews for a list.
type ReviewFilter struct {
	Status      string
	Destination string
	Limit       int
	Cursor      string
}

// Reassessment task states and decisions.
const (
	TaskOpen           = "open"
	TaskClosed         = "closed"
	TaskDecisionReview = "review"    // answered by a review of the destination
	TaskDecisionNone   = "no_action" // answered by a reasoned decision not to review
)

// ReassessmentRule is the threshold that opens a reassessment task by
// itself: at least Incidents verified incidents, dated within the last
// WithinDays days, linked by the exposure analysis to extant licences for
// one destination.
type ReassessmentRule struct {
	Incidents  int `json:"incidents"`
	WithinDays int `json:"within_days"`
}

// DefaultReassessment is the threshold when none is configured.
var DefaultReassessment = ReassessmentRule{Incidents: 5, WithinDays: 30}

// Validate checks the threshold (flags name the fields).
func (r ReassessmentRule) Validate() error {
	var errs Errors
	if r.Incidents < 1 {
		errs = append(errs, Invalid("incidents", "the threshold must be at least one incident"))
	}
	if r.WithinDays < 1 {
		errs = append(errs, Invalid("within_days", "the period must be at least one day"))
	}
	return errs.Err()
}

// ReassessmentTask asks officials to reassess a destination because new
// evidence crossed the threshold. It closes only with a recorded decision.
type ReassessmentTask struct {
	ID          int64      `json:"id"`
	Destination string     `json:"destination"`
	Status      string     `json:"status"`
	Trigger     string     `json:"trigger"`      // what crossed the threshold, in words
	IncidentIDs []int64    `json:"incident_ids"` // the linked incidents counted
	Licences    int        `json:"licences"`     // extant licences linked
	OpenedAt    time.Time  `json:"opened_at"`
	Decision    string     `json:"decision,omitempty"`
	Reasons     string     `json:"reasons,omitempty"`
	ReviewID    int64      `json:"review_id,omitempty"`
	ClosedBy    string     `json:"closed_by,omitempty"`
	ClosedAt    *time.Time `json:"closed_at,omitempty"`
}

// TaskDecisionInput closes a reassessment task.
type TaskDecisionInput struct {
	Decision string `json:"decision"` // review or no_action
	ReviewID int64  `json:"review_id"`
	Reasons  string `json:"reasons"`
}

// minNoActionReasons keeps "noted" from being a decision.
const minNoActionReasons = 40

// Validate checks a task decision: a review names the review that answers
// it; no action needs substantive reasons.
func (in *TaskDecisionInput) Validate() error {
	var errs Errors
	in.Reasons = strings.TrimSpace(in.Reasons)
	switch in.Decision {
	case TaskDecisionReview:
		if in.ReviewID <= 0 {
			errs = append(errs, Invalid("review_id", "name the review of the destination that answers the task"))
		}
	case TaskDecisionNone:
		if len(in.Reasons) < minNoActionReasons {
			errs = append(errs, Invalid("reasons", "a decision to take no action must say why in at least %d characters: what the new evidence shows and why it does not call for a review", minNoActionReasons))
		}
	default:
		errs = append(errs, Invalid("decision", "must be review or no_action"))
	}
	return errs.Err()
}
