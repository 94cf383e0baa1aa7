package main

import (
	"context"
	"fmt"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

func init() {
	commands["match-incidents"] = command{"propose probable duplicates across sources: match-incidents [--country CC] [--from DATE] [--to DATE]", cmdMatchIncidents}
}

// cmdMatchIncidents proposes matches between incidents of different
// sources that are probably the same event, for analysts to confirm or
// reject (in the API or the pages), and prints how many it proposed.
func cmdMatchIncidents(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "match-incidents", "[--country CC] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--admin1 NAME] [--db DSN]")
	db := dbFlag(e, fs)
	country := fs.String("country", "", "only incidents in this country (ISO 3166-1 alpha-2)")
	from := fs.String("from", "", "only incidents starting on or after this date (YYYY-MM-DD)")
	to := fs.String("to", "", "only incidents starting on or before this date (YYYY-MM-DD)")
	admin1 := fs.String("admin1", "", "only incidents in this first administrative level")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	f := exportctl.IncidentFilter{Country: *country, Admin1: *admin1, From: *from, To: *to}
	if err := f.Validate(); err != nil {
		return usagef("--%v", err)
	}
	s, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.ProposeMatches(ctx, exportctl.System, f)
	if err != nil {
		return err
	}
	if n == 0 {
		fmt.Fprintln(e.stdout, "no new probable duplicates")
		return nil
	}
	fmt.Fprintf(e.stdout, "proposed %d probable duplicate(s); confirm or reject them at /api/v1/incident-matches?status=proposed\n", n)
	return nil
}
