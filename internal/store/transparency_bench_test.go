package store_test

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net/http/httptest"
	"os"
	"runtime"
	"slices"
	"strconv"
	"testing"
	"time"

	"golang.org/x/mod/sumdb/note"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/ledger"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
	"github.com/exportctl/exportctl/internal/web"
)

var (
	benchDestinations = []string{"IL", "SA", "AE", "US", "FR", "DE", "TR", "IN", "QA", "EG", "UA", "KR", "JP", "AU", "CA", "BR", "PK", "ID", "MY", "SG",
		"NO", "SE", "PL", "IT", "ES", "NL", "BE", "CH", "ZA", "NG", "KE", "MX", "CL", "CO", "PH", "TH", "VN", "KW", "OM", "BH"}
	benchRatings  = []string{"ML1", "ML2", "ML3", "ML4", "ML5", "ML6", "ML7", "ML8", "ML9", "ML10", "ML11", "ML13", "ML15", "ML18", "ML22", "5A002", "6A003", "PL5017"}
	benchCriteria = []string{"1", "2a", "2b", "2c", "3", "4", "5", "6", "7", "8"}
	benchUsers    = []string{"government", "armed_forces", "police", "commercial"}
)

// benchLeaf is a published decision as a leaf: a varied register over ten
// years (2016-2025), one decision every five minutes or so.
func benchLeaf(i int, r *rand.Rand) exportctl.LogLeaf {
	at := time.Date(2016, 1, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(i) * 5 * time.Minute)
	outcome := "issued"
	switch x := r.IntN(100); {
	case x < 12:
		outcome = "refused"
	case x < 16:
		outcome = "nlr"
	}
	licType := "SIEL"
	if r.IntN(10) == 0 {
		licType = "OIEL"
	}
	var ratings []string
	military := false
	for range 1 + r.IntN(3) {
		rt := benchRatings[r.IntN(len(benchRatings))]
		if !slices.Contains(ratings, rt) {
			ratings = append(ratings, rt)
		}
		military = military || exportctl.MilitaryRating(rt)
	}
	slices.Sort(ratings)
	criteria := []string{}
	if outcome == "refused" {
		criteria = append(criteria, benchCriteria[r.IntN(len(benchCriteria))])
	}
	public := map[string]any{"outcome": outcome, "licence_type": licType, "export_type": "permanent",
		"destination": benchDestinations[min(r.IntN(len(benchDestinations)), r.IntN(len(benchDestinations)))],
		"criteria":    criteria, "criteria_set": "uk-2021", "ratings": ratings, "military": military,
		"end_user_type": benchUsers[r.IntN(len(benchUsers))], "departure": false}
	if licType == "SIEL" {
		public["value_gbp"] = float64(r.IntN(5_000_000_00)) / 100
	}
	b, _ := json.Marshal(public)
	return exportctl.LogLeaf{Version: 1, Kind: exportctl.LogDecision, At: at, SubjectType: "decision", SubjectID: int64(i + 1),
		Reference: fmt.Sprintf("GB%s/%d/%07d/P", licType, at.Year(), i+1), Public: b, Commitment: fmt.Sprintf("%064x", r.Uint64())}
}

