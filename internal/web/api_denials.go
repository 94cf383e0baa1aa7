package web

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/exportctl/exportctl"
)

// DenialService is what the denials endpoints need from the services (the
// store implements it). Servers built on services without it answer those
// endpoints with 501.
type DenialService = exportctl.Consistency

// denialRoutes registers the denials register and consistency endpoints.
func (s *Server) denialRoutes() {
	s.handle("GET /api/v1/denials", s.denialAPI(s.apiListDenials))
	s.handle("POST /api/v1/denials", s.denialAPI(s.apiImportDenials))
	s.handle("GET /api/v1/applications/{id}/denial-matches", s.denialAPI(s.apiDenialMatches))
	s.handle("POST /api/v1/applications/{id}/denial-matches/{denial}/answer", s.denialAPI(s.apiAnswerDenialMatch))
	s.handle("GET /api/v1/consistency/opposite-decisions", s.denialAPI(s.apiOppositeDecisions))
}

// denialHandler is an API endpoint that needs the denial service.
type denialHandler func(r *http.Request, a exportctl.Actor, svc DenialService) (int, any, error)

// denialAPI wraps a denial endpoint: anonymous callers get 401 as
// everywhere, and a server whose services lack the register 501.
func (s *Server) denialAPI(h denialHandler) http.HandlerFunc {
	inner := s.api(func(r *http.Request, a exportctl.Actor) (int, any, error) {
		svc, _ := s.svc.(DenialService)
		return h(r, a, svc)
	})
	return func(w http.ResponseWriter, r *http.Request) {
		if _, signedIn := actor(r); signedIn {
			if _, ok := s.svc.(DenialService); !ok {
				w.Header().Set("Content-Type", "application/problem+json")
				w.WriteHeader(http.StatusNotImplemented)
				json.NewEncoder(w).Encode(problem{Type: "https://exportctl.invalid/problems/not_implemented",
					Title: http.StatusText(http.StatusNotImplemented), Status: http.StatusNotImplemented,
					Detail: "this server has no denials register"})
				return
			}
		}
		inner(w, r)
	}
}

func (s *Server) apiListDenials(r *http.Request, a exportctl.Actor, svc DenialService) (int, any, error) {
	q := r.URL.Query()
	limit, err := queryInt(r, "limit")
	if err != nil {
		return 0, nil, err
	}
	page, err := svc.Denials(r.Context(), a, exportctl.DenialFilter{Country: q.Get("country"), Query: q.Get("q"), Limit: limit, Cursor: q.Get("cursor")})
	return http.StatusOK, page, err
}

// importResult answers POST /api/v1/denials.
type importResult struct {
	Added     int `json:"added"`
	Unchanged int `json:"unchanged"`
}

func (s *Server) apiImportDenials(r *http.Request, a exportctl.Actor, svc DenialService) (int, any, error) {
	var ds []exportctl.DenialInput
	if err := decodeJSON(r, &ds); err != nil {
		return 0, nil, err
	}
	source := r.URL.Query().Get("source")
	if source == "" {
		source = "api"
	}
	added, unchanged, err := svc.ImportDenials(r.Context(), a, ds, source)
	return http.StatusOK, importResult{added, unchanged}, err
}

func (s *Server) apiDenialMatches(r *http.Request, a exportctl.Actor, svc DenialService) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	ms, err := svc.DenialMatches(r.Context(), a, id)
	return http.StatusOK, listOf(ms), err
}

func (s *Server) apiAnswerDenialMatch(r *http.Request, a exportctl.Actor, svc DenialService) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	denial, err := pathID(r, "denial")
	if err != nil {
		return 0, nil, err
	}
	var in struct {
		Reasons string `json:"reasons"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := svc.AnswerDenialMatch(r.Context(), a, id, denial, in.Reasons); err != nil {
		return 0, nil, err
	}
	ms, err := svc.DenialMatches(r.Context(), a, id)
	return http.StatusOK, listOf(ms), err
}

func (s *Server) apiOppositeDecisions(r *http.Request, a exportctl.Actor, svc DenialService) (int, any, error) {
	var since time.Time
	if v := r.URL.Query().Get("since"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return 0, nil, exportctl.Invalid("since", "must be a date as YYYY-MM-DD")
		}
		since = t
	}
	ods, err := svc.OppositeDecisions(r.Context(), a, since)
	return http.StatusOK, listOf(ods), err
}
