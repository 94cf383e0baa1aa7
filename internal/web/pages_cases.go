package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

// casePageRoutes registers the case, licence and admin pages.
func (s *Server) casePageRoutes() {
	s.handle("GET /applications", s.applicationsPage)
	s.handle("GET /applications/new", s.newApplicationPage)
	s.handle("POST /applications", s.createApplicationSubmit)
	s.handle("GET /applications/{id}", s.applicationPage)
	s.handle("POST /applications/{id}/goods", s.addGoodSubmit)
	s.handle("POST /applications/{id}/goods/{good}/remove", s.removeGoodSubmit)
	s.handle("POST /applications/{id}/parties", s.addPartySubmit)
	s.handle("POST /applications/{id}/parties/{party}/remove", s.removePartySubmit)
	s.handle("POST /applications/{id}/edit", s.editApplicationSubmit)
	s.handle("POST /applications/{id}/transition", s.transitionSubmit)
	s.assessmentPageRoutes()
	s.consistencyPageRoutes()
	s.licencePageRoutes()
	s.adminPageRoutes()
}

// Choices the forms offer, built once from the domain's lists.
var (
	licenceTypeOptions = func() []option {
		var out []option
		for _, c := range exportctl.LicenceTypeCodes {
			out = append(out, option{c, exportctl.LicenceTypes[c], ""})
		}
		return out
	}()
	exportTypeOptions = []option{
		{exportctl.ExportPermanent, "Permanent", "The goods stay abroad"},
		{exportctl.ExportTemporary, "Temporary", "The goods come back to the UK, for example after a trade show or repair"},
		{exportctl.ExportIncorporation, "Incorporation", "The goods are built into other goods and exported again"},
	}
	unitOptions       = codeOptions(exportctl.Units)
	partyRoleOptions  = codeOptions(exportctl.PartyRoles)
	endUserTypeOption = codeOptions(exportctl.EndUserTypes)
	outcomeOptions    = []option{
		{exportctl.OutcomeIssued, "Issue a licence", ""},
		{exportctl.OutcomeRefused, "Refuse", "Cite the criteria and give reasons"},
		{exportctl.OutcomeNLR, "No licence required", "The goods are not controlled"},
	}
	criteriaOptions = func() []option {
		var out []option
		for _, c := range exportctl.MustCriteria(exportctl.DefaultCriteriaSet).Citable() {
			out = append(out, option{c.Code, "Criterion " + c.Code, c.Title})
		}
		return out
	}()
)

func codeOptions(codes []string) []option {
	out := make([]option, 0, len(codes))
	for _, c := range codes {
		out = append(out, option{c, capitalise(exportctl.Humanise(c)), ""})
	}
	return out
}

// statusTab is one status filter of a list, with its count when known.
type statusTab struct {
	Label, Href string
	Count       int
	HasCount    bool
	Active      bool
}

type applicationsView struct {
	Heading     string
	Tabs        []statusTab
	Status      string
	Destination string
	Q           string
	Countries   []struct{ Code, Name string }
	Items       []exportctl.ApplicationSummary
	Total       int
	NextHref    string
	FirstHref   string
	CanCreate   bool
	Exporter    bool
}

func listHref(path string, q url.Values) string {
	if enc := q.Encode(); enc != "" {
		return path + "?" + enc
	}
	return path
}

// pageLinks are a list page's links to its next page (when there is one)
// and back to its first (when this is not it), keeping the filters in q.
func pageLinks(path string, q url.Values, next *string) (nextHref, firstHref string) {
	if next != nil {
		nq := cloneValues(q)
		nq.Set("cursor", *next)
		nextHref = listHref(path, nq)
	}
	if q.Get("cursor") != "" {
		fq := cloneValues(q)
		fq.Del("cursor")
		firstHref = listHref(path, fq)
	}
	return nextHref, firstHref
}

