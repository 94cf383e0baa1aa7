package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/exportctl/exportctl"
)

// The concerns channel's API. The reporter's side lives under
// /api/v1/report and needs no account: its requests are neither logged nor
// counted (handleAnonymous). Handling lives under /api/v1/concerns.
func (s *Server) concernRoutes() {
	s.handleAnonymous("POST /api/v1/report", s.reportAPI(s.apiReport))
	s.handleAnonymous("POST /api/v1/report/concern", s.reportAPI(s.apiReporterConcern))
	s.handleAnonymous("POST /api/v1/report/information", s.reportAPI(s.apiReporterCommand("information")))
	s.handleAnonymous("POST /api/v1/report/contest", s.reportAPI(s.apiReporterCommand("contest")))
	s.handleAnonymous("POST /api/v1/report/accept", s.reportAPI(s.apiReporterCommand("accept")))
	s.handleAnonymous("POST /api/v1/report/retaliation", s.reportAPI(s.apiReporterCommand("retaliation")))
	s.handle("GET /api/v1/public/concerns/statistics", s.apiConcernStatistics)
	s.handle("GET /api/v1/concerns", s.api(s.apiListConcerns))
	s.handle("GET /api/v1/concerns/mine", s.api(s.apiMyConcerns))
	s.handle("GET /api/v1/concerns/{id}", s.api(byID(http.StatusOK, s.svc.Concern)))
	s.handle("GET /api/v1/concerns/{id}/files/{n}", s.concernFile)
	s.handle("POST /api/v1/concerns/{id}/acknowledge", s.api(s.apiAcknowledgeConcern))
	s.handle("POST /api/v1/concerns/{id}/responses", s.api(withBody(http.StatusCreated, s.svc.RespondToConcern)))
	s.handle("POST /api/v1/concerns/{id}/conflicts", s.api(s.apiConcernText("conflict")))
	s.handle("POST /api/v1/concerns/{id}/reveal", s.api(s.apiRevealIdentity))
	s.handle("POST /api/v1/concerns/{id}/close", s.api(s.apiConcernText("close")))
	s.handle("POST /api/v1/concerns/{id}/protection/{pid}", s.api(s.apiAnswerProtection))
}

// reportHandler is an endpoint of the reporting channel; a is the zero
// Actor when nobody is signed in.
type reportHandler func(r *http.Request, a exportctl.Actor) (int, any, error)

