package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/exportctl/exportctl"

	"github.com/exportctl/exportctl/internal/demo"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/web"
	"github.com/exportctl/exportctl/internal/workdays"
)

func cmdServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[--addr :8080] [--db DSN]")
	db := dbFlag(e, fs)
	addr := fs.String("addr", envOr(e, "EXPORTCTL_ADDR", ":8080"), "listen address (env EXPORTCTL_ADDR)")
	secure := fs.Bool("secure-cookies", false, "mark session cookies Secure (set when behind a TLS proxy)")
	underReview := fs.String("sensitive-destinations", envOr(e, "EXPORTCTL_SENSITIVE_DESTINATIONS", ""),
		"comma-separated ISO codes of destinations under review: their cases need a second countersignature")
	threshold := fs.Float64("sensitive-value", exportctl.DefaultSensitivity.ValueThresholdGBP,
		"cases worth more than this many GBP need a second countersignature (0: no threshold)")
	tickEvery := fs.Duration("tick-interval", time.Minute, "how often to run the time-driven work (0: never; run exportctl tick instead)")
	concernsKey := concernKeyFlag(e, fs)
	reassess := reassessFlags(fs)
	calendar := fs.String("calendar", envOr(e, "EXPORTCTL_CALENDAR", workdays.NameEnglandAndWales),
		"working-day calendar for service clocks: england-and-wales, scotland, northern-ireland, or a calendar file (see internal/workdays)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	cal, err := loadCalendar(*calendar)
	if err != nil {
		return usagef("--calendar: %v", err)
	}
	rule, err := reassess()
	if err != nil {
		return err
	}
	rules := exportctl.SensitivityRules{ValueThresholdGBP: *threshold}
	for _, c := range strings.Split(*underReview, ",") {
		if c = strings.TrimSpace(c); c == "" {
			continue
		}
		code, err := exportctl.ParseCountry("--sensitive-destinations", c)
		if err != nil {
			return usagef("%v", err)
		}
		rules.DestinationsUnderReview = append(rules.DestinationsUnderReview, code)
	}
	s, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	s.Sensitivity = rules
	s.SetCalendar(cal)
	s.Evidence = s // the evidence guard asks the register
	if err := loadConcernKeys(s, *concernsKey, *db, newLogger(e.stderr)); err != nil {
		return err
	}
	s.Reassessment = rule
	// A bulk load of incidents that stopped part-way left the register's
	// search indexes to build: build them, in the background.
	go func(log *slog.Logger) {
		err := s.FinishIncidentLoad(ctx, func(stage string) { log.Info("finishing an incident load", "stage", stage) })
		if err != nil && ctx.Err() == nil {
			log.Error("finishing an incident load", "err", err)
		}
	}(newLogger(e.stderr))
	go ticker(ctx, s, *tickEvery, newLogger(e.stderr))
	return serve(ctx, e, s, *addr, *secure, nil)
}

// loadCalendar returns a built-in calendar by name, or reads a calendar file.
func loadCalendar(nameOrPath string) (*workdays.Calendar, error) {
	if c, err := workdays.Named(nameOrPath); err == nil {
		return c, nil
	}
	f, err := os.Open(nameOrPath)
	if err != nil {
		return nil, fmt.Errorf("%q is neither a built-in calendar (%s) nor a readable file", nameOrPath, strings.Join(workdays.Names(), ", "))
	}
	defer f.Close()
	return workdays.Parse(f)
}

func envOr(e *env, name, def string) string {
	if v := e.getenv(name); v != "" {
		return v
	}
	return def
}

// serve runs the HTTP server until ctx ends; ready (if set) is called with
// the URL once the listener is open.
func serve(ctx context.Context, e *env, s *store.Store, addr string, secure bool, ready func(url string)) error {
	log := newLogger(e.stderr)
	srv, err := web.New(s, web.Options{Logger: log, SecureCookies: secure, Health: func(ctx context.Context) error { return s.DB().PingContext(ctx) }})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	// net/http's own error lines (e.g. "TLS handshake error from ADDRESS")
	// would name a reporter's address: they go through a scrubber.
	hs := &http.Server{Handler: srv.Handler(), ErrorLog: slog.NewLogLogger(web.ScrubAddresses(log.Handler()), slog.LevelWarn), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 60 * time.Second, WriteTimeout: 120 * time.Second, IdleTimeout: 120 * time.Second}
	url := "http://" + displayAddr(ln.Addr())
	log.Info("exportctl listening", "url", url, "db", s.Engine())
	if ready != nil {
		ready(url)
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	// Load the register's search copy now rather than on the first search
	// (seconds for a million entries).
	go func() {
		if _, err := s.Register(ctx, exportctl.RegisterFilter{Limit: 1}); err != nil && ctx.Err() == nil {
			log.Error("loading the public register", "err", err)
		}
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("exportctl stopped")
	return nil
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return a.String()
	}
	if tcp.IP.IsUnspecified() {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return tcp.String()
}

func cmdDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "[--addr :8080] [--db DSN]")
	db := fs.String("db", "", "database to seed (default: a fresh SQLite file in a temporary directory)")
	addr := fs.String("addr", envOr(e, "EXPORTCTL_ADDR", ":8080"), "listen address")
	concernsKey := concernKeyFlag(e, fs)
	if err := fs.Parse(args); err != nil {
		return err
	}
	dsn := *db
	if dsn == "" {
		dir, err := os.MkdirTemp("", "exportctl-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		dsn = filepath.Join(dir, "demo.db")
	}
	s, err := store.Open(ctx, dsn, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	s.Evidence = s
	if err := loadConcernKeys(s, *concernsKey, dsn, newLogger(e.stderr)); err != nil {
		return err
	}
	fmt.Fprintln(e.stderr, "seeding the demo scenario...")
	logins, err := demo.Seed(ctx, s)
	if err != nil {
		return fmt.Errorf("seed demo: %w", err)
	}
	go ticker(ctx, s, time.Minute, newLogger(e.stderr))
	return serve(ctx, e, s, *addr, false, func(url string) {
		fmt.Fprintf(e.stdout, "\nexportctl demo running at %s\n\nSign in as any of these (password for all: %s):\n", url, logins[0].Password)
		for _, l := range logins {
			fmt.Fprintf(e.stdout, "  %-12s %-20s %s\n", l.Username, l.Role, l.Note)
		}
		fmt.Fprintln(e.stdout, "\nPress Ctrl-C to stop.")
	})
}

func openInput(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	return f, nil
}
