package web

import (
	"net/http"

	"github.com/exportctl/exportctl"
)

// assessmentRoutes are the endpoints of the decision process.
func (s *Server) assessmentRoutes() {
	s.handle("GET /api/v1/applications/{id}/advice", s.api(s.apiAdvice))
	s.handle("POST /api/v1/applications/{id}/advice", s.api(s.apiGiveAdvice))
	s.handle("GET /api/v1/applications/{id}/combined-advice", s.api(s.apiCombinedAdvice))
	s.handle("POST /api/v1/applications/{id}/advice-resolutions", s.api(s.apiResolve))
	s.handle("GET /api/v1/applications/{id}/assessment", s.api(s.apiAssessments))
	s.handle("POST /api/v1/applications/{id}/assessment", s.api(s.apiSaveAssessment))
	s.handle("POST /api/v1/applications/{id}/final-advice", s.api(s.apiFinalAdvice))
	s.handle("GET /api/v1/applications/{id}/countersignatures", s.api(s.apiCountersignatures))
	s.handle("POST /api/v1/applications/{id}/countersignatures", s.api(s.apiCountersign))
	s.handle("GET /api/v1/applications/{id}/departures", s.api(s.apiDepartures))
	s.handle("POST /api/v1/applications/{id}/departures", s.api(s.apiRecordDeparture))
	s.handle("GET /api/v1/applications/{id}/decision-record", s.api(s.apiDecisionRecord))
}

// withBody decodes a JSON body into a fresh In and calls the service.
func withBody[In, Out any](status int, call func(r *http.Request, a exportctl.Actor, id int64, in In) (Out, error)) apiHandler {
	return func(r *http.Request, a exportctl.Actor) (int, any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return 0, nil, err
		}
		var in In
		if err := decodeJSON(r, &in); err != nil {
			return 0, nil, err
		}
		out, err := call(r, a, id, in)
		return status, out, err
	}
}

// listFor answers a list of what the service returns for the case.
func listFor[T any](call func(r *http.Request, a exportctl.Actor, id int64) ([]T, error)) apiHandler {
	return func(r *http.Request, a exportctl.Actor) (int, any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return 0, nil, err
		}
		items, err := call(r, a, id)
		return http.StatusOK, listOf(items), err
	}
}

func (s *Server) apiAdvice(r *http.Request, a exportctl.Actor) (int, any, error) {
	return listFor(func(r *http.Request, a exportctl.Actor, id int64) ([]exportctl.Advice, error) {
		return s.svc.Advice(r.Context(), a, id)
	})(r, a)
}

func (s *Server) apiGiveAdvice(r *http.Request, a exportctl.Actor) (int, any, error) {
	return withBody(http.StatusCreated, func(r *http.Request, a exportctl.Actor, id int64, in exportctl.AdviceInput) (*exportctl.Advice, error) {
		return s.svc.GiveAdvice(r.Context(), a, id, in)
	})(r, a)
}

func (s *Server) apiCombinedAdvice(r *http.Request, a exportctl.Actor) (int, any, error) {
	return listFor(func(r *http.Request, a exportctl.Actor, id int64) ([]exportctl.CombinedAdvice, error) {
		return s.svc.CombinedAdvice(r.Context(), a, id)
	})(r, a)
}

func (s *Server) apiResolve(r *http.Request, a exportctl.Actor) (int, any, error) {
	return withBody(http.StatusCreated, func(r *http.Request, a exportctl.Actor, id int64, in exportctl.ResolutionInput) (*exportctl.Resolution, error) {
		return s.svc.ResolveConflict(r.Context(), a, id, in)
	})(r, a)
}

func (s *Server) apiAssessments(r *http.Request, a exportctl.Actor) (int, any, error) {
	return listFor(func(r *http.Request, a exportctl.Actor, id int64) ([]exportctl.Assessment, error) {
		return s.svc.Assessments(r.Context(), a, id)
	})(r, a)
}

func (s *Server) apiSaveAssessment(r *http.Request, a exportctl.Actor) (int, any, error) {
	return withBody(http.StatusCreated, func(r *http.Request, a exportctl.Actor, id int64, in exportctl.AssessmentInput) (*exportctl.Assessment, error) {
		return s.svc.SaveAssessment(r.Context(), a, id, in)
	})(r, a)
}

func (s *Server) apiFinalAdvice(r *http.Request, a exportctl.Actor) (int, any, error) {
	return withBody(http.StatusCreated, func(r *http.Request, a exportctl.Actor, id int64, in exportctl.FinalAdviceInput) (*exportctl.FinalAdvice, error) {
		return s.svc.SubmitFinalAdvice(r.Context(), a, id, in)
	})(r, a)
}

func (s *Server) apiCountersignatures(r *http.Request, a exportctl.Actor) (int, any, error) {
	return listFor(func(r *http.Request, a exportctl.Actor, id int64) ([]exportctl.Countersignature, error) {
		rec, err := s.svc.DecisionRecord(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		return rec.Countersignatures, nil
	})(r, a)
}

func (s *Server) apiCountersign(r *http.Request, a exportctl.Actor) (int, any, error) {
	return withBody(http.StatusCreated, func(r *http.Request, a exportctl.Actor, id int64, in exportctl.CountersignInput) (*exportctl.Countersignature, error) {
		return s.svc.Countersign(r.Context(), a, id, in)
	})(r, a)
}

func (s *Server) apiDepartures(r *http.Request, a exportctl.Actor) (int, any, error) {
	return listFor(func(r *http.Request, a exportctl.Actor, id int64) ([]exportctl.Departure, error) {
		return s.svc.Departures(r.Context(), a, id)
	})(r, a)
}

func (s *Server) apiRecordDeparture(r *http.Request, a exportctl.Actor) (int, any, error) {
	return withBody(http.StatusCreated, func(r *http.Request, a exportctl.Actor, id int64, in exportctl.DepartureInput) (*exportctl.Departure, error) {
		return s.svc.RecordDeparture(r.Context(), a, id, in)
	})(r, a)
}

func (s *Server) apiDecisionRecord(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	rec, err := s.svc.DecisionRecord(r.Context(), a, id)
	return http.StatusOK, rec, err
}
