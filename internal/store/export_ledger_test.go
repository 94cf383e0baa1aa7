package store

import (
	"context"
	"database/sql"

	"github.com/exportctl/exportctl"
)

// AppendLeavesForTest appends leaves in one transaction, as a command that
// publishes many events at once does (for the log's benchmarks).
func (s *Store) AppendLeavesForTest(ctx context.Context, leaves []exportctl.LogLeaf) error {
	p := make([]pendingLeaf, len(leaves))
	for i, l := range leaves {
		p[i] = pendingLeaf{leaf: l}
	}
	return s.tx(ctx, "test.append", func(tx *sql.Tx) error { return s.appendLeaves(ctx, tx, p) })
}
