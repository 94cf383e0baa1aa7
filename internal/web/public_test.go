package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/ledger"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
	"github.com/exportctl/exportctl/internal/web"
)

// get fetches a URL with an optional bearer token and extra headers.
func get(t *testing.T, u, token string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", u, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func publicServer(t *testing.T, s *store.Store) *httptest.Server {
	t.Helper()
	srv, err := web.New(s, web.Options{Logger: quietLog})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return ts
}

// TestPublicRegisterShowsOnlyWhatIsPublished looks at the register, its
// pages and its API as the public and as every kind of user: everyone sees
// the same, and no restricted field (exporters' and end users' names,
// goods descriptions, decision reasons, officials) and no unpublished case
// appears.
func TestPublicRegisterShowsOnlyWhatIsPublished(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		p := storetest.Publish(t, s, f)
		ts := publicServer(t, s)
		viewers := map[string]string{"public": ""}
		for _, u := range []string{"exporter1", "exporter2", "officer1", "decider1", "admin1", "fcdo1"} {
			viewers[u] = f.Tokens[u]
		}
		paths := []string{"/public/", "/public/register", "/public/register?outcome=refused", "/api/v1/public/register",
			"/public/decisions/" + p.Issued.Reference, "/public/decisions/" + p.Refused.Reference,
			"/api/v1/public/decisions?reference=" + url.QueryEscape(p.Issued.Reference), "/public/statistics", "/api/v1/public/statistics/" + s.Now().UTC().Format("2006")}
		for _, path := range paths {
			var first string
			for who, token := range viewers {
				resp, body := get(t, ts.URL+path, token)
				if resp.StatusCode != 200 {
					t.Fatalf("%s as %s: %d %s", path, who, resp.StatusCode, body)
				}
				for _, secret := range p.Secrets {
					if strings.Contains(body, secret) {
						t.Errorf("%s as %s shows %q", path, who, secret)
					}
				}
				for _, ref := range []string{p.Draft.Reference, p.Submitted.Reference} {
					if strings.Contains(body, ref) {
						t.Errorf("%s as %s shows the unpublished case %s", path, who, ref)
					}
				}
				if first == "" {
					first = body
				} else if body != first {
					t.Errorf("%s differs for %s", path, who)
				}
			}
		}
		_, page := get(t, ts.URL+"/public/decisions/"+p.Issued.Reference, "")
		for _, want := range []string{p.SuspendReasons, "Carve-out for the spares pool.", "Military", "£605,000", "Verify in this browser", "exportctl ledger verify --url"} {
			if !strings.Contains(page, want) {
				t.Errorf("the decision page lacks %q", want)
			}
		}
		_, page = get(t, ts.URL+"/public/decisions/"+p.Refused.Reference, "")
		if !strings.Contains(page, "2c, 7") || !strings.Contains(page, p.RefusalReasons) {
			t.Errorf("the refusal page does not cite its criteria or give its published reasons")
		}
		for _, path := range []string{"/public/decisions/" + p.Draft.Reference, "/public/decisions/NOPE", "/public/entries/999"} {
			if resp, _ := get(t, ts.URL+path, ""); resp.StatusCode != 404 {
				t.Errorf("%s: %d", path, resp.StatusCode)
			}
		}
		resp, body := get(t, ts.URL+"/api/v1/public/register?destination=XX&rating=Q&min_value_gbp=lots", "")
		var prob struct {
			Errors []struct{ Field string } `json:"errors"`
		}
		json.Unmarshal([]byte(body), &prob)
		if resp.StatusCode != 422 || len(prob.Errors) != 3 {
			t.Errorf("bad filters: %d %s", resp.StatusCode, body)
		}
		for path, want := range map[string]int{"/public/register?from=yesterday": 422, "/public/statistics?period=2014-Q9": 422,
			"/api/v1/public/statistics/20x4": 422, "/public/statistics/2014/nope.csv": 404, "/public/statistics/2014/goods.txt": 404,
			"/api/v1/public/decisions": 422, "/api/v1/public/decisions?reference=" + url.QueryEscape(p.Submitted.Reference): 404} {
			if resp, body := get(t, ts.URL+path, ""); resp.StatusCode != want {
				t.Errorf("%s: %d, want %d: %s", path, resp.StatusCode, want, body)
			}
		}

		// The API's proofs verify with an independent implementation against
		// the signed checkpoint, whose signature verifies with the published key.
		_, body = get(t, ts.URL+"/api/v1/public/decisions?reference="+url.QueryEscape(p.Issued.Reference), "")
		var dec struct {
			CheckpointSize int64  `json:"checkpoint_size"`
			RootHash       string `json:"root_hash"`
			Items          []struct {
				LogIndex *int64   `json:"log_index"`
				Outcome  string   `json:"outcome"`
				LeafHash string   `json:"leaf_hash"`
				Proof    []string `json:"inclusion_proof"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &dec); err != nil || len(dec.Items) != 3 {
			t.Fatalf("decision API: %v %s", err, body)
		}
		_, key := get(t, ts.URL+"/log/key", "")
		_, signed := get(t, ts.URL+"/log/checkpoint", "")
		v, err := note.NewVerifier(strings.TrimSpace(key))
		if err != nil {
			t.Fatal(err)
		}
		cp, err := ledger.OpenCheckpoint([]byte(signed), v)
		if err != nil || cp.Size != dec.CheckpointSize || base64.StdEncoding.EncodeToString(cp.Hash[:]) != dec.RootHash {
			t.Fatalf("checkpoint %+v %v, answer size %d root %s", cp, err, dec.CheckpointSize, dec.RootHash)
		}
		for _, it := range dec.Items {
			leaf, _ := base64.StdEncoding.DecodeString(it.LeafHash)
			var hashes [][]byte
			for _, h := range it.Proof {
				b, _ := base64.StdEncoding.DecodeString(h)
				hashes = append(hashes, b)
			}
			if err := proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(*it.LogIndex), uint64(cp.Size), leaf, hashes, cp.Hash[:]); err != nil {
				t.Errorf("%s entry %d: %v", it.Outcome, *it.LogIndex, err)
			}
		}
		// Stable links by log index lead to the decision's page.
		resp, _ = get(t, ts.URL+"/public/entries/"+jsonInt(*dec.Items[1].LogIndex), "")
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != "/public/decisions/"+p.Issued.Reference+"#log-"+jsonInt(*dec.Items[1].LogIndex) {
			t.Errorf("entry link: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

// TestPublicCaching: public pages and answers carry ETags and a short
// max-age and answer 304 to If-None-Match; the checkpoint too; a new
// published event changes the ETags.
func TestPublicCaching(t *testing.T) {
	s := storetest.Open(t, "sqlite", nil)
	f := storetest.NewFixture(t, s)
	p := storetest.Publish(t, s, f)
	ts := publicServer(t, s)
	paths := []string{"/public/", "/public/register?destination=IL", "/api/v1/public/register", "/public/decisions/" + p.Issued.Reference,
		"/public/statistics", "/api/v1/public/statistics/2026", "/log/checkpoint", "/log/keys", "/public/reviews", "/public/concerns"}
	etags := map[string]string{}
	for _, path := range paths {
		resp, _ := get(t, ts.URL+path, "")
		etag, cc := resp.Header.Get("ETag"), resp.Header.Get("Cache-Control")
		if resp.StatusCode != 200 || etag == "" || !strings.HasPrefix(cc, "public, max-age=") {
			t.Errorf("%s: %d ETag %q Cache-Control %q", path, resp.StatusCode, etag, cc)
			continue
		}
		etags[path] = etag
		resp, body := get(t, ts.URL+path, "", "If-None-Match", etag)
		if resp.StatusCode != http.StatusNotModified || body != "" {
			t.Errorf("%s with its ETag: %d %q", path, resp.StatusCode, body)
		}
		// Signed in or not, the same page: one cached copy serves everyone.
		if resp, _ := get(t, ts.URL+path, f.Tokens["officer1"], "If-None-Match", etag); resp.StatusCode != http.StatusNotModified {
			t.Errorf("%s for an officer: %d", path, resp.StatusCode)
		}
	}
	if _, err := s.ChangeLicence(context.Background(), f.Officer, p.Issued.LicenceID, exportctl.ActReinstate, exportctl.LicenceActionInput{Reasons: "Review completed."}); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/public/register?destination=IL", "/api/v1/public/register", "/log/checkpoint"} {
		if resp, _ := get(t, ts.URL+path, "", "If-None-Match", etags[path]); resp.StatusCode != 200 {
			t.Errorf("%s after a new event: %d, want a new answer", path, resp.StatusCode)
		}
	}
}
