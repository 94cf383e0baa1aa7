package main

import (
	"context"
	"fmt"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

func init() {
	commands["stats"] = command{"official statistics: stats publish --period 2026-Q3 (a frozen release, appended to the transparency log)", cmdStats}
}

func cmdStats(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] != "publish" {
		return usagef("stats publish --period 2026-Q3|2026 [--db DSN]")
	}
	fs := newFlags(e, "stats publish", "--period 2026-Q3|2026 [--db DSN]")
	db := dbFlag(e, fs)
	period := fs.String("period", "", "the quarter (2026-Q3) or year (2026) to release; it must be over")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *period == "" {
		return usagef("--period is required (2026-Q3 or 2026)")
	}
	s, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	rel, err := s.PublishStatistics(ctx, exportctl.System, *period)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "statistics %s released: sha256 %s, log index %d\n", rel.Period, rel.SHA256, rel.LogIndex)
	return nil
}
