package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/concern"
	"github.com/exportctl/exportctl/internal/store/storetest"
	"github.com/exportctl/exportctl/internal/web"
)

// syncBuffer collects log output written from the server's goroutines.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

type concernEnv struct {
	url   string
	st    web.Services
	fx    *storetest.Fixture
	staff *storetest.ConcernStaff
	logs  *syncBuffer
}

// newConcernEnv serves a fresh SQLite store; every log line at every level
// goes to logs.
func newConcernEnv(t *testing.T, wrap func(web.Services) web.Services) *concernEnv {
	t.Helper()
	st := storetest.Open(t, "sqlite", nil)
	e := &concernEnv{st: st, fx: storetest.NewFixture(t, st), staff: storetest.NewConcernStaff(t, st), logs: &syncBuffer{}}
	var svc web.Services = st
	if wrap != nil {
		svc = wrap(st)
	}
	srv, err := web.New(svc, web.Options{Logger: slog.New(slog.NewTextHandler(e.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	e.url = ts.URL
	return e
}

// call sends JSON with an optional token and decodes the answer.
func (e *concernEnv) call(t *testing.T, token, method, path string, body any, out any) int {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, e.url+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	req.Header.Set("User-Agent", "Reporter-Browser/9.9 (fingerprint-zz91)")
	req.Header.Set("X-Forwarded-For", "203.0.113.77")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
		}
	}
	return resp.StatusCode
}

func TestConcernAPI(t *testing.T) {
	e := newConcernEnv(t, nil)
	in := storetest.SampleConcern(0)
	in.Files = []exportctl.ConcernFileInput{{Name: "memo.txt", ContentType: "text/plain", Data: []byte("the memo")}}
	var rec exportctl.ConcernReceipt
	if code := e.call(t, "", "POST", "/api/v1/report", in, &rec); code != http.StatusCreated || rec.Code == "" || rec.Receipt == "" {
		t.Fatalf("anonymous submission: %d %+v", code, rec)
	}
	var prob map[string]any
	if code := e.call(t, "", "POST", "/api/v1/report", map[string]any{"summary": "x"}, &prob); code != http.StatusUnprocessableEntity || prob["field"] == nil {
		t.Errorf("incomplete concern: %d %v", code, prob)
	}
	var view exportctl.Concern
	if code := e.call(t, "", "POST", "/api/v1/report/concern", map[string]string{"code": rec.Code}, &view); code != 200 || view.Reference != rec.Reference || view.Handler != "" {
		t.Fatalf("reporter view: %d %+v", code, view)
	}
	if code := e.call(t, "", "POST", "/api/v1/report/concern", map[string]string{"code": strings.Replace(rec.Code, rec.Code[len(rec.Code)-1:], "0", 1) + ""}, &prob); code != http.StatusUnauthorized && code != http.StatusOK {
		t.Errorf("wrong code: %d", code)
	}
	// Handling: the assigned handler lists, reads, is refused a "noted" response, then answers.
	handler := e.staff.Tokens["handler1"]
	var list exportctl.Page[exportctl.ConcernSummary]
	if code := e.call(t, handler, "GET", "/api/v1/concerns", nil, &list); code != 200 || list.Total != 1 {
		t.Fatalf("handler list: %d %+v", code, list)
	}
	path := "/api/v1/concerns/" + itoa(rec.ID)
	var c exportctl.Concern
	if code := e.call(t, handler, "GET", path, nil, &c); code != 200 || c.Content == nil || c.Content.Summary != in.Summary {
		t.Fatalf("handler reads: %d %+v", code, c)
	}
	noted := exportctl.ConcernResponseInput{Findings: []string{"Noted.", "Noted."}, Action: "We have noted your concerns.", Grounds: "Thank you."}
	if code := e.call(t, handler, "POST", path+"/responses", noted, &prob); code != http.StatusUnprocessableEntity || !strings.Contains(prob["detail"].(string), "not a finding") {
		t.Fatalf("noted response: %d %v", code, prob)
	}
	if code := e.call(t, handler, "POST", path+"/responses", storetest.SubstantiveResponse(), nil); code != http.StatusCreated {
		t.Fatalf("substantive response: %d", code)
	}
	if code := e.call(t, "", "POST", "/api/v1/report/contest", map[string]string{"code": rec.Code, "reasons": "It does not say who will review the decision."}, &view); code != 200 || view.Status != exportctl.ConcernContested {
		t.Fatalf("contest: %d %s", code, view.Status)
	}
	// Roles: an exporter and a case officer may not list concerns; nobody without a token.
	for _, u := range []string{"exporter1", "officer1"} {
		if code := e.call(t, e.fx.Tokens[u], "GET", "/api/v1/concerns", nil, nil); code != http.StatusForbidden {
			t.Errorf("%s lists concerns: %d", u, code)
		}
	}
	if code := e.call(t, "", "GET", path, nil, nil); code != http.StatusUnauthorized {
		t.Errorf("anonymous read of a concern: %d", code)
	}
	// The nominated officer now holds it; evidence downloads as an attachment.
	req, _ := http.NewRequest("GET", e.url+path+"/files/1", nil)
	req.Header.Set("Authorization", "Bearer "+e.staff.Tokens["nominated1"])
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "the memo" || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("evidence file: %d %q %q", resp.StatusCode, body, resp.Header.Get("Content-Disposition"))
	}
	// Public: statistics and the receipt key, and the receipt verifies with the served key.
	var stats struct {
		Items []exportctl.ConcernQuarter `json:"items"`
	}
	if code := e.call(t, "", "GET", "/api/v1/public/concerns/statistics", nil, &stats); code != 200 || len(stats.Items) != 8 {
		t.Errorf("statistics: %d %d quarters", code, len(stats.Items))
	}
	resp, err = http.Get(e.url + "/public/concerns/key")
	if err != nil {
		t.Fatal(err)
	}
	key, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if _, err := concern.VerifyReceipt(string(key), []byte(rec.Receipt), []byte(rec.Content)); err != nil {
		t.Errorf("the receipt does not verify with the published key: %v", err)
	}
}

// failingSubmit makes SubmitConcern fail inside, to see what the server logs then.
type failingSubmit struct{ web.Services }

func (f failingSubmit) SubmitConcern(ctx context.Context, a exportctl.Actor, in exportctl.ConcernInput) (*exportctl.ConcernReceipt, error) {
	return nil, exportctl.Internal("concern.submit", io.ErrUnexpectedEOF)
}

// TestAnonymousRequestsLeaveNoTrace sends requests to the reporting
// channel with a distinctive user agent and forwarded address and checks
// that neither the log (at debug level) nor the metrics hold anything of
// them, while an ordinary request is logged and counted as usual.
func TestAnonymousRequestsLeaveNoTrace(t *testing.T) {
	e := newConcernEnv(t, nil)
	var rec exportctl.ConcernReceipt
	e.call(t, "", "POST", "/api/v1/report", storetest.SampleConcern(0), &rec)
	e.call(t, "", "POST", "/api/v1/report/concern", map[string]string{"code": rec.Code}, nil)
	_, _, wrong := concern.NewCode()
	e.call(t, "", "POST", "/api/v1/report/concern", map[string]string{"code": concern.FormatCode("ABCDEFGH" + wrong)}, nil)
	e.call(t, "", "POST", "/api/v1/report/information", map[string]string{"code": rec.Code, "text": "more"}, nil)
	for _, p := range []string{"/report", "/report/follow-up"} {
		e.call(t, "", "GET", p, nil, nil)
	}
	form := url.Values{"code": {rec.Code}}
	resp, err := http.PostForm(e.url+"/report/follow-up", form)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(page), rec.Reference) {
		t.Fatalf("follow-up page: %d", resp.StatusCode)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("follow-up page Cache-Control %q", cc)
	}
	if len(resp.Cookies()) != 0 {
		t.Errorf("the reporting channel set cookies: %v", resp.Cookies())
	}
	// An internal error in the channel is logged without time or request.
	f := newConcernEnv(t, func(s web.Services) web.Services { return failingSubmit{s} })
	if code := f.call(t, "", "POST", "/api/v1/report", storetest.SampleConcern(0), nil); code != http.StatusInternalServerError {
		t.Fatalf("failing submission: %d", code)
	}
	// An ordinary request, to prove the capture works.
	e.call(t, "", "GET", "/healthz", nil, nil)

	for name, logs := range map[string]string{"channel": e.logs.String(), "failing": f.logs.String()} {
		for _, bad := range []string{"127.0.0.1", "203.0.113.77", "Reporter-Browser", "fingerprint", "/report", rec.Code, "time="} {
			if name == "channel" && bad == "time=" {
				continue // ordinary lines carry time; the channel's lines are checked below
			}
			if strings.Contains(logs, bad) {
				t.Errorf("%s log holds %q:\n%s", name, bad, logs)
			}
		}
	}
	if !strings.Contains(e.logs.String(), "path=/healthz") {
		t.Fatalf("the ordinary request was not logged: the capture does not work:\n%s", e.logs.String())
	}
	if !strings.Contains(f.logs.String(), "internal error in the reporting channel") {
		t.Errorf("the internal error was not logged at all:\n%s", f.logs.String())
	}
	resp, err = http.Get(e.url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	metrics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(metrics), `route="/healthz"`) {
		t.Fatal("metrics do not count ordinary routes: the check would prove nothing")
	}
	for _, bad := range []string{"/report", "/api/v1/report"} {
		if strings.Contains(string(metrics), bad) {
			t.Errorf("metrics mention %s", bad)
		}
	}
}

