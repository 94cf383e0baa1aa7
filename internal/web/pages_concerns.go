package web

import (
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

// Pages of the concerns channel. The reporter's pages live under /report
// and work without an account: they are neither logged nor counted, set no
// cookie of their own, and are never cached. A receipt code travels only in
// POST bodies, never in an address.
func (s *Server) concernPageRoutes() {
	s.handleAnonymous("GET /report", s.reportPage)
	s.handleAnonymous("POST /report", s.reportSubmit)
	s.handleAnonymous("GET /report/follow-up", s.followUpPage)
	s.handleAnonymous("POST /report/follow-up", s.followUpSubmit)
	s.handleAnonymous("POST /report/follow-up/{action}", s.followUpCommand)
	s.handle("GET /concerns", s.concernsPage)
	s.handle("GET /concerns/mine", s.myConcernsPage)
	s.handle("GET /concerns/mine/{id}", s.myConcernPage)
	s.handle("GET /concerns/{id}", s.concernPage)
	s.handle("GET /concerns/{id}/files/{n}", s.concernFile)
	s.handle("POST /concerns/{id}/{action}", s.concernCommand)
	s.handle("GET /public/concerns", cached(s.concernStatisticsPage))
	s.handle("GET /public/concerns/key", s.concernKeyText)
}

// private marks a reporting-channel answer: never cached, no referrer.
func private(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

// anonPageError is pageError for the reporting channel: internal errors are
// logged without time or request details.
func (s *Server) anonPageError(w http.ResponseWriter, r *http.Request, err error) {
	p := problemFor(err)
	if p.Status == http.StatusInternalServerError {
		s.anonLog.Error("internal error in the reporting channel", "err", err)
	}
	s.render(w, r, p.Status, "error", pageData{Title: p.Title, Data: p})
}

type reportForm struct {
	Form     url.Values
	SignedIn bool
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request) {
	private(w)
	_, signedIn := actor(r)
	s.render(w, r, http.StatusOK, "report", pageData{Title: "Raise a concern", Data: reportForm{Form: url.Values{}, SignedIn: signedIn}})
}

// reportFields maps the service's fields to the form's input ids.
var reportFields = map[string]string{"points": "points", "files": "files", "named": "named"}

func (s *Server) reportSubmit(w http.ResponseWriter, r *http.Request) {
	private(w)
	a, signedIn := actor(r)
	if err := r.ParseMultipartForm(maxReportBody); err != nil && err != http.ErrNotMultipart {
		s.anonPageError(w, r, exportctl.Invalid("files", "the files could not be read: they may be too large (at most %d files of %d MiB)", exportctl.MaxConcernFiles, exportctl.MaxConcernFileSize>>20))
		return
	}
	defer func() {
		if r.MultipartForm != nil {
			r.MultipartForm.RemoveAll()
		}
	}()
	in := exportctl.ConcernInput{
		Summary: r.PostFormValue("summary"), Details: r.PostFormValue("details"),
		Points: strings.Split(r.PostFormValue("points"), "\n"), Identity: r.PostFormValue("identity"),
		Named: signedIn && r.PostFormValue("named") == "yes",
	}
	var linkErrs exportctl.Errors
	for _, l := range []struct {
		name string
		to   *int64
	}{{"application_id", &in.ApplicationID}, {"licence_id", &in.LicenceID}, {"assessment_id", &in.AssessmentID}} {
		v := strings.TrimSpace(r.PostFormValue(l.name))
		if v == "" {
			continue
		}
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n <= 0 {
			linkErrs = append(linkErrs, exportctl.Invalid(l.name, "give the number (e.g. 17), or leave it empty"))
			continue
		}
		*l.to = n
	}
	if r.MultipartForm != nil {
		for _, fh := range r.MultipartForm.File["files"] {
			data, err := readUpload(fh)
			if err != nil {
				linkErrs = append(linkErrs, exportctl.Invalid("files", "the file %q could not be read", fh.Filename))
				continue
			}
			in.Files = append(in.Files, exportctl.ConcernFileInput{Name: fh.Filename, ContentType: fh.Header.Get("Content-Type"), Data: data})
		}
	}
	var rec *exportctl.ConcernReceipt
	err := linkErrs.Err()
	if err == nil {
		rec, err = s.svc.SubmitConcern(r.Context(), a, in)
	}
	if err != nil {
		errs, ok := formErrors(err)
		if !ok {
			s.anonPageError(w, r, err)
			return
		}
		s.render(w, r, http.StatusUnprocessableEntity, "report", pageData{Title: "Raise a concern",
			Errors: remapFields(errs, reportFields), Data: reportForm{Form: r.PostForm, SignedIn: signedIn}})
		return
	}
	s.render(w, r, http.StatusOK, "report_receipt", pageData{Title: "Your concern was received", Data: rec})
}

func readUpload(fh *multipart.FileHeader) ([]byte, error) {
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, exportctl.MaxConcernFileSize+1))
}

func (s *Server) followUpPage(w http.ResponseWriter, r *http.Request) {
	private(w)
	s.render(w, r, http.StatusOK, "report_follow_up", pageData{Title: "Follow up a concern"})
}

