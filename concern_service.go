package exportctl

import (
	"context"
	"time"
)

// Concerns is the concerns channel. Reporters need no account: a zero
// Actor is an anonymous reporter, who comes back with the receipt code.
// Handling roles (concerns_handler, nominated_officer, oversight,
// custodian) see what their role and the concern's level allow; anyone who
// worked on the case, licence or assessment a concern is about, or who
// declared a conflict, is excluded from it (forbidden).
//
// Errors: invalid (naming the field; for responses, what is missing),
// forbidden, not_found, conflict (the state does not allow it; the channel
// has no keys), unauthorized (a wrong or rate-limited receipt code).
type Concerns interface {
	// SubmitConcern raises a concern and returns the receipt, shown once.
	// Anyone; a signed-in reporter may give their name (Named).
	SubmitConcern(ctx context.Context, a Actor, in ConcernInput) (*ConcernReceipt, error)
	// ReporterConcern is the reporter's view: status, clocks, responses,
	// what they added, and the notices they are owed.
	ReporterConcern(ctx context.Context, r ConcernReporter) (*Concern, error)
	// MyConcerns lists the concerns a signed-in reporter raised with their name.
	MyConcerns(ctx context.Context, a Actor) ([]ConcernSummary, error)
	// AddConcernInformation adds to an open concern (the reporter).
	AddConcernInformation(ctx context.Context, r ConcernReporter, text string) error
	// ContestConcernResponse contests the latest response: the concern
	// escalates and a new response is due (the reporter).
	ContestConcernResponse(ctx context.Context, r ConcernReporter, reasons string) error
	// AcceptConcernResponse accepts the latest response and closes the concern (the reporter).
	AcceptConcernResponse(ctx context.Context, r ConcernReporter) error
	// FlagRetaliation reports retaliation: a protection case opens with its own clock (the reporter).
	FlagRetaliation(ctx context.Context, r ConcernReporter, text string) error

	// ConcernList lists concerns for handling roles, with clocks: handlers
	// their own, nominated officers those escalated to them or beyond,
	// oversight and custodians all.
	ConcernList(ctx context.Context, a Actor, f ConcernFilter) (Page[ConcernSummary], error)
	// Concern is one concern with its content for those entitled.
	Concern(ctx context.Context, a Actor, id int64) (*Concern, error)
	// ConcernFile returns an evidence file, opened.
	ConcernFile(ctx context.Context, a Actor, id, fileID int64) (*ConcernFileRef, []byte, error)
	// AcknowledgeConcern acknowledges receipt (the holder of the concern).
	AcknowledgeConcern(ctx context.Context, a Actor, id int64, message string) error
	// RespondToConcern sends a substantive response or refuses it (invalid).
	RespondToConcern(ctx context.Context, a Actor, id int64, in ConcernResponseInput) (*ConcernResponse, error)
	// DeclareConcernConflict records a conflict of interest; a handler's
	// concern passes to another impartial handler.
	DeclareConcernConflict(ctx context.Context, a Actor, id int64, reasons string) error
	// RevealConcernIdentity records a custodian's decision, with reasons,
	// to reveal the reporter's identity, and returns it. The reporter is told.
	RevealConcernIdentity(ctx context.Context, a Actor, id int64, reasons string) (string, error)
	// AnswerProtection records the protective action on a retaliation report.
	AnswerProtection(ctx context.Context, a Actor, id, protectionID int64, text string) error
	// CloseConcern is the oversight body's decision to close a concern
	// that has had at least one response.
	CloseConcern(ctx context.Context, a Actor, id int64, reasons string) error
	// ConcernStatistics are the published aggregates per quarter of
	// receipt in [from, to); zero times mean the last eight quarters. Anyone.
	ConcernStatistics(ctx context.Context, from, to time.Time) ([]ConcernQuarter, error)
	// ConcernReceiptKey is the verifier key of signed receipts. Anyone.
	ConcernReceiptKey(ctx context.Context) (string, error)
}

// ConcernFilter narrows a handling list.
type ConcernFilter struct {
	Status string
	Level  string
	Limit  int
	Cursor string
}
