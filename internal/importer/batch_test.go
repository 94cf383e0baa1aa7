package importer

import (
	"encoding/json"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
)

func TestParseDate(t *testing.T) {
	for in, want := range map[string]string{
		"2022-06-30": "2022-06-30", "30 June 2022": "2022-06-30", "3 June 2022": "2022-06-03", "30 Jun 2022": "2022-06-30",
		"30-06-2022": "2022-06-30", "30/06/2022": "2022-06-30", "3/6/2022": "2022-06-03", "30-June-2022": "2022-06-30",
		"2023-12-21 00:00:00": "2023-12-21", "2023-12-21T10:00:00Z": "2023-12-21", " 2022-06-30 ": "2022-06-30",
		"30 JUNE 2022": "2022-06-30", "June 30, 2022": "2022-06-30", "2022/06/30": "2022-06-30",
	} {
		if got, ok := parseDate(in); !ok || got != want {
			t.Errorf("parseDate(%q) = %q, %v; want %q", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "2022-02-30", "31/02/2022", "06/30/2022", "2022-6-3x", "June 2022", "yesterday", "2023-12-21 garbage"} {
		if got, ok := parseDate(in); ok {
			t.Errorf("parseDate(%q) = %q, accepted", in, got)
		}
	}
}

func TestParseCount(t *testing.T) {
	for in, want := range map[string]int{"": 0, "0": 0, "12": 12, "3.0": 3} {
		if got, ok := parseCount(in); !ok || got != want {
			t.Errorf("parseCount(%q) = %d, %v", in, got, ok)
		}
	}
	for _, in := range []string{"-1", "1.5", "x", "NaN", "1e20", "Inf"} {
		if _, ok := parseCount(in); ok {
			t.Errorf("parseCount(%q) accepted", in)
		}
	}
}

func TestReaderAccess(t *testing.T) {
	rd, err := NewReader(strings.NewReader("\ufeffCode , Name,Location ,\nNA, Namibia ,NA,x\n#a,#b,,\n"), []string{"code", "location"})
	if err != nil {
		t.Fatal(err)
	}
	if h := rd.Header(); !slices.Equal(h, []string{"Code", "Name", "Location", ""}) {
		t.Errorf("header = %q", h)
	}
	if rd.Column("nope", "LOCATION") != 2 || rd.Column("x") != -1 {
		t.Error("Column")
	}
	if !rd.Next() {
		t.Fatal("no row")
	}
	row := rd.Row()
	if row.At(0) != "" || row.RawAt(0) != "NA" || row.At(1) != "Namibia" || row.RawAt(1) != " Namibia " || row.Get("name") != "Namibia" ||
		row.At(-1) != "" || row.At(9) != "" || row.RawAt(9) != "" || len(row.Fields()) != 4 || rd.Line() != 2 {
		t.Errorf("row access: %q", row.Fields())
	}
	if rd.Next() {
		t.Errorf("the HXL row was not skipped: %q", rd.Row().Fields())
	}
	if keys := originalKeys([]string{"a", "", "a", "b"}); !slices.Equal(keys, []string{"a", "(column 2)", "a (column 3)", "b"}) {
		t.Errorf("originalKeys = %q", keys)
	}
}

// TestISONumericTable checks iso_numeric.go against Debian's iso-codes.
func TestISONumericTable(t *testing.T) {
	raw, err := os.ReadFile("/usr/share/iso-codes/json/iso_3166-1.json")
	if err != nil {
		t.Skip("iso-codes absent (/usr/share/iso-codes/json/iso_3166-1.json)")
	}
	var doc struct {
		Entries []struct {
			Alpha2  string `json:"alpha_2"`
			Numeric string `json:"numeric"`
		} `json:"3166-1"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Entries) != len(isoNumeric) {
		t.Errorf("iso-codes has %d entries, the table %d", len(doc.Entries), len(isoNumeric))
	}
	for _, e := range doc.Entries {
		n, _ := strconv.Atoi(e.Numeric)
		if isoNumeric[n] != e.Alpha2 {
			t.Errorf("numeric %s: table %q, iso-codes %q", e.Numeric, isoNumeric[n], e.Alpha2)
		}
	}
	for n, a2 := range isoNumeric {
		if _, err := exportctl.ParseCountry("c", a2); err != nil {
			t.Errorf("%d -> %s is not a country of exportctl: %v", n, a2, err)
		}
	}
}

// TestACLEDCountryNames checks that every country ACLED covers maps to a
// code, so the name fallback never fails on a real ACLED country.
func TestACLEDCountryNames(t *testing.T) {
	rd, err := NewReader(openShared(t, "acled/acled_countries.csv"), []string{"country"})
	if err != nil {
		t.Fatal(err)
	}
	var c countryNames
	n := 0
	for rd.Next() {
		n++
		name := rd.Row().Get("country")
		if a2, why := c.name(name); a2 == "" {
			t.Errorf("%s", why)
		}
	}
	if n < 200 {
		t.Errorf("read %d ACLED countries", n)
	}
}

func TestLookupCountry(t *testing.T) {
	for in, want := range map[string]string{"United States": "US", "Israel": "IL", "Aruba": "AW", "OPT": "PS", "DR Congo": "CD",
		"Korea, South": "KR", "Libya (GNC)": "LY", "West Germany (FRG)": "DE", "  united   arab emirates ": "AE", "Chechnya": "RU"} {
		if got, why := lookupCountry(in); got != want {
			t.Errorf("lookupCountry(%q) = %q (%s), want %s", in, got, why, want)
		}
	}
	for in, want := range map[string]string{"Soviet Union": "former state", "Hezbollah (Lebanon)*": "non-state", "Atlantis": "unknown country", "": "no country"} {
		if got, why := lookupCountry(in); got != "" || !strings.Contains(why, want) {
			t.Errorf("lookupCountry(%q) = %q, %q; want a reason with %q", in, got, why, want)
		}
	}
}
