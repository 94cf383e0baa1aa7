// Package demo fills an empty store with a realistic, entirely fictional
// licensing scenario: five UK exporters, the export control unit's staff in
// every role, and some sixty applications in every case state to
// destinations such as Israel, Saudi Arabia, Ukraine, the United States,
// Türkiye and India.
//
// Every decided case went through the whole workflow: advice from the FCDO
// and MOD on each good and party, the case officer's assessment against
// the criteria (with the IHL findings and an evidence cut-off), final
// advice, countersignature by the other case officer (and the senior
// official when the case is sensitive), and the minister's decision with
// reasons. The scenario includes conflicting advice resolved by the senior
// official, a countersignature rejected and given again, refusals citing
// criteria, an appeal allowed, the F-35 global spares pool licence issued
// as a recorded departure, and licences suspended, reinstated, revoked and
// surrendered.
//
// The companies, people and consignees are invented; the end users are
// named generically after the kind of forces that operate such equipment.
//
// The evidence register holds about thirty incidents recorded by the
// analyst (Gaza 2023-2024, Yemen 2015-2021, Ukraine 2022-2023), each an
// illustrative demo record based on public reporting, and SIPRI-style
// deliveries to Israel and Saudi Arabia so the weapon graph has operators
// (evidence.go).
//
// The concerns channel holds five concerns recorded as of the days they
// happened (concerns.go): one accepted and closed, one contested and
// escalated with a retaliation report, one answered, one escalated because
// nobody acknowledged it in 7 days, one new. The anonymous reporter's
// receipt code is among the logins.
//
// Two destination reviews close the story (destination_reviews.go): the
// review of Israel, completed, which suspends four licences and keeps the
// F-35 components as a published carve-out; and a review of Saudi Arabia
// in progress.
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
	// interleave the companies as a real queue would. Each case has a case
	// officer who assesses it and writes the final advice; the other officer
	// countersigns.
	cs := cases()
	backdateReviewedCases(cs)
	licences := make([]int64, len(cs))
	officers := []string{"officer", "officer2"}
	for _, i := range r.Perm(len(cs)) {
		n := r.IntN(len(officers))
		id, err := runCase(ctx, s, actors, &cs[i], officers[n], officers[1-n])
		if err != nil {
			return nil, err
		}
		licences[i] = id
	}
	// Licence actions come later, in scenario order: an interim suspension
	// and a reinstatement, a revocation and a surrender. The Israel review's
	// suspensions are made by the review itself (destination_reviews.go).
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
	// The evidence register and deliveries come last, recorded by the
	// analyst: the cases above were assessed before the register held
	// anything, so the evidence guard never asks them for a reason.
	if err := seedEvidence(ctx, s, actors["analyst"]); err != nil {
		return nil, err
	}
	// The reviews come after the evidence, so their scopes are pre-filled
	// from the exposure analysis.
	byKey := map[string]int64{}
	for i, c := range cs {
		byKey[c.key] = licences[i]
	}
	if err := seedReviews(ctx, s, actors, byKey); err != nil {
		return nil, err
	}
	// Concerns need the channel's keys; without them the demo has none.
	if _, err := s.ConcernReceiptKey(ctx); err == nil {
		var decided []int64
		for _, id := range licences {
			if id != 0 {
				decided = append(decided, id)
			}
		}
		ref, code, err := seedConcerns(ctx, s, actors, decided)
		if err != nil {
			return nil, err
		}
		logins = append(logins, Login{Username: "(no account)", Role: "reporter",
			Note: "Anonymous reporter of concern " + ref + " (contested): follow it up at /report/follow-up with receipt code " + code})
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
	{"officer", "Sam Patel", exportctl.RoleCaseOfficer, "", "Case officer: runs cases through initial checks and review, returns them to the exporter with queries, writes assessments and final advice, countersigns the other officer's cases, suspends and reinstates licences."},
	{"officer2", "Joanna Webb", exportctl.RoleCaseOfficer, "", "Second case officer, with the same rights as officer: countersigns officer's final advice and has cases of her own (separation of duties)."},
	{"fcdo", "Fiona Grant", exportctl.RoleAdviser, "FCDO", "Adviser for the FCDO team: gives foreign-policy, human-rights and IHL advice on cases."},
	{"mod", "James Hewitt", exportctl.RoleAdviser, "MOD", "Adviser for the MOD team: gives defence and security advice on cases."},
	{"senior", "Catherine Moore", exportctl.RoleSeniorOfficial, "", "Senior official: resolves conflicting advice, gives second countersignatures, suspends, reinstates and revokes licences."},
	{"minister", "Alan Whitfield", exportctl.RoleDecisionMaker, "", "Decision maker (minister): decides every case once its final advice is countersigned, and appeals; records departures such as the F-35 carve-out; decides the outcomes of destination reviews."},
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
