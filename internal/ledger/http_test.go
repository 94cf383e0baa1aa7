package ledger

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

const testOrigin = "exportctl.test/log"

// testLog is a MemoryStore served over httptest.
type testLog struct {
	store    *MemoryStore
	signer   note.Signer
	verifier note.Verifier
	vkey     string
	srv      *httptest.Server
	client   *Client
}

func newTestLog(t testing.TB, n int) *testLog {
	t.Helper()
	ctx := context.Background()
	l := &testLog{store: NewMemoryStore()}
	l.signer, l.verifier, l.vkey = testKey(t, testOrigin)
	l.appendRandom(t, n, 1)
	l.srv = httptest.NewServer(Handler(l.store, func(ctx context.Context) ([]byte, error) {
		return SignLatest(ctx, l.store, l.signer)
	}, StaticKeys(l.vkey)))
	t.Cleanup(l.srv.Close)
	l.client = &Client{BaseURL: l.srv.URL, HTTP: l.srv.Client(), Verifier: l.verifier}
	_ = ctx
	return l
}

func (l *testLog) appendRandom(t testing.TB, n int, seed uint64) {
	t.Helper()
	leaves := randLeaves(rand.New(rand.NewPCG(seed, uint64(n))), n)
	for len(leaves) > 0 {
		k := min(len(leaves), 700)
		if _, err := l.store.Append(context.Background(), leaves[:k]...); err != nil {
			t.Fatal(err)
		}
		leaves = leaves[k:]
	}
}

