package web_test

import (
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// TestBrowserPublicPages: the public searches the register, opens a
// decision and verifies its proofs in the browser, and reads the
// statistics with their charts drawn; the CSV and JSON downloads hold the
// numbers the pages show.
func TestBrowserPublicPages(t *testing.T) {
	ctx, problems := newChrome(t)
	s := storetest.Open(t, "sqlite", nil)
	f := storetest.NewFixture(t, s)
	p := storetest.Publish(t, s, f)
	if _, err := s.ImportHistorical(t.Context(), exportctl.System, "values.csv", slices.Values([]exportctl.HistoricalDecision{
		{Group: "1", Date: "2014-08-01", LicenceType: "SIEL", Rating: "ML10", Count: 1, ValueGBP: 1000, Destination: "IL"},
		{Group: "2", Date: "2014-08-02", LicenceType: "SIEL", Rating: "ML1", Count: 1, Destination: "IL", Refused: true},
		{Group: "3", Date: "2014-11-06", LicenceType: "SIEL", Rating: "ML4", Count: 3, ValueGBP: 250.5, Destination: "SA"},
	})); err != nil {
		t.Fatal(err)
	}
	if _, err := s.PublishStatistics(t.Context(), f.Admin, "2014"); err != nil {
		t.Fatal(err)
	}
	base := publicServer(t, s).URL
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string, out any) {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](expr))
		if err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
		if err := json.Unmarshal(v, out); err != nil {
			t.Fatalf("%s: %v", expr, err)
		}
	}

	// The landing page's commands name the site as the browser reached it.
	do("open the landing page", chromedp.Navigate(base+"/public/"), chromedp.Poll[chromedp.Void](
		`document.getElementById('verify-command').textContent.includes('--url '+location.origin+' ')`, chromedp.WithPollingTimeout(10*time.Second)))
	// The register: search by the goods' heading, open the refusal.
	do("open the register", chromedp.Click(chromedp.ID("link-register")), chromedp.WaitVisible(chromedp.ID("register")))
	var rows int
	eval(`document.querySelectorAll('#register tbody tr').length`, &rows)
	if rows != 7 { // 4 published events and 3 historical decisions
		t.Errorf("register rows: %d", rows)
	}
	do("search the goods", chromedp.SendKeys(chromedp.ID("q"), "bombs"), chromedp.Click(chromedp.ID("apply-filters")),
		xpath(`//span[@id="register-total"][normalize-space(.)="2"]`))
	do("open the refusal", chromedp.Click(chromedp.Search(`//a[normalize-space(.)="`+p.Refused.Reference+`"]`)), chromedp.WaitVisible(chromedp.ID("reference")))

	// The issued licence's page: verify every proof in the browser.
	do("open the issued licence", chromedp.Navigate(base+"/public/decisions/"+p.Issued.Reference), chromedp.WaitVisible(chromedp.ID("checkpoint")))
	var indexes []int
	eval(`Array.from(document.querySelectorAll('[data-verify-index]')).map(b => +b.dataset.verifyIndex)`, &indexes)
	if len(indexes) != 3 {
		t.Fatalf("proof buttons: %v", indexes)
	}
	for _, i := range indexes {
		n := strconv.Itoa(i)
		do("verify entry "+n,
			chromedp.Evaluate[chromedp.Void](`document.querySelector('#log-`+n+` details').open = true`),
			chromedp.Click(chromedp.Search(`//button[@data-verify-index="`+n+`"]`)),
			chromedp.Poll[chromedp.Void](`document.querySelector('[data-verify-result="`+n+`"]').textContent.startsWith('Verified: entry `+n+` ')`,
				chromedp.WithPollingTimeout(10*time.Second)))
	}

	// Statistics of the current quarter and of the released year 2014.
	now := s.Now().UTC()
	for _, period := range []string{fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())-1)/3+1), "2014"} {
		do("open the statistics of "+period, chromedp.Navigate(base+"/public/statistics?period="+period), chromedp.WaitVisible(chromedp.ID("table-licence_decisions")))
		// The charts are drawn: visible, with painted pixels.
		for _, id := range []string{"chart-outcomes", "chart-destinations", "chart-criteria", "chart-processing"} {
			if period == "2014" && (id == "chart-criteria" || id == "chart-processing") {
				continue // history has neither criteria nor clocks
			}
			do("draw "+id, chromedp.Poll[chromedp.Void](`(() => { const c = document.getElementById('`+id+`');
				if (!c || document.getElementById('`+id+`-figure').hidden || !window.Chart.getChart(c)) return false;
				const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
				for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n > 500 })()`, chromedp.WithPollingTimeout(20*time.Second)))
		}
		var tables map[string][][]string
		eval(`Object.fromEntries(Array.from(document.querySelectorAll('table[id^="table-"]')).map(t => [t.id.slice(6),
			[Array.from(t.querySelectorAll('thead th')).map(c => c.textContent.trim())].concat(
			Array.from(t.querySelectorAll('tbody tr')).map(r => Array.from(r.cells).map(c => c.textContent.trim())))]))`, &tables)
		if len(tables["licence_decisions"]) < 2 || len(tables["destinations"]) < 2 {
			t.Fatalf("%s: tables %v", period, tables)
		}
		// The chart of outcomes adds up to the licence decisions table.
		var chartTotal float64
		eval(`window.Chart.getChart(document.getElementById('chart-outcomes')).data.datasets[0].data.reduce((a, b) => a + b, 0)`, &chartTotal)
		tableTotal := 0.0
		for _, r := range tables["licence_decisions"][1:] {
			n, _ := strconv.ParseFloat(r[2], 64)
			tableTotal += n
		}
		if chartTotal != tableTotal || tableTotal == 0 {
			t.Errorf("%s: the outcomes chart shows %v, the table %v", period, chartTotal, tableTotal)
		}
		// Each CSV download is its table, column names included.
		for name, table := range tables {
			_, body := get(t, base+"/public/statistics/"+url.PathEscape(period)+"/"+name+".csv", "")
			recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil {
				t.Fatalf("%s %s.csv: %v", period, name, err)
			}
			if fmt.Sprint(recs) != fmt.Sprint(table) {
				t.Errorf("%s %s.csv:\n%v\nthe page shows:\n%v", period, name, recs, table)
			}
		}
		// And the JSON download holds the same tables.
		_, body := get(t, base+"/api/v1/public/statistics/"+period, "")
		var st exportctl.Statistics
		if err := json.Unmarshal([]byte(body), &st); err != nil {
			t.Fatal(err)
		}
		for _, tb := range st.Tables {
			got := [][]string{tb.Columns}
			for _, r := range tb.Rows {
				var cells []string
				for _, v := range r {
					if n, ok := v.(float64); ok {
						cells = append(cells, strconv.FormatFloat(n, 'f', -1, 64))
					} else {
						cells = append(cells, fmt.Sprint(v))
					}
				}
				got = append(got, cells)
			}
			if want := tables[tb.Name]; len(tb.Rows) > 0 && fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s JSON %s: %v, the page shows %v", period, tb.Name, got, want)
			}
		}
		if period == "2014" {
			// The release as stored hashes to the hash in the log.
			_, content := get(t, base+"/public/statistics/2014/release.json", "")
			if sum := sha256.Sum256([]byte(content)); st.Release == nil || hex.EncodeToString(sum[:]) != st.Release.SHA256 {
				t.Errorf("release.json hashes to %x, the release says %+v", sum, st.Release)
			}
			_, leaf := get(t, fmt.Sprintf("%s/log/tile/entries/000.p/%d", base, st.Release.LogIndex+1), "")
			if !strings.Contains(leaf, `"sha256":"`+st.Release.SHA256+`"`) {
				t.Errorf("the logged leaf does not hold the release's hash")
			}
			var text string
			eval(`document.getElementById('release').textContent + document.getElementById('attribution').textContent`, &text)
			if !strings.Contains(text, "Released") || !strings.Contains(text, "CAAT") || st.Release == nil || st.Historical != 3 {
				t.Errorf("2014: %q, release %+v", text, st.Release)
			}
		}
	}
	screenshot(ctx, t, "public-statistics")
	if p := problems(); len(p) > 0 {
		t.Errorf("browser problems:\n%s", strings.Join(p, "\n"))
	}
}
