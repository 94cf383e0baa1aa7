package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/ledger"
)

// The public side: the register of published decisions, the official
// statistics and their downloads, and their API under /api/v1/public/.
// No sign-in; pages are rendered the same for everyone (no user, no CSRF
// token), so they carry ETags and may be cached by a CDN.

// publicCache is the Cache-Control of public pages and answers: briefly
// fresh, then revalidated with the ETag.
const publicCache = "public, max-age=60"

func (s *Server) publicRoutes() {
	s.mux.Handle("GET /public", http.RedirectHandler("/public/", http.StatusMovedPermanently))
	s.handle("GET /public/{$}", cached(s.publicHome))
	s.handle("GET /public/register", cached(s.publicRegisterPage))
	s.handle("GET /public/decisions/{ref...}", cached(s.publicDecisionPage))
	s.handle("GET /public/entries/{index}", s.publicEntry)
	s.handle("GET /public/statistics", cached(s.publicStatisticsPage))
	s.handle("GET /public/statistics/{period}/{file}", cached(s.publicStatisticsDownload))
	s.handle("GET /api/v1/public/register", cached(s.publicAPI(s.apiPublicRegister)))
	s.handle("GET /api/v1/public/decisions", cached(s.publicAPI(s.apiPublicDecision)))
	s.handle("GET /api/v1/public/statistics", cached(s.publicAPI(s.apiStatisticsReleases)))
	s.handle("GET /api/v1/public/statistics/{period}", cached(s.publicAPI(s.apiStatistics)))
}

// bufferedResponse holds a handler's answer so that its ETag can be
// computed before anything is sent.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

// cached gives a public answer a content ETag and a short max-age, and
// answers 304 Not Modified to a matching If-None-Match.
func cached(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		buf := &bufferedResponse{header: w.Header()}
		h(buf, r)
		if buf.status == 0 {
			buf.status = http.StatusOK
		}
		if buf.status == http.StatusOK {
			sum := sha256.Sum256(buf.body.Bytes())
			etag := `"` + hex.EncodeToString(sum[:16]) + `"`
			w.Header().Set("ETag", etag)
			if w.Header().Get("Cache-Control") == "" {
				w.Header().Set("Cache-Control", publicCache)
			}
			if etagMatches(r.Header.Get("If-None-Match"), etag) {
				w.WriteHeader(http.StatusNotModified)
				return
			}
		}
		w.WriteHeader(buf.status)
		w.Write(buf.body.Bytes())
	}
}

func etagMatches(header, etag string) bool {
	for _, t := range strings.Split(header, ",") {
		if t = strings.TrimSpace(t); t == "*" || strings.TrimPrefix(t, "W/") == etag {
			return true
		}
	}
	return false
}

