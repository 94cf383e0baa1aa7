package exportctl

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// The concerns channel (DOMAIN.md section 6): whistleblowing with clocks the
// server enforces, impartial handling, escalation, and the reporter's
// identity kept confidential.

// Concern statuses.
const (
	ConcernReceived     = "received"     // awaiting acknowledgement
	ConcernAcknowledged = "acknowledged" // awaiting a substantive response
	ConcernAnswered     = "answered"     // a response was sent; the reporter may accept or contest
	ConcernContested    = "contested"    // the reporter contested the response: a new one is due
	ConcernClosed       = "closed"       // accepted by the reporter or closed by the oversight body
)

// ConcernStatuses lists the statuses in order.
var ConcernStatuses = []string{ConcernReceived, ConcernAcknowledged, ConcernAnswered, ConcernContested, ConcernClosed}

// Escalation levels: who holds a concern.
const (
	LevelHandler          = "handler"
	LevelNominatedOfficer = "nominated_officer"
	LevelOversight        = "oversight"
)

// ConcernLevels lists the levels, lowest first.
var ConcernLevels = []string{LevelHandler, LevelNominatedOfficer, LevelOversight}

// NextLevel is the level a concern escalates to; oversight is the last.
func NextLevel(level string) string {
	i := slices.Index(ConcernLevels, level)
	if i < 0 || i+1 >= len(ConcernLevels) {
		return LevelOversight
	}
	return ConcernLevels[i+1]
}

// LevelRole is the role that holds a concern at a level.
func LevelRole(level string) Role {
	switch level {
	case LevelNominatedOfficer:
		return RoleNominatedOfficer
	case LevelOversight:
		return RoleOversight
	}
	return RoleConcernsHandler
}

// Clocks (EU Directive 2019/1937 Art. 9(1)(b) and (f)), in calendar time.
// They cannot be switched off: no setting changes them.
const (
	ConcernAckDays         = 7  // acknowledge receipt within 7 days
	ConcernResponseMonths  = 3  // substantive feedback within 3 months
	ProtectionResponseDays = 14 // a retaliation report needs protective action within 14 days (exportctl's own standard)
)

// ConcernAckDue is the acknowledgement deadline of a concern received at t.
func ConcernAckDue(received time.Time) time.Time { return received.AddDate(0, 0, ConcernAckDays) }

// ConcernResponseDue is the deadline for the substantive response: three
// months from the acknowledgement, or, if none was sent in time, from the
// end of the seven days after receipt (Art. 9(1)(f)).
func ConcernResponseDue(received time.Time, acknowledged *time.Time) time.Time {
	from := ConcernAckDue(received)
	if acknowledged != nil && acknowledged.Before(from) {
		from = *acknowledged
	}
	return addMonths(from, ConcernResponseMonths)
}

// addMonths adds calendar months, ending on the last day of a shorter
// month rather than spilling into the next (30 November + 3 months is 28
// or 29 February, not 2 March).
func addMonths(t time.Time, n int) time.Time {
	y, m, d := t.Date()
	last := time.Date(y, m+time.Month(n)+1, 0, 0, 0, 0, 0, t.Location()).Day()
	return time.Date(y, m+time.Month(n), min(d, last), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), t.Location())
}

// ContestedResponseDue is the deadline for a new response after the
// reporter contested one: three months again.
func ContestedResponseDue(contested time.Time) time.Time {
	return addMonths(contested, ConcernResponseMonths)
}

// ConcernLinks are what a concern is about; all optional.
type ConcernLinks struct {
	ApplicationID int64 `json:"application_id,omitempty"`
	LicenceID     int64 `json:"licence_id,omitempty"`
	AssessmentID  int64 `json:"assessment_id,omitempty"`
	ReviewID      int64 `json:"review_id,omitempty"`
}

// ConcernFileInput is an evidence file uploaded with a concern.
type ConcernFileInput struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"` // base64 in JSON
}

// Limits of one concern.
const (
	MaxConcernPoints   = 20
	MaxConcernFiles    = 5
	MaxConcernFileSize = 4 << 20
	maxConcernText     = 20000
)

// ConcernInput raises a concern.
type ConcernInput struct {
	Summary string   `json:"summary"` // what is wrong, in a line
	Details string   `json:"details"`
	Points  []string `json:"points"` // each point the reporter wants an answer on
	ConcernLinks
	// Identity is a name and a way to reach the reporter, sealed for the
	// custodians; empty means anonymous. A signed-in reporter who sets
	// Named gives their account's name instead.
	Identity string             `json:"identity,omitempty"`
	Named    bool               `json:"named,omitempty"`
	Files    []ConcernFileInput `json:"files,omitempty"`
}

