package store_test

import (
	"bytes"
	"encoding/hex"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/concern"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// concernWorld is a store on an injected clock with the licensing
// fixture, the concerns staff and one submitted case.
type concernWorld struct {
	s     *store.Store
	f     *storetest.Fixture
	staff *storetest.ConcernStaff
	now   *time.Time
	appID int64
}

func newConcernWorld(t *testing.T, engine string) *concernWorld {
	t.Helper()
	now := time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC)
	w := &concernWorld{now: &now}
	w.s = storetest.Open(t, engine, func() time.Time { return *w.now })
	w.f = storetest.NewFixture(t, w.s)
	w.staff = storetest.NewConcernStaff(t, w.s)
	w.appID = submitted(t, w.s, w.f).ID
	return w
}

func (w *concernWorld) advance(d time.Duration) { *w.now = w.now.Add(d) }

func (w *concernWorld) submit(t *testing.T, in exportctl.ConcernInput) *exportctl.ConcernReceipt {
	t.Helper()
	r, err := w.s.SubmitConcern(ctx, exportctl.Actor{}, in)
	if err != nil {
		t.Fatalf("submit: %v", err)
	}
	return r
}

func (w *concernWorld) concern(t *testing.T, a exportctl.Actor, id int64) *exportctl.Concern {
	t.Helper()
	c, err := w.s.Concern(ctx, a, id)
	if err != nil {
		t.Fatalf("concern as %s: %v", a.Username, err)
	}
	return c
}

func (w *concernWorld) tick(t *testing.T) store.TickReport {
	t.Helper()
	rep, err := w.s.Tick(ctx, *w.now)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestConcernClocksEscalate(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newConcernWorld(t, engine)
			r := w.submit(t, storetest.SampleConcern(w.appID))
			received := *w.now
			c := w.concern(t, w.staff.Oversight, r.ID)
			if c.Level != exportctl.LevelHandler || c.Handler != "Hana Handler" || !c.AckDue.Equal(received.AddDate(0, 0, 7)) ||
				!c.ResponseDue.Equal(received.AddDate(0, 0, 7).AddDate(0, 3, 0)) {
				t.Fatalf("new concern: level %s handler %q ack due %v response due %v", c.Level, c.Handler, c.AckDue, c.ResponseDue)
			}
			// Day 7, one minute before the deadline: nothing happens.
			w.advance(7*24*time.Hour - time.Minute)
			if rep := w.tick(t); rep.ConcernEscalations != 0 {
				t.Fatalf("escalated before the acknowledgement deadline: %+v", rep)
			}
			w.advance(2 * time.Minute)
			if rep := w.tick(t); rep.ConcernEscalations != 1 {
				t.Fatalf("acknowledgement missed: %+v", rep)
			}
			if rep := w.tick(t); rep.ConcernEscalations != 0 {
				t.Fatalf("one missed deadline escalates once: %+v", rep)
			}
			c = w.concern(t, w.staff.Oversight, r.ID)
			if c.Level != exportctl.LevelNominatedOfficer || !c.AckMissed || c.Escalations != 1 {
				t.Fatalf("after the missed acknowledgement: %+v", c)
			}
			// The handler no longer holds it; the nominated officer does.
			if err := w.s.AcknowledgeConcern(ctx, w.staff.Handler, r.ID, ""); exportctl.ErrorCode(err) != exportctl.EForbidden {
				t.Fatalf("handler acknowledging an escalated concern: %v", err)
			}
			if err := w.s.AcknowledgeConcern(ctx, w.staff.Nominated, r.ID, "We have your report and the nominated officer is handling it."); err != nil {
				t.Fatal(err)
			}
			ackAt := *w.now
			c = w.concern(t, w.staff.Oversight, r.ID)
			// A late acknowledgement does not extend the three months (Art. 9(1)(f)).
			if want := received.AddDate(0, 0, 7).AddDate(0, 3, 0); !c.ResponseDue.Equal(want) || ackAt.Before(received.AddDate(0, 0, 7)) {
				t.Fatalf("response due %v, want %v", c.ResponseDue, want)
			}
			*w.now = c.ResponseDue.Add(-time.Hour)
			if rep := w.tick(t); rep.ConcernEscalations != 0 {
				t.Fatalf("escalated before the response deadline: %+v", rep)
			}
			*w.now = c.ResponseDue.Add(time.Hour)
			if rep := w.tick(t); rep.ConcernEscalations != 1 {
				t.Fatalf("response missed: %+v", rep)
			}
			c = w.concern(t, w.staff.Oversight, r.ID)
			if c.Level != exportctl.LevelOversight || !c.ResponseMissed || c.Escalations != 2 {
				t.Fatalf("after the missed response: level %s missed %v escalations %d", c.Level, c.ResponseMissed, c.Escalations)
			}
			var kinds []string
			for _, e := range c.Events {
				kinds = append(kinds, e.Kind)
			}
			if got := strings.Join(kinds, ","); got != "received,assigned,escalated,acknowledged,escalated" {
				t.Errorf("record: %s", got)
			}
			// The oversight body now holds it and answers.
			if _, err := w.s.RespondToConcern(ctx, w.staff.Oversight, r.ID, storetest.SubstantiveResponse()); err != nil {
				t.Fatal(err)
			}
		})
	}
}

