package exportctl

import (
	"context"
	"encoding/hex"
	"net/url"
	"slices"
	"strings"
	"time"
)

// Evidence is the evidence register: incidents recorded by hand or
// imported, their verification, sources and chain of custody, legal
// classifications and publication.
//
// Who may call: analysts write (admins and the system import too). Every
// internal role reads everything (case officers, advisers, senior
// officials, decision makers, oversight, analysts, admins, the concerns
// roles). Exporters are forbidden. The public (an Actor with no role)
// reads only incidents marked publishable, without their verification
// steps, evidence sources or versions. For everyone, a redacted incident
// is returned redacted (Incident.Redact): no coordinates, place or admin
// levels below admin1, and it never matches a box or a radius.
//
// Errors: invalid (naming the field), forbidden, not_found (an incident
// the actor may not see, too), conflict.
type Evidence interface {
	EvidenceProvider

	// CreateIncident records an incident by hand, source "manual" with an
	// id MAN-<n>. Analysts.
	CreateIncident(ctx context.Context, a Actor, in Incident) (*Incident, error)
	// Incident returns one incident.
	Incident(ctx context.Context, a Actor, id int64) (*Incident, error)
	// IncidentRecord returns an incident with its verification steps,
	// evidence sources with their custody logs and its versions (internal
	// roles; the public gets the incident alone).
	IncidentRecord(ctx context.Context, a Actor, id int64) (*IncidentRecord, error)
	// Incidents lists incidents matching the filter, newest first
	// (start date, then id), keyset-paged.
	Incidents(ctx context.Context, a Actor, f IncidentFilter) (Page[Incident], error)
	// IncidentCounts counts the incidents matching the filter per value
	// of one of IncidentGroupings (country, target, launch, ...).
	IncidentCounts(ctx context.Context, a Actor, f IncidentFilter, by string) ([]IncidentCount, error)
	// IncidentVersions lists every version of an incident, oldest first,
	// each with the incident as it was (redacted). Internal roles.
	IncidentVersions(ctx context.Context, a Actor, id int64) ([]IncidentVersion, error)
	// AddVerificationStep appends a Berkeley Protocol verification step,
	// optionally setting the overall verification state. Analysts.
	AddVerificationStep(ctx context.Context, a Actor, incidentID int64, in VerificationStepInput) (*VerificationStep, error)
	// AddEvidenceSource records a captured source (with the custody event
	// "captured"). Analysts.
	AddEvidenceSource(ctx context.Context, a Actor, incidentID int64, in EvidenceSourceInput) (*EvidenceSource, error)
	// AddCustodyEvent appends to a source's chain of custody. Analysts.
	AddCustodyEvent(ctx context.Context, a Actor, incidentID, sourceID int64, in CustodyEventInput) (*CustodyEvent, error)
	// SetClassification appends a legal classification with its status,
	// by the actor; a new version records it. Analysts.
	SetClassification(ctx context.Context, a Actor, incidentID int64, in ClassificationInput) (*Incident, error)
	// SetPublishable marks an incident publishable or not; imports no
	// longer change that decision. Analysts.
	SetPublishable(ctx context.Context, a Actor, incidentID int64, publishable bool) (*Incident, error)
}

// IncidentRecord is an incident with everything recorded about it.
type IncidentRecord struct {
	Incident
	VerificationSteps []VerificationStep `json:"verification_steps"`
	EvidenceSources   []EvidenceSource   `json:"evidence_sources"`
	Versions          []IncidentVersion  `json:"versions"`
}

// IncidentVersion is one version of an incident: what an import mapped,
// or the incident after an analyst's change.
type IncidentVersion struct {
	Version    int       `json:"version"`
	Source     string    `json:"source"` // the import's source, or "analyst"
	File       string    `json:"file,omitempty"`
	RowHash    string    `json:"row_hash"`
	ImportedAt time.Time `json:"imported_at"`
	Incident   *Incident `json:"incident,omitempty"`
}

// Verification steps of the Berkeley Protocol.
const (
	StepSource    = "source"    // who published it, and can they be trusted
	StepTechnical = "technical" // metadata, geolocation, chronolocation
	StepContent   = "content"   // does the content agree with other evidence
)

// VerificationStepKinds lists the steps.
var VerificationStepKinds = []string{StepSource, StepTechnical, StepContent}

// VerificationStep is one verification step, append-only.
type VerificationStep struct {
	ID         int64     `json:"id"`
	IncidentID int64     `json:"incident_id"`
	Step       string    `json:"step"`
	Analyst    string    `json:"analyst"`
	At         time.Time `json:"at"`
	Confidence float64   `json:"confidence"`
	Note       string    `json:"note,omitempty"`
	State      string    `json:"state,omitempty"` // the overall state it set, if any
}

// VerificationStepInput records a step; State, when set, becomes the
// incident's overall verification state.
type VerificationStepInput struct {
	Step       string  `json:"step"`
	Confidence float64 `json:"confidence"`
	Note       string  `json:"note"`
	State      string  `json:"state,omitempty"`
}

