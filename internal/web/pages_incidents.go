package web

import (
	"cmp"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

// The evidence register's pages: the list of incidents with its filters
// and three views (table, map, timeline), an incident's page with the
// analysts' forms, and the form that records an incident by hand. Every
// internal role reads; analysts write; exporters get the 403 page (the
// store decides). The store returns redacted incidents already: nothing
// here adds a place or coordinates back, and the map leaves redacted
// incidents off, saying how many.

// incidentPageRoutes registers the evidence register's pages.
func (s *Server) incidentPageRoutes() {
	s.handle("GET /incidents", s.incidentsPage)
	s.handle("GET /incidents/new", s.newIncidentPage)
	s.handle("POST /incidents", s.createIncidentSubmit)
	s.handle("GET /incidents/{id}", s.incidentPage)
	s.handle("POST /incidents/{id}/verification", s.addVerificationSubmit)
	s.handle("POST /incidents/{id}/sources", s.addEvidenceSourceSubmit)
	s.handle("POST /incidents/{id}/sources/{source}/custody", s.addCustodySubmit)
	s.handle("POST /incidents/{id}/classifications", s.classifySubmit)
	s.handle("POST /incidents/{id}/publishable", s.publishableSubmit)
}

const (
	incidentsPerPage = 50
	// mapLimit is how many incidents the map and the timeline read (in
	// pages of incidentFetchPage, the most the store returns at once).
	mapLimit          = 2000
	incidentFetchPage = 500
	// timelineMonthsMax bounds the per-month counts of a timeline over
	// more than mapLimit incidents (one query a month).
	timelineMonthsMax = 120
)

// Labels of the register's vocabularies.
var (
	targetLabels = map[string]string{
		exportctl.TargetHospital: "Hospital", exportctl.TargetAmbulance: "Ambulance or medical transport",
		exportctl.TargetHealthWorker: "Health worker", exportctl.TargetSchool: "School or university",
		exportctl.TargetAid: "Aid convoy, warehouse or worker", exportctl.TargetWorship: "Place of worship",
		exportctl.TargetHome: "Home", exportctl.TargetShelter: "Shelter or camp",
		exportctl.TargetInfrastructure: "Water, food or power system", exportctl.TargetJournalist: "Journalist",
		exportctl.TargetCivilianOther: "Other civilian object", exportctl.TargetMilitary: "Military",
		exportctl.TargetUnknown: "Unknown",
	}
	// targetColours draw the map's markers and the timeline's bars
	// (GOV.UK Frontend palette; unknown in dark grey, readable on the
	// light grey countries).
	targetColours = map[string]string{
		exportctl.TargetHospital: "#d4351c", exportctl.TargetAmbulance: "#f47738", exportctl.TargetHealthWorker: "#912b88",
		exportctl.TargetSchool: "#1d70b8", exportctl.TargetAid: "#00703c", exportctl.TargetWorship: "#4c2c92",
		exportctl.TargetHome: "#b58840", exportctl.TargetShelter: "#28a197", exportctl.TargetInfrastructure: "#5694ca",
		exportctl.TargetJournalist: "#d53880", exportctl.TargetCivilianOther: "#85994b", exportctl.TargetMilitary: "#0b0c0c",
		exportctl.TargetUnknown: "#626a6e",
	}
	launchLabels = map[string]string{
		exportctl.LaunchAirPlane: "Air-launched: plane", exportctl.LaunchAirDrone: "Air-launched: drone",
		exportctl.LaunchAirHelicopter: "Air-launched: helicopter", exportctl.LaunchAirUnknown: "Air-launched: unknown aircraft",
		exportctl.LaunchGround: "Ground-launched", exportctl.LaunchSea: "Sea-launched", exportctl.LaunchUnknown: "Unknown launch",
		"": "No weapon recorded",
	}
	launchColours = map[string]string{
		exportctl.LaunchAirPlane: "#1d70b8", exportctl.LaunchAirDrone: "#912b88", exportctl.LaunchAirHelicopter: "#5694ca",
		exportctl.LaunchAirUnknown: "#003078", exportctl.LaunchGround: "#b58840", exportctl.LaunchSea: "#28a197",
		exportctl.LaunchUnknown: "#626a6e", "": "#b1b4b6",
	}
	datePrecisionLabels = map[int]string{exportctl.PrecisionDay: "exact day", exportctl.PrecisionWeek: "within the week",
		exportctl.PrecisionMonth: "month or wider"}
	// actorTypeLabels are ACLED's actor types (inter codes).
	actorTypeLabels = []string{"Unknown", "State forces", "Rebel group", "Political militia", "Identity militia",
		"Rioters", "Protesters", "Civilians", "External or other forces"}
	// acledEventTypes suggest ACLED's event and sub-event types
	// (data/acled/acled_event_categories.csv) in the form; any text is accepted.
	acledEventTypes    = []string{"Battles", "Explosions/Remote violence", "Protests", "Riots", "Strategic developments", "Violence against civilians"}
	acledSubEventTypes = []string{"Armed clash", "Government regains territory", "Non-state actor overtakes territory",
		"Chemical weapon", "Air/drone strike", "Suicide bomb", "Shelling/artillery/missile attack", "Remote explosive/landmine/IED",
		"Grenade", "Peaceful protest", "Protest with intervention", "Excessive force against protesters", "Violent demonstration",
		"Mob violence", "Agreement", "Arrests", "Change to group/activity", "Disrupted weapons use", "Headquarters or base established",
		"Looting/property destruction", "Non-violent transfer of territory", "Other", "Sexual violence", "Attack",
		"Abduction/forced disappearance"}
)

func targetLabel(t string) string                   { return cmp.Or(targetLabels[t], capitalise(exportctl.Humanise(t))) }
func launchLabel(l string) string                   { return cmp.Or(launchLabels[l], capitalise(exportctl.Humanise(l))) }
func colourOf(m map[string]string, k string) string { return cmp.Or(m[k], "#626a6e") }

func geoPrecisionLabel(p int) string {
	switch p {
	case 0:
		return "Unknown"
	case 1:
		return "Exact place (1)"
	case 2:
		return "Near the place (2)"
	case 3:
		return "Region (3)"
	}
	return "Coarser than a region (" + strconv.Itoa(p) + ")"
}

func actorTypeLabel(t int) string {
	if t >= 0 && t < len(actorTypeLabels) {
		return actorTypeLabels[t]
	}
	return strconv.Itoa(t)
}

// dayText writes a YYYY-MM-DD date for people ("12 Mar 2024").
func dayText(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("2 Jan 2006")
}

// incidentDate writes an incident's dates: "12 Mar 2024" or "12 Mar 2024
// to 14 Mar 2024".
func incidentDate(inc *exportctl.Incident) string {
	s := dayText(inc.StartDate)
	if inc.EndDate != "" && inc.EndDate != inc.StartDate {
		s += " to " + dayText(inc.EndDate)
	}
	return s
}

func precisionLabel(p int) string {
	return cmp.Or(datePrecisionLabels[p], "precision "+strconv.Itoa(p))
}

// Choices of the forms.
var (
	targetOptions = func() []option {
		out := make([]option, 0, len(exportctl.TargetCategories))
		for _, t := range exportctl.TargetCategories {
			out = append(out, option{t, targetLabel(t), ""})
		}
		return out
	}()
	launchOptions = func() []option {
		out := make([]option, 0, len(exportctl.LaunchTypes))
		for _, l := range exportctl.LaunchTypes {
			out = append(out, option{l, launchLabel(l), ""})
		}
		return out
	}()
	verificationOptions  = codeOptions(exportctl.VerificationStates)
	damageOptions        = codeOptions(exportctl.DamageLevels)
	aidAccessOptions     = codeOptions(exportctl.AidAccessOutcomes)
	weaponBasisOptions   = codeOptions(exportctl.WeaponBases)
	stepOptions          = []option{{exportctl.StepSource, "Source", "Who published it, and can they be trusted"}, {exportctl.StepTechnical, "Technical", "Metadata, geolocation, chronolocation"}, {exportctl.StepContent, "Content", "Does the content agree with other evidence"}}
	custodyOptions       = codeOptions(exportctl.CustodyActions)
	classStatusOptions   = codeOptions(exportctl.ClassificationStatuses)
	datePrecisionOptions = []option{{"1", "Exact day", ""}, {"2", "Within the week", ""}, {"3", "Within the month or wider", ""}}
	geoPrecisionOptions  = []option{{"0", "Unknown", ""}, {"1", "Exact place", ""}, {"2", "Near the place", ""}, {"3", "Region", ""}}
	actorTypeOptions     = func() []option {
		out := make([]option, 0, len(actorTypeLabels))
		for i, l := range actorTypeLabels {
			out = append(out, option{strconv.Itoa(i), strconv.Itoa(i) + ": " + l, ""})
		}
		return out
	}()
	// provisionOptions are the codes of reference/rome-statute-art8.csv.
	provisionOptions = func() []option {
		var out []option
		for _, p := range exportctl.LegalProvisions() {
			out = append(out, option{p.Code, p.Code + " (" + p.Conflict + "): " + p.Conduct, p.TypicalIncidents})
		}
		return out
	}()
	// provisionGroups are the sub-paragraphs a filter may name as a
	// prefix ("8(2)(b)": any of its provisions).
	provisionGroups = func() []option {
		var out []option
		for _, p := range exportctl.LegalProvisions() {
			i := strings.Index(p.Code[len("8(2)"):], ")")
			if !strings.HasPrefix(p.Code, "8(2)(") || i < 0 {
				continue
			}
			prefix := p.Code[:len("8(2)")+i+1]
			if !slices.ContainsFunc(out, func(o option) bool { return o.Value == prefix }) {
				out = append(out, option{prefix, "Any of " + prefix + " (" + p.Conflict + ")", ""})
			}
		}
		return out
	}()
)

// incidentQuery is the filter form as typed.
type incidentQuery struct {
	Country, Admin1, From, To                             string
	West, South, East, North, NearLat, NearLon, NearKM    string
	Actor, Launch, Weapon, Target, Classification         string
	Verification, Q, Source, SourceID, Publishable, Stack string
}

func readIncidentQuery(q url.Values) incidentQuery {
	g := func(k string) string { return strings.TrimSpace(q.Get(k)) }
	return incidentQuery{
		Country: strings.ToUpper(g("country")), Admin1: g("admin1"), From: g("from"), To: g("to"),
		West: g("west"), South: g("south"), East: g("east"), North: g("north"),
		NearLat: g("near_lat"), NearLon: g("near_lon"), NearKM: g("near_km"),
		Actor: g("actor"), Launch: g("launch"), Weapon: g("weapon"), Target: g("target"), Classification: g("classification"),
		Verification: g("verification"), Q: g("q"), Source: g("source"), SourceID: g("source_id"), Publishable: g("publishable"),
		Stack: g("stack"),
	}
}

// Filtered reports whether any filter is set.
func (q incidentQuery) Filtered() bool {
	return q.Country != "" || q.Admin1 != "" || q.From != "" || q.To != "" || q.West != "" || q.South != "" || q.East != "" ||
		q.North != "" || q.NearLat != "" || q.NearLon != "" || q.NearKM != "" || q.Actor != "" || q.Launch != "" || q.Weapon != "" ||
		q.Target != "" || q.Classification != "" || q.Verification != "" || q.Q != "" || q.Source != "" || q.SourceID != "" ||
		q.Publishable != ""
}

// BoxOrNear reports whether a place filter (box or radius) is set: such
// filters never match a redacted incident.
func (q incidentQuery) BoxOrNear() bool {
	return q.West != "" || q.South != "" || q.East != "" || q.North != "" || q.NearLat != "" || q.NearLon != "" || q.NearKM != ""
}

// numberInputs reads a group of numbers that go together (a box, a
// radius): all or none. Each that does not parse is an error on its own
// input; a partial group is an error on the group (its first input's id).
func numberInputs(group, what string, inputs []struct{ id, value, label string }) ([]float64, []fieldError) {
	var errs []fieldError
	set := 0
	out := make([]float64, len(inputs))
	for i, in := range inputs {
		if in.value == "" {
			continue
		}
		set++
		v, err := strconv.ParseFloat(strings.ReplaceAll(in.value, ",", "."), 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
			errs = append(errs, fieldError{in.id, "Enter the " + in.label + " as a number"})
			continue
		}
		out[i] = v
	}
	if set == 0 {
		return nil, nil
	}
	if set < len(inputs) && len(errs) == 0 {
		errs = append(errs, fieldError{group, "Enter " + what + ", or none"})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// filter turns the form into an IncidentFilter, with the form's errors
// (named by the inputs' ids).
func (q incidentQuery) filter() (exportctl.IncidentFilter, []fieldError) {
	f := exportctl.IncidentFilter{
		Country: q.Country, Admin1: q.Admin1, From: q.From, To: q.To, Actor: q.Actor, Launch: q.Launch, Weapon: q.Weapon,
		Target: q.Target, Classification: q.Classification, Verification: q.Verification, Text: q.Q, Source: q.Source, SourceID: q.SourceID,
	}
	var errs []fieldError
	box, e := numberInputs("bbox", "all four edges of the box", []struct{ id, value, label string }{
		{"bbox", q.West, "west edge (a longitude)"}, {"bbox-south", q.South, "south edge (a latitude)"},
		{"bbox-east", q.East, "east edge (a longitude)"}, {"bbox-north", q.North, "north edge (a latitude)"}})
	errs = append(errs, e...)
	if box != nil {
		f.BBox = &[4]float64{box[0], box[1], box[2], box[3]}
	}
	near, e := numberInputs("near", "the latitude, the longitude and the distance", []struct{ id, value, label string }{
		{"near", q.NearLat, "latitude"}, {"near-lon", q.NearLon, "longitude"}, {"near-km", q.NearKM, "distance in kilometres"}})
	errs = append(errs, e...)
	if near != nil {
		f.Near = &exportctl.Near{Lat: near[0], Lon: near[1], KM: near[2]}
	}
	switch q.Publishable {
	case "":
	case "yes", "no":
		p := q.Publishable == "yes"
		f.Publishable = &p
	default:
		errs = append(errs, fieldError{"publishable", "Choose whether the incidents are publishable from the list"})
	}
	if q.Stack != "" && q.Stack != "target" && q.Stack != "launch" {
		errs = append(errs, fieldError{"stack", "Stack the timeline by target or by launch type"})
	}
	if fe, ok := formErrors(f.Validate()); ok {
		for i, err := range fe {
			// The domain's messages for these name the API's syntax.
			switch err.Field {
			case "to":
				if strings.HasPrefix(err.Message, "is before") {
					fe[i].Message = "The end of the date range is before its start"
				}
			case "bbox":
				fe[i].Message = "The box's edges must be longitudes from -180 to 180 and latitudes from -90 to 90, west before east and south before north"
			case "near":
				fe[i].Message = "The point must have a latitude from -90 to 90 and a longitude from -180 to 180, and the distance must be more than 0 and at most 20,000 km"
			}
		}
		for _, err := range polishIncidentErrors(fe, filterLabels) {
			if errorFor(errs, err.Field) == "" { // a number that did not parse says more
				errs = append(errs, err)
			}
		}
	}
	return f, errs
}

// filterLabels name the filter's fields in error messages.
var filterLabels = map[string]string{"from": "The start of the date range", "to": "The end of the date range",
	"bbox": "The box", "near": "The radius", "country": "The country", "q": "The search text", "admin1": "The admin area",
	"source_id": "The source id"}

// polishIncidentErrors makes domain messages sentences: one that starts
// with "must" or "is" gets its field's label in front.
func polishIncidentErrors(errs []fieldError, labels map[string]string) []fieldError {
	out := make([]fieldError, len(errs))
	for i, e := range errs {
		label := labels[e.Field]
		if label == "" {
			name := e.Field
			if j := strings.LastIndexAny(name, ".]"); j >= 0 {
				name = name[j+1:]
			}
			label = "The " + exportctl.Humanise(strings.TrimPrefix(name, "."))
		}
		if strings.HasPrefix(e.Message, "must ") || strings.HasPrefix(e.Message, "is ") || strings.HasPrefix(e.Message, "cannot be ") {
			e.Message = label + " " + e.Message
		}
		e.Message = capitalise(e.Message)
		out[i] = e
	}
	return out
}

// incidentRow is an incident as the table shows it.
type incidentRow struct {
	exportctl.Incident
	Date, Precision, TargetLabel, Launch, Perpetrator string
}

func newIncidentRow(inc exportctl.Incident) incidentRow {
	names, forces := inc.Perpetrators()
	perp := strings.Join(names, "; ")
	if len(forces) > 0 {
		f := strings.Join(forces, "; ")
		if perp == "" {
			perp = f
		} else if f != perp {
			perp += " (" + f + ")"
		}
	}
	launch := ""
	if l := inc.PrimaryLaunch(); l != "" {
		launch = launchLabel(l)
	}
	return incidentRow{Incident: inc, Date: incidentDate(&inc), Precision: precisionLabel(inc.DatePrecision),
		TargetLabel: targetLabel(inc.Target), Launch: launch, Perpetrator: perp}
}

// mapPoint is an incident on the map (never a redacted one).
type mapPoint struct {
	ID          int64   `json:"id"`
	Lat         float64 `json:"lat"`
	Lon         float64 `json:"lon"`
	Date        string  `json:"date"`
	Place       string  `json:"place"`
	Target      string  `json:"target"`
	Perpetrator string  `json:"perpetrator,omitempty"`
	Href        string  `json:"href"`
}

// category is a value the map or chart colours, with its legend text.
type category struct {
	Key    string `json:"key"`
	Label  string `json:"label"`
	Colour string `json:"colour"`
}

// incidentMap feeds static/incidents.js through the JSON block
// #incidents-map-data.
type incidentMap struct {
	Points     []mapPoint `json:"points"`
	Categories []category `json:"categories"`
	Countries  string     `json:"countries"` // the base layer's TopoJSON
}

const countriesTopoJSON = "/static/vendor/world-atlas/countries-50m.json"

// incidentTimeline feeds the timeline chart (#incidents-timeline-data):
// incidents per month, one series per category.
type incidentTimeline struct {
	Months []string         `json:"months"` // YYYY-MM
	Series []timelineSeries `json:"series"`
	By     string           `json:"by"` // target or launch
}

type timelineSeries struct {
	category
	Counts []int `json:"counts"`
	Total  int   `json:"total"`
}

// timelineRow is a month of the timeline as its table shows it.
type timelineRow struct {
	Month string
	Total int
	Parts string // "Hospital 3, School 1"
}

type incidentsView struct {
	Query           incidentQuery
	Countries       []struct{ Code, Name string }
	Targets         []option
	Launches        []option
	Verifications   []option
	Provisions      []option
	ProvisionGroups []option
	Sources         []option
	Valid           bool // the filter was valid and results follow
	Items           []incidentRow
	Total           int
	TotalText       string
	NextHref        string
	FirstHref       string
	CanCreate       bool
	// The map: at most mapLimit incidents of the filter, those with a
	// published location.
	Map          incidentMap
	MapRead      int // incidents read for the map
	MapLimited   bool
	MapWithheld  int // redacted: the publisher withheld the place
	MapNoCoords  int // not redacted, but without coordinates
	MapShown     int
	MapReadText  string // MapRead and MapShown with thousands separators
	MapShownText string
	Timeline     incidentTimeline
	TimelineRows []timelineRow
	TimelineNote string
	StackHref    map[string]string // stack -> link to this filter stacked so
	Stack        string
}

func (s *Server) incidentsPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	if !a.Role.Internal() {
		s.pageError(w, r, exportctl.Forbidden("the evidence register is for internal roles"))
		return
	}
	ctx := r.Context()
	q := r.URL.Query()
	v := incidentsView{
		Query: readIncidentQuery(q), Countries: exportctl.Countries(), Targets: targetOptions,
		Launches: append([]option{{"air", "Any air-launched", ""}}, launchOptions...), Verifications: verificationOptions,
		Provisions: provisionOptions, ProvisionGroups: provisionGroups, CanCreate: a.Role == exportctl.RoleAnalyst,
	}
	v.Stack = cmp.Or(v.Query.Stack, "target")
	// The sources present in the register, for the source filter.
	sources, err := s.svc.IncidentCounts(ctx, a, exportctl.IncidentFilter{}, "source")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	for _, c := range sources {
		v.Sources = append(v.Sources, option{c.Key, fmt.Sprintf("%s (%s)", c.Key, groupThousands(float64(c.Count))), ""})
	}
	slices.SortFunc(v.Sources, func(x, y option) int { return strings.Compare(x.Value, y.Value) })
	if v.Query.Source != "" && !slices.ContainsFunc(v.Sources, func(o option) bool { return o.Value == v.Query.Source }) {
		v.Sources = append(v.Sources, option{v.Query.Source, v.Query.Source + " (none)", ""})
	}

	f, errs := v.Query.filter()
	render := func(status int, errs []fieldError) {
		s.render(w, r, status, "incidents", pageData{Title: "Evidence register", Errors: errs, Data: v})
	}
	if len(errs) > 0 {
		render(http.StatusUnprocessableEntity, errs)
		return
	}
	// The table: one page.
	tf := f
	tf.Limit, tf.Cursor = incidentsPerPage, q.Get("cursor")
	page, err := s.svc.Incidents(ctx, a, tf)
	if fe, ok := formErrors(err); ok {
		for i := range fe {
			if fe[i].Field == "cursor" { // a link that was edited, or from another list
				fe[i] = fieldError{"incident-filters", "The link to this page of results is not valid: apply the filters again"}
			}
		}
		render(http.StatusUnprocessableEntity, polishIncidentErrors(fe, filterLabels))
		return
	}
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v.Valid = true
	v.Total, v.TotalText = page.Total, groupThousands(float64(page.Total))
	for _, inc := range page.Items {
		v.Items = append(v.Items, newIncidentRow(inc))
	}
	v.NextHref, v.FirstHref = pageLinks("/incidents", q, page.Next)
	v.StackHref = map[string]string{}
	for _, by := range []string{"target", "launch"} {
		sq := cloneValues(q)
		sq.Del("cursor")
		sq.Set("stack", by)
		v.StackHref[by] = listHref("/incidents", sq) + "#view-timeline"
	}

	// The map and the timeline: the first mapLimit incidents of the filter.
	var all []exportctl.Incident
	mf := f
	mf.Limit = incidentFetchPage
	for len(all) < mapLimit {
		p, err := s.svc.Incidents(ctx, a, mf)
		if err != nil {
			s.pageError(w, r, err)
			return
		}
		all = append(all, p.Items...)
		if p.Next == nil || len(p.Items) == 0 {
			break
		}
		mf.Cursor = *p.Next
	}
	if len(all) > mapLimit {
		all = all[:mapLimit]
	}
	v.MapRead, v.MapLimited = len(all), v.Total > len(all)
	v.Map = incidentMap{Points: []mapPoint{}, Categories: []category{}, Countries: countriesTopoJSON}
	seen := map[string]bool{}
	for i := range all {
		inc := &all[i]
		switch {
		case inc.Redacted:
			v.MapWithheld++
			continue
		case inc.Latitude == nil || inc.Longitude == nil:
			v.MapNoCoords++
			continue
		}
		row := newIncidentRow(*inc)
		place := strings.Join(nonEmpty(inc.Place, inc.Admin1, exportctl.CountryName(inc.Country)), ", ")
		v.Map.Points = append(v.Map.Points, mapPoint{ID: inc.ID, Lat: *inc.Latitude, Lon: *inc.Longitude, Date: row.Date + " (" + row.Precision + ")",
			Place: place, Target: inc.Target, Perpetrator: row.Perpetrator, Href: incidentURL(inc.ID)})
		seen[inc.Target] = true
	}
	v.MapShown = len(v.Map.Points)
	v.MapReadText, v.MapShownText = groupThousands(float64(v.MapRead)), groupThousands(float64(v.MapShown))
	for _, t := range exportctl.TargetCategories {
		if seen[t] {
			v.Map.Categories = append(v.Map.Categories, category{t, targetLabel(t), colourOf(targetColours, t)})
		}
	}
	if err := s.buildTimeline(r, a, f, all, &v); err != nil {
		s.pageError(w, r, err)
		return
	}
	render(http.StatusOK, nil)
}

func cloneValues(q url.Values) url.Values {
	out := url.Values{}
	for k, vs := range q {
		out[k] = slices.Clone(vs)
	}
	return out
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

func incidentURL(id int64) string { return "/incidents/" + strconv.FormatInt(id, 10) }

// buildTimeline counts the incidents per month and category. When the
// map read every incident of the filter they are counted here; otherwise
// the store counts them per month and category in one query, and the
// timeline shows at most timelineMonthsMax months, the latest.
func (s *Server) buildTimeline(r *http.Request, a exportctl.Actor, f exportctl.IncidentFilter, all []exportctl.Incident, v *incidentsView) error {
	by := v.Stack
	key := func(inc *exportctl.Incident) string {
		if by == "launch" {
			return inc.PrimaryLaunch()
		}
		return inc.Target
	}
	counts := map[string]map[string]int{} // month -> category -> n
	add := func(month, cat string, n int) {
		if counts[month] == nil {
			counts[month] = map[string]int{}
		}
		counts[month][cat] += n
	}
	if len(all) == v.Total {
		for i := range all {
			if len(all[i].StartDate) >= 7 {
				add(all[i].StartDate[:7], key(&all[i]), 1)
			}
		}
	} else {
		cs, err := s.svc.IncidentCounts(r.Context(), a, f, "month/"+by)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if month, cat, ok := strings.Cut(c.Key, "/"); ok {
				add(month, cat, c.Count)
			}
		}
		// At most timelineMonthsMax months, the latest.
		var months []string
		for m := range counts {
			months = append(months, m)
		}
		slices.Sort(months)
		if len(months) > 0 {
			first, err1 := time.Parse("2006-01", months[0])
			last, err2 := time.Parse("2006-01", months[len(months)-1])
			if err1 == nil && err2 == nil && monthsBetween(first, last) > timelineMonthsMax {
				cut := last.AddDate(0, -(timelineMonthsMax - 1), 0).Format("2006-01")
				for _, m := range months {
					if m < cut {
						delete(counts, m)
					}
				}
				v.TimelineNote = fmt.Sprintf("The timeline shows the %d months to %s only; narrow the dates to see earlier months.",
					timelineMonthsMax, last.Format("January 2006"))
			}
		}
	}
	var months []string
	for m := range counts {
		months = append(months, m)
	}
	slices.Sort(months)
	tl := incidentTimeline{Months: []string{}, Series: []timelineSeries{}, By: by}
	if len(months) > 0 {
		// Every month from the first to the last, empty ones too.
		start, err1 := time.Parse("2006-01", months[0])
		end, err2 := time.Parse("2006-01", months[len(months)-1])
		if err1 == nil && err2 == nil {
			for m := start; !m.After(end); m = m.AddDate(0, 1, 0) {
				tl.Months = append(tl.Months, m.Format("2006-01"))
			}
		} else {
			tl.Months = months
		}
	}
	cats, labels, colours := exportctl.TargetCategories, targetLabel, targetColours
	if by == "launch" {
		cats, labels, colours = append(slices.Clone(exportctl.LaunchTypes), ""), launchLabel, launchColours
	}
	for _, c := range cats {
		ser := timelineSeries{category: category{c, labels(c), colourOf(colours, c)}, Counts: make([]int, len(tl.Months))}
		for i, m := range tl.Months {
			ser.Counts[i] = counts[m][c]
			ser.Total += ser.Counts[i]
		}
		if ser.Total > 0 {
			tl.Series = append(tl.Series, ser)
		}
	}
	v.Timeline = tl
	for i, m := range tl.Months {
		row := timelineRow{Month: m}
		if t, err := time.Parse("2006-01", m); err == nil {
			row.Month = t.Format("January 2006")
		}
		var parts []string
		for _, ser := range tl.Series {
			if n := ser.Counts[i]; n > 0 {
				row.Total += n
				parts = append(parts, ser.Label+" "+strconv.Itoa(n))
			}
		}
		if row.Total > 0 {
			row.Parts = strings.Join(parts, ", ")
			v.TimelineRows = append(v.TimelineRows, row)
		}
	}
	return nil
}

func monthsBetween(a, b time.Time) int {
	return (b.Year()-a.Year())*12 + int(b.Month()-a.Month()) + 1
}

// The incident page.

// incidentPoint is the one point of the incident page's map.
type incidentPoint struct {
	Lat       float64 `json:"lat"`
	Lon       float64 `json:"lon"`
	Label     string  `json:"label"`
	Colour    string  `json:"colour"`
	Countries string  `json:"countries"`
}

type actorRow struct {
	exportctl.IncidentActor
	TypeLabel, ConfidencePct string
}

type weaponRow struct {
	exportctl.IncidentWeapon
	LaunchLabel string
}

type classificationRow struct {
	exportctl.Classification
	Conduct, Conflict string
}

type harmRow struct {
	Label string
	N     int
}

type keyValue struct{ Key, Value string }

type incidentView struct {
	Rec             *exportctl.IncidentRecord
	Row             incidentRow
	Place           string
	GeoPrecision    string
	Point           *incidentPoint
	Harm            []harmRow
	Actors          []actorRow
	Weapons         []weaponRow
	Classifications []classificationRow
	Original        []keyValue
	Sources         []string // source:id
	Steps           []exportctl.VerificationStep
	CanEdit         bool
	Form            url.Values
	StepOptions     []option
	States          []option
	CustodyActions  []option
	Provisions      []option
	ClassStatuses   []option
}

func (s *Server) renderIncident(w http.ResponseWriter, r *http.Request, a exportctl.Actor, id int64, status int, errs []fieldError, form url.Values) {
	rec, err := s.svc.IncidentRecord(r.Context(), a, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	if form == nil {
		form = url.Values{}
	}
	inc := &rec.Incident
	v := incidentView{
		Rec: rec, Row: newIncidentRow(*inc), GeoPrecision: geoPrecisionLabel(inc.GeoPrecision),
		Place:   strings.Join(nonEmpty(inc.Place, inc.Admin3, inc.Admin2, inc.Admin1, exportctl.CountryName(inc.Country)), ", "),
		CanEdit: a.Role == exportctl.RoleAnalyst, Form: form, Steps: rec.VerificationSteps,
		StepOptions: stepOptions, States: verificationOptions, CustodyActions: custodyOptions, Provisions: provisionOptions,
		ClassStatuses: classStatusOptions,
	}
	if !inc.Redacted && inc.Latitude != nil && inc.Longitude != nil {
		v.Point = &incidentPoint{Lat: *inc.Latitude, Lon: *inc.Longitude, Label: v.Place, Colour: colourOf(targetColours, inc.Target),
			Countries: countriesTopoJSON}
	}
	h := inc.Harm
	v.Harm = []harmRow{{"Killed", h.Killed}, {"Injured", h.Injured}, {"Kidnapped", h.Kidnapped}, {"Detained", h.Detained},
		{"Health workers affected", h.HealthWorkers}, {"Aid workers affected", h.AidWorkers}, {"Children affected", h.Children},
		{"Journalists affected", h.Journalists}}
	for _, ac := range inc.Actors {
		v.Actors = append(v.Actors, actorRow{IncidentActor: ac, TypeLabel: actorTypeLabel(ac.Type), ConfidencePct: percent(ac.Confidence)})
	}
	for _, wp := range inc.Weapons {
		v.Weapons = append(v.Weapons, weaponRow{IncidentWeapon: wp, LaunchLabel: launchLabel(wp.Launch)})
	}
	for _, c := range inc.Classifications {
		row := classificationRow{Classification: c}
		if p, ok := exportctl.LegalProvisionByCode(c.Code); ok {
			row.Conduct, row.Conflict = p.Conduct, p.Conflict
		}
		v.Classifications = append(v.Classifications, row)
	}
	for k, val := range inc.Original {
		v.Original = append(v.Original, keyValue{k, val})
	}
	slices.SortFunc(v.Original, func(x, y keyValue) int { return strings.Compare(x.Key, y.Key) })
	for _, sid := range inc.Sources {
		v.Sources = append(v.Sources, sid.Source+":"+sid.ID)
	}
	title := "Incident " + strings.Join(v.Sources, ", ")
	s.render(w, r, status, "incident", pageData{Title: title, Errors: errs, Data: v})
}

func (s *Server) incidentPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	s.renderIncident(w, r, a, id, http.StatusOK, nil, nil)
}

// incidentCommand runs an analyst's POST on the incident page: success
// redirects back with a flash; invalid input re-renders the page with the
// errors (domain fields renamed to the inputs' ids) and what was typed.
func (s *Server) incidentCommand(w http.ResponseWriter, r *http.Request, ids map[string]string, labels map[string]string,
	run func(a exportctl.Actor, id int64) (flash, anchor string, errs []fieldError, err error)) {
	a, ok := requireUserThen(w, r, "/incidents/"+r.PathValue("id"))
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
	flash, anchor, errs, err := run(a, id)
	if len(errs) == 0 {
		if fe, ok := formErrors(err); ok {
			errs = remapFields(polishIncidentErrors(fe, labels), ids)
		} else if err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		s.renderIncident(w, r, a, id, http.StatusUnprocessableEntity, errs, r.PostForm)
		return
	}
	redirectFlash(w, r, incidentURL(id)+anchor, flash)
}

// parseConfidence reads a confidence as 0..1 or as a percentage ("80%").
func parseConfidence(s string) (float64, bool) {
	s = strings.TrimSpace(s)
	pct := strings.HasSuffix(s, "%")
	v, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(s, "%")), 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return 0, false
	}
	if pct {
		v /= 100
	}
	return v, true
}

