package store

import "context"

// BackfillIncidentForces runs the one-time backfill of incident_forces, as
// Open does after migration 00014.
func (s *Store) BackfillIncidentForces(ctx context.Context) error {
	return s.backfillIncidentForces(ctx)
}

// ResetExposureCache forgets the prepared exposure indexes, so that the
// next question loads its incidents again.
func (s *Store) ResetExposureCache() {
	s.exposure.mu.Lock()
	s.exposure.entries = nil
	s.exposure.mu.Unlock()
}