// Validate checks a concern and names every bad field.
func (in *ConcernInput) Validate() error {
	var errs Errors
	in.Summary = strings.TrimSpace(in.Summary)
	in.Details = strings.TrimSpace(in.Details)
	in.Identity = strings.TrimSpace(in.Identity)
	switch {
	case in.Summary == "":
		errs = append(errs, Invalid("summary", "say in a line what is wrong"))
	case len(in.Summary) > 200:
		errs = append(errs, Invalid("summary", "must be at most 200 characters (put the rest in details)"))
	}
	if in.Details == "" {
		errs = append(errs, Invalid("details", "describe what happened, when, and who was involved as far as you can"))
	} else if len(in.Details) > maxConcernText {
		errs = append(errs, Invalid("details", "must be at most %d characters", maxConcernText))
	}
	var points []string
	for _, p := range in.Points {
		if p = strings.TrimSpace(p); p != "" {
			points = append(points, p)
		}
	}
	in.Points = points
	switch {
	case len(points) == 0:
		errs = append(errs, Invalid("points", "list at least one point you want an answer on"))
	case len(points) > MaxConcernPoints:
		errs = append(errs, Invalid("points", "at most %d points", MaxConcernPoints))
	}
	for i, p := range points {
		if len(p) > 2000 {
			errs = append(errs, Invalid(fmt.Sprintf("points[%d]", i), "must be at most 2000 characters"))
		}
	}
	for name, id := range map[string]int64{"application_id": in.ApplicationID, "licence_id": in.LicenceID, "assessment_id": in.AssessmentID, "review_id": in.ReviewID} {
		if id < 0 {
			errs = append(errs, Invalid(name, "must be a positive id"))
		}
	}
	if len(in.Identity) > 1000 {
		errs = append(errs, Invalid("identity", "must be at most 1000 characters"))
	}
	if len(in.Files) > MaxConcernFiles {
		errs = append(errs, Invalid("files", "at most %d files", MaxConcernFiles))
	}
	for i, f := range in.Files {
		field := fmt.Sprintf("files[%d]", i)
		if strings.TrimSpace(f.Name) == "" {
			errs = append(errs, Invalid(field+".name", "name the file"))
		}
		if len(f.Data) == 0 {
			errs = append(errs, Invalid(field+".data", "the file %q is empty", f.Name))
		} else if len(f.Data) > MaxConcernFileSize {
			errs = append(errs, Invalid(field+".data", "the file %q is larger than %d MiB", f.Name, MaxConcernFileSize>>20))
		}
	}
	slices.SortFunc(errs, func(a, b *Error) int { return strings.Compare(a.Field, b.Field) })
	return errs.Err()
}

// ConcernContent is the sealed content of a concern. Its canonical JSON is
// what the signed receipt's hash covers.
type ConcernContent struct {
	Summary string           `json:"summary"`
	Details string           `json:"details"`
	Points  []string         `json:"points"`
	Files   []ConcernFileRef `json:"files"`
}

// ConcernFileRef describes an evidence file.
type ConcernFileRef struct {
	ID          int64  `json:"id,omitempty"`
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Size        int    `json:"size"`
	SHA256      string `json:"sha256"`
}

// ConcernReceipt is what a reporter gets once, at submission.
type ConcernReceipt struct {
	ID          int64     `json:"id"`
	Reference   string    `json:"reference"`
	Code        string    `json:"code"`    // the receipt code: shown once, never stored
	Receipt     string    `json:"receipt"` // signed note: reference, time, content hash
	Content     string    `json:"content"` // the content document the receipt's hash covers
	SubmittedAt time.Time `json:"submitted_at"`
	VerifierKey string    `json:"verifier_key"`
}

// ConcernResponseInput is a substantive response: a finding on each point
// raised (in order), the action taken, and the grounds.
type ConcernResponseInput struct {
	Findings []string `json:"findings"`
	Action   string   `json:"action"`
	Grounds  string   `json:"grounds"`
	// Corrects names an earlier response this one corrects; sent responses
	// are never edited.
	Corrects int64 `json:"corrects,omitempty"`
}

// boilerplate are phrases that say nothing: a response made only of these
// (and filler words) is not a response.
var boilerplate = []string{
	"thank you for raising your concerns", "thank you for raising this", "thank you for your concern",
	"thank you for your report", "thank you for contacting us", "thank you", "thanks",
	"we have noted your concerns", "we have noted your concern", "we have noted this", "your concerns have been noted",
	"your concern has been noted", "noted", "we take all concerns seriously", "we take this seriously",
	"we take your concerns seriously", "we are looking into it", "we will look into it", "we will look into this",
	"this is being looked into", "this is under review", "under review", "under consideration",
	"no further action", "no action", "not applicable", "n/a", "none", "see above", "as above", "tbc", "tbd",
	"we appreciate your feedback", "we value your feedback", "for your information",
}