func (s *Server) addVerificationSubmit(w http.ResponseWriter, r *http.Request) {
	ids := map[string]string{"step": "vs-step", "confidence": "vs-confidence", "note": "vs-note", "state": "vs-state"}
	s.incidentCommand(w, r, ids, map[string]string{"confidence": "The confidence", "note": "The note"},
		func(a exportctl.Actor, id int64) (string, string, []fieldError, error) {
			in := exportctl.VerificationStepInput{Step: r.PostFormValue("vs-step"), Note: r.PostFormValue("vs-note"), State: r.PostFormValue("vs-state")}
			c, ok := parseConfidence(r.PostFormValue("vs-confidence"))
			if !ok {
				errs := []fieldError{{"vs-confidence", "Enter the confidence as a number from 0 to 1, like 0.8"}}
				if fe, ok := formErrors(in.Validate()); ok {
					errs = append(errs, remapFields(polishIncidentErrors(fe, nil), ids)...)
				}
				return "", "", errs, nil
			}
			in.Confidence = c
			step, err := s.svc.AddVerificationStep(r.Context(), a, id, in)
			if err != nil {
				return "", "", nil, err
			}
			msg := capitalise(step.Step) + " verification step recorded"
			if step.State != "" {
				msg += ": the incident is now " + exportctl.Humanise(step.State)
			}
			return msg, "#verification", nil, nil
		})
}