func TestConcernEarlyAcknowledgementStartsThreeMonths(t *testing.T) {
	w := newConcernWorld(t, "sqlite")
	r := w.submit(t, storetest.SampleConcern(w.appID))
	w.advance(2 * 24 * time.Hour)
	if err := w.s.AcknowledgeConcern(ctx, w.staff.Handler, r.ID, ""); err != nil {
		t.Fatal(err)
	}
	c := w.concern(t, w.staff.Handler, r.ID)
	if want := w.now.AddDate(0, 3, 0); !c.ResponseDue.Equal(want) {
		t.Errorf("response due %v, want three months from the acknowledgement %v", c.ResponseDue, want)
	}
	if err := w.s.AcknowledgeConcern(ctx, w.staff.Handler, r.ID, ""); exportctl.ErrorCode(err) != exportctl.EConflict {
		t.Errorf("second acknowledgement: %v", err)
	}
}

func TestConcernRefusesNonSubstantiveResponses(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newConcernWorld(t, engine)
			r := w.submit(t, storetest.SampleConcern(w.appID))
			cases := []struct {
				name  string
				in    exportctl.ConcernResponseInput
				field string
				says  string
			}{
				{"empty", exportctl.ConcernResponseInput{}, "findings[0]", "state what was found about point 1"},
				{"boilerplate", exportctl.ConcernResponseInput{
					Findings: []string{"Thank you, we have noted your concerns.", "Thank you, we have noted your concerns."},
					Action:   "Noted.", Grounds: "We take all concerns seriously."}, "findings[0]", "is not a finding"},
				{"one point unanswered", func() exportctl.ConcernResponseInput {
					in := storetest.SubstantiveResponse()
					in.Findings = in.Findings[:1]
					return in
				}(), "findings[1]", "point 2"},
				{"no grounds", func() exportctl.ConcernResponseInput {
					in := storetest.SubstantiveResponse()
					in.Grounds = "  "
					return in
				}(), "grounds", "state the grounds"},
				{"action is filler", func() exportctl.ConcernResponseInput {
					in := storetest.SubstantiveResponse()
					in.Action = "This is under review."
					return in
				}(), "action", "does not say what was done"},
			}
			for _, tc := range cases {
				_, err := w.s.RespondToConcern(ctx, w.staff.Handler, r.ID, tc.in)
				if exportctl.ErrorCode(err) != exportctl.EInvalid || !strings.Contains(err.Error(), tc.says) {
					t.Errorf("%s: %v, want invalid saying %q", tc.name, err, tc.says)
					continue
				}
				if exportctl.ErrorField(err) != tc.field {
					t.Errorf("%s: field %q, want %q", tc.name, exportctl.ErrorField(err), tc.field)
				}
			}
			if c := w.concern(t, w.staff.Handler, r.ID); len(c.Responses) != 0 || c.Status != exportctl.ConcernReceived {
				t.Fatalf("a refused response left a trace: %+v", c.Responses)
			}
			resp, err := w.s.RespondToConcern(ctx, w.staff.Handler, r.ID, storetest.SubstantiveResponse())
			if err != nil {
				t.Fatal(err)
			}
			c := w.concern(t, w.staff.Handler, r.ID)
			if c.Status != exportctl.ConcernAnswered || c.AcknowledgedAt == nil || len(c.Responses) != 1 {
				t.Fatalf("after a response: %s %v %d", c.Status, c.AcknowledgedAt, len(c.Responses))
			}
			// Frozen: the database refuses edits; a correction is a new response.
			if _, err := w.s.DB().ExecContext(ctx, `UPDATE concern_responses SET author = 'someone else' WHERE id = $1`, resp.ID); err == nil {
				t.Error("a sent response could be edited")
			}
			if _, err := w.s.RespondToConcern(ctx, w.staff.Handler, r.ID, storetest.SubstantiveResponse()); exportctl.ErrorCode(err) != exportctl.EConflict {
				t.Errorf("a second response without naming the corrected one: %v", err)
			}
			fix := storetest.SubstantiveResponse()
			fix.Corrects = resp.ID
			fix.Findings[1] = "The case officer set the cut-off date; it was recorded in assessment version 2, not version 1, without reasons."
			if _, err := w.s.RespondToConcern(ctx, w.staff.Handler, r.ID, fix); err != nil {
				t.Fatalf("correction: %v", err)
			}
			c = w.concern(t, w.staff.Handler, r.ID)
			if len(c.Responses) != 2 || c.Responses[0].Findings[1] == c.Responses[1].Findings[1] || c.Responses[1].Corrects != resp.ID {
				t.Errorf("responses after a correction: %+v", c.Responses)
			}
		})
	}
}

