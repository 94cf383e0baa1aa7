package web

import (
	"context"
	"net/http"

	"github.com/exportctl/exportctl"
)

// assessmentRoutes are the endpoints of the decision process.
func (s *Server) assessmentRoutes() {
	s.handle("GET /api/v1/applications/{id}/advice", s.api(listFor(s.svc.Advice)))
	s.handle("POST /api/v1/applications/{id}/advice", s.api(withBody(http.StatusCreated, s.svc.GiveAdvice)))
	s.handle("GET /api/v1/applications/{id}/combined-advice", s.api(listFor(s.svc.CombinedAdvice)))
	s.handle("POST /api/v1/applications/{id}/advice-resolutions", s.api(withBody(http.StatusCreated, s.svc.ResolveConflict)))
	s.handle("GET /api/v1/applications/{id}/assessment", s.api(listFor(s.svc.Assessments)))
	s.handle("POST /api/v1/applications/{id}/assessment", s.api(withBody(http.StatusCreated, s.svc.SaveAssessment)))
	s.handle("POST /api/v1/applications/{id}/final-advice", s.api(withBody(http.StatusCreated, s.svc.SubmitFinalAdvice)))
	s.handle("GET /api/v1/applications/{id}/countersignatures", s.api(s.apiCountersignatures))
	s.handle("POST /api/v1/applications/{id}/countersignatures", s.api(withBody(http.StatusCreated, s.svc.Countersign)))
	s.handle("GET /api/v1/applications/{id}/departures", s.api(listFor(s.svc.Departures)))
	s.handle("POST /api/v1/applications/{id}/departures", s.api(withBody(http.StatusCreated, s.svc.RecordDeparture)))
	s.handle("GET /api/v1/applications/{id}/decision-record", s.api(byID(http.StatusOK, s.svc.DecisionRecord)))
}

// withBody decodes a JSON body into a fresh In and calls the service.
func withBody[In, Out any](status int, call func(ctx context.Context, a exportctl.Actor, id int64, in In) (Out, error)) apiHandler {
	return func(r *http.Request, a exportctl.Actor) (int, any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return 0, nil, err
		}
		var in In
		if err := decodeJSON(r, &in); err != nil {
			return 0, nil, err
		}
		out, err := call(r.Context(), a, id, in)
		return status, out, err
	}
}

// listFor answers a list of what the service returns for the case.
func listFor[T any](call func(ctx context.Context, a exportctl.Actor, id int64) ([]T, error)) apiHandler {
	return func(r *http.Request, a exportctl.Actor) (int, any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return 0, nil, err
		}
		items, err := call(r.Context(), a, id)
		return http.StatusOK, listOf(items), err
	}
}

func (s *Server) apiCountersignatures(r *http.Request, a exportctl.Actor) (int, any, error) {
	return listFor(func(ctx context.Context, a exportctl.Actor, id int64) ([]exportctl.Countersignature, error) {
		rec, err := s.svc.DecisionRecord(ctx, a, id)
		if err != nil {
			return nil, err
		}
		return rec.Countersignatures, nil
	})(r, a)
}