func (s *Server) addEvidenceSourceSubmit(w http.ResponseWriter, r *http.Request) {
	ids := map[string]string{"publisher": "es-publisher", "url": "es-url", "captured_at": "es-captured_at", "sha256": "es-sha256", "note": "es-note"}
	labels := map[string]string{"captured_at": "The capture time", "sha256": "The SHA-256", "url": "The URL"}
	s.incidentCommand(w, r, ids, labels, func(a exportctl.Actor, id int64) (string, string, []fieldError, error) {
		in := exportctl.EvidenceSourceInput{Publisher: r.PostFormValue("es-publisher"), URL: r.PostFormValue("es-url"),
			CapturedAt: r.PostFormValue("es-captured_at"), SHA256: r.PostFormValue("es-sha256"), Note: r.PostFormValue("es-note")}
		src, err := s.svc.AddEvidenceSource(r.Context(), a, id, in)
		if err != nil {
			return "", "", nil, err
		}
		return "Evidence source from " + src.Publisher + " recorded, with its custody log started", "#source-" + strconv.FormatInt(src.ID, 10), nil, nil
	})
}

func (s *Server) addCustodySubmit(w http.ResponseWriter, r *http.Request) {
	sid := r.PathValue("source")
	prefix := "cu-" + sid + "-"
	ids := map[string]string{"action": prefix + "action", "note": prefix + "note"}
	s.incidentCommand(w, r, ids, nil, func(a exportctl.Actor, id int64) (string, string, []fieldError, error) {
		source, err := pathID(r, "source")
		if err != nil {
			return "", "", nil, err
		}
		in := exportctl.CustodyEventInput{Action: r.PostFormValue(prefix + "action"), Note: r.PostFormValue(prefix + "note")}
		ev, err := s.svc.AddCustodyEvent(r.Context(), a, id, source, in)
		if err != nil {
			return "", "", nil, err
		}
		return "Custody event recorded: " + exportctl.Humanise(ev.Action), "#source-" + sid, nil, nil
	})
}

