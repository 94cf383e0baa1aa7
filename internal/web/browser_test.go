package web_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/exportctl/exportctl/internal/store/storetest"
)

// chromePath finds Chromium: EXPORTCTL_CHROME, /usr/bin/chromium, or
// chromium on the PATH; the test skips without one.
func chromePath(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("EXPORTCTL_CHROME"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	t.Skip("Chromium not found: install chromium (apt-get install chromium) or set EXPORTCTL_CHROME")
	return ""
}

// newChrome starts a headless Chromium with a fresh profile. It records
// failed requests, script exceptions and console errors, so the test can
// insist on none.
func newChrome(t *testing.T) (context.Context, func() []string) {
	t.Helper()
	path := chromePath(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	}
	// One deadline for the whole test, browser included: generous, as CI
	// runs with -race on two cores.
	ctx, cancel := context.WithTimeout(context.Background(), 240*time.Second)
	t.Cleanup(cancel)
	actx, acancel := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(acancel)

	var mu sync.Mutex
	var problems []string
	listener := func(ev any) {
		var p string
		switch ev := ev.(type) {
		case *network.EventResponseReceived:
			// 404 and 422 pages are answers the test asks for; a failing
			// asset (stylesheet, script, font, icon) is a bug.
			if ev.Response != nil && ev.Response.Status >= 400 && ev.Type != network.ResourceTypeDocument {
				p = fmt.Sprintf("%d %s", ev.Response.Status, ev.Response.URL)
			}
		case *network.EventLoadingFailed:
			if ev.Type != network.ResourceTypeDocument && !ev.Canceled {
				p = fmt.Sprintf("loading failed (%s): %s", ev.Type, ev.ErrorText)
			}
		case *runtime.EventExceptionThrown:
			if d := ev.ExceptionDetails; d != nil {
				p = fmt.Sprintf("script exception at %s:%d: %s", d.URL, d.LineNumber, d.Text)
				if d.Exception != nil {
					p += " " + d.Exception.Description
				}
			}
		case *log.EventEntryAdded:
			// The browser logs each 4xx document as an error; those are expected.
			if e := ev.Entry; e != nil && e.Level == log.EntryLevelError && !strings.Contains(e.Text, "the server responded with a status of 4") {
				p = "console: " + e.Text + " " + e.URL
			}
		}
		if p != "" {
			mu.Lock()
			problems = append(problems, p)
			mu.Unlock()
		}
	}
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf), chromedp.WithListener(listener))
	t.Cleanup(bcancel)
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return bctx, func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), problems...)
	}
}

// xpath waits for an element that an XPath query finds to be visible.
func xpath(expr string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.Search(expr))
}

func signInSteps(base, username string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("sign-in")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
		chromedp.Click(chromedp.ID("sign-in")),
		xpath(`//span[contains(@class,"app-user__name")][normalize-space(.)="`+username+`"]`),
	)
}

func screenshot(ctx context.Context, t *testing.T, name string) string {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot %s: %v", name, err)
	}
	path := filepath.Join(os.TempDir(), "exportctl-"+name+".png")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)
	return path
}

