package ledger

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/tlog"
)

// randLeaves returns n random leaves of 0 to 200 bytes.
func randLeaves(rng *rand.Rand, n int) [][]byte {
	out := make([][]byte, n)
	for i := range out {
		b := make([]byte, rng.IntN(201))
		for j := range b {
			b[j] = byte(rng.Uint32())
		}
		out[i] = b
	}
	return out
}

// sliceStore appends one record at a time with StoredHashes.
type sliceStore struct {
	hashes  []tlog.Hash
	entries [][]byte
}

func (s *sliceStore) append(t testing.TB, data []byte) {
	t.Helper()
	n := int64(len(s.entries))
	hs, err := StoredHashes(context.Background(), n, data, s)
	if err != nil {
		t.Fatalf("StoredHashes(%d): %v", n, err)
	}
	if int64(len(s.hashes)) != tlog.StoredHashIndex(0, n) {
		t.Fatalf("record %d: %d hashes stored, want %d", n, len(s.hashes), tlog.StoredHashIndex(0, n))
	}
	s.hashes = append(s.hashes, hs...)
	s.entries = append(s.entries, data)
}

func (s *sliceStore) ReadHashes(_ context.Context, idx []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(idx))
	for i, x := range idx {
		if x >= int64(len(s.hashes)) {
			return nil, fmt.Errorf("no hash %d", x)
		}
		out[i] = s.hashes[x]
	}
	return out, nil
}

// refRoot is the RFC 6962 Merkle Tree Hash, computed directly from the
// definition with the transparency-dev hasher.
func refRoot(leaves [][]byte) []byte {
	h := rfc6962.DefaultHasher
	switch len(leaves) {
	case 0:
		return h.EmptyRoot()
	case 1:
		return h.HashLeaf(leaves[0])
	}
	k := 1
	for k*2 < len(leaves) {
		k *= 2
	}
	return h.HashChildren(refRoot(leaves[:k]), refRoot(leaves[k:]))
}

func proofBytes(p []tlog.Hash) [][]byte {
	out := make([][]byte, len(p))
	for i := range p {
		out[i] = p[i][:]
	}
	return out
}

func build(t testing.TB, leaves [][]byte) *sliceStore {
	s := &sliceStore{}
	for _, l := range leaves {
		s.append(t, l)
	}
	return s
}

func TestTreeHashMatchesRFC6962(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(1, 2))
	leaves := randLeaves(rng, 1000)
	s := build(t, leaves)
	sizes := []int{0, 1, 2, 3, 4, 5, 7, 8, 9, 255, 256, 257, 511, 512, 513, 999, 1000}
	for range 30 {
		sizes = append(sizes, rng.IntN(1001))
	}
	for _, n := range sizes {
		got, err := TreeHash(ctx, int64(n), s)
		if err != nil {
			t.Fatal(err)
		}
		if want := refRoot(leaves[:n]); !bytes.Equal(got[:], want) {
			t.Errorf("TreeHash(%d) = %x, RFC 6962 says %x", n, got, want)
		}
	}
}

func TestInclusionProof(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(3, 4))
	leaves := randLeaves(rng, 1000)
	s := build(t, leaves)
	h := rfc6962.DefaultHasher
	check := func(index, size int64) {
		root, err := TreeHash(ctx, size, s)
		if err != nil {
			t.Fatal(err)
		}
		p, err := InclusionProof(ctx, index, size, s)
		if err != nil {
			t.Fatalf("InclusionProof(%d, %d): %v", index, size, err)
		}
		if err := proof.VerifyInclusion(h, uint64(index), uint64(size), h.HashLeaf(leaves[index]), proofBytes(p), root[:]); err != nil {
			t.Errorf("VerifyInclusion(%d, %d): %v", index, size, err)
		}
		// A proof for another leaf must not verify.
		if err := proof.VerifyInclusion(h, uint64(index), uint64(size), h.HashLeaf(append(leaves[index], 'x')), proofBytes(p), root[:]); err == nil {
			t.Errorf("VerifyInclusion(%d, %d) accepted a wrong leaf", index, size)
		}
	}
	for size := int64(1); size <= 40; size++ {
		for index := int64(0); index < size; index++ {
			check(index, size)
		}
	}
	for range 2000 {
		size := 1 + rng.Int64N(1000)
		check(rng.Int64N(size), size)
	}
	check(0, 1000)
	check(999, 1000)
	for _, bad := range [][2]int64{{-1, 10}, {10, 10}, {0, 0}} {
		if _, err := InclusionProof(ctx, bad[0], bad[1], s); err == nil {
			t.Errorf("InclusionProof(%d, %d) succeeded", bad[0], bad[1])
		}
	}
}

