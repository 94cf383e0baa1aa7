package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/exportctl/exportctl"
)

func (s *Server) apiRoutes() {
	s.handle("GET /api/openapi.json", s.openAPI)
	s.handle("GET /api/v1/me", s.api(s.apiMe))
	s.handle("POST /api/v1/applications", s.api(s.apiCreateApplication))
	s.handle("GET /api/v1/applications", s.api(s.apiListApplications))
	s.handle("GET /api/v1/applications/{id}", s.api(byID(http.StatusOK, s.svc.Application)))
	s.handle("PATCH /api/v1/applications/{id}", s.api(s.apiEditApplication))
	s.handle("POST /api/v1/applications/{id}/goods", s.api(withBody(http.StatusCreated, s.svc.AddGood)))
	s.handle("DELETE /api/v1/applications/{id}/goods/{good}", s.api(s.apiRemoveGood))
	s.handle("POST /api/v1/applications/{id}/parties", s.api(withBody(http.StatusCreated, s.svc.AddParty)))
	s.handle("DELETE /api/v1/applications/{id}/parties/{party}", s.api(s.apiRemoveParty))
	for _, action := range []string{exportctl.ActSubmit, exportctl.ActWithdraw, exportctl.ActBeginChecks, exportctl.ActStartReview,
		exportctl.ActFinalReview, exportctl.ActReturn, exportctl.ActAppeal} {
		s.handle("POST /api/v1/applications/{id}/"+action, s.api(s.apiTransition(action)))
	}
	s.handle("POST /api/v1/applications/{id}/decision", s.api(withBody(http.StatusOK, s.svc.Decide)))
	s.handle("GET /api/v1/applications/{id}/decisions", s.api(s.apiDecisions))
	s.handle("GET /api/v1/applications/{id}/history", s.api(s.apiHistory))
	s.handle("GET /api/v1/licences", s.api(s.apiListLicences))
	s.handle("GET /api/v1/licences/{id}", s.api(byID(http.StatusOK, s.svc.Licence)))
	s.handle("GET /api/v1/licences/{id}/history", s.api(s.apiLicenceHistory))
	for _, action := range []string{exportctl.ActSuspend, exportctl.ActReinstate, exportctl.ActRevoke, exportctl.ActSurrender} {
		s.handle("POST /api/v1/licences/{id}/"+action, s.api(s.apiChangeLicence(action)))
	}
	s.assessmentRoutes()
	s.clockRoutes()
	s.denialRoutes()
	s.incidentRoutes()
	s.weaponRoutes()
	s.incidentMatchRoutes()
	s.concernRoutes()
	s.exposureRoutes()
	s.reviewRoutes()
	s.handle("GET /api/v1/ratings", s.api(s.apiRatings))
	s.handle("GET /api/v1/criteria", s.api(s.apiCriteria))
	s.handle("GET /api/v1/organisations", s.api(s.apiListOrganisations))
	s.handle("POST /api/v1/organisations", s.api(s.apiCreateOrganisation))
	s.handle("GET /api/v1/users", s.api(s.apiListUsers))
	s.handle("POST /api/v1/users", s.api(s.apiCreateUser))
}

// apiHandler is an API endpoint that needs a signed-in actor and returns
// a status and a value to encode, or an error to turn into a problem.
type apiHandler func(r *http.Request, a exportctl.Actor) (int, any, error)

