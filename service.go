package exportctl

import (
	"context"
	"time"
)

// Accounts manages organisations, users and their credentials.
//
// Errors: invalid (bad input, naming the field), forbidden (the role may
// not), not_found, conflict (duplicate username or organisation name),
// unauthorized (bad credentials).
type Accounts interface {
	// CreateOrganisation adds an exporter or government organisation. Admin only.
	CreateOrganisation(ctx context.Context, a Actor, name, kind string) (*Organisation, error)
	// Organisations lists organisations. Admin and internal roles.
	Organisations(ctx context.Context, a Actor) ([]Organisation, error)
	// CreateUser adds a user and returns an API token, shown once. Admin only
	// (the CLI acts as the system actor with admin rights).
	CreateUser(ctx context.Context, a Actor, in UserInput) (*User, string, error)
	// Users lists users. Admin only.
	Users(ctx context.Context, a Actor) ([]User, error)
	// SetUserDisabled disables or re-enables a user; a disabled user's
	// sessions and tokens stop working. Admin only.
	SetUserDisabled(ctx context.Context, a Actor, userID int64, disabled bool) error
	// SetPassword sets a user's password. Admin, or the user themself.
	SetPassword(ctx context.Context, a Actor, userID int64, password string) error
	// Login checks a password and opens a browser session. Anyone.
	Login(ctx context.Context, username, password string) (*Session, error)
	// Logout ends a session.
	Logout(ctx context.Context, sessionToken string) error
	// SessionActor resolves a session cookie. unauthorized if expired or unknown.
	SessionActor(ctx context.Context, sessionToken string) (Actor, *Session, error)
	// TokenActor resolves an API bearer token. unauthorized if unknown.
	TokenActor(ctx context.Context, token string) (Actor, error)
}

// Session is a browser session. Token goes into the cookie; CSRF into
// every form. Only hashes of the token are stored.
type Session struct {
	Token     string
	CSRF      string
	User      User
	ExpiresAt time.Time
}

// Licensing runs applications from draft to decision and licences through
// their life.
//
// Visibility: exporters see only their own organisation's applications and
// licences; anything else answers not_found, never forbidden, so they learn
// nothing of other organisations' cases. Internal roles see all.
// Every command is one transaction that also appends an audit event.
type Licensing interface {
	// CreateApplication drafts an application for the actor's organisation.
	// Exporters (and admins filing for an organisation). invalid names the field.
	CreateApplication(ctx context.Context, a Actor, in ApplicationInput) (*Application, error)
	// EditApplication changes the licence type, export type and end use of a
	// draft or an application returned for editing. The owning exporter.
	EditApplication(ctx context.Context, a Actor, id int64, in ApplicationInput) (*Application, error)
	// AddGood and AddParty add to a draft (or an application being edited);
	// RemoveGood and RemoveParty mark one superseded. The owning exporter.
	AddGood(ctx context.Context, a Actor, appID int64, in GoodInput) (*Good, error)
	RemoveGood(ctx context.Context, a Actor, appID, goodID int64) error
	AddParty(ctx context.Context, a Actor, appID int64, in PartyInput) (*Party, error)
	RemoveParty(ctx context.Context, a Actor, appID, partyID int64) error
	// Application returns one application with goods and parties.
	Application(ctx context.Context, a Actor, id int64) (*Application, error)
	// Applications lists applications matching the filter, newest first.
	Applications(ctx context.Context, a Actor, f ApplicationFilter) (Page[ApplicationSummary], error)
	// StatusCounts counts visible applications per status, for the queues.
	StatusCounts(ctx context.Context, a Actor) (map[string]int, error)
	// Transition applies a workflow action other than decide (submit,
	// withdraw, begin_checks, ...). conflict when the state does not allow
	// it; forbidden when the role does not.
	Transition(ctx context.Context, a Actor, appID int64, action, note string) (*Application, error)
	// Decide finalises a case: issue (creates the licence), refuse (criteria
	// and reasons required) or no licence required.
	Decide(ctx context.Context, a Actor, appID int64, in DecisionInput) (*Application, error)
	// Decisions lists the decisions on an application (several after an appeal).
	Decisions(ctx context.Context, a Actor, appID int64) ([]Decision, error)
	// History is the audit trail of an application and its licence, oldest first.
	History(ctx context.Context, a Actor, appID int64) ([]AuditEvent, error)

	// Licence returns one licence with its goods and parties.
	Licence(ctx context.Context, a Actor, id int64) (*Licence, error)
	// Licences lists licences matching the filter, newest first.
	Licences(ctx context.Context, a Actor, f LicenceFilter) (Page[Licence], error)
	// ChangeLicence applies suspend, reinstate, revoke, surrender (with reasons).
	ChangeLicence(ctx context.Context, a Actor, licenceID int64, action string, in LicenceActionInput) (*Licence, error)
	// LicenceHistory is the audit trail of a licence, oldest first.
	LicenceHistory(ctx context.Context, a Actor, licenceID int64) ([]AuditEvent, error)

	// ImportRatings adds or updates entries of the ratings dictionary. Admin.
	ImportRatings(ctx context.Context, a Actor, rs []Rating) (added, updated int, err error)
	// Ratings lists the ratings dictionary.
	Ratings(ctx context.Context) ([]Rating, error)
}