func TestConsistencyProof(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(5, 6))
	leaves := randLeaves(rng, 1000)
	s := build(t, leaves)
	h := rfc6962.DefaultHasher
	check := func(oldSize, newSize int64) {
		oldRoot, err := TreeHash(ctx, oldSize, s)
		if err != nil {
			t.Fatal(err)
		}
		newRoot, err := TreeHash(ctx, newSize, s)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ConsistencyProof(ctx, oldSize, newSize, s)
		if err != nil {
			t.Fatalf("ConsistencyProof(%d, %d): %v", oldSize, newSize, err)
		}
		if err := proof.VerifyConsistency(h, uint64(oldSize), uint64(newSize), proofBytes(p), oldRoot[:], newRoot[:]); err != nil {
			t.Errorf("VerifyConsistency(%d, %d): %v", oldSize, newSize, err)
		}
		if oldSize > 0 && oldSize < newSize {
			bad := oldRoot
			bad[0] ^= 1
			if err := proof.VerifyConsistency(h, uint64(oldSize), uint64(newSize), proofBytes(p), bad[:], newRoot[:]); err == nil {
				t.Errorf("VerifyConsistency(%d, %d) accepted a wrong old root", oldSize, newSize)
			}
		}
	}
	for n := int64(0); n <= 33; n++ {
		for m := n; m <= 33; m++ {
			check(n, m)
		}
	}
	for range 2000 {
		a, b := rng.Int64N(1001), rng.Int64N(1001)
		check(min(a, b), max(a, b))
	}
	check(1000, 1000)
	check(512, 1000)
	if _, err := ConsistencyProof(ctx, 10, 9, s); err == nil {
		t.Error("ConsistencyProof(10, 9) succeeded")
	}
}

func TestAppendBatchMatchesOneByOne(t *testing.T) {
	ctx := context.Background()
	rng := rand.New(rand.NewPCG(7, 8))
	leaves := randLeaves(rng, 1500)
	want := build(t, leaves)
	for trial := range 20 {
		m := NewMemoryStore()
		for done := 0; done < len(leaves); {
			k := 1 + rng.IntN(300)
			if trial == 0 {
				k = 1
			}
			k = min(k, len(leaves)-done)
			first, err := m.Append(ctx, leaves[done:done+k]...)
			if err != nil {
				t.Fatal(err)
			}
			if first != int64(done) {
				t.Fatalf("Append returned index %d, want %d", first, done)
			}
			done += k
		}
		if len(m.hashes) != len(want.hashes) {
			t.Fatalf("trial %d: %d hashes, want %d", trial, len(m.hashes), len(want.hashes))
		}
		for i := range m.hashes {
			if m.hashes[i] != want.hashes[i] {
				t.Fatalf("trial %d: hash %d differs", trial, i)
			}
		}
	}
	// The batch result's length matches the storage layout.
	hs, err := AppendBatch(ctx, 1000, leaves[1000:1300], want)
	if err != nil {
		t.Fatal(err)
	}
	if int64(len(hs)) != tlog.StoredHashCount(1300)-tlog.StoredHashIndex(0, 1000) {
		t.Errorf("AppendBatch returned %d hashes", len(hs))
	}
	if hs, err := AppendBatch(ctx, 5, nil, want); err != nil || len(hs) != 0 {
		t.Errorf("empty AppendBatch = %v, %v", hs, err)
	}
	if _, err := AppendBatch(ctx, 0, [][]byte{make([]byte, MaxEntrySize+1)}, want); err != ErrEntryTooLarge {
		t.Errorf("oversized entry: %v", err)
	}
	if _, err := StoredHashes(ctx, 0, make([]byte, MaxEntrySize+1), want); err != ErrEntryTooLarge {
		t.Errorf("oversized entry: %v", err)
	}
}

func TestMemoryStoreEntries(t *testing.T) {
	ctx := context.Background()
	leaves := randLeaves(rand.New(rand.NewPCG(9, 10)), 300)
	m := NewMemoryStore()
	if _, err := m.Append(ctx, leaves...); err != nil {
		t.Fatal(err)
	}
	got, err := m.Entries(ctx, 17, 290)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range got {
		if !bytes.Equal(e, leaves[17+i]) {
			t.Fatalf("entry %d differs", 17+i)
		}
	}
	if _, err := m.Entries(ctx, 0, 301); err == nil {
		t.Error("Entries beyond the log succeeded")
	}
	if err := m.RewriteEntry(3, []byte("x"), false); err != nil {
		t.Fatal(err)
	}
	got, _ = m.Entries(ctx, 0, 300)
	for i, e := range got {
		want := leaves[i]
		if i == 3 {
			want = []byte("x")
		}
		if !bytes.Equal(e, want) {
			t.Fatalf("after rewrite, entry %d differs", i)
		}
	}
}