func (s *Server) applicationsPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	v := applicationsView{
		Status: q.Get("status"), Destination: strings.ToUpper(strings.TrimSpace(q.Get("destination"))), Q: strings.TrimSpace(q.Get("q")),
		Countries: exportctl.Countries(), Exporter: a.Role == exportctl.RoleExporter,
		CanCreate: a.Role == exportctl.RoleExporter,
	}
	v.Heading = "Cases"
	if v.Exporter {
		v.Heading = "Your applications"
	}
	var errs []fieldError
	if v.Status != "" && !validStatus(v.Status, exportctl.CaseStatuses) {
		errs = append(errs, fieldError{"status", "Choose a status from the list"})
		v.Status = ""
	}
	counts, err := s.svc.StatusCounts(r.Context(), a)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	// Tabs keep the other filters and start from the first page.
	tab := func(status, label string, count int) statusTab {
		tq := url.Values{}
		if status != "" {
			tq.Set("status", status)
		}
		if v.Destination != "" {
			tq.Set("destination", v.Destination)
		}
		if v.Q != "" {
			tq.Set("q", v.Q)
		}
		return statusTab{Label: label, Href: listHref("/applications", tq), Count: count, HasCount: true, Active: status == v.Status}
	}
	all := 0
	for _, n := range counts {
		all += n
	}
	v.Tabs = append(v.Tabs, tab("", "All", all))
	for _, st := range exportctl.CaseStatuses {
		if st == exportctl.StatusDraft && !v.Exporter && counts[st] == 0 {
			continue // officers never see drafts worked on; hide an empty tab
		}
		v.Tabs = append(v.Tabs, tab(st, capitalise(exportctl.Humanise(st)), counts[st]))
	}
	status := http.StatusOK
	if len(errs) == 0 {
		page, err := s.svc.Applications(r.Context(), a, exportctl.ApplicationFilter{
			Status: v.Status, Destination: v.Destination, Query: v.Q, Limit: 25, Cursor: q.Get("cursor")})
		if fe, ok := formErrors(err); ok {
			errs = fe
		} else if err != nil {
			s.pageError(w, r, err)
			return
		}
		v.Items, v.Total = page.Items, page.Total
		v.NextHref, v.FirstHref = pageLinks("/applications", q, page.Next)
	}
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "applications", pageData{Title: v.Heading, Errors: polishErrors(errs), Data: v})
}

// newApplicationView is the form that starts a draft.
type newApplicationView struct {
	Form         url.Values
	LicenceTypes []option
	ExportTypes  []option
}

// canFile allows exporters to start applications. The service also lets an
// administrator create one for an organisation, but only the owning
// exporter may add its goods and parties, so the pages leave that out.
func canFile(a exportctl.Actor) error {
	if a.Role != exportctl.RoleExporter {
		return exportctl.Forbidden("only exporters start applications, for their own organisation")
	}
	return nil
}

func (s *Server) newApplicationPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	if err := canFile(a); err != nil {
		s.pageError(w, r, err)
		return
	}
	v := newApplicationView{Form: url.Values{}, LicenceTypes: licenceTypeOptions, ExportTypes: exportTypeOptions}
	s.render(w, r, http.StatusOK, "application_new", pageData{Title: "Start a new application", Data: v})
}