// publicAPI is an API endpoint anyone may call.
func (s *Server) publicAPI(h func(r *http.Request) (any, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v, err := h(r)
		if err != nil {
			if exportctl.ErrorCode(err) == exportctl.EInternal {
				s.log.Error("internal error", "method", r.Method, "route", r.Pattern, "err", err)
			}
			writeProblem(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, v)
	}
}

// renderPublic renders a public page: the same for everyone, whoever is
// signed in, so it can be cached.
func (s *Server) renderPublic(w http.ResponseWriter, r *http.Request, status int, name string, d pageData) {
	d.Public = true
	d.Nav = publicNav(r.URL.Path)
	s.render(w, r, status, name, d)
}

func publicNav(path string) []navItem {
	var items []navItem
	for _, n := range [][2]string{{"/public/", "Transparency"}, {"/public/register", "Register"}, {"/public/statistics", "Statistics"},
		{"/public/reviews", "Reviews"}, {"/public/concerns", "Concerns"}} {
		active := path == n[0] || (n[0] != "/public/" && strings.HasPrefix(path, n[0])) ||
			(n[0] == "/public/register" && strings.HasPrefix(path, "/public/decisions/"))
		items = append(items, navItem{n[0], n[1], active})
	}
	return items
}

func (s *Server) publicError(w http.ResponseWriter, r *http.Request, err error) {
	p := problemFor(err)
	if p.Status == http.StatusInternalServerError {
		s.log.Error("internal error", "method", r.Method, "route", r.Pattern, "err", err)
	}
	s.renderPublic(w, r, p.Status, "error", pageData{Title: p.Title, Data: p})
}

// publicLinks are the public pages of reviews and concerns, which the
// landing page lists beside the register and statistics.
func (s *Server) publicLinks() []navItem {
	return []navItem{{Href: "/public/reviews", Label: "Destination reviews and their timelines"}, {Href: "/public/concerns", Label: "Concerns: published aggregates"}}
}

func (s *Server) publicHome(w http.ResponseWriter, r *http.Request) {
	size, err := s.svc.Size(r.Context())
	if err != nil {
		s.publicError(w, r, exportctl.Internal("log.size", err))
		return
	}
	keys, err := s.svc.LogVerifierKeys(r.Context())
	if err != nil {
		s.publicError(w, r, exportctl.Internal("log.keys", err))
		return
	}
	releases, err := s.svc.StatisticsReleases(r.Context())
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	s.renderPublic(w, r, http.StatusOK, "public_home", pageData{Title: "Transparency", Data: map[string]any{
		"LogSize": size, "Key": keys[0], "Retired": keys[1:], "Releases": releases, "Links": s.publicLinks(),
	}})
}

// registerFilter reads a register search from the query string.
func registerFilter(q url.Values) (exportctl.RegisterFilter, error) {
	f := exportctl.RegisterFilter{Destination: q.Get("destination"), EndUserType: q.Get("end_user_type"), Rating: q.Get("rating"),
		Outcome: q.Get("outcome"), Criterion: q.Get("criterion"), LicenceType: q.Get("licence_type"), From: q.Get("from"), To: q.Get("to"),
		Text: q.Get("q"), Historical: q.Get("historical"), Cursor: q.Get("cursor")}
	var errs exportctl.Errors
	for _, v := range []struct {
		name string
		dst  **float64
	}{{"min_value_gbp", &f.MinValue}, {"max_value_gbp", &f.MaxValue}} {
		if t := strings.TrimSpace(q.Get(v.name)); t != "" {
			n, err := strconv.ParseFloat(strings.ReplaceAll(t, ",", ""), 64)
			if err != nil {
				errs = append(errs, exportctl.Invalid(v.name, "must be an amount in pounds"))
				continue
			}
			*v.dst = &n
		}
	}
	if l := q.Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 0 {
			errs = append(errs, exportctl.Invalid("limit", "must be a whole number"))
		}
		f.Limit = n
	}
	// Every bad field at once, the filter's own checks included.
	var ve *exportctl.ValidationError
	if err := f.Validate(); errors.As(err, &ve) {
		errs = append(errs, ve.Errors...)
	}
	return f, errs.Err()
}

func (s *Server) apiPublicRegister(r *http.Request) (any, error) {
	f, err := registerFilter(r.URL.Query())
	if err != nil {
		return nil, err
	}
	return s.svc.Register(r.Context(), f)
}

// registerView is the data of templates/public_register.html.
type registerView struct {
	Q                   url.Values
	Page                exportctl.Page[exportctl.RegisterEntry]
	Countries           []struct{ Code, Name string }
	Outcomes            []option
	EndUserTypes        []option
	LicenceTypes        []option
	NextHref, FirstHref string
	APIHref             string
	HasHistorical       bool
	Attribution         string
}

