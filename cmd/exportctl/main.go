// Command exportctl runs the exportctl server and every operation on its
// database from the command line. Each subcommand has its own flags; this
// file only wires packages together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"runtime/debug"
	"sort"
	"syscall"

	"github.com/exportctl/exportctl"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a command talks to: its streams and environment, so tests
// can run commands in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	getenv         func(string) string
}

var commands = map[string]command{}

func init() {
	commands["serve"] = command{"run the web server and API", cmdServe}
	commands["demo"] = command{"serve a fresh database seeded with the demo scenario", cmdDemo}
	commands["migrate"] = command{"apply database migrations", cmdMigrate}
	commands["user"] = command{"manage users: user add NAME --role ROLE [--org ORG] [--team TEAM]; user list", cmdUser}
	commands["org"] = command{"manage organisations: org add NAME [--kind exporter|government]; org list", cmdOrg}
	commands["import"] = command{"import data: import SOURCE FILE (acled, sind, awsd, sipri, caat, caat-ratings, denials)", cmdImport}
	commands["version"] = command{"print the version", cmdVersion}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	e := &env{stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv}
	os.Exit(run(ctx, e, os.Args[1:]))
}

// run executes one command line and returns the exit status.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(e.stderr)
		if len(args) == 0 {
			return 2
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "exportctl: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return 2
	}
	if err := cmd.run(ctx, e, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var ue usageError
		if errors.As(err, &ue) {
			fmt.Fprintf(e.stderr, "exportctl %s: %s\n", args[0], ue.msg)
			return 2
		}
		var ec exitCode
		if errors.As(err, &ec) {
			return int(ec)
		}
		fmt.Fprintf(e.stderr, "exportctl %s: %v\n", args[0], err)
		return 1
	}
	return 0
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: exportctl COMMAND [flags]\n\ncommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-9s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'exportctl COMMAND -h' for a command's flags.")
}

// usageError is a mistake on the command line (exit status 2).
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usagef(format string, args ...any) error { return usageError{fmt.Sprintf(format, args...)} }

// exitCode ends the command with a status after it has printed its own report.
type exitCode int

func (c exitCode) Error() string { return fmt.Sprintf("exit status %d", int(c)) }

func newFlags(e *env, name, args string) *flag.FlagSet {
	fs := flag.NewFlagSet("exportctl "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "usage: exportctl %s %s\n", name, args)
		fs.PrintDefaults()
	}
	return fs
}

// dbFlag adds --db, defaulting to EXPORTCTL_DB and then ./exportctl.db.
func dbFlag(e *env, fs *flag.FlagSet) *string {
	def := e.getenv("EXPORTCTL_DB")
	if def == "" {
		def = "exportctl.db"
	}
	return fs.String("db", def, "SQLite file path or postgres:// URL (env EXPORTCTL_DB)")
}

// parseInterleaved parses flags that may come after positional arguments
// ("user add alice --role admin"), returning the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

func newLogger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func cmdVersion(ctx context.Context, e *env, args []string) error {
	v := version
	if bi, ok := debug.ReadBuildInfo(); ok && v == "dev" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		v = bi.Main.Version
	}
	fmt.Fprintf(e.stdout, "exportctl %s (criteria set %s)\n", v, exportctl.DefaultCriteriaSet)
	return nil
}
