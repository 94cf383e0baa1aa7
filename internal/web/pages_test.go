package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
	"github.com/exportctl/exportctl/internal/web"
)

// pageEnv is a server on a fresh SQLite store with the standard fixture.
type pageEnv struct {
	srv *httptest.Server
	fx  *storetest.Fixture
	svc web.Services
	st  *store.Store
}

func newPageEnv(t *testing.T) *pageEnv {
	t.Helper()
	st := storetest.Open(t, "sqlite", nil)
	fx := storetest.NewFixture(t, st)
	// Warnings and errors go to the test's output; request lines are dropped.
	logger := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := web.New(st, web.Options{Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &pageEnv{srv: ts, fx: fx, svc: st, st: st}
}

// browser is a signed-in (or anonymous) client that keeps cookies and
// does not follow redirects, so tests see the 303s.
type browser struct {
	t    *testing.T
	base string
	c    *http.Client
	csrf string
}

func (e *pageEnv) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: e.srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

var csrfRE = regexp.MustCompile(`name="csrf_token" value="([^"]+)"`)

func (b *browser) do(method, path string, form url.Values) (int, string, http.Header) {
	b.t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(context.Background(), method, b.base+path, body)
	if err != nil {
		b.t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	resp, err := b.c.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if m := csrfRE.FindSubmatch(data); m != nil {
		b.csrf = string(m[1])
	}
	return resp.StatusCode, string(data), resp.Header
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	code, body, _ := b.do("GET", path, nil)
	return code, body
}

// post sends a form with the session's CSRF token (unless the form sets
// its own) and returns the status, body and redirect target.
func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.t.Helper()
	if _, ok := form["csrf_token"]; !ok && b.csrf != "" {
		form.Set("csrf_token", b.csrf)
	}
	code, body, h := b.do("POST", path, form)
	return code, body, h.Get("Location")
}

func (b *browser) signIn(username string) {
	b.t.Helper()
	code, _, loc := b.post("/login", url.Values{"username": {username}, "password": {"correct horse battery"}})
	if code != http.StatusSeeOther || loc != "/" {
		b.t.Fatalf("sign in as %s: status %d, location %q", username, code, loc)
	}
	if code, _ := b.get("/"); code != http.StatusOK { // picks up the CSRF token
		b.t.Fatalf("home page after sign-in: %d", code)
	}
}

func wantStatus(t *testing.T, what string, got, want int, body string) {
	t.Helper()
	if got != want {
		if len(body) > 3000 {
			body = body[:3000]
		}
		t.Fatalf("%s: status %d, want %d\n%s", what, got, want, body)
	}
}

func TestPageSignInFailure(t *testing.T) {
	e := newPageEnv(t)
	b := e.browser(t)
	code, body, _ := b.post("/login", url.Values{"username": {"exporter1"}, "password": {"wrong password"}})
	wantStatus(t, "sign in with a wrong password", code, http.StatusUnauthorized, body)
	for _, want := range []string{"govuk-error-summary", "Wrong username or password", `href="#username"`, `value="exporter1"`} {
		if !strings.Contains(body, want) {
			t.Errorf("sign-in failure page lacks %q", want)
		}
	}
	if code, _ := b.get("/applications"); code != http.StatusSeeOther {
		t.Errorf("applications without a session: status %d, want a redirect to sign in", code)
	}
}

func TestPagePostWithoutCSRF(t *testing.T) {
	e := newPageEnv(t)
	b := e.browser(t)
	b.signIn("exporter1")
	form := url.Values{"licence_type": {"SIEL"}, "export_type": {"permanent"}, "end_use": {"test"}}
	form.Set("csrf_token", "")
	code, body, _ := b.post("/applications", form)
	wantStatus(t, "POST without csrf_token", code, http.StatusForbidden, body)
	form.Set("csrf_token", "not-the-token")
	code, body, _ = b.post("/applications", form)
	wantStatus(t, "POST with a wrong csrf_token", code, http.StatusForbidden, body)
	page, err := e.svc.Applications(context.Background(), e.fx.Exporter, exportctl.ApplicationFilter{})
	if err != nil || page.Total != 0 {
		t.Fatalf("refused POSTs created applications: %d, %v", page.Total, err)
	}
}

func TestPageOtherOrganisationNotFound(t *testing.T) {
	e := newPageEnv(t)
	ctx := context.Background()
	other, err := e.svc.CreateApplication(ctx, e.fx.OtherExporter, storetest.SampleApplication())
	if err != nil {
		t.Fatal(err)
	}
	b := e.browser(t)
	b.signIn("exporter1")
	path := "/applications/" + strconv.FormatInt(other.ID, 10)
	code, body := b.get(path)
	wantStatus(t, "exporter1 opens exporter2's application", code, http.StatusNotFound, body)
	if strings.Contains(body, other.Reference) || strings.Contains(body, "Example Air Force") {
		t.Error("the 404 page shows details of the other organisation's application")
	}
	code, body, _ = b.post(path+"/goods", url.Values{"description": {"x"}, "rating": {"ML1a"}, "quantity": {"1"}, "value_gbp": {"1"}})
	wantStatus(t, "exporter1 adds goods to exporter2's application", code, http.StatusNotFound, body)
	code, body = b.get("/applications")
	wantStatus(t, "applications list", code, http.StatusOK, body)
	if strings.Contains(body, other.Reference) {
		t.Error("the list shows the other organisation's application")
	}
	// The owner sees it.
	owner := e.browser(t)
	owner.signIn("exporter2")
	code, body = owner.get(path)
	wantStatus(t, "exporter2 opens their application", code, http.StatusOK, body)
	if !strings.Contains(body, other.Reference) {
		t.Error("the owner's case page lacks the reference")
	}
}

func TestPageAdminOnly(t *testing.T) {
	e := newPageEnv(t)
	for _, u := range []string{"exporter1", "officer1"} {
		b := e.browser(t)
		b.signIn(u)
		code, body := b.get("/admin")
		wantStatus(t, u+" opens /admin", code, http.StatusForbidden, body)
		code, body, _ = b.post("/admin/users", url.Values{"username": {"mallory"}, "role": {"admin"}, "password": {"0123456789ab"}})
		wantStatus(t, u+" adds a user", code, http.StatusForbidden, body)
	}
	admin := e.browser(t)
	admin.signIn("admin1")
	code, body := admin.get("/admin")
	wantStatus(t, "admin1 opens /admin", code, http.StatusOK, body)
	if !strings.Contains(body, "Example Aerospace Ltd") || !strings.Contains(body, "officer1") {
		t.Error("the admin page lacks the organisations or users")
	}
	// Adding a user shows the token once, on the answering page.
	code, body, loc := admin.post("/admin/users", url.Values{"username": {"adviser9"}, "name": {"Ada Adviser"}, "role": {"adviser"}, "team": {"FCDO"}, "password": {"a long enough password"}})
	wantStatus(t, "add a user", code, http.StatusOK, body)
	if loc != "" {
		t.Errorf("adding a user redirected to %q", loc)
	}
	tok := regexp.MustCompile(`id="new-token">(ectl_[A-Za-z0-9_-]+)<`).FindStringSubmatch(body)
	if tok == nil {
		t.Fatal("the page that answers adding a user shows no token")
	}
	if a, err := e.svc.TokenActor(context.Background(), tok[1]); err != nil || a.Username != "adviser9" {
		t.Errorf("the shown token does not authenticate adviser9: %v %v", a, err)
	}
	if _, body := admin.get("/admin"); strings.Contains(body, tok[1]) {
		t.Error("the token is shown again")
	}
	// An adviser without a team is refused with the field named.
	code, body, _ = admin.post("/admin/users", url.Values{"username": {"adviser10"}, "role": {"adviser"}})
	wantStatus(t, "add an adviser without a team", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#team"`) {
		t.Error("the error summary does not link to the team field")
	}
	// Organisations.
	code, body, loc = admin.post("/admin/organisations", url.Values{"org_name": {"New Exporter Ltd"}, "org_kind": {"exporter"}})
	wantStatus(t, "add an organisation", code, http.StatusSeeOther, body)
	if _, body := admin.get(loc); !strings.Contains(body, "New Exporter Ltd") {
		t.Error("the new organisation is not listed")
	}
	code, body, _ = admin.post("/admin/organisations", url.Values{"org_name": {""}, "org_kind": {"exporter"}})
	wantStatus(t, "add an organisation without a name", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#org_name"`) {
		t.Error("the error summary does not link to the organisation name")
	}
	// Disabling a user ends their session.
	victim := e.browser(t)
	victim.signIn("exporter2")
	code, body, _ = admin.post("/admin/users/"+strconv.FormatInt(e.fx.OtherExporter.UserID, 10)+"/disable", url.Values{})
	wantStatus(t, "disable exporter2", code, http.StatusSeeOther, body)
	if code, _ := victim.get("/applications"); code != http.StatusSeeOther {
		t.Errorf("a disabled user's session still works: %d", code)
	}
}

func TestPageAddGoodValidation(t *testing.T) {
	e := newPageEnv(t)
	b := e.browser(t)
	b.signIn("exporter1")
	code, body, _ := b.post("/applications", url.Values{"licence_type": {"XYZ"}, "export_type": {"permanent"}})
	wantStatus(t, "create with a bad licence type", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#licence_type"`) {
		t.Error("the error summary does not link to the licence type")
	}
	code, body, loc := b.post("/applications", url.Values{"licence_type": {"SIEL"}, "export_type": {"permanent"}, "end_use": {"Spares"}})
	wantStatus(t, "create a draft", code, http.StatusSeeOther, body)
	if !regexp.MustCompile(`^/applications/\d+$`).MatchString(loc) {
		t.Fatalf("create redirected to %q", loc)
	}
	casePath, _, _ := strings.Cut(loc, "?")
	code, body, _ = b.post(casePath+"/goods", url.Values{"description": {"Actuators"}, "rating": {"ML10a"}, "quantity": {"4"}, "unit": {"item"}, "value_gbp": {"lots"}})
	wantStatus(t, "add goods with a value that is not a number", code, http.StatusUnprocessableEntity, body)
	for _, want := range []string{"govuk-error-summary", `href="#value_gbp"`, "govuk-input--error\" id=\"value_gbp\"", `value="lots"`, `value="Actuators"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the re-rendered page lacks %q", want)
		}
	}
	code, body, _ = b.post(casePath+"/goods", url.Values{"description": {""}, "rating": {"ML99"}, "quantity": {"0"}, "unit": {"item"}, "value_gbp": {"10"}})
	wantStatus(t, "add goods with several errors", code, http.StatusUnprocessableEntity, body)
	for _, f := range []string{"description", "rating", "quantity"} {
		if !strings.Contains(body, `href="#`+f+`"`) {
			t.Errorf("the error summary does not name %s", f)
		}
	}
	if !strings.Contains(body, "The quantity must be a number greater than zero") {
		t.Error("a domain message is not made a sentence naming its field")
	}
	code, body, _ = b.post(casePath+"/goods", url.Values{"description": {"Actuators"}, "rating": {"ml10a"}, "quantity": {"4"}, "unit": {"item"}, "value_gbp": {"£185,000"}})
	wantStatus(t, "add goods", code, http.StatusSeeOther, body)
	_, body = b.get(casePath)
	if !strings.Contains(body, "ML10a") || !strings.Contains(body, "£185,000") {
		t.Error("the case page does not show the added goods")
	}
	// Submitting without parties names what is missing.
	code, body, _ = b.post(casePath+"/transition", url.Values{"action": {"submit"}})
	wantStatus(t, "submit without parties", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#parties"`) || !strings.Contains(body, "an end user is required") {
		t.Error("the error summary does not say an end user is missing")
	}
}

// TestPageCaseLifecycle runs the whole case without a browser: the same
// flow as TestBrowserCaseLifecycle, for machines without Chromium. The
// exporter submits; the case officer checks and starts the review; two
// teams advise on every good and party; the officer assesses and submits
// final advice; a second officer countersigns; the decision maker issues.
func TestPageCaseLifecycle(t *testing.T) {
	e := newPageEnv(t)
	ex := e.browser(t)
	ex.signIn("exporter1")
	_, _, loc := ex.post("/applications", url.Values{"licence_type": {"SIEL"}, "export_type": {"permanent"}, "end_use": {"Spares for F-16s"}})
	casePath, _, _ := strings.Cut(loc, "?")
	steps := []struct {
		path string
		form url.Values
	}{
		{"/goods", url.Values{"description": {"Landing gear actuators"}, "rating": {"ML10a"}, "quantity": {"40"}, "unit": {"item"}, "value_gbp": {"185000"}, "component_of": {"F-16"}}},
		{"/goods", url.Values{"description": {"Maintenance manuals"}, "rating": {"ML22a"}, "quantity": {"1"}, "unit": {"set"}, "value_gbp": {"0"}}},
		{"/parties", url.Values{"role": {"end_user"}, "name": {"Example Air Force"}, "country": {"IL"}, "type": {"armed_forces"}}},
		{"/parties", url.Values{"role": {"consignee"}, "name": {"Example Aerospace Israel"}, "country": {"IL"}, "type": {"commercial"}}},
		{"/transition", url.Values{"action": {"submit"}}},
	}
	for _, s := range steps {
		code, body, _ := ex.post(casePath+s.path, s.form)
		wantStatus(t, "exporter "+s.path, code, http.StatusSeeOther, body)
	}
	_, body := ex.get(casePath)
	if !strings.Contains(body, "app-status--submitted") || strings.Contains(body, `id="add-good"`) {
		t.Error("the submitted case still offers editing or lacks its status")
	}

	of := e.browser(t)
	of.signIn("officer1")
	_, body = of.get("/applications?status=submitted")
	if !strings.Contains(body, `href="`+casePath+`"`) {
		t.Fatal("the Submitted queue does not list the case")
	}
	code, body, _ := of.post(casePath+"/transition", url.Values{"action": {"return_to_applicant"}})
	wantStatus(t, "return without a note", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#note-return_to_applicant"`) {
		t.Error("the error summary does not link to the note of the return form")
	}
	for _, act := range []string{"begin_checks", "start_review"} {
		code, body, _ = of.post(casePath+"/transition", url.Values{"action": {act}})
		wantStatus(t, act, code, http.StatusSeeOther, body)
	}
	// Case officers no longer decide: no form, and the command is refused.
	_, body = of.get(casePath)
	if strings.Contains(body, `id="decision-form"`) {
		t.Error("a case officer is offered the decision form")
	}
	code, body, _ = of.post(casePath+"/decision", url.Values{"outcome": {"issued"}, "reasons": {"Consistent with the criteria."}})
	wantStatus(t, "a case officer decides", code, http.StatusForbidden, body)

	// Both teams advise on every good and party, through the form.
	subjectRE := regexp.MustCompile(`<option value="((?:good|party):\d+)"`)
	for _, adviser := range []string{"fcdo1", "mod1"} {
		b := e.browser(t)
		b.signIn(adviser)
		_, body := b.get(casePath)
		if !strings.Contains(body, `id="advice-form"`) {
			t.Fatalf("%s is not offered the advice form", adviser)
		}
		subjects := subjectRE.FindAllStringSubmatch(body, -1)
		if len(subjects) != 4 {
			t.Fatalf("%s: the advice form offers %d goods and parties, want 4", adviser, len(subjects))
		}
		if adviser == "fcdo1" {
			// A refusal needs criteria and reasons; a proviso its conditions.
			code, body, _ := b.post(casePath+"/advice", url.Values{"advice-subject": {subjects[0][1]}, "advice-type": {"refuse"}})
			wantStatus(t, "advice to refuse without criteria", code, http.StatusUnprocessableEntity, body)
			for _, want := range []string{`href="#advice-criteria"`, `href="#advice-reasons"`, `value="refuse" checked`} {
				if !strings.Contains(body, want) {
					t.Errorf("advice to refuse without criteria: the page lacks %q", want)
				}
			}
			code, body, _ = b.post(casePath+"/advice", url.Values{"advice-subject": {subjects[0][1]}, "advice-type": {"proviso"}})
			wantStatus(t, "a proviso without conditions", code, http.StatusUnprocessableEntity, body)
			if !strings.Contains(body, `href="#advice-conditions"`) {
				t.Error("a proviso without conditions does not name the conditions")
			}
		}
		for _, sub := range subjects {
			code, body, _ := b.post(casePath+"/advice", url.Values{"advice-subject": {sub[1]}, "advice-type": {"approve"}, "advice-reasons": {"No concerns."}})
			wantStatus(t, adviser+" advises on "+sub[1], code, http.StatusSeeOther, body)
		}
	}

	// The officer moves to final review and writes the assessment.
	code, body, _ = of.post(casePath+"/transition", url.Values{"action": {"final_review"}})
	wantStatus(t, "final review", code, http.StatusSeeOther, body)
	_, body = of.get(casePath)
	for _, want := range []string{`id="combined-advice"`, `id="advice-list"`, "FCDO, MOD", `id="assessment-form"`, `id="ihl-past_violations"`,
		`id="finding-2c"`, `id="finding-MEND"`, `id="final-advice-form"`, `id="final-advice-missing"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the officer's case page in final review lacks %q", want)
		}
	}
	if strings.Contains(body, `id="advice-form"`) {
		t.Error("a case officer is offered the advice form")
	}
	// Changing the criteria set reloads the form with its criteria.
	_, body = of.get(casePath + "?criteria_set=att-2013")
	if !strings.Contains(body, `id="finding-7-1b-i"`) || !strings.Contains(body, `id="ihl-assurances"`) || strings.Contains(body, `id="finding-2c"`) {
		t.Error("the ATT criteria set does not show its criteria and the IHL block")
	}
	code, body, _ = of.post(casePath+"/assessment", url.Values{"criteria_set": {"uk-selc-2021"}, "save": {"draft"},
		"finding-1": {"no_risk"}, "reasoning-1": {"No embargo applies."}})
	wantStatus(t, "save a draft assessment", code, http.StatusSeeOther, body)
	_, body = of.get(casePath)
	if !strings.Contains(body, `id="assessment-versions"`) || !strings.Contains(body, "No embargo applies.") {
		t.Error("the saved draft is not listed or does not prefill the form")
	}
	// A final assessment with gaps names each.
	code, body, _ = of.post(casePath+"/assessment", url.Values{"criteria_set": {"uk-selc-2021"}, "save": {"final"},
		"finding-1": {"no_risk"}, "reasoning-1": {"No embargo applies."}, "finding-2c": {"no_risk"}})
	wantStatus(t, "finalise an incomplete assessment", code, http.StatusUnprocessableEntity, body)
	for _, want := range []string{`href="#evidence_cutoff"`, `href="#reasoning-2c"`, `href="#finding-3"`, `href="#ihl-past_violations"`, "Choose a finding on criterion 3", `>No embargo applies.</textarea>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the incomplete final assessment: the page lacks %q", want)
		}
	}
	full := url.Values{"criteria_set": {"uk-selc-2021"}, "save": {"final"}, "evidence_cutoff": {time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)}}
	for _, c := range exportctl.MustCriteria(exportctl.DefaultCriteriaSet).Citable() {
		full.Set("finding-"+c.Code, "no_risk")
		full.Set("reasoning-"+c.Code, "No risk identified under "+c.Code+".")
	}
	for _, f := range []string{"past_violations", "pattern", "conduct_of_hostilities", "humanitarian_access", "detainees", "recipient_investigations", "assurances"} {
		full.Set("ihl-"+f, "Considered: "+f)
	}
	full.Set("evidence-2c", "incident: SIND-42822\nnot a reference")
	code, body, _ = of.post(casePath+"/assessment", full)
	wantStatus(t, "a malformed evidence line", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#evidence-2c"`) || !strings.Contains(body, "Line 2 of the evidence for criterion 2c") {
		t.Error("a malformed evidence line is not named")
	}
	full.Set("evidence-2c", "incident: SIND-42822\ndocument: https://example.org/report | UN panel, 2025")
	code, body, _ = of.post(casePath+"/assessment", full)
	wantStatus(t, "finalise the assessment", code, http.StatusSeeOther, body)

	// Final advice goes to countersigning; its author may not countersign.
	code, body, _ = of.post(casePath+"/final-advice", url.Values{"fa-recommendation": {"issue"}})
	wantStatus(t, "final advice without reasons", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#fa-reasons"`) {
		t.Error("final advice without reasons does not name them")
	}
	code, body, _ = of.post(casePath+"/final-advice", url.Values{"fa-recommendation": {"issue"}, "fa-reasons": {"No clear risk under any criterion."}})
	wantStatus(t, "final advice", code, http.StatusSeeOther, body)
	_, body = of.get(casePath)
	if !strings.Contains(body, "app-status--countersigning") || !strings.Contains(body, `id="sign-note"`) || strings.Contains(body, `id="countersign-form"`) {
		t.Error("the author of the final advice is offered the countersignature form, or the case is not countersigning")
	}
	of2 := e.browser(t)
	of2.signIn("officer2")
	_, body = of2.get(casePath)
	if !strings.Contains(body, `id="countersign-form"`) {
		t.Fatal("officer2 is not offered the countersignature form")
	}
	code, body, _ = of2.post(casePath+"/countersign", url.Values{"cs-decision": {"approve"}})
	wantStatus(t, "countersign", code, http.StatusSeeOther, body)
	_, body = of.get(casePath)
	if !strings.Contains(body, "app-status--awaiting_decision") || strings.Contains(body, `id="decision-form"`) {
		t.Error("the case does not await the decision, or the officer is offered the decision form")
	}

	// The decision maker decides, with reasons.
	dm := e.browser(t)
	dm.signIn("decider1")
	_, body = dm.get(casePath)
	if !strings.Contains(body, `id="decision-form"`) || strings.Contains(body, `id="departure-warning"`) {
		t.Error("the decision maker lacks the decision form, or is warned of a departure with no adverse finding")
	}
	code, body, _ = dm.post(casePath+"/decision", url.Values{"outcome": {"refused"}})
	wantStatus(t, "refuse without criteria", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#criteria"`) || !strings.Contains(body, `href="#reasons"`) {
		t.Error("a refusal without criteria or reasons does not name both")
	}
	code, body, _ = dm.post(casePath+"/decision", url.Values{"outcome": {"issued"}})
	wantStatus(t, "issue without reasons", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#reasons"`) {
		t.Error("issuing without reasons does not name them")
	}
	code, body, _ = dm.post(casePath+"/decision", url.Values{"outcome": {"issued"}, "reasons": {"Consistent with the criteria."}})
	wantStatus(t, "issue", code, http.StatusSeeOther, body)
	_, body = of.get(casePath)
	m := regexp.MustCompile(`id="licence-link" href="(/licences/\d+)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatal("the decided case has no licence link")
	}

	// The exporter sees the decision, never the process behind it.
	code, body = ex.get(casePath)
	wantStatus(t, "exporter opens the decided case", code, http.StatusOK, body)
	if !strings.Contains(body, `id="licence-link"`) || !strings.Contains(body, "Consistent with the criteria.") {
		t.Error("the exporter's case page lacks the licence or the decision's reasons")
	}
	for _, hidden := range []string{`id="advice"`, `>Advice<`, `id="assessment"`, `>Assessment<`, `id="final-advice"`, `>Final advice<`,
		`id="countersigning"`, `>Countersigning<`, `id="record-link"`, "Decision record", "Advice given", "Assessment saved",
		"No risk identified", "SIND-42822", "No clear risk under any criterion", "FCDO", "No concerns."} {
		if strings.Contains(body, hidden) {
			t.Errorf("the exporter's case page shows %q", hidden)
		}
	}
	code, body = ex.get(casePath + "/record")
	wantStatus(t, "exporter opens the decision record", code, http.StatusForbidden, body)
	if strings.Contains(body, "SIND-42822") || strings.Contains(body, "No concerns.") {
		t.Error("the 403 page shows part of the record")
	}

	// The printable record holds the whole chain.
	code, body = of.get(casePath + "/record")
	wantStatus(t, "officer opens the decision record", code, http.StatusOK, body)
	for _, want := range []string{"1. Application", "2. Advice and resolutions", "3. Assessment", "4. Final advice", "5. Countersignatures",
		"6. Decisions", "7. Departures", "8. History", "Generated at", "Landing gear actuators", "FCDO", "MOD", "No concerns.",
		"Version 1", "Version 2", "SIND-42822", "UN panel, 2025", "Considered: detainees", full.Get("evidence_cutoff"),
		"No clear risk under any criterion.", "officer2", "Consistent with the criteria.", "Advice given", "Final advice countersigned"} {
		if !strings.Contains(body, want) {
			t.Errorf("the decision record lacks %q", want)
		}
	}
	if strings.Contains(body, `class="govuk-service-navigation`) {
		t.Error("the printable record has the service navigation")
	}
	if strings.Index(body, "2. Advice") > strings.Index(body, "3. Assessment") || strings.Index(body, "6. Decisions") > strings.Index(body, "8. History") {
		t.Error("the record's sections are out of order")
	}

	// The licence, as before.
	_, body = of.get(m[1])
	if !regexp.MustCompile(`GBSIEL/\d{4}/\d{7}/P`).MatchString(body) || !strings.Contains(body, "app-status--issued") {
		t.Fatal("the licence page lacks the reference or the issued status")
	}
	code, body, _ = of.post(m[1]+"/action", url.Values{"action": {"suspend"}})
	wantStatus(t, "suspend without reasons", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#reasons-suspend"`) {
		t.Error("the error summary does not link to the suspend reasons")
	}
	code, body, _ = of.post(m[1]+"/action", url.Values{"action": {"suspend"}, "reasons": {"End user under investigation"}})
	wantStatus(t, "suspend", code, http.StatusSeeOther, body)
	_, body = of.get(m[1])
	if !strings.Contains(body, "app-status--suspended") || !strings.Contains(body, "End user under investigation") {
		t.Error("the licence page lacks the suspension or its reasons")
	}
	// The exporter sees the licence too, and may surrender but not suspend it.
	code, body = ex.get(m[1])
	wantStatus(t, "exporter opens the licence", code, http.StatusOK, body)
	if strings.Contains(body, `id="action-reinstate"`) || !strings.Contains(body, `id="action-surrender"`) {
		t.Error("the exporter is offered the wrong licence actions")
	}
	code, body, _ = ex.post(m[1]+"/action", url.Values{"action": {"reinstate"}, "reasons": {"please"}})
	wantStatus(t, "exporter reinstates", code, http.StatusForbidden, body)
	stranger := e.browser(t)
	stranger.signIn("exporter2")
	code, body = stranger.get(m[1])
	wantStatus(t, "another organisation opens the licence", code, http.StatusNotFound, body)
	_, body = of.get("/licences?status=suspended")
	if !strings.Contains(body, `href="`+m[1]+`"`) {
		t.Error("the suspended filter does not list the licence")
	}
}

