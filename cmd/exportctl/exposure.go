package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

func init() {
	commands["exposure"] = command{"which licences could be connected to which incidents: exposure --destination CC [--since DATE] [--format table|json|csv]; exposure rules show|propose FILE|approve VERSION", cmdExposure}
}

// cmdExposure answers an exposure query as the system, or with "rules"
// shows and changes the rule set. Proposing and approving are reviewed
// commands, so they act as the user whose API token is in EXPORTCTL_TOKEN
// (an analyst proposes, a senior official approves).
func cmdExposure(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "rules" {
		return cmdExposureRules(ctx, e, args[1:])
	}
	fs := newFlags(e, "exposure", "--destination CC [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--licence REF] [--incident ID] [--end-user NAME] [--limit N] [--format table|json|csv] [--db DSN]")
	db := dbFlag(e, fs)
	var q exportctl.ExposureQuery
	fs.StringVar(&q.Destination, "destination", "", "links through the forces of this country (ISO 3166-1 alpha-2)")
	fs.StringVar(&q.Since, "since", "", "incidents on or after this date")
	fs.StringVar(&q.Until, "until", "", "incidents on or before this date")
	fs.StringVar(&q.LicenceRef, "licence", "", "one licence, by its reference")
	fs.Int64Var(&q.IncidentID, "incident", 0, "one incident, by its id")
	fs.StringVar(&q.EndUser, "end-user", "", "licences whose end user's name contains this")
	fs.IntVar(&q.Limit, "limit", exportctl.ExposureDefaultLimit, "links to list (the totals count all)")
	format := fs.String("format", "table", "table, json or csv")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected argument %q", fs.Arg(0))
	}
	if *format != "table" && *format != "json" && *format != "csv" {
		return usagef("--format: must be table, json or csv")
	}
	if err := q.Validate(); err != nil {
		return usagef("--%s", strings.ReplaceAll(err.Error(), "_", "-"))
	}
	s, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := s.Exposure(ctx, exportctl.System, q)
	if err != nil {
		return err
	}
	switch *format {
	case "json":
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(res)
	case "csv":
		return exportctl.WriteExposureCSV(e.stdout, res)
	}
	fmt.Fprintf(e.stdout, "rule set version %d: %d link(s) between %d licence(s) and %d incident(s)", res.RuleSetVersion, res.Total, len(res.Licences), res.Incidents)
	if len(res.Links) < res.Total {
		fmt.Fprintf(e.stdout, "; the first %d listed (--limit)", len(res.Links))
	}
	fmt.Fprintln(e.stdout)
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LICENCE\tRATING\tINCIDENT\tDATE\tTARGET\tACTOR\tSTRENGTH\tVIA")
	for _, l := range res.Links {
		via := l.Item
		if via == "" {
			via = "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\t%s\t%s\n", l.LicenceReference, l.Rating, l.IncidentID, l.IncidentDate, l.Target, l.Actor, l.Strength, via)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(res.Aggregates.ByRating) > 0 {
		fmt.Fprintln(e.stdout, "\nby rating:")
		for _, c := range res.Aggregates.ByRating {
			fmt.Fprintf(e.stdout, "  %-8s %d link(s), %d incident(s), %d licence(s)\n", c.Key, c.Links, c.Incidents, c.Licences)
		}
	}
	return nil
}

func cmdExposureRules(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("exposure rules show | propose FILE | approve VERSION")
	}
	fs := newFlags(e, "exposure rules "+args[0], "[--db DSN]")
	db := dbFlag(e, fs)
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return err
	}
	actor := exportctl.System
	open := func() (*store.Store, error) {
		s, err := store.Open(ctx, *db, store.Options{})
		if err != nil {
			return nil, err
		}
		if args[0] == "show" {
			return s, nil
		}
		tok := e.getenv("EXPORTCTL_TOKEN")
		if tok == "" {
			s.Close()
			return nil, usagef("set EXPORTCTL_TOKEN to your API token: an analyst proposes, a senior official approves")
		}
		if actor, err = s.TokenActor(ctx, tok); err != nil {
			s.Close()
			return nil, err
		}
		return s, nil
	}
	switch args[0] {
	case "show":
		if len(pos) > 0 {
			return usagef("unexpected argument %q", pos[0])
		}
		s, err := open()
		if err != nil {
			return err
		}
		defer s.Close()
		sets, err := s.ExposureRuleSets(ctx, actor)
		if err != nil {
			return err
		}
		for _, rs := range sets {
			state := "proposed, awaiting approval"
			if rs.ApprovedAt != nil {
				state = "approved by " + rs.ApprovedBy + " " + rs.ApprovedAt.Format("2006-01-02")
			}
			if rs.InUse {
				state += ", in use"
			}
			fmt.Fprintf(e.stdout, "version %d: proposed by %s %s; %s\n", rs.Version, rs.ProposedBy, rs.ProposedAt.Format("2006-01-02"), state)
		}
		for _, rs := range sets {
			if rs.InUse {
				enc := json.NewEncoder(e.stdout)
				enc.SetIndent("", "  ")
				return enc.Encode(rs.Rules)
			}
		}
		return nil
	case "propose":
		if len(pos) != 1 {
			return usagef("exposure rules propose FILE")
		}
		data, err := os.ReadFile(pos[0])
		if err != nil {
			return err
		}
		s, err := open()
		if err != nil {
			return err
		}
		defer s.Close()
		rs, err := s.ProposeExposureRules(ctx, actor, data)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "proposed version %d; a senior official approves it with: exportctl exposure rules approve %d\n", rs.Version, rs.Version)
		return nil
	case "approve":
		if len(pos) != 1 {
			return usagef("exposure rules approve VERSION")
		}
		v, err := strconv.Atoi(pos[0])
		if err != nil || v <= 0 {
			return usagef("VERSION: %q is not a version number", pos[0])
		}
		s, err := open()
		if err != nil {
			return err
		}
		defer s.Close()
		rs, err := s.ApproveExposureRules(ctx, actor, v)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "version %d approved by %s; exposure answers now use it\n", rs.Version, rs.ApprovedBy)
		return nil
	}
	return usagef("unknown rules command %q: show, propose FILE or approve VERSION", args[0])
}
