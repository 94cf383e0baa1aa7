package web

import (
	"net/http"

	"github.com/exportctl/exportctl"
)

// reviewRoutes registers the destination reviews and reassessment tasks.
func (s *Server) reviewRoutes() {
	s.handle("GET /api/v1/reviews", s.api(s.apiListReviews))
	s.handle("POST /api/v1/reviews", s.api(s.apiOpenReview))
	s.handle("GET /api/v1/reviews/{id}", s.api(s.apiGetReview))
	s.handle("POST /api/v1/reviews/{id}/determinations", s.api(s.apiDetermine))
	s.handle("POST /api/v1/reviews/{id}/findings", s.api(s.apiReviewFindings))
	s.handle("POST /api/v1/reviews/{id}/milestones", s.api(s.apiAddMilestone))
	s.handle("POST /api/v1/reviews/{id}/milestones/{milestone}/done", s.api(s.apiCompleteMilestone))
	s.handle("POST /api/v1/reviews/{id}/propose", s.api(s.apiProposeReview))
	s.handle("POST /api/v1/reviews/{id}/return", s.api(s.apiReturnReview))
	s.handle("POST /api/v1/reviews/{id}/approve", s.api(s.apiApproveReview))
	s.handle("POST /api/v1/reviews/{id}/publish", s.api(s.apiPublishReview))
	s.handle("GET /api/v1/reassessment-tasks", s.api(s.apiListTasks))
	s.handle("POST /api/v1/reassessment-tasks/{id}/close", s.api(s.apiCloseTask))
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

func (s *Server) apiOpenReview(r *http.Request, a exportctl.Actor) (int, any, error) {
	var in exportctl.ReviewInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	rv, err := s.svc.OpenReview(r.Context(), a, in)
	return http.StatusCreated, rv, err
}

func (s *Server) apiGetReview(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	rv, err := s.svc.Review(r.Context(), a, id)
	return http.StatusOK, rv, err
}

func (s *Server) apiDetermine(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	var in exportctl.DeterminationInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	l, err := s.svc.RecordDetermination(r.Context(), a, id, in)
	return http.StatusCreated, l, err
}

func (s *Server) apiReviewFindings(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	var in exportctl.ReviewFindings
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	rv, err := s.svc.RecordFindings(r.Context(), a, id, in)
	return http.StatusOK, rv, err
}

func (s *Server) apiAddMilestone(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	var in exportctl.MilestoneInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	m, err := s.svc.AddMilestone(r.Context(), a, id, in)
	return http.StatusCreated, m, err
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

func (s *Server) apiProposeReview(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	rv, err := s.svc.ProposeOutcome(r.Context(), a, id)
	return http.StatusOK, rv, err
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

func (s *Server) apiApproveReview(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	var in exportctl.ApproveInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	rv, err := s.svc.ApproveOutcome(r.Context(), a, id, in)
	return http.StatusOK, rv, err
}

func (s *Server) apiPublishReview(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	var in exportctl.StatementInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	rv, err := s.svc.PublishReview(r.Context(), a, id, in)
	return http.StatusOK, rv, err
}

func (s *Server) apiListTasks(r *http.Request, a exportctl.Actor) (int, any, error) {
	ts, err := s.svc.ReassessmentTasks(r.Context(), a, r.URL.Query().Get("status"))
	return http.StatusOK, listOf(ts), err
}

func (s *Server) apiCloseTask(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	var in exportctl.TaskDecisionInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	t, err := s.svc.CloseReassessmentTask(r.Context(), a, id, in)
	return http.StatusOK, t, err
}
