package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/ledger"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// TestTwoServersOnePostgres runs two servers, each with its own store, on
// one PostgreSQL database, decides cases and changes licences through both
// at once, and checks that the result is one consistent log: local
// verification, the same signed checkpoint from both, every inclusion proof
// and the consistency proof with an independent implementation, and a full
// verification from the tiles.
func TestTwoServersOnePostgres(t *testing.T) {
	if os.Getenv(storetest.PostgresEnv) == "" {
		t.Skip("PostgreSQL not available: set " + storetest.PostgresEnv)
	}
	ctx := context.Background()
	dsn := storetest.DSN(t, "postgres")
	open := func() *store.Store {
		s, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			t.Fatal(err)
		}
		s.PasswordParams = store.ArgonParams{Memory: 1024, Time: 1, Threads: 1}
		t.Cleanup(func() { s.Close() })
		return s
	}
	stores := []*store.Store{open(), open()}
	f := storetest.NewFixture(t, stores[0])
	// Each server decides cases too.
	const licences, changes = 4, 10
	var ids []int64
	for i := range licences {
		s := stores[i%2]
		app, err := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, storetest.DriveToDecision(t, s, f, app.ID, exportctl.DecisionInput{Outcome: "issued"}).LicenceID)
	}
	// More cases wait for their decision, to be decided during the changes.
	const pending = 4
	var waiting []int64
	for i := range pending {
		s := stores[i%2]
		app, err := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
			t.Fatal(err)
		}
		storetest.ToCountersigning(t, s, f, app.ID, storetest.FinalAssessment(s.Now().UTC().AddDate(0, 0, -1).Format("2006-01-02")),
			exportctl.FinalAdviceInput{Recommendation: exportctl.RecommendIssue, Reasons: "No clear risk."})
		storetest.Countersign(t, s, f, app.ID)
		waiting = append(waiting, app.ID)
	}
	servers := []string{publicServer(t, stores[0]).URL, publicServer(t, stores[1]).URL}
	_, oldSigned := get(t, servers[0]+"/log/checkpoint", "")
	post := func(u, token, body string) error {
		req, _ := http.NewRequest("POST", u, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			return fmt.Errorf("%s: %s", u, resp.Status)
		}
		return nil
	}

	// Every licence is suspended and reinstated, alternately through each
	// server, all licences at once, while the waiting cases are decided
	// through both servers.
	var wg sync.WaitGroup
	errs := make(chan error, licences*changes+pending)
	for i, id := range waiting {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := post(fmt.Sprintf("%s/api/v1/applications/%d/decision", servers[i%2], id), f.Tokens["decider1"],
				`{"outcome":"issued","reasons":"Decided during the concurrent changes."}`); err != nil {
				errs <- err
			}
		}()
	}
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range changes {
				action := exportctl.ActSuspend
				if j%2 == 1 {
					action = exportctl.ActReinstate
				}
				u := fmt.Sprintf("%s/api/v1/licences/%d/%s", servers[(i+j)%2], id, action)
				if err := post(u, f.Tokens["officer1"], `{"reasons":"Concurrent change `+fmt.Sprint(j)+`"}`); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}

	want := int64(licences + licences*changes + pending)
	for i, s := range stores {
		size, problems, err := s.VerifyLog(ctx)
		if err != nil || size != want || len(problems) != 0 {
			t.Fatalf("server %d: log of %d (want %d), problems %+v, %v", i, size, want, problems, err)
		}
	}
	_, key := get(t, servers[1]+"/log/key", "")
	verifier, err := note.NewVerifier(strings.TrimSpace(key))
	if err != nil {
		t.Fatal(err)
	}
	var cps []ledger.Checkpoint
	for _, srv := range servers {
		_, signed := get(t, srv+"/log/checkpoint", "")
		cp, err := ledger.OpenCheckpoint([]byte(signed), verifier)
		if err != nil {
			t.Fatal(err)
		}
		cps = append(cps, cp)
	}
	if cps[0] != cps[1] || cps[0].Size != want {
		t.Fatalf("the servers publish different trees: %+v", cps)
	}
	cp := cps[0]
	old, err := ledger.OpenCheckpoint([]byte(oldSigned), verifier)
	if err != nil {
		t.Fatal(err)
	}
	decode := func(list []string) [][]byte {
		var out [][]byte
		for _, h := range list {
			b, _ := base64.StdEncoding.DecodeString(h)
			out = append(out, b)
		}
		return out
	}
	for i := range cp.Size {
		_, body := get(t, fmt.Sprintf("%s/api/v1/log/proof/inclusion?index=%d&size=%d", servers[i%2], i, cp.Size), "")
		var p struct {
			LeafHash string   `json:"leaf_hash"`
			Proof    []string `json:"proof"`
		}
		json.Unmarshal([]byte(body), &p)
		leaf, _ := base64.StdEncoding.DecodeString(p.LeafHash)
		if err := proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(i), uint64(cp.Size), leaf, decode(p.Proof), cp.Hash[:]); err != nil {
			t.Errorf("inclusion of %d: %v", i, err)
		}
	}
	_, body := get(t, fmt.Sprintf("%s/api/v1/log/proof/consistency?old=%d&new=%d", servers[1], old.Size, cp.Size), "")
	var c struct {
		Proof []string `json:"proof"`
	}
	json.Unmarshal([]byte(body), &c)
	if err := proof.VerifyConsistency(rfc6962.DefaultHasher, uint64(old.Size), uint64(cp.Size), decode(c.Proof), old.Hash[:], cp.Hash[:]); err != nil {
		t.Errorf("consistency %d -> %d: %v", old.Size, cp.Size, err)
	}
	client := ledger.Client{BaseURL: servers[0], Verifier: verifier}
	if rep, err := client.Verify(ctx, &old); err != nil || rep.EntriesChecked != want {
		t.Errorf("verify from tiles: %+v %v", rep, err)
	}
	// Both servers answer the public register alike, with the same ETag,
	// so a cache in front of them serves one copy.
	var etags []string
	for _, srv := range servers {
		resp, body := get(t, srv+"/api/v1/public/register?limit=500", "")
		var page struct{ Total int64 }
		json.Unmarshal([]byte(body), &page)
		if page.Total != want {
			t.Errorf("%s: register of %d entries, want %d", srv, page.Total, want)
		}
		etags = append(etags, resp.Header.Get("ETag"))
	}
	if etags[0] == "" || etags[0] != etags[1] {
		t.Errorf("ETags %v", etags)
	}
}
