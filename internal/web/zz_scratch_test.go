//go:build incidentpages && scratch

package web_test

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/exportctl/exportctl/internal/importer"

	"github.com/chromedp/chromedp"

	"github.com/exportctl/exportctl"
)

func TestScratchShots(t *testing.T) {
	ctx, problems := newChrome(t)
	e := newIncidentEnv(t)
	bg := context.Background()
	if _, err := e.st.AddVerificationStep(bg, e.analyst, e.gaza.ID, exportctl.VerificationStepInput{Step: "technical", Confidence: 0.8, Note: "Geolocated from video", State: "partly_verified"}); err != nil {
		t.Fatal(err)
	}
	src, err := e.st.AddEvidenceSource(bg, e.analyst, e.gaza.ID, exportctl.EvidenceSourceInput{Publisher: "Example Monitor", URL: "https://example.org/r/1", CapturedAt: "2024-03-13", SHA256: "abababababababababababababababababababababababababababababababab"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.AddCustodyEvent(bg, e.analyst, e.gaza.ID, src.ID, exportctl.CustodyEventInput{Action: "hash_checked", Note: "ok"}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.SetClassification(bg, e.analyst, e.gaza.ID, exportctl.ClassificationInput{Code: "8(2)(b)(ix)", Status: "alleged"}); err != nil {
		t.Fatal(err)
	}
	base := e.srv.URL
	if err := chromedp.Do(ctx, signInSteps(base, "analyst1")); err != nil {
		t.Fatal(err)
	}
	shots := func(name, url string, n int) {
		if err := chromedp.Do(ctx, chromedp.Navigate(base+url), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if err := chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](fmt.Sprintf("window.scrollTo(0, %d)", i*900))); err != nil {
				t.Fatal(err)
			}
			buf, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			if err != nil {
				t.Fatal(err)
			}
			os.WriteFile(fmt.Sprintf("/tmp/scratch-%s-%d.png", name, i), buf, 0o644)
		}
	}
	shots("incident", incidentPath(e.gaza), 5)
	shots("redacted", incidentPath(e.redacted), 1)
	shots("new", "/incidents/new", 4)
	shots("bad", "/incidents?from=2024-13-01&west=3", 2)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/incidents?from=2024-13-01&west=3"), chromedp.WaitVisible(chromedp.CSS("main"))); err != nil {
		t.Fatal(err)
	}
	t.Log(problems())
}

func TestScratchSiND(t *testing.T) {
	e := newIncidentEnv(t)
	f, err := os.Open("/work/shared/data/insecurity-insight/attacks-on-health-care-2016-2023.csv")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	res, err := e.st.ImportIncidents(context.Background(), e.analyst, "sind-health", "attacks.csv", func(emit func(exportctl.Incident, int) error) error {
		_, err := importer.SiNDEach(f, "sind-health", emit)
		return err
	}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("imported %+v", res.ImportResult)
	b := e.browser(t)
	b.signIn("analyst1")
	for _, q := range []string{"", "?country=PS", "?country=SY&target=hospital", "?near_lat=31.5&near_lon=34.45&near_km=30", "?q=hospital"} {
		start := time.Now()
		code, body := b.get("/incidents" + q)
		t.Logf("%s: %d in %v, %d bytes", q, code, time.Since(start), len(body))
	}
	ctx, problems := newChrome(t)
	base := e.srv.URL
	if err := chromedp.Do(ctx, signInSteps(base, "analyst1"),
		chromedp.Navigate(base+"/incidents?country=PS#view-map"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#incidents-map path.app-map-country').length > 100`),
	); err != nil {
		t.Fatal(err)
	}
	buf, _ := chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#view-map")))
	os.WriteFile("/tmp/scratch-sind-map.png", buf, 0o644)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/incidents#view-map"),
		chromedp.Poll[chromedp.Void](`document.querySelectorAll('#incidents-map path.app-map-country').length > 100`),
	); err != nil {
		t.Fatal(err)
	}
	buf, _ = chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#view-map")))
	os.WriteFile("/tmp/scratch-sind-map-all.png", buf, 0o644)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/incidents#view-timeline"),
		chromedp.Poll[chromedp.Void](`document.getElementById('incidents-timeline-figure').getAttribute('data-drawn') === 'true'`),
	); err != nil {
		t.Fatal(err)
	}
	buf, _ = chromedp.Run(ctx, chromedp.Screenshot(chromedp.CSS("#view-timeline")))
	os.WriteFile("/tmp/scratch-sind-timeline.png", buf, 0o644)
	t.Log(problems())
}
