package store_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

var ctx = context.Background()

func mustCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := exportctl.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func count(t *testing.T, s *store.Store, table string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		app, err := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		if err != nil {
			t.Fatal(err)
		}
		year := time.Now().Year()
		if want := regexp.MustCompile(`^GBSIEL/` + strconv.Itoa(year) + `/0000001/P$`); !want.MatchString(app.Reference) {
			t.Errorf("reference = %q", app.Reference)
		}
		if app.Status != exportctl.StatusDraft || len(app.Goods) != 3 || len(app.Parties) != 3 || app.Destination != "IL" {
			t.Fatalf("draft = %+v", app)
		}
		if app.TotalValueGBP != 605000 {
			t.Errorf("total value = %v", app.TotalValueGBP)
		}
		if app, err = s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil || app.Status != exportctl.StatusSubmitted {
			t.Fatalf("submit: %v %+v", err, app)
		}
		app = storetest.DriveToDecision(t, s, f, app.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "No clear risk found."})
		if app.Status != exportctl.StatusFinalised || app.Outcome != "issued" || app.LicenceID == 0 {
			t.Fatalf("decided = %+v", app)
		}
		lic, err := s.Licence(ctx, f.Exporter, app.LicenceID)
		if err != nil {
			t.Fatal(err)
		}
		if lic.Reference != app.Reference || lic.Status != exportctl.LicenceIssued || lic.Destination != "IL" || len(lic.Goods) != 3 {
			t.Fatalf("licence = %+v", lic)
		}
		if lic.ValidUntil != time.Now().UTC().AddDate(2, 0, 0).Format(time.DateOnly) {
			t.Errorf("valid until %s", lic.ValidUntil)
		}
		for _, step := range []struct{ action, want string }{
			{exportctl.ActSuspend, exportctl.LicenceSuspended},
			{exportctl.ActReinstate, exportctl.LicenceIssued},
			{exportctl.ActRevoke, exportctl.LicenceRevoked},
		} {
			lic, err = s.ChangeLicence(ctx, f.Officer, lic.ID, step.action, exportctl.LicenceActionInput{Reasons: "because " + step.action})
			if err != nil {
				t.Fatalf("%s: %v", step.action, err)
			}
			if lic.Status != step.want {
				t.Fatalf("after %s: %s", step.action, lic.Status)
			}
		}
		hist, err := s.History(ctx, f.Officer, app.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range hist {
			if e.Action != "application.advise" {
				actions = append(actions, e.Action)
			}
		}
		want := "application.create application.submit application.begin_checks application.start_review application.final_review application.assess application.submit_final_advice application.countersigned application.decide licence.issue licence.suspend licence.reinstate licence.revoke"
		if got := strings.Join(actions, " "); got != want {
			t.Errorf("history:\n got %s\nwant %s", got, want)
		}
		lh, err := s.LicenceHistory(ctx, f.Officer, lic.ID)
		if err != nil || len(lh) != 4 || !strings.Contains(lh[3].Summary, "because revoke") {
			t.Errorf("licence history = %+v, %v", lh, err)
		}
		// The revoked licence can do nothing more.
		_, err = s.ChangeLicence(ctx, f.Officer, lic.ID, exportctl.ActReinstate, exportctl.LicenceActionInput{Reasons: "x"})
		mustCode(t, err, exportctl.EConflict)
		if !strings.Contains(err.Error(), "revoked") || !strings.Contains(err.Error(), "reinstate") {
			t.Errorf("conflict should name state and action: %v", err)
		}
	})
}

func TestIllegalTransitionsWriteNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		app, err := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		if err != nil {
			t.Fatal(err)
		}
		// A decision maker cannot see a draft, let alone decide it.
		_, err = s.Decide(ctx, f.Decider, app.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "x"})
		mustCode(t, err, exportctl.ENotFound)
		// Nor decide a withdrawn case.
		withdrawn, _ := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		s.Transition(ctx, f.Exporter, withdrawn.ID, exportctl.ActSubmit, "")
		s.Transition(ctx, f.Exporter, withdrawn.ID, exportctl.ActWithdraw, "no longer needed")
		before := count(t, s, "audit_events")
		_, err = s.Decide(ctx, f.Decider, withdrawn.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "x"})
		mustCode(t, err, exportctl.EConflict)
		if !strings.Contains(err.Error(), "withdrawn") || !strings.Contains(err.Error(), "decide") {
			t.Errorf("message should name state and action: %v", err)
		}
		if count(t, s, "audit_events") != before || count(t, s, "decisions") != 0 || count(t, s, "licences") != 0 {
			t.Error("a refused decision wrote rows")
		}
		// An exporter cannot begin checks.
		if _, err := s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
		before = count(t, s, "audit_events")
		_, err = s.Transition(ctx, f.Exporter, app.ID, exportctl.ActBeginChecks, "")
		mustCode(t, err, exportctl.EForbidden)
		// Submitting twice is a conflict.
		_, err = s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, "")
		mustCode(t, err, exportctl.EConflict)
		// An unknown action is invalid.
		_, err = s.Transition(ctx, f.Officer, app.ID, "teleport", "")
		mustCode(t, err, exportctl.EInvalid)
		if got := count(t, s, "audit_events"); got != before {
			t.Errorf("failed commands wrote %d audit events", got-before)
		}
		if got := count(t, s, "case_transitions"); got != 3 {
			t.Errorf("case_transitions = %d, want 3", got)
		}
	})
}

func TestExportersSeeOnlyTheirOwn(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		mine, err := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := s.CreateApplication(ctx, f.OtherExporter, storetest.SampleApplication())
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Application(ctx, f.Exporter, theirs.ID)
		mustCode(t, err, exportctl.ENotFound)
		_, err = s.Transition(ctx, f.Exporter, theirs.ID, exportctl.ActSubmit, "")
		mustCode(t, err, exportctl.ENotFound)
		_, err = s.History(ctx, f.Exporter, theirs.ID)
		mustCode(t, err, exportctl.ENotFound)
		page, err := s.Applications(ctx, f.Exporter, exportctl.ApplicationFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 1 || page.Items[0].ID != mine.ID {
			t.Errorf("exporter list = %+v", page)
		}
		// Drafts are the exporter's own until submitted.
		all, err := s.Applications(ctx, f.Officer, exportctl.ApplicationFilter{})
		if err != nil || all.Total != 0 {
			t.Errorf("officer sees drafts: %+v, %v", all, err)
		}
		_, err = s.Application(ctx, f.Officer, mine.ID)
		mustCode(t, err, exportctl.ENotFound)
		// Licences too.
		for _, id := range []int64{mine.ID, theirs.ID} {
			owner := f.Exporter
			if id == theirs.ID {
				owner = f.OtherExporter
			}
			app, _ := s.Application(ctx, owner, id)
			if _, err := s.Transition(ctx, owner, app.ID, exportctl.ActSubmit, ""); err != nil {
				t.Fatal(err)
			}
			storetest.DriveToDecision(t, s, f, app.ID, exportctl.DecisionInput{Outcome: "issued"})
		}
		if all, _ := s.Applications(ctx, f.Officer, exportctl.ApplicationFilter{}); all.Total != 2 {
			t.Errorf("officer sees %d submitted applications, want 2", all.Total)
		}
		theirsApp, _ := s.Application(ctx, f.Officer, theirs.ID)
		_, err = s.Licence(ctx, f.Exporter, theirsApp.LicenceID)
		mustCode(t, err, exportctl.ENotFound)
		_, err = s.ChangeLicence(ctx, f.Exporter, theirsApp.LicenceID, exportctl.ActSurrender, exportctl.LicenceActionInput{Reasons: "x"})
		mustCode(t, err, exportctl.ENotFound)
		lics, err := s.Licences(ctx, f.Exporter, exportctl.LicenceFilter{})
		if err != nil || lics.Total != 1 {
			t.Errorf("exporter licences = %+v, %v", lics, err)
		}
	})
}

func TestBadInputNamesFieldAndWritesNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		before := count(t, s, "applications")
		cases := []struct {
			field string
			edit  func(in *exportctl.ApplicationInput)
		}{
			{"goods[1].rating", func(in *exportctl.ApplicationInput) { in.Goods[1].Rating = "ML99" }},
			{"goods[0].value_gbp", func(in *exportctl.ApplicationInput) { in.Goods[0].ValueGBP = storetest.F64(-1) }},
			{"goods[2].quantity", func(in *exportctl.ApplicationInput) { in.Goods[2].Quantity = 0 }},
			{"parties[0].country", func(in *exportctl.ApplicationInput) { in.Parties[0].Country = "XX" }},
			{"licence_type", func(in *exportctl.ApplicationInput) { in.LicenceType = "OGEL" }},
			{"export_type", func(in *exportctl.ApplicationInput) { in.ExportType = "forever" }},
		}
		for _, c := range cases {
			in := storetest.SampleApplication()
			c.edit(&in)
			_, err := s.CreateApplication(ctx, f.Exporter, in)
			mustCode(t, err, exportctl.EInvalid)
			if got := exportctl.ErrorField(err); got != c.field {
				t.Errorf("field = %q, want %q (%v)", got, c.field, err)
			}
		}
		if got := count(t, s, "applications"); got != before {
			t.Errorf("invalid input wrote %d applications", got-before)
		}
		// Submitting without an end user.
		in := storetest.SampleApplication()
		in.Parties = in.Parties[1:]
		app, err := s.CreateApplication(ctx, f.Exporter, in)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, "")
		mustCode(t, err, exportctl.EInvalid)
		if !strings.Contains(err.Error(), "end user") {
			t.Errorf("error should mention the end user: %v", err)
		}
		// A refusal without criteria or reasons.
		app, _ = s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, "")
		_, err = s.Decide(ctx, f.Decider, app.ID, exportctl.DecisionInput{Outcome: "refused", Reasons: "risk"})
		mustCode(t, err, exportctl.EInvalid)
		if exportctl.ErrorField(err) != "criteria" {
			t.Errorf("field = %q", exportctl.ErrorField(err))
		}
		_, err = s.Decide(ctx, f.Decider, app.ID, exportctl.DecisionInput{Outcome: "refused", Criteria: []string{"2c"}})
		if exportctl.ErrorField(err) != "reasons" {
			t.Errorf("field = %q (%v)", exportctl.ErrorField(err), err)
		}
		_, err = s.Decide(ctx, f.Decider, app.ID, exportctl.DecisionInput{Outcome: "refused", Criteria: []string{"9z"}, Reasons: "x"})
		if exportctl.ErrorField(err) != "criteria[0]" {
			t.Errorf("field = %q (%v)", exportctl.ErrorField(err), err)
		}
		_, err = s.Decide(ctx, f.Decider, app.ID, exportctl.DecisionInput{Outcome: "issued"})
		if exportctl.ErrorField(err) != "reasons" {
			t.Errorf("a decision without reasons: field = %q (%v)", exportctl.ErrorField(err), err)
		}
		app = storetest.DriveToDecision(t, s, f, app.ID, exportctl.DecisionInput{Outcome: "refused", Criteria: []string{"2c", "7"}, Reasons: "Clear risk under 2c."})
		if app.LicenceID != 0 || app.Outcome != "refused" {
			t.Errorf("refused app = %+v", app)
		}
		ds, err := s.Decisions(ctx, f.Officer, app.ID)
		if err != nil || len(ds) != 1 || strings.Join(ds[0].Criteria, ",") != "2c,7" || ds[0].CriteriaSet != exportctl.CriteriaUK2021 {
			t.Errorf("decisions = %+v, %v", ds, err)
		}
	})
}

func TestDraftEditsSupersedeAndKeepRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		app, err := s.CreateApplication(ctx, f.Exporter, exportctl.ApplicationInput{LicenceType: "SIEL", ExportType: "temporary", EndUse: "Trials"})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasSuffix(app.Reference, "/T") {
			t.Errorf("temporary reference = %s", app.Reference)
		}
		g, err := s.AddGood(ctx, f.Exporter, app.ID, exportctl.GoodInput{Description: "Body armour", Rating: "ml13a", Quantity: 100, ValueGBP: storetest.F64(25000.5)})
		if err != nil {
			t.Fatal(err)
		}
		if g.Rating != "ML13a" || g.Unit != "item" || g.ValueGBP != 25000.5 {
			t.Errorf("good = %+v", g)
		}
		if _, err := s.AddParty(ctx, f.Exporter, app.ID, exportctl.PartyInput{Role: "end_user", Name: "Ministry of Defence of Ukraine", Country: "ua"}); err != nil {
			t.Fatal(err)
		}
		_, err = s.AddParty(ctx, f.Exporter, app.ID, exportctl.PartyInput{Role: "end_user", Name: "Second", Country: "UA"})
		mustCode(t, err, exportctl.EInvalid)
		if err := s.RemoveGood(ctx, f.Exporter, app.ID, g.ID); err != nil {
			t.Fatal(err)
		}
		err = s.RemoveGood(ctx, f.Exporter, app.ID, g.ID)
		mustCode(t, err, exportctl.ENotFound)
		got, _ := s.Application(ctx, f.Exporter, app.ID)
		if len(got.Goods) != 0 || got.Destination != "UA" {
			t.Errorf("after removal = %+v", got)
		}
		if n := count(t, s, "goods"); n != 1 {
			t.Errorf("the superseded good must stay: goods rows = %d", n)
		}
		// Others may not edit it; after submission nobody may.
		_, err = s.AddGood(ctx, f.Officer, app.ID, exportctl.GoodInput{Description: "x", Rating: "ML1", Quantity: 1, ValueGBP: storetest.F64(1)})
		mustCode(t, err, exportctl.EForbidden)
		s.AddGood(ctx, f.Exporter, app.ID, exportctl.GoodInput{Description: "Helmets", Rating: "ML13", Quantity: 10, ValueGBP: storetest.F64(1)})
		s.AddParty(ctx, f.Exporter, app.ID, exportctl.PartyInput{Role: "consignee", Name: "C", Country: "PL"})
		if _, err := s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
		_, err = s.AddGood(ctx, f.Exporter, app.ID, exportctl.GoodInput{Description: "x", Rating: "ML1", Quantity: 1, ValueGBP: storetest.F64(1)})
		mustCode(t, err, exportctl.EConflict)
		// Returned to the applicant, it can change again, and resubmits.
		_, err = s.Transition(ctx, f.Officer, app.ID, exportctl.ActReturn, "")
		mustCode(t, err, exportctl.EInvalid)
		if _, err := s.Transition(ctx, f.Officer, app.ID, exportctl.ActReturn, "Give the end-user certificate"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.EditApplication(ctx, f.Exporter, app.ID, exportctl.ApplicationInput{LicenceType: "SIEL", ExportType: "temporary", EndUse: "Trials, with EUC attached"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
	})
}

func TestRecordTablesAreAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		app, _ := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, "")
		storetest.DriveToDecision(t, s, f, app.ID, exportctl.DecisionInput{Outcome: "refused", Criteria: []string{"1"}, Reasons: "embargo"})
		for _, q := range []string{
			`UPDATE audit_events SET summary = 'nothing happened'`,
			`DELETE FROM audit_events`,
			`UPDATE decisions SET outcome = 'issued'`,
			`DELETE FROM case_transitions`,
			`DELETE FROM goods`,
		} {
			if _, err := s.DB().Exec(q); err == nil {
				t.Errorf("%s: succeeded, want refusal", q)
			}
		}
	})
}

