package web

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

// reviewPageRoutes are the pages of destination reviews (staff) and their
// public pages (no sign-in).
func (s *Server) reviewPageRoutes() {
	s.handle("GET /reviews", s.reviewsPage)
	s.handle("GET /reviews/new", s.newReviewPage)
	s.handle("POST /reviews", s.openReviewSubmit)
	s.handle("GET /reviews/{id}", s.reviewPage)
	s.handle("POST /reviews/{id}/determinations", s.determineSubmit)
	s.handle("POST /reviews/{id}/findings", s.findingsSubmit)
	s.handle("POST /reviews/{id}/milestones", s.addMilestoneSubmit)
	s.handle("POST /reviews/{id}/milestones/{milestone}/done", s.milestoneDoneSubmit)
	s.handle("POST /reviews/{id}/propose", s.proposeSubmit)
	s.handle("POST /reviews/{id}/return", s.returnReviewSubmit)
	s.handle("POST /reviews/{id}/approve", s.approveSubmit)
	s.handle("POST /reviews/{id}/publish", s.publishReviewSubmit)
	s.handle("POST /reassessment-tasks/{id}/close", s.closeTaskSubmit)
	s.handle("GET /public/reviews", cached(s.publicReviewsPage))
	s.handle("GET /public/reviews/{id}", cached(s.publicReviewPage))
}

var (
	determinationOptions = []option{
		{exportctl.DeterminationYes, "Yes", "The items could be used in the conflict"},
		{exportctl.DeterminationNo, "No", "The items could not be used in the conflict"},
		{exportctl.DeterminationUnclear, "Unclear", "The evidence does not allow a determination yet"},
	}
	reviewOutcomeOptions = []option{
		{exportctl.OutcomeMaintain, "Maintain", "The licence continues unchanged"},
		{exportctl.OutcomeAmend, "Amend", "Add conditions, e.g. no direct shipments for use in the destination"},
		{exportctl.OutcomeSuspend, "Suspend", "No exports until the licence is reinstated"},
		{exportctl.OutcomeRevoke, "Revoke", "The licence ends"},
	}
	reviewRecorders = []exportctl.Role{exportctl.RoleCaseOfficer, exportctl.RoleSeniorOfficial}
)

func reviewURL(id int64) string { return "/reviews/" + strconv.FormatInt(id, 10) }

type reviewsView struct {
	Page      exportctl.Page[exportctl.ReviewSummary]
	Tasks     []exportctl.ReassessmentTask
	Status    string
	CanOpen   bool
	CanClose  bool
	NextHref  string
	FirstHref string
	Form      url.Values
}

func (s *Server) reviewsPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	s.renderReviews(w, r, a, http.StatusOK, nil, nil)
}

func (s *Server) renderReviews(w http.ResponseWriter, r *http.Request, a exportctl.Actor, status int, errs []fieldError, form url.Values) {
	q := r.URL.Query()
	v := reviewsView{Status: q.Get("status"), CanOpen: a.Is(reviewRecorders...),
		CanClose: a.Is(exportctl.RoleCaseOfficer, exportctl.RoleSeniorOfficial, exportctl.RoleDecisionMaker), Form: form}
	page, err := s.svc.Reviews(r.Context(), a, exportctl.ReviewFilter{Status: v.Status, Limit: 25, Cursor: q.Get("cursor")})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if v.Tasks, err = s.svc.ReassessmentTasks(r.Context(), a, exportctl.TaskOpen); err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Page = page
	v.NextHref, v.FirstHref = pageLinks("/reviews", q, page.Next)
	s.render(w, r, status, "reviews", pageData{Title: "Destination reviews", Errors: polishErrors(errs), Data: v})
}

type newReviewView struct {
	Form       url.Values
	Milestones [2][2]string // name and due of the form's two milestone rows
	Leads      []exportctl.User
	Countries  []struct{ Code, Name string }
}

func (s *Server) newReviewPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	s.renderNewReview(w, r, a, http.StatusOK, nil, url.Values{"destination": {r.URL.Query().Get("destination")}})
}

