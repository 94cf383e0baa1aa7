package ledger

import (
	"context"
	"fmt"
	"sync"

	"golang.org/x/mod/sumdb/tlog"
)

// MemoryStore is a Store held in memory, for tests and benchmarks. It is safe
// for concurrent use; appends are serialised by its lock, as the SQL store
// serialises them with a row lock on the log head.
type MemoryStore struct {
	mu      sync.RWMutex
	hashes  []tlog.Hash // by storage index
	data    []byte      // entries, concatenated
	offsets []int       // entry i is data[offsets[i]:offsets[i+1]]
}

// NewMemoryStore returns an empty log.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{offsets: []int{0}}
}

// Append appends records to the log and returns the index of the first.
func (m *MemoryStore) Append(ctx context.Context, records ...[]byte) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.appendLocked(ctx, records)
}

func (m *MemoryStore) appendLocked(ctx context.Context, records [][]byte) (int64, error) {
	n := int64(len(m.offsets) - 1)
	hashes, err := AppendBatch(ctx, n, records, lockedHashes{m})
	if err != nil {
		return 0, err
	}
	if int64(len(m.hashes)) != tlog.StoredHashIndex(0, n) {
		return 0, fmt.Errorf("ledger: memory store holds %d hashes for %d records", len(m.hashes), n)
	}
	m.hashes = append(m.hashes, hashes...)
	for _, r := range records {
		m.data = append(m.data, r...)
		m.offsets = append(m.offsets, len(m.data))
	}
	return n, nil
}

// RewriteEntry replaces the data of record i, simulating tampering with the
// log. With rehash false only the entry changes, so the entry no longer
// matches its leaf hash; with rehash true every hash from record i on is
// recomputed, as an operator rewriting history would do, so the log is
// self-consistent but no longer extends checkpoints taken before.
func (m *MemoryStore) RewriteEntry(i int64, data []byte, rehash bool) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	size := int64(len(m.offsets) - 1)
	if i < 0 || i >= size {
		return fmt.Errorf("ledger: no record %d", i)
	}
	entries := m.entriesLocked(0, size)
	entries[i] = data
	if !rehash {
		m.data, m.offsets = m.data[:0:0], m.offsets[:1:1]
		for _, e := range entries {
			m.data = append(m.data, e...)
			m.offsets = append(m.offsets, len(m.data))
		}
		return nil
	}
	m.hashes = m.hashes[:tlog.StoredHashIndex(0, i)]
	m.data = append([]byte(nil), m.data[:m.offsets[i]]...)
	m.offsets = m.offsets[:i+1]
	_, err := m.appendLocked(context.Background(), entries[i:])
	return err
}

// ReadHashes implements HashStore.
func (m *MemoryStore) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return lockedHashes{m}.ReadHashes(ctx, indexes)
}

// Size implements Store.
func (m *MemoryStore) Size(ctx context.Context) (int64, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return int64(len(m.offsets) - 1), nil
}

// Entries implements Store. The returned slices are copies.
func (m *MemoryStore) Entries(ctx context.Context, from, to int64) ([][]byte, error) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if from < 0 || from > to || to > int64(len(m.offsets)-1) {
		return nil, fmt.Errorf("ledger: entries [%d, %d) outside log of size %d", from, to, len(m.offsets)-1)
	}
	return m.entriesLocked(from, to), nil
}

func (m *MemoryStore) entriesLocked(from, to int64) [][]byte {
	out := make([][]byte, 0, to-from)
	buf := append([]byte(nil), m.data[m.offsets[from]:m.offsets[to]]...)
	base := m.offsets[from]
	for i := from; i < to; i++ {
		out = append(out, buf[m.offsets[i]-base:m.offsets[i+1]-base:m.offsets[i+1]-base])
	}
	return out
}

// lockedHashes reads m's hashes with m.mu already held.
type lockedHashes struct{ m *MemoryStore }

func (l lockedHashes) ReadHashes(_ context.Context, indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	for i, x := range indexes {
		if x < 0 || x >= int64(len(l.m.hashes)) {
			return nil, fmt.Errorf("ledger: no stored hash %d (have %d)", x, len(l.m.hashes))
		}
		out[i] = l.m.hashes[x]
	}
	return out, nil
}
