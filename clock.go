package exportctl

import "time"

// Service standards (DOMAIN.md section 2): 70% of SIELs decided within 20
// working days and 99% within 60. Working days exclude weekends and the
// public holidays of the configured calendar (England and Wales by
// default), and the clock stops while the exporter is answering a query.
const (
	Target20Days  = 20   // the first target, in working days
	Target60Days  = 60   // the second target, in working days
	Target20Share = 0.70 // share of cases to decide within Target20Days
	Target60Share = 0.99 // share of cases to decide within Target60Days
)

// States of a service clock.
const (
	ClockNotStarted = "not_started" // a draft: the clock starts at submission
	ClockRunning    = "running"     // with the licensing authority
	ClockPaused     = "paused"      // returned to the exporter with a query
	ClockDecided    = "decided"     // stopped by the (first) decision
	ClockWithdrawn  = "withdrawn"   // stopped by withdrawal before a decision
)

// Pause is a span during which a case's clock did not run: the case was
// with the exporter (applicant editing), from the return to the
// resubmission. To is nil while the exporter still has the case.
type Pause struct {
	From   *time.Time `json:"from"`
	To     *time.Time `json:"to"`
	Reason string     `json:"reason"` // the query the case was returned with
}

// ServiceClock is the working-day clock of one case, measured from the
// first submission to the first decision (a new decision after an appeal
// does not restart it).
type ServiceClock struct {
	ApplicationID int64      `json:"application_id"`
	Reference     string     `json:"reference"`
	State         string     `json:"state"` // one of the Clock* states
	SubmittedAt   *time.Time `json:"submitted_at"`
	DecidedAt     *time.Time `json:"decided_at"`
	// StoppedAt is when the clock stopped for good: the decision or the
	// withdrawal. nil while it runs or is paused.
	StoppedAt *time.Time `json:"stopped_at"`
	// Running: submitted, neither decided nor withdrawn, and not paused.
	Running bool `json:"running"`
	// Paused: the case is with the exporter now.
	Paused bool `json:"paused"`
	// WorkingDays charged so far (or in all, once stopped), pauses excluded.
	WorkingDays int     `json:"working_days"`
	Pauses      []Pause `json:"pauses"`
	// Target20Met and Target60Met: true when decided within the target,
	// false once the target is missed (even while still running), nil
	// while the case is open and still within it, or was withdrawn in time.
	Target20Met *bool `json:"target_20_met"`
	Target60Met *bool `json:"target_60_met"`
	// DaysTo20 and DaysTo60 are the working days left before each target;
	// negative once it is passed.
	DaysTo20 int `json:"days_to_20"`
	DaysTo60 int `json:"days_to_60"`
	// Calendar names the working-day calendar, e.g. "england-and-wales".
	Calendar string `json:"calendar"`
}

// QuarterPerformance is the processing-time performance of the cases first
// decided in one calendar quarter (dates in the UK, Europe/London).
type QuarterPerformance struct {
	Quarter    string  `json:"quarter"` // "2026 Q3"
	Decided    int     `json:"decided"`
	Within20   int     `json:"within_20"`
	Within60   int     `json:"within_60"`
	Share20    float64 `json:"share_20"` // Within20 / Decided, against Target20Share
	Share60    float64 `json:"share_60"` // Within60 / Decided, against Target60Share
	MedianDays float64 `json:"median_days"`
}