func TestConcernConflictOfInterestExclusion(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newConcernWorld(t, engine)
			app := storetest.DriveToDecision(t, w.s, w.f, w.appID, exportctl.DecisionInput{Outcome: "issued", ValidUntil: "2027-12-31"})
			// officer1 wrote the assessment and final advice; the same person
			// also works as a concerns handler under another account (same name).
			mk := func(username, name string, role exportctl.Role) exportctl.Actor {
				u, _, err := w.s.CreateUser(ctx, storetest.System, exportctl.UserInput{Username: username, Name: name, Role: role})
				if err != nil {
					t.Fatal(err)
				}
				return exportctl.ActorOf(*u)
			}
			// Three handlers: the officer's second account has the fewest
			// concerns (none) and the lowest load, so only exclusion keeps it out.
			officerAsHandler := mk("officer1-concerns", w.f.Officer.Name, exportctl.RoleConcernsHandler)
			// Give the two ordinary handlers work so the officer's account would be picked first.
			for range 2 {
				w.submit(t, func() exportctl.ConcernInput { in := storetest.SampleConcern(0); in.ApplicationID = 0; return in }())
			}
			in := storetest.SampleConcern(0)
			in.ApplicationID = 0
			in.LicenceID = app.LicenceID
			r := w.submit(t, in)
			c := w.concern(t, w.staff.Oversight, r.ID)
			if c.HandlerID == officerAsHandler.UserID || c.HandlerID == 0 {
				t.Fatalf("assigned to %q (%d): the case officer's own account must be excluded", c.Handler, c.HandlerID)
			}
			// The decision maker may not read it under a handling account either.
			deciderAsOversight := mk("decider1-oversight", w.f.Decider.Name, exportctl.RoleOversight)
			_, err := w.s.Concern(ctx, deciderAsOversight, r.ID)
			if exportctl.ErrorCode(err) != exportctl.EForbidden || !strings.Contains(err.Error(), "decided the case") {
				t.Fatalf("decision maker reading the concern about their decision: %v", err)
			}
			// A declared conflict: the handler is excluded and the concern passes on.
			first := c.HandlerID
			holder := w.staff.Handler
			if first == w.staff.Handler2.UserID {
				holder = w.staff.Handler2
			}
			if err := w.s.DeclareConcernConflict(ctx, holder, r.ID, "I"); exportctl.ErrorField(err) != "reasons" {
				t.Fatalf("conflict without reasons: %v", err)
			}
			if err := w.s.DeclareConcernConflict(ctx, holder, r.ID, "My spouse works for the exporter named in this case."); err != nil {
				t.Fatal(err)
			}
			c = w.concern(t, w.staff.Oversight, r.ID)
			if c.HandlerID == first || c.HandlerID == officerAsHandler.UserID {
				t.Fatalf("after the declaration the concern is with %q", c.Handler)
			}
			if _, err := w.s.Concern(ctx, holder, r.ID); exportctl.ErrorCode(err) != exportctl.ENotFound {
				t.Errorf("the declarant still reads it: %v", err)
			}
			// The last impartial handler declares too: nobody is left, so the nominated officer holds it.
			other := w.staff.Handler
			if c.HandlerID == w.staff.Handler2.UserID {
				other = w.staff.Handler2
			}
			if err := w.s.DeclareConcernConflict(ctx, other, r.ID, "I advised the exporter in a previous job."); err != nil {
				t.Fatal(err)
			}
			c = w.concern(t, w.staff.Oversight, r.ID)
			if c.HandlerID != 0 || c.Level != exportctl.LevelNominatedOfficer {
				t.Errorf("no impartial handler left: handler %q level %s", c.Handler, c.Level)
			}
			// The only nominated officer declares too: the oversight body holds it at once.
			if err := w.s.DeclareConcernConflict(ctx, w.staff.Nominated, r.ID, "I sat on the licensing committee for this exporter."); err != nil {
				t.Fatal(err)
			}
			if c = w.concern(t, w.staff.Oversight, r.ID); c.Level != exportctl.LevelOversight {
				t.Errorf("no impartial nominated officer left: level %s", c.Level)
			}
		})
	}
}

