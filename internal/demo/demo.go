// Package demo fills an empty store with a realistic, entirely fictional
// licensing scenario: five UK exporters, the export control unit's staff in
// every role, and some sixty applications in every case state to
// destinations such as Israel, Saudi Arabia, Ukraine, the United States,
// Türkiye and India, with refusals citing criteria and licences suspended,
// reinstated, revoked and surrendered.
//
// The companies, people and consignees are invented; the end users are
// named generically after the kind of forces that operate such equipment.
package demo

import (
	"context"
	"fmt"
	"math/rand/v2"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

// Password is the password of every demo account.
const Password = "demo-password-2026"

// GovernmentOrg is the organisation the internal demo staff belong to.
const GovernmentOrg = "Export Control Joint Unit"

// Login is a demo account shown to the person running the demo.
type Login struct{ Username, Password, Role, Org, Note string }

// seed fixes the pseudo-random choices (which case officer handles which
// case, the order in which cases arrive) so the demo looks the same each time.
var seed = [2]uint64{2026, 944}

// Seed fills an empty store with the demo scenario and returns the logins. It is deterministic
// (math/rand/v2 with a fixed seed) so the demo looks the same each time.
//
// A store that already has organisations or users is refused with a
// conflict error, so seeding twice never duplicates anything.
func Seed(ctx context.Context, s *store.Store) ([]Login, error) {
	if err := checkEmpty(ctx, s); err != nil {
		return nil, err
	}
	r := rand.New(rand.NewPCG(seed[0], seed[1]))

	// Organisations.
	orgs := map[string]*exportctl.Organisation{}
	gov, err := s.CreateOrganisation(ctx, exportctl.System, GovernmentOrg, "government")
	if err != nil {
		return nil, fmt.Errorf("demo: create organisation %q: %w", GovernmentOrg, err)
	}
	orgs[""] = gov
	for _, e := range exporters {
		o, err := s.CreateOrganisation(ctx, exportctl.System, e.org, "exporter")
		if err != nil {
			return nil, fmt.Errorf("demo: create organisation %q: %w", e.org, err)
		}
		orgs[e.username] = o
	}

	// Users.
	actors := map[string]exportctl.Actor{}
	var logins []Login
	add := func(acc account, org *exportctl.Organisation) error {
		in := exportctl.UserInput{Username: acc.username, Name: acc.name, Role: acc.role, Team: acc.team, Password: Password}
		orgName := ""
		if org != nil {
			in.OrgID, orgName = org.ID, org.Name
		}
		u, _, err := s.CreateUser(ctx, exportctl.System, in)
		if err != nil {
			return fmt.Errorf("demo: create user %q: %w", acc.username, err)
		}
		actors[acc.username] = exportctl.ActorOf(*u)
		logins = append(logins, Login{Username: acc.username, Password: Password, Role: string(acc.role), Org: orgName, Note: acc.note})
		return nil
	}
	for _, acc := range staff {
		org := gov
		if acc.role == exportctl.RoleOversight {
			org = nil // the oversight body is independent of the unit
		}
		if err := add(acc, org); err != nil {
			return nil, err
		}
	}
	for _, e := range exporters {
		acc := account{username: e.username, name: e.person, role: exportctl.RoleExporter,
			note: "Exporter for " + e.org + ": drafts, submits, edits, withdraws and appeals its own applications; surrenders its licences. Sees nothing of other companies."}
		if err := add(acc, orgs[e.username]); err != nil {
			return nil, err
		}
	}

	// Cases arrive in a shuffled (but fixed) order, so references and lists
	// interleave the companies as a real queue would.
	cs := cases()
	licences := make([]int64, len(cs))
	officers := []string{"officer", "officer2"}
	for _, i := range r.Perm(len(cs)) {
		c := cs[i]
		officer := officers[r.IntN(len(officers))]
		id, err := runCase(ctx, s, actors, c, officer)
		if err != nil {
			return nil, err
		}
		licences[i] = id
	}
	// Licence actions come later, in scenario order: the Israel review's
	// suspensions, then a reinstatement, a revocation and a surrender.
	for i, c := range cs {
		for _, ls := range c.later {
			if licences[i] == 0 {
				return nil, fmt.Errorf("demo: %s: %s: the case issued no licence", c.key, ls.action)
			}
			by := ls.by
			if by == "" {
				by = c.exporter
			}
			if _, err := s.ChangeLicence(ctx, actors[by], licences[i], ls.action, exportctl.LicenceActionInput{Reasons: ls.reasons}); err != nil {
				return nil, fmt.Errorf("demo: %s: licence %s by %s: %w", c.key, ls.action, by, err)
			}
		}
	}
	return logins, nil
}

// checkEmpty refuses a store that already holds organisations or users.
func checkEmpty(ctx context.Context, s *store.Store) error {
	orgs, err := s.Organisations(ctx, exportctl.System)
	if err != nil {
		return fmt.Errorf("demo: list organisations: %w", err)
	}
	users, err := s.Users(ctx, exportctl.System)
	if err != nil {
		return fmt.Errorf("demo: list users: %w", err)
	}
	if len(orgs) > 0 || len(users) > 0 {
		return &exportctl.Error{Code: exportctl.EConflict, Op: "demo.seed",
			Message: fmt.Sprintf("the demo seeds only an empty database; this one already has %d organisations and %d users", len(orgs), len(users))}
	}
	return nil
}

// runCase drafts one application and walks it along its path. It returns
// the licence id when the case ended with a licence.
func runCase(ctx context.Context, s *store.Store, actors map[string]exportctl.Actor, c caseSpec, officer string) (int64, error) {
	exporter, ok := actors[c.exporter]
	if !ok {
		return 0, fmt.Errorf("demo: %s: unknown exporter %q", c.key, c.exporter)
	}
	app, err := s.CreateApplication(ctx, exporter, c.in)
	if err != nil {
		return 0, fmt.Errorf("demo: %s: create: %w", c.key, err)
	}
	for n, st := range c.path {
		by := st.by
		if by == "" {
			switch st.action {
			case exportctl.ActSubmit, exportctl.ActWithdraw, exportctl.ActAppeal:
				by = c.exporter
			default:
				by = officer
			}
		}
		a, ok := actors[by]
		if !ok {
			return 0, fmt.Errorf("demo: %s (%s): step %d %s: unknown user %q", c.key, app.Reference, n+1, st.action, by)
		}
		if st.action == exportctl.ActDecide {
			d := *st.decision
			d.Criteria = append([]string(nil), d.Criteria...)
			app, err = s.Decide(ctx, a, app.ID, d)
		} else {
			app, err = s.Transition(ctx, a, app.ID, st.action, st.note)
		}
		if err != nil {
			return 0, fmt.Errorf("demo: %s (%s): step %d %s by %s: %w", c.key, app.Reference, n+1, st.action, by, err)
		}
	}
	return app.LicenceID, nil
}

// account is a demo user.
type account struct {
	username, name string
	role           exportctl.Role
	team           string
	note           string
}

// staff are the internal users, one per role (two case officers, two
// advisory teams).
var staff = []account{
	{"admin", "Helen Carter", exportctl.RoleAdmin, "", "Administrator: manages organisations and user accounts."},
	{"officer", "Sam Patel", exportctl.RoleCaseOfficer, "", "Case officer: runs cases through initial checks and review, returns them to the exporter with queries, decides routine cases, suspends and reinstates licences."},
	{"officer2", "Joanna Webb", exportctl.RoleCaseOfficer, "", "Second case officer, with the same rights as officer (for countersigning and separation of duties)."},
	{"fcdo", "Fiona Grant", exportctl.RoleAdviser, "FCDO", "Adviser for the FCDO team: gives foreign-policy, human-rights and IHL advice on cases."},
	{"mod", "James Hewitt", exportctl.RoleAdviser, "MOD", "Adviser for the MOD team: gives defence and security advice on cases."},
	{"senior", "Catherine Moore", exportctl.RoleSeniorOfficial, "", "Senior official: resolves conflicting advice, gives second countersignatures, suspends, reinstates and revokes licences."},
	{"minister", "Alan Whitfield", exportctl.RoleDecisionMaker, "", "Decision maker (minister): decides sensitive cases, refusals and appeals, and the outcomes of destination reviews."},
	{"analyst", "Nadia Hussein", exportctl.RoleAnalyst, "", "Evidence analyst: keeps the incident register and the weapon-item graph."},
	{"handler", "Ben Taylor", exportctl.RoleConcernsHandler, "", "Concerns handler: acknowledges, investigates and answers concerns raised through the channel."},
	{"nominated", "Grace Okafor", exportctl.RoleNominatedOfficer, "", "Nominated officer: the first escalation step for concerns."},
	{"custodian", "Martin Lowe", exportctl.RoleCustodian, "", "Identity custodian: the only role that may approve revealing a reporter's identity."},
	{"oversight", "Eleanor Shaw", exportctl.RoleOversight, "", "Oversight body (parliamentary committee clerk): reads everything; the last escalation step for concerns."},
}

// exporters are the fictional companies, each with one exporter user.
var exporters = []struct{ username, org, person string }{
	{"northbridge", "Northbridge Aerospace Ltd", "Rachel Osei"},
	{"harrow", "Harrow Defence Systems plc", "Tom Ashworth"},
	{"kestrel", "Kestrel Secure Communications Ltd", "Imogen Clarke"},
	{"fenland", "Fenland Chemicals Ltd", "David Pryce"},
	{"solent", "Solent Marine Electronics Ltd", "Marcus Bell"},
}

// caseSpec is one application of the scenario and what happens to it.
type caseSpec struct {
	key      string // names the case in errors
	exporter string // the exporter's username
	in       exportctl.ApplicationInput
	path     []step
	later    []licenceStep // applied to the licence after every case has run
}

// step is one workflow action. by is a username; empty means the exporter
// for applicant actions and the case's officer for the rest.
type step struct {
	action   string
	by       string
	note     string
	decision *exportctl.DecisionInput
}

// licenceStep changes an issued licence. by empty means the exporter.
type licenceStep struct{ action, by, reasons string }

var (
	submit      = step{action: exportctl.ActSubmit}
	beginChecks = step{action: exportctl.ActBeginChecks}
	startReview = step{action: exportctl.ActStartReview}
	finalReview = step{action: exportctl.ActFinalReview}
)

func path(groups ...[]step) []step {
	var out []step
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func steps(s ...step) []step { return s }

// upTo returns the ordinary path from draft to the state.
func upTo(status string) []step {
	all := []step{submit, beginChecks, startReview, finalReview}
	switch status {
	case exportctl.StatusDraft:
		return nil
	case exportctl.StatusSubmitted:
		return all[:1]
	case exportctl.StatusInitialChecks:
		return all[:2]
	case exportctl.StatusUnderReview:
		return all[:3]
	case exportctl.StatusUnderFinalReview:
		return all[:4]
	}
	panic("demo: no ordinary path to " + status)
}

func returnToApplicant(note string) step {
	return step{action: exportctl.ActReturn, note: note}
}
func resubmit(note string) step { return step{action: exportctl.ActSubmit, note: note} }
func withdraw(note string) step { return step{action: exportctl.ActWithdraw, note: note} }
func appeal(note string) step   { return step{action: exportctl.ActAppeal, note: note} }

func issue(by, reasons string) step {
	return step{action: exportctl.ActDecide, by: by, decision: &exportctl.DecisionInput{Outcome: exportctl.OutcomeIssued, Reasons: reasons}}
}
func refuse(by string, criteria []string, reasons string) step {
	return step{action: exportctl.ActDecide, by: by, decision: &exportctl.DecisionInput{Outcome: exportctl.OutcomeRefused, Criteria: criteria, Reasons: reasons}}
}
func nlr(by, reasons string) step {
	return step{action: exportctl.ActDecide, by: by, decision: &exportctl.DecisionInput{Outcome: exportctl.OutcomeNLR, Reasons: reasons}}
}

func suspend(by, reasons string) licenceStep { return licenceStep{exportctl.ActSuspend, by, reasons} }
func reinstate(by, reasons string) licenceStep {
	return licenceStep{exportctl.ActReinstate, by, reasons}
}
func revoke(by, reasons string) licenceStep { return licenceStep{exportctl.ActRevoke, by, reasons} }
func surrender(reasons string) licenceStep  { return licenceStep{exportctl.ActSurrender, "", reasons} }

// Input builders.

func good(desc, rating string, qty float64, unit string, gbp float64, componentOf string) exportctl.GoodInput {
	return exportctl.GoodInput{Description: desc, Rating: rating, Quantity: qty, Unit: unit, ValueGBP: &gbp, ComponentOf: componentOf}
}

func endUser(name, country, typ, desc string) exportctl.PartyInput {
	return exportctl.PartyInput{Role: exportctl.PartyEndUser, Name: name, Country: country, Type: typ, Description: desc}
}

func consignee(name, address, country string) exportctl.PartyInput {
	return exportctl.PartyInput{Role: exportctl.PartyConsignee, Name: name, Address: address, Country: country, Type: "commercial"}
}

func party(role, name, address, country, typ, desc string) exportctl.PartyInput {
	return exportctl.PartyInput{Role: role, Name: name, Address: address, Country: country, Type: typ, Description: desc}
}

func application(licenceType, exportType, endUse string, goods []exportctl.GoodInput, parties ...exportctl.PartyInput) exportctl.ApplicationInput {
	return exportctl.ApplicationInput{LicenceType: licenceType, ExportType: exportType, EndUse: endUse, Goods: goods, Parties: parties}
}

func goods(g ...exportctl.GoodInput) []exportctl.GoodInput { return g }
