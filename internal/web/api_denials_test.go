package web

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// denialServer serves the API with the denial routes, registering them
// here until apiRoutes does.
func denialServer(t *testing.T, svc Services) (*Server, string) {
	t.Helper()
	srv, err := New(svc, Options{Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(srv.Routes(), Route{"GET", "/api/v1/denials"}) {
		srv.denialRoutes()
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return srv, ts.URL
}

// denialCall sends a request with a bearer token and decodes the answer.
func denialCall(t *testing.T, base, token, method, path string, body any) (int, map[string]any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		if s, ok := body.(string); ok {
			rd = strings.NewReader(s)
		} else {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
	}
	req, _ := http.NewRequest(method, base+path, rd)
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 400 && resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("%s %s: %d as %q, want a problem", method, path, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var out map[string]any
	data, _ := io.ReadAll(resp.Body)
	json.Unmarshal(data, &out)
	return resp.StatusCode, out
}

func TestAPIDenials(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		srv, base := denialServer(t, s)
		for _, want := range []Route{{"GET", "/api/v1/denials"}, {"POST", "/api/v1/denials"}, {"GET", "/api/v1/applications/{id}/denial-matches"},
			{"POST", "/api/v1/applications/{id}/denial-matches/{denial}/answer"}, {"GET", "/api/v1/consistency/opposite-decisions"}} {
			if !slices.Contains(srv.Routes(), want) {
				t.Errorf("route %v not registered", want)
			}
		}
		f := storetest.NewFixture(t, s)
		tok := func(user string) string { return f.Tokens[user] }
		admin, officer, senior, exporter := tok("admin1"), tok("officer1"), tok("senior1"), tok("exporter1")
		denied := time.Now().AddDate(-1, 0, 0).Format(time.DateOnly)
		body := `[{"reference":"D-1","name":"Example Air Force Ltd.","country":"IL","item_description":"Actuators","ratings":["ML10a"],
			"end_use":"spares for F-16 fleet of the end user","reason":"Criterion 2c","denied_at":"` + denied + `"},
			{"reference":"D-2","name":"Harbour Police","country":"Israel","item_description":"Riot shields","end_use":"crowd control","reason":"Criterion 2"}]`
		if code, out := denialCall(t, base, admin, "POST", "/api/v1/denials?source=notified.json", body); code != 200 || out["added"] != 2.0 || out["unchanged"] != 0.0 {
			t.Fatalf("import: %d %v", code, out)
		}
		if code, out := denialCall(t, base, admin, "POST", "/api/v1/denials?source=notified.json", body); code != 200 || out["added"] != 0.0 || out["unchanged"] != 2.0 {
			t.Errorf("re-import: %d %v", code, out)
		}
		if code, out := denialCall(t, base, admin, "POST", "/api/v1/denials", `[{"reference":"x","name":"y","country":"Atlantis"}]`); code != 422 || out["field"] != "denials[0].country" {
			t.Errorf("bad country: %d %v", code, out)
		}
		if code, out := denialCall(t, base, admin, "POST", "/api/v1/denials", `[{"reference":"x","colour":"red"}]`); code != 400 || out["field"] != "colour" {
			t.Errorf("unknown field: %d %v", code, out)
		}
		if code, _ := denialCall(t, base, officer, "POST", "/api/v1/denials", body); code != 403 {
			t.Errorf("officer import: %d", code)
		}

		code, out := denialCall(t, base, officer, "GET", "/api/v1/denials?country=il&limit=1", nil)
		if code != 200 || out["total"] != 2.0 || len(out["items"].([]any)) != 1 || out["next"] == nil {
			t.Errorf("list: %d %v", code, out)
		}
		if code, _ := denialCall(t, base, exporter, "GET", "/api/v1/denials", nil); code != 403 {
			t.Errorf("exporter list: %d", code)
		}
		if code, _ := denialCall(t, base, "", "GET", "/api/v1/denials", nil); code != 401 {
			t.Errorf("anonymous list: %d", code)
		}
		if code, out := denialCall(t, base, officer, "GET", "/api/v1/denials?limit=many", nil); code != 422 || out["field"] != "limit" {
			t.Errorf("bad limit: %d %v", code, out)
		}

		app, err := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
		path := "/api/v1/applications/" + strconv.FormatInt(app.ID, 10) + "/denial-matches"
		code, out = denialCall(t, base, officer, "GET", path, nil)
		items, _ := out["items"].([]any)
		if code != 200 || len(items) != 1 {
			t.Fatalf("matches: %d %v", code, out)
		}
		m := items[0].(map[string]any)
		d := m["denial"].(map[string]any)
		if d["reference"] != "D-1" || m["answer"] != nil || len(m["reasons"].([]any)) == 0 {
			t.Errorf("match = %v", m)
		}
		answer := path + "/" + strconv.FormatInt(int64(d["id"].(float64)), 10) + "/answer"
		if code, _ := denialCall(t, base, exporter, "GET", path, nil); code != 403 {
			t.Errorf("exporter matches: %d", code)
		}
		if code, out := denialCall(t, base, officer, "POST", answer, `{"reasons":" "}`); code != 422 || out["field"] != "reasons" {
			t.Errorf("empty reasons: %d %v", code, out)
		}
		if code, _ := denialCall(t, base, officer, "POST", "/api/v1/applications/999999/denial-matches/1/answer", `{"reasons":"x"}`); code != 404 {
			t.Errorf("unknown application: %d", code)
		}
		code, out = denialCall(t, base, senior, "POST", answer, map[string]string{"reasons": "Training aircraft only; MOD confirmed."})
		items, _ = out["items"].([]any)
		if code != 200 || len(items) != 1 {
			t.Fatalf("answer: %d %v", code, out)
		}
		if a, _ := items[0].(map[string]any)["answer"].(map[string]any); a == nil || a["reasons"] != "Training aircraft only; MOD confirmed." || a["by"] != "senior1" {
			t.Errorf("answered = %v", items[0])
		}

		code, out = denialCall(t, base, senior, "GET", "/api/v1/consistency/opposite-decisions?since=2020-01-01", nil)
		if code != 200 || out["total"] != 0.0 {
			t.Errorf("opposite decisions: %d %v", code, out)
		}
		if code, _ := denialCall(t, base, officer, "GET", "/api/v1/consistency/opposite-decisions", nil); code != 403 {
			t.Errorf("officer opposite decisions: %d", code)
		}
		if code, out := denialCall(t, base, senior, "GET", "/api/v1/consistency/opposite-decisions?since=yesterday", nil); code != 422 || out["field"] != "since" {
			t.Errorf("bad since: %d %v", code, out)
		}
	})
}
