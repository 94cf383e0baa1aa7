// Package storetest opens real databases for tests: SQLite in a temp dir
// always, and PostgreSQL when EXPORTCTL_TEST_POSTGRES names a server (each
// test gets a schema of its own, dropped at the end).
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

// PostgresEnv names the variable holding a PostgreSQL URL for tests.
const PostgresEnv = "EXPORTCTL_TEST_POSTGRES"

// Engines lists the engines tests can run on here.
func Engines() []string {
	if os.Getenv(PostgresEnv) != "" {
		return []string{"sqlite", "postgres"}
	}
	return []string{"sqlite"}
}

// Each runs fn once per available engine, as subtests named after it.
func Each(t *testing.T, fn func(t *testing.T, s *store.Store)) {
	t.Helper()
	if os.Getenv(PostgresEnv) == "" {
		t.Log("PostgreSQL half skipped: set " + PostgresEnv + " (as .ci/run does) to run it")
	}
	for _, engine := range Engines() {
		t.Run(engine, func(t *testing.T) {
			fn(t, Open(t, engine, nil))
		})
	}
}

// Open returns a migrated store on a fresh database of the engine.
// Password hashing is made cheap: tests check behaviour, and a dedicated
// test checks the real parameters.
func Open(t testing.TB, engine string, clock exportctl.Clock) *store.Store {
	t.Helper()
	dsn := DSN(t, engine)
	s, err := store.Open(context.Background(), dsn, store.Options{Clock: clock})
	if err != nil {
		t.Fatalf("open %s store: %v", engine, err)
	}
	s.PasswordParams = store.ArgonParams{Memory: 1024, Time: 1, Threads: 1}
	s.ReceiptParams = s.PasswordParams
	s.SetConcernKeys(ConcernKeys(t))
	t.Cleanup(func() { s.Close() })
	return s
}

// DSN returns a fresh empty database for the engine.
func DSN(t testing.TB, engine string) string {
	t.Helper()
	switch engine {
	case "sqlite":
		return filepath.Join(t.TempDir(), "exportctl.db")
	case "postgres":
		base := os.Getenv(PostgresEnv)
		if base == "" {
			t.Skip("PostgreSQL not available: set " + PostgresEnv)
		}
		b := make([]byte, 6)
		rand.Read(b)
		schema := "t_" + hex.EncodeToString(b)
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
			t.Fatalf("create schema: %v", err)
		}
		t.Cleanup(func() {
			db, err := sql.Open("pgx", base)
			if err != nil {
				return
			}
			defer db.Close()
			db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		})
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		q := u.Query()
		q.Set("search_path", schema)
		u.RawQuery = q.Encode()
		return u.String()
	}
	t.Fatalf("unknown engine %q", engine)
	return ""
}

// System is the actor tests use to set up users and organisations.
var System = exportctl.System

// Fixture is a small world: an exporter organisation with a user, a second
// organisation, and one user per internal role.
type Fixture struct {
	Org, OtherOrg           *exportctl.Organisation
	Exporter, OtherExporter exportctl.Actor
	Officer, Officer2       exportctl.Actor // one assesses, the other countersigns
	Decider, Senior, Admin  exportctl.Actor
	FCDO, MOD               exportctl.Actor   // advisers of two teams
	Tokens                  map[string]string // username -> API token
}

// NewFixture creates the fixture's organisations and users.
func NewFixture(t testing.TB, s *store.Store) *Fixture {
	t.Helper()
	ctx := context.Background()
	admin := exportctl.Actor{Username: "system", Role: exportctl.RoleAdmin}
	f := &Fixture{Tokens: map[string]string{}}
	var err error
	if f.Org, err = s.CreateOrganisation(ctx, admin, "Example Aerospace Ltd", "exporter"); err != nil {
		t.Fatal(err)
	}
	if f.OtherOrg, err = s.CreateOrganisation(ctx, admin, "Other Defence plc", "exporter"); err != nil {
		t.Fatal(err)
	}
	mk := func(username string, role exportctl.Role, org int64, team string) exportctl.Actor {
		u, tok, err := s.CreateUser(ctx, admin, exportctl.UserInput{Username: username, Name: username, Role: role, OrgID: org, Team: team, Password: "correct horse battery"})
		if err != nil {
			t.Fatalf("create user %s: %v", username, err)
		}
		f.Tokens[username] = tok
		return exportctl.ActorOf(*u)
	}
	f.Exporter = mk("exporter1", exportctl.RoleExporter, f.Org.ID, "")
	f.OtherExporter = mk("exporter2", exportctl.RoleExporter, f.OtherOrg.ID, "")
	f.Officer = mk("officer1", exportctl.RoleCaseOfficer, 0, "")
	f.Officer2 = mk("officer2", exportctl.RoleCaseOfficer, 0, "")
	f.FCDO = mk("fcdo1", exportctl.RoleAdviser, 0, "FCDO")
	f.MOD = mk("mod1", exportctl.RoleAdviser, 0, "MOD")
	f.Decider = mk("decider1", exportctl.RoleDecisionMaker, 0, "")
	f.Senior = mk("senior1", exportctl.RoleSeniorOfficial, 0, "")
	f.Admin = mk("admin1", exportctl.RoleAdmin, 0, "")
	return f
}