func (s *Server) classifySubmit(w http.ResponseWriter, r *http.Request) {
	ids := map[string]string{"code": "cl-code", "status": "cl-status"}
	s.incidentCommand(w, r, ids, map[string]string{"code": "The provision", "status": "The status"},
		func(a exportctl.Actor, id int64) (string, string, []fieldError, error) {
			in := exportctl.ClassificationInput{Code: r.PostFormValue("cl-code"), Status: r.PostFormValue("cl-status")}
			if _, err := s.svc.SetClassification(r.Context(), a, id, in); err != nil {
				return "", "", nil, err
			}
			return "Classified under Rome Statute article " + in.Code + " as " + in.Status, "#classifications", nil, nil
		})
}

func (s *Server) publishableSubmit(w http.ResponseWriter, r *http.Request) {
	s.incidentCommand(w, r, nil, nil, func(a exportctl.Actor, id int64) (string, string, []fieldError, error) {
		var publishable bool
		switch r.PostFormValue("publishable") {
		case "yes":
			publishable = true
		case "no":
		default:
			return "", "", []fieldError{{"publishable", "Choose whether the incident is publishable"}}, nil
		}
		if _, err := s.svc.SetPublishable(r.Context(), a, id, publishable); err != nil {
			return "", "", nil, err
		}
		if publishable {
			return "Marked publishable: the public register may show it", "#publication", nil, nil
		}
		return "Marked not publishable: the public register will not show it", "#publication", nil, nil
	})
}

