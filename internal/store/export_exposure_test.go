package store

import "context"

// BackfillIncidentForces runs the one-time backfill of incident_forces, as
// Open does after migration 00014.
func (s *Store) BackfillIncidentForces(ctx context.Context) error {
	return s.backfillIncidentForces(ctx)
}
