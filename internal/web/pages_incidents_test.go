package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
)

// incidentEnv is a page environment with an analyst and a few incidents:
// a hospital strike in Gaza, a redacted school strike near Aleppo (its
// place withheld by the publisher), a hospital in Idlib and shelling of a
// school in Kharkiv.
type incidentEnv struct {
	*pageEnv
	analyst                        exportctl.Actor
	gaza, redacted, idlib, kharkiv *exportctl.Incident
}

func f64(v float64) *float64 { return &v }

func newIncidentEnv(t *testing.T) *incidentEnv {
	t.Helper()
	e := &incidentEnv{pageEnv: newPageEnv(t)}
	ctx := context.Background()
	u, _, err := e.st.CreateUser(ctx, exportctl.System, exportctl.UserInput{Username: "analyst1", Name: "analyst1",
		Role: exportctl.RoleAnalyst, Password: "correct horse battery"})
	if err != nil {
		t.Fatalf("create analyst: %v", err)
	}
	e.analyst = exportctl.ActorOf(*u)
	create := func(in exportctl.Incident) *exportctl.Incident {
		t.Helper()
		inc, err := e.st.CreateIncident(ctx, e.analyst, in)
		if err != nil {
			t.Fatalf("create incident %s %s: %v", in.Country, in.StartDate, err)
		}
		return inc
	}
	e.gaza = create(exportctl.Incident{
		StartDate: "2024-03-12", DatePrecision: 1, Country: "PS", Admin1: "Gaza Strip", Place: "Khan Younis",
		Latitude: f64(31.3462), Longitude: f64(34.3060), GeoPrecision: 1, EventType: "Explosions/Remote violence",
		SubEventType: "Air/drone strike", Target: exportctl.TargetHospital, Damage: "severely_damaged", AidAccess: "impeded",
		Harm: exportctl.Harm{Killed: 3, Injured: 11, HealthWorkers: 2, Children: 1},
		Actors: []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 8, Name: "Example Air Force",
			Force: "Example Air Force 1st Wing", Basis: "official claim", Confidence: 0.7}},
		Weapons: []exportctl.IncidentWeapon{{Reported: "Aerial Bomb: Plane", Launch: exportctl.LaunchAirPlane, Basis: "remnant",
			Markings: "NSN 1325-01-123-4567 lot 42"}},
		Narrative: "An air strike hit the east wing of the hospital during the night shift.",
	})
	e.redacted = create(exportctl.Incident{
		StartDate: "2024-02-03", DatePrecision: 2, Country: "SY", Admin1: "Aleppo", Place: "Secret Village",
		Latitude: f64(36.2877), Longitude: f64(37.1543), GeoPrecision: 1, Redacted: true, Target: exportctl.TargetSchool,
		Harm:      exportctl.Harm{Killed: 1},
		Narrative: "A school was shelled; the publisher withholds the village.",
	})
	e.idlib = create(exportctl.Incident{
		StartDate: "2023-11-20", DatePrecision: 3, Country: "SY", Admin1: "Idlib", Place: "Idlib city",
		Latitude: f64(35.9306), Longitude: f64(36.6339), GeoPrecision: 2, Target: exportctl.TargetHospital,
		Weapons: []exportctl.IncidentWeapon{{Reported: "Shelling", Launch: exportctl.LaunchGround}},
	})
	e.kharkiv = create(exportctl.Incident{
		StartDate: "2024-01-15", Country: "UA", Admin1: "Kharkiv", Place: "Kharkiv", Latitude: f64(49.9935), Longitude: f64(36.2304),
		Target: exportctl.TargetSchool, Weapons: []exportctl.IncidentWeapon{{Reported: "Missile", Launch: exportctl.LaunchGround}},
	})
	return e
}

var incidentLinkRE = regexp.MustCompile(`href="/incidents/(\d+)"`)

// listedIncidents returns the ids the table links to.
func listedIncidents(body string) map[int64]bool {
	out := map[int64]bool{}
	for _, m := range incidentLinkRE.FindAllStringSubmatch(body, -1) {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		out[id] = true
	}
	return out
}