func (l *testLog) checkpoint(t testing.TB) Checkpoint {
	t.Helper()
	ctx := context.Background()
	size, _ := l.store.Size(ctx)
	c, err := NewCheckpoint(ctx, testOrigin, size, l.store)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func get(t *testing.T, url string, hdr ...string) *http.Response {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	// DisableCompression so the test sees Content-Encoding as sent.
	resp, err := (&http.Transport{DisableCompression: true}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func body(t *testing.T, resp *http.Response) []byte {
	t.Helper()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestHandler(t *testing.T) {
	l := newTestLog(t, 5000) // 19 full level-0 tiles and one of width 136
	base := l.srv.URL

	resp := get(t, base+"/log/checkpoint")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/plain; charset=utf-8" ||
		resp.Header.Get("Cache-Control") != "public, max-age=10" || resp.Header.Get("ETag") == "" {
		t.Errorf("checkpoint: %d %v", resp.StatusCode, resp.Header)
	}
	c, err := OpenCheckpoint(body(t, resp), l.verifier)
	if err != nil || c != l.checkpoint(t) {
		t.Errorf("checkpoint: %+v, %v", c, err)
	}
	if resp := get(t, base+"/log/checkpoint", "If-None-Match", resp.Header.Get("ETag")); resp.StatusCode != 304 {
		t.Errorf("checkpoint revalidation: %d", resp.StatusCode)
	}

	resp = get(t, base+"/log/key")
	if b := body(t, resp); resp.StatusCode != 200 || string(b) != l.vkey+"\n" || resp.Header.Get("ETag") == "" {
		t.Errorf("key: %d %q", resp.StatusCode, b)
	}
	if _, err := NewVerifier(string(body(t, get(t, base+"/log/key")))); err != nil {
		t.Errorf("served key does not parse: %v", err)
	}

	// Full tile: immutable.
	resp = get(t, base+"/log/tile/0/000")
	b := body(t, resp)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || len(b) != 8192 || resp.Header.Get("Content-Type") != "application/octet-stream" ||
		resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || etag == "" {
		t.Errorf("full tile: %d, %d bytes, %v", resp.StatusCode, len(b), resp.Header)
	}
	want, _ := ReadTile(context.Background(), l.store, 5000, TileRef{Level: 0, N: 0, W: 256})
	if !bytes.Equal(b, want) {
		t.Error("full tile content differs from ReadTile")
	}
	if resp := get(t, base+"/log/tile/0/000", "If-None-Match", etag); resp.StatusCode != 304 {
		t.Errorf("tile revalidation: %d", resp.StatusCode)
	}
	if resp := get(t, base+"/log/tile/0/000", "If-None-Match", `"other", `+etag); resp.StatusCode != 304 {
		t.Errorf("tile revalidation with a list: %d", resp.StatusCode)
	}
	if resp := get(t, base+"/log/tile/0/000", "If-None-Match", `"other"`); resp.StatusCode != 200 {
		t.Errorf("tile with a stale ETag: %d", resp.StatusCode)
	}

	// Partial tiles: short max-age.
	for path, n := range map[string]int{"tile/0/019.p/136": 136 * 32, "tile/1/000.p/19": 19 * 32, "tile/0/019.p/5": 5 * 32} {
		resp := get(t, base+"/log/"+path)
		if b := body(t, resp); resp.StatusCode != 200 || len(b) != n || resp.Header.Get("Cache-Control") != "public, max-age=60" || resp.Header.Get("ETag") == "" {
			t.Errorf("%s: %d, %d bytes, %v", path, resp.StatusCode, len(b), resp.Header)
		}
	}

	// Entry bundles, compressed when the client accepts gzip.
	resp = get(t, base+"/log/tile/entries/002", "Accept-Encoding", "gzip")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(resp.Header.Get("Vary"), "Accept-Encoding") ||
		resp.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Fatalf("entry bundle: %d %v", resp.StatusCode, resp.Header)
	}
	zr, err := gzip.NewReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	zb, _ := io.ReadAll(zr)
	plain := get(t, base+"/log/tile/entries/002")
	pb := body(t, plain)
	if plain.Header.Get("Content-Encoding") != "" || !bytes.Equal(zb, pb) || plain.Header.Get("ETag") == resp.Header.Get("ETag") {
		t.Errorf("gzip and identity bundles differ, or share an ETag")
	}
	entries, err := ParseEntryBundle(pb)
	stored, _ := l.store.Entries(context.Background(), 512, 768)
	if err != nil || len(entries) != 256 || !bytes.Equal(entries[255], stored[255]) {
		t.Errorf("entry bundle: %d entries, %v", len(entries), err)
	}
	if resp := get(t, base+"/log/tile/entries/002", "Accept-Encoding", "gzip;q=0"); resp.Header.Get("Content-Encoding") != "" {
		t.Error("gzip sent to a client refusing it")
	}

	// Not found: beyond the tree, or malformed.
	for _, p := range []string{"tile/0/019", "tile/0/019.p/137", "tile/0/020.p/1", "tile/1/000", "tile/2/000.p/1",
		"tile/entries/019", "tile/0/0", "tile/0/x000/019", "tile/", "tile/8/0/000"} {
		resp := get(t, base+"/log/"+p)
		if resp.StatusCode != 404 {
			t.Errorf("%s: %d, want 404", p, resp.StatusCode)
		}
		if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
			t.Errorf("%s: Cache-Control %q", p, cc)
		}
	}
	if resp, _ := http.Post(base+"/log/checkpoint", "text/plain", nil); resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST checkpoint: %d", resp.StatusCode)
	}
}

func TestClientVerify(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 5000)
	rep, err := l.client.Verify(ctx, nil)
	if err != nil {
		t.Fatalf("Verify: %v (%v)", err, rep.Mismatches)
	}
	if rep.Size != 5000 || rep.EntriesChecked != 5000 || !rep.OK() || rep.Checkpoint != l.checkpoint(t) {
		t.Errorf("report %+v", rep)
	}
	// 20 level-0 tiles, 20 bundles, and tile/1/000.p/19.
	if rep.TilesFetched != 21 || rep.BundlesFetched != 20 {
		t.Errorf("fetched %d tiles, %d bundles", rep.TilesFetched, rep.BundlesFetched)
	}

	// The log grows; the old checkpoint is consistent with the new one.
	old := rep.Checkpoint
	l.appendRandom(t, 61000, 2)
	rep, err = l.client.Verify(ctx, &old)
	if err != nil || rep.Size != 66000 || rep.EntriesChecked != 66000 {
		t.Fatalf("Verify after growth: %+v, %v", rep, err)
	}
	// Every old size is consistent with the new tree.
	for _, n := range []int64{0, 1, 255, 256, 257, 4999, 65535, 65536, 65537, 65999, 66000} {
		c, _ := NewCheckpoint(ctx, testOrigin, n, l.store)
		if rep, err := l.client.VerifyConsistency(ctx, c); err != nil || rep.TilesFetched > 8 {
			t.Errorf("VerifyConsistency(old size %d): %v %v, %d tiles", n, err, rep.Mismatches, rep.TilesFetched)
		}
		c.Hash[31] ^= 1
		if _, err := l.client.VerifyConsistency(ctx, c); !errors.Is(err, ErrInconsistent) {
			t.Errorf("VerifyConsistency(old size %d, wrong hash) = %v", n, err)
		}
	}
	if _, err := l.client.Verify(ctx, &Checkpoint{Origin: testOrigin, Size: 65536, Hash: old.Hash}); !errors.Is(err, ErrInconsistent) {
		t.Errorf("Verify with a forged old checkpoint = %v", err)
	}

	// Logs at and around tile boundaries verify, the empty one too.
	for _, n := range []int{0, 1, 255, 256, 257, 512, 65536} {
		l := newTestLog(t, n)
		if rep, err := l.client.Verify(ctx, nil); err != nil || rep.Size != int64(n) || rep.EntriesChecked != int64(n) || !rep.OK() {
			t.Errorf("log of %d: %+v, %v", n, rep, err)
		}
	}

	// A checkpoint signed by another key is refused.
	_, other, _ := testKey(t, testOrigin)
	c := &Client{BaseURL: l.srv.URL, Verifier: other}
	if _, err := c.Verify(ctx, nil); err == nil || errors.Is(err, ErrInconsistent) {
		t.Errorf("Verify with the wrong key: %v", err)
	}
	// An old checkpoint of another log is refused.
	foreign := Checkpoint{Origin: "elsewhere", Size: 1}
	if _, err := l.client.Verify(ctx, &foreign); err == nil {
		t.Error("Verify accepted an old checkpoint of another log")
	}
}

