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
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
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

// TestBrowserCaseLifecycle: an exporter drafts and submits an application,
// a case officer decides it, the licence is issued and suspended.
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

	// The case officer takes it from the Submitted queue and decides it.
	refLink := `//table[@id="applications"]//a[normalize-space(.)="` + reference + `"]`
	do("officer signs in", signInSteps(base, "officer1"))
	do("open the case from the Submitted queue",
		chromedp.Click(chromedp.CSS(`a[href="/applications?status=submitted"]`)),
		xpath(refLink),
		chromedp.Click(chromedp.Search(refLink)),
		chromedp.WaitVisible(chromedp.ID("action-begin_checks")),
	)
	do("begin checks",
		chromedp.Click(chromedp.ID("action-begin_checks")),
		xpath(`//span[@id="case-status"]/strong[contains(@class,"app-status--initial_checks")]`),
	)
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
		"Case decided", "Licence issued", "Licence suspended", reason} {
		if !strings.Contains(history, want) {
			t.Errorf("the case history lacks %q", want)
		}
	}
	screenshot(ctx, t, "case-final")
	if p := problems(); len(p) > 0 {
		t.Errorf("the browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}