func TestConcernReporterFlow(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newConcernWorld(t, engine)
			in := storetest.SampleConcern(w.appID)
			in.Identity = "Riley Reporter, riley@example.org"
			r := w.submit(t, in)
			if len(r.Code) != 34 {
				t.Fatalf("code %q", r.Code)
			}
			me := exportctl.ConcernReporter{Code: strings.ToLower(strings.ReplaceAll(r.Code, "-", " "))}
			if err := w.s.AddConcernInformation(ctx, me, "A fourth report was also excluded."); err != nil {
				t.Fatal(err)
			}
			if err := w.s.AcceptConcernResponse(ctx, me); exportctl.ErrorCode(err) != exportctl.EConflict {
				t.Errorf("accepting before any response: %v", err)
			}
			if err := w.s.CloseConcern(ctx, w.staff.Oversight, r.ID, "The matter is being handled by the courts instead."); exportctl.ErrorCode(err) != exportctl.EConflict {
				t.Errorf("closing an unanswered concern: %v", err)
			}
			if _, err := w.s.DB().ExecContext(ctx, `DELETE FROM concerns WHERE id = $1`, r.ID); err == nil {
				t.Fatal("an open concern could be deleted")
			}
			if _, err := w.s.RespondToConcern(ctx, w.staff.Handler, r.ID, storetest.SubstantiveResponse()); err != nil {
				t.Fatal(err)
			}
			if err := w.s.ContestConcernResponse(ctx, me, "The response does not say whether the decision will be reviewed."); err != nil {
				t.Fatal(err)
			}
			c := w.concern(t, w.staff.Oversight, r.ID)
			if c.Status != exportctl.ConcernContested || c.Level != exportctl.LevelNominatedOfficer || !c.ResponseDue.Equal(w.now.AddDate(0, 3, 0)) {
				t.Fatalf("contested: %s %s due %v", c.Status, c.Level, c.ResponseDue)
			}
			if _, err := w.s.DB().ExecContext(ctx, `DELETE FROM concerns WHERE id = $1`, r.ID); err == nil {
				t.Fatal("a contested concern could be deleted")
			}
			// Retaliation opens a protection case with its own 14-day clock.
			if err := w.s.FlagRetaliation(ctx, me, "My line manager moved me off the case team the day after I reported."); err != nil {
				t.Fatal(err)
			}
			w.advance(15 * 24 * time.Hour)
			if rep := w.tick(t); rep.ConcernEscalations != 1 {
				t.Fatalf("unanswered protection case: %+v", rep)
			}
			c = w.concern(t, w.staff.Oversight, r.ID)
			if len(c.Protection) != 1 || !c.Protection[0].Escalated || c.Level != exportctl.LevelOversight {
				t.Fatalf("protection: %+v level %s", c.Protection, c.Level)
			}
			if err := w.s.AnswerProtection(ctx, w.staff.Oversight, r.ID, c.Protection[0].ID, "The move was reversed and the manager's decision referred to HR."); err != nil {
				t.Fatal(err)
			}
			// A custodian reveals the identity with reasons; the reporter is told.
			if c.Identity != "" {
				t.Fatal("the identity was readable before a custodian's decision")
			}
			if _, err := w.s.RevealConcernIdentity(ctx, w.staff.Oversight, r.ID, "Needed to protect the reporter from further retaliation."); exportctl.ErrorCode(err) != exportctl.EForbidden {
				t.Errorf("oversight revealing: %v", err)
			}
			id, err := w.s.RevealConcernIdentity(ctx, w.staff.Custodian, r.ID, "Needed to protect the reporter from further retaliation.")
			if err != nil || id != "Riley Reporter, riley@example.org" {
				t.Fatalf("reveal: %q %v", id, err)
			}
			if c = w.concern(t, w.staff.Oversight, r.ID); c.Identity != id {
				t.Errorf("after the decision those handling see %q", c.Identity)
			}
			view, err := w.s.ReporterConcern(ctx, me)
			if err != nil {
				t.Fatal(err)
			}
			if len(view.ReporterNotices) != 1 || !strings.Contains(view.ReporterNotices[0], "further retaliation") || view.Identity != "" || view.Handler != "" {
				t.Errorf("reporter view: notices %q identity %q handler %q", view.ReporterNotices, view.Identity, view.Handler)
			}
			for _, e := range view.Events {
				if e.Kind == exportctl.EventAssigned || strings.Contains(e.Actor, "Hana") {
					t.Errorf("the reporter sees who handles it: %+v", e)
				}
			}
			if _, err := w.s.RespondToConcern(ctx, w.staff.Oversight, r.ID, storetest.SubstantiveResponse()); err != nil {
				t.Fatal(err)
			}
			if err := w.s.AcceptConcernResponse(ctx, me); err != nil {
				t.Fatal(err)
			}
			c = w.concern(t, w.staff.Oversight, r.ID)
			if c.Status != exportctl.ConcernClosed || c.ClosedAt == nil {
				t.Fatalf("accepted: %s", c.Status)
			}
			if err := w.s.AddConcernInformation(ctx, me, "More."); exportctl.ErrorCode(err) != exportctl.EConflict {
				t.Errorf("adding to a closed concern: %v", err)
			}
		})
	}
}

