package store_test

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// BenchmarkReceiptCodeCheck is what one receipt-code guess costs the
// server (and an attacker holding a dump): opening a concern with its code
// at the real Argon2id parameters (64 MiB, 3 passes, 2 lanes). The chosen
// parameters must cost at least 50 ms here (docs/performance.md).
func BenchmarkReceiptCodeCheck(b *testing.B) {
	s := storetest.Open(b, "sqlite", nil)
	s.ReceiptParams = store.DefaultArgonParams
	storetest.NewConcernStaff(b, s)
	rec, err := s.SubmitConcern(ctx, exportctl.Actor{}, storetest.SampleConcern(0))
	if err != nil {
		b.Fatal(err)
	}
	me := exportctl.ConcernReporter{Code: rec.Code}
	for b.Loop() {
		if _, err := s.ReporterConcern(ctx, me); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/guess")
}

// BenchmarkReceiptArgon2id is the hash alone: what one guess costs an
// attacker who holds a copy of the database and tries codes offline.
func BenchmarkReceiptArgon2id(b *testing.B) {
	p := store.DefaultArgonParams
	salt := make([]byte, 16)
	for b.Loop() {
		argon2.IDKey([]byte("7NQ4XK2M9PDRW3TY8CHV"), salt, p.Time, p.Memory, p.Threads, 32)
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/guess")
}

// BenchmarkConcernSubmit20 submits concerns from 20 concurrent reporters
// (two goroutines per GOMAXPROCS x 10), each with a 200 KiB evidence file,
// at the real Argon2id parameters: sealing, hashing the code, assigning an
// impartial handler and signing the receipt.
func BenchmarkConcernSubmit20(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			s := storetest.Open(b, engine, nil)
			s.ReceiptParams = store.DefaultArgonParams
			storetest.NewConcernStaff(b, s)
			in := storetest.SampleConcern(0)
			in.Files = []exportctl.ConcernFileInput{{Name: "evidence.pdf", ContentType: "application/pdf", Data: make([]byte, 200<<10)}}
			var n atomic.Int64
			var mu sync.Mutex
			var took []time.Duration
			b.SetParallelism(20 / max(1, runtime.GOMAXPROCS(0)))
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					start := time.Now()
					if _, err := s.SubmitConcern(ctx, exportctl.Actor{}, in); err != nil {
						b.Error(err)
						return
					}
					mu.Lock()
					took = append(took, time.Since(start))
					mu.Unlock()
					n.Add(1)
				}
			})
			b.ReportMetric(float64(n.Load())/b.Elapsed().Seconds(), "concerns/s")
			slices.Sort(took)
			if len(took) > 0 {
				b.ReportMetric(float64(took[len(took)/2].Milliseconds()), "p50-ms")
				b.ReportMetric(float64(took[len(took)*95/100].Milliseconds()), "p95-ms")
			}
		})
	}
}
