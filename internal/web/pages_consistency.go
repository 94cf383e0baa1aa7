package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/exportctl/exportctl"
)

// consistencyPageRoutes are the pages of the denials register and the
// consistency check: answering a match on a case, the register itself, and
// near-identical applications decided in opposite ways.
func (s *Server) consistencyPageRoutes() {
	s.handle("POST /applications/{id}/denial-matches/{denial}/answer", s.answerDenialSubmit)
	s.handle("GET /denials", s.denialsPage)
	s.handle("GET /consistency", s.consistencyPage)
}

func (s *Server) answerDenialSubmit(w http.ResponseWriter, r *http.Request) {
	denial, err := pathID(r, "denial")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	field := "denial-reasons-" + strconv.FormatInt(denial, 10)
	s.caseCommand(w, r, map[string]string{"reasons": field}, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		if err := s.svc.AnswerDenialMatch(r.Context(), a, id, denial, r.PostFormValue("reasons")); err != nil {
			return "", nil, err
		}
		return "Answer recorded: the earlier refusal no longer stops this case being issued", nil, nil
	})
}

type denialsView struct {
	Page    exportctl.Page[exportctl.Denial]
	Country string
	Query   string
}

func (s *Server) denialsPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	v := denialsView{Country: q.Get("country"), Query: q.Get("q")}
	page, err := s.svc.Denials(r.Context(), a, exportctl.DenialFilter{Country: v.Country, Query: v.Query, Cursor: q.Get("cursor"), Limit: 50})
	if errs, ok := formErrors(err); ok {
		s.render(w, r, http.StatusUnprocessableEntity, "denials", pageData{Title: "Denials register", Errors: errs, Data: v})
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Page = page
	s.render(w, r, http.StatusOK, "denials", pageData{Title: "Denials register", Data: v})
}

type consistencyView struct {
	Since  string
	Groups []exportctl.OppositeDecision
}

func (s *Server) consistencyPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	v := consistencyView{Since: r.URL.Query().Get("since")}
	var since time.Time
	if v.Since != "" {
		var err error
		if since, err = time.Parse(time.DateOnly, v.Since); err != nil {
			s.render(w, r, http.StatusUnprocessableEntity, "consistency", pageData{Title: "Consistency",
				Errors: []fieldError{{"since", "Enter the date as YYYY-MM-DD"}}, Data: v})
			return
		}
	}
	groups, err := s.svc.OppositeDecisions(r.Context(), a, since)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Groups = groups
	s.render(w, r, http.StatusOK, "consistency", pageData{Title: "Consistency", Data: v})
}
