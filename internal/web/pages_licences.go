package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

func (s *Server) licencePageRoutes() {
	s.handle("GET /licences", s.licencesPage)
	s.handle("GET /licences/{id}", s.licencePage)
	s.handle("POST /licences/{id}/action", s.licenceActionSubmit)
}

type licencesView struct {
	Tabs        []statusTab
	Status      string
	Destination string
	Countries   []struct{ Code, Name string }
	Items       []exportctl.Licence
	Total       int
	NextHref    string
	FirstHref   string
}

func (s *Server) licencesPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	q := r.URL.Query()
	v := licencesView{Status: q.Get("status"), Destination: strings.ToUpper(strings.TrimSpace(q.Get("destination"))), Countries: exportctl.Countries()}
	var errs []fieldError
	if v.Status != "" && !validStatus(v.Status, exportctl.LicenceStatuses) {
		errs = append(errs, fieldError{"status", "Choose a status from the list"})
		v.Status = ""
	}
	tab := func(status, label string) statusTab {
		tq := url.Values{}
		if status != "" {
			tq.Set("status", status)
		}
		if v.Destination != "" {
			tq.Set("destination", v.Destination)
		}
		return statusTab{Label: label, Href: listHref("/licences", tq), Active: status == v.Status}
	}
	v.Tabs = append(v.Tabs, tab("", "All"))
	for _, st := range exportctl.LicenceStatuses {
		v.Tabs = append(v.Tabs, tab(st, capitalise(exportctl.Humanise(st))))
	}
	if len(errs) == 0 {
		page, err := s.svc.Licences(r.Context(), a, exportctl.LicenceFilter{Status: v.Status, Destination: v.Destination, Limit: 25, Cursor: q.Get("cursor")})
		if fe, ok := formErrors(err); ok {
			errs = fe
		} else if err != nil {
			s.pageError(w, r, err)
			return
		}
		v.Items, v.Total = page.Items, page.Total
		v.NextHref, v.FirstHref = pageLinks("/licences", q, page.Next)
	}
	status := http.StatusOK
	if len(errs) > 0 {
		status = http.StatusUnprocessableEntity
	}
	s.render(w, r, status, "licences", pageData{Title: "Licences", Errors: polishErrors(errs), Data: v})
}

// licenceAction is a form on the licence page.
type licenceAction struct {
	Action, Label, Hint string
	Warning             bool
}

var licenceActionInfo = map[string]licenceAction{
	exportctl.ActSuspend:   {Label: "Suspend licence", Hint: "Exports under the licence stop until it is reinstated."},
	exportctl.ActReinstate: {Label: "Reinstate licence", Hint: "The licence authorises exports again."},
	exportctl.ActRevoke:    {Label: "Revoke licence", Hint: "Revocation is final.", Warning: true},
	exportctl.ActSurrender: {Label: "Surrender licence", Hint: "Give the licence up: it cannot be used again.", Warning: true},
}

type licenceView struct {
	Licence *exportctl.Licence
	History []historyItem
	Actions []licenceAction
	Form    url.Values
	Errors  []fieldError
	// LicenceTypeTitles names the licence type codes.
	LicenceTypeTitles map[string]string
}

func (s *Server) renderLicence(w http.ResponseWriter, r *http.Request, a exportctl.Actor, id int64, status int, errs []fieldError, form url.Values) {
	l, err := s.svc.Licence(r.Context(), a, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	events, err := s.svc.LicenceHistory(r.Context(), a, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if form == nil {
		form = url.Values{}
	}
	v := licenceView{Licence: l, History: historyItems(events), Form: form, Errors: errs, LicenceTypeTitles: exportctl.LicenceTypes}
	for _, act := range exportctl.Actions(exportctl.LicenceMachine, l.Status, a.Role) {
		info, ok := licenceActionInfo[act]
		if !ok {
			continue // expire and exhaust happen by themselves
		}
		info.Action = act
		v.Actions = append(v.Actions, info)
	}
	v.Errors = polishErrors(errs)
	s.render(w, r, status, "licence", pageData{Title: "Licence " + l.Reference, Errors: v.Errors, Data: v})
}

func (s *Server) licencePage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderLicence(w, r, a, id, http.StatusOK, nil, nil)
}

func (s *Server) licenceActionSubmit(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUserThen(w, r, "/licences/"+r.PathValue("id"))
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
	action := r.PostFormValue("action")
	if _, known := licenceActionInfo[action]; !known {
		s.renderLicence(w, r, a, id, http.StatusUnprocessableEntity, []fieldError{{"actions", "Choose one of the actions on the page"}}, r.PostForm)
		return
	}
	l, err := s.svc.ChangeLicence(r.Context(), a, id, action, exportctl.LicenceActionInput{Reasons: r.PostFormValue("reasons")})
	if fe, ok := formErrors(err); ok {
		s.renderLicence(w, r, a, id, http.StatusUnprocessableEntity, remapFields(fe, map[string]string{"reasons": "reasons-" + action}), r.PostForm)
		return
	}
	if exportctl.ErrorCode(err) == exportctl.EConflict {
		s.renderLicence(w, r, a, id, http.StatusConflict, []fieldError{{"", capitalise(errorMessage(err))}}, nil)
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	flash := eventTitle("licence."+action) + ": the licence is now " + exportctl.Humanise(l.Status)
	redirectFlash(w, r, "/licences/"+strconv.FormatInt(id, 10), flash)
}
