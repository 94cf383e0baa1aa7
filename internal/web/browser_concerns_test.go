package web_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/concern"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// TestBrowserAnonymousConcern: someone without an account raises a concern
// with a file, keeps the receipt code and the signed receipt, comes back
// with the code, adds information, reads the handler's response, contests
// it, and sees the concern escalated.
func TestBrowserAnonymousConcern(t *testing.T) {
	ctx, problems := newChrome(t)
	e := newConcernEnv(t, nil)
	base := e.url
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
	evidence := filepath.Join(t.TempDir(), "minutes.txt")
	if err := os.WriteFile(evidence, []byte("Minutes of 3 March: the cut-off date was moved."), 0o644); err != nil {
		t.Fatal(err)
	}

	do("open the form without signing in", chromedp.Navigate(base+"/report"), chromedp.WaitVisible(chromedp.ID("send-concern")))
	// A missing field comes back named, with what was typed kept.
	do("send without points",
		chromedp.SendKeys(chromedp.ID("summary"), "The cut-off date was moved to exclude incident reports"),
		chromedp.Click(chromedp.ID("send-concern")),
		xpath(`//div[contains(@class,"govuk-error-summary")]//a[@href="#points"]`),
		xpath(`//input[@id="summary"][@value="The cut-off date was moved to exclude incident reports"]`),
	)
	do("fill in and send",
		chromedp.SendKeys(chromedp.ID("details"), "On 3 March the assessment's evidence cut-off was moved back a week, after three reports of strikes on clinics arrived."),
		chromedp.SendKeys(chromedp.ID("points"), "Who moved the cut-off date?\nWere the three reports considered?"),
		chromedp.SetUploadFiles(chromedp.ID("files"), []string{evidence}),
		chromedp.Click(chromedp.ID("send-concern")),
		chromedp.WaitVisible(chromedp.ID("receipt-code")),
	)
	screenshot(ctx, t, "concern-receipt")
	code := text(chromedp.Text(chromedp.ID("receipt-code")))
	if !regexp.MustCompile(`^([0-9A-Z]{4}-){6}[0-9A-Z]{4}$`).MatchString(code) {
		t.Fatalf("receipt code %q", code)
	}
	reference := text(chromedp.Text(chromedp.ID("reference")))
	receipt := text(chromedp.Text(chromedp.ID("signed-receipt")))
	content, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.ID("receipt-content")))
	if err != nil {
		t.Fatal(err)
	}
	key, err := e.st.ConcernReceiptKey(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	r, err := concern.VerifyReceipt(key, []byte(receipt+"\n"), []byte(content))
	if err != nil || r.Reference != reference {
		t.Fatalf("the receipt shown does not verify: %v (%+v)", err, r)
	}

	// Back later with the code, typed in lower case with spaces.
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	do("follow up with the code",
		chromedp.Navigate(base+"/report/follow-up"),
		chromedp.SendKeys(chromedp.ID("code"), typed),
		chromedp.Click(chromedp.ID("open-concern")),
		chromedp.WaitVisible(chromedp.ID("concern-reference")),
	)
	if got := text(chromedp.Text(chromedp.ID("concern-status"))); got != "received" {
		t.Errorf("status %q", got)
	}
	do("add information",
		chromedp.SendKeys(chromedp.ID("information-text"), "The change was made from a shared account."),
		chromedp.Click(chromedp.ID("add-information")),
		chromedp.WaitVisible(chromedp.ID("reporter-message")),
		xpath(`//ol[@id="concern-events"]//p[contains(.,"shared account")]`),
	)

	// The handler answers (through the service; the pages are tested elsewhere).
	page, err := e.st.ConcernList(context.Background(), e.staff.Handler, exportctl.ConcernFilter{})
	if err != nil || len(page.Items) != 1 {
		t.Fatalf("handler's list: %v %+v", err, page)
	}
	id := page.Items[0].ID
	c, err := e.st.Concern(context.Background(), e.staff.Handler, id)
	if err != nil || len(c.Content.Files) != 1 || c.Content.Files[0].Name != "minutes.txt" {
		t.Fatalf("the uploaded file: %v %+v", err, c)
	}
	if _, err := e.st.RespondToConcern(context.Background(), e.staff.Handler, id, storetest.SubstantiveResponse()); err != nil {
		t.Fatal(err)
	}

	do("read the response",
		chromedp.Navigate(base+"/report/follow-up"),
		chromedp.SendKeys(chromedp.ID("code"), code),
		chromedp.Click(chromedp.ID("open-concern")),
		xpath(`//div[contains(@class,"app-response")]//dd[contains(.,"The assessment was reopened")]`),
	)
	do("contest it",
		chromedp.SendKeys(chromedp.ID("contest-reasons"), "It does not say whether the licence decision will be reviewed."),
		chromedp.Click(chromedp.ID("contest")),
		chromedp.WaitVisible(chromedp.ID("reporter-message")),
	)
	screenshot(ctx, t, "concern-contested")
	if got := text(chromedp.Text(chromedp.ID("concern-status"))); got != "contested" {
		t.Errorf("status after contesting %q", got)
	}
	if got := text(chromedp.Text(chromedp.ID("concern-level"))); !strings.Contains(got, "Nominated officer") {
		t.Errorf("held by %q after contesting", got)
	}
	// The reporter never learns the handler's name.
	if body := text(chromedp.Text(chromedp.CSS("main"))); strings.Contains(body, "Hana") {
		t.Error("the reporter's page names the handler")
	}
	// A wrong code is refused on the form.
	do("wrong code",
		chromedp.Navigate(base+"/report/follow-up"),
		chromedp.SendKeys(chromedp.ID("code"), strings.Repeat("Z", 28)),
		chromedp.Click(chromedp.ID("open-concern")),
		xpath(`//div[contains(@class,"govuk-error-summary")]//a[@href="#code"]`),
	)

	// The nominated officer now holds it: refused a "noted" answer on the
	// form, then sends a substantive one.
	do("nominated officer opens the concern",
		staffSignIn(base, "nominated1", "Nora Nominated"),
		chromedp.Navigate(base+"/concerns"),
		chromedp.Click(chromedp.Search(`//table[@id="concerns"]//a[normalize-space(.)="`+reference+`"]`)),
		chromedp.WaitVisible(chromedp.ID("send-response")),
		xpath(`//ol[@id="concern-events"]//p[contains(.,"response contested: escalated to the nominated officer")]`),
	)
	do("a response that says nothing",
		chromedp.SendKeys(chromedp.ID("finding-0"), "Thank you, we have noted your concerns."),
		chromedp.SendKeys(chromedp.ID("finding-1"), "Noted."),
		chromedp.SendKeys(chromedp.ID("response-action"), "Under review."),
		chromedp.SendKeys(chromedp.ID("grounds"), "We take all concerns seriously."),
		chromedp.Click(chromedp.ID("send-response")),
		xpath(`//div[contains(@class,"govuk-error-summary")]//a[contains(.,"is not a finding")]`),
	)
	resp := storetest.SubstantiveResponse()
	do("a substantive response",
		chromedp.Clear(chromedp.ID("finding-0")), chromedp.SendKeys(chromedp.ID("finding-0"), resp.Findings[0]),
		chromedp.Clear(chromedp.ID("finding-1")), chromedp.SendKeys(chromedp.ID("finding-1"), resp.Findings[1]),
		chromedp.Clear(chromedp.ID("response-action")), chromedp.SendKeys(chromedp.ID("response-action"), resp.Action),
		chromedp.Clear(chromedp.ID("grounds")), chromedp.SendKeys(chromedp.ID("grounds"), resp.Grounds),
		chromedp.Click(chromedp.ID("send-response")),
		xpath(`//p[contains(@class,"govuk-notification-banner__heading")][contains(.,"Response sent")]`),
	)
	screenshot(ctx, t, "concern-handling")
	if got := text(chromedp.Text(chromedp.ID("concern-status"))); got != "answered" {
		t.Errorf("status after the nominated officer's response: %q", got)
	}
	do("oversight sees every concern's clocks",
		chromedp.Click(chromedp.CSS(".app-user__form button")),
		chromedp.WaitVisible(chromedp.ID("sign-in")),
		staffSignIn(base, "oversight1", "Olu Oversight"),
		chromedp.Navigate(base+"/concerns"),
		xpath(`//table[@id="concerns"]//td[contains(.,"Nominated officer")]`),
	)
	screenshot(ctx, t, "concern-oversight")
	if p := problems(); len(p) > 0 {
		t.Errorf("browser problems: %v", p)
	}
	if logs := e.logs.String(); strings.Contains(logs, "/report") {
		t.Errorf("the server logged the reporting channel:\n%s", logs)
	}
}

// staffSignIn signs in a concerns staff member, whose display name differs from the username.
func staffSignIn(base, username, name string) chromedp.Action[chromedp.Void] {
	return chromedp.Steps(
		chromedp.Navigate(base+"/login"),
		chromedp.WaitVisible(chromedp.ID("sign-in")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
		chromedp.Click(chromedp.ID("sign-in")),
		xpath(`//span[contains(@class,"app-user__name")][normalize-space(.)="`+name+`"]`),
	)
}
