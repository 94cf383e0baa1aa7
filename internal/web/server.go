// Package web serves exportctl over HTTP: the JSON API under /api/v1/,
// server-rendered pages, static assets, health and metrics. Handlers only
// translate between HTTP and the services; every rule lives in the
// services, so the CLI and the API obey the same ones.
package web

import (
	"context"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/exportctl/exportctl"
)

// Services are what the server needs from the store.
type Services interface {
	exportctl.Accounts
	exportctl.Licensing
	exportctl.Assessing
	exportctl.Consistency
	exportctl.Clocks
	exportctl.Evidence
	exportctl.WeaponGraph
	exportctl.IncidentMatching
	exportctl.Concerns
	exportctl.Transparency
	exportctl.Exposure
	exportctl.Reviewing
	LogService
}

// Options configure the server.
type Options struct {
	Logger *slog.Logger
	// SecureCookies marks session cookies Secure even when the request did
	// not arrive over TLS (set it behind a TLS-terminating proxy).
	SecureCookies bool
	// Health reports whether the database answers.
	Health func(ctx context.Context) error
}

// Server is the HTTP front of exportctl.
type Server struct {
	svc     Services
	opt     Options
	log     *slog.Logger
	anonLog *slog.Logger // for the reporting channel: no times, no request details
	mux     *http.ServeMux
	pages   map[string]*template.Template
	routes  []Route
	metrics *metrics
}

// Route is one registered method and pattern; the OpenAPI test compares
// these with docs/api/openapi.yaml.
type Route struct{ Method, Pattern string }

//go:embed templates/*.html
var templateFiles embed.FS

//go:embed static
var staticFiles embed.FS

// New builds a server.
func New(svc Services, opt Options) (*Server, error) {
	if opt.Logger == nil {
		opt.Logger = slog.Default()
	}
	s := &Server{svc: svc, opt: opt, log: opt.Logger, mux: http.NewServeMux(), metrics: newMetrics()}
	s.anonLog = slog.New(timelessHandler(opt.Logger.Handler()))
	var err error
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	static, _ := fs.Sub(staticFiles, "static")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", cacheStatic(http.FileServerFS(static))))
	s.handle("GET /healthz", s.healthz)
	s.mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.registry, promhttp.HandlerOpts{}))
	s.apiRoutes()
	if err := s.logRoutes(); err != nil {
		return nil, err
	}
	s.pageRoutes()
	s.publicRoutes()
	return s, nil
}

// Routes lists the registered routes.
func (s *Server) Routes() []Route { return s.routes }

// handle registers a handler and remembers the route.
func (s *Server) handle(pattern string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	s.routes = append(s.routes, Route{method, path})
	s.mux.Handle(pattern, s.metrics.instrument(path, h))
}

// handleAnonymous registers a route of the reporting channel: it is
// recorded for the OpenAPI check but not instrumented, so no metric counts
// or times its requests.
func (s *Server) handleAnonymous(pattern string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	if !anonymousPath(path) {
		panic("handleAnonymous: " + pattern + " is outside the reporting channel's paths")
	}
	s.routes = append(s.routes, Route{method, path})
	s.mux.Handle(pattern, h)
}

// anonymousPath reports whether a path belongs to the reporting channel
// (pages under /report, API under /api/v1/report), whose requests leave no
// access-log line, no metric and no timed error-log line.
func anonymousPath(p string) bool {
	for _, prefix := range []string{"/report", "/api/v1/report"} {
		if p == prefix || strings.HasPrefix(p, prefix+"/") {
			return true
		}
	}
	return false
}

// timelessHandler wraps a log handler so records carry no time: the reporting
// channel's rare error lines cannot be matched to a request by when.
func timelessHandler(h slog.Handler) slog.Handler { return timeless{h} }

type timeless struct{ slog.Handler }

func (h timeless) Handle(ctx context.Context, r slog.Record) error {
	r.Time = time.Time{} // the built-in handlers omit a zero time
	return h.Handler.Handle(ctx, r)
}
func (h timeless) WithAttrs(as []slog.Attr) slog.Handler { return timeless{h.Handler.WithAttrs(as)} }
func (h timeless) WithGroup(name string) slog.Handler    { return timeless{h.Handler.WithGroup(name)} }