// jsonBlock returns the JSON of a <script type="application/json"> block.
func jsonBlock(t *testing.T, body, id string) string {
	t.Helper()
	re := regexp.MustCompile(`<script type="application/json" id="` + regexp.QuoteMeta(id) + `">([^<]*)</script>`)
	m := re.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no JSON block #%s", id)
	}
	return m[1]
}

func incidentPath(inc *exportctl.Incident) string {
	return "/incidents/" + strconv.FormatInt(inc.ID, 10)
}

func TestIncidentPagesList(t *testing.T) {
	e := newIncidentEnv(t)
	b := e.browser(t)
	b.signIn("officer1")

	code, body := b.get("/incidents")
	wantStatus(t, "the register", code, http.StatusOK, body)
	got := listedIncidents(body)
	for _, inc := range []*exportctl.Incident{e.gaza, e.redacted, e.idlib, e.kharkiv} {
		if !got[inc.ID] {
			t.Errorf("the unfiltered list lacks incident %d", inc.ID)
		}
	}
	for _, want := range []string{`href="/incidents"`, ">Evidence<", `href="#view-table"`, `href="#view-map"`, `href="#view-timeline"`,
		"manual:MAN-1", "Example Air Force", "exact day", "within the week", "app-target--hospital", "app-verification--unverified"} {
		if !strings.Contains(body, want) {
			t.Errorf("the register lacks %q", want)
		}
	}
	if strings.Contains(body, `id="new-incident"`) {
		t.Error("a case officer is offered to record an incident")
	}

	// Country and target.
	code, body = b.get("/incidents?country=SY&target=hospital")
	wantStatus(t, "filter by country and target", code, http.StatusOK, body)
	got = listedIncidents(body)
	if len(got) != 1 || !got[e.idlib.ID] {
		t.Errorf("SY hospitals: listed %v, want only %d", got, e.idlib.ID)
	}
	if !strings.Contains(body, "<strong>1</strong> incident matches") {
		t.Error("the filtered list does not say 1 incident matches")
	}
	// Launch, text, date range, radius.
	for _, c := range []struct {
		query string
		want  []*exportctl.Incident
	}{
		{"launch=air", []*exportctl.Incident{e.gaza}},
		{"launch=ground&country=UA", []*exportctl.Incident{e.kharkiv}},
		{"q=east+wing", []*exportctl.Incident{e.gaza}},
		{"actor=1st+wing", []*exportctl.Incident{e.gaza}},
		{"weapon=shelling", []*exportctl.Incident{e.idlib}},
		{"from=2024-01-01&to=2024-02-28", []*exportctl.Incident{e.redacted, e.kharkiv}},
		{"admin1=aleppo", []*exportctl.Incident{e.redacted}},
		// The redacted incident near Aleppo never matches a box or a radius.
		{"west=35&south=35&east=38&north=37", []*exportctl.Incident{e.idlib}},
		{"near_lat=36.2&near_lon=37.1&near_km=50", nil},
		{"near_lat=31.35&near_lon=34.3&near_km=5", []*exportctl.Incident{e.gaza}},
	} {
		code, body := b.get("/incidents?" + c.query)
		wantStatus(t, c.query, code, http.StatusOK, body)
		got := listedIncidents(body)
		if len(got) != len(c.want) {
			t.Errorf("%s: listed %v, want %d incidents", c.query, got, len(c.want))
		}
		for _, inc := range c.want {
			if !got[inc.ID] {
				t.Errorf("%s: incident %d not listed", c.query, inc.ID)
			}
		}
	}

	// Invalid filters come back with 422 and the errors by their inputs.
	for _, c := range []struct{ query, field string }{
		{"from=2024-13-45", "from"},
		{"from=2024-03-01&to=2024-01-01", "to"},
		{"west=30&south=31", "bbox"},
		{"west=30&south=abc&east=35&north=33", "bbox-south"},
		{"west=40&south=31&east=35&north=33", "bbox"},
		{"near_lat=31&near_lon=34", "near"},
		{"target=moon", "target"},
		{"cursor=nonsense", "incident-filters"},
	} {
		code, body := b.get("/incidents?" + c.query)
		wantStatus(t, c.query, code, http.StatusUnprocessableEntity, body)
		if !strings.Contains(body, `href="#`+c.field+`"`) || !strings.Contains(body, `id="`+c.field+`"`) {
			t.Errorf("%s: the error summary does not link to #%s", c.query, c.field)
		}
	}
	_, body = b.get("/incidents?from=2024-13-45")
	if !strings.Contains(body, `value="2024-13-45"`) {
		t.Error("the invalid date is not kept in the form")
	}
}

