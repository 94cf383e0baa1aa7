package exportctl

import "context"

// Reviewing runs destination and end-user reviews, from terms of
// reference to a published statement, and the reassessment tasks that new
// evidence opens.
//
// Roles: internal roles read (exporters: forbidden); case officers and
// senior officials open reviews and record determinations, findings and
// milestones, and propose the outcome; only a decision maker returns or
// approves it; a senior official or decision maker publishes the
// statement. The public (no actor) reads PublicReviews: the timeline of
// every review, and the outcome by category of goods once published.
// Errors: invalid (naming the field), forbidden, not_found, conflict (the
// review's state does not allow the step).
type Reviewing interface {
	// OpenReview opens a review; its scope fills itself with every extant
	// licence for the destination (and end user), each pre-filled from the
	// exposure analysis. An open reassessment task for the destination is
	// answered by it.
	OpenReview(ctx context.Context, a Actor, in ReviewInput) (*Review, error)
	// Review returns one review with its scope, findings and milestones.
	Review(ctx context.Context, a Actor, id int64) (*Review, error)
	// ReviewLeads lists the active users who may lead a review (case
	// officers, senior officials, decision makers). Internal roles.
	ReviewLeads(ctx context.Context, a Actor) ([]User, error)
	// Reviews lists reviews, newest first.
	Reviews(ctx context.Context, a Actor, f ReviewFilter) (Page[ReviewSummary], error)
	// RecordDetermination records (or supersedes) a licence's determination and proposed outcome.
	RecordDetermination(ctx context.Context, a Actor, reviewID int64, in DeterminationInput) (*ReviewLicence, error)
	// RecordFindings records (or supersedes) the findings in the three IHL areas.
	RecordFindings(ctx context.Context, a Actor, reviewID int64, in ReviewFindings) (*Review, error)
	// AddMilestone adds a milestone; CompleteMilestone records its date of completion (today if done is empty).
	AddMilestone(ctx context.Context, a Actor, reviewID int64, in MilestoneInput) (*ReviewMilestone, error)
	CompleteMilestone(ctx context.Context, a Actor, reviewID, milestoneID int64, done string) (*ReviewMilestone, error)
	// ProposeOutcome sends the outcome to the decision maker once every
	// licence has a determination and outcome and the findings are complete.
	ProposeOutcome(ctx context.Context, a Actor, reviewID int64) (*Review, error)
	// ReturnReview sends a proposed outcome back, with reasons.
	ReturnReview(ctx context.Context, a Actor, reviewID int64, reasons string) (*Review, error)
	// ApproveOutcome applies every outcome in one transaction: suspensions,
	// amendments, revocations with the review as their reason, carve-outs
	// as departures, each published in the transparency log.
	ApproveOutcome(ctx context.Context, a Actor, reviewID int64, in ApproveInput) (*Review, error)
	// PublishReview publishes the statement and closes the review.
	PublishReview(ctx context.Context, a Actor, reviewID int64, in StatementInput) (*Review, error)
	// PublicReviews and PublicReview are the public view; no sign-in.
	PublicReviews(ctx context.Context) ([]PublicReview, error)
	PublicReview(ctx context.Context, id int64) (*PublicReview, error)
	// ReassessmentTasks lists tasks (status "open", "closed" or "" for all), newest first.
	ReassessmentTasks(ctx context.Context, a Actor, status string) ([]ReassessmentTask, error)
	// CloseReassessmentTask records the decision that answers a task.
	CloseReassessmentTask(ctx context.Context, a Actor, taskID int64, in TaskDecisionInput) (*ReassessmentTask, error)
}
