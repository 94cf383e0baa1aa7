package web

import (
	"bytes"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

// pageData is what every page template receives; layout.html documents
// the fields it reads. Page-specific values go in Data.
type pageData struct {
	Title  string
	Nav    []navItem
	User   *userView
	CSRF   string
	Flash  string
	Errors []fieldError
	Data   any
	// Public pages are the same for everyone (no user, no CSRF token), so
	// that they can be cached.
	Public bool
}

type navItem struct {
	Href, Label string
	Active      bool
}

type userView struct {
	Name, Role string
	Actor      exportctl.Actor
}

// templateFuncs are the helpers templates may call.
var templateFuncs = template.FuncMap{
	"humanise": exportctl.Humanise,
	"country":  exportctl.CountryName,
	"role":     func(r exportctl.Role) string { return exportctl.RoleTitles[r] },
	"date": func(t any) string {
		switch v := t.(type) {
		case time.Time:
			if v.IsZero() {
				return ""
			}
			return v.Format("2 Jan 2006")
		case *time.Time:
			if v == nil {
				return ""
			}
			return v.Format("2 Jan 2006")
		}
		return fmt.Sprint(t)
	},
	"datetime":    func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") },
	"gbp":         func(v float64) string { return "£" + groupThousands(v) },
	"ratingTitle": exportctl.RatingTitle,
	"join":        strings.Join,
	// Form helpers (pages_forms.go): the error message for a field, a
	// posted value or its default, whether a value was chosen.
	"errorFor": errorFor,
	"field":    formField,
	"checked":  formChecked,
	// sentence humanises a code in sentence case ("end_user" -> "End user");
	// quantity writes an amount with its unit ("40 items", "2.5 kg").
	"sentence": func(code string) string { return capitalise(exportctl.Humanise(code)) },
	// readsExposure: the page may link to /exposure.
	"readsExposure": func(u *userView) bool { return u != nil && u.Actor.Is(exportctl.ExposureReaders...) },
	"quantity":      quantityText,
	// Concern pages: a map literal for sub-templates, a 1-based counter,
	// the i-th posted value, a withheld-or-shown decimal.
	"dict": func(kv ...any) map[string]any {
		m := map[string]any{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[fmt.Sprint(kv[i])] = kv[i+1]
		}
		return m
	},
	"inc": func(i int) int { return i + 1 },
	"nth": func(vs []string, i int) string {
		if i < len(vs) {
			return vs[i]
		}
		return ""
	},
	"oneDecimal": func(f *float64) string { return fmt.Sprintf("%.1f", *f) },
	// cell writes a statistics value.
	"cell": cell,
	"add":  func(a, b int64) int64 { return a + b },
}

func groupThousands(v float64) string {
	s := fmt.Sprintf("%.2f", v)
	s = strings.TrimSuffix(s, ".00")
	intPart, frac, _ := strings.Cut(s, ".")
	neg := strings.HasPrefix(intPart, "-")
	intPart = strings.TrimPrefix(intPart, "-")
	var b strings.Builder
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	out := b.String()
	if frac != "" {
		out += "." + frac
	}
	if neg {
		out = "-" + out
	}
	return out
}

// parsePages parses each page template together with the layout.
func parsePages() (map[string]*template.Template, error) {
	layout, err := template.New("").Funcs(templateFuncs).ParseFS(templateFiles, "templates/layout.html")
	if err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFiles, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if name == "layout" {
			continue
		}
		t, err := template.Must(layout.Clone()).ParseFS(templateFiles, n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// render writes a page. Rendering into a buffer first means a template
// error becomes a clean 500, not half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, d pageData) {
	s.renderFrame(w, r, status, name, "layout", d)
}

// renderFrame writes a page in a frame of layout.html: "layout" (the
// service's pages) or "print" (printable records, without navigation).
func (s *Server) renderFrame(w http.ResponseWriter, r *http.Request, status int, name, frame string, d pageData) {
	t, ok := s.pages[name]
	if !ok {
		s.log.Error("no such page template", "name", name)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	if a, ok := actor(r); ok && !d.Public {
		d.User = &userView{Name: a.Name, Role: exportctl.RoleTitles[a.Role], Actor: a}
		d.Nav = navFor(a, r.URL.Path)
	}
	if sess := session(r); sess != nil && !d.Public {
		d.CSRF = sess.CSRF
	}
	if d.Flash == "" && !d.Public {
		d.Flash = takeFlash(w, r)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, frame, d); err != nil {
		s.log.Error("render page", "name", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

const flashCookie = "exportctl_flash"

// redirectFlash redirects after a successful form with a message for the
// next page. The message travels in a short-lived cookie, not the URL, so
// it shows once and nobody can put words in the banner with a link.
func redirectFlash(w http.ResponseWriter, r *http.Request, target, msg string) {
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", MaxAge: 60,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// takeFlash reads the flash message and clears it.
func takeFlash(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(flashCookie)
	if err != nil || c.Value == "" {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	msg, _ := url.QueryUnescape(c.Value)
	return msg
}

// navFor lists the sections a role works in.
func navFor(a exportctl.Actor, path string) []navItem {
	var items []navItem
	add := func(href, label string) {
		active := path == href || (href != "/" && strings.HasPrefix(path, href))
		items = append(items, navItem{href, label, active})
	}
	add("/", "Home")
	switch {
	case a.Role == exportctl.RoleExporter:
		add("/applications", "Applications")
		add("/licences", "Licences")
	case a.Role == exportctl.RoleAdmin:
		add("/applications", "Cases")
		add("/licences", "Licences")
		add("/incidents", "Evidence")
		add("/performance", "Performance")
		add("/admin", "Users and organisations")
	case a.Is(exportctl.RoleConcernsHandler, exportctl.RoleNominatedOfficer, exportctl.RoleCustodian, exportctl.RoleOversight):
		add("/concerns", "Concerns")
		add("/applications", "Cases")
		add("/licences", "Licences")
	case a.Role.Internal():
		add("/applications", "Cases")
		add("/licences", "Licences")
		add("/denials", "Denials")
		add("/incidents", "Evidence")
		add("/reviews", "Reviews")
		if a.Is(exportctl.ExposureReaders...) {
			add("/exposure", "Exposure")
		}
		add("/performance", "Performance")
	}
	return items
}

// pageError renders a failed request as a page: validation errors go back
// to the form by the caller; this handles the rest.
func (s *Server) pageError(w http.ResponseWriter, r *http.Request, err error) {
	p := problemFor(err)
	if p.Status == http.StatusUnauthorized {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
		return
	}
	if p.Status == http.StatusInternalServerError {
		s.log.Error("internal error", "method", r.Method, "route", r.Pattern, "err", err)
	}
	s.render(w, r, p.Status, "error", pageData{Title: p.Title, Data: p})
}

// formErrors turns a service error into the error summary of a form, or
// returns false when the error is not about the input.
func formErrors(err error) ([]fieldError, bool) {
	if exportctl.ErrorCode(err) != exportctl.EInvalid {
		return nil, false
	}
	var ve *exportctl.ValidationError
	if errors.As(err, &ve) {
		var out []fieldError
		for _, e := range ve.Errors {
			out = append(out, fieldError{e.Field, e.Message})
		}
		return out, true
	}
	var de *exportctl.Error
	errors.As(err, &de)
	return []fieldError{{de.Field, de.Message}}, true
}

// requireUser returns the signed-in actor or redirects to the sign-in page.
func requireUser(w http.ResponseWriter, r *http.Request) (exportctl.Actor, bool) {
	a, ok := actor(r)
	if !ok {
		http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
	}
	return a, ok
}

func (s *Server) pageRoutes() {
	s.handle("GET /{$}", s.homePage)
	s.handle("GET /login", s.loginPage)
	s.handle("POST /login", s.loginSubmit)
	s.handle("POST /logout", s.logout)
	s.casePageRoutes()
	s.performancePageRoutes()
	s.incidentPageRoutes()
	s.concernPageRoutes()
	s.reviewPageRoutes()
	s.exposurePageRoutes()
}

func (s *Server) homePage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	counts, err := s.svc.StatusCounts(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	type queue struct {
		Status, Label string
		Count         int
	}
	var queues []queue
	for _, st := range exportctl.CaseStatuses {
		queues = append(queues, queue{st, exportctl.Humanise(st), counts[st]})
	}
	s.render(w, r, http.StatusOK, "home", pageData{Title: "Home", Data: map[string]any{"Queues": queues, "Actor": a}})
}

func (s *Server) loginPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", pageData{Title: "Sign in", Data: map[string]string{"Next": safeNext(r.URL.Query().Get("next"))}})
}

// safeNext allows only same-site paths as a redirect target after sign-in.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, `\`) {
		return "/"
	}
	return next
}

func (s *Server) loginSubmit(w http.ResponseWriter, r *http.Request) {
	username, password := r.PostFormValue("username"), r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	sess, err := s.svc.Login(r.Context(), username, password)
	if err != nil {
		s.render(w, r, http.StatusUnauthorized, "login", pageData{Title: "Sign in",
			Errors: []fieldError{{"username", "Wrong username or password"}},
			Data:   map[string]string{"Next": next, "Username": username}})
		return
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: sess.Token, Path: "/", HttpOnly: true,
		Secure: r.TLS != nil || s.opt.SecureCookies, SameSite: http.SameSiteLaxMode,
		Expires: sess.ExpiresAt,
	})
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.svc.Logout(r.Context(), c.Value); err != nil {
			s.log.Error("logout", "err", err)
		}
	}
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true})
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}
