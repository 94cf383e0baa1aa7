package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// issuedLicences issues licences for Israel through the store: F-16
// components, then food-testing reagents.
func issuedLicences(t *testing.T, s *store.Store, fx *storetest.Fixture) (f16, food int64) {
	t.Helper()
	issue := func(in exportctl.ApplicationInput) int64 {
		app, err := s.CreateApplication(context.Background(), fx.Exporter, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Transition(context.Background(), fx.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
		return storetest.DriveToDecision(t, s, fx, app.ID, exportctl.DecisionInput{Outcome: exportctl.OutcomeIssued}).LicenceID
	}
	f16 = issue(storetest.SampleApplication())
	in := storetest.SampleApplication()
	in.Goods = []exportctl.GoodInput{{Description: "Food-testing reagents", Rating: "1C350", Quantity: 20, Unit: "kg", ValueGBP: storetest.F64(12_000)}}
	food = issue(in)
	return f16, food
}

func TestAPIReviews(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newAPIWorld(t, s)
		f16, food := issuedLicences(t, s, w.fix)
		off, exp, dec, sen, anon := w.as(t, "officer1"), w.as(t, "exporter1"), w.as(t, "decider1"), w.as(t, "senior1"), &apiClient{t: t, base: w.url}
		today := s.Now().UTC()
		open := map[string]any{"destination": "IL", "lead_id": w.fix.Officer.UserID, "terms_of_reference": "Which licences could be used in Gaza.",
			"evidence_cutoff": today.AddDate(0, 0, -1).Format(time.DateOnly), "deadline": today.AddDate(0, 1, 0).Format(time.DateOnly),
			"milestones": []map[string]string{{"name": "Evidence gathered", "due": today.AddDate(0, 0, 7).Format(time.DateOnly)}}}

		for _, c := range []struct {
			client *apiClient
			want   int
		}{{anon, http.StatusUnauthorized}, {exp, http.StatusForbidden}, {dec, http.StatusForbidden}} {
			if code, _ := c.client.do("POST", "/api/v1/reviews", open, nil); code != c.want {
				t.Errorf("open review: %d, want %d", code, c.want)
			}
		}
		if code, p := off.do("POST", "/api/v1/reviews", map[string]any{"destination": "XX"}, nil); code != http.StatusUnprocessableEntity || !strings.Contains(toString(p), "destination") {
			t.Errorf("bad review: %d %v", code, p)
		}
		var rv exportctl.Review
		if code, p := off.do("POST", "/api/v1/reviews", open, &rv); code != http.StatusCreated {
			t.Fatalf("open: %d %v", code, p)
		}
		if len(rv.Licences) != 2 || rv.Licences[0].LicenceID != f16 || rv.Timeline.DaysOpen != 0 {
			t.Fatalf("opened %+v", rv)
		}
		id := "/api/v1/reviews/" + itoa(rv.ID)
		for _, c := range []struct {
			client *apiClient
			want   int
		}{{anon, http.StatusUnauthorized}, {exp, http.StatusForbidden}, {w.as(t, "fcdo1"), http.StatusOK}} {
			if code, _ := c.client.do("GET", id, nil, nil); code != c.want {
				t.Errorf("read review: %d, want %d", code, c.want)
			}
			if code, _ := c.client.do("GET", "/api/v1/reviews", nil, nil); code != c.want {
				t.Errorf("list reviews: %d, want %d", code, c.want)
			}
		}
		det := func(c *apiClient, body map[string]any) (int, map[string]any) {
			return c.do("POST", id+"/determinations", body, nil)
		}
		if code, p := det(off, map[string]any{"licence_id": f16, "determination": "perhaps"}); code != http.StatusUnprocessableEntity || !strings.Contains(toString(p), "determination") {
			t.Errorf("bad determination: %d %v", code, p)
		}
		if code, _ := det(exp, map[string]any{"licence_id": f16}); code != http.StatusForbidden {
			t.Errorf("exporter determines: %d", code)
		}
		for _, body := range []map[string]any{
			{"licence_id": f16, "determination": "yes", "determination_reasons": "F-16 components.", "outcome": "suspend", "outcome_reasons": "Clear risk."},
			{"licence_id": food, "determination": "no", "determination_reasons": "Food testing.", "outcome": "maintain"},
		} {
			if code, p := det(off, body); code != http.StatusCreated {
				t.Fatalf("determine: %d %v", code, p)
			}
		}
		if code, p := off.do("POST", id+"/findings", map[string]any{"conduct_of_hostilities": "a", "humanitarian_access": "b", "detainees": "c"}, nil); code != http.StatusOK {
			t.Fatalf("findings: %d %v", code, p)
		}
		var m exportctl.ReviewMilestone
		if code, p := off.do("POST", id+"/milestones", map[string]any{"name": "Advice", "due": today.AddDate(0, 0, 9).Format(time.DateOnly)}, &m); code != http.StatusCreated {
			t.Fatalf("milestone: %d %v", code, p)
		}
		if code, p := off.do("POST", id+"/milestones/"+itoa(m.ID)+"/done", nil, &m); code != http.StatusOK || m.Done == "" {
			t.Errorf("milestone done: %d %v %+v", code, p, m)
		}
		if code, p := off.do("POST", id+"/propose", nil, nil); code != http.StatusOK {
			t.Fatalf("propose: %d %v", code, p)
		}
		if code, _ := sen.do("POST", id+"/approve", map[string]any{"reasons": "ok"}, nil); code != http.StatusForbidden {
			t.Errorf("senior official approves: %d", code)
		}
		if code, p := dec.do("POST", id+"/approve", map[string]any{"reasons": "Approved."}, &rv); code != http.StatusOK || rv.Status != exportctl.ReviewApproved {
			t.Fatalf("approve: %d %v", code, p)
		}
		// The exporter sees the suspension, with the review as its reason.
		var hist exportctl.Page[exportctl.AuditEvent]
		if code, _ := exp.do("GET", "/api/v1/licences/"+itoa(f16)+"/history", nil, &hist); code != http.StatusOK || !strings.Contains(hist.Items[len(hist.Items)-1].Summary, rv.Reference) {
			t.Errorf("exporter's licence history: %d %+v", code, hist.Items)
		}
		if code, p := sen.do("POST", id+"/publish", map[string]any{"statement": "One licence suspended."}, &rv); code != http.StatusOK || rv.Status != exportctl.ReviewPublished {
			t.Fatalf("publish: %d %v", code, p)
		}
		if code, _ := exp.do("GET", "/api/v1/reassessment-tasks", nil, nil); code != http.StatusForbidden {
			t.Errorf("exporter lists tasks: %d", code)
		}
		var tasks exportctl.Page[exportctl.ReassessmentTask]
		if code, _ := off.do("GET", "/api/v1/reassessment-tasks?status=open", nil, &tasks); code != http.StatusOK || tasks.Total != 0 {
			t.Errorf("tasks: %d %+v", code, tasks)
		}
		if code, _ := off.do("POST", "/api/v1/reassessment-tasks/99/close", map[string]any{"decision": "no_action", "reasons": strings.Repeat("Nothing new in the evidence. ", 3)}, nil); code != http.StatusNotFound {
			t.Errorf("close a missing task: %d", code)
		}
	})
}