// ScrubAddresses wraps a log handler so that IP addresses (with or without
// a port) in messages are replaced: for net/http's own error lines, which
// name the remote address of a failed connection ("TLS handshake error
// from ADDRESS"). Such lines carry no time either.
func ScrubAddresses(h slog.Handler) slog.Handler { return scrubber{h} }

type scrubber struct{ slog.Handler }

func (h scrubber) Handle(ctx context.Context, r slog.Record) error {
	words := strings.Split(r.Message, " ")
	for i, w := range words {
		bare := strings.TrimRight(w, ":,;")
		host := bare
		if hst, _, err := net.SplitHostPort(bare); err == nil {
			host = hst
		}
		if net.ParseIP(strings.Trim(host, "[]")) != nil {
			words[i] = "[address]" + w[len(bare):]
		}
	}
	out := slog.NewRecord(time.Time{}, r.Level, strings.Join(words, " "), r.PC)
	r.Attrs(func(a slog.Attr) bool { out.AddAttrs(a); return true })
	return h.Handler.Handle(ctx, out)
}
func (h scrubber) WithAttrs(as []slog.Attr) slog.Handler { return scrubber{h.Handler.WithAttrs(as)} }
func (h scrubber) WithGroup(name string) slog.Handler    { return scrubber{h.Handler.WithGroup(name)} }

// Handler returns the server with its middleware: panic recovery, security
// headers, the body limit, cross-origin protection and authentication.
func (s *Server) Handler() http.Handler {
	var h http.Handler = s.mux
	h = s.authenticate(h)
	cop := http.NewCrossOriginProtection()
	h = cop.Handler(h)
	h = limitBody(h)
	h = securityHeaders(h)
	h = s.recoverAndLog(h)
	return h
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) {
	if s.opt.Health != nil {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		if err := s.opt.Health(ctx); err != nil {
			s.log.Error("health check failed", "err", err)
			http.Error(w, "database unavailable", http.StatusServiceUnavailable)
			return
		}
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte("ok\n"))
}

// maxBody is the largest request body accepted; a concern may carry
// evidence files (base64 in JSON), so the reporting channel takes more.
const (
	maxBody       = 1 << 20
	maxReportBody = 32 << 20
)

func limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			limit := int64(maxBody)
			if anonymousPath(r.URL.Path) {
				limit = maxReportBody
			}
			r.Body = http.MaxBytesReader(w, r.Body, limit)
		}
		next.ServeHTTP(w, r)
	})
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

func cacheStatic(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		next.ServeHTTP(w, r)
	})
}

// statusRecorder remembers the status code for the access log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// recoverAndLog writes one access-log line per request: method, path and
// status, never the query string, credentials, IP address or user agent.
// Requests to the reporting channel write nothing (a panic there is
// logged without time, method or path).
func (s *Server) recoverAndLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if anonymousPath(r.URL.Path) {
			defer func() {
				if v := recover(); v != nil {
					s.anonLog.Error("panic in the reporting channel", "panic", v)
					w.WriteHeader(http.StatusInternalServerError)
				}
			}()
			next.ServeHTTP(w, r)
			return
		}
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		defer func() {
			if v := recover(); v != nil {
				s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path, "panic", v)
				rec.WriteHeader(http.StatusInternalServerError)
			}
			s.log.Info("request", "method", r.Method, "path", r.URL.Path, "status", rec.status, "duration_ms", time.Since(start).Milliseconds())
		}()
		next.ServeHTTP(rec, r)
	})
}

type metrics struct {
	registry *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "exportctl_http_requests_total", Help: "HTTP requests by route pattern and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "exportctl_http_request_duration_seconds", Help: "HTTP request duration by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
	}
	m.registry.MustRegister(m.requests, m.duration, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// instrument labels metrics with the route pattern, never the raw path,
// so no identifier ends up in a label.
func (m *metrics) instrument(route string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		h.ServeHTTP(rec, r)
		m.requests.WithLabelValues(route, http.StatusText(rec.status)).Inc()
		m.duration.WithLabelValues(route).Observe(time.Since(start).Seconds())
	})
}
