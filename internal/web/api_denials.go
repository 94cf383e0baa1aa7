package web

import (
	"net/http"
	"time"

	"github.com/exportctl/exportctl"
)

// denialRoutes registers the denials register and consistency endpoints.
func (s *Server) denialRoutes() {
	s.handle("GET /api/v1/denials", s.api(s.apiListDenials))
	s.handle("POST /api/v1/denials", s.api(s.apiImportDenials))
	s.handle("GET /api/v1/applications/{id}/denial-matches", s.api(s.apiDenialMatches))
	s.handle("POST /api/v1/applications/{id}/denial-matches/{denial}/answer", s.api(s.apiAnswerDenialMatch))
	s.handle("GET /api/v1/consistency/opposite-decisions", s.api(s.apiOppositeDecisions))
}

func (s *Server) apiListDenials(r *http.Request, a exportctl.Actor) (int, any, error) {
	q := r.URL.Query()
	limit, err := queryInt(r, "limit")
	if err != nil {
		return 0, nil, err
	}
	page, err := s.svc.Denials(r.Context(), a, exportctl.DenialFilter{Country: q.Get("country"), Query: q.Get("q"), Limit: limit, Cursor: q.Get("cursor")})
	return http.StatusOK, page, err
}

// importResult answers POST /api/v1/denials.
type importResult struct {
	Added     int `json:"added"`
	Unchanged int `json:"unchanged"`
}

func (s *Server) apiImportDenials(r *http.Request, a exportctl.Actor) (int, any, error) {
	var ds []exportctl.DenialInput
	if err := decodeJSON(r, &ds); err != nil {
		return 0, nil, err
	}
	source := r.URL.Query().Get("source")
	if source == "" {
		source = "api"
	}
	added, unchanged, err := s.svc.ImportDenials(r.Context(), a, ds, source)
	return http.StatusOK, importResult{added, unchanged}, err
}

func (s *Server) apiDenialMatches(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	ms, err := s.svc.DenialMatches(r.Context(), a, id)
	return http.StatusOK, listOf(ms), err
}

func (s *Server) apiAnswerDenialMatch(r *http.Request, a exportctl.Actor) (int, any, error) {
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
	if err := s.svc.AnswerDenialMatch(r.Context(), a, id, denial, in.Reasons); err != nil {
		return 0, nil, err
	}
	ms, err := s.svc.DenialMatches(r.Context(), a, id)
	return http.StatusOK, listOf(ms), err
}

func (s *Server) apiOppositeDecisions(r *http.Request, a exportctl.Actor) (int, any, error) {
	var since time.Time
	if v := r.URL.Query().Get("since"); v != "" {
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			return 0, nil, exportctl.Invalid("since", "must be a date as YYYY-MM-DD")
		}
		since = t
	}
	ods, err := s.svc.OppositeDecisions(r.Context(), a, since)
	return http.StatusOK, listOf(ods), err
}