func (s *Server) createApplicationSubmit(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	if err := canFile(a); err != nil {
		s.pageError(w, r, err)
		return
	}
	in := exportctl.ApplicationInput{
		LicenceType: r.PostFormValue("licence_type"),
		ExportType:  r.PostFormValue("export_type"),
		EndUse:      r.PostFormValue("end_use"),
	}
	app, err := s.svc.CreateApplication(r.Context(), a, in)
	if fe, ok := formErrors(err); ok {
		v := newApplicationView{Form: r.PostForm, LicenceTypes: licenceTypeOptions, ExportTypes: exportTypeOptions}
		s.render(w, r, http.StatusUnprocessableEntity, "application_new", pageData{Title: "Start a new application", Errors: polishErrors(fe), Data: v})
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	redirectFlash(w, r, caseURL(app.ID), "Draft "+app.Reference+" created: add the goods and parties, then submit it")
}

// caseURL is the case page.
func caseURL(id int64) string { return "/applications/" + strconv.FormatInt(id, 10) }

// caseAction is a workflow button on the case page.
type caseAction struct {
	Action, Label, Hint string
	Note                bool // takes a note
	NoteRequired        bool
	Warning             bool
	Secondary           bool
}

var caseActionInfo = map[string]caseAction{
	exportctl.ActSubmit:      {Label: "Submit application", Hint: "Once submitted, the application cannot be changed unless a case officer returns it to you."},
	exportctl.ActBeginChecks: {Label: "Begin initial checks", Secondary: true},
	exportctl.ActStartReview: {Label: "Start review", Secondary: true},
	exportctl.ActFinalReview: {Label: "Move to final review", Secondary: true},
	exportctl.ActReturn:      {Label: "Return to applicant", Hint: "Say what the exporter must answer or change.", Note: true, NoteRequired: true, Secondary: true},
	exportctl.ActWithdraw:    {Label: "Withdraw application", Hint: "A withdrawn application cannot be reopened.", Note: true, Warning: true},
	exportctl.ActAppeal:      {Label: "Appeal the refusal", Hint: "Give the grounds of the appeal. An appeal must be made within 28 days of the refusal.", Note: true},
}

// caseView is everything the case page shows.
type caseView struct {
	App          *exportctl.Application
	EndUser      *exportctl.Party
	Decisions    []exportctl.Decision
	History      []historyItem
	Editable     bool
	Actions      []caseAction
	CanDecide    bool
	Form         url.Values
	Errors       []fieldError
	LicenceTypes []option
	ExportTypes  []option
	Units        []option
	PartyRoles   []option
	EndUserTypes []option
	Countries    []struct{ Code, Name string }
	Outcomes     []option
	Criteria     []option
	CriteriaSet  string
	Submittable  bool
	Missing      []string
	// Assess is the decision process (advice, assessment, final advice,
	// countersigning, departures): internal roles only, nil for exporters.
	Assess *assessView
	// LicenceTypeTitles names the licence type codes.
	LicenceTypeTitles map[string]string
	// Denials are earlier refusals this application repeats (internal roles).
	Denials          []exportctl.DenialMatch
	CanAnswerDenials bool
	// Clock is the case's working-day service clock.
	Clock *exportctl.ServiceClock
}

// renderCase renders the case page; failed forms pass their errors and
// posted values so the page shows them in place.
func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, a exportctl.Actor, id int64, status int, errs []fieldError, form url.Values) {
	ctx := r.Context()
	if form == nil {
		form = url.Values{}
	}
	var (
		app       *exportctl.Application
		decisions []exportctl.Decision
		history   []historyItem
		assess    *assessView
		denials   []exportctl.DenialMatch
	)
	if a.Role.Internal() {
		// Internal roles see the decision process: the record holds the
		// application, its decisions and history too.
		rec, err := s.svc.DecisionRecord(ctx, a, id)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		app, decisions = rec.Application, rec.Decisions
		history = historyItemsLabelled(rec.History, subjectLabels(rec.CombinedAdvice))
		assess = buildAssessView(a, rec, form, r.URL.Query())
		if denials, err = s.svc.DenialMatches(ctx, a, id); err != nil {
			s.pageError(w, r, err)
			return
		}
	} else {
		var err error
		if app, err = s.svc.Application(ctx, a, id); err != nil {
			s.pageError(w, r, err)
			return
		}
		if decisions, err = s.svc.Decisions(ctx, a, id); err != nil {
			s.pageError(w, r, err)
			return
		}
		events, err := s.svc.History(ctx, a, id)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		history = historyItems(exporterEvents(events))
	}
	v := caseView{
		App: app, EndUser: app.EndUser(), Decisions: decisions, History: history, Form: form, Errors: errs, Assess: assess,
		LicenceTypes: licenceTypeOptions, ExportTypes: exportTypeOptions, Units: unitOptions, PartyRoles: partyRoleOptions,
		EndUserTypes: endUserTypeOption, Countries: exportctl.Countries(), Outcomes: outcomeOptions, Criteria: criteriaOptions,
		CriteriaSet: exportctl.DefaultCriteriaSet, LicenceTypeTitles: exportctl.LicenceTypes,
		Denials: denials, CanAnswerDenials: a.Is(exportctl.RoleCaseOfficer, exportctl.RoleSeniorOfficial, exportctl.RoleDecisionMaker),
	}
	if app.SubmittedAt != nil {
		clock, err := s.svc.Clock(ctx, a, id)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		v.Clock = clock
	}
	v.Editable = a.Role == exportctl.RoleExporter && (app.Status == exportctl.StatusDraft || app.Status == exportctl.StatusApplicantEditing)
	for _, act := range exportctl.Actions(exportctl.CaseMachine, app.Status, a.Role) {
		switch act {
		case exportctl.ActDecide:
			v.CanDecide = true
			continue
		case exportctl.ActSubmitFinalAdvice, exportctl.ActCountersigned, exportctl.ActCountersignReject:
			continue // the final advice and countersigning forms move the case
		}
		if act == exportctl.ActAppeal && app.Outcome != exportctl.OutcomeRefused {
			continue // only a refusal can be appealed
		}
		info, ok := caseActionInfo[act]
		if !ok {
			info = caseAction{Label: capitalise(exportctl.Humanise(act)), Secondary: true}
		}
		info.Action = act
		v.Actions = append(v.Actions, info)
	}
	if v.Editable {
		if err := app.CheckSubmittable(); err != nil {
			if fe, ok := formErrors(err); ok {
				for _, e := range fe {
					v.Missing = append(v.Missing, e.Message)
				}
			}
		} else {
			v.Submittable = true
		}
	}
	v.Errors = polishErrors(errs)
	s.render(w, r, status, "application", pageData{Title: app.Reference, Errors: v.Errors, Data: v})
}