// reporterView is what the reporter's page shows and the keys its forms resend.
type reporterView struct {
	Concern   *exportctl.Concern
	Code      string // the code the reporter typed, resent by the page's forms
	ConcernID int64  // for a signed-in named reporter instead of a code
	Message   string
	Form      url.Values
}

func (s *Server) followUpSubmit(w http.ResponseWriter, r *http.Request) {
	private(w)
	a, _ := actor(r)
	rep := exportctl.ConcernReporter{Code: r.PostFormValue("code"), Actor: a}
	if id, _ := strconv.ParseInt(r.PostFormValue("concern_id"), 10, 64); rep.Code == "" && id > 0 {
		rep.ConcernID = id
	}
	s.renderReporter(w, r, rep, http.StatusOK, "", nil)
}

// renderReporter shows the reporter their concern, or the code form again.
func (s *Server) renderReporter(w http.ResponseWriter, r *http.Request, rep exportctl.ConcernReporter, status int, message string, errs []fieldError) {
	c, err := s.svc.ReporterConcern(r.Context(), rep)
	if err != nil {
		code := exportctl.ErrorCode(err)
		if code == exportctl.EUnauthorized || code == exportctl.EInvalid || (code == exportctl.ENotFound && rep.Code != "") {
			s.render(w, r, http.StatusUnauthorized, "report_follow_up", pageData{Title: "Follow up a concern",
				Errors: []fieldError{{"code", problemFor(err).Detail}}})
			return
		}
		s.anonPageError(w, r, err)
		return
	}
	s.render(w, r, status, "report_concern", pageData{Title: "Your concern " + c.Reference, Errors: errs,
		Data: reporterView{Concern: c, Code: rep.Code, ConcernID: rep.ConcernID, Message: message, Form: r.PostForm}})
}

var reporterMessages = map[string]string{
	"information": "Your information was added to the concern.",
	"contest":     "You contested the response. The concern has been escalated and a new response is due within three months.",
	"accept":      "You accepted the response. The concern is closed.",
	"retaliation": "Your report of retaliation opened a protection case. Protective action is due within 14 days.",
}

func (s *Server) followUpCommand(w http.ResponseWriter, r *http.Request) {
	private(w)
	action := r.PathValue("action")
	msg, ok := reporterMessages[action]
	if !ok {
		s.anonPageError(w, r, exportctl.NotFound("page", r.URL.Path))
		return
	}
	a, _ := actor(r)
	rep := exportctl.ConcernReporter{Code: r.PostFormValue("code"), Actor: a}
	if rep.Code == "" {
		rep.ConcernID, _ = strconv.ParseInt(r.PostFormValue("concern_id"), 10, 64)
	}
	err := s.reporterCommand(r, action, rep, r.PostFormValue("text"), r.PostFormValue("reasons"))
	if err != nil {
		if errs, ok := formErrors(err); ok {
			s.renderReporter(w, r, rep, http.StatusUnprocessableEntity, "", remapFields(errs, map[string]string{"text": action + "-text", "reasons": "contest-reasons"}))
			return
		}
		if exportctl.ErrorCode(err) == exportctl.EConflict {
			s.renderReporter(w, r, rep, http.StatusConflict, "", []fieldError{{action, problemFor(err).Detail}})
			return
		}
		if exportctl.ErrorCode(err) == exportctl.EUnauthorized {
			s.render(w, r, http.StatusUnauthorized, "report_follow_up", pageData{Title: "Follow up a concern", Errors: []fieldError{{"code", problemFor(err).Detail}}})
			return
		}
		s.anonPageError(w, r, err)
		return
	}
	r.PostForm = url.Values{} // the forms start empty again
	s.renderReporter(w, r, rep, http.StatusOK, msg, nil)
}

func (s *Server) myConcernsPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	items, err := s.svc.MyConcerns(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "concerns_mine", pageData{Title: "Concerns you raised", Data: items})
}

func (s *Server) myConcernPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	private(w)
	c, err := s.svc.ReporterConcern(r.Context(), exportctl.ConcernReporter{Actor: a, ConcernID: id})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "report_concern", pageData{Title: "Your concern " + c.Reference, Data: reporterView{Concern: c, ConcernID: id}})
}

func (s *Server) concernsPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	limit, _ := queryInt(r, "limit")
	page, err := s.svc.ConcernList(r.Context(), a, exportctl.ConcernFilter{Status: q.Get("status"), Level: q.Get("level"), Limit: limit, Cursor: q.Get("cursor")})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	next, first := pageLinks("/concerns", q, page.Next)
	s.render(w, r, http.StatusOK, "concerns", pageData{Title: "Concerns", Data: map[string]any{
		"Rows": page.Items, "Total": page.Total, "Next": next, "First": first, "Status": q.Get("status"), "Level": q.Get("level"),
		"Statuses": exportctl.ConcernStatuses, "Levels": exportctl.ConcernLevels, "Oversight": a.Role == exportctl.RoleOversight}})
}