func (s *Server) renderNewReview(w http.ResponseWriter, r *http.Request, a exportctl.Actor, status int, errs []fieldError, form url.Values) {
	if err := a.Require("review.open", reviewRecorders...); err != nil {
		s.pageError(w, r, err)
		return
	}
	leads, err := s.svc.ReviewLeads(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if form.Get("lead_id") == "" {
		form.Set("lead_id", strconv.FormatInt(a.UserID, 10))
	}
	v := newReviewView{Form: form, Leads: leads, Countries: exportctl.Countries()}
	for i := range v.Milestones {
		if i < len(form["milestone_name"]) {
			v.Milestones[i][0] = form["milestone_name"][i]
		}
		if i < len(form["milestone_due"]) {
			v.Milestones[i][1] = form["milestone_due"][i]
		}
	}
	s.render(w, r, status, "review_new", pageData{Title: "Open a review", Errors: polishErrors(errs), Data: v})
}

func (s *Server) openReviewSubmit(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUserThen(w, r, "/reviews/new")
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, exportctl.Invalid("body", "could not read the form"))
		return
	}
	f := r.PostForm
	lead, _ := strconv.ParseInt(f.Get("lead_id"), 10, 64)
	in := exportctl.ReviewInput{Kind: f.Get("kind"), Destination: strings.ToUpper(strings.TrimSpace(f.Get("destination"))), EndUser: f.Get("end_user"),
		TermsOfReference: f.Get("terms_of_reference"), LeadID: lead, EvidenceCutoff: f.Get("evidence_cutoff"), Deadline: f.Get("deadline")}
	for i, name := range f["milestone_name"] {
		due := ""
		if i < len(f["milestone_due"]) {
			due = f["milestone_due"][i]
		}
		if strings.TrimSpace(name) != "" || due != "" {
			in.Milestones = append(in.Milestones, exportctl.MilestoneInput{Name: name, Due: due})
		}
	}
	rv, err := s.svc.OpenReview(r.Context(), a, in)
	if fe, ok := formErrors(err); ok {
		s.renderNewReview(w, r, a, http.StatusUnprocessableEntity, remapFields(fe, map[string]string{"milestones": "milestone_name"}), f)
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	redirectFlash(w, r, reviewURL(rv.ID), fmt.Sprintf("Review %s opened with %d licences in scope", rv.Reference, len(rv.Licences)))
}

type reviewView struct {
	Review                   *exportctl.Review
	Form                     url.Values
	Errors                   []fieldError
	CanRecord                bool // determinations and findings
	CanPropose               bool
	CanDecide                bool // return or approve
	CanPublish               bool
	CanPlan                  bool                      // milestones
	CarveOuts                []exportctl.ReviewLicence // licences the approval must carve out
	Pending                  int                       // licences without a determination
	Determinations, Outcomes []option
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, a exportctl.Actor, id int64, status int, errs []fieldError, form url.Values) {
	rv, err := s.svc.Review(r.Context(), a, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if form == nil {
		form = url.Values{}
	}
	acts := exportctl.Actions(exportctl.ReviewMachine, rv.Status, a.Role)
	v := reviewView{Review: rv, Form: form, Errors: polishErrors(errs),
		CanRecord: slices.Contains(acts, exportctl.ActRecord), CanPropose: slices.Contains(acts, exportctl.ActPropose),
		CanDecide: slices.Contains(acts, exportctl.ActApproveReview), CanPublish: slices.Contains(acts, exportctl.ActPublishReview),
		CanPlan:        a.Is(reviewRecorders...) && rv.Status != exportctl.ReviewPublished,
		Determinations: determinationOptions, Outcomes: reviewOutcomeOptions}
	for _, l := range rv.Licences {
		if l.CarveOut() {
			v.CarveOuts = append(v.CarveOuts, l)
		}
		if l.Determination == "" {
			v.Pending++
		}
	}
	s.render(w, r, status, "review", pageData{Title: "Review " + rv.Reference, Errors: v.Errors, Data: v})
}

func (s *Server) reviewPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderReview(w, r, a, id, http.StatusOK, nil, nil)
}

// reviewCommand runs a POST on the review page, as caseCommand does for
// cases: success redirects with a flash, invalid input and conflicts show
// the page again with the errors and what was typed.
func (s *Server) reviewCommand(w http.ResponseWriter, r *http.Request, ids func(errs []fieldError) []fieldError, run func(a exportctl.Actor, id int64) (string, error)) {
	a, ok := requireUserThen(w, r, "/reviews/"+r.PathValue("id"))
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, exportctl.Invalid("body", "could not read the form"))
		return
	}
	flash, err := run(a, id)
	if fe, ok := formErrors(err); ok {
		s.renderReview(w, r, a, id, http.StatusUnprocessableEntity, ids(fe), r.PostForm)
		return
	}
	if exportctl.ErrorCode(err) == exportctl.EConflict {
		s.renderReview(w, r, a, id, http.StatusConflict, []fieldError{{"", capitalise(errorMessage(err))}}, r.PostForm)
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	redirectFlash(w, r, reviewURL(id), flash)
}