// Recording an incident by hand.

type newIncidentView struct {
	Form                          url.Values
	Countries                     []struct{ Code, Name string }
	DatePrecisions, GeoPrecisions []option
	Targets, Damages, AidAccess   []option
	Verifications, ActorTypes     []option
	Launches, WeaponBases         []option
	EventTypes, SubEventTypes     []string
	Harm                          []option // the harm counts' inputs
}

func newIncidentForm(form url.Values) newIncidentView {
	if form == nil {
		form = url.Values{}
	}
	return newIncidentView{Form: form, Countries: exportctl.Countries(), DatePrecisions: datePrecisionOptions,
		GeoPrecisions: geoPrecisionOptions, Targets: targetOptions, Damages: damageOptions, AidAccess: aidAccessOptions,
		Verifications: verificationOptions, ActorTypes: actorTypeOptions, Launches: launchOptions, WeaponBases: weaponBasisOptions,
		EventTypes: acledEventTypes, SubEventTypes: acledSubEventTypes, Harm: harmOptions}
}

var harmOptions = func() []option {
	labels := []string{"Killed", "Injured", "Kidnapped", "Detained", "Health workers affected", "Aid workers affected",
		"Children affected", "Journalists affected"}
	out := make([]option, len(harmInputs))
	for i, h := range harmInputs {
		out[i] = option{h.name, labels[i], ""}
	}
	return out
}()

