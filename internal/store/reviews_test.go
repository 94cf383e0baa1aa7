package store_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// testClock is a clock tests move by hand.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }

// eachAt runs fn on every engine with a store whose clock starts at start.
func eachAt(t *testing.T, start time.Time, fn func(t *testing.T, s *store.Store, clock *testClock)) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) {
			clock := &testClock{t: start}
			fn(t, storetest.Open(t, engine, clock.Now), clock)
		})
	}
}

// reviewWorld is a destination with licences and evidence: Israel operates
// F-16s (SIPRI); licences for F-16 components, F-35 components and
// food-testing chemicals to Israel, one for Saudi Arabia, and a revoked
// one; air strikes attributed to the Israeli Air Force after the licences
// were issued.
type reviewWorld struct {
	f                          *storetest.Fixture
	analyst                    exportctl.Actor
	f16, f35, food, saudi, old int64 // licence ids
}

func issue(t *testing.T, s *store.Store, f *storetest.Fixture, in exportctl.ApplicationInput) int64 {
	t.Helper()
	app, err := s.CreateApplication(ctx, f.Exporter, in)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
		t.Fatal(err)
	}
	return storetest.DriveToDecision(t, s, f, app.ID, exportctl.DecisionInput{Outcome: exportctl.OutcomeIssued, Reasons: "No clear risk."}).LicenceID
}

func newReviewWorld(t *testing.T, s *store.Store, clock *testClock) *reviewWorld {
	t.Helper()
	w := &reviewWorld{f: storetest.NewFixture(t, s), analyst: newAnalyst(t, s, "analyst1")}
	if _, err := s.ImportDeliveries(ctx, w.analyst, "sipri-test", []exportctl.Delivery{
		{SIPRIID: "T-1", Supplier: "US", Recipient: "IL", Designation: "F-16I", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 1999, DeliveryYear: 2004, Number: 102},
		{SIPRIID: "T-2", Supplier: "US", Recipient: "IL", Designation: "F-35A", Description: "FGA aircraft", Category: "Aircraft", OrderYear: 2010, DeliveryYear: 2019, Number: 13},
	}); err != nil {
		t.Fatal(err)
	}
	w.f16 = issue(t, s, w.f, storetest.SampleApplication())
	f35 := storetest.SampleApplication()
	f35.EndUse = "F-35 components for the global spares pool"
	f35.Goods = []exportctl.GoodInput{{Description: "F-35 rear fuselage assemblies", Rating: "ML10a", Quantity: 4, Unit: "item", ValueGBP: storetest.F64(2_000_000), ComponentOf: "F-35"}}
	w.f35 = issue(t, s, w.f, f35)
	food := storetest.SampleApplication()
	food.EndUse = "Food safety testing"
	food.Goods = []exportctl.GoodInput{{Description: "Food-testing reagents", Rating: "1C350", Quantity: 20, Unit: "kg", ValueGBP: storetest.F64(12_000)}}
	food.Parties[0] = exportctl.PartyInput{Role: "end_user", Name: "Ministry of Health food laboratory", Country: "IL", Type: "government"}
	w.food = issue(t, s, w.f, food)
	saudi := storetest.SampleApplication()
	saudi.Parties[0] = exportctl.PartyInput{Role: "end_user", Name: "Royal Saudi Air Force", Country: "SA", Type: "armed_forces"}
	saudi.Parties[1].Country = "SA"
	w.saudi = issue(t, s, w.f, saudi)
	w.old = issue(t, s, w.f, storetest.SampleApplication())
	if _, err := s.ChangeLicence(ctx, w.f.Officer, w.old, exportctl.ActRevoke, exportctl.LicenceActionInput{Reasons: "Revoked before the review."}); err != nil {
		t.Fatal(err)
	}
	// Air strikes a month after the licences, verified, attributed to the air force.
	clock.Set(clock.Now().AddDate(0, 1, 0))
	var incs []exportctl.Incident
	for i := range 6 {
		verification := exportctl.VerificationVerified
		if i == 5 {
			verification = exportctl.VerificationUnverified
		}
		incs = append(incs, exportctl.Incident{Sources: []exportctl.SourceID{{Source: "sind-health", ID: fmt.Sprintf("RV-%d", i)}},
			StartDate: clock.Now().AddDate(0, 0, -10+i).Format(time.DateOnly), DatePrecision: 1, Country: "PS", Admin1: "Gaza Strip",
			Target: exportctl.TargetHospital, Verification: verification,
			Actors:  []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Israel Defense Forces", Force: "Israeli Air Force", Country: "IL", Confidence: 0.9}},
			Weapons: []exportctl.IncidentWeapon{{Reported: "Aerial Bomb: Plane", Launch: exportctl.LaunchAirPlane}}})
	}
	importHand(t, s, w.analyst, "sind-health", incs...)
	return w
}