func mismatchKinds(rep Report) map[MismatchKind][]Mismatch {
	out := map[MismatchKind][]Mismatch{}
	for _, m := range rep.Mismatches {
		out[m.Kind] = append(out[m.Kind], m)
	}
	return out
}

// TestClientDetectsRewrite: an operator rewrites a leaf after a checkpoint was
// published, recomputing every hash so the log is self-consistent. Only a
// holder of the old checkpoint can tell; Verify with it reports the rewrite.
func TestClientDetectsRewrite(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 3000)
	old := l.checkpoint(t)
	l.appendRandom(t, 500, 3)
	if err := l.store.RewriteEntry(1234, []byte(`{"event":"licence issued","rewritten":true}`), true); err != nil {
		t.Fatal(err)
	}

	// Without the old checkpoint the rewritten log looks fine.
	if rep, err := l.client.Verify(ctx, nil); err != nil {
		t.Fatalf("self-consistent rewritten log: %v %v", err, rep.Mismatches)
	}
	rep, err := l.client.Verify(ctx, &old)
	if !errors.Is(err, ErrInconsistent) {
		t.Fatalf("Verify(old) = %v, want ErrInconsistent", err)
	}
	k := mismatchKinds(rep)
	if len(k[MismatchConsistency]) != 1 || k[MismatchConsistency][0].Index != 3000 || rep.MismatchCount != 1 {
		t.Errorf("mismatches %v", rep.Mismatches)
	}
	if rep.EntriesChecked != 3500 {
		t.Errorf("checked %d entries", rep.EntriesChecked)
	}
	// A checkpoint from before the rewritten entry is still consistent.
	before, _ := NewCheckpoint(ctx, testOrigin, 1234, l.store)
	if _, err := l.client.Verify(ctx, &before); err != nil {
		t.Errorf("Verify(size 1234): %v", err)
	}

	// The log shrinking is caught too.
	big := l.checkpoint(t)
	big.Size += 10
	rep, err = l.client.Verify(ctx, &big)
	if !errors.Is(err, ErrInconsistent) || len(mismatchKinds(rep)[MismatchConsistency]) != 1 {
		t.Errorf("shrunk log: %v %v", err, rep.Mismatches)
	}
	same := l.checkpoint(t)
	same.Hash[0] ^= 1
	if _, err := l.client.Verify(ctx, &same); !errors.Is(err, ErrInconsistent) {
		t.Errorf("same size, different root: %v", err)
	}
}

