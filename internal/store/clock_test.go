package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
	"github.com/exportctl/exportctl/internal/workdays"
)

// clockWorld is a store on a fixed, movable clock with the standard fixture.
type clockWorld struct {
	t   *testing.T
	s   *store.Store
	f   *storetest.Fixture
	now time.Time
	loc *time.Location
	// adviser gives the advice a case needs before a decision.
	adviser exportctl.Actor
}

func newClockWorld(t *testing.T, engine string) *clockWorld {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	w := &clockWorld{t: t, loc: loc, now: time.Date(2026, 1, 1, 9, 0, 0, 0, loc)}
	w.s = storetest.Open(t, engine, func() time.Time { return w.now })
	w.f = storetest.NewFixture(t, w.s)
	u, _, err := w.s.CreateUser(context.Background(), exportctl.Actor{Username: "system", Role: exportctl.RoleAdmin},
		exportctl.UserInput{Username: "clock-adviser", Role: exportctl.RoleAdviser, Team: "FCDO", Password: "correct horse battery"})
	if err != nil {
		t.Fatal(err)
	}
	w.adviser = exportctl.ActorOf(*u)
	return w
}

// at moves the store's clock to a time in the UK.
func (w *clockWorld) at(y int, m time.Month, d, hh, mm int) time.Time {
	w.now = time.Date(y, m, d, hh, mm, 0, 0, w.loc)
	return w.now
}

func (w *clockWorld) newCase(licenceType string) int64 {
	w.t.Helper()
	in := storetest.SampleApplication()
	in.LicenceType = licenceType
	app, err := w.s.CreateApplication(context.Background(), w.f.Exporter, in)
	if err != nil {
		w.t.Fatal(err)
	}
	return app.ID
}

func (w *clockWorld) move(a exportctl.Actor, id int64, action, note string) {
	w.t.Helper()
	if _, err := w.s.Transition(context.Background(), a, id, action, note); err != nil {
		w.t.Fatalf("%s case %d: %v", action, id, err)
	}
}

// decideCase issues a licence on the case: the decision maker decides
// once the case is awaiting a decision.
func (w *clockWorld) decideCase(id int64) {
	w.t.Helper()
	w.decideAs(id, exportctl.DecisionInput{Outcome: exportctl.OutcomeIssued, Reasons: "No clear risk."})
}

func (w *clockWorld) decideAs(id int64, in exportctl.DecisionInput) {
	w.t.Helper()
	w.toDecision(id)
	if _, err := w.s.Decide(context.Background(), w.f.Decider, id, in); err != nil {
		w.t.Fatalf("decide case %d: %v", id, err)
	}
}

// toDecision drives a submitted case to awaiting decision at the current
// time; the clock does not depend on these steps, only submit, return,
// decide and withdraw move it.
func (w *clockWorld) toDecision(id int64) {
	w.t.Helper()
	storetest.ToCountersigning(w.t, w.s, w.f, id, storetest.FinalAssessment(w.s.Now().UTC().Format(time.DateOnly)),
		exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendIssue, Reasons: "Issue."})
	storetest.Countersign(w.t, w.s, w.f, id)
}

func (w *clockWorld) clock(id int64) *exportctl.ServiceClock {
	w.t.Helper()
	c, err := w.s.Clock(context.Background(), w.f.Officer, id)
	if err != nil {
		w.t.Fatalf("clock of case %d: %v", id, err)
	}
	return c
}

func wantClock(t *testing.T, what string, c *exportctl.ServiceClock, state string, days int) {
	t.Helper()
	if c.State != state || c.WorkingDays != days {
		t.Errorf("%s: state %s, %d working days; want %s, %d", what, c.State, c.WorkingDays, state, days)
	}
	if c.Running != (state == exportctl.ClockRunning) || c.Paused != (state == exportctl.ClockPaused) {
		t.Errorf("%s: running %v, paused %v in state %s", what, c.Running, c.Paused, c.State)
	}
	if c.DaysTo20 != 20-days || c.DaysTo60 != 60-days {
		t.Errorf("%s: days to targets %d, %d; want %d, %d", what, c.DaysTo20, c.DaysTo60, 20-days, 60-days)
	}
}

