package main

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/exportctl/exportctl/internal/store"
)

func init() {
	commands["tick"] = command{"run the time-driven work once (licence expiries, concern clocks and escalations)", cmdTick}
}

func cmdTick(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "tick", "[--now RFC3339] [--db DSN]")
	db := dbFlag(e, fs)
	nowFlag := fs.String("now", "", "act as of this time (RFC 3339), e.g. to replay a missed night; default: now")
	if err := fs.Parse(args); err != nil {
		return err
	}
	now := time.Now()
	if *nowFlag != "" {
		t, err := time.Parse(time.RFC3339, *nowFlag)
		if err != nil {
			return usagef("--now: %v", err)
		}
		now = t
	}
	s, err := store.Open(ctx, *db, store.Options{Clock: func() time.Time { return now }})
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := s.Tick(ctx, now)
	if err != nil {
		return err
	}
	if !rep.Ran {
		fmt.Fprintln(e.stdout, "another server is running the time-driven work; nothing done")
		return nil
	}
	fmt.Fprintf(e.stdout, "tick at %s: %d licence(s) expired, %d concern escalation(s) for missed deadlines\n",
		now.UTC().Format(time.RFC3339), rep.Expired, rep.ConcernEscalations)
	return nil
}

// ticker runs the time-driven work every interval until ctx ends. Several
// servers may run it: the store's lock lets one at a time do the work.
func ticker(ctx context.Context, s *store.Store, every time.Duration, log *slog.Logger) {
	if every <= 0 {
		return
	}
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		rep, err := s.Tick(ctx, time.Now())
		switch {
		case err != nil && ctx.Err() == nil:
			log.Error("tick failed", "err", err)
		case rep.Expired > 0 || rep.ConcernEscalations > 0:
			log.Info("tick", "expired", rep.Expired, "concern_escalations", rep.ConcernEscalations)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
