package store

import (
	"context"
	"database/sql"
	"time"

	"github.com/exportctl/exportctl"
)

// Test access to the hooks Decide calls inside its transaction.

// UnansweredDenialMatchesForTest runs inside a write transaction, as Decide will.
func (s *Store) UnansweredDenialMatchesForTest(ctx context.Context, app *exportctl.Application) (ms []exportctl.DenialMatch, err error) {
	err = s.tx(ctx, "test.unanswered", func(tx *sql.Tx) error {
		ms, err = s.unansweredDenialMatches(ctx, tx, app, s.now().UTC())
		return err
	})
	return ms, err
}

func (s *Store) RequireDenialMatchesAnsweredForTest(ctx context.Context, app *exportctl.Application) error {
	return s.requireDenialMatchesAnswered(ctx, s.read, app, s.now().UTC())
}

func (s *Store) RecordDenialsForTest(ctx context.Context, app *exportctl.Application, in exportctl.DecisionInput, now time.Time) error {
	return s.tx(ctx, "test.record_denials", func(tx *sql.Tx) error { return s.recordDenials(ctx, tx, app, 0, in, now) })
}
