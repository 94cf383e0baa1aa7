package ledger

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// bigLog is a 1,000,000-entry MemoryStore, built once per test binary.
var bigLog = sync.OnceValues(func() (*MemoryStore, error) {
	const size, batch = 1_000_000, 10_000
	m := NewMemoryStore()
	leaves := make([][]byte, batch)
	for n := 0; n < size; n += batch {
		for i := range leaves {
			leaves[i] = fmt.Appendf(leaves[i][:0],
				`{"seq":%d,"event":"licence.issued","licence":"SIEL/%07d","destination":"IL","rating":"ML10"}`, n+i, n+i)
		}
		if _, err := m.Append(context.Background(), leaves...); err != nil {
			return nil, err
		}
	}
	return m, nil
})

func BenchmarkAppendBatch(b *testing.B) {
	ctx := context.Background()
	const batch = 1000
	m := NewMemoryStore()
	leaves := make([][]byte, batch)
	for i := range leaves {
		leaves[i] = fmt.Appendf(nil, `{"seq":%d,"event":"licence.issued","destination":"IL"}`, i)
	}
	appended := 0
	for b.Loop() {
		if _, err := m.Append(ctx, leaves...); err != nil {
			b.Fatal(err)
		}
		appended += batch
	}
	b.ReportMetric(float64(appended)/b.Elapsed().Seconds(), "appends/s")
}

func BenchmarkInclusionProof(b *testing.B) {
	ctx := context.Background()
	m, err := bigLog()
	if err != nil {
		b.Fatal(err)
	}
	size, _ := m.Size(ctx)
	rng := rand.New(rand.NewPCG(1, 1))
	for b.Loop() {
		if _, err := InclusionProof(ctx, rng.Int64N(size), size, m); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerify1M verifies a 1,000,000-entry log over HTTP: every tile and
// entry bundle. Run it with -benchtime 1x.
func BenchmarkVerify1M(b *testing.B) {
	if testing.Short() {
		b.Skip("builds and verifies a 1,000,000-entry log")
	}
	ctx := context.Background()
	start := time.Now()
	m, err := bigLog()
	if err != nil {
		b.Fatal(err)
	}
	b.Logf("log ready in %v (built once, shared with BenchmarkInclusionProof)", time.Since(start).Round(time.Millisecond))
	signer, verifier, vkey := testKey(b, testOrigin)
	srv := httptest.NewServer(Handler(m, func(ctx context.Context) ([]byte, error) {
		return SignLatest(ctx, m, signer)
	}, StaticKeys(vkey)))
	defer srv.Close()
	c := &Client{BaseURL: srv.URL, Verifier: verifier}
	var rep Report
	verified := int64(0)
	for b.Loop() {
		rep, err = c.Verify(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		verified += rep.EntriesChecked
	}
	if rep.Size != 1_000_000 || rep.EntriesChecked != 1_000_000 {
		b.Fatalf("report %+v", rep)
	}
	b.ReportMetric(float64(verified)/b.Elapsed().Seconds(), "entries/s")
	b.ReportMetric(float64(rep.TilesFetched+rep.BundlesFetched), "fetches/op")
}