func TestIncidentPagesMapAndTimeline(t *testing.T) {
	e := newIncidentEnv(t)
	b := e.browser(t)
	b.signIn("analyst1")
	code, body := b.get("/incidents")
	wantStatus(t, "the register", code, http.StatusOK, body)
	var m struct {
		Points []struct {
			ID     int64   `json:"id"`
			Lat    float64 `json:"lat"`
			Lon    float64 `json:"lon"`
			Target string  `json:"target"`
			Href   string  `json:"href"`
		} `json:"points"`
		Categories []struct{ Key, Label, Colour string } `json:"categories"`
		Countries  string                                `json:"countries"`
	}
	raw := jsonBlock(t, body, "incidents-map-data")
	if err := json.Unmarshal([]byte(raw), &m); err != nil {
		t.Fatalf("map data: %v\n%s", err, raw)
	}
	if len(m.Points) != 3 {
		t.Errorf("the map has %d points, want 3 (the redacted incident left off)", len(m.Points))
	}
	for _, p := range m.Points {
		if p.ID == e.redacted.ID {
			t.Error("the map data holds the redacted incident")
		}
	}
	if m.Countries != "/static/vendor/world-atlas/countries-50m.json" || len(m.Categories) != 2 {
		t.Errorf("map countries %q, categories %v", m.Countries, m.Categories)
	}
	for _, leak := range []string{"36.2877", "37.1543", "Secret Village"} {
		if strings.Contains(body, leak) {
			t.Errorf("the register page shows %q of the redacted incident", leak)
		}
	}
	if !strings.Contains(body, "1 incident has no published location (withheld by the publisher) and is not on the map") {
		t.Error("the map does not say the redacted incident is left off")
	}
	if !strings.Contains(body, `id="new-incident"`) {
		t.Error("the analyst is not offered to record an incident")
	}
	// The static files the map needs are served.
	for _, path := range []string{m.Countries, "/static/vendor/topojson-client/topojson-client.min.js", "/static/incidents.js"} {
		if code, _ := b.get(path); code != http.StatusOK {
			t.Errorf("%s: status %d", path, code)
		}
	}

	var tl struct {
		Months []string `json:"months"`
		Series []struct {
			Key    string `json:"key"`
			Counts []int  `json:"counts"`
			Total  int    `json:"total"`
		} `json:"series"`
		By string `json:"by"`
	}
	if err := json.Unmarshal([]byte(jsonBlock(t, body, "incidents-timeline-data")), &tl); err != nil {
		t.Fatal(err)
	}
	// November 2023 to March 2024, every month.
	if strings.Join(tl.Months, " ") != "2023-11 2023-12 2024-01 2024-02 2024-03" || tl.By != "target" {
		t.Errorf("timeline months %v by %s", tl.Months, tl.By)
	}
	totals := map[string]int{}
	for _, s := range tl.Series {
		totals[s.Key] = s.Total
	}
	if totals["hospital"] != 2 || totals["school"] != 2 || len(totals) != 2 {
		t.Errorf("timeline totals %v, want 2 hospitals and 2 schools", totals)
	}
	code, body = b.get("/incidents?stack=launch")
	wantStatus(t, "timeline by launch", code, http.StatusOK, body)
	if err := json.Unmarshal([]byte(jsonBlock(t, body, "incidents-timeline-data")), &tl); err != nil {
		t.Fatal(err)
	}
	totals = map[string]int{}
	for _, s := range tl.Series {
		totals[s.Key] = s.Total
	}
	if tl.By != "launch" || totals["air_plane"] != 1 || totals["ground"] != 2 || totals[""] != 1 {
		t.Errorf("timeline by launch: %s %v", tl.By, totals)
	}
}