var codeRE = regexp.MustCompile(`id="receipt-code">([0-9A-Z-]+)<`)

// TestReportPagesAnonymous submits the form with a file, without an
// account, then follows up with the code, adds information and contests.
func TestReportPagesAnonymous(t *testing.T) {
	e := newConcernEnv(t, nil)
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("summary", "Advice was changed after the decision")
	mw.WriteField("details", "The FCDO advice on the case was replaced a day after the licence was issued.")
	mw.WriteField("points", "Who replaced the advice?\nWas the decision maker told?")
	mw.WriteField("application_id", "x")
	fw, _ := mw.CreateFormFile("files", "note.txt")
	fw.Write([]byte("a note"))
	mw.Close()
	post := func() (int, string) {
		resp, err := http.Post(e.url+"/report", mw.FormDataContentType(), bytes.NewReader(body.Bytes()))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, page := post()
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, `href="#application_id"`) || !strings.Contains(page, "Advice was changed") {
		t.Fatalf("bad case number: %d", code)
	}
	body.Reset()
	mw = multipart.NewWriter(&body)
	mw.WriteField("summary", "Advice was changed after the decision")
	mw.WriteField("details", "The FCDO advice on the case was replaced a day after the licence was issued.")
	mw.WriteField("points", "Who replaced the advice?\nWas the decision maker told?")
	fw, _ = mw.CreateFormFile("files", "note.txt")
	fw.Write([]byte("a note"))
	mw.Close()
	code, page = post()
	m := codeRE.FindStringSubmatch(page)
	if code != 200 || m == nil || !strings.Contains(page, "exportctl concern receipt") {
		t.Fatalf("receipt page: %d", code)
	}
	b := (&pageEnv{srv: &httptest.Server{URL: e.url}}).browser(t)
	code, page, _ = b.post("/report/follow-up", url.Values{"code": {"AAAA-BBBB"}})
	if code != http.StatusUnauthorized || !strings.Contains(page, "28 letters") {
		t.Errorf("malformed code: %d", code)
	}
	code, page, _ = b.post("/report/follow-up/information", url.Values{"code": {m[1]}, "text": {"The change was made by a shared account."}})
	if code != 200 || !strings.Contains(page, "Your information was added") || !strings.Contains(page, "shared account") {
		t.Fatalf("add information: %d", code)
	}
	code, page, _ = b.post("/report/follow-up/contest", url.Values{"code": {m[1]}, "reasons": {"No response yet"}})
	if code != http.StatusConflict || !strings.Contains(page, "no response to contest") {
		t.Errorf("contest before a response: %d", code)
	}
}