// TestClientDetectsEntryTampering: an entry is changed in place, its hashes
// left alone.
func TestClientDetectsEntryTampering(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 1000)
	if err := l.store.RewriteEntry(77, []byte("tampered"), false); err != nil {
		t.Fatal(err)
	}
	rep, err := l.client.Verify(ctx, nil)
	if !errors.Is(err, ErrInconsistent) {
		t.Fatalf("Verify = %v", err)
	}
	if rep.MismatchCount != 1 || rep.Mismatches[0].Kind != MismatchEntry || rep.Mismatches[0].Index != 77 {
		t.Errorf("mismatches %v", rep.Mismatches)
	}
}

// corruptStore serves a wrong hash at one storage index.
type corruptStore struct {
	*MemoryStore
	index int64
}

func (c corruptStore) ReadHashes(ctx context.Context, idx []int64) ([]tlog.Hash, error) {
	hs, err := c.MemoryStore.ReadHashes(ctx, idx)
	for i, x := range idx {
		if x == c.index {
			hs[i][0] ^= 0xff
		}
	}
	return hs, err
}

// TestClientDetectsTileTampering: the served tiles differ from the hashes the
// checkpoint was signed over.
func TestClientDetectsTileTampering(t *testing.T) {
	ctx := context.Background()
	signer, verifier, vkey := testKey(t, testOrigin)
	m := NewMemoryStore()
	m.Append(ctx, randLeaves(rand.New(rand.NewPCG(4, 4)), 70000)...)
	cp := func(ctx context.Context) ([]byte, error) { return SignLatest(ctx, m, signer) }

	// A leaf hash: the entry no longer matches, the level-1 and level-2 hashes
	// above it are not what the level-0 tiles say, and neither is the root.
	srv := httptest.NewServer(Handler(corruptStore{m, tlog.StoredHashIndex(0, 300)}, cp, StaticKeys(vkey)))
	defer srv.Close()
	rep, err := (&Client{BaseURL: srv.URL, Verifier: verifier}).Verify(ctx, nil)
	if !errors.Is(err, ErrInconsistent) {
		t.Fatalf("Verify = %v", err)
	}
	k := mismatchKinds(rep)
	if len(k[MismatchEntry]) != 1 || k[MismatchEntry][0].Index != 300 ||
		len(k[MismatchTile]) != 2 || k[MismatchTile][0].Index != 256 || k[MismatchTile][0].Level != 1 ||
		k[MismatchTile][1].Index != 0 || k[MismatchTile][1].Level != 2 ||
		len(k[MismatchRoot]) != 1 {
		t.Errorf("leaf hash corrupted: %v", rep.Mismatches)
	}

	// A level-8 hash (in tile/1/000): only that tile hash is wrong.
	srv2 := httptest.NewServer(Handler(corruptStore{m, tlog.StoredHashIndex(8, 3)}, cp, StaticKeys(vkey)))
	defer srv2.Close()
	rep, err = (&Client{BaseURL: srv2.URL, Verifier: verifier}).Verify(ctx, nil)
	if !errors.Is(err, ErrInconsistent) || rep.MismatchCount != 1 || rep.Mismatches[0].Kind != MismatchTile || rep.Mismatches[0].Index != 3*256 {
		t.Errorf("level-8 hash corrupted: %v %v", err, rep.Mismatches)
	}
	// And a consistency check through that tile cannot be proved.
	old, _ := NewCheckpoint(ctx, testOrigin, 1000, m)
	rep, _ = (&Client{BaseURL: srv2.URL, Verifier: verifier}).Verify(ctx, &old)
	if len(mismatchKinds(rep)[MismatchConsistency]) != 1 {
		t.Errorf("consistency through a corrupt tile: %v", rep.Mismatches)
	}
	// A level-16 hash (tile/2/000.p/1): the partial level-2 tile is wrong.
	srv3 := httptest.NewServer(Handler(corruptStore{m, tlog.StoredHashIndex(16, 0)}, cp, StaticKeys(vkey)))
	defer srv3.Close()
	rep, err = (&Client{BaseURL: srv3.URL, Verifier: verifier}).Verify(ctx, nil)
	if !errors.Is(err, ErrInconsistent) || rep.MismatchCount != 1 || rep.Mismatches[0].Level != 2 {
		t.Errorf("level-16 hash corrupted: %v %v", err, rep.Mismatches)
	}
}

