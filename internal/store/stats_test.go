package store_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/importer"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// row finds the row of a statistics table whose first cells are key.
func statRow(t *testing.T, st *exportctl.Statistics, table string, key ...string) []string {
	t.Helper()
	tb := st.Table(table)
	if tb == nil {
		t.Fatalf("no table %s", table)
	}
	for _, r := range tb.Rows {
		var cells []string
		for _, v := range r {
			cells = append(cells, fmt.Sprint(v))
		}
		if strings.Join(cells[:len(key)], "|") == strings.Join(key, "|") {
			return cells
		}
	}
	t.Errorf("%s: no row %v in %v", table, key, tb.Rows)
	return nil
}

func TestStatisticsAndReleases(t *testing.T) {
	for _, engine := range storetest.Engines() {
		t.Run(engine, func(t *testing.T) { testStatistics(t, engine) })
	}
}

func testStatistics(t *testing.T, engine string) {
	{
		now := time.Date(2026, 8, 3, 10, 0, 0, 0, time.UTC)
		s := storetest.Open(t, engine, func() time.Time { return now })
		f := storetest.NewFixture(t, s)
		storetest.Publish(t, s, f)
		// History in the same quarter of another year, and in this one.
		_, err := s.ImportHistorical(ctx, exportctl.System, "v1.csv", seqOf([]exportctl.HistoricalDecision{
			{Group: "1", Date: "2014-08-01", LicenceType: "SIEL", Rating: "ML10", Count: 1, ValueGBP: 1000, Destination: "IL"},
			{Group: "2", Date: "2014-08-02", LicenceType: "SIEL", Rating: "ML1", Count: 1, Destination: "IL", Refused: true},
			{Group: "3", Date: "2014-09-06", LicenceType: "OIEL", Rating: "ML7", Count: 1, Destination: "SA"},
		}))
		if err != nil {
			t.Fatal(err)
		}

		st, err := s.Statistics(ctx, "2026-q3")
		if err != nil {
			t.Fatal(err)
		}
		if st.Release != nil || st.Period != "2026-Q3" || st.Historical != 0 || st.Attribution != "" {
			t.Errorf("provisional statistics: %+v", st)
		}
		checks := []struct {
			table string
			want  []string
		}{
			{"applications", []string{"SIEL", "2", "1", "1", "0"}},
			{"licence_decisions", []string{"SIEL", "suspended", "1"}},
			{"licence_decisions", []string{"SIEL", "departure", "1"}},
			{"licence_refusal_criteria", []string{"2c", "1"}},
			{"licence_refusal_criteria", []string{"7", "1"}},
			{"destinations", []string{"Israel", "IL", "1", "1", "0", "0", "1", "605000"}},
			{"goods", []string{"Military", "1", "1", "0", "605000"}},
			{"goods_ratings", []string{"ML4", exportctl.RatingTitle("ML4"), "0", "1", "0"}},
			{"goods_ratings", []string{"ML22", exportctl.RatingTitle("ML22"), "1", "0", "0"}},
			{"processing_times", []string{"2026 Q3", "2"}},
		}
		for _, c := range checks {
			if got := statRow(t, st, c.table, c.want[:2]...); strings.Join(got[:len(c.want)], "|") != strings.Join(c.want, "|") {
				t.Errorf("%s: %v, want %v", c.table, got, c.want)
			}
		}

		// History counts, with attribution; an open licence has no value.
		h, err := s.Statistics(ctx, "2014")
		if err != nil {
			t.Fatal(err)
		}
		if h.Historical != 3 || !strings.Contains(h.Attribution, "CAAT") {
			t.Errorf("2014: %d historical, %q", h.Historical, h.Attribution)
		}
		statRow(t, h, "applications", "OIEL", "1")
		statRow(t, h, "destinations", "Israel", "IL", "1", "1", "0", "0", "0", "1000")
		if q4, _ := s.Statistics(ctx, "2014-Q4"); len(q4.Table("applications").Rows) != 0 {
			t.Errorf("2014-Q4 should be empty: %+v", q4.Tables[0])
		}
		if _, err := s.Statistics(ctx, "2014-Q5"); exportctl.ErrorField(err) != "period" {
			t.Errorf("bad period: %v", err)
		}

		// A release needs a period that is over, and a role that may publish.
		if _, err := s.PublishStatistics(ctx, f.Admin, "2026-Q3"); exportctl.ErrorField(err) != "period" {
			t.Errorf("release of an open period: %v", err)
		}
		if _, err := s.PublishStatistics(ctx, f.Officer, "2014"); exportctl.ErrorCode(err) != exportctl.EForbidden {
			t.Errorf("release by an officer: %v", err)
		}
		rel, err := s.PublishStatistics(ctx, f.Admin, "2014")
		if err != nil {
			t.Fatal(err)
		}
		frozen, err := s.Statistics(ctx, "2014")
		if err != nil || frozen.Release == nil || frozen.Release.SHA256 != rel.SHA256 || frozen.Release.LogIndex != rel.LogIndex {
			t.Fatalf("released: %+v %v", frozen, err)
		}
		// The release stays as it was when the data changes later.
		if _, err := s.ImportHistorical(ctx, exportctl.System, "v2.csv", seqOf([]exportctl.HistoricalDecision{
			{Group: "4", Date: "2014-10-01", LicenceType: "SIEL", Rating: "ML10", Count: 1, ValueGBP: 5, Destination: "FR"},
		})); err != nil {
			t.Fatal(err)
		}
		again, _ := s.Statistics(ctx, "2014")
		a, _ := json.Marshal(again.Tables)
		b, _ := json.Marshal(frozen.Tables)
		if string(a) != string(b) || again.Historical != 3 {
			t.Errorf("the release changed: %s\n%s", a, b)
		}
		content, stored, err := s.StatisticsReleaseContent(ctx, "2014")
		if sum := sha256.Sum256(content); err != nil || stored.ID != rel.ID || hex.EncodeToString(sum[:]) != rel.SHA256 {
			t.Errorf("the stored release does not hash to its logged hash: %v", err)
		}
		if _, _, err := s.StatisticsReleaseContent(ctx, "2015"); exportctl.ErrorCode(err) != exportctl.ENotFound {
			t.Errorf("a period never released: %v", err)
		}
		if rels, _ := s.StatisticsReleases(ctx); len(rels) != 1 || rels[0].Period != "2014" {
			t.Errorf("releases %+v", rels)
		}
		if _, problems, err := s.VerifyLog(ctx); err != nil || len(problems) != 0 {
			t.Fatalf("verify: %+v %v", problems, err)
		}
		// Someone with database access rewrites the release: verification names it.
		if s.Engine() == "postgres" {
			s.DB().Exec(`ALTER TABLE stats_releases DISABLE TRIGGER stats_releases_append_only`)
		} else {
			s.DB().Exec(`DROP TRIGGER stats_releases_no_update`)
		}
		if _, err := s.DB().Exec(`UPDATE stats_releases SET content = REPLACE(content, '"Israel"', '"Iceland"')`); err != nil {
			t.Fatal(err)
		}
		_, problems, err := s.VerifyLog(ctx)
		if err != nil || len(problems) != 1 || problems[0].Subject != fmt.Sprintf("statistics_release %d", rel.ID) ||
			!strings.Contains(problems[0].Detail, "sha256 was \""+rel.SHA256) {
			t.Errorf("after rewriting the release: %+v %v", problems, err)
		}
	}
}

func TestHistoricalDecisionsInTheRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rows := []exportctl.HistoricalDecision{
			{Group: "1", Date: "2014-08-01", LicenceType: "SIEL", Rating: "ML10a", Count: 1, ValueGBP: 1000, Destination: "IL"},
			{Group: "1", Date: "2014-08-01", LicenceType: "SIEL", Rating: "ML4", Count: 2, ValueGBP: 500, Destination: "IL"},
			{Group: "2", Date: "2010-05-06", LicenceType: "OIEL", Rating: "ML7", Count: 1, Destination: "SA"},
		}
		if _, err := s.ImportHistorical(ctx, exportctl.System, "v1.csv", seqOf(rows)); err != nil {
			t.Fatal(err)
		}
		page, err := s.Register(ctx, exportctl.RegisterFilter{Historical: "only"})
		if err != nil || page.Total != 2 {
			t.Fatalf("historical entries: %+v %v", page, err)
		}
		e := page.Items[0]
		if e.Reference != "CAAT/1" || e.LogIndex != nil || !e.Historical || e.ValueGBP == nil || *e.ValueGBP != 1500 ||
			!strings.Contains(e.Source, "CAAT") || strings.Join(e.Ratings, " ") != "ML10a ML4" {
			t.Errorf("CAAT/1: %+v", e)
		}
		if page.Items[1].ValueGBP != nil {
			t.Errorf("an open licence's value is published: %+v", page.Items[1])
		}
		if p, _ := s.Register(ctx, exportctl.RegisterFilter{Rating: "ML10"}); p.Total != 1 {
			t.Errorf("family ML10 finds %d", p.Total)
		}
		// A corrected record replaces its entry.
		rows[2].Refused = true
		if _, err := s.ImportHistorical(ctx, exportctl.System, "v2.csv", seqOf(rows)); err != nil {
			t.Fatal(err)
		}
		entries, err := s.RegisterByReference(ctx, "CAAT/2")
		if err != nil || len(entries) != 1 || entries[0].Outcome != "refused" {
			t.Errorf("corrected CAAT/2: %+v %v", entries, err)
		}
		// A database imported before the register existed is filled in by a re-import.
		s.DB().Exec(`DELETE FROM register_entries`)
		if _, err := s.ImportHistorical(ctx, exportctl.System, "v2.csv", seqOf(rows)); err != nil {
			t.Fatal(err)
		}
		if p, _ := s.Register(ctx, exportctl.RegisterFilter{}); p.Total != 2 {
			t.Errorf("after re-import: %d entries", p.Total)
		}
	})
}

