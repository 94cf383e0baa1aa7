package importer

import (
	"encoding/csv"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
)

func TestCAATValuesFile(t *testing.T) {
	b, err := CAATValues(openShared(t, "caat-uk/values-2008-2015.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// Names that are no single country (reported, not guessed).
	unmapped := map[string]int{}
	name := regexp.MustCompile(`^country: "([^"]+)"`)
	for _, r := range b.Rejects {
		m := name.FindStringSubmatch(r.Reason)
		if m == nil {
			t.Fatalf("unexpected reject %v", r)
		}
		unmapped[m[1]]++
	}
	wantUnmapped := map[string]int{"Channel Islands": 470, "Continental Shelf: United Kingdom sector": 155, "French Overseas Territory": 61,
		"Netherlands Antilles": 15, "Continental Shelf Danish Sector": 4, "Continental Shelf Norwegian Sector": 4,
		"Continental Shelf": 1, "Continental Shelf Netherlands Sector": 1}
	if !maps.Equal(unmapped, wantUnmapped) {
		t.Errorf("unmapped names = %v", unmapped)
	}
	if b.Read != 96311 || len(b.Items) != 96311-711 || len(b.Rejects) != 711 {
		t.Fatalf("read %d, items %d, rejects %d", b.Read, len(b.Items), len(b.Rejects))
	}
	israel, refused := 0, 0
	var israel2014 float64
	ratings := map[string]bool{}
	for _, d := range b.Items {
		if d.LicenceType != "SIEL" {
			t.Fatalf("licence type %q", d.LicenceType)
		}
		ratings[d.Rating] = true
		if d.Refused {
			refused++
		}
		if d.Destination == "IL" {
			israel++
			if strings.HasPrefix(d.Date, "2014-") {
				israel2014 += d.ValueGBP
			}
		}
	}
	if israel != 2231 || refused != 1411 {
		t.Errorf("Israel rows %d (want 2231), refused %d (want 1411)", israel, refused)
	}
	// The same total computed from the file with encoding/csv alone.
	want := caatTotal(t, "Israel", "2014")
	if israel2014 != want || want == 0 {
		t.Errorf("Israel 2014 value %.2f, want %.2f", israel2014, want)
	}
	for _, r := range []string{"ML10", "5A002", "PL5017", "End Use", "HR AIII", "IRN", "Art 4B", "ML16"} {
		if !ratings[r] {
			t.Errorf("rating %q missing", r)
		}
	}
	if ratings["ml16"] {
		t.Error(`"ml16" was not normalised`)
	}
	d := b.Items[1]
	if b.Lines[1] != 3 || d != (exportctl.HistoricalDecision{Group: "2", Date: "2008-01-02", LicenceType: "SIEL", Rating: "ML7", Count: 1, ValueGBP: 3600, Destination: "AE"}) {
		t.Errorf("line %d = %+v", b.Lines[1], d)
	}
}

// caatTotal sums value for a country and year straight from the file.
func caatTotal(t *testing.T, country, year string) float64 {
	r := csv.NewReader(openShared(t, "caat-uk/values-2008-2015.csv"))
	header, err := r.Read()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range header {
		col[h] = i
	}
	var total float64
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if rec[col["country"]] == country && strings.HasPrefix(rec[col["date"]], year) && rec[col["value"]] != "" {
			v, err := strconv.ParseFloat(rec[col["value"]], 64)
			if err != nil {
				t.Fatal(err)
			}
			total += v
		}
	}
	return total
}

func TestCAATValuesRejects(t *testing.T) {
	in := `licence_group ,date,rating,count,value,country,refused
1,2008-01-02,ml10a,1,3540,Italy,0
2,2008-02-30,ML10,1,3540,Italy,0
3,2008-01-02,ML10,one,3540,Atlantis,maybe
4,02/01/2008,End User,2,,"Korea, South",1
5,2008-01-02,,1,"£1,000.50",Italy,0
6,2008-01-02,ML4,1,1e400,Italy,0
`
	b, err := CAATValues(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Items) != 2 || !slices.Equal(b.Lines, []int{2, 5}) {
		t.Fatalf("items %+v lines %v rejects %v", b.Items, b.Lines, b.Rejects)
	}
	if d := b.Items[0]; d.Rating != "ML10a" || d.Destination != "IT" {
		t.Errorf("line 2 = %+v", d)
	}
	if d := b.Items[1]; d.Date != "2008-01-02" || d.Rating != "End User" || d.Destination != "KR" || !d.Refused || d.ValueGBP != 0 || d.Count != 2 {
		t.Errorf("line 5 = %+v", d)
	}
	want := map[int][]string{
		3: {`date: "2008-02-30" is not a date`},
		4: {`count: "one" is not a count`, `unknown country "Atlantis"`, `refused: "maybe"`},
		6: {"rating is empty"}, // and "£1,000.50" is read as 1000.5
		7: {`value: "1e400"`},
	}
	if len(b.Rejects) != len(want) {
		t.Fatalf("rejects = %v", b.Rejects)
	}
	for _, r := range b.Rejects {
		for _, s := range want[r.Line] {
			if !strings.Contains(r.Reason, s) {
				t.Errorf("line %d: %q lacks %q", r.Line, r.Reason, s)
			}
		}
	}
	if _, err := CAATValues(strings.NewReader("rating,military,short_description\nML1,1,x\n")); err == nil ||
		!strings.Contains(err.Error(), "missing columns licence_group, date, count, value, country, refused") {
		t.Errorf("wrong file: %v", err)
	}
}