// TestClientPartialTileFallback: a static mirror that has dropped partial
// tiles once their full tile exists still verifies.
func TestClientPartialTileFallback(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 5000)
	signed, err := SignLatest(ctx, l.store, l.signer) // a checkpoint at 5000...
	if err != nil {
		t.Fatal(err)
	}
	l.appendRandom(t, 65000, 5) // ...served by a mirror now holding 70000
	var fallbacks atomic.Int64
	h := Handler(l.store, func(context.Context) ([]byte, error) { return signed, nil }, StaticKeys(l.vkey))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.Contains(r.URL.Path, ".p/") {
			ref, err := ParseTilePath(strings.TrimPrefix(r.URL.Path, "/log/"))
			ref.W = TileWidth
			if err == nil && ref.Exists(70000) {
				fallbacks.Add(1)
				http.NotFound(w, r)
				return
			}
		}
		h.ServeHTTP(w, r)
	}))
	defer srv.Close()
	rep, err := (&Client{BaseURL: srv.URL, Verifier: l.verifier}).Verify(ctx, nil)
	if err != nil || rep.Size != 5000 || rep.EntriesChecked != 5000 {
		t.Fatalf("Verify: %+v, %v", rep, err)
	}
	if fallbacks.Load() < 3 { // tile/0/019.p/136, tile/entries/019.p/136, tile/1/000.p/19
		t.Errorf("%d partial tiles refused", fallbacks.Load())
	}
}

// TestVerifyWhileAppending: clients verify while the log grows.
func TestVerifyWhileAppending(t *testing.T) {
	ctx := context.Background()
	l := newTestLog(t, 1000)
	var wg sync.WaitGroup
	var done atomic.Bool
	wg.Go(func() {
		defer done.Store(true)
		rng := rand.New(rand.NewPCG(6, 6))
		for range 300 {
			if _, err := l.store.Append(ctx, randLeaves(rng, 1+rng.IntN(50))...); err != nil {
				t.Error(err)
				return
			}
		}
	})
	var old *Checkpoint
	for i := 0; i < 3 || !done.Load(); i++ {
		rep, err := l.client.Verify(ctx, old)
		if err != nil {
			t.Fatalf("Verify: %v %v", err, rep.Mismatches)
		}
		if old != nil && rep.Size < old.Size {
			t.Fatalf("size went from %d to %d", old.Size, rep.Size)
		}
		old = &rep.Checkpoint
	}
	wg.Wait()
}
