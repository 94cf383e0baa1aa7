// Package ledger is exportctl's transparency log: an append-only Merkle tree
// with RFC 6962 hashing (as golang.org/x/mod/sumdb/tlog computes it), published
// as C2SP tlog-checkpoint bodies inside C2SP signed notes, served as C2SP
// tlog-tiles, with inclusion and consistency proofs and a verifying client.
//
// The package does not own storage. The caller stores, for each record n, the
// record's data and the hashes returned by [StoredHashes] (or [AppendBatch] for
// several consecutive records) at tlog storage indexes starting at
// tlog.StoredHashIndex(0, n). The real store keeps both in SQL tables, written
// in the same transaction as the change being logged; [MemoryStore] keeps them
// in memory for tests and benchmarks.
//
// Appends must be serialised by the caller (for example by a row lock on the
// log head): record n's hashes depend on the hashes of records before it.
package ledger

import (
	"context"
	"errors"
	"fmt"

	"golang.org/x/mod/sumdb/tlog"
)

// MaxEntrySize is the largest record a log entry may hold: entry bundles
// prefix each entry with a big-endian uint16 length (C2SP tlog-tiles).
const MaxEntrySize = 1<<16 - 1

// ErrEntryTooLarge is returned when appending a record longer than MaxEntrySize.
var ErrEntryTooLarge = errors.New("ledger: entry larger than 65535 bytes")

// A HashStore reads stored hashes by tlog storage index (see
// tlog.StoredHashIndex). ReadHashes must return exactly one hash per index, in
// the order asked, or an error. Callers ask for indexes in increasing order
// where they can.
type HashStore interface {
	ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error)
}

// A Store is a log's storage as the serving side sees it.
type Store interface {
	HashStore
	// Size returns the number of records in the log. Every record below Size
	// must have its data and hashes readable.
	Size(ctx context.Context) (int64, error)
	// Entries returns the data of records [from, to), one slice per record.
	Entries(ctx context.Context, from, to int64) ([][]byte, error)
}

// hashReader adapts a HashStore to tlog.HashReader, which has no context.
type hashReader struct {
	ctx context.Context
	r   HashStore
}

func (h hashReader) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	if len(indexes) == 0 {
		return nil, nil
	}
	hashes, err := h.r.ReadHashes(h.ctx, indexes)
	if err != nil {
		return nil, err
	}
	if len(hashes) != len(indexes) {
		return nil, fmt.Errorf("ledger: ReadHashes(%d indexes) returned %d hashes", len(indexes), len(hashes))
	}
	return hashes, nil
}

// StoredHashes returns the hashes to store when appending record n with the
// given data, to be written at storage indexes tlog.StoredHashIndex(0, n) and
// following. It reads up to log₂ n earlier hashes from r.
func StoredHashes(ctx context.Context, n int64, data []byte, r HashStore) ([]tlog.Hash, error) {
	if n < 0 {
		return nil, fmt.Errorf("ledger: negative record index %d", n)
	}
	if len(data) > MaxEntrySize {
		return nil, ErrEntryTooLarge
	}
	return tlog.StoredHashes(n, data, hashReader{ctx, r})
}

// AppendBatch returns the hashes to store when appending records n, n+1, ...,
// n+len(data)-1 in one go. They are contiguous: write them at storage indexes
// tlog.StoredHashIndex(0, n) onwards; the result has
// tlog.StoredHashCount(n+len(data)) - tlog.StoredHashIndex(0, n) hashes.
//
// AppendBatch makes a single ReadHashes call to r, for the at most log₂ n
// hashes of the perfect subtrees that make up the tree of size n; every other
// hash it needs is one it has just computed. The result is identical to
// calling StoredHashes for each record in turn.
func AppendBatch(ctx context.Context, n int64, data [][]byte, r HashStore) ([]tlog.Hash, error) {
	if n < 0 {
		return nil, fmt.Errorf("ledger: negative record index %d", n)
	}
	if len(data) == 0 {
		return nil, nil
	}
	for _, d := range data {
		if len(d) > MaxEntrySize {
			return nil, ErrEntryTooLarge
		}
	}
	start := tlog.StoredHashIndex(0, n)

	// Any node completed by the new records has as left children only nodes
	// computed in this batch or the maximal perfect subtrees of the tree of
	// size n (its "frontier").
	frontierIdx := frontierIndexes(n)
	frontier, err := hashReader{ctx, r}.ReadHashes(frontierIdx)
	if err != nil {
		return nil, err
	}

	out := make([]tlog.Hash, 0, tlog.StoredHashCount(n+int64(len(data)))-start)
	var buf []tlog.Hash
	reader := tlog.HashReaderFunc(func(indexes []int64) ([]tlog.Hash, error) {
		buf = buf[:0]
		for _, x := range indexes {
			if x >= start {
				if x-start >= int64(len(out)) {
					return nil, fmt.Errorf("ledger: AppendBatch: hash %d not yet computed", x)
				}
				buf = append(buf, out[x-start])
				continue
			}
			found := false
			for i, fx := range frontierIdx {
				if fx == x {
					buf = append(buf, frontier[i])
					found = true
					break
				}
			}
			if !found {
				return nil, fmt.Errorf("ledger: AppendBatch: bad math: hash %d outside frontier of %d", x, n)
			}
		}
		return buf, nil
	})
	for i, d := range data {
		hs, err := tlog.StoredHashes(n+int64(i), d, reader)
		if err != nil {
			return nil, err
		}
		out = append(out, hs...)
	}
	return out, nil
}

// frontierIndexes returns the storage indexes of the maximal perfect subtrees
// whose concatenation is the tree of size n, left to right (the hashes
// tlog.TreeHash reads).
func frontierIndexes(n int64) []int64 {
	var idx []int64
	lo := int64(0)
	for level := 62; level >= 0; level-- {
		if n&(1<<level) != 0 {
			idx = append(idx, tlog.StoredHashIndex(level, lo>>level))
			lo += 1 << level
		}
	}
	return idx
}

// TreeHash returns the RFC 6962 root hash of the tree of the first size records.
func TreeHash(ctx context.Context, size int64, r HashStore) (tlog.Hash, error) {
	if size < 0 {
		return tlog.Hash{}, fmt.Errorf("ledger: negative tree size %d", size)
	}
	return tlog.TreeHash(size, hashReader{ctx, r})
}

// InclusionProof returns the proof that record index is in the tree of the
// given size (RFC 6962 audit path; verify with tlog.CheckRecord).
func InclusionProof(ctx context.Context, index, size int64, r HashStore) (tlog.RecordProof, error) {
	if index < 0 || index >= size {
		return nil, fmt.Errorf("ledger: record %d not in tree of size %d", index, size)
	}
	return tlog.ProveRecord(size, index, hashReader{ctx, r})
}

// ConsistencyProof returns the proof that the tree of size newSize extends the
// tree of size oldSize (RFC 6962 consistency proof; verify with
// tlog.CheckTree). The proof from an empty tree, or between equal sizes, is
// empty.
func ConsistencyProof(ctx context.Context, oldSize, newSize int64, r HashStore) (tlog.TreeProof, error) {
	if oldSize < 0 || oldSize > newSize {
		return nil, fmt.Errorf("ledger: no consistency proof from size %d to %d", oldSize, newSize)
	}
	if oldSize == 0 {
		return tlog.TreeProof{}, nil
	}
	return tlog.ProveTree(newSize, oldSize, hashReader{ctx, r})
}
