package web

import (
	"context"
	"net/http"
	"strconv"

	"github.com/exportctl/exportctl"
)

// incidentRoutes are the evidence register's endpoints.
func (s *Server) incidentRoutes() {
	s.handle("GET /api/v1/incidents", s.api(s.apiListIncidents))
	s.handle("POST /api/v1/incidents", s.api(fromBody(http.StatusCreated, s.svc.CreateIncident)))
	s.handle("GET /api/v1/incidents/counts", s.api(s.apiIncidentCounts))
	s.handle("GET /api/v1/incidents/{id}", s.api(byID(http.StatusOK, s.svc.IncidentRecord)))
	s.handle("GET /api/v1/incidents/{id}/versions", s.api(listFor(s.svc.IncidentVersions)))
	s.handle("POST /api/v1/incidents/{id}/verification", s.api(withBody(http.StatusCreated, s.svc.AddVerificationStep)))
	s.handle("POST /api/v1/incidents/{id}/sources", s.api(withBody(http.StatusCreated, s.svc.AddEvidenceSource)))
	s.handle("POST /api/v1/incidents/{id}/sources/{source}/custody", s.api(s.apiAddCustodyEvent))
	s.handle("POST /api/v1/incidents/{id}/classifications", s.api(withBody(http.StatusCreated, s.svc.SetClassification)))
	s.handle("POST /api/v1/incidents/{id}/publish", s.api(s.apiSetPublishable))
}

// incidentFilter reads the list's query parameters; a bad value is a 422
// naming the parameter.
func incidentFilter(r *http.Request) (exportctl.IncidentFilter, error) {
	q := r.URL.Query()
	f := exportctl.IncidentFilter{
		Country: q.Get("country"), Admin1: q.Get("admin1"), From: q.Get("from"), To: q.Get("to"),
		Actor: q.Get("actor"), Launch: q.Get("launch"), Weapon: q.Get("weapon"), Target: q.Get("target"),
		Classification: q.Get("classification"), Verification: q.Get("verification"), Text: q.Get("q"),
		Source: q.Get("source"), SourceID: q.Get("source_id"), Cursor: q.Get("cursor"),
	}
	var err error
	if f.Limit, err = queryInt(r, "limit"); err != nil {
		return f, err
	}
	if f.BBox, err = exportctl.ParseBBox("bbox", q.Get("bbox")); err != nil {
		return f, err
	}
	if f.Near, err = exportctl.ParseNear("near", q.Get("near")); err != nil {
		return f, err
	}
	if v := q.Get("publishable"); v != "" {
		b, err := strconv.ParseBool(v)
		if err != nil {
			return f, exportctl.Invalid("publishable", "must be true or false")
		}
		f.Publishable = &b
	}
	return f, f.Validate()
}

func (s *Server) apiListIncidents(r *http.Request, a exportctl.Actor) (int, any, error) {
	f, err := incidentFilter(r)
	if err != nil {
		return 0, nil, err
	}
	page, err := s.svc.Incidents(r.Context(), a, f)
	return http.StatusOK, page, err
}

func (s *Server) apiIncidentCounts(r *http.Request, a exportctl.Actor) (int, any, error) {
	f, err := incidentFilter(r)
	if err != nil {
		return 0, nil, err
	}
	by := r.URL.Query().Get("by")
	if by == "" {
		by = "country"
	}
	counts, err := s.svc.IncidentCounts(r.Context(), a, f, by)
	return http.StatusOK, listOf(counts), err
}

func (s *Server) apiAddCustodyEvent(r *http.Request, a exportctl.Actor) (int, any, error) {
	sourceID, err := pathID(r, "source")
	if err != nil {
		return 0, nil, err
	}
	return withBody(http.StatusCreated, func(ctx context.Context, a exportctl.Actor, id int64, in exportctl.CustodyEventInput) (*exportctl.CustodyEvent, error) {
		return s.svc.AddCustodyEvent(ctx, a, id, sourceID, in)
	})(r, a)
}

func (s *Server) apiSetPublishable(r *http.Request, a exportctl.Actor) (int, any, error) {
	return withBody(http.StatusOK, func(ctx context.Context, a exportctl.Actor, id int64, in exportctl.PublishInput) (*exportctl.Incident, error) {
		return s.svc.SetPublishable(ctx, a, id, in.Publishable)
	})(r, a)
}