// submitted creates the sample application as exporter1 and submits it.
func (e *pageEnv) submitted(t *testing.T) (*exportctl.Application, string) {
	t.Helper()
	ctx := context.Background()
	app, err := e.svc.CreateApplication(ctx, e.fx.Exporter, storetest.SampleApplication())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.Transition(ctx, e.fx.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
		t.Fatal(err)
	}
	return app, "/applications/" + strconv.FormatInt(app.ID, 10)
}

// TestPageDeparture: issuing against a clear-risk finding needs the
// departure box; the departure is recorded and shown; a carve-out follows.
func TestPageDeparture(t *testing.T) {
	e := newPageEnv(t)
	app, casePath := e.submitted(t)
	as := storetest.FinalAssessment(time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly))
	for i := range as.Findings {
		if as.Findings[i].Criterion == "2c" {
			as.Findings[i].Finding, as.Findings[i].Reasoning = exportctl.FindingClearRisk, "A clear risk of use in serious violations."
		}
	}
	storetest.ToCountersigning(t, e.st, e.fx, app.ID, as, exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendIssue, Reasons: "Issue with a departure."})
	storetest.Countersign(t, e.st, e.fx, app.ID) // sensitive: officer2, then the senior official

	dm := e.browser(t)
	dm.signIn("decider1")
	_, body := dm.get(casePath)
	for _, want := range []string{`id="departure-warning"`, `id="departure"`, "app-status--sensitive", "2 of 2 needed"} {
		if !strings.Contains(body, want) {
			t.Errorf("the decision maker's page lacks %q", want)
		}
	}
	code, body, _ := dm.post(casePath+"/decision", url.Values{"outcome": {"issued"}, "reasons": {"Overriding strategic interest."},
		"departure-scope": {"typed but not ticked"}})
	wantStatus(t, "issue against a clear-risk finding without the departure", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#departure"`) || !strings.Contains(body, "record it as a departure") || !strings.Contains(body, "typed but not ticked") {
		t.Error("the 422 does not name the departure, or loses what was typed")
	}
	code, body, _ = dm.post(casePath+"/decision", url.Values{"outcome": {"issued"}, "reasons": {"Overriding strategic interest."}, "departure": {"yes"}})
	wantStatus(t, "a departure without scope or reasons", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#departure-scope"`) || !strings.Contains(body, `href="#departure-reasons"`) {
		t.Error("a departure without scope or reasons does not name both")
	}
	code, body, _ = dm.post(casePath+"/decision", url.Values{"outcome": {"issued"}, "reasons": {"Overriding strategic interest."}, "departure": {"yes"},
		"departure-kind": {"issue_despite_finding"}, "departure-scope": {"All goods on the application"}, "departure-reasons": {"Allied operations depend on the spares."}})
	wantStatus(t, "issue with a departure", code, http.StatusSeeOther, body)
	_, body = dm.get(casePath)
	for _, want := range []string{`id="departures"`, "app-status--departure", "All goods on the application", "Criteria 2c", `id="carve-out-form"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the decided case lacks %q", want)
		}
	}
	code, body, _ = dm.post(casePath+"/departures", url.Values{"carve-scope": {""}, "carve-reasons": {""}})
	wantStatus(t, "a carve-out without scope", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#carve-scope"`) {
		t.Error("a carve-out without scope does not name it")
	}
	code, body, _ = dm.post(casePath+"/departures", url.Values{"carve-scope": {"F-35 spares pool components"}, "carve-reasons": {"Multinational programme."}})
	wantStatus(t, "record a carve-out", code, http.StatusSeeOther, body)
	_, body = dm.get(casePath + "/record")
	if !strings.Contains(body, "F-35 spares pool components") || !strings.Contains(body, "Allied operations depend on the spares.") {
		t.Error("the record lacks the departures")
	}
	// The exporter sees the decision, not the departure behind it.
	ex := e.browser(t)
	ex.signIn("exporter1")
	_, body = ex.get(casePath)
	if strings.Contains(body, "departure") || strings.Contains(body, "F-35 spares pool") {
		t.Error("the exporter's case page shows the departure")
	}
}

