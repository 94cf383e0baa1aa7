package web

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

func (s *Server) exposurePageRoutes() {
	s.handle("GET /exposure", s.exposurePage)
}

// exposurePageLimit is how many links the page lists; the downloads and
// the API give more.
const exposurePageLimit = 500

// exposureForm is the page's query as typed.
type exposureForm struct {
	Destination, EndUser, Licence, Incident, Since, Until string
}

func (f exposureForm) asked() bool {
	return f.Destination != "" || f.EndUser != "" || f.Licence != "" || f.Incident != "" || f.Since != "" || f.Until != ""
}

// exposureParams are the API's parameters for the form's query.
func (f exposureForm) params() url.Values {
	v := url.Values{}
	for k, val := range map[string]string{"destination": f.Destination, "end_user": f.EndUser, "licence_reference": f.Licence,
		"incident_id": f.Incident, "since": f.Since, "until": f.Until} {
		if val != "" {
			v.Set(k, val)
		}
	}
	return v
}

type exposureLinkRow struct {
	exportctl.ExposureLink
	TargetLabel string
	LaunchLabel string
}

type exposureView struct {
	Form        exposureForm
	Countries   []struct{ Code, Name string }
	Result      *exportctl.ExposureResult
	Rows        []exposureLinkRow
	Limited     bool
	TotalText   string
	CSVHref     string
	JSONHref    string
	Map         incidentMap
	MapWithheld int
	Timeline    incidentTimeline
	Aggregates  []exposureAggregate
	// The licences with links, most direct, then platform, then
	// contextual links first, at most exposurePageLimit of them.
	Licences        []exportctl.ExposureLicence
	LicencesLimited bool
	Unlinked        int // licences in the question without a link
}

type exposureAggregate struct {
	ID, Title, KeyHeader string
	Rows                 []exportctl.ExposureCount
	Labels               map[string]string
	HasLicences          bool
}

// The form's fields as the store names them.
var exposureFields = map[string]string{"destination": "destination", "end_user": "end-user", "licence_reference": "licence",
	"licence_id": "licence", "incident_id": "incident", "since": "since", "until": "until", "limit": "destination"}