// reportAPI answers like api but without requiring an actor, marks the
// answer uncacheable, and logs internal errors without time or request.
func (s *Server) reportAPI(h reportHandler) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Referrer-Policy", "no-referrer")
		a, _ := actor(r)
		status, v, err := h(r, a)
		if err != nil {
			if exportctl.ErrorCode(err) == exportctl.EInternal {
				s.anonLog.Error("internal error in the reporting channel", "err", err)
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

func (s *Server) apiReport(r *http.Request, a exportctl.Actor) (int, any, error) {
	var in exportctl.ConcernInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	rec, err := s.svc.SubmitConcern(r.Context(), a, in)
	if err != nil {
		return 0, nil, err
	}
	return http.StatusCreated, rec, nil
}

// reporterRequest is the body of the reporter's endpoints: the receipt
// code, or (signed in, named) the concern's id; and the text if any.
type reporterRequest struct {
	Code      string `json:"code"`
	ConcernID int64  `json:"concern_id"`
	Text      string `json:"text"`
	Reasons   string `json:"reasons"`
}

func (q reporterRequest) reporter(a exportctl.Actor) exportctl.ConcernReporter {
	return exportctl.ConcernReporter{Code: q.Code, Actor: a, ConcernID: q.ConcernID}
}

func (s *Server) apiReporterConcern(r *http.Request, a exportctl.Actor) (int, any, error) {
	var q reporterRequest
	if err := decodeJSON(r, &q); err != nil {
		return 0, nil, err
	}
	c, err := s.svc.ReporterConcern(r.Context(), q.reporter(a))
	return http.StatusOK, c, err
}

// reporterCommand runs one of the reporter's commands.
func (s *Server) reporterCommand(r *http.Request, action string, rep exportctl.ConcernReporter, text, reasons string) error {
	ctx := r.Context()
	switch action {
	case "information":
		return s.svc.AddConcernInformation(ctx, rep, text)
	case "contest":
		return s.svc.ContestConcernResponse(ctx, rep, reasons)
	case "accept":
		return s.svc.AcceptConcernResponse(ctx, rep)
	case "retaliation":
		return s.svc.FlagRetaliation(ctx, rep, text)
	}
	return exportctl.NotFound("action", action)
}

func (s *Server) apiReporterCommand(action string) reportHandler {
	return func(r *http.Request, a exportctl.Actor) (int, any, error) {
		var q reporterRequest
		if err := decodeJSON(r, &q); err != nil {
			return 0, nil, err
		}
		if err := s.reporterCommand(r, action, q.reporter(a), q.Text, q.Reasons); err != nil {
			return 0, nil, err
		}
		c, err := s.svc.ReporterConcern(r.Context(), q.reporter(a))
		return http.StatusOK, c, err
	}
}

func (s *Server) apiConcernStatistics(w http.ResponseWriter, r *http.Request) {
	qs, err := s.svc.ConcernStatistics(r.Context(), time.Time{}, time.Time{})
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": qs, "suppress_below": exportctl.SuppressBelow})
}

func (s *Server) apiListConcerns(r *http.Request, a exportctl.Actor) (int, any, error) {
	limit, err := queryInt(r, "limit")
	if err != nil {
		return 0, nil, err
	}
	q := r.URL.Query()
	page, err := s.svc.ConcernList(r.Context(), a, exportctl.ConcernFilter{Status: q.Get("status"), Level: q.Get("level"), Limit: limit, Cursor: q.Get("cursor")})
	return http.StatusOK, page, err
}

func (s *Server) apiMyConcerns(r *http.Request, a exportctl.Actor) (int, any, error) {
	items, err := s.svc.MyConcerns(r.Context(), a)
	return http.StatusOK, map[string]any{"items": items, "total": len(items), "next": nil}, err
}

// concernFile serves an evidence file as a download, never inline, so a
// file cannot run as a page of this site.
func (s *Server) concernFile(w http.ResponseWriter, r *http.Request) {
	a, ok := actor(r)
	if !ok {
		if isAPI(r) {
			writeProblem(w, r, exportctl.Unauthorized("send Authorization: Bearer <token>"))
		} else {
			requireUser(w, r)
		}
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	n, err := pathID(r, "n")
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	ref, data, err := s.svc.ConcernFile(r.Context(), a, id, n)
	if err != nil {
		if isAPI(r) {
			writeProblem(w, r, err)
		} else {
			s.pageError(w, r, err)
		}
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", "attachment; filename="+strconv.Quote(ref.Name))
	w.Header().Set("Cache-Control", "no-store")
	w.Write(data)
}

func isAPI(r *http.Request) bool { return len(r.URL.Path) >= 5 && r.URL.Path[:5] == "/api/" }

func (s *Server) apiAcknowledgeConcern(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	var in struct {
		Message string `json:"message"`
	}
	if err := decodeOptionalJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := s.svc.AcknowledgeConcern(r.Context(), a, id, in.Message); err != nil {
		return 0, nil, err
	}
	c, err := s.svc.Concern(r.Context(), a, id)
	return http.StatusOK, c, err
}

type reasonsInput struct {
	Reasons string `json:"reasons"`
}

// apiConcernText runs a handling command that takes reasons.
func (s *Server) apiConcernText(action string) apiHandler {
	return func(r *http.Request, a exportctl.Actor) (int, any, error) {
		id, err := pathID(r, "id")
		if err != nil {
			return 0, nil, err
		}
		var in reasonsInput
		if err := decodeJSON(r, &in); err != nil {
			return 0, nil, err
		}
		switch action {
		case "conflict":
			err = s.svc.DeclareConcernConflict(r.Context(), a, id, in.Reasons)
		case "close":
			err = s.svc.CloseConcern(r.Context(), a, id, in.Reasons)
		}
		if err != nil {
			return 0, nil, err
		}
		return http.StatusNoContent, nil, nil
	}
}

func (s *Server) apiRevealIdentity(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	var in reasonsInput
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	identity, err := s.svc.RevealConcernIdentity(r.Context(), a, id, in.Reasons)
	return http.StatusOK, map[string]string{"identity": identity}, err
}

func (s *Server) apiAnswerProtection(r *http.Request, a exportctl.Actor) (int, any, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return 0, nil, err
	}
	pid, err := pathID(r, "pid")
	if err != nil {
		return 0, nil, err
	}
	var in struct {
		Text string `json:"text"`
	}
	if err := decodeJSON(r, &in); err != nil {
		return 0, nil, err
	}
	if err := s.svc.AnswerProtection(r.Context(), a, id, pid, in.Text); err != nil {
		return 0, nil, err
	}
	return http.StatusNoContent, nil, nil
}