func canRecordIncidents(a exportctl.Actor) error {
	if a.Role != exportctl.RoleAnalyst {
		return exportctl.Forbidden("only evidence analysts record incidents")
	}
	return nil
}

func (s *Server) newIncidentPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	if err := canRecordIncidents(a); err != nil {
		s.pageError(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "incident_new", pageData{Title: "Record an incident", Data: newIncidentForm(nil)})
}

// harmInputs are the harm counts of the form: input name and the
// domain's field.
var harmInputs = []struct{ name, field, label string }{
	{"killed", "harm.killed", "the number killed"}, {"injured", "harm.injured", "the number injured"},
	{"kidnapped", "harm.kidnapped", "the number kidnapped"}, {"detained", "harm.detained", "the number detained"},
	{"health_workers", "harm.health_workers_affected", "the number of health workers affected"},
	{"aid_workers", "harm.aid_workers_affected", "the number of aid workers affected"},
	{"children", "harm.children_affected", "the number of children affected"},
	{"journalists", "harm.journalists_affected", "the number of journalists affected"},
}

// newIncidentIDs map the domain's fields to the form's inputs.
var newIncidentIDs = func() map[string]string {
	m := map[string]string{"target_category": "target", "actors[0].role": "actor-name", "actors[0].type": "actor-type",
		"actors[0].name": "actor-name", "actors[0].country": "actor-name", "actors[0].confidence": "actor-confidence",
		"weapons[0].reported": "weapon-reported", "weapons[0].launch": "weapon-launch", "weapons[0].basis": "weapon-basis"}
	for _, h := range harmInputs {
		m[h.field] = h.name
	}
	return m
}()