// TestConcernPagesHandling: the handler's page refuses boilerplate with
// the message on the form, then sends a response; oversight sees clocks.
func TestConcernPagesHandling(t *testing.T) {
	e := newConcernEnv(t, nil)
	rec, err := e.st.SubmitConcern(context.Background(), exportctl.Actor{}, storetest.SampleConcern(0))
	if err != nil {
		t.Fatal(err)
	}
	pe := &pageEnv{srv: &httptest.Server{URL: e.url}}
	b := pe.browser(t)
	b.signIn("handler1")
	path := "/concerns/" + itoa(rec.ID)
	code, page := b.get(path)
	if code != 200 || !strings.Contains(page, "The IHL assessment ignored") {
		t.Fatalf("handler page: %d", code)
	}
	code, page, _ = b.post(path+"/respond", url.Values{"finding": {"Thank you, we have noted your concerns.", "Noted"}, "action": {"Noted"}, "grounds": {"Thanks"}})
	if code != http.StatusUnprocessableEntity || !strings.Contains(page, "is not a finding") || !strings.Contains(page, `href="#finding-0"`) {
		t.Fatalf("boilerplate response: %d", code)
	}
	r := storetest.SubstantiveResponse()
	code, _, loc := b.post(path+"/respond", url.Values{"finding": r.Findings, "action": {r.Action}, "grounds": {r.Grounds}})
	if code != http.StatusSeeOther || loc != path {
		t.Fatalf("response: %d %s", code, loc)
	}
	o := pe.browser(t)
	o.signIn("oversight1")
	code, page = o.get("/concerns")
	if code != 200 || !strings.Contains(page, rec.Reference) || !strings.Contains(page, "Hana Handler") {
		t.Errorf("oversight list: %d", code)
	}
	x := pe.browser(t)
	x.signIn("exporter1")
	if code, _ := x.get("/concerns"); code != http.StatusForbidden {
		t.Errorf("exporter on /concerns: %d", code)
	}
	if code, page := x.get("/public/concerns"); code != 200 || !strings.Contains(page, "withheld") {
		t.Errorf("public statistics page: %d", code)
	}
}