// prefixed renames fields to the page's input ids: prefix + field.
func prefixed(prefix string) func([]fieldError) []fieldError {
	return func(errs []fieldError) []fieldError {
		out := make([]fieldError, len(errs))
		for i, e := range errs {
			if e.Field != "" {
				e.Field = prefix + e.Field
			}
			out[i] = e
		}
		return out
	}
}

func (s *Server) determineSubmit(w http.ResponseWriter, r *http.Request) {
	licence, _ := strconv.ParseInt(r.FormValue("licence_id"), 10, 64)
	s.reviewCommand(w, r, prefixed(fmt.Sprintf("det-%d-", licence)), func(a exportctl.Actor, id int64) (string, error) {
		f := r.PostForm
		l, err := s.svc.RecordDetermination(r.Context(), a, id, exportctl.DeterminationInput{LicenceID: licence, Determination: f.Get("determination"),
			DeterminationReasons: f.Get("determination_reasons"), Outcome: f.Get("outcome"), Conditions: f.Get("conditions"), OutcomeReasons: f.Get("outcome_reasons")})
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("Determination recorded for licence %s: %s", l.Reference, exportctl.Humanise(l.Outcome)), nil
	})
}

func (s *Server) findingsSubmit(w http.ResponseWriter, r *http.Request) {
	s.reviewCommand(w, r, prefixed("findings-"), func(a exportctl.Actor, id int64) (string, error) {
		f := r.PostForm
		_, err := s.svc.RecordFindings(r.Context(), a, id, exportctl.ReviewFindings{ConductOfHostilities: f.Get("conduct_of_hostilities"),
			HumanitarianAccess: f.Get("humanitarian_access"), Detainees: f.Get("detainees")})
		return "Findings recorded", err
	})
}

func (s *Server) addMilestoneSubmit(w http.ResponseWriter, r *http.Request) {
	s.reviewCommand(w, r, prefixed("milestone-"), func(a exportctl.Actor, id int64) (string, error) {
		m, err := s.svc.AddMilestone(r.Context(), a, id, exportctl.MilestoneInput{Name: r.PostFormValue("name"), Due: r.PostFormValue("due")})
		if err != nil {
			return "", err
		}
		return "Milestone added: " + m.Name, nil
	})
}

func (s *Server) milestoneDoneSubmit(w http.ResponseWriter, r *http.Request) {
	s.reviewCommand(w, r, prefixed("milestone-"+r.PathValue("milestone")+"-"), func(a exportctl.Actor, id int64) (string, error) {
		mid, err := pathID(r, "milestone")
		if err != nil {
			return "", err
		}
		m, err := s.svc.CompleteMilestone(r.Context(), a, id, mid, r.PostFormValue("done"))
		if err != nil {
			return "", err
		}
		return "Milestone reached: " + m.Name, nil
	})
}

func (s *Server) proposeSubmit(w http.ResponseWriter, r *http.Request) {
	s.reviewCommand(w, r, prefixed("propose-"), func(a exportctl.Actor, id int64) (string, error) {
		_, err := s.svc.ProposeOutcome(r.Context(), a, id)
		return "Outcome proposed to the decision maker", err
	})
}

func (s *Server) returnReviewSubmit(w http.ResponseWriter, r *http.Request) {
	s.reviewCommand(w, r, prefixed("return-"), func(a exportctl.Actor, id int64) (string, error) {
		_, err := s.svc.ReturnReview(r.Context(), a, id, r.PostFormValue("reasons"))
		return "Review returned to the officials", err
	})
}