func (s *Server) applicationPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderCase(w, r, a, id, http.StatusOK, nil, nil)
}

// caseCommand runs a POST on the case page: on success it redirects back
// with the flash message; invalid input and state conflicts re-render the
// page with the errors (fields renamed to the page's input ids); anything
// else is an error page.
func (s *Server) caseCommand(w http.ResponseWriter, r *http.Request, ids map[string]string, run func(a exportctl.Actor, id int64) (flash string, errs []fieldError, err error)) {
	a, ok := requireUserThen(w, r, "/applications/"+r.PathValue("id"))
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
	flash, errs, err := run(a, id)
	if len(errs) > 0 {
		s.renderCase(w, r, a, id, http.StatusUnprocessableEntity, remapFields(errs, ids), r.PostForm)
		return
	}
	if fe, ok := formErrors(err); ok {
		s.renderCase(w, r, a, id, http.StatusUnprocessableEntity, remapFields(fe, ids), r.PostForm)
		return
	}
	if exportctl.ErrorCode(err) == exportctl.EConflict {
		// The case moved on since the page was loaded, or is not ready for
		// the command: show it as it is now, keeping what was typed.
		s.renderCase(w, r, a, id, http.StatusConflict, []fieldError{{"", capitalise(errorMessage(err))}}, r.PostForm)
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	redirectFlash(w, r, caseURL(id), flash)
}

// errorMessage is the human part of a domain error, without the
// operation or field prefix.
func errorMessage(err error) string {
	var de *exportctl.Error
	if errors.As(err, &de) && de.Message != "" {
		return de.Message
	}
	return err.Error()
}

func (s *Server) addGoodSubmit(w http.ResponseWriter, r *http.Request) {
	s.caseCommand(w, r, nil, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		in := exportctl.GoodInput{
			Description: r.PostFormValue("description"),
			Rating:      r.PostFormValue("rating"),
			Unit:        r.PostFormValue("unit"),
			ComponentOf: r.PostFormValue("component_of"),
		}
		// Numbers that do not parse are reported on their own field, with
		// the domain's checks of everything else.
		var parseErrs []fieldError
		if q := strings.TrimSpace(r.PostFormValue("quantity")); q != "" {
			n, ok := parseAmount(q)
			if !ok {
				parseErrs = append(parseErrs, fieldError{"quantity", "Enter the quantity as a number, like 40 or 2.5"})
			}
			in.Quantity = n
		}
		if v := strings.TrimSpace(r.PostFormValue("value_gbp")); v != "" {
			n, ok := parseAmount(v)
			if ok {
				in.ValueGBP = &n
			} else {
				parseErrs = append(parseErrs, fieldError{"value_gbp", "Enter the value in pounds as a number, like 185000 or 1250.50"})
			}
		}
		if len(parseErrs) > 0 {
			errs := parseErrs
			check := in
			if check.ValueGBP == nil {
				zero := 0.0
				check.ValueGBP = &zero // reported above already
			}
			if fe, ok := formErrors(check.Validate()); ok {
				for _, e := range fe {
					if errorFor(errs, e.Field) == "" {
						errs = append(errs, e)
					}
				}
			}
			return "", errs, nil
		}
		g, err := s.svc.AddGood(r.Context(), a, id, in)
		if err != nil {
			return "", nil, err
		}
		return "Added " + g.Description + " (" + g.Rating + ")", nil, nil
	})
}

