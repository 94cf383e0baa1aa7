package web

// Tests of the service clock and performance endpoints and page. This file
// is in package web (not web_test) so that it can render the
// "service-clock" partial and the page template with crafted data, and
// wire the routes itself while they are not yet registered by apiRoutes
// and pageRoutes.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdplog "github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// clockEnv is a server on a fresh SQLite store with a fixed clock.
type clockEnv struct {
	t   *testing.T
	url string
	fx  *storetest.Fixture
	srv *Server
	now *time.Time
}

// mondayMorning is when newClockEnv's clock starts: Monday 2 March 2026.
var mondayMorning = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

func newClockEnv(t *testing.T, start time.Time, wrap func(Services) Services) *clockEnv {
	t.Helper()
	now := start
	st := storetest.Open(t, "sqlite", func() time.Time { return now })
	fx := storetest.NewFixture(t, st)
	var svc Services = st
	if wrap != nil {
		svc = wrap(st)
	}
	srv, err := New(svc, Options{Logger: slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &clockEnv{t: t, url: ts.URL, fx: fx, srv: srv, now: &now}
}

// get calls the API with a user's bearer token ("" for none) and decodes
// a successful JSON answer into out.
func (e *clockEnv) get(user, path string, out any) (int, string) {
	e.t.Helper()
	req, _ := http.NewRequest("GET", e.url+path, nil)
	if user != "" {
		req.Header.Set("Authorization", "Bearer "+e.fx.Tokens[user])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
		e.t.Errorf("GET %s: %d with Content-Type %q, want a problem", path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if out != nil && resp.StatusCode == http.StatusOK {
		if err := json.Unmarshal(body, out); err != nil {
			e.t.Fatalf("GET %s: %v\n%s", path, err, body)
		}
	}
	return resp.StatusCode, string(body)
}

// page opens a page as a signed-in user ("" for anonymous), without
// following redirects. The session cookie is sent by hand: the store's
// fixed clock may put its expiry in the past, and a cookie jar would drop it.
func (e *clockEnv) page(user, path string) (int, string, http.Header) {
	e.t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	req, _ := http.NewRequest("GET", e.url+path, nil)
	if user != "" {
		resp, err := c.PostForm(e.url+"/login", url.Values{"username": {user}, "password": {"correct horse battery"}})
		if err != nil {
			e.t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusSeeOther {
			e.t.Fatalf("sign in as %s: %d", user, resp.StatusCode)
		}
		for _, ck := range resp.Cookies() {
			if ck.Name == sessionCookie {
				req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
			}
		}
	}
	resp, err := c.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body), resp.Header
}

func (e *clockEnv) submittedCase(svc Services) *exportctl.Application {
	e.t.Helper()
	ctx := context.Background()
	app, err := svc.CreateApplication(ctx, e.fx.Exporter, storetest.SampleApplication())
	if err != nil {
		e.t.Fatal(err)
	}
	if app, err = svc.Transition(ctx, e.fx.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
		e.t.Fatal(err)
	}
	return app
}

func TestClockAPI(t *testing.T) {
	var st Services
	e := newClockEnv(t, mondayMorning, func(s Services) Services { st = s; return s })
	app := e.submittedCase(st) // Monday 2 March 2026, 10:00 UTC
	*e.now = time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC)
	path := "/api/v1/applications/" + strconv.FormatInt(app.ID, 10) + "/clock"

	var c struct {
		ApplicationID int64            `json:"application_id"`
		Reference     string           `json:"reference"`
		State         string           `json:"state"`
		Running       bool             `json:"running"`
		Paused        bool             `json:"paused"`
		WorkingDays   int              `json:"working_days"`
		DaysTo20      int              `json:"days_to_20"`
		DaysTo60      int              `json:"days_to_60"`
		Target20Met   *bool            `json:"target_20_met"`
		Pauses        []map[string]any `json:"pauses"`
		SubmittedAt   *time.Time       `json:"submitted_at"`
		DecidedAt     *time.Time       `json:"decided_at"`
		Calendar      string           `json:"calendar"`
	}
	code, body := e.get("officer1", path, &c)
	if code != http.StatusOK {
		t.Fatalf("clock as the case officer: %d %s", code, body)
	}
	if c.ApplicationID != app.ID || c.Reference != app.Reference || c.State != "running" || !c.Running || c.Paused ||
		c.WorkingDays != 8 || c.DaysTo20 != 12 || c.DaysTo60 != 52 || c.Target20Met != nil || c.Pauses == nil ||
		c.SubmittedAt == nil || c.DecidedAt != nil || c.Calendar != "england-and-wales" {
		t.Errorf("clock: %s", body)
	}
	for _, key := range []string{`"target_20_met": null`, `"decided_at": null`, `"pauses": []`} {
		if !strings.Contains(body, key) {
			t.Errorf("clock JSON lacks %s: %s", key, body)
		}
	}
	if code, body := e.get("exporter1", path, &c); code != http.StatusOK || c.WorkingDays != 8 {
		t.Errorf("clock as the owner: %d %s", code, body)
	}
	if code, body := e.get("exporter2", path, nil); code != http.StatusNotFound {
		t.Errorf("clock as another exporter: %d %s", code, body)
	}
	if code, body := e.get("", path, nil); code != http.StatusUnauthorized {
		t.Errorf("clock anonymously: %d %s", code, body)
	}
	if code, body := e.get("officer1", "/api/v1/applications/999999/clock", nil); code != http.StatusNotFound {
		t.Errorf("clock of no case: %d %s", code, body)
	}

	// Performance: internal roles only; parameters are checked.
	var rep performanceReport
	if code, body := e.get("officer1", "/api/v1/performance", &rep); code != http.StatusOK || rep.Quarters == nil ||
		len(rep.Quarters) != 0 || rep.Target20Share != 0.7 || rep.Target60Share != 0.99 || rep.Target20Days != 20 {
		t.Errorf("performance with nothing decided: %d %s", code, body)
	}
	if code, body := e.get("officer1", "/api/v1/performance?licence_type=siel&from=2026-01-01&to=2027-01-01", &rep); code != http.StatusOK ||
		rep.LicenceType != "SIEL" || rep.From != "2026-01-01" || rep.To != "2027-01-01" {
		t.Errorf("performance with parameters: %d %s", code, body)
	}
	if code, body := e.get("", "/api/v1/performance", nil); code != http.StatusUnauthorized {
		t.Errorf("performance anonymously: %d %s", code, body)
	}
	if code, body := e.get("exporter1", "/api/v1/performance", nil); code != http.StatusForbidden {
		t.Errorf("performance as an exporter: %d %s", code, body)
	}
	for _, q := range []string{"licence_type=XYZ", "from=2026-13-01", "to=yesterday", "from=2026-06-01&to=2026-01-01"} {
		if code, body := e.get("officer1", "/api/v1/performance?"+q, nil); code != http.StatusUnprocessableEntity {
			t.Errorf("performance?%s: %d %s", q, code, body)
		}
	}
}

// cannedClocks serves fixed performance numbers, to test the page and the
// JSON shape without driving cases to a decision.
type cannedClocks struct {
	Services
	quarters []exportctl.QuarterPerformance
	asked    []string
}

func (c *cannedClocks) Clock(ctx context.Context, a exportctl.Actor, appID int64) (*exportctl.ServiceClock, error) {
	return nil, exportctl.NotFound("application", appID)
}

func (c *cannedClocks) Performance(ctx context.Context, a exportctl.Actor, licenceType string, from, to time.Time) ([]exportctl.QuarterPerformance, error) {
	if !a.Role.Internal() {
		return nil, exportctl.Forbidden("staff only")
	}
	c.asked = append(c.asked, licenceType+" "+from.Format(time.RFC3339)+" "+to.Format(time.RFC3339))
	return c.quarters, nil
}

var perfDataRE = regexp.MustCompile(`(?s)<script type="application/json" id="performance-data">(.*?)</script>`)

func TestClockPerformancePage(t *testing.T) {
	canned := &cannedClocks{quarters: []exportctl.QuarterPerformance{
		{Quarter: "2026 Q1", Decided: 4, Within20: 3, Within60: 4, Share20: 0.75, Share60: 1, MedianDays: 9.5},
		{Quarter: "2026 Q2", Decided: 3, Within20: 1, Within60: 2, Share20: 1.0 / 3, Share60: 2.0 / 3, MedianDays: 30},
		// A label that tries to end the JSON data block and run a script.
		{Quarter: `</script><script>alert(1)</script>`, Decided: 1, Within20: 1, Within60: 1, Share20: 1, Share60: 1, MedianDays: 1},
	}}
	e := newClockEnv(t, mondayMorning, func(s Services) Services { canned.Services = s; return canned })

	code, body, _ := e.page("officer1", "/performance?licence_type=SIEL&from=2026-01-01&to=2027-01-01")
	if code != http.StatusOK {
		t.Fatalf("performance page: %d\n%s", code, body)
	}
	for _, want := range []string{`id="performance"`, "2026 Q1", "75%", "100%", "33.3%", "66.7%", "9.5", "30.0",
		"Below target", "Met", "target 70%", "target 99%", "1 January 2026 to 31 December 2026",
		`src="/static/vendor/chartjs/chart.umd.min.js"`, `src="/static/performance.js"`, `<option value="SIEL" selected>`} {
		if !strings.Contains(body, want) {
			t.Errorf("performance page lacks %q", want)
		}
	}
	if strings.Contains(body, "<script>alert(1)") {
		t.Error("a label broke out of the JSON data block")
	}
	m := perfDataRE.FindStringSubmatch(body)
	if m == nil {
		t.Fatal("no JSON data block")
	}
	var chart performanceChart
	if err := json.Unmarshal([]byte(m[1]), &chart); err != nil {
		t.Fatalf("data block is not JSON: %v\n%s", err, m[1])
	}
	if len(chart.Labels) != 3 || chart.Labels[2] != `</script><script>alert(1)</script>` || chart.Share20[0] != 75 ||
		chart.Share20[1] != 33.3 || chart.Target20 != 70 || chart.Target60 != 99 || chart.Decided[1] != 3 {
		t.Errorf("chart data %+v", chart)
	}
	if len(canned.asked) != 1 || canned.asked[0] != "SIEL 2026-01-01T00:00:00Z 2027-01-01T00:00:00Z" {
		t.Errorf("the page asked for %q (dates are midnight in the UK: GMT in January)", canned.asked)
	}

	// The default window, and the page with no decisions.
	canned.quarters = nil
	code, body, _ = e.page("officer1", "/performance")
	if code != http.StatusOK || !strings.Contains(body, `id="no-decisions"`) || strings.Contains(body, "performance-data") ||
		!strings.Contains(body, "the current quarter and the seven before it") {
		t.Errorf("performance page with nothing decided: %d", code)
	}
	if canned.asked[1] != " 0001-01-01T00:00:00Z 0001-01-01T00:00:00Z" {
		t.Errorf("default window asked as %q, want zero times", canned.asked[1])
	}

	// Bad parameters go back to the form.
	code, body, _ = e.page("officer1", "/performance?from=2026-02-30&licence_type=XX")
	if code != http.StatusUnprocessableEntity || !strings.Contains(body, "govuk-error-summary") ||
		!strings.Contains(body, `href="#from"`) || !strings.Contains(body, `href="#licence_type"`) {
		t.Errorf("bad parameters: %d", code)
	}

	// Exporters are refused; anonymous users are sent to sign in.
	if code, body, _ := e.page("exporter1", "/performance"); code != http.StatusForbidden || strings.Contains(body, `id="performance"`) {
		t.Errorf("performance page as an exporter: %d", code)
	}
	if code, _, h := e.page("", "/performance"); code != http.StatusSeeOther || !strings.HasPrefix(h.Get("Location"), "/login") {
		t.Errorf("performance page anonymously: %d %s", code, h.Get("Location"))
	}

	// The API gives the same numbers.
	canned.quarters = canned.quarters[:0]
	canned.quarters = append(canned.quarters, exportctl.QuarterPerformance{Quarter: "2026 Q1", Decided: 4, Within20: 3, Within60: 4, Share20: 0.75, Share60: 1, MedianDays: 9.5})
	var raw map[string]any
	code, b := e.get("decider1", "/api/v1/performance?licence_type=SIEL", &raw)
	if code != http.StatusOK {
		t.Fatalf("performance API: %d %s", code, b)
	}
	qs, _ := raw["quarters"].([]any)
	if len(qs) != 1 {
		t.Fatalf("performance API: %s", b)
	}
	q := qs[0].(map[string]any)
	for k, v := range map[string]any{"quarter": "2026 Q1", "decided": 4.0, "within_20": 3.0, "within_60": 4.0, "share_20": 0.75, "share_60": 1.0, "median_days": 9.5} {
		if q[k] != v {
			t.Errorf("performance API %s = %v, want %v", k, q[k], v)
		}
	}
}

func TestClockPartial(t *testing.T) {
	srv, err := New(storetest.Open(t, "sqlite", nil), Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	tpl := srv.pages["performance"]
	render := func(c *exportctl.ServiceClock) string {
		t.Helper()
		var buf bytes.Buffer
		if err := tpl.ExecuteTemplate(&buf, "service-clock", c); err != nil {
			t.Fatal(err)
		}
		return html.UnescapeString(buf.String())
	}
	if out := strings.TrimSpace(render(nil)); out != "" {
		t.Errorf("nil clock renders %q", out)
	}
	day := func(d int) *time.Time { t := time.Date(2026, 3, d, 10, 0, 0, 0, time.UTC); return &t }
	f, tr := false, true
	cases := []struct {
		name string
		c    exportctl.ServiceClock
		want []string
	}{
		{"not started", exportctl.ServiceClock{State: exportctl.ClockNotStarted, DaysTo20: 20, DaysTo60: 60}, []string{"Not started"}},
		{"running", exportctl.ServiceClock{State: exportctl.ClockRunning, Running: true, SubmittedAt: day(2), WorkingDays: 8, DaysTo20: 12, DaysTo60: 52, Calendar: "england-and-wales"},
			[]string{"Running", "since submission on 2 Mar 2026", "12 working days left", "52 working days left", "england-and-wales"}},
		{"paused", exportctl.ServiceClock{State: exportctl.ClockPaused, Paused: true, SubmittedAt: day(2), WorkingDays: 5, DaysTo20: 15, DaysTo60: 55,
			Pauses: []exportctl.Pause{{From: day(9), Reason: "What is the end use? <b>"}}},
			[]string{"Paused", "with the exporter", "9 Mar 2026 to now: What is the end use? <b>"}},
		{"missed", exportctl.ServiceClock{State: exportctl.ClockDecided, SubmittedAt: day(2), DecidedAt: day(31), StoppedAt: day(31), WorkingDays: 21, DaysTo20: -1, DaysTo60: 39, Target20Met: &f, Target60Met: &tr,
			Pauses: []exportctl.Pause{{From: day(9), To: day(16), Reason: "query"}}},
			[]string{"Stopped", "Decided on 31 Mar 2026", "Missed", "21 working days against 20", "Met", "9 Mar 2026 to 16 Mar 2026: query"}},
		{"withdrawn", exportctl.ServiceClock{State: exportctl.ClockWithdrawn, SubmittedAt: day(2), StoppedAt: day(4), WorkingDays: 2, DaysTo20: 18, DaysTo60: 58},
			[]string{"Withdrawn on 4 Mar 2026", "Not applicable: withdrawn"}},
	}
	for _, tc := range cases {
		out := render(&tc.c)
		for _, w := range tc.want {
			if !strings.Contains(out, w) {
				t.Errorf("%s: the partial lacks %q:\n%s", tc.name, w, out)
			}
		}
	}
	// The reason is escaped before unescaping above: check the raw output.
	var buf bytes.Buffer
	tpl.ExecuteTemplate(&buf, "service-clock", &cases[2].c)
	if strings.Contains(buf.String(), "<b>") {
		t.Error("a pause reason is not escaped")
	}
}

// TestClockPerformanceChartInBrowser opens the performance page in
// headless Chromium: the chart is drawn under the page's
// Content-Security-Policy, with no script errors or failed assets.
func TestClockPerformanceChartInBrowser(t *testing.T) {
	chrome := "/usr/bin/chromium"
	if p := os.Getenv("EXPORTCTL_CHROME"); p != "" {
		chrome = p
	}
	if _, err := os.Stat(chrome); err != nil {
		t.Skip("Chromium not found: set EXPORTCTL_CHROME")
	}
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	canned := &cannedClocks{quarters: []exportctl.QuarterPerformance{
		{Quarter: "2026 Q1", Decided: 4, Within20: 3, Within60: 4, Share20: 0.75, Share60: 1, MedianDays: 9.5},
		{Quarter: "2026 Q2", Decided: 3, Within20: 1, Within60: 2, Share20: 1.0 / 3, Share60: 2.0 / 3, MedianDays: 30},
	}}
	// Real time, so that the browser keeps the session cookie.
	e := newClockEnv(t, time.Now(), func(s Services) Services { canned.Services = s; return canned })

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	actx, acancel := chromedp.NewExecAllocator(ctx, chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.Headless,
		chromedp.DisableGPU, chromedp.Flag("no-first-run", true), chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1200, 900))
	defer acancel()
	var mu sync.Mutex
	var problems []string
	bctx, bcancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		var p string
		switch ev := ev.(type) {
		case *network.EventResponseReceived:
			if ev.Response != nil && ev.Response.Status >= 400 {
				p = fmt.Sprintf("%d %s", ev.Response.Status, ev.Response.URL)
			}
		case *runtime.EventExceptionThrown:
			if d := ev.ExceptionDetails; d != nil {
				p = fmt.Sprintf("script exception at %s:%d: %s", d.URL, d.LineNumber, d.Text)
			}
		case *cdplog.EventEntryAdded:
			if ev.Entry != nil && ev.Entry.Level == cdplog.EntryLevelError {
				p = "console: " + ev.Entry.Text
			}
		}
		if p != "" {
			mu.Lock()
			problems = append(problems, p)
			mu.Unlock()
		}
	}))
	defer bcancel()

	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	err := chromedp.Do(bctx,
		chromedp.Navigate(e.url+"/login?next=/performance"),
		chromedp.WaitVisible(chromedp.ID("sign-in")),
		chromedp.SendKeys(chromedp.ID("username"), "officer1"),
		chromedp.SendKeys(chromedp.ID("password"), "correct horse battery"),
		chromedp.Click(chromedp.ID("sign-in")),
		chromedp.WaitVisible(chromedp.ID("performance-chart")),
	)
	if err != nil {
		t.Fatalf("browser: %v", err)
	}
	drawn, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`!!(window.Chart && Chart.getChart(document.getElementById('performance-chart')))`))
	if err != nil {
		t.Fatal(err)
	}
	width, err := chromedp.Run(bctx, chromedp.Evaluate[float64](`document.getElementById('performance-chart').getBoundingClientRect().width`))
	if err != nil {
		t.Fatal(err)
	}
	if !drawn || width < 100 {
		t.Errorf("chart drawn %v, width %v", drawn, width)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(problems) > 0 {
		t.Errorf("browser problems:\n%s", strings.Join(problems, "\n"))
	}
}
