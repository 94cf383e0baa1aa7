package web_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
	"github.com/exportctl/exportctl/internal/web"
)

// quietLog keeps request logs out of test output.
var quietLog = slog.New(slog.DiscardHandler)

// apiClient calls the API of a real server as one user.
type apiClient struct {
	t     *testing.T
	base  string
	token string
}

type apiWorld struct {
	url   string
	store *store.Store
	fix   *storetest.Fixture
}

func newAPIWorld(t *testing.T, s *store.Store) *apiWorld {
	t.Helper()
	srv, err := web.New(s, web.Options{Logger: quietLog})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &apiWorld{url: ts.URL, store: s, fix: storetest.NewFixture(t, s)}
}

func (w *apiWorld) as(t *testing.T, username string) *apiClient {
	return &apiClient{t: t, base: w.url, token: w.fix.Tokens[username]}
}

// do sends a request and decodes the JSON answer into out (if not nil).
func (c *apiClient) do(method, path string, body any, out any) (int, map[string]any) {
	c.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, _ := json.Marshal(b)
		rd = bytes.NewReader(data)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	var generic map[string]any
	if resp.StatusCode >= 400 {
		if ct := resp.Header.Get("Content-Type"); ct != "application/problem+json" {
			c.t.Errorf("%s %s: %d with Content-Type %q, want application/problem+json", method, path, resp.StatusCode, ct)
		}
	}
	json.Unmarshal(data, &generic)
	if out != nil && resp.StatusCode < 300 {
		if err := json.Unmarshal(data, out); err != nil {
			c.t.Fatalf("%s %s: decode %s: %v", method, path, data, err)
		}
	}
	return resp.StatusCode, generic
}

const createBody = `{"licence_type":"SIEL","export_type":"permanent","end_use":"Spares for the end user's F-16 fleet",
 "goods":[{"description":"Hydraulic actuators for F-16 landing gear","rating":"ML10a","quantity":40,"unit":"item","value_gbp":185000,"component_of":"F-16"}],
 "parties":[{"role":"end_user","name":"Example Air Force","country":"IL"},{"role":"consignee","name":"Example Aerospace Ltd","country":"IL"}]}`

type appJSON struct {
	ID        int64  `json:"id"`
	Reference string `json:"reference"`
	Status    string `json:"status"`
	Outcome   string `json:"outcome"`
	LicenceID int64  `json:"licence_id"`
}

func TestAPILifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newAPIWorld(t, s)
		exp, off := w.as(t, "exporter1"), w.as(t, "officer1")
		var app appJSON
		code, _ := exp.do("POST", "/api/v1/applications", createBody, &app)
		if code != http.StatusCreated || app.ID == 0 || app.Status != "draft" || !regexp.MustCompile(`^GBSIEL/\d{4}/\d{7}/P$`).MatchString(app.Reference) {
			t.Fatalf("create: %d %+v", code, app)
		}
		id := "/api/v1/applications/" + itoa(app.ID)
		if code, _ := exp.do("POST", id+"/submit", nil, &app); code != 200 || app.Status != "submitted" {
			t.Fatalf("submit: %d %+v", code, app)
		}
		if code, _ := off.do("POST", id+"/begin_checks", `{"note":"complete"}`, &app); code != 200 || app.Status != "initial_checks" {
			t.Fatalf("begin checks: %d %+v", code, app)
		}
		driveToDecision(t, w, app.ID)
		code, p := w.as(t, "decider1").do("POST", id+"/decision", map[string]any{"outcome": "issued", "reasons": "No clear risk."}, &app)
		if code != 200 || app.Outcome != "issued" || app.LicenceID == 0 {
			t.Fatalf("decide: %d %v %+v", code, p, app)
		}
		var rec struct {
			Advice            []map[string]any `json:"advice"`
			Assessments       []map[string]any `json:"assessments"`
			Countersignatures []map[string]any `json:"countersignatures"`
			Decisions         []map[string]any `json:"decisions"`
		}
		if code, _ := off.do("GET", id+"/decision-record", nil, &rec); code != 200 || len(rec.Advice) != 6 || len(rec.Assessments) != 1 || len(rec.Countersignatures) != 1 || len(rec.Decisions) != 1 {
			t.Errorf("decision record: %d %+v", code, rec)
		}
		if code, _ := exp.do("GET", id+"/decision-record", nil, nil); code != http.StatusForbidden {
			t.Errorf("exporter reads the decision record: %d", code)
		}
		lic := "/api/v1/licences/" + itoa(app.LicenceID)
		var l struct {
			Reference, Status string
		}
		if code, _ := exp.do("GET", lic, nil, &l); code != 200 || l.Reference != app.Reference || l.Status != "issued" {
			t.Fatalf("licence: %d %+v", code, l)
		}
		for _, step := range []struct{ action, want string }{{"suspend", "suspended"}, {"reinstate", "issued"}, {"revoke", "revoked"}} {
			if code, p := off.do("POST", lic+"/"+step.action, `{"reasons":"review outcome"}`, &l); code != 200 || l.Status != step.want {
				t.Fatalf("%s: %d %v", step.action, code, p)
			}
		}
		// Illegal transition: 409 naming the state and the action.
		code, p = off.do("POST", lic+"/suspend", `{"reasons":"again"}`, nil)
		if code != http.StatusConflict || !strings.Contains(p["detail"].(string), "revoked") || !strings.Contains(p["detail"].(string), "suspend") {
			t.Errorf("suspend revoked: %d %v", code, p)
		}
		var hist struct {
			Items []struct{ Action string }
			Total int
		}
		if code, _ := exp.do("GET", id+"/history", nil, &hist); code != 200 || hist.Total < 8 {
			t.Errorf("history: %d %+v", code, hist)
		}
		var list struct {
			Items []appJSON
			Total int
			Next  *string
		}
		if code, _ := off.do("GET", "/api/v1/applications?status=finalised&destination=IL", nil, &list); code != 200 || list.Total != 1 || list.Next != nil {
			t.Errorf("filtered list: %d %+v", code, list)
		}
		if code, _ := off.do("GET", "/api/v1/applications?status=nonsense", nil, nil); code != 422 {
			t.Errorf("bad status filter: %d", code)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// driveToDecision takes a case in initial checks to awaiting decision
// through the API: advice by two teams, assessment, final advice,
// countersignature by a second officer.
func driveToDecision(t *testing.T, w *apiWorld, appID int64) {
	t.Helper()
	id := "/api/v1/applications/" + itoa(appID)
	off := w.as(t, "officer1")
	must := func(c *apiClient, path string, body any) {
		t.Helper()
		if code, p := c.do("POST", id+path, body, nil); code >= 300 {
			t.Fatalf("POST %s: %d %v", path, code, p)
		}
	}
	must(off, "/start_review", nil)
	var app struct {
		Goods, Parties []struct{ ID int64 }
	}
	off.do("GET", id, nil, &app)
	for _, team := range []string{"fcdo1", "mod1"} {
		for _, g := range app.Goods {
			must(w.as(t, team), "/advice", map[string]any{"subject": "good", "subject_id": g.ID, "type": "approve"})
		}
		for _, p := range app.Parties {
			must(w.as(t, team), "/advice", map[string]any{"subject": "party", "subject_id": p.ID, "type": "approve"})
		}
	}
	must(off, "/final_review", nil)
	must(off, "/assessment", storetest.FinalAssessment(w.store.Now().AddDate(0, 0, -1).Format("2006-01-02")))
	must(off, "/final-advice", map[string]any{"recommendation": "issue", "reasons": "No clear risk."})
	must(w.as(t, "officer2"), "/countersignatures", map[string]any{"decision": "approve"})
}

func TestAPIRolesAndOwnership(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newAPIWorld(t, s)
		var app appJSON
		w.as(t, "exporter1").do("POST", "/api/v1/applications", createBody, &app)
		id := "/api/v1/applications/" + itoa(app.ID)
		other := w.as(t, "exporter2")
		for _, c := range []struct{ method, path string }{{"GET", id}, {"GET", id + "/history"}, {"POST", id + "/submit"}, {"POST", id + "/goods"}} {
			body := any(nil)
			if c.method == "POST" && strings.HasSuffix(c.path, "goods") {
				body = `{"description":"x","rating":"ML1","quantity":1,"value_gbp":1}`
			}
			if code, _ := other.do(c.method, c.path, body, nil); code != http.StatusNotFound {
				t.Errorf("another organisation's %s %s = %d, want 404", c.method, c.path, code)
			}
		}
		var list struct{ Total int }
		other.do("GET", "/api/v1/applications", nil, &list)
		if list.Total != 0 {
			t.Errorf("exporter2 sees %d applications", list.Total)
		}
		// Roles: an exporter cannot decide or begin checks; nobody anonymous gets in.
		w.as(t, "exporter1").do("POST", id+"/submit", nil, nil)
		if code, _ := w.as(t, "exporter1").do("POST", id+"/decision", `{"outcome":"issued","reasons":"x"}`, nil); code != http.StatusForbidden {
			t.Errorf("exporter decides: %d", code)
		}
		if code, _ := w.as(t, "exporter1").do("POST", id+"/begin_checks", nil, nil); code != http.StatusForbidden {
			t.Errorf("exporter begins checks: %d", code)
		}
		anon := &apiClient{t: t, base: w.url}
		if code, _ := anon.do("GET", "/api/v1/applications", nil, nil); code != http.StatusUnauthorized {
			t.Errorf("anonymous: %d", code)
		}
		bad := &apiClient{t: t, base: w.url, token: "ectl_forged"}
		if code, _ := bad.do("GET", "/api/v1/me", nil, nil); code != http.StatusUnauthorized {
			t.Errorf("forged token: %d", code)
		}
		if code, _ := w.as(t, "officer1").do("GET", "/api/v1/users", nil, nil); code != http.StatusForbidden {
			t.Errorf("officer lists users: %d", code)
		}
		var nu struct {
			Username, Token string
		}
		if code, p := w.as(t, "admin1").do("POST", "/api/v1/users", `{"username":"fcdo9","role":"adviser","team":"FCDO"}`, &nu); code != 201 || nu.Token == "" {
			t.Errorf("admin adds user: %d %v", code, p)
		}
		if code, _ := (&apiClient{t: t, base: w.url, token: nu.Token}).do("GET", "/api/v1/me", nil, nil); code != 200 {
			t.Errorf("new user's token: %d", code)
		}
	})
}

func TestAPIBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		w := newAPIWorld(t, s)
		exp := w.as(t, "exporter1")
		count := func() int {
			var n int
			s.DB().QueryRow(`SELECT COUNT(*) FROM applications`).Scan(&n)
			return n
		}
		before := count()
		three := `{"description":"a","rating":"ML1","quantity":1,"value_gbp":1}`
		cases := []struct {
			name, body string
			status     int
			field      string
		}{
			{"wrong rating", `{"licence_type":"SIEL","goods":[` + three + `,` + three + `,{"description":"x","rating":"ML23","quantity":1,"value_gbp":1}]}`, 422, "goods[2].rating"},
			{"unknown country", `{"licence_type":"SIEL","parties":[{"role":"end_user","name":"x","country":"ZZ"}]}`, 422, "parties[0].country"},
			{"negative value", `{"licence_type":"SIEL","goods":[{"description":"x","rating":"ML1","quantity":1,"value_gbp":-5}]}`, 422, "goods[0].value_gbp"},
			{"non-numeric value", `{"licence_type":"SIEL","goods":[` + three + `,{"description":"x","rating":"ML1","quantity":1,"value_gbp":"lots"}]}`, 400, "goods[1].value_gbp"},
			{"unknown field", `{"licence_type":"SIEL","colour":"red"}`, 400, "colour"},
			{"malformed JSON", `{"licence_type":`, 400, "body"},
			{"not an object", `[1,2]`, 400, ""},
			{"too large", `{"licence_type":"SIEL","end_use":"` + strings.Repeat("x", 1<<20) + `"}`, 400, "body"},
		}
		for _, c := range cases {
			code, p := exp.do("POST", "/api/v1/applications", c.body, nil)
			if code != c.status {
				t.Errorf("%s: status %d, want %d (%v)", c.name, code, c.status, p)
			}
			if c.field != "" && p["field"] != c.field {
				t.Errorf("%s: field %v, want %s (%v)", c.name, p["field"], c.field, p["detail"])
			}
		}
		if got := count(); got != before {
			t.Errorf("bad input wrote %d applications", got-before)
		}
		// Submitting without an end user, refusing without criteria.
		var app appJSON
		exp.do("POST", "/api/v1/applications", `{"licence_type":"SIEL","end_use":"x","goods":[`+three+`]}`, &app)
		id := "/api/v1/applications/" + itoa(app.ID)
		if code, p := exp.do("POST", id+"/submit", nil, nil); code != 422 || p["field"] != "parties" {
			t.Errorf("submit without end user: %d %v", code, p)
		}
		var ok appJSON
		exp.do("POST", "/api/v1/applications", createBody, &ok)
		okID := "/api/v1/applications/" + itoa(ok.ID)
		exp.do("POST", okID+"/submit", nil, nil)
		if code, p := w.as(t, "decider1").do("POST", okID+"/decision", `{"outcome":"refused","reasons":"risk"}`, nil); code != 422 || p["field"] != "criteria" {
			t.Errorf("refusal without criteria: %d %v", code, p)
		}
		if code, p := w.as(t, "decider1").do("POST", okID+"/decision", `{"outcome":"refused","criteria":["2c"]}`, nil); code != 422 || p["field"] != "reasons" {
			t.Errorf("refusal without reasons: %d %v", code, p)
		}
	})
}