func toString(m map[string]any) string { return fmt.Sprint(m) }

func TestReviewPages(t *testing.T) {
	e := newPageEnv(t)
	f16, food := issuedLicences(t, e.st, e.fx)
	today := e.st.Now().UTC()

	anon := e.browser(t)
	if code, _ := anon.get("/reviews"); code != http.StatusSeeOther {
		t.Errorf("reviews without a session: %d", code)
	}
	exp := e.browser(t)
	exp.signIn("exporter1")
	if code, _ := exp.get("/reviews"); code != http.StatusForbidden {
		t.Errorf("exporter's reviews page: %d", code)
	}

	off := e.browser(t)
	off.signIn("officer1")
	code, body := off.get("/reviews/new")
	wantStatus(t, "new review page", code, http.StatusOK, body)
	form := url.Values{"kind": {"destination"}, "destination": {"IL"}, "terms_of_reference": {""}, "lead_id": {itoa(e.fx.Officer.UserID)},
		"evidence_cutoff": {today.Format(time.DateOnly)}, "deadline": {"2001-01-01"}, "milestone_name": {"Evidence gathered", ""}, "milestone_due": {"2099-01-01", ""}}
	code, body, _ = off.post("/reviews", form)
	wantStatus(t, "review without terms", code, http.StatusUnprocessableEntity, body)
	for _, want := range []string{`href="#terms_of_reference"`, `href="#deadline"`, `value="Evidence gathered"`} {
		if !strings.Contains(body, want) {
			t.Errorf("failed form lacks %s", want)
		}
	}
	form.Set("terms_of_reference", "Which licences for Israel could be used in Gaza.")
	form.Set("deadline", today.AddDate(0, 1, 0).Format(time.DateOnly))
	code, body, loc := off.post("/reviews", form)
	wantStatus(t, "open review", code, http.StatusSeeOther, body)
	code, body = off.get(loc)
	wantStatus(t, "review page", code, http.StatusOK, body)
	for _, want := range []string{"Licences in scope (2)", "det-" + itoa(f16) + "-form", "Evidence gathered", "Record the findings"} {
		if !strings.Contains(body, want) {
			t.Errorf("review page lacks %q", want)
		}
	}
	// An amendment without conditions names the field of that licence's form.
	code, body, _ = off.post(loc+"/determinations", url.Values{"licence_id": {itoa(food)}, "determination": {"no"}, "determination_reasons": {"Food testing."},
		"outcome": {"amend"}, "outcome_reasons": {"Precaution."}})
	wantStatus(t, "amend without conditions", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#det-`+itoa(food)+`-conditions"`) {
		t.Error("error summary does not link to the licence's conditions field")
	}
	for _, f := range []url.Values{
		{"licence_id": {itoa(f16)}, "determination": {"yes"}, "determination_reasons": {"F-16 components."}, "outcome": {"maintain"}, "outcome_reasons": {"Spares pool."}},
		{"licence_id": {itoa(food)}, "determination": {"no"}, "determination_reasons": {"Food testing."}, "outcome": {"amend"}, "conditions": {"No direct shipments for use by the armed forces."}, "outcome_reasons": {"Precaution."}},
	} {
		if code, body, _ := off.post(loc+"/determinations", f); code != http.StatusSeeOther {
			t.Fatalf("determination: %d\n%s", code, body)
		}
	}
	if code, body, _ := off.post(loc+"/findings", url.Values{"conduct_of_hostilities": {"a"}, "humanitarian_access": {"b"}, "detainees": {"c"}}); code != http.StatusSeeOther {
		t.Fatalf("findings: %d\n%s", code, body)
	}
	if code, body, _ := off.post(loc+"/propose", url.Values{}); code != http.StatusSeeOther {
		t.Fatalf("propose: %d\n%s", code, body)
	}
	dec := e.browser(t)
	dec.signIn("decider1")
	code, body = dec.get(loc)
	wantStatus(t, "decider's review page", code, http.StatusOK, body)
	if !strings.Contains(body, "carve_scope_"+itoa(f16)) {
		t.Fatal("approval form asks for no carve-out")
	}
	code, body, _ = dec.post(loc+"/approve", url.Values{"reasons": {"Approved."}, "carve_scope_" + itoa(f16): {""}, "carve_reasons_" + itoa(f16): {""}})
	wantStatus(t, "approve without carve-out reasons", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#carve-`+itoa(f16)+`-scope"`) || !strings.Contains(body, `href="#carve-`+itoa(f16)+`-reasons"`) {
		t.Error("carve-out errors not linked to their fields")
	}
	code, body, _ = dec.post(loc+"/approve", url.Values{"reasons": {"Approved."}, "carve_scope_" + itoa(f16): {"F-35 spares pool"}, "carve_reasons_" + itoa(f16): {"Collective security."}})
	wantStatus(t, "approve", code, http.StatusSeeOther, body)
	_, body = dec.get(loc)
	if !strings.Contains(body, "Outcome approved and applied: 0 suspended, 0 revoked, 1 amended, 1 maintained (1 carve-outs)") {
		t.Error("approval flash missing")
	}
	// The exporter sees the amendment on the licence page.
	code, body = exp.get("/licences/" + itoa(food))
	wantStatus(t, "exporter's licence", code, http.StatusOK, body)
	if !strings.Contains(body, "No direct shipments for use by the armed forces.") || !strings.Contains(body, "Licence amended") {
		t.Error("exporter does not see the amendment and its history")
	}
	// The public page shows the timeline, and the outcome only once published.
	pub := e.browser(t)
	id := strings.TrimPrefix(loc, "/reviews/")
	code, body = pub.get("/public/reviews/" + id)
	wantStatus(t, "public review", code, http.StatusOK, body)
	if !strings.Contains(body, `id="days-open">0<`) || !strings.Contains(body, "outcome-pending") || strings.Contains(body, "public-outcome") {
		t.Error("public page before publication")
	}
	sen := e.browser(t)
	sen.signIn("senior1")
	_, _ = sen.get(loc)
	if code, body, _ := sen.post(loc+"/publish", url.Values{"statement": {"One licence amended; one carve-out."}}); code != http.StatusSeeOther {
		t.Fatalf("publish: %d\n%s", code, body)
	}
	_, body = pub.get("/public/reviews/" + id)
	for _, want := range []string{"One licence amended; one carve-out.", `id="outcome-ML10"`, `id="outcome-1C350"`, "Closed"} {
		if !strings.Contains(body, want) {
			t.Errorf("published public page lacks %q", want)
		}
	}
	if code, body := pub.get("/public/reviews"); code != http.StatusOK || !strings.Contains(body, "/public/reviews/"+id) {
		t.Errorf("public list: %d", code)
	}
	if code, _ := pub.get("/public/reviews/999"); code != http.StatusNotFound {
		t.Errorf("missing public review: %d", code)
	}

	// A reassessment task (as tick opens it) is listed, and closes only
	// with substantive reasons.
	var task int64
	if err := e.st.DB().QueryRow(`INSERT INTO reassessment_tasks (destination, status, trigger_text, incident_ids, licences, opened_at)
		VALUES ('SA', 'open', '6 verified incidents dated since 2026-10-30 are linked', '1,2', 1, '2026-11-29T00:00:00.000000Z') RETURNING id`).Scan(&task); err != nil {
		t.Fatal(err)
	}
	code, body = off.get("/reviews")
	wantStatus(t, "reviews with a task", code, http.StatusOK, body)
	if !strings.Contains(body, "6 verified incidents dated since 2026-10-30 are linked") || !strings.Contains(body, "close-task-"+itoa(task)) {
		t.Fatal("the open task is not listed with its form")
	}
	code, body, _ = off.post("/reassessment-tasks/"+itoa(task)+"/close", url.Values{"decision": {"no_action"}, "reasons": {"Noted."}})
	wantStatus(t, "close with 'noted'", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#task-`+itoa(task)+`-reasons"`) {
		t.Error("the error does not link to the task's reasons")
	}
	code, body, _ = off.post("/reassessment-tasks/"+itoa(task)+"/close", url.Values{"decision": {"no_action"},
		"reasons": {"The incidents are attributed to ground forces; the only licence is for Hawk trainer spares, not linked by any path."}})
	wantStatus(t, "close with reasons", code, http.StatusSeeOther, body)
	if _, body = off.get("/reviews"); !strings.Contains(body, "no-tasks") {
		t.Error("the closed task is still listed")
	}
}