func TestAppealWindow(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
			s := storetest.Open(t, engine, func() time.Time { return now })
			f := storetest.NewFixture(t, s)
			refuse := func() *exportctl.Application {
				app, _ := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
				s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, "")
				return storetest.DriveToDecision(t, s, f, app.ID, exportctl.DecisionInput{Outcome: "refused", Criteria: []string{"2c"}, Reasons: "clear risk"})
			}
			a1, a2 := refuse(), refuse()
			if a1.Reference != "GBSIEL/2026/0000001/P" || a2.Reference != "GBSIEL/2026/0000002/P" {
				t.Errorf("references %s %s", a1.Reference, a2.Reference)
			}
			now = now.Add(27 * 24 * time.Hour)
			app, err := s.Transition(ctx, f.Exporter, a1.ID, exportctl.ActAppeal, "new end-user assurances")
			if err != nil || app.Status != exportctl.StatusUnderAppeal {
				t.Fatalf("appeal within 28 days: %v", err)
			}
			// The identical second refusal is a denial the appeal must answer first.
			_, err = s.Decide(ctx, f.Decider, a1.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "Issued on appeal"})
			mustCode(t, err, exportctl.EConflict)
			if !strings.Contains(err.Error(), a2.Reference) {
				t.Errorf("the conflict should name the denial %s: %v", a2.Reference, err)
			}
			matches, err := s.DenialMatches(ctx, f.Decider, a1.ID)
			if err != nil || len(matches) != 1 {
				t.Fatalf("denial matches = %+v, %v", matches, err)
			}
			if err := s.AnswerDenialMatch(ctx, f.Decider, a1.ID, matches[0].Denial.ID, "The appeal supplied new end-user assurances that the later refusal did not have."); err != nil {
				t.Fatal(err)
			}
			app, err = s.Decide(ctx, f.Decider, a1.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "Issued on appeal"})
			if err != nil || app.LicenceID == 0 {
				t.Fatalf("decide appeal: %v", err)
			}
			now = now.Add(2 * 24 * time.Hour)
			_, err = s.Transition(ctx, f.Exporter, a2.ID, exportctl.ActAppeal, "late")
			mustCode(t, err, exportctl.EConflict)
		})
	}
}

func TestAccounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		actor, err := s.TokenActor(ctx, f.Tokens["exporter1"])
		if err != nil || actor.Username != "exporter1" || actor.OrgID != f.Org.ID {
			t.Fatalf("token actor = %+v, %v", actor, err)
		}
		_, err = s.TokenActor(ctx, "ectl_nope")
		mustCode(t, err, exportctl.EUnauthorized)
		_, err = s.Login(ctx, "exporter1", "wrong password")
		mustCode(t, err, exportctl.EUnauthorized)
		_, err = s.Login(ctx, "nobody", "correct horse battery")
		mustCode(t, err, exportctl.EUnauthorized)
		sess, err := s.Login(ctx, "exporter1", "correct horse battery")
		if err != nil {
			t.Fatal(err)
		}
		a, got, err := s.SessionActor(ctx, sess.Token)
		if err != nil || a.UserID != f.Exporter.UserID || got.CSRF != sess.CSRF {
			t.Fatalf("session = %+v %+v %v", a, got, err)
		}
		if err := s.Logout(ctx, sess.Token); err != nil {
			t.Fatal(err)
		}
		_, _, err = s.SessionActor(ctx, sess.Token)
		mustCode(t, err, exportctl.EUnauthorized)
		// Only hashes are stored.
		var n int
		s.DB().QueryRow(`SELECT COUNT(*) FROM api_tokens WHERE token_hash = $1`, f.Tokens["exporter1"]).Scan(&n)
		if n != 0 {
			t.Error("a token is stored in clear")
		}
		// Disabling a user stops its token.
		if err := s.SetUserDisabled(ctx, f.Admin, f.Exporter.UserID, true); err != nil {
			t.Fatal(err)
		}
		_, err = s.TokenActor(ctx, f.Tokens["exporter1"])
		mustCode(t, err, exportctl.EUnauthorized)
		// Roles and duplicates.
		_, _, err = s.CreateUser(ctx, f.Officer, exportctl.UserInput{Username: "x1", Role: exportctl.RoleAdmin})
		mustCode(t, err, exportctl.EForbidden)
		_, _, err = s.CreateUser(ctx, f.Admin, exportctl.UserInput{Username: "officer1", Role: exportctl.RoleCaseOfficer})
		mustCode(t, err, exportctl.EConflict)
		_, _, err = s.CreateUser(ctx, f.Admin, exportctl.UserInput{Username: "adv", Role: exportctl.RoleAdviser})
		if exportctl.ErrorField(err) != "team" {
			t.Errorf("adviser without team: %v", err)
		}
		_, _, err = s.CreateUser(ctx, f.Admin, exportctl.UserInput{Username: "exp3", Role: exportctl.RoleExporter})
		if exportctl.ErrorField(err) != "org" {
			t.Errorf("exporter without org: %v", err)
		}
		users, err := s.Users(ctx, f.Admin)
		if err != nil || len(users) != 9 {
			t.Errorf("users = %d, %v", len(users), err)
		}
	})
}

