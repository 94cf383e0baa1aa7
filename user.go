package exportctl

import (
	"slices"
	"strings"
	"time"
)

// Role is what a user may do. One user has one role; people with two jobs
// get two accounts, so every record says in which capacity someone acted.
type Role string

const (
	RoleAdmin            Role = "admin"             // manages organisations and users
	RoleExporter         Role = "exporter"          // applies for licences for their organisation
	RoleCaseOfficer      Role = "case_officer"      // runs cases through the workflow
	RoleAdviser          Role = "adviser"           // gives advice for a team (FCDO, MOD, ...)
	RoleSeniorOfficial   Role = "senior_official"   // resolves conflicting advice, second countersignature
	RoleDecisionMaker    Role = "decision_maker"    // decides cases and review outcomes
	RoleAnalyst          Role = "analyst"           // keeps the evidence register and the weapon graph
	RoleConcernsHandler  Role = "concerns_handler"  // handles concerns raised through the channel
	RoleNominatedOfficer Role = "nominated_officer" // first escalation step for concerns
	RoleCustodian        Role = "custodian"         // may approve revealing a reporter's identity
	RoleOversight        Role = "oversight"         // independent oversight body: reads everything, last escalation step
)

// Roles lists every role, in the order forms show them.
var Roles = []Role{
	RoleAdmin, RoleExporter, RoleCaseOfficer, RoleAdviser, RoleSeniorOfficial,
	RoleDecisionMaker, RoleAnalyst, RoleConcernsHandler, RoleNominatedOfficer,
	RoleCustodian, RoleOversight,
}

// RoleTitles are the names people see.
var RoleTitles = map[Role]string{
	RoleAdmin:            "Administrator",
	RoleExporter:         "Exporter",
	RoleCaseOfficer:      "Case officer",
	RoleAdviser:          "Adviser",
	RoleSeniorOfficial:   "Senior official",
	RoleDecisionMaker:    "Decision maker",
	RoleAnalyst:          "Evidence analyst",
	RoleConcernsHandler:  "Concerns handler",
	RoleNominatedOfficer: "Nominated officer",
	RoleCustodian:        "Identity custodian",
	RoleOversight:        "Oversight body",
}

// ParseRole checks a role name.
func ParseRole(field, s string) (Role, error) {
	r := Role(strings.TrimSpace(s))
	if !slices.Contains(Roles, r) {
		return "", Invalid(field, "unknown role %q", s)
	}
	return r, nil
}

// Internal reports whether the role belongs to government staff, who see
// cases of every organisation. Exporters see only their own.
func (r Role) Internal() bool {
	return r != RoleExporter && r != ""
}

// Teams advisers may belong to.
var Teams = []string{"FCDO", "MOD", "DSIT", "NCSC", "HMRC"}

// Organisation is an exporter company or a government body.
type Organisation struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Kind      string    `json:"kind"` // "exporter" or "government"
	CreatedAt time.Time `json:"created_at"`
}

// User is an account. Credentials live in the store, never here.
type User struct {
	ID        int64     `json:"id"`
	Username  string    `json:"username"`
	Name      string    `json:"name"`
	Role      Role      `json:"role"`
	Team      string    `json:"team,omitempty"`
	OrgID     int64     `json:"org_id,omitempty"`
	OrgName   string    `json:"org_name,omitempty"`
	Disabled  bool      `json:"disabled"`
	CreatedAt time.Time `json:"created_at"`
}

// Actor is who performs a command: a user acting in their role, or the
// system itself for time-driven work.
type Actor struct {
	UserID   int64
	Username string
	Name     string
	Role     Role
	Team     string
	OrgID    int64
}

// System is the actor of time-driven work (expiry, escalation, triggers).
var System = Actor{Username: "system", Name: "exportctl", Role: "system"}

// Is reports whether the actor has one of the roles.
func (a Actor) Is(roles ...Role) bool { return slices.Contains(roles, a.Role) }

// Label is how the audit trail names the actor.
func (a Actor) Label() string {
	if a.Name != "" && a.Name != a.Username {
		return a.Name + " (" + a.Username + ")"
	}
	return a.Username
}

// ActorOf returns the actor for a user.
func ActorOf(u User) Actor {
	return Actor{UserID: u.ID, Username: u.Username, Name: u.Name, Role: u.Role, Team: u.Team, OrgID: u.OrgID}
}

// Require returns a forbidden error unless the actor has one of the roles.
func (a Actor) Require(op string, roles ...Role) error {
	if a.Is(roles...) {
		return nil
	}
	return &Error{Code: EForbidden, Op: op, Message: "your role (" + roleName(a.Role) + ") may not do this"}
}

// UserInput creates a user.
type UserInput struct {
	Username string `json:"username"`
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Team     string `json:"team"`
	OrgID    int64  `json:"org_id"`
	Password string `json:"password"`
}

// Validate checks a new user. Exporters must belong to an exporter
// organisation; advisers must name their team.
func (in *UserInput) Validate() error {
	var errs Errors
	in.Username = strings.TrimSpace(in.Username)
	if !validUsername(in.Username) {
		errs = append(errs, Invalid("username", "must be 2-64 characters of letters, digits, '.', '-', '_' or '@'"))
	}
	if strings.TrimSpace(in.Name) == "" {
		in.Name = in.Username
	}
	if _, err := ParseRole("role", string(in.Role)); err != nil {
		errs = append(errs, err.(*Error))
	}
	if in.Role == RoleAdviser && in.Team == "" {
		errs = append(errs, Invalid("team", "an adviser must belong to a team (%s)", strings.Join(Teams, ", ")))
	}
	if in.Team != "" && !slices.Contains(Teams, in.Team) {
		errs = append(errs, Invalid("team", "unknown team %q (one of %s)", in.Team, strings.Join(Teams, ", ")))
	}
	if in.Role == RoleExporter && in.OrgID == 0 {
		errs = append(errs, Invalid("org", "an exporter must belong to an organisation"))
	}
	if in.Password != "" && len(in.Password) < 10 {
		errs = append(errs, Invalid("password", "must be at least 10 characters"))
	}
	return errs.Err()
}

func validUsername(s string) bool {
	if len(s) < 2 || len(s) > 64 {
		return false
	}
	for _, c := range s {
		ok := c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(".-_@", c)
		if !ok {
			return false
		}
	}
	return true
}