var fillerWords = map[string]bool{"we": true, "have": true, "the": true, "and": true, "your": true, "this": true, "is": true, "a": true,
	"of": true, "to": true, "it": true, "our": true, "has": true, "been": true, "for": true, "you": true, "all": true, "are": true,
	"matter": true, "concern": true, "concerns": true, "issue": true, "point": true, "regards": true, "kind": true, "dear": true,
	"reporter": true, "sir": true, "madam": true, "very": true, "much": true, "please": true, "note": true, "that": true}

// substance returns the words of s that are neither boilerplate nor filler.
func substance(s string) []string {
	norm := strings.Map(func(r rune) rune {
		switch {
		case r >= 'A' && r <= 'Z':
			return r + 'a' - 'A'
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r > 127:
			return r
		case r == '/':
			return r
		}
		return ' '
	}, s)
	norm = " " + strings.Join(strings.Fields(norm), " ") + " "
	for _, b := range boilerplate {
		norm = strings.ReplaceAll(norm, " "+b+" ", " ")
	}
	var words []string
	for _, w := range strings.Fields(norm) {
		if !fillerWords[w] {
			words = append(words, w)
		}
	}
	return words
}

// minSubstance is how many meaningful words a section needs: enough for
// one plain sentence of fact.
const minSubstance = 4

// CheckSubstantive refuses a response that does not answer: a missing or
// empty finding on a point raised, no action, no grounds, or sections made
// of boilerplate. The message says what is missing, point by point.
func (in *ConcernResponseInput) CheckSubstantive(points []string) error {
	var errs Errors
	for i := range in.Findings {
		in.Findings[i] = strings.TrimSpace(in.Findings[i])
	}
	in.Action, in.Grounds = strings.TrimSpace(in.Action), strings.TrimSpace(in.Grounds)
	if len(in.Findings) > len(points) {
		errs = append(errs, Invalid("findings", "there are %d findings for %d points raised: give one finding per point, in order", len(in.Findings), len(points)))
	}
	for i, p := range points {
		field := fmt.Sprintf("findings[%d]", i)
		quoted := p
		if len(quoted) > 80 {
			quoted = quoted[:77] + "..."
		}
		switch {
		case i >= len(in.Findings) || in.Findings[i] == "":
			errs = append(errs, Invalid(field, "state what was found about point %d (%q)", i+1, quoted))
		case len(substance(in.Findings[i])) < minSubstance:
			errs = append(errs, Invalid(field, "the finding on point %d (%q) says nothing found: %q is not a finding; state what was established and how", i+1, quoted, in.Findings[i]))
		}
	}
	switch {
	case in.Action == "":
		errs = append(errs, Invalid("action", "state the action taken (or, if none, what was decided and by whom)"))
	case len(substance(in.Action)) < minSubstance:
		errs = append(errs, Invalid("action", "%q does not say what was done: name the action taken", in.Action))
	}
	switch {
	case in.Grounds == "":
		errs = append(errs, Invalid("grounds", "state the grounds: why these findings and this action"))
	case len(substance(in.Grounds)) < minSubstance:
		errs = append(errs, Invalid("grounds", "%q gives no grounds: say why", in.Grounds))
	}
	for _, f := range append(slices.Clone(in.Findings), in.Action, in.Grounds) {
		if len(f) > maxConcernText {
			errs = append(errs, Invalid("body", "each section must be at most %d characters", maxConcernText))
			break
		}
	}
	return errs.Err()
}

// ConcernResponse is a sent response. It is frozen: corrections are new
// responses that name the one they correct.
type ConcernResponse struct {
	ID       int64     `json:"id"`
	Level    string    `json:"level"`
	Author   string    `json:"author"`
	Findings []string  `json:"findings"`
	Action   string    `json:"action"`
	Grounds  string    `json:"grounds"`
	Corrects int64     `json:"corrects,omitempty"`
	SentAt   time.Time `json:"sent_at"`
}

// Kinds of concern events.
const (
	EventReceived          = "received"
	EventAssigned          = "assigned"
	EventAcknowledged      = "acknowledged"
	EventResponded         = "responded"
	EventInformationAdded  = "information_added"
	EventContested         = "contested"
	EventAccepted          = "accepted"
	EventEscalated         = "escalated"
	EventConflictDeclared  = "conflict_declared"
	EventIdentityRevealed  = "identity_revealed"
	EventRetaliation       = "retaliation_flagged"
	EventProtectionAnswer  = "protection_answered"
	EventClosed            = "closed"
	EventNoImpartialHolder = "no_impartial_handler"
)