func TestIncidentPagesExporterForbidden(t *testing.T) {
	e := newIncidentEnv(t)
	b := e.browser(t)
	b.signIn("exporter1")
	_, body := b.get("/")
	if strings.Contains(body, `href="/incidents"`) {
		t.Error("the exporter's navigation links to the evidence register")
	}
	for _, path := range []string{"/incidents", "/incidents?from=bad", incidentPath(e.gaza), "/incidents/new"} {
		code, body := b.get(path)
		wantStatus(t, "exporter opens "+path, code, http.StatusForbidden, body)
		if strings.Contains(body, "Khan Younis") || strings.Contains(body, "Example Air Force") {
			t.Errorf("%s: the 403 page shows the incident", path)
		}
	}
	code, body, _ := b.post(incidentPath(e.gaza)+"/verification", url.Values{"vs-step": {"source"}, "vs-confidence": {"0.5"}})
	wantStatus(t, "exporter verifies", code, http.StatusForbidden, body)
}

func TestIncidentPage(t *testing.T) {
	e := newIncidentEnv(t)
	b := e.browser(t)
	b.signIn("officer1")
	code, body := b.get(incidentPath(e.gaza))
	wantStatus(t, "the incident page", code, http.StatusOK, body)
	text := html.UnescapeString(body)
	for _, want := range []string{"manual:MAN-1", "12 Mar 2024", "exact day", "Palestine", "Gaza Strip", "Khan Younis", "31.3462, 34.306",
		"Exact place (1)", "Explosions/Remote violence: Air/drone strike", "Hospital", "Severely damaged", "Impeded",
		"Health workers affected", "Example Air Force 1st Wing", "8: External or other forces", "official claim", "70%",
		"Aerial Bomb: Plane", "Air-launched: plane", "Remnant", "NSN 1325-01-123-4567 lot 42", "east wing of the hospital",
		"No verification steps recorded", "No evidence sources recorded", "No legal classification recorded", "versions-table",
		`id="incident-point-data"`, "The source's original values", "None: the incident was recorded by hand"} {
		if !strings.Contains(text, want) {
			t.Errorf("the incident page lacks %q", want)
		}
	}
	var pt struct{ Lat, Lon float64 }
	if err := json.Unmarshal([]byte(jsonBlock(t, body, "incident-point-data")), &pt); err != nil || pt.Lat != 31.3462 || pt.Lon != 34.306 {
		t.Errorf("point data %+v, %v", pt, err)
	}
	// A case officer reads, and has no analyst's forms.
	for _, form := range []string{"classify-form", "verification-form", "source-form", "publishable-form"} {
		if strings.Contains(body, `id="`+form+`"`) {
			t.Errorf("a case officer is offered %s", form)
		}
	}
	code, body, _ = b.post(incidentPath(e.gaza)+"/verification", url.Values{"vs-step": {"source"}, "vs-confidence": {"0.5"}})
	wantStatus(t, "a case officer verifies", code, http.StatusForbidden, body)
	if code, body := b.get("/incidents/new"); code != http.StatusForbidden {
		t.Errorf("a case officer opens the new incident form: %d", code)
		_ = body
	}
	if code, body := b.get("/incidents/999999"); code != http.StatusNotFound {
		t.Errorf("an unknown incident: %d\n%.500s", code, body)
	}

	// The redacted incident: no place, no coordinates, no map.
	code, body = b.get(incidentPath(e.redacted))
	wantStatus(t, "the redacted incident", code, http.StatusOK, body)
	for _, leak := range []string{"36.2877", "37.1543", "Secret Village", "incident-point-data", "incident-map", "leaflet.js"} {
		if strings.Contains(body, leak) {
			t.Errorf("the redacted incident's page contains %q", leak)
		}
	}
	for _, want := range []string{"Location withheld by the publisher", "Aleppo", "within the week"} {
		if !strings.Contains(body, want) {
			t.Errorf("the redacted incident's page lacks %q", want)
		}
	}
}

