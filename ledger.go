package exportctl

import (
	"encoding/json"
	"time"
)

// Kinds of published events in the transparency log.
const (
	LogDecision      = "decision"       // a case decided: issued, refused, no licence required
	LogLicenceStatus = "licence_status" // a licence suspended, reinstated, revoked, surrendered
	LogDeparture     = "departure"      // a departure from the criteria or the advice
	// LogStatisticsRelease: a frozen snapshot of a period's official
	// statistics, committed to by the hash of its content.
	LogStatisticsRelease = "statistics_release"
	LogReviewOpened      = "review_opened"    // a destination or end-user review opened, with its terms and deadline
	LogReviewOutcome     = "review_outcome"   // a review's outcome approved and applied, by category of goods
	LogReviewStatement   = "review_statement" // a review's statement published; the review closed
)

// LogLeaf is what one leaf of the transparency log holds. The public part
// is what anyone may read; restricted fields (commercial details, personal
// data) are committed to by a salted hash, so that an authorised disclosure
// later can be checked against what was logged at the time.
type LogLeaf struct {
	Version     int             `json:"v"`
	Kind        string          `json:"kind"`
	At          time.Time       `json:"at"`
	SubjectType string          `json:"subject_type"`
	SubjectID   int64           `json:"subject_id"`
	Reference   string          `json:"reference"`
	Public      json.RawMessage `json:"public"`
	// Commitment is hex SHA-256 over the salt followed by the restricted
	// fields' canonical JSON; empty when nothing is restricted.
	Commitment string `json:"restricted_commitment,omitempty"`
}

// LogEntry is a leaf with its place in the log.
type LogEntry struct {
	Index int64   `json:"index"`
	Leaf  LogLeaf `json:"leaf"`
}

// LogMismatch is something local verification found wrong: a row that no
// longer matches its leaf, a row with no leaf, or a broken tree.
type LogMismatch struct {
	Index   int64  `json:"index,omitempty"`
	Subject string `json:"subject"` // e.g. "decision 12"
	Detail  string `json:"detail"`
}
