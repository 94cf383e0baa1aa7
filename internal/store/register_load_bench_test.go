package store_test

import (
	"math/rand/v2"
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// BenchmarkRegisterLoad measures a server's first search over a register
// of 100,000 entries: loading its in-memory copy.
func BenchmarkRegisterLoad(b *testing.B) {
	dsn := storetest.DSN(b, "sqlite")
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	appendBench(b, s, 0, 100_000, 1000, rand.New(rand.NewPCG(5, 6)))
	s.Close()
	b.ResetTimer()
	for range b.N {
		s, err := store.Open(ctx, dsn, store.Options{})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := s.Register(ctx, exportctl.RegisterFilter{Limit: 1}); err != nil {
			b.Fatal(err)
		}
		s.Close()
	}
}
