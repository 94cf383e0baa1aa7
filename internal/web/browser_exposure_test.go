package web_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserExposure: a case officer asks which licences to Israel could
// be connected to incidents since October 2023, reads a link's path, sees
// the linked incident on the map (the withheld one left off) and the
// timeline. No asset may fail, no script may throw.
func TestBrowserExposure(t *testing.T) {
	ctx, problems := newChrome(t)
	e := newPageEnv(t)
	seedExposure(t, e.st, e.fx)
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
	do("sign in", signInSteps(base, "officer1"))
	do("ask about Israel",
		chromedp.Navigate(base+"/exposure"),
		chromedp.WaitVisible(chromedp.ID("exposure-form")),
		chromedp.SetValue(chromedp.ID("destination"), "IL"),
		chromedp.SendKeys(chromedp.ID("since"), "2023-10-01"),
		chromedp.Click(chromedp.ID("exposure-submit")),
		chromedp.WaitVisible(chromedp.ID("exposure-links")),
	)
	if n := count(`document.querySelectorAll('#exposure-links tbody tr').length`); n != 2 {
		t.Errorf("%d links listed, want 2", n)
	}
	summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("exposure-summary")))
	if err != nil || !strings.Contains(summary, "2 links between 2 licences and 2 incidents") {
		t.Errorf("summary %q %v", summary, err)
	}
	do("open a path",
		chromedp.Click(chromedp.CSS(`#exposure-links tbody tr:first-child .govuk-details__summary`)),
		chromedp.WaitVisible(chromedp.CSS(`#exposure-links tbody tr:first-child .govuk-details__text`)),
	)
	path, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`#exposure-links tbody tr:first-child .govuk-details__text`)))
	if err != nil || !strings.Contains(path, "Platform: F-16") || !strings.Contains(path, "Force: Israeli Defence Forces") || !strings.Contains(path, "Dates:") {
		t.Errorf("path %q %v", path, err)
	}
	screenshot(ctx, t, "exposure-links")

	do("switch to the map",
		chromedp.Click(chromedp.CSS(`a.govuk-tabs__tab[href="#view-map"]`)),
		chromedp.WaitVisible(chromedp.ID("incidents-map")),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#incidents-map path.leaflet-interactive').length > 0`,
			chromedp.WithPollingTimeout(20*time.Second)),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#incidents-map path.app-map-country').length > 100`,
			chromedp.WithPollingTimeout(20*time.Second)),
	)
	if n := count(`document.querySelectorAll('#incidents-map path.leaflet-interactive').length`); n != 1 {
		t.Errorf("the map draws %d markers, want 1 (the other place is withheld)", n)
	}
	if buf, err := chromedp.Run(ctx, chromedp.Screenshot(chromedp.ID("view-map"))); err == nil {
		path := filepath.Join(os.TempDir(), "exportctl-exposure-map.png")
		if err := os.WriteFile(path, buf, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	}

	do("switch to the timeline",
		chromedp.Click(chromedp.CSS(`a.govuk-tabs__tab[href="#view-timeline"]`)),
		chromedp.WaitVisible(chromedp.ID("incidents-timeline-chart")),
		chromedp.Poll[chromedp.Void](`document.getElementById('incidents-timeline-figure').getAttribute('data-drawn') === 'true'`,
			chromedp.WithPollingTimeout(20*time.Second)),
	)
	if w := count(`document.getElementById('incidents-timeline-chart').width`); w < 300 {
		t.Errorf("the timeline canvas is %d pixels wide", w)
	}
	if p := problems(); len(p) > 0 {
		t.Errorf("the browser reported problems:\n%s", strings.Join(p, "\n"))
	}
}