func (s *Server) api(h apiHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		a, ok := actor(r)
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="exportctl"`)
			writeProblem(w, r, exportctl.Unauthorized("send Authorization: Bearer <token>"))
			return
		}
		status, v, err := h(r, a)
		if err != nil {
			if exportctl.ErrorCode(err) == exportctl.EInternal {
				s.log.Error("internal error", "method", r.Method, "route", r.Pattern, "err", err)
			}
			writeProblem(w, r, err)
			return
		}
		if status == http.StatusNoContent {
			w.WriteHeader(status)
			return
		}
		writeJSON(w, status, v)
	}
}

// fromBody and byID (with withBody and listFor in api_assessment.go) turn
// a service method into an API endpoint when all it needs is the JSON
// body, the {id} of the path, or both; status is the answer's status when
// the method succeeds.

// fromBody adapts a command on a JSON body: POST /api/v1/reviews.
func fromBody[In, Out any](status int, do func(context.Context, exportctl.Actor, In) (Out, error)) apiHandler {
	return func(r *http.Request, a exportctl.Actor) (int, any, error) {
		var in In
		if err := decodeJSON(r, &in); err != nil {
			return 0, nil, err
		}
		out, err := do(r.Context(), a, in)
		return status, out, err
	}
}

// byID adapts a read or command on the {id} of the path.
func byID[Out any](status int, do func(context.Context, exportctl.Actor, int64) (Out, error)) apiHandler {
	return func(r *http.Request, a exportctl.Actor) (int, any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return 0, nil, err
		}
		out, err := do(r.Context(), a, id)
		return status, out, err
	}
}

func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, exportctl.NotFound(name, r.PathValue(name))
	}
	return id, nil
}

func queryInt(r *http.Request, name string) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, exportctl.Invalid(name, "must be a whole number")
	}
	return n, nil
}

func (s *Server) apiMe(r *http.Request, a exportctl.Actor) (int, any, error) {
	return http.StatusOK, map[string]any{"id": a.UserID, "username": a.Username, "name": a.Name, "role": a.Role, "team": a.Team, "org_id": a.OrgID}, nil
}

func (s *Server) apiCreateApplication(r *http.Request, a exportctl.Actor) (int, any, error) {
	var in exportctl.ApplicationInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	app, err := s.svc.CreateApplication(r.Context(), a, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, app, nil
}

func (s *Server) apiListApplications(r *http.Request, a exportctl.Actor) (int, any, error) {
	q := r.URL.Query()
	limit, err := queryInt(r, "limit")
	if err != nil {
		return 0, nil, err
	}
	f := exportctl.ApplicationFilter{Status: q.Get("status"), Destination: q.Get("destination"), Query: q.Get("q"), Limit: limit, Cursor: q.Get("cursor")}
	if f.Status != "" && !validStatus(f.Status, exportctl.CaseStatuses) {
		return 0, nil, exportctl.Invalid("status", "unknown case status %q", f.Status)
	}
	page, err := s.svc.Applications(r.Context(), a, f)
	return http.StatusOK, page, err
}

func validStatus(s string, all []string) bool {
	for _, v := range all {
		if v == s {
			return true
		}
	}
	return false
}

func (s *Server) apiEditApplication(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	var in exportctl.ApplicationInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if len(in.Goods) > 0 || len(in.Parties) > 0 {
		return 0, nil, exportctl.Invalid("goods", "change goods and parties through their own endpoints")
	}
	app, err := s.svc.EditApplication(r.Context(), a, id, in)
	return http.StatusOK, app, err
}

func (s *Server) apiRemoveGood(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	good, err := pathID(r, "good")
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, s.svc.RemoveGood(r.Context(), a, id, good)
}

func (s *Server) apiRemoveParty(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	party, err := pathID(r, "party")
	if err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, s.svc.RemoveParty(r.Context(), a, id, party)
}

// noteInput is the optional body of a workflow action.
type noteInput struct {
	Note string `json:"note"`
}

func (s *Server) apiTransition(action string) apiHandler {
	return func(r *http.Request, a exportctl.Actor) (int, any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return 0, nil, err
		}
		var in noteInput
		if err := decodeOptionalJSON(r, &in); err != nil {
			return 0, nil, err
		}
		app, err := s.svc.Transition(r.Context(), a, id, action, in.Note)
		return http.StatusOK, app, err
	}
}

func (s *Server) apiDecisions(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	ds, err := s.svc.Decisions(r.Context(), a, id)
	return http.StatusOK, listOf(ds), err
}

func (s *Server) apiHistory(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	ev, err := s.svc.History(r.Context(), a, id)
	return http.StatusOK, listOf(ev), err
}

// listOf wraps a complete list in the list envelope.
func listOf[T any](items []T) exportctl.Page[T] {
	if items == nil {
		items = []T{}
	}
	return exportctl.Page[T]{Items: items, Total: len(items)}
}

func (s *Server) apiListLicences(r *http.Request, a exportctl.Actor) (int, any, error) {
	q := r.URL.Query()
	limit, err := queryInt(r, "limit")
	if err != nil {
		return 0, nil, err
	}
	f := exportctl.LicenceFilter{Status: q.Get("status"), Destination: q.Get("destination"), Limit: limit, Cursor: q.Get("cursor")}
	if f.Status != "" && !validStatus(f.Status, exportctl.LicenceStatuses) {
		return 0, nil, exportctl.Invalid("status", "unknown licence status %q", f.Status)
	}
	page, err := s.svc.Licences(r.Context(), a, f)
	return http.StatusOK, page, err
}

func (s *Server) apiLicenceHistory(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	ev, err := s.svc.LicenceHistory(r.Context(), a, id)
	return http.StatusOK, listOf(ev), err
}

func (s *Server) apiChangeLicence(action string) apiHandler {
	return func(r *http.Request, a exportctl.Actor) (int, any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return 0, nil, err
		}
		var in exportctl.LicenceActionInput
		if err := decodeJSON(r, &in); err != nil {
			return 0, nil, err
		}
		l, err := s.svc.ChangeLicence(r.Context(), a, id, action, in)
		return http.StatusOK, l, err
	}
}

func (s *Server) apiRatings(r *http.Request, a exportctl.Actor) (int, any, error) {
	rs, err := s.svc.Ratings(r.Context())
	return http.StatusOK, listOf(rs), err
}

func (s *Server) apiCriteria(r *http.Request, a exportctl.Actor) (int, any, error) {
	name := r.URL.Query().Get("set")
	if name == "" {
		name = exportctl.DefaultCriteriaSet
	}
	set, ok := exportctl.Criteria(name)
	if !ok {
		return 0, nil, exportctl.Invalid("set", "unknown criteria set %q", name)
	}
	return http.StatusOK, listOf(set.Criteria), nil
}

func (s *Server) apiListOrganisations(r *http.Request, a exportctl.Actor) (int, any, error) {
	os, err := s.svc.Organisations(r.Context(), a)
	return http.StatusOK, listOf(os), err
}

func (s *Server) apiCreateOrganisation(r *http.Request, a exportctl.Actor) (int, any, error) {
	var in struct {
		Name string `json:"name"`
		Kind string `json:"kind"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	o, err := s.svc.CreateOrganisation(r.Context(), a, in.Name, in.Kind)
	return http.StatusCreated, o, err
}

func (s *Server) apiListUsers(r *http.Request, a exportctl.Actor) (int, any, error) {
	us, err := s.svc.Users(r.Context(), a)
	return http.StatusOK, listOf(us), err
}

func (s *Server) apiCreateUser(r *http.Request, a exportctl.Actor) (int, any, error) {
	var in exportctl.UserInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	u, token, err := s.svc.CreateUser(r.Context(), a, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, struct {
		*exportctl.User
		Token string `json:"token"`
	}{u, token}, nil
}
