package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

func cmdMigrate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "migrate", "[--db DSN]")
	db := dbFlag(e, fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	s, err := store.Open(ctx, *db, store.Options{NoMigrate: true})
	if err != nil {
		return err
	}
	defer s.Close()
	n, err := s.Migrate(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "applied %d migration(s) to the %s database\n", n, s.Engine())
	return nil
}

func cmdUser(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("user add NAME --role ROLE [--org ORG] [--team TEAM] | user list")
	}
	switch args[0] {
	case "add":
		return cmdUserAdd(ctx, e, args[1:])
	case "list":
		fs := newFlags(e, "user list", "[--db DSN]")
		db := dbFlag(e, fs)
		if err := fs.Parse(args[1:]); err != nil {
			return err
		}
		s, err := store.Open(ctx, *db, store.Options{})
		if err != nil {
			return err
		}
		defer s.Close()
		users, err := s.Users(ctx, exportctl.System)
		if err != nil {
			return err
		}
		for _, u := range users {
			state := ""
			if u.Disabled {
				state = " (disabled)"
			}
			fmt.Fprintf(e.stdout, "%-20s %-18s %-6s %s%s\n", u.Username, u.Role, u.Team, u.OrgName, state)
		}
		return nil
	}
	return usagef("unknown user command %q (add, list)", args[0])
}

func cmdUserAdd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "user add", "NAME --role ROLE [--org ORG] [--team TEAM] [--name FULL_NAME] [--password-stdin]")
	db := dbFlag(e, fs)
	role := fs.String("role", "", "role: "+rolesList())
	org := fs.String("org", "", "organisation name (created as an exporter organisation if new)")
	team := fs.String("team", "", "advisory team, for advisers: "+strings.Join(exportctl.Teams, ", "))
	name := fs.String("name", "", "full name (defaults to NAME)")
	pwStdin := fs.Bool("password-stdin", false, "read a password for browser sign-in from standard input")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("give exactly one user name")
	}
	r, err := exportctl.ParseRole("role", *role)
	if err != nil {
		return usagef("--role: %s (one of %s)", strings.TrimPrefix(err.Error(), "role: "), rolesList())
	}
	in := exportctl.UserInput{Username: pos[0], Name: *name, Role: r, Team: *team}
	if *pwStdin {
		line, err := bufio.NewReader(e.stdin).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read password from standard input: %w", err)
		}
		in.Password = strings.TrimRight(line, "\r\n")
	}
	s, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if *org != "" {
		o, err := s.OrganisationByName(ctx, *org)
		if exportctl.ErrorCode(err) == exportctl.ENotFound {
			kind := "exporter"
			if r.Internal() {
				kind = "government"
			}
			o, err = s.CreateOrganisation(ctx, exportctl.System, *org, kind)
			if err == nil {
				fmt.Fprintf(e.stderr, "created %s organisation %q\n", kind, *org)
			}
		}
		if err != nil {
			return err
		}
		in.OrgID = o.ID
	}
	u, token, err := s.CreateUser(ctx, exportctl.System, in)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "created user %s (%s) with id %d; API token (shown once):\n%s\n", u.Username, u.Role, u.ID, token)
	return nil
}

func rolesList() string {
	var names []string
	for _, r := range exportctl.Roles {
		names = append(names, string(r))
	}
	return strings.Join(names, ", ")
}

func cmdOrg(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return usagef("org add NAME [--kind exporter|government] | org list")
	}
	fs := newFlags(e, "org "+args[0], "...")
	db := dbFlag(e, fs)
	kind := flag.String("kind", "exporter", "")
	if args[0] == "add" {
		kind = fs.String("kind", "exporter", "exporter or government")
	}
	pos, err := parseInterleaved(fs, args[1:])
	if err != nil {
		return err
	}
	s, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	switch args[0] {
	case "add":
		if len(pos) != 1 {
			return usagef("give exactly one organisation name (quote it)")
		}
		o, err := s.CreateOrganisation(ctx, exportctl.System, pos[0], *kind)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "created %s organisation %q with id %d\n", o.Kind, o.Name, o.ID)
	case "list":
		orgs, err := s.Organisations(ctx, exportctl.System)
		if err != nil {
			return err
		}
		for _, o := range orgs {
			fmt.Fprintf(e.stdout, "%5d  %-10s %s\n", o.ID, o.Kind, o.Name)
		}
	default:
		return usagef("unknown org command %q (add, list)", args[0])
	}
	return nil
}