func TestConcernNamedReporterAndVisibility(t *testing.T) {
	w := newConcernWorld(t, "sqlite")
	in := storetest.SampleConcern(w.appID)
	in.Named = true
	r, err := w.s.SubmitConcern(ctx, w.f.Officer2, in)
	if err != nil {
		t.Fatal(err)
	}
	mine, err := w.s.MyConcerns(ctx, w.f.Officer2)
	if err != nil || len(mine) != 1 || mine[0].ID != r.ID {
		t.Fatalf("my concerns: %+v %v", mine, err)
	}
	if other, _ := w.s.MyConcerns(ctx, w.f.Officer); len(other) != 0 {
		t.Errorf("another user sees %d concerns", len(other))
	}
	if _, err := w.s.ReporterConcern(ctx, exportctl.ConcernReporter{Actor: w.f.Officer, ConcernID: r.ID}); exportctl.ErrorCode(err) != exportctl.ENotFound {
		t.Errorf("another user opening the concern: %v", err)
	}
	if _, err := w.s.ReporterConcern(ctx, exportctl.ConcernReporter{Actor: w.f.Officer2, ConcernID: r.ID}); err != nil {
		t.Errorf("the named reporter: %v", err)
	}
	var n int
	w.s.DB().QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_events WHERE subject_type = 'concern' AND actor_id IS NOT NULL`).Scan(&n)
	if n != 0 {
		t.Errorf("the audit trail names the reporter's account on %d events", n)
	}
	for _, a := range []exportctl.Actor{w.f.Exporter, w.f.Officer, w.f.Admin} {
		if _, err := w.s.Concern(ctx, a, r.ID); exportctl.ErrorCode(err) != exportctl.EForbidden {
			t.Errorf("%s reading a concern: %v", a.Username, err)
		}
	}
	if _, err := w.s.Concern(ctx, w.staff.Handler2, r.ID); exportctl.ErrorCode(err) != exportctl.ENotFound {
		t.Errorf("a handler not assigned: %v", err)
	}
	if _, err := w.s.Concern(ctx, w.staff.Nominated, r.ID); exportctl.ErrorCode(err) != exportctl.ENotFound {
		t.Errorf("the nominated officer before escalation: %v", err)
	}
	page, err := w.s.ConcernList(ctx, w.staff.Handler, exportctl.ConcernFilter{})
	if err != nil || page.Total != 1 {
		t.Fatalf("handler list: %+v %v", page, err)
	}
	if page, _ := w.s.ConcernList(ctx, w.staff.Handler2, exportctl.ConcernFilter{}); page.Total != 0 {
		t.Errorf("other handler list: %d", page.Total)
	}
}

// TestConcernDumpHoldsNoPlaintext greps the database's bytes (the SQLite
// files; pg_dump's output on PostgreSQL) for a test identity and content.
func TestConcernDumpHoldsNoPlaintext(t *testing.T) {
	const identity = "Quillon Zebedee-Marchbanks, quillon@example.org"
	const secret = "Vermilion-Otter-7731 diverted the end-user certificate"
	const evidence = "EVIDENCE-FILE-Kestrel-4402"
	const extra = "Amber-Lynx-5519 was present at the meeting"
	const answer = "Cobalt-Heron-2208 confirmed the diversion in writing"
	populate := func(t *testing.T, w *concernWorld) {
		in := storetest.SampleConcern(w.appID)
		in.Identity = identity
		in.Details = "The broker " + secret + "."
		in.Points[0] = "Did " + secret + "?"
		in.Files = []exportctl.ConcernFileInput{{Name: "minutes-" + evidence + ".txt", ContentType: "text/plain", Data: []byte(evidence + " minutes of the meeting")}}
		r := w.submit(t, in)
		me := exportctl.ConcernReporter{Code: r.Code}
		if err := w.s.AddConcernInformation(ctx, me, extra); err != nil {
			t.Fatal(err)
		}
		resp := storetest.SubstantiveResponse()
		resp.Findings[0] = "Yes: " + answer + "."
		if _, err := w.s.RespondToConcern(ctx, w.staff.Handler, r.ID, resp); err != nil {
			t.Fatal(err)
		}
		if err := w.s.ContestConcernResponse(ctx, me, extra+" again"); err != nil {
			t.Fatal(err)
		}
		if _, err := w.s.RevealConcernIdentity(ctx, w.staff.Custodian, r.ID, "Required by a court order in the judicial review."); err != nil {
			t.Fatal(err)
		}
		// The plaintext is really there to be found, opened by the server.
		c := w.concern(t, w.staff.Oversight, r.ID)
		if c.Identity != identity || !strings.Contains(c.Content.Details, secret) {
			t.Fatal("the test identity and content did not round-trip")
		}
		_, data, err := w.s.ConcernFile(ctx, w.staff.Oversight, r.ID, 1)
		if err != nil || !bytes.HasPrefix(data, []byte(evidence)) {
			t.Fatalf("evidence file: %q %v", data, err)
		}
	}
	needles := []string{identity, "Quillon", secret, "Vermilion-Otter", evidence, "Kestrel", extra, "Amber-Lynx", answer, "Cobalt-Heron"}
	check := func(t *testing.T, dump []byte, what string) {
		if len(dump) < 1000 {
			t.Fatalf("%s is only %d bytes: not a dump", what, len(dump))
		}
		for _, n := range needles {
			if bytes.Contains(dump, []byte(n)) {
				t.Errorf("%s holds the plaintext %q", what, n)
			}
		}
		if !bytes.Contains(dump, []byte("age-encryption.org/v1")) {
			t.Errorf("%s holds no age ciphertext: was anything stored?", what)
		}
	}
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		path := filepath.Join(dir, "concerns.db")
		now := time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC)
		w := &concernWorld{now: &now}
		s, err := store.Open(ctx, path, store.Options{Clock: func() time.Time { return *w.now }})
		if err != nil {
			t.Fatal(err)
		}
		s.PasswordParams = store.ArgonParams{Memory: 1024, Time: 1, Threads: 1}
		s.ReceiptParams = s.PasswordParams
		s.SetConcernKeys(storetest.ConcernKeys(t))
		w.s, w.f, w.staff = s, storetest.NewFixture(t, s), storetest.NewConcernStaff(t, s)
		w.appID = submitted(t, s, w.f).ID
		populate(t, w)
		s.Close()
		var all []byte
		files, _ := filepath.Glob(filepath.Join(dir, "concerns.db*")) // the database, its WAL and shared memory
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, b...)
		}
		check(t, all, "the SQLite files")
	})
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv(storetest.PostgresEnv) == "" {
			t.Skip("PostgreSQL not available: set " + storetest.PostgresEnv)
		}
		pgDump, err := exec.LookPath("pg_dump")
		if err != nil {
			matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_dump")
			if len(matches) == 0 {
				t.Skip("pg_dump not installed")
			}
			pgDump = matches[len(matches)-1]
		}
		dsn := storetest.DSN(t, "postgres")
		now := time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC)
		w := &concernWorld{now: &now}
		s, err := store.Open(ctx, dsn, store.Options{Clock: func() time.Time { return *w.now }})
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		s.PasswordParams = store.ArgonParams{Memory: 1024, Time: 1, Threads: 1}
		s.ReceiptParams = s.PasswordParams
		s.SetConcernKeys(storetest.ConcernKeys(t))
		w.s, w.f, w.staff = s, storetest.NewFixture(t, s), storetest.NewConcernStaff(t, s)
		w.appID = submitted(t, s, w.f).ID
		populate(t, w)
		u, _ := url.Parse(dsn)
		q := u.Query()
		schema := q.Get("search_path")
		q.Del("search_path")
		u.RawQuery = q.Encode()
		out, err := exec.CommandContext(ctx, pgDump, "--no-owner", "--schema="+schema, "--dbname="+u.String()).Output()
		if err != nil {
			t.Fatalf("pg_dump: %v", err)
		}
		if !bytes.Contains(out, []byte("concern_events")) {
			t.Fatal("the dump has no concerns tables")
		}
		check(t, decodeHexBytea(out), "pg_dump's output")
	})
}

// decodeHexBytea appends the decoded bytes of every \x... bytea literal in
// a pg_dump, so the check sees stored bytes as they are, not as hex.
func decodeHexBytea(dump []byte) []byte {
	out := bytes.Clone(dump)
	for _, field := range bytes.FieldsFunc(dump, func(r rune) bool { return r == '\t' || r == '\n' }) {
		if h, ok := bytes.CutPrefix(field, []byte(`\\x`)); ok {
			out = append(out, hexDecode(h)...)
		}
	}
	return out
}

func TestReceiptCodeBruteForceResistance(t *testing.T) {
	// The real parameters: Argon2id as for passwords (64 MiB, 3 passes), and
	// 100 secret bits. The cost per guess is measured by BenchmarkReceiptCodeCheck.
	if p := store.DefaultArgonParams; p.Memory < 64*1024 || p.Time < 3 {
		t.Errorf("receipt codes' Argon2id parameters are weaker than chosen: %+v", p)
	}
	if concern.SecretBits < 80 {
		t.Errorf("a receipt code's secret has %d bits", concern.SecretBits)
	}
	if s := storetest.Open(t, "sqlite", nil); s.ReceiptParams == (store.ArgonParams{}) {
		t.Error("no receipt parameters")
	}
	if s, err := store.Open(ctx, filepath.Join(t.TempDir(), "x.db"), store.Options{}); err != nil || s.ReceiptParams != store.DefaultArgonParams {
		t.Errorf("a store opens with receipt parameters %+v, want the defaults", s.ReceiptParams)
	} else {
		s.Close()
	}
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newConcernWorld(t, engine)
			r := w.submit(t, storetest.SampleConcern(w.appID))
			id, _, _ := concern.SplitCode(r.Code)
			_, _, wrongSecret := concern.NewCode()
			wrong := concern.FormatCode(id + wrongSecret)
			// Per code id: five wrong tries, then even the right code waits an hour.
			for i := range 5 {
				if _, err := w.s.ReporterConcern(ctx, exportctl.ConcernReporter{Code: wrong}); exportctl.ErrorCode(err) != exportctl.EUnauthorized {
					t.Fatalf("wrong code %d: %v", i, err)
				}
			}
			_, err := w.s.ReporterConcern(ctx, exportctl.ConcernReporter{Code: r.Code})
			if exportctl.ErrorCode(err) != exportctl.EUnauthorized || !strings.Contains(err.Error(), "wait an hour") {
				t.Fatalf("right code after five wrong ones: %v", err)
			}
			w.advance(61 * time.Minute)
			if _, err := w.s.ReporterConcern(ctx, exportctl.ConcernReporter{Code: r.Code}); err != nil {
				t.Fatalf("right code an hour later: %v", err)
			}
			// Across codes: sixty wrong codes a minute, then every check waits.
			for i := range 60 {
				code, _, _ := concern.NewCode()
				if _, err := w.s.ReporterConcern(ctx, exportctl.ConcernReporter{Code: code}); exportctl.ErrorCode(err) != exportctl.EUnauthorized {
					t.Fatalf("random code %d: %v", i, err)
				}
			}
			_, err = w.s.ReporterConcern(ctx, exportctl.ConcernReporter{Code: r.Code})
			if exportctl.ErrorCode(err) != exportctl.EUnauthorized || !strings.Contains(err.Error(), "last minute") {
				t.Fatalf("right code during a guessing run: %v", err)
			}
			w.advance(2 * time.Minute)
			if _, err := w.s.ReporterConcern(ctx, exportctl.ConcernReporter{Code: r.Code}); err != nil {
				t.Fatalf("right code after the run: %v", err)
			}
			if _, err := w.s.ReporterConcern(ctx, exportctl.ConcernReporter{Code: "not a code"}); exportctl.ErrorField(err) != "code" {
				t.Errorf("malformed code: %v", err)
			}
			// Nothing about who tried is kept: the failures table has only code ids and times.
			rows, err := w.s.DB().QueryContext(ctx, `SELECT * FROM concern_code_failures LIMIT 1`)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := rows.Columns()
			rows.Close()
			if strings.Join(cols, ",") != "id,code_id,at" {
				t.Errorf("concern_code_failures columns: %v", cols)
			}
		})
	}
}

func TestSignedReceiptVerifies(t *testing.T) {
	w := newConcernWorld(t, "sqlite")
	r := w.submit(t, storetest.SampleConcern(w.appID))
	key, err := w.s.ConcernReceiptKey(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got, err := concern.VerifyReceipt(key, []byte(r.Receipt), []byte(r.Content))
	if err != nil {
		t.Fatal(err)
	}
	if got.Reference != r.Reference || !got.SubmittedAt.Equal(*w.now) || got.ContentSHA256 != concern.ContentHash([]byte(r.Content)) {
		t.Errorf("receipt says %+v", got)
	}
	if _, err := concern.VerifyReceipt(key, []byte(r.Receipt), []byte(strings.Replace(r.Content, "hospitals", "schools", 1))); err == nil {
		t.Error("altered content verified")
	}
	forged := strings.Replace(r.Receipt, "submitted 2026", "submitted 2025", 1)
	if _, err := concern.VerifyReceipt(key, []byte(forged), nil); err == nil {
		t.Error("a receipt with an altered time verified")
	}
	text, _ := concern.Generate()
	other, _ := concern.Parse([]byte(text))
	if _, err := concern.VerifyReceipt(other.ReceiptVerifierKey(), []byte(r.Receipt), nil); err == nil {
		t.Error("a receipt verified with another key")
	}
}

func TestConcernStatisticsSuppressSmallNumbers(t *testing.T) {
	w := newConcernWorld(t, "sqlite")
	// Q1 2026: six concerns, five answered within days, one never; Q2: two.
	var ids []int64
	for range 6 {
		ids = append(ids, w.submit(t, storetest.SampleConcern(w.appID)).ID)
	}
	w.advance(3 * 24 * time.Hour)
	for _, id := range ids[:5] {
		c := w.concern(t, w.staff.Oversight, id)
		holder := w.staff.Handler
		if c.HandlerID == w.staff.Handler2.UserID {
			holder = w.staff.Handler2
		}
		if _, err := w.s.RespondToConcern(ctx, holder, id, storetest.SubstantiveResponse()); err != nil {
			t.Fatal(err)
		}
	}
	*w.now = time.Date(2026, 4, 20, 9, 0, 0, 0, time.UTC)
	w.tick(t)
	for range 2 {
		w.submit(t, storetest.SampleConcern(w.appID))
	}
	qs, err := w.s.ConcernStatistics(ctx, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC))
	if err != nil || len(qs) != 2 {
		t.Fatalf("%+v %v", qs, err)
	}
	q1, q2 := qs[0], qs[1]
	if q1.Quarter != "2026-Q1" || *q1.Received != 6 || *q1.AcknowledgedOnTime != 5 || *q1.AnsweredOnTime != 5 || q1.Escalated != nil || !q1.Suppressed {
		t.Errorf("Q1: %+v (escalated: one, withheld)", q1)
	}
	if q1.MedianDays == nil || *q1.MedianDays != 3 {
		t.Errorf("Q1 median: %v", q1.MedianDays)
	}
	if !q2.Suppressed || q2.Received != nil || q2.MedianDays != nil {
		t.Errorf("Q2 with two concerns publishes %+v", q2)
	}
}

func hexDecode(h []byte) []byte {
	out := make([]byte, hex.DecodedLen(len(h)))
	n, _ := hex.Decode(out, h)
	return out[:n]
}

// TestConcernAboutReviewExcludesItsAuthors: a concern about a review is
// never handled or read by whoever led or opened the review, under any of
// their accounts.
func TestConcernAboutReviewExcludesItsAuthors(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newConcernWorld(t, engine)
			storetest.DriveToDecision(t, w.s, w.f, w.appID, exportctl.DecisionInput{Outcome: "issued", ValidUntil: "2027-12-31"})
			today := w.s.Now().UTC()
			r, err := w.s.OpenReview(ctx, w.f.Officer, exportctl.ReviewInput{Destination: "IL", LeadID: w.f.Senior.UserID,
				TermsOfReference: "Reassess every extant licence for Israel.",
				EvidenceCutoff:   today.AddDate(0, 0, -1).Format(time.DateOnly), Deadline: today.AddDate(0, 1, 0).Format(time.DateOnly)})
			if err != nil {
				t.Fatal(err)
			}
			mk := func(username, name string, role exportctl.Role) exportctl.Actor {
				u, _, err := w.s.CreateUser(ctx, storetest.System, exportctl.UserInput{Username: username, Name: name, Role: role})
				if err != nil {
					t.Fatal(err)
				}
				return exportctl.ActorOf(*u)
			}
			// The opener also works as a concerns handler, and has the
			// lowest load: only the exclusion keeps the concern from them.
			for range 2 {
				w.submit(t, func() exportctl.ConcernInput { in := storetest.SampleConcern(0); in.ApplicationID = 0; return in }())
			}
			openerAsHandler := mk("officer1-concerns", w.f.Officer.Name, exportctl.RoleConcernsHandler)
			in := storetest.SampleConcern(0)
			in.ApplicationID = 0
			in.ReviewID = r.ID
			sub := w.submit(t, in)
			c := w.concern(t, w.staff.Oversight, sub.ID)
			if c.HandlerID == openerAsHandler.UserID || c.HandlerID == 0 {
				t.Fatalf("assigned to %q: the review's opener must be excluded", c.Handler)
			}
			leadAsOversight := mk("senior1-oversight", w.f.Senior.Name, exportctl.RoleOversight)
			if _, err := w.s.Concern(ctx, leadAsOversight, sub.ID); exportctl.ErrorCode(err) != exportctl.EForbidden || !strings.Contains(err.Error(), "leads the review") {
				t.Fatalf("the review's lead reading the concern about it: %v", err)
			}
		})
	}
}