// F64 returns a pointer, for optional numeric inputs.
func F64(v float64) *float64 { return &v }

// SampleApplication is a complete, submittable SIEL to Israel.
func SampleApplication() exportctl.ApplicationInput {
	return exportctl.ApplicationInput{
		LicenceType: "SIEL", ExportType: "permanent", EndUse: "Spares for the end user's F-16 fleet",
		Goods: []exportctl.GoodInput{
			{Description: "Hydraulic actuators for F-16 landing gear", Rating: "ML10a", Quantity: 40, Unit: "item", ValueGBP: F64(185000), ComponentOf: "F-16"},
			{Description: "Cockpit display units", Rating: "ML10b", Quantity: 12, Unit: "item", ValueGBP: F64(420000), ComponentOf: "F-16"},
			{Description: "Technical manuals for the actuators", Rating: "ML22a", Quantity: 1, Unit: "set", ValueGBP: F64(0)},
		},
		Parties: []exportctl.PartyInput{
			{Role: "end_user", Name: "Example Air Force", Country: "IL", Type: "armed_forces"},
			{Role: "consignee", Name: "Example Aerospace Ltd (Israel)", Country: "IL", Type: "commercial"},
			{Role: "third_party", Name: "Freight Agent BV", Country: "NL", Type: "commercial"},
		},
	}
}

// FinalAssessment is a complete assessment finding no risk on every
// criterion of the default set, with the IHL findings filled in.
func FinalAssessment(cutoff string) exportctl.AssessmentInput {
	in := exportctl.AssessmentInput{CriteriaSet: exportctl.DefaultCriteriaSet, EvidenceCutoff: cutoff, Final: true,
		IHL: &exportctl.IHLFindings{
			PastViolations: "No credible reports of violations by the end user.", Pattern: "No pattern.",
			ConductOfHostilities: "Capable and committed.", HumanitarianAccess: "Not in issue.", Detainees: "Not in issue.",
			RecipientInvestigations: "An independent military advocate general reviews incidents.", Assurances: "End-user undertaking.",
		}}
	for _, c := range exportctl.MustCriteria(exportctl.DefaultCriteriaSet).Citable() {
		in.Findings = append(in.Findings, exportctl.Finding{Criterion: c.Code, Finding: exportctl.FindingNoRisk, Reasoning: "No risk identified under " + c.Code + "."})
	}
	return in
}

// ToCountersigning takes a submitted application through checks, advice
// by two teams (approve on everything), final review, a final assessment
// and final advice recommending rec, leaving it awaiting countersignature.
func ToCountersigning(t testing.TB, s *store.Store, f *Fixture, appID int64, assessment exportctl.AssessmentInput, advice exportctl.FinalAdviceInput) {
	t.Helper()
	ctx := context.Background()
	for _, act := range []string{exportctl.ActBeginChecks, exportctl.ActStartReview} {
		if _, err := s.Transition(ctx, f.Officer, appID, act, ""); err != nil {
			t.Fatalf("%s: %v", act, err)
		}
	}
	app, err := s.Application(ctx, f.Officer, appID)
	if err != nil {
		t.Fatal(err)
	}
	for _, adviser := range []exportctl.Actor{f.FCDO, f.MOD} {
		for _, g := range app.Goods {
			if _, err := s.GiveAdvice(ctx, adviser, appID, exportctl.AdviceInput{Subject: exportctl.SubjectGood, SubjectID: g.ID, Type: exportctl.AdviceApprove}); err != nil {
				t.Fatalf("advice: %v", err)
			}
		}
		for _, p := range app.Parties {
			if _, err := s.GiveAdvice(ctx, adviser, appID, exportctl.AdviceInput{Subject: exportctl.SubjectParty, SubjectID: p.ID, Type: exportctl.AdviceApprove}); err != nil {
				t.Fatalf("advice: %v", err)
			}
		}
	}
	if _, err := s.Transition(ctx, f.Officer, appID, exportctl.ActFinalReview, ""); err != nil {
		t.Fatalf("final review: %v", err)
	}
	if _, err := s.SaveAssessment(ctx, f.Officer, appID, assessment); err != nil {
		t.Fatalf("assessment: %v", err)
	}
	if _, err := s.SubmitFinalAdvice(ctx, f.Officer, appID, advice); err != nil {
		t.Fatalf("final advice: %v", err)
	}
}