// Validate checks a verification step.
func (in *VerificationStepInput) Validate() error {
	var errs Errors
	in.Step, in.Note, in.State = strings.TrimSpace(in.Step), strings.TrimSpace(in.Note), strings.TrimSpace(in.State)
	if !slices.Contains(VerificationStepKinds, in.Step) {
		errs = append(errs, Invalid("step", "must be source, technical or content"))
	}
	if in.Confidence < 0 || in.Confidence > 1 || in.Confidence != in.Confidence {
		errs = append(errs, Invalid("confidence", "must be between 0 and 1"))
	}
	if len(in.Note) > maxText {
		errs = append(errs, Invalid("note", "is longer than %d characters", maxText))
	}
	if in.State != "" && !slices.Contains(VerificationStates, in.State) {
		errs = append(errs, Invalid("state", "unknown verification state %q (one of %s)", in.State, strings.Join(VerificationStates, ", ")))
	}
	return errs.Err()
}

// EvidenceSource is a captured source of an incident: the evidentiary
// original is never altered, analysis uses copies.
type EvidenceSource struct {
	ID         int64          `json:"id"`
	IncidentID int64          `json:"incident_id"`
	Publisher  string         `json:"publisher"`
	URL        string         `json:"url,omitempty"`
	CapturedAt time.Time      `json:"captured_at"`
	SHA256     string         `json:"sha256,omitempty"` // of the captured file
	Note       string         `json:"note,omitempty"`
	CreatedAt  time.Time      `json:"created_at"`
	Custody    []CustodyEvent `json:"custody"`
}

// EvidenceSourceInput records a source. CapturedAt is RFC 3339 or
// YYYY-MM-DD; a source needs a URL or the hash of a captured file.
type EvidenceSourceInput struct {
	Publisher  string `json:"publisher"`
	URL        string `json:"url"`
	CapturedAt string `json:"captured_at"`
	SHA256     string `json:"sha256"`
	Note       string `json:"note"`
}

// Validate checks a source and returns its capture time.
func (in *EvidenceSourceInput) Validate() (time.Time, error) {
	var errs Errors
	in.Publisher, in.URL, in.SHA256, in.Note = strings.TrimSpace(in.Publisher), strings.TrimSpace(in.URL), strings.ToLower(strings.TrimSpace(in.SHA256)), strings.TrimSpace(in.Note)
	if in.Publisher == "" || len(in.Publisher) > 500 {
		errs = append(errs, Invalid("publisher", "name the publisher (at most 500 characters)"))
	}
	if in.URL != "" {
		if u, err := url.Parse(in.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || len(in.URL) > 2000 {
			errs = append(errs, Invalid("url", "must be an http or https URL"))
		}
	}
	if in.SHA256 != "" {
		if b, err := hex.DecodeString(in.SHA256); err != nil || len(b) != 32 {
			errs = append(errs, Invalid("sha256", "must be 64 hexadecimal digits"))
		}
	}
	if in.URL == "" && in.SHA256 == "" {
		errs = append(errs, Invalid("url", "give the URL or the SHA-256 of the captured file"))
	}
	var at time.Time
	s := strings.TrimSpace(in.CapturedAt)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		at = t.UTC()
	} else if t, err := time.Parse(time.DateOnly, s); err == nil {
		at = t
	} else {
		errs = append(errs, Invalid("captured_at", "must be a time (RFC 3339) or a date (YYYY-MM-DD)"))
	}
	if len(in.Note) > maxText {
		errs = append(errs, Invalid("note", "is longer than %d characters", maxText))
	}
	return at, errs.Err()
}

// Custody actions.
var CustodyActions = []string{"captured", "copied", "transferred", "accessed", "hash_checked", "sealed", "released"}

// CustodyEvent is one entry of a source's chain of custody, append-only.
type CustodyEvent struct {
	ID               int64     `json:"id"`
	EvidenceSourceID int64     `json:"evidence_source_id"`
	At               time.Time `json:"at"`
	Actor            string    `json:"actor"`
	Action           string    `json:"action"`
	Note             string    `json:"note,omitempty"`
}

// CustodyEventInput appends to a chain of custody.
type CustodyEventInput struct {
	Action string `json:"action"`
	Note   string `json:"note"`
}

// Validate checks a custody event.
func (in *CustodyEventInput) Validate() error {
	var errs Errors
	in.Action, in.Note = strings.TrimSpace(in.Action), strings.TrimSpace(in.Note)
	if !slices.Contains(CustodyActions, in.Action) {
		errs = append(errs, Invalid("action", "unknown custody action %q (one of %s)", in.Action, strings.Join(CustodyActions, ", ")))
	}
	if len(in.Note) > maxText {
		errs = append(errs, Invalid("note", "is longer than %d characters", maxText))
	}
	return errs.Err()
}

// ClassificationInput classifies an incident under a provision of Rome
// Statute article 8 with a status; the store records who.
type ClassificationInput struct {
	Code   string `json:"code"`
	Status string `json:"status"`
}

// Validate checks a classification.
func (in *ClassificationInput) Validate() error {
	c := Classification{Code: in.Code, Status: in.Status}
	errs := Errors(c.validate(""))
	in.Code, in.Status = c.Code, c.Status
	return errs.Err()
}

// PublishInput marks an incident publishable or not.
type PublishInput struct {
	Publishable bool `json:"publishable"`
}