// TestStatisticsOfTheRealHistory imports CAAT's real UK decisions and
// checks the 2014 statistics and the register against counts made here
// from the parsed rows: decisions per destination, issued values, and the
// register's totals for a search.
func TestStatisticsOfTheRealHistory(t *testing.T) {
	path := weaponsData(t, "caat-uk/values-2008-2015.csv")
	file, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := importer.CAATValues(file)
	file.Close()
	if err != nil {
		t.Fatal(err)
	}
	items := b.Items
	if raceEnabled {
		items = slices.DeleteFunc(slices.Clone(items), func(h exportctl.HistoricalDecision) bool { return h.Destination != "IL" })
	}
	// Independent tallies for 2014, by group (one decision per licence group).
	type tally struct{ issued, refused, valuePence int64 }
	want := map[string]*tally{}
	seen := map[string]bool{}
	for _, h := range items {
		if !strings.HasPrefix(h.Date, "2014-") {
			continue
		}
		tl := want[h.Destination]
		if tl == nil {
			tl = &tally{}
			want[h.Destination] = tl
		}
		if !seen[h.Group] {
			seen[h.Group] = true
			if h.Refused {
				tl.refused++
			} else {
				tl.issued++
			}
		}
		if !h.Refused && !exportctl.OpenLicence(h.LicenceType) {
			tl.valuePence += int64(math.Round(h.ValueGBP * 100))
		}
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		if _, err := s.ImportHistorical(ctx, exportctl.System, "values-2008-2015.csv", seqOf(items)); err != nil {
			t.Fatal(err)
		}
		st, err := s.Statistics(ctx, "2014")
		if err != nil {
			t.Fatal(err)
		}
		if st.Historical != len(seen) || !strings.Contains(st.Attribution, "CAAT") {
			t.Errorf("2014: %d historical decisions, want %d; attribution %q", st.Historical, len(seen), st.Attribution)
		}
		rows := st.Table("destinations").Rows
		if len(rows) != len(want) {
			t.Errorf("%d destinations, want %d", len(rows), len(want))
		}
		for _, r := range rows {
			w := want[r[1].(string)]
			got := fmt.Sprint(r[2], r[3], int64(math.Round(r[7].(float64)*100)))
			if w == nil || got != fmt.Sprint(w.issued, w.refused, w.valuePence) {
				t.Errorf("%s: issued, refused, value %s, want %+v", r[1], got, w)
			}
		}
		page, err := s.Register(ctx, exportctl.RegisterFilter{Destination: "IL", From: "2014-01-01", To: "2014-12-31"})
		if err != nil || int64(page.Total) != want["IL"].issued+want["IL"].refused {
			t.Errorf("register, Israel 2014: %d entries, want %+v (%v)", page.Total, want["IL"], err)
		}
	})
}
