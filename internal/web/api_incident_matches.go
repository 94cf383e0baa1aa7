package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/exportctl/exportctl"
)

// incidentMatchRoutes registers the duplicates across sources: proposing,
// listing and deciding matches (issue 4).
func (s *Server) incidentMatchRoutes() {
	s.handle("POST /api/v1/incident-matches/propose", s.api(s.apiProposeMatches))
	s.handle("GET /api/v1/incident-matches", s.api(s.apiListMatches))
	s.handle("GET /api/v1/incident-matches/{id}", s.api(s.apiGetMatch))
	s.handle("POST /api/v1/incident-matches/{id}/confirm", s.api(s.apiDecideMatch(true)))
	s.handle("POST /api/v1/incident-matches/{id}/reject", s.api(s.apiDecideMatch(false)))
}

// incidentFilterQuery reads an incident filter from query parameters, as
// GET /api/v1/incidents takes them: country, admin1, from, to, bbox
// (minLon,minLat,maxLon,maxLat), near (lat,lon,km), actor, launch, weapon,
// target, classification, verification, q, source, source_id,
// publishable (true or false). The filter's own Validate checks values.
func incidentFilterQuery(q url.Values) (exportctl.IncidentFilter, error) {
	f := exportctl.IncidentFilter{
		Country: q.Get("country"), Admin1: q.Get("admin1"), From: q.Get("from"), To: q.Get("to"),
		Actor: q.Get("actor"), Launch: q.Get("launch"), Weapon: q.Get("weapon"), Target: q.Get("target"),
		Classification: q.Get("classification"), Verification: q.Get("verification"), Text: q.Get("q"),
		Source: q.Get("source"), SourceID: q.Get("source_id"),
	}
	var err error
	if f.BBox, err = exportctl.ParseBBox("bbox", q.Get("bbox")); err != nil {
		return f, err
	}
	if f.Near, err = exportctl.ParseNear("near", q.Get("near")); err != nil {
		return f, err
	}
	switch p := strings.TrimSpace(q.Get("publishable")); p {
	case "":
	case "true", "false":
		v := p == "true"
		f.Publishable = &v
	default:
		return f, exportctl.Invalid("publishable", "must be true or false")
	}
	return f, nil
}

// proposeResult answers POST /api/v1/incident-matches/propose.
type proposeResult struct {
	Proposed int `json:"proposed"`
}

func (s *Server) apiProposeMatches(r *http.Request, a exportctl.Actor) (int, any, error) {
	f, err := incidentFilterQuery(r.URL.Query())
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

func (s *Server) apiGetMatch(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	m, err := s.svc.Match(r.Context(), a, id)
	return http.StatusOK, m, err
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