var newIncidentLabels = func() map[string]string {
	m := map[string]string{
		"start_date": "The start date", "end_date": "The end date", "date_precision": "The date precision", "country": "The country",
		"admin1": "The admin area", "place": "The place", "event_type": "The event type", "sub_event_type": "The sub-event type",
		"latitude": "The latitude", "longitude": "The longitude", "geo_precision": "The geographic precision",
		"actors[0].confidence": "The confidence in the attribution", "actors[0].type": "The actor type",
		"narrative": "The narrative", "target_category": "The target",
	}
	for _, h := range harmInputs {
		m[h.field] = capitalise(h.label)
	}
	return m
}()

// remapIncidentFields renames domain fields (exactly, indexes included)
// to the ids of the form's inputs.
func remapIncidentFields(errs []fieldError, ids map[string]string) []fieldError {
	out := make([]fieldError, len(errs))
	for i, e := range errs {
		if id, ok := ids[e.Field]; ok {
			e.Field = id
		}
		out[i] = e
	}
	return out
}

// incidentFromForm reads the form; numbers that do not parse are errors on
// their inputs.
func incidentFromForm(form url.Values) (exportctl.Incident, []fieldError) {
	g := func(k string) string { return strings.TrimSpace(form.Get(k)) }
	var errs []fieldError
	in := exportctl.Incident{
		StartDate: g("start_date"), EndDate: g("end_date"), Country: g("country"), Admin1: g("admin1"), Place: g("place"),
		Redacted: g("redacted") == "yes", EventType: g("event_type"), SubEventType: g("sub_event_type"), Target: g("target"),
		Damage: g("damage"), AidAccess: g("aid_access"), Narrative: strings.TrimSpace(form.Get("narrative")), Verification: g("verification"),
	}
	atoi := func(name, what string, dst *int) {
		v := g(name)
		if v == "" {
			return
		}
		n, err := strconv.Atoi(strings.ReplaceAll(v, ",", ""))
		if err != nil {
			errs = append(errs, fieldError{name, "Enter " + what + " as a whole number"})
			return
		}
		*dst = n
	}
	atoi("date_precision", "the date precision", &in.DatePrecision)
	atoi("geo_precision", "the geographic precision", &in.GeoPrecision)
	counts := []*int{&in.Harm.Killed, &in.Harm.Injured, &in.Harm.Kidnapped, &in.Harm.Detained, &in.Harm.HealthWorkers,
		&in.Harm.AidWorkers, &in.Harm.Children, &in.Harm.Journalists}
	for i, h := range harmInputs {
		atoi(h.name, h.label, counts[i])
	}
	coord := func(name, what string) *float64 {
		v := g(name)
		if v == "" {
			return nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			errs = append(errs, fieldError{name, "Enter the " + what + " in decimal degrees, like " + map[string]string{"latitude": "31.52", "longitude": "34.45"}[name]})
			return nil
		}
		return &f
	}
	in.Latitude, in.Longitude = coord("latitude", "latitude"), coord("longitude", "longitude")
	if name, force := g("actor-name"), g("actor-force"); name != "" || force != "" || g("actor-basis") != "" {
		ac := exportctl.IncidentActor{Role: exportctl.ActorPerpetrator, Name: name, Force: force, Basis: g("actor-basis")}
		atoi("actor-type", "the actor type", &ac.Type)
		if c := g("actor-confidence"); c != "" {
			v, ok := parseConfidence(c)
			if !ok {
				errs = append(errs, fieldError{"actor-confidence", "Enter the confidence as a number from 0 to 1, like 0.8"})
			}
			ac.Confidence = v
		}
		in.Actors = append(in.Actors, ac)
	}
	if rep, markings := g("weapon-reported"), g("weapon-markings"); rep != "" || markings != "" || g("weapon-launch") != "" || g("weapon-basis") != "" {
		in.Weapons = append(in.Weapons, exportctl.IncidentWeapon{Reported: rep, Launch: g("weapon-launch"), Basis: g("weapon-basis"), Markings: markings})
	}
	return in, errs
}