func appendBench(b *testing.B, s *store.Store, from, n, batch int, r *rand.Rand) {
	b.Helper()
	leaves := make([]exportctl.LogLeaf, 0, batch)
	for i := from; i < from+n; i += batch {
		leaves = leaves[:0]
		for j := i; j < min(i+batch, from+n); j++ {
			leaves = append(leaves, benchLeaf(j, r))
		}
		if err := s.AppendLeavesForTest(ctx, leaves); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLogAppend appends published decisions to the log (leaf, tree
// hashes, register row with its ratings and criteria), one transaction per
// batch.
func BenchmarkLogAppend(b *testing.B) {
	for _, engine := range storetest.Engines() {
		for _, batch := range []int{1, 100, 1000} {
			b.Run(fmt.Sprintf("%s/batch=%d", engine, batch), func(b *testing.B) {
				s := storetest.Open(b, engine, nil)
				r := rand.New(rand.NewPCG(1, 2))
				b.ResetTimer()
				appendBench(b, s, 0, b.N, batch, r)
				b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "appends/s")
			})
		}
	}
}

func percentile(d []time.Duration, p float64) time.Duration {
	slices.Sort(d)
	return d[min(len(d)-1, int(float64(len(d))*p))]
}

// BenchmarkTransparencyScale builds a log of EXPORTCTL_BENCH_LEAVES
// published decisions (1,000,000 by default) on SQLite in batches of 1,000,
// then measures inclusion proofs from the database, public register
// searches, and a full verification of the log from its tiles over HTTP.
// Run it once: go test ./internal/store -run '^$' -bench TransparencyScale -benchtime 1x
func BenchmarkTransparencyScale(b *testing.B) {
	n := 1_000_000
	if v, err := strconv.Atoi(os.Getenv("EXPORTCTL_BENCH_LEAVES")); err == nil && v > 0 {
		n = v
	}
	engine := "sqlite"
	if os.Getenv("EXPORTCTL_BENCH_ENGINE") == "postgres" {
		engine = "postgres"
	}
	for range b.N {
		s := storetest.Open(b, engine, nil)
		r := rand.New(rand.NewPCG(3, 4))
		start := time.Now()
		appendBench(b, s, 0, n, 1000, r)
		appendRate := float64(n) / time.Since(start).Seconds()
		fmt.Printf("%s: appended %d leaves in %s: %.0f appends/s\n", engine, n, time.Since(start).Round(time.Millisecond), appendRate)
		b.ReportMetric(appendRate, "appends/s")

		// Inclusion proofs read from the database.
		var proofs []time.Duration
		for range 2000 {
			idx := r.Int64N(int64(n))
			t0 := time.Now()
			if _, err := ledger.InclusionProof(ctx, idx, int64(n), s); err != nil {
				b.Fatal(err)
			}
			proofs = append(proofs, time.Since(t0))
		}
		fmt.Printf("inclusion proof: p50 %s, p99 %s\n", percentile(proofs, 0.5), percentile(proofs, 0.99))
		b.ReportMetric(float64(percentile(proofs, 0.99).Microseconds()), "proof-p99-µs")

		// Register searches: a page of 50 with the total, per kind of query,
		// after the first search has loaded the server's copy.
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		t0 := time.Now()
		if _, err := s.Register(ctx, exportctl.RegisterFilter{}); err != nil {
			b.Fatal(err)
		}
		took := time.Since(t0)
		runtime.GC()
		runtime.ReadMemStats(&after)
		fmt.Printf("first search (loads the in-memory copy of %d entries): %s, %d MB of heap\n", n, took.Round(time.Millisecond),
			(int64(after.HeapAlloc)-int64(before.HeapAlloc))>>20)
		day := func() string {
			return time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, r.IntN(3400)).Format(time.DateOnly)
		}
		shapes := []struct {
			name string
			f    func() exportctl.RegisterFilter
		}{
			{"newest page, no filter", func() exportctl.RegisterFilter { return exportctl.RegisterFilter{} }},
			{"destination", func() exportctl.RegisterFilter {
				return exportctl.RegisterFilter{Destination: benchDestinations[r.IntN(len(benchDestinations))]}
			}},
			{"destination + outcome + 3 months", func() exportctl.RegisterFilter {
				d := day()
				to, _ := time.Parse(time.DateOnly, d)
				return exportctl.RegisterFilter{Destination: benchDestinations[r.IntN(10)], Outcome: "refused", From: d, To: to.AddDate(0, 3, 0).Format(time.DateOnly)}
			}},
			{"rating + value range", func() exportctl.RegisterFilter {
				lo := float64(r.IntN(4_000_000))
				return exportctl.RegisterFilter{Rating: benchRatings[r.IntN(len(benchRatings))], MinValue: &lo, MaxValue: storetest.F64(lo + 100_000)}
			}},
			{"criterion + end user", func() exportctl.RegisterFilter {
				return exportctl.RegisterFilter{Criterion: benchCriteria[r.IntN(len(benchCriteria))], EndUserType: benchUsers[r.IntN(len(benchUsers))]}
			}},
			{"full text + destination", func() exportctl.RegisterFilter {
				words := []string{"aircraft", "bombs", "vehicles", "ammunition", "imaging", "technology", "vessels", "electronic"}
				return exportctl.RegisterFilter{Text: words[r.IntN(len(words))], Destination: benchDestinations[r.IntN(len(benchDestinations))]}
			}},
			{"full text + year", func() exportctl.RegisterFilter {
				y := 2016 + r.IntN(9)
				return exportctl.RegisterFilter{Text: "aircraft", From: fmt.Sprintf("%d-01-01", y), To: fmt.Sprintf("%d-12-31", y)}
			}},
		}
		var all []time.Duration
		for _, sh := range shapes {
			var ds []time.Duration
			total := 0
			for range 100 {
				f := sh.f()
				t0 := time.Now()
				page, err := s.Register(ctx, f)
				if err != nil {
					b.Fatalf("%s %+v: %v", sh.name, f, err)
				}
				ds = append(ds, time.Since(t0))
				total += page.Total
			}
			all = append(all, ds...)
			fmt.Printf("search %-34s p50 %8s  p99 %8s  (%d matches on average)\n", sh.name, percentile(ds, 0.5).Round(10*time.Microsecond),
				percentile(ds, 0.99).Round(10*time.Microsecond), total/100)
		}
		fmt.Printf("search, all shapes: p50 %s, p99 %s\n", percentile(all, 0.5).Round(10*time.Microsecond), percentile(all, 0.99).Round(10*time.Microsecond))
		b.ReportMetric(float64(percentile(all, 0.99).Microseconds())/1000, "search-p99-ms")

		// The whole log, verified from its tiles over HTTP.
		srv, err := web.New(s, web.Options{Logger: slog.New(slog.DiscardHandler)})
		if err != nil {
			b.Fatal(err)
		}
		ts := httptest.NewServer(srv.Handler())
		vkey, _ := s.LogVerifierKey(ctx)
		v, _ := note.NewVerifier(vkey)
		t0 = time.Now()
		rep, err := (&ledger.Client{BaseURL: ts.URL, Verifier: v}).Verify(ctx, nil)
		ts.Close()
		if err != nil || rep.EntriesChecked != int64(n) {
			b.Fatalf("verify: %+v %v", rep, err)
		}
		fmt.Printf("verified %d entries from %d tiles and %d entry bundles in %s\n", rep.EntriesChecked, rep.TilesFetched, rep.BundlesFetched, time.Since(t0).Round(time.Millisecond))
		b.ReportMetric(time.Since(t0).Seconds(), "verify-s")
	}
}