// TestPageConflictAndRejection: a senior official resolves conflicting
// advice; a rejected countersignature sends the case back to final review.
func TestPageConflictAndRejection(t *testing.T) {
	e := newPageEnv(t)
	ctx := context.Background()
	app, casePath := e.submitted(t)
	for _, act := range []string{exportctl.ActBeginChecks, exportctl.ActStartReview} {
		if _, err := e.svc.Transition(ctx, e.fx.Officer, app.ID, act, ""); err != nil {
			t.Fatal(err)
		}
	}
	good := app.Goods[0].ID
	for _, adviser := range []exportctl.Actor{e.fx.FCDO, e.fx.MOD} {
		for _, g := range app.Goods {
			in := exportctl.AdviceInput{Subject: exportctl.SubjectGood, SubjectID: g.ID, Type: exportctl.AdviceApprove}
			if adviser.Team == "MOD" && g.ID == good {
				in = exportctl.AdviceInput{Subject: exportctl.SubjectGood, SubjectID: g.ID, Type: exportctl.AdviceRefuse, Criteria: []string{"2c"}, Reasons: "Risk of use in strikes."}
			}
			if _, err := e.svc.GiveAdvice(ctx, adviser, app.ID, in); err != nil {
				t.Fatal(err)
			}
		}
		for _, p := range app.Parties {
			if _, err := e.svc.GiveAdvice(ctx, adviser, app.ID, exportctl.AdviceInput{Subject: exportctl.SubjectParty, SubjectID: p.ID, Type: exportctl.AdviceApprove}); err != nil {
				t.Fatal(err)
			}
		}
	}
	key, prefix := fmt.Sprintf("good:%d", good), fmt.Sprintf("resolve-good-%d", good)
	so := e.browser(t)
	so.signIn("senior1")
	_, body := so.get(casePath)
	if !strings.Contains(body, `id="`+prefix+`"`) || !strings.Contains(body, "app-status--conflicting") {
		t.Fatal("the senior official is not offered the resolution of the conflict")
	}
	code, body, _ := so.post(casePath+"/resolve", url.Values{"subject": {key}, "resolve-result": {"approve"}})
	wantStatus(t, "resolve without reasons", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#`+prefix+`-reasons"`) {
		t.Error("a resolution without reasons does not name them")
	}
	code, body, _ = so.post(casePath+"/resolve", url.Values{"subject": {key}, "resolve-result": {"proviso"}, "resolve-reasons": {"Approve with end-use monitoring."}})
	wantStatus(t, "a proviso resolution without conditions", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#`+prefix+`-conditions"`) || !strings.Contains(body, "Approve with end-use monitoring.") {
		t.Error("a proviso resolution without conditions does not name them, or loses the reasons")
	}
	code, body, _ = so.post(casePath+"/resolve", url.Values{"subject": {key}, "resolve-result": {"proviso"}, "resolve-reasons": {"Approve with end-use monitoring."},
		"resolve-conditions": {"End-use monitoring visits"}})
	wantStatus(t, "resolve", code, http.StatusSeeOther, body)
	_, body = so.get(casePath)
	if strings.Contains(body, `id="`+prefix+`"`) || !strings.Contains(body, "Approve with end-use monitoring.") || !strings.Contains(body, "End-use monitoring visits") {
		t.Error("the resolved conflict is still offered, or the resolution is not shown")
	}

	// Final review through the pages: a conflict (no final assessment) keeps what was typed.
	if _, err := e.svc.Transition(ctx, e.fx.Officer, app.ID, exportctl.ActFinalReview, ""); err != nil {
		t.Fatal(err)
	}
	of := e.browser(t)
	of.signIn("officer1")
	code, body, _ = of.post(casePath+"/final-advice", url.Values{"fa-recommendation": {"issue"}, "fa-reasons": {"Kept reasons."}})
	wantStatus(t, "final advice before the assessment is final", code, http.StatusConflict, body)
	if !strings.Contains(body, "finalise the assessment first") || !strings.Contains(body, "Kept reasons.") {
		t.Error("the conflict does not say why, or loses the typed reasons")
	}
	if _, err := e.svc.SaveAssessment(ctx, e.fx.Officer, app.ID, storetest.FinalAssessment(time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly))); err != nil {
		t.Fatal(err)
	}
	code, body, _ = of.post(casePath+"/final-advice", url.Values{"fa-recommendation": {"refuse"}, "fa-reasons": {"Refuse."}})
	wantStatus(t, "refusal without criteria", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#fa-criteria"`) {
		t.Error("a recommendation to refuse without criteria does not name them")
	}
	code, body, _ = of.post(casePath+"/final-advice", url.Values{"fa-recommendation": {"issue"}, "fa-reasons": {"Issue with the provisos."}, "fa-conditions": {"End-use monitoring"}})
	wantStatus(t, "final advice", code, http.StatusSeeOther, body)
	code, body, _ = of.post(casePath+"/countersign", url.Values{"cs-decision": {"approve"}})
	wantStatus(t, "the author countersigns", code, http.StatusForbidden, body)

	of2 := e.browser(t)
	of2.signIn("officer2")
	code, body, _ = of2.post(casePath+"/countersign", url.Values{"cs-decision": {"reject"}})
	wantStatus(t, "reject without reasons", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#cs-reasons"`) {
		t.Error("a rejection without reasons does not name them")
	}
	code, body, _ = of2.post(casePath+"/countersign", url.Values{"cs-decision": {"reject"}, "cs-reasons": {"The provisos are not enforceable."}})
	wantStatus(t, "reject", code, http.StatusSeeOther, body)
	_, body = of.get(casePath)
	for _, want := range []string{"app-status--under_final_review", "app-status--rejected", "The provisos are not enforceable.", "app-status--superseded", `id="final-advice-form"`} {
		if !strings.Contains(body, want) {
			t.Errorf("after the rejection the case page lacks %q", want)
		}
	}
	// The exporter's history shows the moves of the case, not their reasons.
	ex := e.browser(t)
	ex.signIn("exporter1")
	_, body = ex.get(casePath)
	for _, hidden := range []string{"The provisos are not enforceable.", "Risk of use in strikes.", "Approve with end-use monitoring.", "Issue with the provisos.", "Advice given", "Conflicting advice resolved"} {
		if strings.Contains(body, hidden) {
			t.Errorf("the exporter's case page shows %q", hidden)
		}
	}
	if !strings.Contains(body, "countersigning → under final review") {
		t.Error("the exporter's history lacks the move back to final review")
	}
}