func (s *Server) removeGoodSubmit(w http.ResponseWriter, r *http.Request) {
	s.caseCommand(w, r, nil, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		good, err := pathID(r, "good")
		if err != nil {
			return "", nil, err
		}
		if err := s.svc.RemoveGood(r.Context(), a, id, good); err != nil {
			return "", nil, err
		}
		return "Goods removed", nil, nil
	})
}

func (s *Server) addPartySubmit(w http.ResponseWriter, r *http.Request) {
	s.caseCommand(w, r, nil, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		in := exportctl.PartyInput{
			Role:    r.PostFormValue("role"),
			Name:    r.PostFormValue("name"),
			Address: r.PostFormValue("address"),
			Country: r.PostFormValue("country"),
			Type:    r.PostFormValue("type"),
		}
		p, err := s.svc.AddParty(r.Context(), a, id, in)
		if err != nil {
			return "", nil, err
		}
		return "Added " + exportctl.Humanise(p.Role) + " " + p.Name, nil, nil
	})
}

func (s *Server) removePartySubmit(w http.ResponseWriter, r *http.Request) {
	s.caseCommand(w, r, nil, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		party, err := pathID(r, "party")
		if err != nil {
			return "", nil, err
		}
		if err := s.svc.RemoveParty(r.Context(), a, id, party); err != nil {
			return "", nil, err
		}
		return "Party removed", nil, nil
	})
}

func (s *Server) editApplicationSubmit(w http.ResponseWriter, r *http.Request) {
	s.caseCommand(w, r, nil, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		in := exportctl.ApplicationInput{
			LicenceType: r.PostFormValue("licence_type"),
			ExportType:  r.PostFormValue("export_type"),
			EndUse:      r.PostFormValue("end_use"),
		}
		if _, err := s.svc.EditApplication(r.Context(), a, id, in); err != nil {
			return "", nil, err
		}
		return "Terms of the application saved", nil, nil
	})
}

func (s *Server) transitionSubmit(w http.ResponseWriter, r *http.Request) {
	action := r.PostFormValue("action")
	// A note belongs to the form of its action; "goods", "parties" and
	// "end_use" (what a submission lacks) link to those sections.
	ids := map[string]string{"note": "note-" + action, "action": "actions"}
	s.caseCommand(w, r, ids, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		if _, known := caseActionInfo[action]; !known {
			return "", []fieldError{{"action", "Choose one of the actions on the page"}}, nil
		}
		app, err := s.svc.Transition(r.Context(), a, id, action, r.PostFormValue("note"))
		if err != nil {
			return "", nil, err
		}
		return eventTitle("application."+action) + ": the case is now " + exportctl.Humanise(app.Status), nil, nil
	})
}
