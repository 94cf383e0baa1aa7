package store

import "context"

// MigrateUpToForTest applies the migrations up to version, for tests of a
// migration over data written by the versions before it.
func (s *Store) MigrateUpToForTest(ctx context.Context, version int64) error {
	p, err := s.migrations()
	if err != nil {
		return err
	}
	_, err = p.UpTo(ctx, version)
	return err
}

// SetLoadBatchForTest sets how many incidents a load writes per batch.
func (s *Store) SetLoadBatchForTest(n int) { s.loadBatch = n }