func (s *Server) publicRegisterPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	v := registerView{Q: q, Countries: exportctl.Countries(), Attribution: exportctl.HistoricalAttribution}
	for _, o := range exportctl.RegisterOutcomes {
		v.Outcomes = append(v.Outcomes, option{o, capitalise(exportctl.Humanise(o)), ""})
	}
	for _, t := range exportctl.EndUserTypes {
		v.EndUserTypes = append(v.EndUserTypes, option{t, capitalise(exportctl.Humanise(t)), ""})
	}
	for _, c := range exportctl.LicenceTypeCodes {
		v.LicenceTypes = append(v.LicenceTypes, option{c, c + ": " + exportctl.LicenceTypes[c], ""})
	}
	f, err := registerFilter(q)
	if err == nil {
		v.Page, err = s.svc.Register(r.Context(), f)
	}
	if err != nil {
		if errs, ok := formErrors(err); ok {
			s.renderPublic(w, r, http.StatusUnprocessableEntity, "public_register", pageData{Title: "Register of decisions", Errors: errs, Data: v})
			return
		}
		s.publicError(w, r, err)
		return
	}
	for _, e := range v.Page.Items {
		v.HasHistorical = v.HasHistorical || e.Historical
	}
	v.NextHref, v.FirstHref = pageLinks("/public/register", q, v.Page.Next)
	v.APIHref = listHref("/api/v1/public/register", q)
	s.renderPublic(w, r, http.StatusOK, "public_register", pageData{Title: "Register of decisions", Data: v})
}

// publicEntryView is a register entry with what proves it was logged.
type publicEntryView struct {
	exportctl.RegisterEntry
	Leaf     string   // the leaf as logged (JSON)
	LeafHash string   // base64
	Proof    []string // base64, an inclusion proof for the checkpoint's size
}

// decisionView is the data of templates/public_decision.html.
type decisionView struct {
	Reference  string
	Entries    []publicEntryView
	Checkpoint string // the signed checkpoint the proofs are for
	Size       int64
	Root       string // base64
	Logged     bool
	// Proofs feeds static/public.js: per log index, what the browser
	// verifies.
	Proofs []proofData
}

type proofData struct {
	Index    int64    `json:"index"`
	Size     int64    `json:"size"`
	Leaf     string   `json:"leaf"` // base64 of the leaf bytes
	LeafHash string   `json:"leaf_hash"`
	Proof    []string `json:"proof"`
	Root     string   `json:"root"`
}

func (s *Server) decision(ctx context.Context, ref string) (*decisionView, error) {
	entries, err := s.svc.RegisterByReference(ctx, ref)
	if err != nil {
		return nil, err
	}
	v := &decisionView{Reference: ref}
	signed, err := s.svc.LogCheckpoint(ctx)
	if err != nil {
		return nil, exportctl.Internal("log.checkpoint", err)
	}
	body, _, _ := strings.Cut(string(signed), "\n\n")
	cp, err := ledger.ParseCheckpoint([]byte(body + "\n"))
	if err != nil {
		return nil, exportctl.Internal("log.checkpoint", err)
	}
	v.Checkpoint, v.Size, v.Root = string(signed), cp.Size, b64(cp.Hash[:])
	for _, e := range entries {
		ev := publicEntryView{RegisterEntry: e}
		if e.LogIndex != nil && *e.LogIndex < cp.Size {
			v.Logged = true
			idx := *e.LogIndex
			data, err := s.svc.Entries(ctx, idx, idx+1)
			if err != nil || len(data) != 1 {
				return nil, exportctl.Internal("log.entry", err)
			}
			p, err := ledger.InclusionProof(ctx, idx, cp.Size, s.svc)
			if err != nil {
				return nil, exportctl.Internal("log.proof", err)
			}
			h := tlog.RecordHash(data[0])
			ev.Leaf, ev.LeafHash = string(data[0]), b64(h[:])
			pd := proofData{Index: idx, Size: cp.Size, Leaf: b64(data[0]), LeafHash: ev.LeafHash, Proof: []string{}, Root: v.Root}
			for _, ph := range p {
				ev.Proof = append(ev.Proof, b64(ph[:]))
				pd.Proof = append(pd.Proof, b64(ph[:]))
			}
			v.Proofs = append(v.Proofs, pd)
		}
		v.Entries = append(v.Entries, ev)
	}
	return v, nil
}

func (s *Server) publicDecisionPage(w http.ResponseWriter, r *http.Request) {
	v, err := s.decision(r.Context(), r.PathValue("ref"))
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	s.renderPublic(w, r, http.StatusOK, "public_decision", pageData{Title: "Decision " + v.Reference, Data: v})
}