func TestIncidentPageAnalystForms(t *testing.T) {
	e := newIncidentEnv(t)
	b := e.browser(t)
	b.signIn("analyst1")
	path := incidentPath(e.gaza)
	code, body := b.get(path)
	wantStatus(t, "the incident page", code, http.StatusOK, body)
	for _, form := range []string{"classify-form", "verification-form", "source-form", "publishable-form"} {
		if !strings.Contains(body, `id="`+form+`"`) {
			t.Errorf("the analyst is not offered %s", form)
		}
	}

	// A verification step: a bad confidence is refused by its input.
	code, body, _ = b.post(path+"/verification", url.Values{"vs-step": {"technical"}, "vs-confidence": {"very"}, "vs-note": {"Geolocated from the video."}})
	wantStatus(t, "a step with a bad confidence", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#vs-confidence"`) || !strings.Contains(body, "Geolocated from the video.") {
		t.Error("the refused step does not name the confidence or lost the note")
	}
	code, body, _ = b.post(path+"/verification", url.Values{"vs-confidence": {"0.9"}})
	wantStatus(t, "a step without its kind", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#vs-step"`) {
		t.Error("the refused step does not name the step")
	}
	code, body, loc := b.post(path+"/verification", url.Values{"vs-step": {"technical"}, "vs-confidence": {"0.8"},
		"vs-note": {"Geolocated from the video."}, "vs-state": {"partly_verified"}})
	wantStatus(t, "a verification step", code, http.StatusSeeOther, body)
	if loc != path+"#verification" {
		t.Errorf("after the step: redirect to %q", loc)
	}
	code, body = b.get(path)
	wantStatus(t, "the page after the step", code, http.StatusOK, body)
	for _, want := range []string{"Technical verification step recorded: the incident is now partly verified", "Geolocated from the video.",
		"app-verification--partly_verified"} {
		if !strings.Contains(body, want) {
			t.Errorf("after the step the page lacks %q", want)
		}
	}

	// A classification.
	code, body, _ = b.post(path+"/classifications", url.Values{"cl-code": {"8(9)(z)"}, "cl-status": {"alleged"}})
	wantStatus(t, "an unknown provision", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#cl-code"`) {
		t.Error("the refused classification does not name the provision")
	}
	code, body, loc = b.post(path+"/classifications", url.Values{"cl-code": {"8(2)(b)(ix)"}, "cl-status": {"alleged"}})
	wantStatus(t, "a classification", code, http.StatusSeeOther, body)
	if loc != path+"#classifications" {
		t.Errorf("after the classification: redirect to %q", loc)
	}
	code, body = b.get(path)
	wantStatus(t, "the page after the classification", code, http.StatusOK, body)
	text := html.UnescapeString(body)
	for _, want := range []string{"Classified under Rome Statute article 8(2)(b)(ix) as alleged", "8(2)(b)(ix)", "app-classification--alleged"} {
		if !strings.Contains(text, want) {
			t.Errorf("after the classification the page lacks %q", want)
		}
	}
	if code, body := b.get("/incidents?classification=8(2)(b)"); !listedIncidents(body)[e.gaza.ID] || len(listedIncidents(body)) != 1 {
		t.Errorf("filter by 8(2)(b): status %d, listed %v", code, listedIncidents(body))
	}

	// An evidence source, then a custody event.
	code, body, _ = b.post(path+"/sources", url.Values{"es-publisher": {"Example Monitor"}, "es-captured_at": {"yesterday"}, "es-sha256": {"abc"}})
	wantStatus(t, "a bad source", code, http.StatusUnprocessableEntity, body)
	for _, f := range []string{"es-captured_at", "es-sha256"} {
		if !strings.Contains(body, `href="#`+f+`"`) {
			t.Errorf("the refused source does not name %s", f)
		}
	}
	hash := strings.Repeat("ab", 32)
	code, body, loc = b.post(path+"/sources", url.Values{"es-publisher": {"Example Monitor"}, "es-url": {"https://example.org/report/1"},
		"es-captured_at": {"2024-03-13T08:00:00Z"}, "es-sha256": {hash}, "es-note": {"Web archive capture"}})
	wantStatus(t, "a source", code, http.StatusSeeOther, body)
	sourceFrag := strings.TrimPrefix(loc, path+"#source-")
	if _, err := strconv.Atoi(sourceFrag); err != nil {
		t.Fatalf("after the source: redirect to %q", loc)
	}
	code, body, _ = b.post(path+"/sources/"+sourceFrag+"/custody", url.Values{"cu-" + sourceFrag + "-action": {"teleported"}})
	wantStatus(t, "an unknown custody action", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#cu-`+sourceFrag+`-action"`) {
		t.Error("the refused custody event does not name its action")
	}
	code, body, _ = b.post(path+"/sources/"+sourceFrag+"/custody", url.Values{"cu-" + sourceFrag + "-action": {"hash_checked"},
		"cu-" + sourceFrag + "-note": {"Hash matches the capture."}})
	wantStatus(t, "a custody event", code, http.StatusSeeOther, body)
	code, body = b.get(path)
	wantStatus(t, "the page after the custody event", code, http.StatusOK, body)
	for _, want := range []string{"Example Monitor", "https://example.org/report/1", hash, "Web archive capture", "Captured", "Hash checked",
		"Hash matches the capture.", "recorded in the register"} {
		if !strings.Contains(body, want) {
			t.Errorf("after the source the page lacks %q", want)
		}
	}

	// Publication.
	code, body, _ = b.post(path+"/publishable", url.Values{"publishable": {"yes"}})
	wantStatus(t, "mark publishable", code, http.StatusSeeOther, body)
	code, body = b.get(path)
	wantStatus(t, "the page after publication", code, http.StatusOK, body)
	if !strings.Contains(body, "Marked publishable") || !strings.Contains(body, "Mark as not publishable") {
		t.Error("the incident is not shown publishable")
	}
	if code, body := b.get("/incidents?publishable=yes"); len(listedIncidents(body)) != 1 {
		t.Errorf("publishable filter: %d %v", code, listedIncidents(body))
	}
	// Every change is a version.
	if n := strings.Count(body, `<td class="govuk-table__cell">analyst</td>`); n != 3 {
		t.Errorf("%d analyst versions, want 3 (step with a state, classification, publication)", n)
	}
}