// Clock tells the time. Rules never call time.Now: the service is given a
// clock so that tests move time instead of sleeping.
type Clock func() time.Time

// Assessing is how a case is decided defensibly: advice by teams, the
// assessment against the criteria, final advice, countersigning, and the
// record of it all. Exporters see none of it (forbidden).
type Assessing interface {
	// GiveAdvice records the actor's team's advice on a good or party (advisers).
	GiveAdvice(ctx context.Context, a Actor, appID int64, in AdviceInput) (*Advice, error)
	// Advice lists all advice on a case, superseded included.
	Advice(ctx context.Context, a Actor, appID int64) ([]Advice, error)
	// CombinedAdvice combines the teams' current advice per good and party.
	CombinedAdvice(ctx context.Context, a Actor, appID int64) ([]CombinedAdvice, error)
	// ResolveConflict resolves conflicting advice (senior officials).
	ResolveConflict(ctx context.Context, a Actor, appID int64, in ResolutionInput) (*Resolution, error)
	// SaveAssessment saves a new version of the assessment (case officers).
	SaveAssessment(ctx context.Context, a Actor, appID int64, in AssessmentInput) (*Assessment, error)
	// Assessments lists every version.
	Assessments(ctx context.Context, a Actor, appID int64) ([]Assessment, error)
	// SubmitFinalAdvice sends the case to countersigning (case officers).
	SubmitFinalAdvice(ctx context.Context, a Actor, appID int64, in FinalAdviceInput) (*FinalAdvice, error)
	// Countersign approves or rejects final advice (case officers, senior officials; never the author).
	Countersign(ctx context.Context, a Actor, appID int64, in CountersignInput) (*Countersignature, error)
	// RecordDeparture records a carve-out on an issued case (decision makers).
	RecordDeparture(ctx context.Context, a Actor, appID int64, in DepartureInput) (*Departure, error)
	// Departures lists a case's departures.
	Departures(ctx context.Context, a Actor, appID int64) ([]Departure, error)
	// DecisionRecord is the whole record of a case, for a court bundle.
	DecisionRecord(ctx context.Context, a Actor, appID int64) (*DecisionRecord, error)
}

// Clocks measures service standards: each case's working-day clock and
// the share of cases decided within target per quarter.
type Clocks interface {
	// Clock is the working-day clock of a case; visibility as Application.
	Clock(ctx context.Context, a Actor, appID int64) (*ServiceClock, error)
	// Performance is the share of cases decided within target, per quarter
	// of the decision, for decisions in [from, to); zero times mean the
	// current quarter and the seven before it. Internal roles only.
	Performance(ctx context.Context, a Actor, licenceType string, from, to time.Time) ([]QuarterPerformance, error)
}
