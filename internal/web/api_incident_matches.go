package web

import (
	"net/http"

	"github.com/exportctl/exportctl"
)

// incidentMatchRoutes registers the duplicates across sources: proposing,
// listing and deciding matches (issue 4).
func (s *Server) incidentMatchRoutes() {
	s.handle("POST /api/v1/incident-matches/propose", s.api(s.apiProposeMatches))
	s.handle("GET /api/v1/incident-matches", s.api(s.apiListMatches))
	s.handle("GET /api/v1/incident-matches/{id}", s.api(byID(http.StatusOK, s.svc.Match)))
	s.handle("POST /api/v1/incident-matches/{id}/confirm", s.api(s.apiDecideMatch(true)))
	s.handle("POST /api/v1/incident-matches/{id}/reject", s.api(s.apiDecideMatch(false)))
}

// proposeResult answers POST /api/v1/incident-matches/propose.
type proposeResult struct {
	Proposed int `json:"proposed"`
}

func (s *Server) apiProposeMatches(r *http.Request, a exportctl.Actor) (int, any, error) {
	f, err := incidentFilter(r) // the list's query parameters; limit and cursor do not apply
	if err != nil {
		return 0, nil, err
	}
	n, err := s.svc.ProposeMatches(r.Context(), a, f)
	return http.StatusOK, proposeResult{n}, err
}

// apiListMatches lists matches by status, or an incident's matches with
// ?incident=ID.
func (s *Server) apiListMatches(r *http.Request, a exportctl.Actor) (int, any, error) {
	q := r.URL.Query()
	if v := q.Get("incident"); v != "" {
		id, err := queryInt(r, "incident")
		if err != nil || id == 0 {
			return 0, nil, exportctl.Invalid("incident", "must be an incident id")
		}
		ms, err := s.svc.MatchesFor(r.Context(), a, int64(id))
		return http.StatusOK, listOf(ms), err
	}
	limit, err := queryInt(r, "limit")
	if err != nil {
		return 0, nil, err
	}
	page, err := s.svc.Matches(r.Context(), a, q.Get("status"), limit, q.Get("cursor"))
	return http.StatusOK, page, err
}

// apiDecideMatch confirms or rejects a match ({"note": "..."}, the body
// optional) and answers the decided match.
func (s *Server) apiDecideMatch(confirm bool) apiHandler {
	return func(r *http.Request, a exportctl.Actor) (int, any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return 0, nil, err
		}
		var in exportctl.MatchDecisionInput
		if err := decodeOptionalJSON(r, &in); err != nil {
			return 0, nil, err
		}
		if err := s.svc.DecideMatch(r.Context(), a, id, confirm, in.Note); err != nil {
			return 0, nil, err
		}
		m, err := s.svc.Match(r.Context(), a, id)
		return http.StatusOK, m, err
	}
}