func TestIncidentPageRecord(t *testing.T) {
	e := newIncidentEnv(t)
	b := e.browser(t)
	b.signIn("analyst1")
	code, body := b.get("/incidents/new")
	wantStatus(t, "the new incident form", code, http.StatusOK, body)

	form := url.Values{"start_date": {"2024-13-01"}, "country": {""}, "latitude": {"31.5"}, "killed": {"many"},
		"weapon-launch": {"air_drone"}, "actor-confidence": {"2"}, "actor-name": {"Unknown drone operator"}, "narrative": {"Drone strike on a convoy."}}
	code, body, _ = b.post("/incidents", form)
	wantStatus(t, "an invalid incident", code, http.StatusUnprocessableEntity, body)
	for _, f := range []string{"start_date", "country", "longitude", "killed", "weapon-reported", "actor-confidence"} {
		if !strings.Contains(body, `href="#`+f+`"`) {
			t.Errorf("the refused incident does not name %s", f)
		}
		if !strings.Contains(body, `id="`+f+`"`) {
			t.Errorf("the form has no input #%s", f)
		}
	}
	if !strings.Contains(body, "Drone strike on a convoy.") {
		t.Error("the refused form lost the narrative")
	}

	form = url.Values{"start_date": {"2024-04-01"}, "date_precision": {"1"}, "country": {"PS"}, "admin1": {"Gaza Strip"}, "place": {"Deir al-Balah"},
		"latitude": {"31.4183"}, "longitude": {"34.3506"}, "geo_precision": {"1"}, "redacted": {"yes"}, "target": {"aid"},
		"killed": {"7"}, "aid_workers": {"7"}, "weapon-reported": {"Aerial Bomb: Drone"}, "weapon-launch": {"air_drone"},
		"actor-name": {"Unknown drone operator"}, "actor-type": {"0"}, "actor-confidence": {"0.4"}, "narrative": {"Drone strike on a convoy."},
		"verification": {"unverified"}}
	code, body, loc := b.post("/incidents", form)
	wantStatus(t, "record an incident", code, http.StatusSeeOther, body)
	if !strings.HasPrefix(loc, "/incidents/") {
		t.Fatalf("after recording: redirect to %q", loc)
	}
	code, body = b.get(loc)
	wantStatus(t, "the recorded incident", code, http.StatusOK, body)
	for _, want := range []string{"Incident MAN-5 recorded", "manual:MAN-5", "Aid convoy, warehouse or worker", "Aerial Bomb: Drone",
		"Unknown drone operator", "Location withheld by the publisher", "Drone strike on a convoy."} {
		if !strings.Contains(body, want) {
			t.Errorf("the recorded incident's page lacks %q", want)
		}
	}
	// Recorded as redacted: the coordinates typed are never shown.
	if strings.Contains(body, "31.4183") || strings.Contains(body, "Deir al-Balah") {
		t.Error("the redacted incident recorded by hand shows its place")
	}
}