func TestScrubAddresses(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(web.ScrubAddresses(slog.NewTextHandler(&buf, nil)))
	log.Warn("http: TLS handshake error from 198.51.100.7:53211: EOF")
	log.Warn("http: panic serving [2001:db8::1]:443: boom")
	log.Warn("http: Accept error: accept tcp 10.0.0.1: too many open files; retrying in 5ms")
	got := buf.String()
	for _, bad := range []string{"198.51.100.7", "2001:db8", "10.0.0.1", "time="} {
		if strings.Contains(got, bad) {
			t.Errorf("scrubbed log holds %q:\n%s", bad, got)
		}
	}
	if strings.Count(got, "[address]") != 3 || !strings.Contains(got, "retrying in 5ms") {
		t.Errorf("scrubbed log:\n%s", got)
	}
}

// TestReportPagesNamedReporter: a signed-in user raises a concern with
// their name, finds it under "Concerns you raised" and adds information
// without a code; another user cannot open it.
func TestReportPagesNamedReporter(t *testing.T) {
	e := newConcernEnv(t, nil)
	pe := &pageEnv{srv: &httptest.Server{URL: e.url}}
	b := pe.browser(t)
	b.signIn("officer2")
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	mw.WriteField("csrf_token", b.csrf)
	mw.WriteField("summary", "Countersignature pressure")
	mw.WriteField("details", "I was told to countersign final advice before the assessment was final.")
	mw.WriteField("points", "Was the assessment final when I was asked to countersign?")
	mw.WriteField("named", "yes")
	mw.Close()
	req, _ := http.NewRequest("POST", e.url+"/report", &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	resp, err := b.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !codeRE.Match(page) {
		t.Fatalf("named submission: %d", resp.StatusCode)
	}
	code, list := b.get("/concerns/mine")
	m := regexp.MustCompile(`href="/concerns/mine/(\d+)"`).FindStringSubmatch(list)
	if code != 200 || m == nil {
		t.Fatalf("my concerns: %d", code)
	}
	code, view := b.get("/concerns/mine/" + m[1])
	if code != 200 || !strings.Contains(view, "Countersignature pressure") || !strings.Contains(view, `name="concern_id" value="`+m[1]+`"`) {
		t.Fatalf("my concern: %d", code)
	}
	code, view, _ = b.post("/report/follow-up/information", url.Values{"concern_id": {m[1]}, "text": {"It happened twice in March."}})
	if code != 200 || !strings.Contains(view, "twice in March") {
		t.Fatalf("named reporter adds information: %d", code)
	}
	other := pe.browser(t)
	other.signIn("officer1")
	if code, _ := other.get("/concerns/mine/" + m[1]); code != http.StatusNotFound {
		t.Errorf("another user opens the concern: %d", code)
	}
	// The custodian may reveal the named reporter's identity, with reasons.
	c := pe.browser(t)
	c.signIn("custodian1")
	code, view, _ = c.post("/concerns/"+m[1]+"/reveal", url.Values{"reveal_reasons": {"The reporter asked to be named to the decision maker."}})
	if code != 200 || !strings.Contains(view, "officer2 (account officer2, Case officer)") {
		t.Errorf("reveal: %d", code)
	}
	if _, view := b.get("/concerns/mine/" + m[1]); !strings.Contains(view, "decided to reveal your identity") {
		t.Error("the reporter is not told of the reveal")
	}
}