// TestBrowserCaseLifecycle: an exporter drafts and submits an application;
// a case officer checks it and starts the review; two advisory teams advise
// on every good and party; the officer assesses the case against the
// criteria and submits final advice; a second officer countersigns; the
// decision maker issues the licence, which is then suspended.
func TestBrowserCaseLifecycle(t *testing.T) {
	ctx, problems := newChrome(t)
	e := newPageEnv(t)
	base := e.srv.URL
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	text := func(sel chromedp.Action[string]) string {
		t.Helper()
		s, err := chromedp.Run(ctx, sel)
		if err != nil {
			t.Fatalf("read text: %v", err)
		}
		return strings.TrimSpace(s)
	}

	// The exporter drafts an application.
	do("exporter signs in", signInSteps(base, "exporter1"))
	do("start a new application",
		chromedp.Navigate(base+"/applications"),
		chromedp.Click(chromedp.ID("new-application")),
		chromedp.WaitVisible(chromedp.ID("create-application")),
		chromedp.Click(chromedp.ID("licence_type")), // SIEL
		chromedp.Click(chromedp.ID("export_type")),  // permanent
		chromedp.SendKeys(chromedp.ID("end_use"), "Spares for the end user's F-16 fleet"),
		chromedp.Click(chromedp.ID("create-application")),
		chromedp.WaitVisible(chromedp.ID("add-good-button")),
	)
	reference := text(chromedp.Text(chromedp.ID("reference")))
	if !regexp.MustCompile(`^GBSIEL/\d{4}/\d{7}/P$`).MatchString(reference) {
		t.Fatalf("draft reference %q", reference)
	}
	fillGood := func(desc, rating, qty, unit, value, componentOf string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(
			chromedp.SendKeys(chromedp.ID("description"), desc),
			chromedp.SendKeys(chromedp.ID("rating"), rating),
			chromedp.SendKeys(chromedp.ID("quantity"), qty),
			chromedp.SetValue(chromedp.ID("unit"), unit),
			chromedp.SendKeys(chromedp.ID("value_gbp"), value),
			chromedp.SendKeys(chromedp.ID("component_of"), componentOf),
			chromedp.Click(chromedp.ID("add-good-button")),
		)
	}
	goodRow := func(rating string) chromedp.Action[chromedp.Void] {
		return xpath(`//table[@id="goods-table"]//td/strong[normalize-space(.)="` + rating + `"]`)
	}
	do("add the F-16 component", fillGood("Hydraulic actuators for F-16 landing gear", "ML10a", "40", "item", "185000", "F-16"), goodRow("ML10a"))
	// A value that is not a number comes back as an error on its field,
	// with what was typed kept.
	do("add technology with a bad value",
		fillGood("Technical manuals for the actuators", "ML22a", "1", "document", "a lot", ""),
		xpath(`//div[contains(@class,"govuk-error-summary")]//a[@href="#value_gbp"]`),
		xpath(`//input[@id="description"][@value="Technical manuals for the actuators"]`),
	)
	do("correct the value",
		chromedp.Clear(chromedp.ID("value_gbp")), // SetValue with "" fails in chromedp v0.23.0
		chromedp.SendKeys(chromedp.ID("value_gbp"), "12500"),
		chromedp.Click(chromedp.ID("add-good-button")),
		goodRow("ML22a"),
	)
	addParty := func(role, name, country, typ string) {
		t.Helper()
		do("add party "+name,
			chromedp.SetValue(chromedp.ID("role"), role),
			chromedp.SendKeys(chromedp.ID("name"), name),
			chromedp.SetValue(chromedp.ID("country"), country),
			chromedp.SetValue(chromedp.ID("type"), typ),
			chromedp.Click(chromedp.ID("add-party-button")),
			xpath(`//table[@id="parties-table"]//td[normalize-space(.)="`+name+`"]`),
		)
	}
	addParty("end_user", "Example Air Force", "IL", "armed_forces")
	addParty("consignee", "Example Aerospace Israel Ltd", "IL", "commercial")
	screenshot(ctx, t, "draft")
	do("submit",
		chromedp.Click(chromedp.ID("action-submit")),
		xpath(`//span[@id="case-status"]/strong[contains(@class,"app-status--submitted")]`),
	)
	if st := text(chromedp.Text(chromedp.ID("case-status"))); st != "submitted" {
		t.Fatalf("status after submitting: %q", st)
	}
	caseURL, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	caseURL, _, _ = strings.Cut(caseURL, "?") // without the flash message

	// The exporter cannot open another organisation's application.
	other, err := e.svc.CreateApplication(context.Background(), e.fx.OtherExporter, storetest.SampleApplication())
	if err != nil {
		t.Fatal(err)
	}
	otherPath := "/applications/" + strconv.FormatInt(other.ID, 10)
	do("open another organisation's application", chromedp.Navigate(base+otherPath))
	if h1 := text(chromedp.Text(chromedp.CSS("main h1"))); h1 != http.StatusText(http.StatusNotFound) {
		t.Errorf("another organisation's application shows %q, want the not-found page", h1)
	}
	b := e.browser(t)
	b.signIn("exporter1")
	if code, body := b.get(otherPath); code != http.StatusNotFound || strings.Contains(body, other.Reference) {
		t.Errorf("another organisation's application: status %d (want 404), reference shown: %v", code, strings.Contains(body, other.Reference))
	}

	do("sign out",
		chromedp.Click(chromedp.CSS(".app-user__form button")),
		chromedp.WaitVisible(chromedp.ID("sign-in")),
	)

	signOut := chromedp.Steps(
		chromedp.Click(chromedp.CSS(".app-user__form button")),
		chromedp.WaitVisible(chromedp.ID("sign-in")),
	)
	statusIs := func(st string) chromedp.Action[chromedp.Void] {
		return xpath(`//span[@id="case-status"]/strong[contains(@class,"app-status--` + st + `")]`)
	}
	strs := func(expr string) []string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return v
	}

	// The case officer takes it from the Submitted queue, checks it and
	// starts the review.
	refLink := `//table[@id="applications"]//a[normalize-space(.)="` + reference + `"]`
	do("officer signs in", signInSteps(base, "officer1"))
	do("open the case from the Submitted queue",
		chromedp.Click(chromedp.CSS(`a[href="/applications?status=submitted"]`)),
		xpath(refLink),
		chromedp.Click(chromedp.Search(refLink)),
		chromedp.WaitVisible(chromedp.ID("action-begin_checks")),
	)
	do("begin checks", chromedp.Click(chromedp.ID("action-begin_checks")), statusIs("initial_checks"))
	do("start review", chromedp.Click(chromedp.ID("action-start_review")), statusIs("under_review"))
	if n := strs(`Array.from(document.querySelectorAll('#decision-form')).map(f => f.id)`); len(n) != 0 {
		t.Error("the case officer is offered the decision form")
	}
	do("officer signs out", signOut)

	// Each team advises on every good and party through the form.
	for _, adviser := range []string{"fcdo1", "mod1"} {
		do(adviser+" signs in", signInSteps(base, adviser), chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.ID("advice-form")))
		subjects := strs(`Array.from(document.querySelectorAll('#advice-subject option')).map(o => o.value)`)
		if len(subjects) != 4 {
			t.Fatalf("%s: the advice form offers %v, want 2 goods and 2 parties", adviser, subjects)
		}
		for i, sub := range subjects {
			choose := chromedp.Steps(chromedp.Click(chromedp.ID("advice-type"))) // approve
			if adviser == "fcdo1" && i == 0 {
				// A proviso reveals its conditions.
				choose = chromedp.Steps(
					chromedp.Click(chromedp.ID("advice-type-proviso")),
					chromedp.WaitVisible(chromedp.ID("advice-conditions")),
					chromedp.SendKeys(chromedp.ID("advice-conditions"), "No re-export without UK approval."),
				)
			}
			do(adviser+" advises on "+sub,
				chromedp.SetValue(chromedp.ID("advice-subject"), sub),
				choose,
				chromedp.SendKeys(chromedp.ID("advice-reasons"), "Considered by "+adviser+"."),
				chromedp.Click(chromedp.ID("give-advice")),
				// Options of a closed select are never visible: wait for the new page to hold it.
				chromedp.WaitReady(chromedp.Search(`//select[@id="advice-subject"]//option[@value="`+sub+`"][contains(., "your team advised")]`)),
			)
		}
		do(adviser+" signs out", signOut)
	}

	// The officer moves to final review and assesses the case.
	do("officer signs in again", signInSteps(base, "officer1"), chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.ID("action-final_review")))
	do("move to final review", chromedp.Click(chromedp.ID("action-final_review")), statusIs("under_final_review"), chromedp.WaitVisible(chromedp.ID("assessment-form")))
	if got := text(chromedp.Text(chromedp.ID("combined-advice"))); !strings.Contains(got, "proviso") || !strings.Contains(got, "FCDO, MOD") {
		t.Errorf("the combined advice lacks the proviso or the teams:\n%s", got)
	}
	// Changing the criteria set reloads the form with that set's criteria.
	do("switch to the ATT criteria",
		chromedp.Evaluate[chromedp.Void](`(s => { s.value = 'att-2013'; s.dispatchEvent(new Event('change')) })(document.getElementById('criteria_set'))`),
		chromedp.WaitVisible(chromedp.ID("finding-7-1b-i")),
		chromedp.WaitVisible(chromedp.ID("ihl-past_violations")),
	)
	do("switch back to the UK criteria",
		chromedp.Evaluate[chromedp.Void](`(s => { s.value = 'uk-selc-2021'; s.dispatchEvent(new Event('change')) })(document.getElementById('criteria_set'))`),
		chromedp.WaitVisible(chromedp.ID("finding-2c")),
	)
	findings := strs(`Array.from(document.querySelectorAll('#assessment-form select[id^="finding-"]')).map(s => s.id)`)
	if len(findings) != 12 {
		t.Fatalf("the UK criteria give %d findings, want 12: %v", len(findings), findings)
	}
	var fill []chromedp.Action[chromedp.Void]
	fill = append(fill, chromedp.SetValue(chromedp.ID("evidence_cutoff"), time.Now().UTC().AddDate(0, 0, -1).Format(time.DateOnly)))
	for _, id := range findings {
		code := strings.TrimPrefix(id, "finding-")
		fill = append(fill,
			chromedp.SetValue(chromedp.ID(id), "no_risk"),
			chromedp.SendKeys(chromedp.ID("reasoning-"+code), "No risk under "+code+"."))
	}
	for _, f := range []string{"past_violations", "pattern", "conduct_of_hostilities", "humanitarian_access", "detainees", "recipient_investigations", "assurances"} {
		fill = append(fill, chromedp.SendKeys(chromedp.ID("ihl-"+f), "Finding on "+strings.ReplaceAll(f, "_", " ")+"."))
	}
	fill = append(fill, chromedp.SendKeys(chromedp.ID("evidence-2c"), "incident: SIND-42822\ndocument: https://example.org/report | UN panel"))
	do("fill the assessment", fill...)
	do("show the assessment form", chromedp.ScrollIntoView(chromedp.ID("assessment")))
	screenshot(ctx, t, "assessment-form")
	do("finalise the assessment",
		chromedp.Click(chromedp.ID("finalise-assessment")),
		xpath(`//table[@id="assessment-versions"]//strong[contains(@class,"app-status--final")]`),
	)
	do("submit final advice",
		chromedp.Click(chromedp.ID("fa-recommendation")), // issue
		chromedp.SendKeys(chromedp.ID("fa-reasons"), "No clear risk under any criterion; the teams approve, FCDO with a proviso."),
		chromedp.SendKeys(chromedp.ID("fa-conditions"), "No re-export without UK approval."),
		chromedp.Click(chromedp.ID("submit-final-advice")),
		statusIs("countersigning"),
		chromedp.WaitVisible(chromedp.ID("sign-note")), // the author may not countersign
	)
	do("officer signs out", signOut)

	// A second officer countersigns.
	do("officer2 signs in", signInSteps(base, "officer2"), chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.ID("countersign-form")))
	do("countersign",
		chromedp.Click(chromedp.ID("cs-decision")), // approve
		chromedp.Click(chromedp.ID("countersign-button")),
		statusIs("awaiting_decision"),
	)
	do("officer2 signs out", signOut)

	// The decision maker decides.
	do("decision maker signs in", signInSteps(base, "decider1"), chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.ID("decision-form")))
	screenshot(ctx, t, "decision-form")
	do("record the decision",
		chromedp.Click(chromedp.ID("outcome")), // issued
		chromedp.SendKeys(chromedp.ID("reasons"), "Consistent with the criteria; the end user is the national air force."),
		chromedp.Click(chromedp.ID("record-decision")),
		chromedp.WaitVisible(chromedp.ID("licence-link")),
	)
	if out := text(chromedp.Text(chromedp.ID("case-outcome"))); out != "issued" {
		t.Errorf("outcome %q, want issued", out)
	}
	screenshot(ctx, t, "case")
	do("open the decision record",
		chromedp.Click(chromedp.ID("record-link")),
		chromedp.WaitVisible(chromedp.ID("record-heading")),
	)
	record := text(chromedp.Text(chromedp.CSS("main")))
	for _, want := range []string{"Advice and resolutions", "No re-export without UK approval.", "SIND-42822", "Finding on detainees.",
		"officer2", "Consistent with the criteria", "Generated at"} {
		if !strings.Contains(record, want) {
			t.Errorf("the decision record lacks %q", want)
		}
	}
	screenshot(ctx, t, "record")
	do("back to the case", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.ID("licence-link")))

	do("follow the licence link",
		chromedp.Click(chromedp.ID("licence-link")),
		chromedp.WaitVisible(chromedp.ID("licence-reference")),
	)
	licRef := text(chromedp.Text(chromedp.ID("licence-reference")))
	if !regexp.MustCompile(`^GBSIEL/\d{4}/\d{7}/P$`).MatchString(licRef) {
		t.Errorf("licence reference %q", licRef)
	}
	if st := text(chromedp.Text(chromedp.ID("licence-status"))); st != "issued" {
		t.Errorf("licence status %q, want issued", st)
	}
	if v := text(chromedp.Text(chromedp.ID("validity"))); !regexp.MustCompile(`^\d{4}-\d\d-\d\d to \d{4}-\d\d-\d\d$`).MatchString(v) {
		t.Errorf("validity %q", v)
	}
	if c := text(chromedp.Text(chromedp.ID("licence-conditions"))); c != "No re-export without UK approval." {
		t.Errorf("the licence carries conditions %q, want FCDO's proviso", c)
	}
	const reason = "End user named in a credible report of IHL violations; suspended pending review."
	do("suspend the licence",
		chromedp.SendKeys(chromedp.ID("reasons-suspend"), reason),
		chromedp.Click(chromedp.ID("action-suspend")),
		xpath(`//span[@id="licence-status"]/strong[contains(@class,"app-status--suspended")]`),
	)
	if st := text(chromedp.Text(chromedp.ID("licence-status"))); st != "suspended" {
		t.Errorf("licence status after suspending: %q", st)
	}
	history := text(chromedp.Text(chromedp.CSS(".app-history")))
	if !strings.Contains(history, "Licence suspended") || !strings.Contains(history, reason) {
		t.Errorf("the licence history lacks the suspension and its reasons:\n%s", history)
	}
	screenshot(ctx, t, "licence")

	// Back on the case page, the whole history is there.
	do("case page at the end", chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.CSS(".app-history")))
	history = text(chromedp.Text(chromedp.CSS(".app-history")))
	for _, want := range []string{"Application drafted", "Goods added", "Party added", "Application submitted", "Initial checks begun",
		"Review started", "Advice given", "Moved to final review", "Assessment saved", "Final advice submitted", "Final advice countersigned",
		"Case decided", "Licence issued", "Licence suspended", reason} {
		if !strings.Contains(history, want) {
			t.Errorf("the case history lacks %q", want)
		}
	}
	screenshot(ctx, t, "case-final")
	do("decision maker signs out", signOut)

	// The exporter sees the outcome, not the process.
	do("exporter signs in again", signInSteps(base, "exporter1"), chromedp.Navigate(caseURL), chromedp.WaitVisible(chromedp.ID("licence-link")))
	if ids := strs(`Array.from(document.querySelectorAll('#advice, #assessment, #final-advice, #countersigning, #record-link')).map(e => e.id)`); len(ids) != 0 {
		t.Errorf("the exporter's case page shows %v", ids)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("the browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}
