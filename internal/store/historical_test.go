package store_test

import (
	"encoding/csv"
	"iter"
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

func seqOf[T any](xs []T) iter.Seq[T] { return slices.Values(xs) }

// caatIsrael counts, independently of the parser, CAAT's rows and licence
// groups for Israel by outcome.
func caatIsrael(t *testing.T, path string) (rows, groups map[string]int) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	rows, groups = map[string]int{}, map[string]int{}
	seen := map[string]bool{}
	for _, r := range recs[1:] { // licence_group,date,rating,count,value,country,refused
		if r[5] != "Israel" {
			continue
		}
		outcome := map[string]string{"0": "issued", "1": "refused"}[r[6]]
		rows[outcome]++
		if !seen[r[0]] {
			seen[r[0]] = true
			groups[outcome]++
		}
	}
	return rows, groups
}

func TestImportCAATValues(t *testing.T) {
	path := weaponsData(t, "caat-uk/values-2008-2015.csv")
	wantRows, wantGroups := caatIsrael(t, path)
	if wantRows["issued"] != 2171 || wantRows["refused"] != 60 {
		t.Fatalf("independent count of Israel rows: %v", wantRows)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	b, err := importer.CAATValues(f)
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	if b.Read != 96311 || len(b.Rejects) != 711 || len(b.Items) != 95600 {
		t.Fatalf("parser: read %d, %d items, %d rejects", b.Read, len(b.Items), len(b.Rejects))
	}
	items := b.Items
	if raceEnabled {
		// Israel and one US case the test looks at: every assertion below
		// still holds on this part of the file.
		items = slices.DeleteFunc(slices.Clone(items), func(h exportctl.HistoricalDecision) bool {
			return h.Destination != "IL" && h.Group != "17670"
		})
	}
	n := len(items)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fx := storetest.NewFixture(t, s)
		_, err := s.ImportHistorical(ctx, fx.Officer, "values-2008-2015.csv", seqOf(items))
		mustCode(t, err, exportctl.EForbidden)

		start := time.Now()
		res, err := s.ImportHistorical(ctx, exportctl.System, "values-2008-2015.csv", seqOf(items))
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: imported %d CAAT rows in %s", s.Engine(), res.Read, time.Since(start).Round(time.Millisecond))
		if res != (store.ImportResult{Read: n, New: n}) {
			t.Errorf("first import %+v", res)
		}

		// Israel, counted from the store against the independent count.
		q := func(query string, args ...any) map[string]int {
			t.Helper()
			rs, err := s.DB().Query(query, args...)
			if err != nil {
				t.Fatal(err)
			}
			defer rs.Close()
			out := map[string]int{}
			for rs.Next() {
				var k string
				var n int
				if err := rs.Scan(&k, &n); err != nil {
					t.Fatal(err)
				}
				out[k] = n
			}
			return out
		}
		if got := q(`SELECT outcome, COUNT(*) FROM applications WHERE historical = 1 AND destination = 'IL' GROUP BY outcome`); !mapsEqual(got, wantGroups) {
			t.Errorf("Israel cases %v, want %v", got, wantGroups)
		}
		if got := q(`SELECT a.outcome, COUNT(*) FROM goods g JOIN applications a ON a.id = g.application_id
			WHERE a.historical = 1 AND a.destination = 'IL' AND g.superseded_at IS NULL GROUP BY a.outcome`); !mapsEqual(got, wantRows) {
			t.Errorf("Israel goods %v, want %v", got, wantRows)
		}
		if got := q(`SELECT d.outcome, COUNT(*) FROM decisions d JOIN applications a ON a.id = d.application_id
			WHERE a.historical = 1 AND a.destination = 'IL' GROUP BY d.outcome`); !mapsEqual(got, wantGroups) {
			t.Errorf("Israel decisions %v, want %v", got, wantGroups)
		}
		if got := q(`SELECT status, COUNT(*) FROM licences WHERE historical = 1 AND destination = 'IL' GROUP BY status`); !mapsEqual(got, map[string]int{"expired": wantGroups["issued"]}) {
			t.Errorf("Israel licences %v, want %d expired", got, wantGroups["issued"])
		}
		if n := count(t, s, "case_transitions"); n != 0 {
			t.Errorf("%d case transitions: history is the import, not a transition per row", n)
		}

		// One case, as the services show it.
		var id int64
		if err := s.DB().QueryRow(`SELECT id FROM applications WHERE reference = 'CAAT/17670'`).Scan(&id); err != nil {
			t.Fatal(err)
		}
		app, err := s.Application(ctx, fx.Officer, id)
		if err != nil {
			t.Fatal(err)
		}
		if app.Status != exportctl.StatusFinalised || app.Outcome != exportctl.OutcomeIssued || app.Destination != "US" || len(app.Goods) != 11 ||
			app.OrgName != store.HistoricalOrgCAAT || app.LicenceType != "SIEL" || app.DecidedAt == nil || app.DecidedAt.Format(time.DateOnly) != "2010-01-25" {
			t.Errorf("CAAT/17670 = %+v", app)
		}
		i := slices.IndexFunc(app.Goods, func(g exportctl.Good) bool { return g.Rating == "ML5" })
		if i < 0 || app.Goods[i].ValueGBP != 857724 || app.Goods[i].Quantity != 1 || !strings.HasPrefix(app.Goods[i].Description, "Fire control") {
			t.Errorf("ML5 good %+v", app.Goods)
		}
		eu := app.EndUser()
		if eu == nil || eu.Country != "US" || eu.Name != store.HistoricalEndUser {
			t.Errorf("end user %+v", eu)
		}
		l, err := s.Licence(ctx, fx.Officer, app.LicenceID)
		if err != nil {
			t.Fatal(err)
		}
		if l.Reference != "CAAT/17670" || !l.Historical || l.Status != exportctl.LicenceExpired || l.ValidFrom != "2010-01-25" || l.ValidUntil != "2012-01-25" {
			t.Errorf("licence %+v", l)
		}
		ds, err := s.Decisions(ctx, fx.Officer, id)
		if err != nil || len(ds) != 1 || ds[0].Outcome != "issued" || ds[0].CriteriaSet != "uk-consolidated-2000" || len(ds[0].Criteria) != 0 {
			t.Errorf("decisions %+v %v", ds, err)
		}
		// Not work for anyone: no historical case is in a working queue, and
		// exporters see none of them.
		counts, err := s.StatusCounts(ctx, fx.Officer)
		if err != nil {
			t.Fatal(err)
		}
		for st, n := range counts {
			if st != exportctl.StatusFinalised && n > 0 {
				t.Errorf("%d cases %s", n, st)
			}
		}
		_, err = s.Application(ctx, fx.Exporter, id)
		mustCode(t, err, exportctl.ENotFound)

		// Re-importing the same file changes nothing.
		tables := []string{"applications", "goods", "parties", "decisions", "licences", "licence_transitions", "historical_records"}
		before := map[string]int{}
		for _, tb := range tables {
			before[tb] = count(t, s, tb)
		}
		start = time.Now()
		res, err = s.ImportHistorical(ctx, exportctl.System, "values-2008-2015.csv", seqOf(items))
		if err != nil || res != (store.ImportResult{Read: n, Unchanged: n}) {
			t.Errorf("re-import %+v %v", res, err)
		}
		t.Logf("%s: re-import in %s", s.Engine(), time.Since(start).Round(time.Millisecond))
		for _, tb := range tables {
			if n := count(t, s, tb); n != before[tb] {
				t.Errorf("re-import changed %s: %d -> %d", tb, before[tb], n)
			}
		}
	})
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestImportHistoricalCorrections(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fx := storetest.NewFixture(t, s)
		rows := []exportctl.HistoricalDecision{
			{Group: "1", Date: "2014-08-01", LicenceType: "SIEL", Rating: "ML10", Count: 1, ValueGBP: 1000, Destination: "IL"},
			{Group: "1", Date: "2014-08-01", LicenceType: "SIEL", Rating: "ML4", Count: 2, ValueGBP: 500.5, Destination: "IL"},
			{Group: "2", Date: "2009-02-03", LicenceType: "SIEL", Rating: "ML1", Count: 1, Destination: "IL", Refused: true},
			{Group: "3", Date: "2010-05-06", LicenceType: "SIEL", Rating: "ML7", Count: 1, ValueGBP: 30, Destination: "SA"},
		}
		res, err := s.ImportHistorical(ctx, exportctl.System, "v1.csv", seqOf(rows))
		if err != nil || res != (store.ImportResult{Read: 4, New: 4}) {
			t.Fatalf("import %+v %v", res, err)
		}
		app := func(ref string) *exportctl.Application {
			t.Helper()
			var id int64
			if err := s.DB().QueryRow(`SELECT id FROM applications WHERE reference = $1`, ref).Scan(&id); err != nil {
				t.Fatal(err)
			}
			a, err := s.Application(ctx, fx.Officer, id)
			if err != nil {
				t.Fatal(err)
			}
			return a
		}
		if a := app("CAAT/1"); a.TotalValueGBP != 1500.5 || len(a.Goods) != 2 || a.LicenceID == 0 {
			t.Errorf("CAAT/1 %+v", a)
		}
		if a := app("CAAT/2"); a.Outcome != "refused" || a.LicenceID != 0 {
			t.Errorf("CAAT/2 %+v", a)
		}
		ds, _ := s.Decisions(ctx, fx.Officer, app("CAAT/1").ID)
		if len(ds) != 1 || ds[0].CriteriaSet != "uk-consolidated-2014" {
			t.Errorf("decisions %+v", ds)
		}

		// A corrected file: group 1's value changes, group 2 was in fact
		// issued, group 3 was in fact refused.
		fixed := slices.Clone(rows)
		fixed[1].ValueGBP = 600
		fixed[2].Refused = false
		fixed[3].Refused = true
		audit := count(t, s, "audit_events")
		res, err = s.ImportHistorical(ctx, exportctl.System, "v2.csv", seqOf(fixed))
		if err != nil || res != (store.ImportResult{Read: 4, Updated: 4}) {
			t.Fatalf("corrected import %+v %v", res, err)
		}
		if n := count(t, s, "audit_events"); n != audit+2 {
			t.Errorf("%d audit events, want one for the batch and one for the import", n-audit)
		}
		if a := app("CAAT/1"); a.TotalValueGBP != 1600 || len(a.Goods) != 2 {
			t.Errorf("CAAT/1 after correction %+v", a)
		}
		if n := count(t, s, "goods WHERE superseded_at IS NOT NULL"); n != 4 {
			t.Errorf("%d superseded goods, want 4 (the old goods of the three changed groups)", n)
		}
		a2 := app("CAAT/2")
		ds, _ = s.Decisions(ctx, fx.Officer, a2.ID)
		if a2.Outcome != "issued" || a2.LicenceID == 0 || len(ds) != 2 || ds[1].Outcome != "issued" {
			t.Errorf("CAAT/2 after correction %+v %+v", a2, ds)
		}
		a3 := app("CAAT/3")
		l3, _ := s.Licence(ctx, fx.Officer, a3.LicenceID)
		if a3.Outcome != "refused" || l3 == nil || l3.Status != exportctl.LicenceRevoked {
			t.Errorf("CAAT/3 after correction %+v %+v", a3, l3)
		}
		// And importing the corrected file again changes nothing.
		res, err = s.ImportHistorical(ctx, exportctl.System, "v2.csv", seqOf(fixed))
		if err != nil || res != (store.ImportResult{Read: 4, Unchanged: 4}) {
			t.Errorf("second corrected import %+v %v", res, err)
		}

		// Rows of one group that disagree are refused, naming the group.
		bad := []exportctl.HistoricalDecision{
			{Group: "9", Date: "2014-08-01", Rating: "ML10", Count: 1, Destination: "IL"},
			{Group: "9", Date: "2014-08-02", Rating: "ML4", Count: 1, Destination: "IL"},
		}
		_, err = s.ImportHistorical(ctx, exportctl.System, "bad.csv", seqOf(bad))
		if exportctl.ErrorField(err) != "group 9" {
			t.Errorf("disagreeing rows: %v", err)
		}
	})
}
