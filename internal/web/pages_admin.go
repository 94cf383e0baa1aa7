package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

func (s *Server) adminPageRoutes() {
	s.handle("GET /admin", s.adminPage)
	s.handle("POST /admin/organisations", s.createOrganisationSubmit)
	s.handle("POST /admin/users", s.createUserSubmit)
	s.handle("POST /admin/users/{id}/disable", s.setUserDisabledSubmit(true))
	s.handle("POST /admin/users/{id}/enable", s.setUserDisabledSubmit(false))
}

type adminView struct {
	Orgs     []exportctl.Organisation
	Users    []exportctl.User
	Roles    []option
	Teams    []string
	OrgKinds []option
	Form     url.Values
	Errors   []fieldError
	Self     int64
	// NewUser and NewToken are set once, on the page that answers the
	// creation of a user: the token is shown now and never again.
	NewUser  *exportctl.User
	NewToken string
}

var (
	roleOptions = func() []option {
		var out []option
		for _, r := range exportctl.Roles {
			out = append(out, option{string(r), exportctl.RoleTitles[r], ""})
		}
		return out
	}()
	orgKindOptions = []option{
		{"exporter", "Exporter", "A company that applies for licences"},
		{"government", "Government", "A department or agency whose staff use exportctl"},
	}
)

// adminOnly answers 403 to everyone but administrators.
func adminOnly(w http.ResponseWriter, r *http.Request, s *Server) (exportctl.Actor, bool) {
	a, ok := requireUserThen(w, r, "/admin")
	if !ok {
		return a, false
	}
	if a.Role != exportctl.RoleAdmin {
		s.pageError(w, r, exportctl.Forbidden("only administrators manage users and organisations"))
		return a, false
	}
	return a, true
}

// renderAdmin renders the admin page; v carries the form state.
func (s *Server) renderAdmin(w http.ResponseWriter, r *http.Request, a exportctl.Actor, status int, v adminView, flash string) {
	var err error
	if v.Orgs, err = s.svc.Organisations(r.Context(), a); err != nil {
		s.pageError(w, r, err)
		return
	}
	if v.Users, err = s.svc.Users(r.Context(), a); err != nil {
		s.pageError(w, r, err)
		return
	}
	if v.Form == nil {
		v.Form = url.Values{}
	}
	v.Roles, v.Teams, v.OrgKinds, v.Self = roleOptions, exportctl.Teams, orgKindOptions, a.UserID
	v.Errors = polishErrors(v.Errors)
	s.render(w, r, status, "admin", pageData{Title: "Users and organisations", Errors: v.Errors, Flash: flash, Data: v})
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request) {
	a, ok := adminOnly(w, r, s)
	if !ok {
		return
	}
	s.renderAdmin(w, r, a, http.StatusOK, adminView{}, "")
}

// adminFailed re-renders the admin page for a failed form, or shows the
// error page for errors that are not about the input.
func (s *Server) adminFailed(w http.ResponseWriter, r *http.Request, a exportctl.Actor, err error, ids map[string]string) {
	if fe, ok := formErrors(err); ok {
		s.renderAdmin(w, r, a, http.StatusUnprocessableEntity, adminView{Form: r.PostForm, Errors: remapFields(fe, ids)}, "")
		return
	}
	if code := exportctl.ErrorCode(err); code == exportctl.EConflict {
		fe := []fieldError{{exportctl.ErrorField(err), capitalise(errorMessage(err))}}
		s.renderAdmin(w, r, a, http.StatusConflict, adminView{Form: r.PostForm, Errors: remapFields(fe, ids)}, "")
		return
	}
	s.pageError(w, r, err)
}

func (s *Server) createOrganisationSubmit(w http.ResponseWriter, r *http.Request) {
	a, ok := adminOnly(w, r, s)
	if !ok {
		return
	}
	o, err := s.svc.CreateOrganisation(r.Context(), a, r.PostFormValue("org_name"), r.PostFormValue("org_kind"))
	if err != nil {
		s.adminFailed(w, r, a, err, map[string]string{"name": "org_name", "kind": "org_kind"})
		return
	}
	redirectFlash(w, r, "/admin", "Organisation "+o.Name+" added")
}

func (s *Server) createUserSubmit(w http.ResponseWriter, r *http.Request) {
	a, ok := adminOnly(w, r, s)
	if !ok {
		return
	}
	in := exportctl.UserInput{
		Username: strings.TrimSpace(r.PostFormValue("username")),
		Name:     strings.TrimSpace(r.PostFormValue("name")),
		Role:     exportctl.Role(r.PostFormValue("role")),
		Team:     r.PostFormValue("team"),
		Password: r.PostFormValue("password"),
	}
	ids := map[string]string{"org": "org_id"}
	if v := r.PostFormValue("org_id"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			s.adminFailed(w, r, a, exportctl.Invalid("org_id", "choose an organisation from the list"), ids)
			return
		}
		in.OrgID = n
	}
	u, token, err := s.svc.CreateUser(r.Context(), a, in)
	if err != nil {
		s.adminFailed(w, r, a, err, ids)
		return
	}
	// Rendered, not redirected: the token must not travel in a URL.
	w.Header().Set("Cache-Control", "no-store")
	s.renderAdmin(w, r, a, http.StatusOK, adminView{NewUser: u, NewToken: token}, "User "+u.Username+" added")
}

func (s *Server) setUserDisabledSubmit(disabled bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, ok := adminOnly(w, r, s)
		if !ok {
			return
		}
		id, err := pathID(r, "id")
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		if err := s.svc.SetUserDisabled(r.Context(), a, id, disabled); err != nil {
			s.adminFailed(w, r, a, err, nil)
			return
		}
		flash := "User enabled: they can sign in again"
		if disabled {
			flash = "User disabled: their sessions and API tokens stop working"
		}
		redirectFlash(w, r, "/admin", flash)
	}
}