// approveSubmit reads the carve-outs from fields named after each licence
// (carve_scope_ID, carve_reasons_ID) and names their errors the same way.
func (s *Server) approveSubmit(w http.ResponseWriter, r *http.Request) {
	var licences []int64
	ids := func(errs []fieldError) []fieldError {
		out := make([]fieldError, len(errs))
		for i, e := range errs {
			switch {
			case strings.HasPrefix(e.Field, "carve_outs["):
				n, rest, _ := strings.Cut(strings.TrimPrefix(e.Field, "carve_outs["), "].")
				if k, err := strconv.Atoi(n); err == nil && k < len(licences) {
					e.Field = fmt.Sprintf("carve-%d-%s", licences[k], strings.ReplaceAll(rest, "licence_id", "scope"))
				}
			case strings.HasPrefix(e.Field, "carve_out_"):
				e.Field = "carve-" + strings.TrimPrefix(e.Field, "carve_out_") + "-scope"
			case e.Field != "":
				e.Field = "approve-" + e.Field
			}
			out[i] = e
		}
		return out
	}
	s.reviewCommand(w, r, ids, func(a exportctl.Actor, id int64) (string, error) {
		in := exportctl.ApproveInput{Reasons: r.PostFormValue("reasons")}
		for name := range r.PostForm {
			if lid, ok := strings.CutPrefix(name, "carve_scope_"); ok {
				n, err := strconv.ParseInt(lid, 10, 64)
				if err != nil {
					continue
				}
				licences = append(licences, n)
			}
		}
		slices.Sort(licences)
		for _, lid := range licences {
			key := strconv.FormatInt(lid, 10)
			in.CarveOuts = append(in.CarveOuts, exportctl.CarveOutInput{LicenceID: lid, Scope: r.PostFormValue("carve_scope_" + key), Reasons: r.PostFormValue("carve_reasons_" + key)})
		}
		rv, err := s.svc.ApproveOutcome(r.Context(), a, id, in)
		if err != nil {
			return "", err
		}
		counts := map[string]int{}
		for _, l := range rv.Licences {
			counts[l.Applied]++
		}
		return fmt.Sprintf("Outcome approved and applied: %d suspended, %d revoked, %d amended, %d maintained (%d carve-outs)",
			counts["suspended"]+counts["already_suspended"], counts["revoked"], counts["amended"], counts["maintained"]+counts["carve_out"], counts["carve_out"]), nil
	})
}

func (s *Server) publishReviewSubmit(w http.ResponseWriter, r *http.Request) {
	s.reviewCommand(w, r, prefixed("publish-"), func(a exportctl.Actor, id int64) (string, error) {
		_, err := s.svc.PublishReview(r.Context(), a, id, exportctl.StatementInput{Statement: r.PostFormValue("statement")})
		return "Statement published: the review is closed", err
	})
}

func (s *Server) closeTaskSubmit(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUserThen(w, r, "/reviews")
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, exportctl.Invalid("body", "could not read the form"))
		return
	}
	reviewID, _ := strconv.ParseInt(r.PostFormValue("review_id"), 10, 64)
	t, err := s.svc.CloseReassessmentTask(r.Context(), a, id, exportctl.TaskDecisionInput{Decision: r.PostFormValue("decision"), ReviewID: reviewID, Reasons: r.PostFormValue("reasons")})
	if fe, ok := formErrors(err); ok {
		s.renderReviews(w, r, a, http.StatusUnprocessableEntity, prefixed(fmt.Sprintf("task-%d-", id))(fe), r.PostForm)
		return
	}
	if exportctl.ErrorCode(err) == exportctl.EConflict {
		s.renderReviews(w, r, a, http.StatusConflict, []fieldError{{"", capitalise(errorMessage(err))}}, nil)
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	redirectFlash(w, r, "/reviews", "Reassessment task for "+exportctl.CountryName(t.Destination)+" closed: "+exportctl.Humanise(t.Decision))
}

func (s *Server) publicReviewsPage(w http.ResponseWriter, r *http.Request) {
	list, err := s.svc.PublicReviews(r.Context())
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderPublic(w, r, http.StatusOK, "public_reviews", pageData{Title: "Destination reviews", Data: list})
}

func (s *Server) publicReviewPage(w http.ResponseWriter, r *http.Request) {
	// A review's page changes with each milestone and its statement must
	// show as soon as it is published: caches revalidate every time (the
	// ETag makes that a 304), rather than keep it for a minute.
	w.Header().Set("Cache-Control", "public, no-cache")
	id, err := pathID(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	p, err := s.svc.PublicReview(r.Context(), id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderPublic(w, r, http.StatusOK, "public_review", pageData{Title: "Review " + p.Reference, Data: p})
}