func openIsraelReview(t *testing.T, s *store.Store, w *reviewWorld) *exportctl.Review {
	t.Helper()
	today := s.Now().UTC()
	r, err := s.OpenReview(ctx, w.f.Senior, exportctl.ReviewInput{Destination: "IL", LeadID: w.f.Officer.UserID,
		TermsOfReference: "Which extant licences for Israel could be used in Gaza, and what to do about them.",
		EvidenceCutoff:   today.AddDate(0, 0, -1).Format(time.DateOnly), Deadline: today.AddDate(0, 2, 0).Format(time.DateOnly),
		Milestones: []exportctl.MilestoneInput{{Name: "Evidence gathered", Due: today.AddDate(0, 0, 14).Format(time.DateOnly)}}})
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func scopeIDs(r *exportctl.Review) []int64 {
	var ids []int64
	for _, l := range r.Licences {
		ids = append(ids, l.LicenceID)
	}
	return ids
}

func countRows(t *testing.T, s *store.Store, table string) int {
	t.Helper()
	var n int
	if err := s.DB().QueryRow(`SELECT COUNT(*) FROM ` + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestReviewLifecycle(t *testing.T) {
	eachAt(t, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), func(t *testing.T, s *store.Store, clock *testClock) {
		w := newReviewWorld(t, s, clock)
		f := w.f
		r := openIsraelReview(t, s, w)

		t.Run("scope and pre-fill", func(t *testing.T) {
			if got, want := scopeIDs(r), []int64{w.f16, w.f35, w.food}; !slices.Equal(got, want) {
				t.Fatalf("scope %v, want %v (extant licences for Israel only)", got, want)
			}
			if r.Status != exportctl.ReviewOpen || !strings.HasPrefix(r.Reference, "REV/2026/") || r.Lead != "officer1" || len(r.Milestones) != 1 {
				t.Errorf("opened %+v", r)
			}
			res, err := s.Exposure(ctx, f.Senior, exportctl.ExposureQuery{Destination: "IL"})
			if err != nil {
				t.Fatal(err)
			}
			want := map[int64]exportctl.ExposureSummary{}
			for _, l := range res.Licences {
				want[l.LicenceID] = l.ExposureSummary
			}
			for _, l := range r.Licences {
				if l.Exposure != want[l.LicenceID] {
					t.Errorf("licence %s pre-filled %+v, exposure says %+v", l.Reference, l.Exposure, want[l.LicenceID])
				}
			}
			if e := r.Licences[0].Exposure; e.Links() == 0 || e.Strongest == "" {
				t.Errorf("F-16 components have no links to air strikes: %+v", e)
			}
			if e := r.Licences[2].Exposure; e.Links() != 0 {
				t.Errorf("food-testing reagents linked: %+v", e)
			}
			if !slices.Equal(r.Licences[0].Ratings, []string{"ML10", "ML22"}) || !slices.Equal(r.Licences[2].Ratings, []string{"1C350"}) {
				t.Errorf("ratings %v %v", r.Licences[0].Ratings, r.Licences[2].Ratings)
			}
		})

		t.Run("roles", func(t *testing.T) {
			for _, a := range []exportctl.Actor{f.Exporter, {}} {
				if _, err := s.Review(ctx, a, r.ID); exportctl.ErrorCode(err) == "" || exportctl.ErrorCode(err) == exportctl.ENotFound {
					t.Errorf("%q reads the review: %v", a.Role, err)
				}
			}
			in := exportctl.DeterminationInput{LicenceID: w.f16, Determination: "yes", DeterminationReasons: "r", Outcome: "suspend", OutcomeReasons: "r"}
			for _, a := range []exportctl.Actor{f.Exporter, f.FCDO, f.Decider, f.Admin} {
				if _, err := s.RecordDetermination(ctx, a, r.ID, in); exportctl.ErrorCode(err) != exportctl.EForbidden {
					t.Errorf("%q determines: %v", a.Role, err)
				}
			}
			if _, err := s.OpenReview(ctx, f.Decider, exportctl.ReviewInput{}); exportctl.ErrorCode(err) != exportctl.EForbidden {
				t.Errorf("decision maker opens: %v", err)
			}
			if _, err := s.Review(ctx, f.FCDO, r.ID); err != nil {
				t.Errorf("adviser reads: %v", err)
			}
		})

		t.Run("validation names fields", func(t *testing.T) {
			_, err := s.RecordDetermination(ctx, f.Officer, r.ID, exportctl.DeterminationInput{LicenceID: w.saudi, Determination: "yes", DeterminationReasons: "r", Outcome: "suspend", OutcomeReasons: "r"})
			if exportctl.ErrorField(err) != "licence_id" {
				t.Errorf("licence out of scope: %v", err)
			}
			_, err = s.OpenReview(ctx, f.Officer, exportctl.ReviewInput{Destination: "IL", LeadID: f.Exporter.UserID, TermsOfReference: "x",
				EvidenceCutoff: "2026-01-01", Deadline: "2027-01-01"})
			if exportctl.ErrorField(err) != "lead_id" {
				t.Errorf("exporter as lead: %v", err)
			}
			if _, err := s.ProposeOutcome(ctx, f.Officer, r.ID); exportctl.ErrorCode(err) != exportctl.EConflict {
				t.Errorf("propose an open review: %v", err)
			}
		})

		t.Run("determine, propose, approve", func(t *testing.T) {
			dets := []exportctl.DeterminationInput{
				{LicenceID: w.f16, Determination: "yes", DeterminationReasons: "F-16 components: the aircraft carry out air strikes in Gaza.", Outcome: "suspend", OutcomeReasons: "Clear risk under 2c."},
				{LicenceID: w.f35, Determination: "yes", DeterminationReasons: "F-35 components reach Israel's fleet.", Outcome: "maintain", OutcomeReasons: "Global spares pool."},
				{LicenceID: w.food, Determination: "no", DeterminationReasons: "Food-testing reagents.", Outcome: "amend", Conditions: "No direct shipments for use by the armed forces.", OutcomeReasons: "Precaution."},
			}
			for _, d := range dets {
				if _, err := s.RecordDetermination(ctx, f.Officer, r.ID, d); err != nil {
					t.Fatal(err)
				}
			}
			// A later determination supersedes; both stay on record.
			dets[0].DeterminationReasons = "F-16 components: the aircraft carry out air strikes on hospitals in Gaza."
			if l, err := s.RecordDetermination(ctx, f.Officer, r.ID, dets[0]); err != nil || l.DeterminationReasons != dets[0].DeterminationReasons || l.DeterminedBy != "officer1" {
				t.Fatalf("redetermine: %+v %v", l, err)
			}
			if n := countRows(t, s, "review_determinations"); n != 4 {
				t.Errorf("%d determination rows", n)
			}
			if _, err := s.ProposeOutcome(ctx, f.Officer, r.ID); exportctl.ErrorField(err) != "findings" {
				t.Errorf("propose without findings: %v", err)
			}
			got, err := s.RecordFindings(ctx, f.Officer, r.ID, exportctl.ReviewFindings{ConductOfHostilities: "Serious concerns.", HumanitarianAccess: "Access impeded.", Detainees: "Reports of ill-treatment."})
			if err != nil || got.Status != exportctl.ReviewInProgress || !got.Findings.Complete() {
				t.Fatalf("findings: %+v %v", got, err)
			}
			if _, err := s.ProposeOutcome(ctx, f.Officer, r.ID); err != nil {
				t.Fatal(err)
			}
			if _, err := s.ApproveOutcome(ctx, f.Senior, r.ID, exportctl.ApproveInput{Reasons: "ok"}); exportctl.ErrorCode(err) != exportctl.EForbidden {
				t.Errorf("senior official approves: %v", err)
			}
			// The carve-out must be recorded; a failed approval writes nothing.
			transitions, leaves := countRows(t, s, "licence_transitions"), countRows(t, s, "log_entries")
			if _, err := s.ApproveOutcome(ctx, f.Decider, r.ID, exportctl.ApproveInput{Reasons: "Approved."}); exportctl.ErrorField(err) != fmt.Sprintf("carve_out_%d", w.f35) {
				t.Errorf("approve without the carve-out: %v", err)
			}
			if countRows(t, s, "licence_transitions") != transitions || countRows(t, s, "log_entries") != leaves {
				t.Error("a refused approval wrote")
			}
			clock.Set(clock.Now().Add(time.Hour))
			done, err := s.ApproveOutcome(ctx, f.Decider, r.ID, exportctl.ApproveInput{Reasons: "The clear-risk test is met for F-16 components.",
				CarveOuts: []exportctl.CarveOutInput{{LicenceID: w.f35, Scope: "F-35 components to the global spares pool", Reasons: "Collective security of partners."}}})
			if err != nil {
				t.Fatalf("%v: %v", err, errors.Unwrap(err))
			}
			if done.Status != exportctl.ReviewApproved || done.ApprovedBy != "decider1" || done.ApprovedAt == nil {
				t.Errorf("approved %+v", done)
			}
			applied := map[int64]string{}
			for _, l := range done.Licences {
				applied[l.LicenceID] = l.Applied
			}
			if applied[w.f16] != "suspended" || applied[w.f35] != "carve_out" || applied[w.food] != "amended" {
				t.Errorf("applied %v", applied)
			}
			// The exporter sees the change and the review as its reason.
			l, err := s.Licence(ctx, f.Exporter, w.f16)
			if err != nil || l.Status != exportctl.LicenceSuspended {
				t.Fatalf("F-16 licence %+v %v", l, err)
			}
			hist, err := s.LicenceHistory(ctx, f.Exporter, w.f16)
			if err != nil {
				t.Fatal(err)
			}
			last := hist[len(hist)-1]
			if last.Action != "licence.suspend" || !strings.Contains(last.Summary, done.Reference) {
				t.Errorf("history names no review: %+v", last)
			}
			food, _ := s.Licence(ctx, f.Exporter, w.food)
			if food.Status != exportctl.LicenceIssued || !strings.Contains(food.Conditions, "No direct shipments") {
				t.Errorf("amended licence %+v", food)
			}
			app, _ := s.Licence(ctx, f.Officer, w.f35)
			deps, err := s.Departures(ctx, f.Officer, app.ApplicationID)
			if err != nil || len(deps) != 1 || deps[0].Kind != exportctl.DepartureCarveOut || deps[0].ReviewID != r.ID || deps[0].LicenceID != w.f35 {
				t.Errorf("carve-out departure %+v %v", deps, err)
			}
			if _, err := s.RecordDetermination(ctx, f.Officer, r.ID, dets[2]); exportctl.ErrorCode(err) != exportctl.EConflict {
				t.Errorf("determination after approval: %v", err)
			}
		})

		t.Run("public view and publication", func(t *testing.T) {
			p, err := s.PublicReview(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			if p.Status != exportctl.ReviewInProgress || p.Outcome != nil || p.Statement != "" || p.Timeline.OpenedOn == "" || p.Timeline.DeadlinePassed {
				t.Errorf("public before publication %+v", p)
			}
			if _, err := s.PublishReview(ctx, f.Officer, r.ID, exportctl.StatementInput{Statement: "x"}); exportctl.ErrorCode(err) != exportctl.EForbidden {
				t.Errorf("case officer publishes: %v", err)
			}
			if _, err := s.PublishReview(ctx, f.Senior, r.ID, exportctl.StatementInput{}); exportctl.ErrorField(err) != "statement" {
				t.Errorf("empty statement: %v", err)
			}
			clock.Set(clock.Now().AddDate(0, 0, 3))
			if _, err := s.PublishReview(ctx, f.Senior, r.ID, exportctl.StatementInput{Statement: "We suspended licences for F-16 components."}); err != nil {
				t.Fatal(err)
			}
			p, err = s.PublicReview(ctx, r.ID)
			if err != nil {
				t.Fatal(err)
			}
			byCat := map[string]exportctl.OutcomeByCategory{}
			for _, o := range p.Outcome {
				byCat[o.Category] = o
			}
			if p.Status != exportctl.ReviewPublished || p.Statement == "" || byCat["ML10"].Suspend != 1 || byCat["ML10"].CarveOuts != 1 || byCat["1C350"].Amend != 1 || byCat["all"].Licences != 3 {
				t.Errorf("published %+v", p)
			}
			if p.Timeline.DaysOpen != 3 || p.Timeline.ClosedOn == "" {
				t.Errorf("timeline %+v", p.Timeline)
			}
			if list, err := s.PublicReviews(ctx); err != nil || len(list) != 1 || list[0].Reference != p.Reference {
				t.Errorf("public list %+v %v", list, err)
			}
		})

		t.Run("transparency log", func(t *testing.T) {
			_, problems, err := s.VerifyLog(ctx)
			if err != nil || len(problems) > 0 {
				t.Fatalf("log problems %+v %v", problems, err)
			}
			kinds := map[string]int{}
			rows, err := s.DB().Query(`SELECT kind, data FROM log_entries ORDER BY idx`)
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			for rows.Next() {
				var kind string
				var data []byte
				rows.Scan(&kind, &data)
				kinds[kind]++
				var leaf exportctl.LogLeaf
				json.Unmarshal(data, &leaf)
				if kind == exportctl.LogLicenceStatus && strings.Contains(string(leaf.Public), `"amend"`) && !strings.Contains(string(leaf.Public), "No direct shipments") {
					t.Errorf("amendment leaf without its conditions: %s", leaf.Public)
				}
			}
			for _, k := range []string{exportctl.LogReviewOpened, exportctl.LogReviewOutcome, exportctl.LogReviewStatement, exportctl.LogDeparture} {
				if kinds[k] != 1 {
					t.Errorf("%d %s leaves", kinds[k], k)
				}
			}
			if _, err := s.DB().Exec(`UPDATE review_determinations SET outcome = 'maintain'`); err == nil {
				t.Error("determinations are not append-only")
			}
		})

		t.Run("official statistics", func(t *testing.T) {
			st, err := s.Statistics(ctx, "2026-Q1")
			if err != nil {
				t.Fatal(err)
			}
			reviews := st.Table("reviews")
			if reviews == nil || len(reviews.Rows) != 1 {
				t.Fatalf("reviews table %+v", reviews)
			}
			// Opened on 5 January with a two-month deadline, published the
			// same week: opened, completed, on time, none late.
			if got := fmt.Sprint(reviews.Rows[0][:5]); got != "[2026-Q1 1 1 1 0]" {
				t.Errorf("reviews row %v", reviews.Rows[0])
			}
			if concerns := st.Table("concerns"); concerns == nil || len(concerns.Rows) != 1 || fmt.Sprint(concerns.Rows[0][1]) != "0" {
				t.Errorf("concerns table %+v", concerns)
			}
		})
	})
}

func TestReviewMilestonesAndReturn(t *testing.T) {
	eachAt(t, time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), func(t *testing.T, s *store.Store, clock *testClock) {
		f := storetest.NewFixture(t, s)
		lic := issue(t, s, f, storetest.SampleApplication())
		r, err := s.OpenReview(ctx, f.Officer, exportctl.ReviewInput{Destination: "IL", LeadID: f.Senior.UserID, TermsOfReference: "t",
			EvidenceCutoff: "2026-03-01", Deadline: "2026-03-20"})
		if err != nil {
			t.Fatal(err)
		}
		m, err := s.AddMilestone(ctx, f.Officer, r.ID, exportctl.MilestoneInput{Name: "Advice from the FCDO", Due: "2026-03-10"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddMilestone(ctx, f.Exporter, r.ID, exportctl.MilestoneInput{Name: "x", Due: "2026-03-10"}); exportctl.ErrorCode(err) != exportctl.EForbidden {
			t.Errorf("exporter adds a milestone: %v", err)
		}
		if _, err := s.CompleteMilestone(ctx, f.Officer, r.ID, m.ID, "2026-04-01"); exportctl.ErrorField(err) != "done" {
			t.Errorf("done in the future: %v", err)
		}
		clock.Set(time.Date(2026, 3, 9, 9, 0, 0, 0, time.UTC))
		if m, err = s.CompleteMilestone(ctx, f.Officer, r.ID, m.ID, ""); err != nil || m.Done != "2026-03-09" {
			t.Fatalf("complete %+v %v", m, err)
		}
		if _, err := s.CompleteMilestone(ctx, f.Officer, r.ID, m.ID, ""); exportctl.ErrorCode(err) != exportctl.EConflict {
			t.Errorf("completed twice: %v", err)
		}
		if _, err := s.RecordDetermination(ctx, f.Officer, r.ID, exportctl.DeterminationInput{LicenceID: lic, Determination: "unclear", DeterminationReasons: "r", Outcome: "suspend", OutcomeReasons: "r"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordFindings(ctx, f.Officer, r.ID, exportctl.ReviewFindings{ConductOfHostilities: "a", HumanitarianAccess: "b", Detainees: "c"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ProposeOutcome(ctx, f.Officer, r.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := s.ReturnReview(ctx, f.Decider, r.ID, ""); exportctl.ErrorField(err) != "reasons" {
			t.Errorf("return without reasons: %v", err)
		}
		back, err := s.ReturnReview(ctx, f.Decider, r.ID, "Say more about the end user's investigations.")
		if err != nil || back.Status != exportctl.ReviewInProgress {
			t.Fatalf("returned %+v %v", back, err)
		}
		clock.Set(time.Date(2026, 3, 21, 0, 0, 1, 0, time.UTC))
		p, _ := s.PublicReview(ctx, r.ID)
		if !p.Timeline.DeadlinePassed || p.Timeline.DaysOpen != 19 || p.Timeline.Milestones[0].Done != "2026-03-09" {
			t.Errorf("overdue timeline %+v", p.Timeline)
		}
		page, err := s.Reviews(ctx, f.Officer, exportctl.ReviewFilter{Status: exportctl.ReviewInProgress})
		if err != nil || page.Total != 1 || page.Items[0].Licences != 1 || page.Items[0].Determined != 1 {
			t.Errorf("list %+v %v", page, err)
		}
		if _, err := s.Reviews(ctx, f.Exporter, exportctl.ReviewFilter{}); exportctl.ErrorCode(err) != exportctl.EForbidden {
			t.Errorf("exporter lists reviews: %v", err)
		}
	})
}

func TestReassessmentTrigger(t *testing.T) {
	eachAt(t, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), func(t *testing.T, s *store.Store, clock *testClock) {
		w := newReviewWorld(t, s, clock)
		f := w.f
		now := clock.Now()
		s.Reassessment = exportctl.ReassessmentRule{Incidents: 6, WithinDays: 30}
		if rep, err := s.Tick(ctx, now); err != nil || rep.TasksOpened != 0 {
			t.Fatalf("six needed, five verified: %+v %v", rep, err)
		}
		s.Reassessment = exportctl.ReassessmentRule{Incidents: 5, WithinDays: 30}
		rep, err := s.Tick(ctx, now)
		if err != nil || rep.TasksOpened != 1 {
			t.Fatalf("tick %+v %v", rep, err)
		}
		if rep, _ := s.Tick(ctx, now); rep.TasksOpened != 0 {
			t.Errorf("a second tick opened %d more", rep.TasksOpened)
		}
		tasks, err := s.ReassessmentTasks(ctx, f.Officer, exportctl.TaskOpen)
		if err != nil || len(tasks) != 1 || tasks[0].Destination != "IL" || len(tasks[0].IncidentIDs) != 5 || !strings.Contains(tasks[0].Trigger, "Israel") {
			t.Fatalf("tasks %+v %v", tasks, err)
		}
		task := tasks[0]
		if _, err := s.ReassessmentTasks(ctx, f.Exporter, ""); exportctl.ErrorCode(err) != exportctl.EForbidden {
			t.Errorf("exporter reads tasks: %v", err)
		}
		if _, err := s.CloseReassessmentTask(ctx, f.Officer, task.ID, exportctl.TaskDecisionInput{Decision: "no_action", Reasons: "Noted."}); exportctl.ErrorField(err) != "reasons" {
			t.Errorf("closed with 'noted': %v", err)
		}
		if _, err := s.CloseReassessmentTask(ctx, w.analyst, task.ID, exportctl.TaskDecisionInput{Decision: "no_action", Reasons: strings.Repeat("x", 50)}); exportctl.ErrorCode(err) != exportctl.EForbidden {
			t.Errorf("analyst closes: %v", err)
		}
		// Opening a review of the destination answers the task.
		r := openIsraelReview(t, s, w)
		if r.TaskID != task.ID {
			t.Errorf("review answers task %d, want %d", r.TaskID, task.ID)
		}
		closed, _ := s.ReassessmentTasks(ctx, f.Officer, exportctl.TaskClosed)
		if len(closed) != 1 || closed[0].Decision != exportctl.TaskDecisionReview || closed[0].ReviewID != r.ID {
			t.Errorf("closed %+v", closed)
		}
		if _, err := s.CloseReassessmentTask(ctx, f.Officer, task.ID, exportctl.TaskDecisionInput{Decision: "no_action", Reasons: strings.Repeat("x", 50)}); exportctl.ErrorCode(err) != exportctl.EConflict {
			t.Errorf("closed twice: %v", err)
		}
		// The same evidence does not open a new task after the decision.
		if rep, _ := s.Tick(ctx, now.Add(time.Hour)); rep.TasksOpened != 0 {
			t.Errorf("reopened on old evidence: %+v", rep)
		}
		// New evidence after the decision opens a new task.
		clock.Set(now.Add(2 * time.Hour))
		var incs []exportctl.Incident
		for i := range 5 {
			incs = append(incs, exportctl.Incident{Sources: []exportctl.SourceID{{Source: "sind-health", ID: fmt.Sprintf("RV-NEW-%d", i)}},
				StartDate: now.AddDate(0, 0, -2).Format(time.DateOnly), DatePrecision: 1, Country: "PS", Admin1: "Gaza Strip",
				Target: exportctl.TargetShelter, Verification: exportctl.VerificationVerified,
				Actors:  []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 1, Name: "Israel Defense Forces", Force: "Israeli Air Force", Country: "IL", Confidence: 0.9}},
				Weapons: []exportctl.IncidentWeapon{{Reported: "Aerial Bomb: Plane", Launch: exportctl.LaunchAirPlane}}})
		}
		importHand(t, s, w.analyst, "sind-health", incs...)
		if rep, err := s.Tick(ctx, clock.Now()); err != nil || rep.TasksOpened != 1 {
			t.Errorf("new evidence after the decision: %+v %v", rep, err)
		}
		if open, _ := s.ReassessmentTasks(ctx, f.Officer, exportctl.TaskOpen); len(open) != 1 || len(open[0].IncidentIDs) != 5 {
			t.Errorf("the new task counts %+v", open)
		}
		if _, err := s.DB().Exec(`INSERT INTO reassessment_tasks (destination, status, trigger_text, opened_at) VALUES ('IL', 'open', 'x', 'y'), ('IL', 'open', 'x', 'y')`); err == nil {
			t.Error("two open tasks for one destination")
		}
	})
}

func TestEndUserReviewScope(t *testing.T) {
	eachAt(t, time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), func(t *testing.T, s *store.Store, clock *testClock) {
		w := newReviewWorld(t, s, clock)
		today := s.Now().UTC()
		in := exportctl.ReviewInput{Kind: exportctl.ReviewEndUser, Destination: "IL", EndUser: "ministry of HEALTH", LeadID: w.f.Senior.UserID,
			TermsOfReference: "The food laboratory's licences.", EvidenceCutoff: today.Format(time.DateOnly), Deadline: today.AddDate(0, 1, 0).Format(time.DateOnly)}
		r, err := s.OpenReview(ctx, w.f.Officer, in)
		if err != nil {
			t.Fatal(err)
		}
		if got := scopeIDs(r); !slices.Equal(got, []int64{w.food}) || r.EndUser != "ministry of HEALTH" {
			t.Errorf("end-user scope %v, want only the food laboratory's licence %d", got, w.food)
		}
		in.EndUser = "Air Force"
		if r, err = s.OpenReview(ctx, w.f.Officer, in); err != nil || !slices.Equal(scopeIDs(r), []int64{w.f16, w.f35}) {
			t.Errorf("air force scope %v %v", scopeIDs(r), err)
		}
	})
}
