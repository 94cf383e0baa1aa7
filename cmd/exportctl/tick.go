package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

func init() {
	commands["tick"] = command{"run the time-driven work once (licence expiries, concern clocks and escalations, reassessment triggers)", cmdTick}
}

// reassessFlags adds the reassessment threshold's flags (tick and serve)
// and returns a function that reads and checks them.
func reassessFlags(fs *flag.FlagSet) func() (exportctl.ReassessmentRule, error) {
	def := exportctl.DefaultReassessment
	n := fs.Int("reassess-incidents", def.Incidents, "open a reassessment task when this many new verified incidents are linked to a destination's extant licences...")
	d := fs.Int("reassess-days", def.WithinDays, "...within this many days")
	return func() (exportctl.ReassessmentRule, error) {
		r := exportctl.ReassessmentRule{Incidents: *n, WithinDays: *d}
		if err := r.Validate(); err != nil {
			return r, usagef("--reassess-%s: %s", map[string]string{"incidents": "incidents", "within_days": "days"}[exportctl.ErrorField(err)], errMessage(err))
		}
		return r, nil
	}
}

// errMessage is the message of a domain error without its field.
func errMessage(err error) string {
	var de *exportctl.Error
	if errors.As(err, &de) {
		return de.Message
	}
	return err.Error()
}

func cmdTick(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "tick", "[--now RFC3339] [--reassess-incidents N] [--reassess-days D] [--db DSN]")
	db := dbFlag(e, fs)
	nowFlag := fs.String("now", "", "act as of this time (RFC 3339), e.g. to replay a missed night; default: now")
	reassess := reassessFlags(fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	rule, err := reassess()
	if err != nil {
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
	s.Reassessment = rule
	rep, err := s.Tick(ctx, now)
	if err != nil {
		return err
	}
	if !rep.Ran {
		fmt.Fprintln(e.stdout, "another server is running the time-driven work; nothing done")
		return nil
	}
	fmt.Fprintf(e.stdout, "tick at %s: %d licence(s) expired, %d concern escalation(s) for missed deadlines, %d reassessment task(s) opened\n",
		now.UTC().Format(time.RFC3339), rep.Expired, rep.ConcernEscalations, rep.TasksOpened)
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
		case rep.Expired > 0 || rep.ConcernEscalations > 0 || rep.TasksOpened > 0:
			log.Info("tick", "expired", rep.Expired, "concern_escalations", rep.ConcernEscalations, "reassessment_tasks_opened", rep.TasksOpened)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