// TestBrowserReview: a case officer opens a review and records the
// determinations and findings, the decision maker approves the outcome
// with a carve-out, and anyone can read the public page.
func TestBrowserReview(t *testing.T) {
	ctx, problems := newChrome(t)
	e := newPageEnv(t)
	f16, food := issuedLicences(t, e.st, e.fx)
	base := e.srv.URL
	today := e.st.Now().UTC()
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		// A step that waits for what never comes fails in a minute, with a screenshot.
		sctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
			screenshot(ctx, t, "review-failure")
			t.Fatalf("%s: %v", what, err)
		}
	}
	do("officer opens a review", signInSteps(base, "officer1"),
		chromedp.Navigate(base+"/reviews"),
		chromedp.Click(chromedp.ID("open-review")),
		chromedp.WaitVisible(chromedp.ID("open-review-submit")),
		chromedp.SetValue(chromedp.ID("destination"), "IL"),
		chromedp.SendKeys(chromedp.ID("terms_of_reference"), "Which extant licences for Israel could be used in Gaza."),
		chromedp.SendKeys(chromedp.ID("evidence_cutoff"), today.AddDate(0, 0, -2).Format(time.DateOnly)),
		chromedp.SendKeys(chromedp.ID("deadline"), today.AddDate(0, 2, 0).Format(time.DateOnly)),
		chromedp.SendKeys(chromedp.ID("milestone_name_0"), "Advice from the FCDO"),
		chromedp.SendKeys(chromedp.ID("milestone_due_0"), today.AddDate(0, 0, 14).Format(time.DateOnly)),
		chromedp.Click(chromedp.ID("open-review-submit")),
		xpath(`//span[@id="review-status"]/strong[contains(@class,"app-status--open")]`),
	)
	determine := func(licence int64, determination, outcome, conditions string) {
		t.Helper()
		p := "det-" + itoa(licence) + "-"
		steps := []chromedp.Action[chromedp.Void]{
			chromedp.Click(chromedp.ID(p + "open")),
			chromedp.WaitVisible(chromedp.ID(p + "submit")),
			chromedp.Click(chromedp.ID(p + "determination-" + determination)),
			chromedp.SendKeys(chromedp.ID(p+"determination_reasons"), "Reasons for "+determination+"."),
			chromedp.Click(chromedp.ID(p + "outcome-" + outcome)),
			chromedp.SendKeys(chromedp.ID(p+"outcome_reasons"), "Reasons to "+outcome+"."),
		}
		if conditions != "" {
			steps = append(steps, chromedp.SendKeys(chromedp.ID(p+"conditions"), conditions))
		}
		steps = append(steps, chromedp.Click(chromedp.ID(p+"submit")),
			xpath(`//td[@id="outcome-`+itoa(licence)+`"][contains(normalize-space(.), "`+capitalise(outcome)+`")]`))
		do("determine licence "+itoa(licence), steps...)
	}
	determine(f16, "yes", "maintain", "")
	determine(food, "no", "amend", "No direct shipments for use by the armed forces.")
	do("findings and proposal",
		chromedp.Click(chromedp.ID("findings-open")),
		chromedp.WaitVisible(chromedp.ID("findings-submit")),
		chromedp.SendKeys(chromedp.ID("findings-conduct_of_hostilities"), "Serious concerns about strikes on hospitals."),
		chromedp.SendKeys(chromedp.ID("findings-humanitarian_access"), "Access impeded."),
		chromedp.SendKeys(chromedp.ID("findings-detainees"), "Reports of ill-treatment."),
		chromedp.Click(chromedp.ID("findings-submit")),
		xpath(`//dl[@id="findings-list"]//dd[normalize-space(.)="Reports of ill-treatment."]`),
		chromedp.Click(chromedp.ID("propose-submit")),
		xpath(`//span[@id="review-status"]/strong[contains(@class,"app-status--proposed")]`),
	)
	reviewURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	screenshot(ctx, t, "review-proposed")
	do("decision maker approves with a carve-out", signInSteps(base, "decider1"),
		chromedp.Navigate(reviewURL),
		chromedp.WaitVisible(chromedp.ID("approve-submit")),
		chromedp.SendKeys(chromedp.ID("carve-"+itoa(f16)+"-scope"), "F-35 components to the global spares pool"),
		chromedp.SendKeys(chromedp.ID("carve-"+itoa(f16)+"-reasons"), "Collective security of partners."),
		chromedp.SendKeys(chromedp.ID("approve-reasons"), "The clear-risk test is not met for the reagents."),
		chromedp.Click(chromedp.ID("approve-submit")),
		xpath(`//span[@id="review-status"]/strong[contains(@class,"app-status--approved")]`),
		xpath(`//td[@id="applied-`+itoa(food)+`"][normalize-space(.)="amended"]`),
		xpath(`//td[@id="applied-`+itoa(f16)+`"][normalize-space(.)="carve out"]`),
	)
	id := reviewURL[strings.LastIndex(reviewURL, "/")+1:]
	do("the public page shows the timeline",
		chromedp.Navigate(base+"/public/reviews/"+id),
		xpath(`//dd[@id="days-open"][normalize-space(.)="0"]`),
		xpath(`//span[@id="deadline-state"][contains(normalize-space(.), "Not passed")]`),
		xpath(`//ol[@id="public-milestones"]//p[normalize-space(.)="Advice from the FCDO"]`),
		chromedp.WaitVisible(chromedp.ID("outcome-pending")),
	)
	do("a senior official publishes the statement", signInSteps(base, "senior1"),
		chromedp.Navigate(reviewURL),
		chromedp.WaitVisible(chromedp.ID("publish-submit")),
		chromedp.SendKeys(chromedp.ID("publish-statement"), "Licences for food-testing reagents are amended; F-16 components continue as a carve-out."),
		chromedp.Click(chromedp.ID("publish-submit")),
		xpath(`//span[@id="review-status"]/strong[contains(@class,"app-status--published")]`),
		chromedp.Navigate(base+"/public/reviews/"+id),
		xpath(`//p[@id="public-statement"][contains(normalize-space(.), "carve-out")]`),
		xpath(`//tr[@id="outcome-ML10"]/td[3][normalize-space(.)="1"]`),  // carve-outs
		xpath(`//tr[@id="outcome-1C350"]/td[4][normalize-space(.)="1"]`), // amended
	)
	screenshot(ctx, t, "review-public")
	if p := problems(); len(p) > 0 {
		t.Errorf("browser problems: %v", p)
	}
}

func capitalise(s string) string { return strings.ToUpper(s[:1]) + s[1:] }
