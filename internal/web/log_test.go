package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
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

// logged decides n cases so that the log holds n leaves.
func logged(t *testing.T, s *store.Store, n int) {
	t.Helper()
	ctx := context.Background()
	f := storetest.NewFixture(t, s)
	for range n {
		app, err := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
		storetest.DriveToDecision(t, s, f, app.ID, exportctl.DecisionInput{Outcome: "nlr"})
	}
}

func getJSON(t *testing.T, url string, out any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode == 200 && out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s: %v: %s", url, err, b)
		}
	}
	return resp.StatusCode
}

func TestLogServedAndProved(t *testing.T) {
	s := storetest.Open(t, "sqlite", nil)
	logged(t, s, 5)
	srv, err := web.New(s, web.Options{Logger: quietLog})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	ctx := context.Background()
	resp, err := http.Get(ts.URL + "/log/key")
	if err != nil {
		t.Fatal(err)
	}
	vkey, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	verifier, err := note.NewVerifier(string(vkey))
	if err != nil {
		t.Fatalf("key %q: %v", vkey, err)
	}
	client := ledger.Client{BaseURL: ts.URL, Verifier: verifier}
	rep, err := client.Verify(ctx, nil)
	if err != nil || rep.Size != 5 || !rep.OK() {
		t.Fatalf("verify: %+v %v", rep, err)
	}
	// Proofs from the API verify with an independent implementation.
	for i := range 5 {
		var p struct {
			Index, Size int64
			LeafHash    string `json:"leaf_hash"`
			Proof       []string
		}
		if code := getJSON(t, ts.URL+"/api/v1/log/proof/inclusion?index="+strconv.Itoa(i)+"&size=5", &p); code != 200 {
			t.Fatalf("inclusion proof: %d", code)
		}
		leaf, _ := base64.StdEncoding.DecodeString(p.LeafHash)
		var hashes [][]byte
		for _, h := range p.Proof {
			b, _ := base64.StdEncoding.DecodeString(h)
			hashes = append(hashes, b)
		}
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(i), 5, leaf, hashes, rep.Checkpoint.Hash[:]); err != nil {
			t.Errorf("leaf %d: %v", i, err)
		}
	}
	var c struct {
		Old, New int64
		Proof    []string
	}
	if code := getJSON(t, ts.URL+"/api/v1/log/proof/consistency?old=2&new=5", &c); code != 200 || len(c.Proof) == 0 {
		t.Errorf("consistency proof: %d %+v", code, c)
	}
	if code := getJSON(t, ts.URL+"/api/v1/log/proof/inclusion?index=1&size=99", nil); code != http.StatusUnprocessableEntity {
		t.Errorf("size beyond the log: %d", code)
	}
}

// TestRewrittenLogFailsConsistency: someone with the database rewrites a
// leaf and rebuilds the tree; a verifier holding an older checkpoint sees it.
func TestRewrittenLogFailsConsistency(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db")
	ctx := context.Background()
	s, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	s.PasswordParams = store.ArgonParams{Memory: 1024, Time: 1, Threads: 1}
	logged(t, s, 3)
	signed, err := s.LogCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	vkey, _ := s.LogVerifierKey(ctx)
	verifier, _ := note.NewVerifier(vkey)
	old, err := ledger.OpenCheckpoint(signed, verifier)
	if err != nil {
		t.Fatal(err)
	}
	// Rewrite leaf 0 and rebuild every stored hash from the altered leaves.
	db := s.DB()
	for _, q := range []string{`DROP TRIGGER log_entries_no_update`, `DROP TRIGGER log_hashes_no_delete`,
		`UPDATE log_entries SET data = CAST(REPLACE(CAST(data AS TEXT), '"outcome":"nlr"', '"outcome":"refused"') AS BLOB) WHERE idx = 0`,
		`DELETE FROM log_hashes`} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	entries, _ := s.Entries(ctx, 0, 3)
	hashes, err := ledger.AppendBatch(ctx, 0, entries, ledger.NewMemoryStore())
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range hashes {
		if _, err := db.Exec(`INSERT INTO log_hashes (idx, hash) VALUES ($1, $2)`, i, h[:]); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	s2, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	srv, err := web.New(s2, web.Options{Logger: quietLog})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	client := ledger.Client{BaseURL: ts.URL, Verifier: verifier}
	if rep, err := client.Verify(ctx, nil); err != nil || !rep.OK() {
		t.Fatalf("the rewritten log is self-consistent without the old checkpoint: %+v %v", rep, err)
	}
	rep, err := client.Verify(ctx, &old)
	if !errors.Is(err, ledger.ErrInconsistent) || rep.OK() {
		t.Errorf("verify against the old checkpoint: %+v %v", rep, err)
	}
	if _, problems, _ := s2.VerifyLog(ctx); len(problems) == 0 {
		t.Error("local verification misses the rewritten leaf")
	}
}