func (s *Server) exposurePage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	if !a.Is(exportctl.ExposureReaders...) {
		s.pageError(w, r, exportctl.Forbidden("exposure analysis is for government staff"))
		return
	}
	q := r.URL.Query()
	v := exposureView{Countries: exportctl.Countries(), Form: exposureForm{
		Destination: strings.ToUpper(strings.TrimSpace(q.Get("destination"))), EndUser: strings.TrimSpace(q.Get("end_user")),
		Licence: strings.TrimSpace(q.Get("licence")), Incident: strings.TrimSpace(q.Get("incident")),
		Since: strings.TrimSpace(q.Get("since")), Until: strings.TrimSpace(q.Get("until"))}}
	render := func(status int, errs []fieldError) {
		s.render(w, r, status, "exposure", pageData{Title: "Exposure", Errors: errs, Data: v})
	}
	if !v.Form.asked() {
		render(http.StatusOK, nil)
		return
	}
	eq := exportctl.ExposureQuery{Destination: v.Form.Destination, EndUser: v.Form.EndUser, LicenceRef: v.Form.Licence,
		Since: v.Form.Since, Until: v.Form.Until, Limit: exposurePageLimit}
	if v.Form.Incident != "" {
		id, err := strconv.ParseInt(strings.TrimPrefix(v.Form.Incident, "#"), 10, 64)
		if err != nil || id <= 0 {
			render(http.StatusUnprocessableEntity, []fieldError{{"incident", "Enter the incident's number, like 1234"}})
			return
		}
		eq.IncidentID = id
	}
	res, err := s.svc.Exposure(r.Context(), a, eq)
	if errs, ok := formErrors(err); ok {
		for i := range errs {
			errs[i].Field = cmp.Or(exposureFields[errs[i].Field], errs[i].Field)
		}
		render(http.StatusUnprocessableEntity, errs)
		return
	}
	if exportctl.ErrorCode(err) == exportctl.ENotFound {
		fe := fieldError{"incident", "There is no incident number " + v.Form.Incident}
		if exportctl.ErrorField(err) == "licence_reference" {
			fe = fieldError{"licence", "There is no licence with the reference " + v.Form.Licence}
		}
		render(http.StatusUnprocessableEntity, []fieldError{fe})
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Result = res
	v.TotalText = groupThousands(float64(res.Total))
	v.Limited = res.Total > len(res.Links)
	params := v.Form.params()
	params.Set("format", "csv")
	params.Set("limit", strconv.Itoa(exportctl.ExposureMaxLimit))
	v.CSVHref = "/api/v1/exposure?" + params.Encode()
	params.Set("format", "json")
	v.JSONHref = "/api/v1/exposure?" + params.Encode()

	for _, l := range res.Licences {
		if l.Links() == 0 {
			v.Unlinked++
			continue
		}
		v.Licences = append(v.Licences, l)
	}
	slices.SortStableFunc(v.Licences, func(x, y exportctl.ExposureLicence) int {
		return cmp.Or(cmp.Compare(y.Direct, x.Direct), cmp.Compare(y.Platform, x.Platform), cmp.Compare(y.Contextual, x.Contextual))
	})
	if len(v.Licences) > exposurePageLimit {
		v.Licences, v.LicencesLimited = v.Licences[:exposurePageLimit], true
	}
	v.Map = incidentMap{Points: []mapPoint{}, Categories: []category{}, Countries: countriesTopoJSON}
	seenIncident, seenTarget := map[int64]bool{}, map[string]bool{}
	for _, l := range res.Links {
		v.Rows = append(v.Rows, exposureLinkRow{ExposureLink: l, TargetLabel: targetLabel(l.Target), LaunchLabel: launchLabel(l.Launch)})
		if seenIncident[l.IncidentID] {
			continue
		}
		seenIncident[l.IncidentID] = true
		if l.Latitude == nil || l.Longitude == nil {
			v.MapWithheld++
			continue
		}
		place := strings.Join(nonEmpty(l.Place, l.Admin1, exportctl.CountryName(l.Country)), ", ")
		v.Map.Points = append(v.Map.Points, mapPoint{ID: l.IncidentID, Lat: *l.Latitude, Lon: *l.Longitude, Date: dayText(l.IncidentDate),
			Place: place, Target: l.Target, Perpetrator: l.Actor, Href: incidentURL(l.IncidentID)})
		seenTarget[l.Target] = true
	}
	for _, t := range exportctl.TargetCategories {
		if seenTarget[t] {
			v.Map.Categories = append(v.Map.Categories, category{t, targetLabel(t), colourOf(targetColours, t)})
		}
	}
	v.Timeline = incidentTimeline{Months: []string{}, Series: []timelineSeries{}, By: "exposure"}
	series := timelineSeries{category: category{"linked", "Linked incidents", "#1d70b8"}}
	for _, c := range res.Aggregates.ByMonth {
		v.Timeline.Months = append(v.Timeline.Months, c.Key)
		series.Counts = append(series.Counts, c.Incidents)
		series.Total += c.Incidents
	}
	if len(series.Counts) > 0 {
		v.Timeline.Series = append(v.Timeline.Series, series)
	}
	targets := map[string]string{}
	for _, t := range exportctl.TargetCategories {
		targets[t] = targetLabel(t)
	}
	ag := res.Aggregates
	v.Aggregates = []exposureAggregate{
		{"by-rating", "By rating", "Rating", ag.ByRating, nil, true},
		{"by-item", "By item", "Platform or item", ag.ByItem, nil, true},
		{"by-end-user", "By end user", "End user", ag.ByEndUser, nil, true},
		{"by-target", "By target", "Target", ag.ByTarget, targets, false},
		{"by-classification", "By legal classification", "Rome Statute article 8", ag.ByClassification, nil, false},
		{"by-month", "By month", "Month", ag.ByMonth, nil, false},
	}
	render(http.StatusOK, nil)
}
