package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exportctl/exportctl"
)

// TestBrowserIncidents: an analyst filters the evidence register, switches
// to the map (Leaflet draws the incidents over the offline country shapes,
// leaving the redacted one off) and to the timeline (Chart.js), then opens
// an incident and its small map. No asset may fail, no script may throw.
func TestBrowserIncidents(t *testing.T) {
	ctx, problems := newChrome(t)
	e := newIncidentEnv(t)
	// More incidents over a year, for a fuller map and timeline.
	places := []struct {
		country, admin1, place string
		lat, lon               float64
	}{
		{"PS", "Gaza Strip", "Gaza City", 31.5017, 34.4668}, {"PS", "Gaza Strip", "Rafah", 31.2968, 34.2435},
		{"SY", "Idlib", "Maarat al-Numan", 35.6433, 36.6764}, {"SY", "Aleppo", "Azaz", 36.5864, 37.0469},
		{"YE", "Sanaa", "Sanaa", 15.3694, 44.191}, {"YE", "Hodeidah", "Hodeidah", 14.7978, 42.9545},
		{"SD", "Khartoum", "Omdurman", 15.6445, 32.4777}, {"UA", "Donetsk", "Kramatorsk", 48.7305, 37.5843},
	}
	launches := []string{exportctl.LaunchAirPlane, exportctl.LaunchAirDrone, exportctl.LaunchGround, exportctl.LaunchUnknown}
	for i := range 40 {
		p := places[i%len(places)]
		in := exportctl.Incident{
			StartDate: time.Date(2023, time.Month(1+i%14), 1+i%27, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), Country: p.country,
			Admin1: p.admin1, Place: p.place, Latitude: f64(p.lat + float64(i%5)*0.03), Longitude: f64(p.lon - float64(i%3)*0.03),
			GeoPrecision: 1, Target: exportctl.TargetCategories[i%len(exportctl.TargetCategories)],
			Harm:    exportctl.Harm{Killed: i % 4, Injured: i % 7},
			Weapons: []exportctl.IncidentWeapon{{Reported: "reported weapon", Launch: launches[i%len(launches)]}},
			Actors:  []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 1, Name: fmt.Sprintf("Force %c", 'A'+i%4), Confidence: 0.5}},
		}
		if _, err := e.st.CreateIncident(context.Background(), e.analyst, in); err != nil {
			t.Fatal(err)
		}
	}
	base := e.srv.URL
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	count := func(expr string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](expr))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return n
	}
	// shot saves a screenshot of an element, or of the viewport when sel is "".
	shot := func(name, sel string) {
		t.Helper()
		action := chromedp.CaptureScreenshot()
		if sel != "" {
			action = chromedp.Screenshot(chromedp.CSS(sel))
		}
		buf, err := chromedp.Run(ctx, action)
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		path := filepath.Join(os.TempDir(), "exportctl-"+name+".png")
		if err := os.WriteFile(path, buf, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}

	do("analyst signs in", signInSteps(base, "analyst1"))
	do("open the register with a filter",
		chromedp.Navigate(base+"/incidents?from=2023-01-01"),
		chromedp.WaitVisible(chromedp.ID("incidents")),
	)
	listed := count(`document.querySelectorAll('#incidents tbody tr').length`)
	if listed != 44 { // 40 here and the fixture's four
		t.Errorf("the table lists %d incidents, want 44", listed)
	}
	if n := count(`document.querySelectorAll('#view-map:not(.govuk-tabs__panel--hidden)').length`); n != 0 {
		t.Error("the map panel is shown before its tab is chosen")
	}
	shot("incidents-top", "")
	do("scroll to the table", chromedp.Evaluate[chromedp.Void](`document.getElementById('incident-count').scrollIntoView({block: 'start'})`))
	shot("incidents-table", "")

	do("switch to the map",
		chromedp.Click(chromedp.CSS(`a.govuk-tabs__tab[href="#view-map"]`)),
		chromedp.WaitVisible(chromedp.ID("incidents-map")),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#incidents-map path.leaflet-interactive').length > 0`,
			chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#incidents-map path.app-map-country').length > 100`,
			chromedp.WithPollingTimeout(20*time.Second)),
	)
	markers := count(`document.querySelectorAll('#incidents-map path.leaflet-interactive').length`)
	if markers != 43 { // 44 listed, the redacted one left off
		t.Errorf("the map draws %d markers, want 43", markers)
	}
	withheld, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("map-withheld")))
	if err != nil || !strings.Contains(withheld, "1 incident has no published location (withheld by the publisher)") {
		t.Errorf("the map's note on withheld places: %q, %v", withheld, err)
	}
	if action := count(`document.getElementById('incident-filters').getAttribute('action') === '/incidents#view-map' ? 1 : 0`); action != 1 {
		t.Error("the filter form does not keep the map view")
	}
	do("open a marker's popup",
		chromedp.Evaluate[chromedp.Void](`document.querySelector('#incidents-map path.leaflet-interactive').dispatchEvent(new MouseEvent('click', {bubbles: true}))`),
		chromedp.WaitVisible(chromedp.CSS(".leaflet-popup .app-map-popup a")),
	)
	shot("incidents-map", "#view-map")

	do("switch to the timeline",
		chromedp.Click(chromedp.CSS(`a.govuk-tabs__tab[href="#view-timeline"]`)),
		chromedp.WaitVisible(chromedp.ID("incidents-timeline-chart")),
		chromedp.Poll[chromedp.Void](`document.getElementById('incidents-timeline-figure').getAttribute('data-drawn') === 'true'`,
			chromedp.WithPollingTimeout(20*time.Second)),
	)
	if w := count(`document.getElementById('incidents-timeline-chart').width`); w < 300 {
		t.Errorf("the timeline canvas is %d pixels wide", w)
	}
	shot("incidents-timeline", "#view-timeline")

	do("stack the timeline by launch type",
		chromedp.Click(chromedp.ID("stack-launch")),
		chromedp.WaitVisible(chromedp.ID("stack-target")),
		chromedp.Poll[chromedp.Void](`document.getElementById('incidents-timeline-figure').getAttribute('data-drawn') === 'true'`,
			chromedp.WithPollingTimeout(20*time.Second)),
	)

	do("open an incident",
		chromedp.Navigate(base+incidentPath(e.gaza)),
		chromedp.WaitVisible(chromedp.ID("incident-heading")),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#incident-map path.leaflet-interactive').length === 1 && document.querySelectorAll('#incident-map path.app-map-country').length > 100`,
			chromedp.WithPollingTimeout(20*time.Second)),
	)
	shot("incident", "")
	screenshot(ctx, t, "incident-full")
	do("open the redacted incident",
		chromedp.Navigate(base+incidentPath(e.redacted)),
		chromedp.WaitVisible(chromedp.ID("incident-heading")),
	)
	if n := count(`document.querySelectorAll('#incident-map, .leaflet-container').length`); n != 0 {
		t.Error("the redacted incident's page draws a map")
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("the browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}