func wantMet(t *testing.T, what string, got *bool, want string) {
	t.Helper()
	s := "nil"
	if got != nil && *got {
		s = "true"
	} else if got != nil {
		s = "false"
	}
	if s != want {
		t.Errorf("%s: %s, want %s", what, s, want)
	}
}

func TestClock(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newClockWorld(t, engine)
			ctx := context.Background()
			ex, off := w.f.Exporter, w.f.Officer

			// A draft has a clock that has not started.
			draft := w.newCase("SIEL")
			c, err := w.s.Clock(ctx, ex, draft)
			if err != nil {
				t.Fatal(err)
			}
			wantClock(t, "draft", c, exportctl.ClockNotStarted, 0)
			if c.SubmittedAt != nil || c.Calendar != "england-and-wales" || c.Pauses == nil {
				t.Errorf("draft clock %+v", c)
			}

			// Submitted Monday 2 March 10:00, decided Friday 6 March: Tuesday
			// to Friday, 4 working days.
			a := w.newCase("SIEL")
			w.at(2026, 3, 2, 10, 0)
			w.move(ex, a, exportctl.ActSubmit, "")
			w.at(2026, 3, 6, 15, 0)
			w.decideCase(a)
			c = w.clock(a)
			wantClock(t, "decided in a week", c, exportctl.ClockDecided, 4)
			wantMet(t, "decided in a week, 20 days", c.Target20Met, "true")
			wantMet(t, "decided in a week, 60 days", c.Target60Met, "true")
			if c.SubmittedAt == nil || !c.SubmittedAt.Equal(time.Date(2026, 3, 2, 10, 0, 0, 0, w.loc)) ||
				c.DecidedAt == nil || !c.DecidedAt.Equal(w.now) || c.StoppedAt == nil || c.Reference == "" || c.ApplicationID != a {
				t.Errorf("decided clock %+v", c)
			}
			w.at(2026, 6, 1, 9, 0) // time passing after the decision changes nothing
			wantClock(t, "decided, months later", w.clock(a), exportctl.ClockDecided, 4)

			// Returned on Monday 9 March (5 days charged), resubmitted on
			// Monday 16 March: Tuesday 10 to Monday 16 are not charged.
			b := w.newCase("SIEL")
			w.at(2026, 3, 2, 10, 0)
			w.move(ex, b, exportctl.ActSubmit, "")
			w.at(2026, 3, 9, 10, 0)
			w.move(off, b, exportctl.ActReturn, "query")
			w.at(2026, 3, 11, 12, 0)
			c = w.clock(b)
			wantClock(t, "with the exporter", c, exportctl.ClockPaused, 5)
			wantMet(t, "with the exporter, 20 days", c.Target20Met, "nil")
			if len(c.Pauses) != 1 || c.Pauses[0].To != nil || c.Pauses[0].Reason != "query" ||
				!c.Pauses[0].From.Equal(time.Date(2026, 3, 9, 10, 0, 0, 0, w.loc)) {
				t.Errorf("open pause %+v", c.Pauses)
			}
			w.at(2026, 3, 16, 10, 0)
			w.move(ex, b, exportctl.ActSubmit, "")
			w.at(2026, 3, 18, 9, 0)
			c = w.clock(b)
			wantClock(t, "resubmitted", c, exportctl.ClockRunning, 7)
			if len(c.Pauses) != 1 || c.Pauses[0].To == nil || !c.Pauses[0].To.Equal(time.Date(2026, 3, 16, 10, 0, 0, 0, w.loc)) {
				t.Errorf("closed pause %+v", c.Pauses)
			}
			if !c.SubmittedAt.Equal(time.Date(2026, 3, 2, 10, 0, 0, 0, w.loc)) {
				t.Errorf("resubmission moved the start of the clock to %v", c.SubmittedAt)
			}
			w.at(2026, 3, 20, 16, 0)
			w.decideCase(b)
			wantClock(t, "decided after a query", w.clock(b), exportctl.ClockDecided, 9) // 14 less 5 paused

			// Still running: counts up to now.
			d := w.newCase("SIEL")
			w.at(2026, 3, 2, 10, 0)
			w.move(ex, d, exportctl.ActSubmit, "")
			w.at(2026, 3, 12, 9, 0)
			c = w.clock(d)
			wantClock(t, "running", c, exportctl.ClockRunning, 8)
			wantMet(t, "running, 20 days", c.Target20Met, "nil")
			wantMet(t, "running, 60 days", c.Target60Met, "nil")
			w.at(2026, 3, 16, 11, 0)
			w.decideCase(d) // 10 working days

			// Over 20 working days: the target is missed while still running.
			over := w.newCase("SIEL")
			w.at(2026, 1, 5, 10, 0)
			w.move(ex, over, exportctl.ActSubmit, "")
			w.at(2026, 2, 5, 12, 0)
			c = w.clock(over)
			wantClock(t, "running over 20 days", c, exportctl.ClockRunning, 23)
			wantMet(t, "running over 20 days, 20", c.Target20Met, "false")
			wantMet(t, "running over 20 days, 60", c.Target60Met, "nil")
			w.decideCase(over)
			c = w.clock(over)
			wantClock(t, "decided in 23 days", c, exportctl.ClockDecided, 23)
			wantMet(t, "decided in 23 days, 20", c.Target20Met, "false")
			wantMet(t, "decided in 23 days, 60", c.Target60Met, "true")

			// Easter 2026: Good Friday 3 April and Easter Monday 6 April are
			// not working days in England and Wales. Wednesday 1 to Wednesday
			// 8 April charges Thursday 2, Tuesday 7 and Wednesday 8.
			easter := w.newCase("SIEL")
			w.at(2026, 4, 1, 10, 0)
			w.move(ex, easter, exportctl.ActSubmit, "")
			w.at(2026, 4, 8, 10, 0)
			w.decideCase(easter)
			wantClock(t, "over Easter", w.clock(easter), exportctl.ClockDecided, 3)
			// Scotland has no Easter Monday holiday: a configurable calendar.
			w.s.SetCalendar(workdays.Scotland())
			if c := w.clock(easter); c.WorkingDays != 4 || c.Calendar != "scotland" {
				t.Errorf("over Easter in Scotland: %d working days, calendar %s; want 4, scotland", c.WorkingDays, c.Calendar)
			}
			w.s.SetCalendar(nil)
			if c := w.clock(easter); c.WorkingDays != 3 || c.Calendar != "england-and-wales" {
				t.Errorf("calendar not restored: %d, %s", c.WorkingDays, c.Calendar)
			}

			// The clock measures the first decision: an appeal and the
			// decision on it do not restart or extend it.
			refused := w.newCase("SIEL")
			w.at(2026, 5, 5, 10, 0)
			w.move(ex, refused, exportctl.ActSubmit, "")
			w.at(2026, 5, 7, 10, 0)
			w.decideAs(refused, exportctl.DecisionInput{Outcome: exportctl.OutcomeRefused, Criteria: []string{"2c"}, Reasons: "clear risk"})
			w.at(2026, 5, 8, 10, 0)
			w.move(ex, refused, exportctl.ActAppeal, "new assurances")
			w.at(2026, 5, 20, 10, 0)
			if _, err := w.s.Decide(ctx, w.f.Decider, refused, exportctl.DecisionInput{Outcome: exportctl.OutcomeIssued, Reasons: "issued on appeal"}); err != nil {
				t.Fatal(err)
			}
			c = w.clock(refused)
			wantClock(t, "appealed", c, exportctl.ClockDecided, 2)
			if !c.DecidedAt.Equal(time.Date(2026, 5, 7, 10, 0, 0, 0, w.loc)) {
				t.Errorf("appealed: decided at %v, want the first decision", c.DecidedAt)
			}

			// Withdrawn: stopped, no decision, targets not met nor missed.
			gone := w.newCase("SIEL")
			w.at(2026, 3, 2, 10, 0)
			w.move(ex, gone, exportctl.ActSubmit, "")
			w.at(2026, 3, 4, 10, 0)
			w.move(ex, gone, exportctl.ActWithdraw, "")
			w.at(2026, 3, 30, 10, 0)
			c = w.clock(gone)
			wantClock(t, "withdrawn", c, exportctl.ClockWithdrawn, 2)
			wantMet(t, "withdrawn, 20", c.Target20Met, "nil")
			if c.DecidedAt != nil || c.StoppedAt == nil {
				t.Errorf("withdrawn clock %+v", c)
			}

			// Visibility is the application's.
			_, err = w.s.Clock(ctx, w.f.OtherExporter, a)
			clockCode(t, err, exportctl.ENotFound)
			_, err = w.s.Clock(ctx, off, draft)
			clockCode(t, err, exportctl.ENotFound)
			_, err = w.s.Clock(ctx, exportctl.Actor{}, a)
			clockCode(t, err, exportctl.EUnauthorized)
			if c, err := w.s.Clock(ctx, ex, a); err != nil || c.WorkingDays != 4 {
				t.Errorf("the owner's clock: %v %+v", err, c)
			}
		})
	}
}