func (s *Server) apiPublicDecision(r *http.Request) (any, error) {
	ref := r.URL.Query().Get("reference")
	if ref == "" {
		return nil, exportctl.Invalid("reference", "name the case or licence reference")
	}
	v, err := s.decision(r.Context(), ref)
	if err != nil {
		return nil, err
	}
	type entry struct {
		exportctl.RegisterEntry
		LeafHash string   `json:"leaf_hash,omitempty"`
		Proof    []string `json:"inclusion_proof,omitempty"`
	}
	out := struct {
		Reference      string  `json:"reference"`
		CheckpointSize int64   `json:"checkpoint_size"`
		RootHash       string  `json:"root_hash"`
		Items          []entry `json:"items"`
		Total          int     `json:"total"`
		Next           *string `json:"next"`
	}{Reference: v.Reference, CheckpointSize: v.Size, RootHash: v.Root, Items: []entry{}, Total: len(v.Entries)}
	for _, e := range v.Entries {
		out.Items = append(out.Items, entry{e.RegisterEntry, e.LeafHash, e.Proof})
	}
	return out, nil
}

// publicEntry is the stable link by log index: it redirects to the
// decision's page, at the entry.
func (s *Server) publicEntry(w http.ResponseWriter, r *http.Request) {
	idx, err := strconv.ParseInt(r.PathValue("index"), 10, 64)
	if err != nil || idx < 0 {
		s.publicError(w, r, exportctl.NotFound("log index", r.PathValue("index")))
		return
	}
	e, err := s.svc.RegisterByLogIndex(r.Context(), idx)
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable") // a leaf's reference never changes
	http.Redirect(w, r, "/public/decisions/"+e.Reference+"#log-"+strconv.FormatInt(idx, 10), http.StatusMovedPermanently)
}

// statisticsPeriod is the period asked for, or by default the quarter of
// the newest published entry (a display default, not a rule: hence the
// wall clock when nothing is published).
func (s *Server) statisticsPeriod(ctx context.Context, q string) (string, error) {
	if q != "" {
		return q, nil
	}
	page, err := s.svc.Register(ctx, exportctl.RegisterFilter{Limit: 1})
	if err != nil {
		return "", err
	}
	if len(page.Items) == 0 {
		return strconv.Itoa(time.Now().Year()), nil // nothing published yet: an empty year
	}
	d, err := time.Parse(time.DateOnly, page.Items[0].Date)
	if err != nil {
		return "", err
	}
	return exportctl.QuarterOf(d), nil
}

func (s *Server) apiStatistics(r *http.Request) (any, error) {
	return s.svc.Statistics(r.Context(), r.PathValue("period"))
}

func (s *Server) apiStatisticsReleases(r *http.Request) (any, error) {
	rels, err := s.svc.StatisticsReleases(r.Context())
	return listOf(rels), err
}

// cell writes a statistics value as the CSV and the pages show it.
func cell(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return x
	}
	return fmt.Sprint(v)
}