// DriveToDecision takes a submitted application all the way: advice,
// assessment, final advice, countersignature by the second officer (and
// the senior official when the case is sensitive), and the decision
// maker's decision.
func DriveToDecision(t testing.TB, s *store.Store, f *Fixture, appID int64, d exportctl.DecisionInput) *exportctl.Application {
	t.Helper()
	ctx := context.Background()
	fa := exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendIssue, Reasons: "No clear risk under any criterion."}
	switch d.Outcome {
	case exportctl.OutcomeRefused:
		fa = exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendRefuse, Criteria: d.Criteria, Reasons: "Refusal recommended."}
	case exportctl.OutcomeNLR:
		fa = exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendNLR, Reasons: "Not controlled."}
	}
	ToCountersigning(t, s, f, appID, FinalAssessment(s.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)), fa)
	Countersign(t, s, f, appID)
	if d.Reasons == "" {
		d.Reasons = "Decided in line with the final advice."
	}
	app, err := s.Decide(ctx, f.Decider, appID, d)
	if err != nil {
		t.Fatalf("decide: %v", err)
	}
	return app
}

// Countersign approves the final advice by the second officer, then by the
// senior official if the case still awaits a countersignature.
func Countersign(t testing.TB, s *store.Store, f *Fixture, appID int64) {
	t.Helper()
	ctx := context.Background()
	for _, signer := range []exportctl.Actor{f.Officer2, f.Senior} {
		app, err := s.Application(ctx, f.Officer, appID)
		if err != nil {
			t.Fatal(err)
		}
		if app.Status != exportctl.StatusCountersigning {
			return
		}
		if _, err := s.Countersign(ctx, signer, appID, exportctl.CountersignInput{Decision: "approve"}); err != nil {
			t.Fatalf("countersign by %s: %v", signer.Username, err)
		}
	}
}

// Published is a small world of published events: an issued licence later
// suspended (with reasons), a refusal citing 2c with reasons, a departure,
// and a draft and a submitted case that must stay unpublished.
type Published struct {
	Issued, Refused, Draft, Submitted *exportctl.Application
	SuspendReasons                    string
	RefusalReasons                    string // the refusal's published reasons
	// Secrets are restricted values that must never appear publicly.
	Secrets []string
}

// Publish builds the Published world.
func Publish(t testing.TB, s *store.Store, f *Fixture) *Published {
	t.Helper()
	ctx := context.Background()
	submit := func(change func(in *exportctl.ApplicationInput)) *exportctl.Application {
		in := SampleApplication()
		if change != nil {
			change(&in)
		}
		app, err := s.CreateApplication(ctx, f.Exporter, in)
		if err != nil {
			t.Fatal(err)
		}
		if app, err = s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
		return app
	}
	p := &Published{SuspendReasons: "Suspended pending the review of IHL compliance in Gaza.",
		RefusalReasons: "A clear risk that the items might be used in a serious violation of IHL, and of diversion."}
	p.Issued = DriveToDecision(t, s, f, submit(nil).ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "Confidential: the exporter's margin is 31%."})
	if _, err := s.ChangeLicence(ctx, f.Officer, p.Issued.LicenceID, exportctl.ActSuspend, exportctl.LicenceActionInput{Reasons: p.SuspendReasons}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.RecordDeparture(ctx, f.Decider, p.Issued.ID, exportctl.DepartureInput{Scope: "Spares for the global pool", Reasons: "Carve-out for the spares pool."}); err != nil {
		t.Fatal(err)
	}
	p.Refused = DriveToDecision(t, s, f, submit(func(in *exportctl.ApplicationInput) {
		in.Goods = in.Goods[:1]
		in.Goods[0].Rating, in.Goods[0].Description, in.Goods[0].ValueGBP = "ML4a", "Guidance kits, secret part number XJ-9", F64(990000)
		in.Parties[0].Name = "Secret Unit 8200"
	}).ID, exportctl.DecisionInput{Outcome: "refused", Criteria: []string{"2c", "7"}, Reasons: "Clear risk; intelligence source Nightjar.",
		PublicReasons: p.RefusalReasons})
	var err error
	if p.Draft, err = s.CreateApplication(ctx, f.OtherExporter, SampleApplication()); err != nil {
		t.Fatal(err)
	}
	p.Submitted = submit(nil)
	p.Secrets = []string{"Example Aerospace", "Other Defence", "Example Air Force", "Secret Unit 8200", "Freight Agent", "margin is 31%",
		"Nightjar", "XJ-9", "Hydraulic actuators", "Cockpit display units", "exporter1", "decider1", "officer1"}
	return p
}