func TestClockPerformance(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			w := newClockWorld(t, engine)
			ctx := context.Background()
			ex := w.f.Exporter
			decided := func(licenceType string, sy int, sm time.Month, sd int, dy int, dm time.Month, dd int) {
				t.Helper()
				id := w.newCase(licenceType)
				w.at(sy, sm, sd, 10, 0)
				w.move(ex, id, exportctl.ActSubmit, "")
				w.at(dy, dm, dd, 15, 0)
				w.decideCase(id)
			}
			// 2026 Q1, SIELs: 4, 9 (with a 5-day pause), 10 and 23 working days.
			decided("SIEL", 2026, 3, 2, 2026, 3, 6)
			b := w.newCase("SIEL")
			w.at(2026, 3, 2, 10, 0)
			w.move(ex, b, exportctl.ActSubmit, "")
			w.at(2026, 3, 9, 10, 0)
			w.move(w.f.Officer, b, exportctl.ActReturn, "query")
			w.at(2026, 3, 16, 10, 0)
			w.move(ex, b, exportctl.ActSubmit, "")
			w.at(2026, 3, 20, 16, 0)
			w.decideCase(b)
			decided("SIEL", 2026, 3, 2, 2026, 3, 16)
			decided("SIEL", 2026, 1, 5, 2026, 2, 5)
			// 2026 Q1, OIELs: 1 and 84 working days (submitted in 2025 Q4).
			decided("OIEL", 2026, 2, 2, 2026, 2, 3)
			decided("OIEL", 2025, 10, 1, 2026, 1, 30)
			// 2026 Q2: one SIEL over Easter, 3 working days.
			decided("SIEL", 2026, 4, 1, 2026, 4, 8)
			// Not decided: running, withdrawn, decided in 2025 Q4.
			running := w.newCase("SIEL")
			w.at(2026, 6, 29, 10, 0)
			w.move(ex, running, exportctl.ActSubmit, "")
			gone := w.newCase("SIEL")
			w.move(ex, gone, exportctl.ActSubmit, "")
			w.move(ex, gone, exportctl.ActWithdraw, "")
			decided("SIEL", 2025, 11, 3, 2025, 11, 5)

			w.at(2026, 7, 1, 9, 0)
			from := time.Date(2026, 1, 1, 0, 0, 0, 0, w.loc)
			to := time.Date(2027, 1, 1, 0, 0, 0, 0, w.loc)
			got, err := w.s.Performance(ctx, w.f.Officer, "SIEL", from, to)
			if err != nil {
				t.Fatal(err)
			}
			want := []exportctl.QuarterPerformance{
				{Quarter: "2026 Q1", Decided: 4, Within20: 3, Within60: 4, Share20: 0.75, Share60: 1, MedianDays: 9.5},
				{Quarter: "2026 Q2", Decided: 1, Within20: 1, Within60: 1, Share20: 1, Share60: 1, MedianDays: 3},
			}
			wantQuarters(t, "SIELs in 2026", got, want)

			got, err = w.s.Performance(ctx, w.f.Senior, "", from, to)
			if err != nil {
				t.Fatal(err)
			}
			want = []exportctl.QuarterPerformance{
				{Quarter: "2026 Q1", Decided: 6, Within20: 4, Within60: 5, Share20: 4.0 / 6, Share60: 5.0 / 6, MedianDays: 9.5},
				{Quarter: "2026 Q2", Decided: 1, Within20: 1, Within60: 1, Share20: 1, Share60: 1, MedianDays: 3},
			}
			wantQuarters(t, "all types in 2026", got, want)

			got, err = w.s.Performance(ctx, w.f.Decider, "oiel", from, time.Date(2026, 4, 1, 0, 0, 0, 0, w.loc))
			if err != nil {
				t.Fatal(err)
			}
			wantQuarters(t, "OIELs in 2026 Q1", got, []exportctl.QuarterPerformance{
				{Quarter: "2026 Q1", Decided: 2, Within20: 1, Within60: 1, Share20: 0.5, Share60: 0.5, MedianDays: 42.5},
			})

			// The default window is the current quarter and the seven before.
			got, err = w.s.Performance(ctx, w.f.Admin, "SIEL", time.Time{}, time.Time{})
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != 3 || got[0].Quarter != "2025 Q4" || got[1].Quarter != "2026 Q1" || got[2].Quarter != "2026 Q2" {
				t.Errorf("default window: %+v", got)
			}
			w.at(2028, 1, 15, 9, 0) // 2026 Q1 is now nine quarters back
			got, err = w.s.Performance(ctx, w.f.Admin, "SIEL", time.Time{}, time.Time{})
			if err != nil || len(got) != 1 || got[0].Quarter != "2026 Q2" {
				t.Errorf("default window in 2028 Q1: %v %+v", err, got)
			}

			got, err = w.s.Performance(ctx, w.f.Officer, "SITL", from, to)
			if err != nil || len(got) != 0 || got == nil {
				t.Errorf("no decisions: %v %#v", err, got)
			}
			_, err = w.s.Performance(ctx, ex, "", from, to)
			clockCode(t, err, exportctl.EForbidden)
			_, err = w.s.Performance(ctx, exportctl.Actor{}, "", from, to)
			clockCode(t, err, exportctl.EUnauthorized)
			_, err = w.s.Performance(ctx, w.f.Officer, "XYZ", from, to)
			clockCode(t, err, exportctl.EInvalid)
			_, err = w.s.Performance(ctx, w.f.Officer, "", to, from)
			clockCode(t, err, exportctl.EInvalid)
		})
	}
}

func wantQuarters(t *testing.T, what string, got, want []exportctl.QuarterPerformance) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %+v, want %+v", what, got, want)
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Quarter != w.Quarter || g.Decided != w.Decided || g.Within20 != w.Within20 || g.Within60 != w.Within60 ||
			!near(g.Share20, w.Share20) || !near(g.Share60, w.Share60) || !near(g.MedianDays, w.MedianDays) {
			t.Errorf("%s, row %d: %+v, want %+v", what, i, g, w)
		}
	}
}

func near(a, b float64) bool { return a-b < 1e-9 && b-a < 1e-9 }

func clockCode(t *testing.T, err error, code string) {
	t.Helper()
	if got := exportctl.ErrorCode(err); got != code {
		t.Errorf("error code = %q (%v), want %q", got, err, code)
	}
}