func (s *Server) publicStatisticsDownload(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("file") == "release.json" {
		// The release exactly as stored and hashed into the log.
		content, _, err := s.svc.StatisticsReleaseContent(r.Context(), r.PathValue("period"))
		if err != nil {
			writeProblem(w, r, err)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(content)
		return
	}
	name, ok := strings.CutSuffix(r.PathValue("file"), ".csv")
	st, err := s.svc.Statistics(r.Context(), r.PathValue("period"))
	if err == nil && (!ok || st.Table(name) == nil) {
		err = exportctl.NotFound("statistics table", r.PathValue("file"))
	}
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	t := st.Table(name)
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	cw.Write(t.Columns)
	for _, row := range t.Rows {
		rec := make([]string, len(row))
		for i, v := range row {
			rec[i] = cell(v)
		}
		cw.Write(rec)
	}
	cw.Flush()
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="exportctl-%s-%s.csv"`, st.Period, name))
	w.Write(buf.Bytes())
}

// statisticsView is the data of templates/public_statistics.html.
type statisticsView struct {
	Period   string
	Stats    *exportctl.Statistics
	Periods  []string // the year and its quarters, for navigation
	Releases []exportctl.StatisticsRelease
	Chart    statisticsChart
}

// statisticsChart feeds static/public.js through a JSON data block.
type statisticsChart struct {
	Outcomes     chartSeries `json:"outcomes"`
	Destinations chartSeries `json:"destinations"`
	Criteria     chartSeries `json:"criteria"`
	Processing   chartSeries `json:"processing"`
	Target20     float64     `json:"target_20"`
	Target60     float64     `json:"target_60"`
}

type chartSeries struct {
	Labels []string             `json:"labels"`
	Series map[string][]float64 `json:"series"`
}

func number(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

// statisticsCharts draws from the tables, so the charts and the tables
// (and the downloads) cannot disagree.
func statisticsCharts(st *exportctl.Statistics) statisticsChart {
	c := statisticsChart{Target20: exportctl.Target20Share * 100, Target60: exportctl.Target60Share * 100}
	series := func(names ...string) chartSeries {
		cs := chartSeries{Labels: []string{}, Series: map[string][]float64{}}
		for _, n := range names {
			cs.Series[n] = []float64{}
		}
		return cs
	}
	c.Outcomes = series("count")
	if t := st.Table("licence_decisions"); t != nil {
		byOutcome := map[string]float64{}
		for _, row := range t.Rows {
			byOutcome[cell(row[1])] += number(row[2])
		}
		for _, o := range exportctl.RegisterOutcomes {
			if n, ok := byOutcome[o]; ok {
				c.Outcomes.Labels = append(c.Outcomes.Labels, capitalise(exportctl.Humanise(o)))
				c.Outcomes.Series["count"] = append(c.Outcomes.Series["count"], n)
			}
		}
	}
	c.Destinations = series("issued", "refused")
	if t := st.Table("destinations"); t != nil {
		for i, row := range t.Rows {
			if i == 15 {
				break
			}
			c.Destinations.Labels = append(c.Destinations.Labels, cell(row[0]))
			c.Destinations.Series["issued"] = append(c.Destinations.Series["issued"], number(row[2]))
			c.Destinations.Series["refused"] = append(c.Destinations.Series["refused"], number(row[3]))
		}
	}
	c.Criteria = series("refusals")
	if t := st.Table("licence_refusal_criteria"); t != nil {
		for _, row := range t.Rows {
			c.Criteria.Labels = append(c.Criteria.Labels, "Criterion "+cell(row[0]))
			c.Criteria.Series["refusals"] = append(c.Criteria.Series["refusals"], number(row[1]))
		}
	}
	c.Processing = series("within_20", "within_60")
	if t := st.Table("processing_times"); t != nil {
		for _, row := range t.Rows {
			c.Processing.Labels = append(c.Processing.Labels, cell(row[0]))
			c.Processing.Series["within_20"] = append(c.Processing.Series["within_20"], number(row[3]))
			c.Processing.Series["within_60"] = append(c.Processing.Series["within_60"], number(row[5]))
		}
	}
	return c
}

func (s *Server) publicStatisticsPage(w http.ResponseWriter, r *http.Request) {
	period, err := s.statisticsPeriod(r.Context(), r.URL.Query().Get("period"))
	var st *exportctl.Statistics
	if err == nil {
		st, err = s.svc.Statistics(r.Context(), period)
	}
	if err != nil {
		if errs, ok := formErrors(err); ok {
			s.renderPublic(w, r, http.StatusUnprocessableEntity, "public_statistics", pageData{Title: "Official statistics", Errors: errs,
				Data: statisticsView{Period: period}})
			return
		}
		s.publicError(w, r, err)
		return
	}
	releases, err := s.svc.StatisticsReleases(r.Context())
	if err != nil {
		s.publicError(w, r, err)
		return
	}
	year := st.Period[:4]
	v := statisticsView{Period: st.Period, Stats: st, Periods: []string{year, year + "-Q1", year + "-Q2", year + "-Q3", year + "-Q4"},
		Releases: releases, Chart: statisticsCharts(st)}
	s.renderPublic(w, r, http.StatusOK, "public_statistics", pageData{Title: "Official statistics " + st.Period, Data: v})
}