// ConcernEvent is one entry of a concern's record. Text is the sealed
// free text (a reporter's message, reasons), opened for those entitled.
type ConcernEvent struct {
	ID    int64     `json:"id"`
	At    time.Time `json:"at"`
	Kind  string    `json:"kind"`
	Level string    `json:"level"`
	Actor string    `json:"actor"` // a role title, or "Reporter"; never the reporter's identity
	Note  string    `json:"note,omitempty"`
	Text  string    `json:"text,omitempty"`
}

// ProtectionCase follows a retaliation report with its own clock.
type ProtectionCase struct {
	ID         int64      `json:"id"`
	OpenedAt   time.Time  `json:"opened_at"`
	Due        time.Time  `json:"due"`
	AnsweredAt *time.Time `json:"answered_at"`
	Escalated  bool       `json:"escalated"`
}

// Concern is a concern as someone entitled sees it. Content and Identity
// are empty for those who may not read them.
type Concern struct {
	ID        int64  `json:"id"`
	Reference string `json:"reference"`
	Status    string `json:"status"`
	Level     string `json:"level"`
	Anonymous bool   `json:"anonymous"`
	ConcernLinks
	HandlerID      int64      `json:"handler_id,omitempty"`
	Handler        string     `json:"handler,omitempty"`
	ReceivedAt     time.Time  `json:"received_at"`
	AckDue         time.Time  `json:"ack_due"`
	AcknowledgedAt *time.Time `json:"acknowledged_at"`
	ResponseDue    time.Time  `json:"response_due"`
	AnsweredAt     *time.Time `json:"answered_at"`
	ClosedAt       *time.Time `json:"closed_at"`
	Escalations    int        `json:"escalations"`
	AckMissed      bool       `json:"ack_missed"`
	ResponseMissed bool       `json:"response_missed"`
	// IdentityRevealed says a custodian decided to reveal the identity;
	// Identity holds it for the roles entitled after that decision.
	IdentityRevealed bool              `json:"identity_revealed"`
	Identity         string            `json:"identity,omitempty"`
	Content          *ConcernContent   `json:"content,omitempty"`
	Responses        []ConcernResponse `json:"responses"`
	Events           []ConcernEvent    `json:"events"`
	Protection       []ProtectionCase  `json:"protection"`
	// ReporterNotices are what the reporter is told (e.g. an identity
	// revealed, and why); shown with their code.
	ReporterNotices []string `json:"reporter_notices,omitempty"`
}

// ConcernSummary is a row of a handling list: clocks, never content.
type ConcernSummary struct {
	ID             int64      `json:"id"`
	Reference      string     `json:"reference"`
	Status         string     `json:"status"`
	Level          string     `json:"level"`
	Anonymous      bool       `json:"anonymous"`
	Handler        string     `json:"handler,omitempty"`
	ReceivedAt     time.Time  `json:"received_at"`
	AckDue         time.Time  `json:"ack_due"`
	AcknowledgedAt *time.Time `json:"acknowledged_at"`
	ResponseDue    time.Time  `json:"response_due"`
	AnsweredAt     *time.Time `json:"answered_at"`
	Escalations    int        `json:"escalations"`
	AckMissed      bool       `json:"ack_missed"`
	ResponseMissed bool       `json:"response_missed"`
	OpenProtection int        `json:"open_protection"`
}

// ConcernReporter identifies the reporter of a concern: by receipt code
// (anyone), or as the signed-in named reporter of concern ConcernID.
type ConcernReporter struct {
	Code      string
	Actor     Actor
	ConcernID int64
}

// ConcernQuarter is one quarter of the published statistics. Counts from
// 1 to SuppressBelow-1 are withheld (nil) so no reporter can be singled
// out; the median needs SuppressBelow answered concerns.
type ConcernQuarter struct {
	Quarter            string   `json:"quarter"` // "2026-Q3"
	Received           *int     `json:"received"`
	AcknowledgedOnTime *int     `json:"acknowledged_on_time"`
	AnsweredOnTime     *int     `json:"answered_on_time"`
	Escalated          *int     `json:"escalated"`
	MedianDays         *float64 `json:"median_days_to_response"`
	Suppressed         bool     `json:"suppressed"`
}

// SuppressBelow is the smallest count the statistics publish.
const SuppressBelow = 5

// Suppress withholds small counts.
func Suppress(n int) *int {
	if n > 0 && n < SuppressBelow {
		return nil
	}
	return &n
}
