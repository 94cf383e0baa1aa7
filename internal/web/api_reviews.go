package web

import (
	"net/http"

	"github.com/exportctl/exportctl"
)

// reviewRoutes registers the destination reviews and reassessment tasks.
func (s *Server) reviewRoutes() {
	s.handle("GET /api/v1/reviews", s.api(s.apiListReviews))
	s.handle("POST /api/v1/reviews", s.api(fromBody(http.StatusCreated, s.svc.OpenReview)))
	s.handle("GET /api/v1/reviews/{id}", s.api(byID(http.StatusOK, s.svc.Review)))
	s.handle("POST /api/v1/reviews/{id}/determinations", s.api(withBody(http.StatusCreated, s.svc.RecordDetermination)))
	s.handle("POST /api/v1/reviews/{id}/findings", s.api(withBody(http.StatusOK, s.svc.RecordFindings)))
	s.handle("POST /api/v1/reviews/{id}/milestones", s.api(withBody(http.StatusCreated, s.svc.AddMilestone)))
	s.handle("POST /api/v1/reviews/{id}/milestones/{milestone}/done", s.api(s.apiCompleteMilestone))
	s.handle("POST /api/v1/reviews/{id}/propose", s.api(byID(http.StatusOK, s.svc.ProposeOutcome)))
	s.handle("POST /api/v1/reviews/{id}/return", s.api(s.apiReturnReview))
	s.handle("POST /api/v1/reviews/{id}/approve", s.api(withBody(http.StatusOK, s.svc.ApproveOutcome)))
	s.handle("POST /api/v1/reviews/{id}/publish", s.api(withBody(http.StatusOK, s.svc.PublishReview)))
	s.handle("GET /api/v1/reassessment-tasks", s.api(s.apiListTasks))
	s.handle("POST /api/v1/reassessment-tasks/{id}/close", s.api(withBody(http.StatusOK, s.svc.CloseReassessmentTask)))
}

func (s *Server) apiListReviews(r *http.Request, a exportctl.Actor) (int, any, error) {
	q := r.URL.Query()
	limit, err := queryInt(r, "limit")
	if err != nil {
		return 0, nil, err
	}
	page, err := s.svc.Reviews(r.Context(), a, exportctl.ReviewFilter{Status: q.Get("status"), Destination: q.Get("destination"), Limit: limit, Cursor: q.Get("cursor")})
	return http.StatusOK, page, err
}

func (s *Server) apiCompleteMilestone(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	mid, err := pathID(r, "milestone")
	if err != nil {
		return 0, nil, err
	}
	var in struct {
		Done string `json:"done"`
	}
	if err := decodeOptionalJSON(r, &in); err != nil {
		return 0, nil, err
	}
	m, err := s.svc.CompleteMilestone(r.Context(), a, id, mid, in.Done)
	return http.StatusOK, m, err
}

func (s *Server) apiReturnReview(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	var in exportctl.LicenceActionInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	rv, err := s.svc.ReturnReview(r.Context(), a, id, in.Reasons)
	return http.StatusOK, rv, err
}

func (s *Server) apiListTasks(r *http.Request, a exportctl.Actor) (int, any, error) {
	ts, err := s.svc.ReassessmentTasks(r.Context(), a, r.URL.Query().Get("status"))
	return http.StatusOK, listOf(ts), err
}