// TestIncidentPagesLargeSet: over 2,000 incidents the map shows the first
// 2,000 and says so, and the timeline counts every incident (per month, by
// the store) rather than the 2,000 read.
func TestIncidentPagesLargeSet(t *testing.T) {
	e := newIncidentEnv(t)
	const n = 2100
	res, err := e.st.ImportIncidents(context.Background(), e.analyst, "test", "large.csv", func(emit func(exportctl.Incident, int) error) error {
		for i := range n {
			in := exportctl.Incident{Sources: []exportctl.SourceID{{Source: "test", ID: "T-" + strconv.Itoa(i)}},
				StartDate: fmt.Sprintf("2022-%02d-%02d", 1+i%12, 1+i%28), Country: "YE", Admin1: "Taiz",
				Latitude: f64(13.58 + float64(i%50)/100), Longitude: f64(44.02 + float64(i%40)/100), Redacted: i%100 == 0,
				Target: exportctl.TargetCategories[i%len(exportctl.TargetCategories)]}
			if err := emit(in, i+2); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if err != nil || res.New != n {
		t.Fatalf("import: %+v, %v", res, err)
	}
	b := e.browser(t)
	b.signIn("analyst1")
	code, body := b.get("/incidents?country=YE")
	wantStatus(t, "the large set", code, http.StatusOK, body)
	if !strings.Contains(body, "Showing the first 2,000 of 2,100 incidents") {
		t.Error("the map does not say it shows the first 2,000")
	}
	var m struct {
		Points []struct {
			ID int64 `json:"id"`
		} `json:"points"`
	}
	if err := json.Unmarshal([]byte(jsonBlock(t, body, "incidents-map-data")), &m); err != nil {
		t.Fatal(err)
	}
	if len(m.Points) > 2000 || len(m.Points) < 1950 {
		t.Errorf("%d points on the map", len(m.Points))
	}
	var tl struct {
		Months []string `json:"months"`
		Series []struct {
			Counts []int `json:"counts"`
		} `json:"series"`
	}
	if err := json.Unmarshal([]byte(jsonBlock(t, body, "incidents-timeline-data")), &tl); err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, s := range tl.Series {
		for _, c := range s.Counts {
			total += c
		}
	}
	if total != n || len(tl.Months) != 12 {
		t.Errorf("the timeline counts %d incidents over %d months, want %d over 12", total, len(tl.Months), n)
	}
	// The dates of the filter bound the months counted.
	code, body = b.get("/incidents?country=YE&from=2022-03-15&to=2022-05-10")
	wantStatus(t, "a date range", code, http.StatusOK, body)
	if err := json.Unmarshal([]byte(jsonBlock(t, body, "incidents-timeline-data")), &tl); err != nil {
		t.Fatal(err)
	}
	if strings.Join(tl.Months, " ") != "2022-03 2022-04 2022-05" {
		t.Errorf("months %v", tl.Months)
	}
}
