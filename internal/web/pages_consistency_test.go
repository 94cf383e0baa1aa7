package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
)

// TestPageDenialMatch: a notified denial the application repeats shows on
// the case, must be answered with reasons, and lists in the register.
func TestPageDenialMatch(t *testing.T) {
	e := newPageEnv(t)
	ctx := context.Background()
	if _, _, err := e.st.ImportDenials(ctx, exportctl.System, []exportctl.DenialInput{{
		Reference: "DEN-2025-0042", Name: "Example Air Force", Country: "IL", ItemDescription: "F-16 landing gear actuators",
		Ratings: []string{"ML10a"}, EndUse: "Spares for the F-16 fleet of the end user", Reason: "Criterion 2c",
	}}, "partner-notifications.csv"); err != nil {
		t.Fatal(err)
	}
	_, caseURL := e.submitted(t)
	off := e.browser(t)
	off.signIn("officer1")
	code, body := off.get(caseURL)
	wantStatus(t, "case page", code, http.StatusOK, body)
	if !strings.Contains(body, "DEN-2025-0042") || !strings.Contains(body, "Unanswered") {
		t.Fatal("the case does not show the matching denial")
	}
	var denialID string
	if i := strings.Index(body, `id="denial-`); i >= 0 {
		denialID = strings.SplitN(body[i+len(`id="denial-`):], `"`, 2)[0]
	}
	if _, err := strconv.Atoi(denialID); err != nil {
		t.Fatalf("no denial id on the page: %q", denialID)
	}
	answer := caseURL + "/denial-matches/" + denialID + "/answer"
	code, body, _ = off.post(answer, url.Values{"reasons": {" "}})
	wantStatus(t, "answer without reasons", code, http.StatusUnprocessableEntity, body)
	if !strings.Contains(body, `href="#denial-reasons-`+denialID+`"`) {
		t.Error("the error does not link to the answer box")
	}
	code, _, loc := off.post(answer, url.Values{"reasons": {"The partner's denial concerned a different squadron and end use."}})
	if code != http.StatusSeeOther || loc != caseURL {
		t.Fatalf("answer: %d %s", code, loc)
	}
	_, body = off.get(caseURL)
	if strings.Contains(body, "Unanswered") || !strings.Contains(body, "different squadron") {
		t.Error("the answer is not shown")
	}
	_, body = off.get("/denials?country=IL")
	if !strings.Contains(body, "DEN-2025-0042") || !strings.Contains(body, "imported: partner-notifications.csv") {
		t.Error("the register does not list the denial")
	}
	senior := e.browser(t)
	senior.signIn("senior1")
	code, body = senior.get("/consistency")
	wantStatus(t, "consistency page", code, http.StatusOK, body)
	code, body = senior.get("/consistency?since=yesterday")
	wantStatus(t, "bad since", code, http.StatusUnprocessableEntity, body)
	exp := e.browser(t)
	exp.signIn("exporter1")
	if code, _ := exp.get("/denials"); code != http.StatusForbidden {
		t.Errorf("exporter opens the register: %d", code)
	}
	if _, body := exp.get(caseURL); strings.Contains(body, "DEN-2025-0042") {
		t.Error("the exporter sees the denial on the case")
	}
}