func (s *Server) createIncidentSubmit(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUserThen(w, r, "/incidents/new")
	if !ok {
		return
	}
	if err := canRecordIncidents(a); err != nil {
		s.pageError(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.pageError(w, r, exportctl.Invalid("body", "could not read the form"))
		return
	}
	in, errs := incidentFromForm(r.PostForm)
	check := in
	if fe, ok := formErrors(check.Validate()); ok {
		for _, e := range remapIncidentFields(polishIncidentErrors(fe, newIncidentLabels), newIncidentIDs) {
			if errorFor(errs, e.Field) == "" {
				errs = append(errs, e)
			}
		}
	}
	var inc *exportctl.Incident
	if len(errs) == 0 {
		var err error
		inc, err = s.svc.CreateIncident(r.Context(), a, in)
		if fe, ok := formErrors(err); ok {
			errs = remapIncidentFields(polishIncidentErrors(fe, newIncidentLabels), newIncidentIDs)
		} else if err != nil {
			s.pageError(w, r, err)
			return
		}
	}
	if len(errs) > 0 {
		s.render(w, r, http.StatusUnprocessableEntity, "incident_new", pageData{Title: "Record an incident", Errors: errs, Data: newIncidentForm(r.PostForm)})
		return
	}
	ref := "the incident"
	if len(inc.Sources) > 0 {
		ref = inc.Sources[0].ID
	}
	redirectFlash(w, r, incidentURL(inc.ID), "Incident "+ref+" recorded")
}
