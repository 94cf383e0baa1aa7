package exportctl

import (
	"strings"
	"time"
)

// Licence is an issued authorisation, with its current status.
type Licence struct {
	ID            int64     `json:"id"`
	Reference     string    `json:"reference"`
	ApplicationID int64     `json:"application_id"`
	OrgID         int64     `json:"org_id"`
	OrgName       string    `json:"org_name"`
	LicenceType   string    `json:"licence_type"`
	ExportType    string    `json:"export_type"`
	Status        string    `json:"status"`
	Destination   string    `json:"destination"`
	ValidFrom     string    `json:"valid_from"`
	ValidUntil    string    `json:"valid_until"`
	IssuedAt      time.Time `json:"issued_at"`
	Goods         []Good    `json:"goods,omitempty"`
	Parties       []Party   `json:"parties,omitempty"`
	Historical    bool      `json:"historical"`           // imported history, e.g. CAAT 2008-2015
	Conditions    string    `json:"conditions,omitempty"` // provisos the licence carries
}

// LicenceFilter selects licences for a list.
type LicenceFilter struct {
	Status      string
	Destination string
	OrgID       int64
	Limit       int
	Cursor      string
}

// LicenceActionInput carries the reasons for a licence status change.
type LicenceActionInput struct {
	Reasons string `json:"reasons"`
}

// Validate requires reasons: every change to a licence says why.
func (in *LicenceActionInput) Validate() error {
	in.Reasons = strings.TrimSpace(in.Reasons)
	if in.Reasons == "" {
		return Invalid("reasons", "give the reasons for this change")
	}
	if len(in.Reasons) > 20000 {
		return Invalid("reasons", "is longer than 20000 characters")
	}
	return nil
}

// AuditEvent is one entry of the append-only audit trail.
type AuditEvent struct {
	ID          int64     `json:"id"`
	At          time.Time `json:"at"`
	ActorID     int64     `json:"actor_id,omitempty"`
	Actor       string    `json:"actor"`
	ActorRole   string    `json:"actor_role"`
	Action      string    `json:"action"`
	SubjectType string    `json:"subject_type"`
	SubjectID   int64     `json:"subject_id"`
	Summary     string    `json:"summary"`
}