// concernPageData is the handling page of one concern.
type concernPageData struct {
	Concern                    *exportctl.Concern
	Actor                      exportctl.Actor
	Form                       url.Values
	Identity                   string
	Holds, CanReveal, CanClose bool
	CanProtect                 bool
}

func (s *Server) concernPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderConcern(w, r, a, id, http.StatusOK, nil, "")
}

func (s *Server) renderConcern(w http.ResponseWriter, r *http.Request, a exportctl.Actor, id int64, status int, errs []fieldError, identity string) {
	private(w)
	c, err := s.svc.Concern(r.Context(), a, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	holder := exportctl.LevelRole(c.Level)
	d := concernPageData{Concern: c, Actor: a, Form: r.PostForm, Identity: identity,
		Holds:      a.Role == holder && (c.Level != exportctl.LevelHandler || c.HandlerID == a.UserID) && c.Status != exportctl.ConcernClosed,
		CanReveal:  a.Role == exportctl.RoleCustodian && !c.Anonymous,
		CanClose:   a.Role == exportctl.RoleOversight && c.Status != exportctl.ConcernClosed && c.AnsweredAt != nil,
		CanProtect: a.Role != exportctl.RoleCustodian}
	if d.Form == nil {
		d.Form = url.Values{}
	}
	s.render(w, r, status, "concern", pageData{Title: "Concern " + c.Reference, Errors: errs, Data: d})
}

var concernFlash = map[string]string{
	"acknowledge": "Receipt acknowledged. The reporter sees it with their code.",
	"respond":     "Response sent. It is frozen: send a correction if anything in it is wrong.",
	"conflict":    "Your conflict of interest is recorded. The concern has passed to someone impartial.",
	"close":       "The concern is closed by the oversight body's decision.",
	"protection":  "The protective action is recorded.",
}

func (s *Server) concernCommand(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUserThen(w, r, r.URL.Path)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	ctx := r.Context()
	action := r.PathValue("action")
	target := "/concerns/" + strconv.FormatInt(id, 10)
	switch action {
	case "acknowledge":
		err = s.svc.AcknowledgeConcern(ctx, a, id, r.PostFormValue("message"))
	case "respond":
		in := exportctl.ConcernResponseInput{Findings: r.PostForm["finding"], Action: r.PostFormValue("action"), Grounds: r.PostFormValue("grounds")}
		in.Corrects, _ = strconv.ParseInt(r.PostFormValue("corrects"), 10, 64)
		_, err = s.svc.RespondToConcern(ctx, a, id, in)
	case "conflict":
		err = s.svc.DeclareConcernConflict(ctx, a, id, r.PostFormValue("conflict_reasons"))
		target = "/concerns"
	case "reveal":
		var identity string
		if identity, err = s.svc.RevealConcernIdentity(ctx, a, id, r.PostFormValue("reveal_reasons")); err == nil {
			// Shown on this answer only: the decision is recorded, the identity is not put in a cookie or address.
			s.renderConcern(w, r, a, id, http.StatusOK, nil, identity)
			return
		}
	case "close":
		err = s.svc.CloseConcern(ctx, a, id, r.PostFormValue("close_reasons"))
	case "protection":
		pid, _ := strconv.ParseInt(r.PostFormValue("protection_id"), 10, 64)
		err = s.svc.AnswerProtection(ctx, a, id, pid, r.PostFormValue("protection_text"))
	default:
		s.pageError(w, r, exportctl.NotFound("page", r.URL.Path))
		return
	}
	if err != nil {
		if errs, ok := formErrors(err); ok {
			s.renderConcern(w, r, a, id, http.StatusUnprocessableEntity, remapFields(errs, map[string]string{
				"reasons": action + "_reasons", "text": "protection_text", "findings": "finding-0", "action": "response-action", "grounds": "grounds"}), "")
			return
		}
		if c := exportctl.ErrorCode(err); c == exportctl.EConflict || c == exportctl.EForbidden {
			s.renderConcern(w, r, a, id, problemFor(err).Status, []fieldError{{action, problemFor(err).Detail}}, "")
			return
		}
		s.pageError(w, r, err)
		return
	}
	redirectFlash(w, r, target, concernFlash[action])
}

func (s *Server) concernStatisticsPage(w http.ResponseWriter, r *http.Request) {
	qs, err := s.svc.ConcernStatistics(r.Context(), time.Time{}, time.Time{})
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	key, _ := s.svc.ConcernReceiptKey(r.Context())
	s.renderPublic(w, r, http.StatusOK, "concern_statistics", pageData{Title: "Concerns: published figures",
		Data: map[string]any{"Quarters": qs, "SuppressBelow": exportctl.SuppressBelow, "Key": key}})
}

// concernKeyText serves the receipt verifier key as plain text, to check
// signed receipts offline (exportctl concern verify-receipt --key).
func (s *Server) concernKeyText(w http.ResponseWriter, r *http.Request) {
	key, err := s.svc.ConcernReceiptKey(r.Context())
	if err != nil {
		http.Error(w, problemFor(err).Detail, problemFor(err).Status)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(key + "\n"))
}