func TestRealPasswordParameters(t *testing.T) {
	s := storetest.Open(t, "sqlite", nil)
	s.PasswordParams = store.DefaultArgonParams
	if _, _, err := s.CreateUser(ctx, exportctl.System, exportctl.UserInput{Username: "alice", Role: exportctl.RoleOversight, Password: "a long passphrase"}); err != nil {
		t.Fatal(err)
	}
	var h string
	s.DB().QueryRow(`SELECT password_hash FROM users WHERE username = 'alice'`).Scan(&h)
	if !strings.HasPrefix(h, "$argon2id$v=19$m=65536,t=3,p=2$") {
		t.Errorf("hash = %s", h)
	}
	if _, err := s.Login(ctx, "alice", "a long passphrase"); err != nil {
		t.Fatal(err)
	}
}

func TestPaging(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		for range 7 {
			if _, err := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication()); err != nil {
				t.Fatal(err)
			}
		}
		seen := map[int64]bool{}
		cursor := ""
		for pages := 0; ; pages++ {
			p, err := s.Applications(ctx, f.Exporter, exportctl.ApplicationFilter{Limit: 3, Cursor: cursor, Destination: "il"})
			if err != nil {
				t.Fatal(err)
			}
			if p.Total != 7 {
				t.Fatalf("total = %d", p.Total)
			}
			for _, it := range p.Items {
				if seen[it.ID] {
					t.Fatalf("id %d twice", it.ID)
				}
				seen[it.ID] = true
			}
			if p.Next == nil {
				break
			}
			cursor = *p.Next
		}
		if len(seen) != 7 {
			t.Errorf("paged through %d of 7", len(seen))
		}
		_, err := s.Applications(ctx, f.Exporter, exportctl.ApplicationFilter{Cursor: "abc"})
		if exportctl.ErrorField(err) != "cursor" {
			t.Errorf("bad cursor: %v", err)
		}
		counts, err := s.StatusCounts(ctx, f.Exporter)
		if err != nil || counts[exportctl.StatusDraft] != 7 {
			t.Errorf("counts = %v, %v", counts, err)
		}
	})
}

func TestRatingsDictionary(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		rs, err := s.Ratings(ctx)
		if err != nil || len(rs) != 22 || rs[0].Code != "ML1" || rs[1].Code != "ML2" || rs[21].Code != "ML22" {
			t.Fatalf("shipped ratings = %d %v", len(rs), err)
		}
		in := []exportctl.Rating{{Code: "ML10", Military: true, Title: "Aircraft", Source: "test"}, {Code: "5A002", Title: "Information security", Source: "test"}}
		added, updated, err := s.ImportRatings(ctx, f.Admin, in)
		if err != nil || added != 2 || updated != 0 {
			t.Fatalf("import = %d %d %v", added, updated, err)
		}
		added, updated, err = s.ImportRatings(ctx, f.Admin, in)
		if err != nil || added != 0 || updated != 0 {
			t.Fatalf("re-import = %d %d %v", added, updated, err)
		}
		_, _, err = s.ImportRatings(ctx, f.Officer, in)
		mustCode(t, err, exportctl.EForbidden)
	})
}