func TestPageListFiltersAndPaging(t *testing.T) {
	e := newPageEnv(t)
	ctx := context.Background()
	for i := range 27 {
		in := storetest.SampleApplication()
		if i%3 == 0 {
			in.Parties[0].Country = "NL" // the end user decides the destination
			in.Parties[0].Name = fmt.Sprintf("Dutch Navy %d", i)
		}
		app, err := e.svc.CreateApplication(ctx, e.fx.Exporter, in)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.svc.Transition(ctx, e.fx.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
		if i%2 == 1 {
			if _, err := e.svc.Transition(ctx, e.fx.Officer, app.ID, exportctl.ActBeginChecks, ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	rows := regexp.MustCompile(`<a class="govuk-link app-nowrap" href="/applications/\d+">`)
	b := e.browser(t)
	b.signIn("officer1")
	code, body := b.get("/applications")
	wantStatus(t, "all cases", code, http.StatusOK, body)
	if n := len(rows.FindAllString(body, -1)); n != 25 {
		t.Errorf("first page has %d rows, want 25", n)
	}
	for _, want := range []string{"All<span class=\"app-filter-nav__count\">27<", "Submitted<span class=\"app-filter-nav__count\">14<", "Initial checks<span class=\"app-filter-nav__count\">13<"} {
		if !strings.Contains(body, want) {
			t.Errorf("the status filters lack %q", want)
		}
	}
	next := regexp.MustCompile(`href="(/applications\?cursor=\d+)" rel="next"`).FindStringSubmatch(body)
	if next == nil {
		t.Fatal("no link to the next page")
	}
	_, body = b.get(strings.ReplaceAll(next[1], "&amp;", "&"))
	if n := len(rows.FindAllString(body, -1)); n != 2 {
		t.Errorf("second page has %d rows, want 2", n)
	}
	if strings.Contains(body, `rel="next"`) {
		t.Error("the last page links to a next page")
	}
	if !strings.Contains(body, `href="/applications" rel="first"`) {
		t.Error("the second page does not link to the first")
	}
	_, body = b.get("/applications?status=submitted&destination=NL")
	if n := len(rows.FindAllString(body, -1)); n != 5 { // i = 0, 6, 12, 18, 24
		t.Errorf("submitted to NL: %d rows, want 5", n)
	}
	_, body = b.get("/applications?q=Dutch+Navy+9")
	if n := len(rows.FindAllString(body, -1)); n != 1 {
		t.Errorf("search for an end user: %d rows, want 1", n)
	}
	code, body = b.get("/applications?status=nonsense")
	wantStatus(t, "an unknown status", code, http.StatusUnprocessableEntity, body)
	code, body = b.get("/applications?destination=XX")
	wantStatus(t, "an unknown destination", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#destination"`) {
		t.Error("the error summary does not link to the destination filter")
	}
	code, body = b.get("/licences?status=nonsense")
	wantStatus(t, "an unknown licence status", code, http.StatusUnprocessableEntity, body)
	// Exporters see only their own.
	other := e.browser(t)
	other.signIn("exporter2")
	_, body = other.get("/applications")
	if n := len(rows.FindAllString(body, -1)); n != 0 {
		t.Errorf("exporter2 sees %d of exporter1's applications", n)
	}
}
