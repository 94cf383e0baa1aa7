package web_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestExposurePage: the form, an answer with its paths, errors named by
// field, the links from the licence and incident pages, and who may see it.
func TestExposurePage(t *testing.T) {
	e := newPageEnv(t)
	shown, withheld := seedExposure(t, e.st, e.fx)
	b := e.browser(t)
	b.signIn("officer1")
	code, body := b.get("/exposure")
	if code != 200 || !strings.Contains(body, `id="exposure-form"`) || strings.Contains(body, `id="exposure-summary"`) {
		t.Fatalf("empty form: %d", code)
	}
	code, body = b.get("/exposure?destination=IL&since=2023-10-01")
	for _, want := range []string{
		"<strong>2</strong> links between\n  2 licences and 2 incidents", "version 1 of the exposure rules",
		`data-licence="CAAT/1" data-incident="` + itoa(shown) + `"`, `data-incident="` + itoa(withheld) + `"`,
		"Platform: F-16", "Israeli Defence Forces", "app-strength--platform",
		`href="/api/v1/exposure?destination=IL&amp;format=csv&amp;limit=100000&amp;since=2023-10-01"`,
		`id="map-withheld">1 linked incident has no published location`,
		"1 licence has links, the most direct, then platform links first. 1 licence has none under these rules.",
		`href="/exposure?licence=CAAT%2f1"`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("the answer lacks %q", want)
		}
	}
	if code != 200 || strings.Contains(body, "Withheld clinic") || strings.Contains(body, "data-licence=\"CAAT/2\"") {
		t.Errorf("%d: a withheld place or the body-armour licence shown", code)
	}
	for path, want := range map[string]string{
		"/exposure?destination=XX":                  "is not an ISO 3166-1 alpha-2",
		"/exposure?licence=NOPE":                    "There is no licence with the reference NOPE",
		"/exposure?incident=abc":                    "Enter the incident&#39;s number",
		"/exposure?destination=IL&since=2023-13-01": "is not a date",
	} {
		if code, body := b.get(path); code != http.StatusUnprocessableEntity || !strings.Contains(body, want) || !strings.Contains(body, "govuk-error-summary") {
			t.Errorf("%s: %d, want the error %q", path, code, want)
		}
	}
	// The licence and incident pages lead here.
	var licenceID int64
	if err := e.st.DB().QueryRow(`SELECT id FROM licences WHERE reference = 'CAAT/1'`).Scan(&licenceID); err != nil {
		t.Fatal(err)
	}
	if _, body := b.get("/licences/" + itoa(licenceID)); !strings.Contains(body, `id="exposure-link" href="/exposure?licence=CAAT%2f1"`) {
		t.Errorf("the licence page does not link to its exposure: %s", body)
	}
	if _, body := b.get("/incidents/" + itoa(shown)); !strings.Contains(body, `href="/exposure?incident=`+itoa(shown)+`"`) {
		t.Error("the incident page does not link to its exposure")
	}
	// Exporters may not.
	ex := e.browser(t)
	ex.signIn("exporter1")
	if code, _ := ex.get("/exposure?destination=IL"); code != http.StatusForbidden {
		t.Errorf("exporter: %d", code)
	}
}
