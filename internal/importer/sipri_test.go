package importer

import (
	"slices"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
)

func TestSIPRIIsrael(t *testing.T) {
	b, err := SIPRI(openShared(t, "sipri/trade-register-recipient-israel.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// 11 preamble lines, the header on line 12, 278 rows on lines 13-290.
	if b.Read != 278 || len(b.Items) != 278 || len(b.Rejects) != 0 || b.Lines[0] != 13 || b.Lines[277] != 290 {
		t.Fatalf("read %d, items %d, rejects %v, lines %d..%d", b.Read, len(b.Items), b.Rejects, b.Lines[0], b.Lines[len(b.Lines)-1])
	}
	suppliers := map[string]int{}
	jdam, estimated := 0, 0
	for _, d := range b.Items {
		suppliers[d.Supplier]++
		if d.Recipient != "IL" {
			t.Errorf("%s: recipient %s", d.SIPRIID, d.Recipient)
		}
		if d.Designation == "JDAM" {
			jdam += d.Number
		}
		if d.Estimated {
			estimated++
		}
	}
	if want := map[string]int{"US": 200, "DE": 60, "CA": 8, "IT": 6, "FR": 3, "AW": 1}; len(suppliers) != len(want) || suppliers["US"] != 200 ||
		suppliers["DE"] != 60 || suppliers["AW"] != 1 {
		t.Errorf("suppliers = %v", suppliers)
	}
	if jdam != 21379 || estimated != 205 {
		t.Errorf("JDAM delivered %d (want 21379), estimated rows %d (want 205)", jdam, estimated)
	}
	d := b.Items[slices.Index(b.Lines, 181)]
	want := exportctl.Delivery{SIPRIID: "59889", Supplier: "US", Recipient: "IL", Designation: "JDAM", Description: "guided bomb",
		Category: "Missiles", OrderYear: 2016, DeliveryYear: 2019, Number: 1588, Estimated: true, Status: "new"}
	if d != want {
		t.Errorf("line 181 = %+v, want %+v", d, want)
	}
	d = b.Items[0]
	if d.SIPRIID != "27354" || d.Supplier != "AW" || d.Status != "second hand" || d.Estimated || d.OrderYear != 1996 || d.DeliveryYear != 1996 {
		t.Errorf("line 13 = %+v", d)
	}
}

// The current layout with another preamble, CRLF line ends, a BOM and
// rows SIPRI cannot attribute to a country.
const sipriCurrent = "\ufeffTransfers of major conventional arms, with some notes; \"quoted\", and commas;\r\n" +
	"Source: SIPRI Arms Transfers Database;\r\n" +
	"SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production;\r\n" +
	"1,Soviet Union,Syria,MiG-29,FGA aircraft,Aircraft,1987,No,20,No,1988,No,New,,,,No;\r\n" +
	"2,Iran,Hezbollah (Lebanon)*,Fajr-3,artillery rocket,Artillery,2006,Yes,10,Yes,2006,Yes,New,,,,No;\r\n" +
	"3,United States,Israel,F-35A Lightning-2,FGA aircraft,Aircraft,2010,No,3,No,twenty,No,New,,,,No;\r\n" +
	"4,Germany,Israel,Dolphin-2,submarine,Ships,2006,No,1,No,2014,No,Second hand,,,,No\r\n" +
	";\r\n"

func TestSIPRICurrentLayout(t *testing.T) {
	b, err := SIPRI(strings.NewReader(sipriCurrent))
	if err != nil {
		t.Fatal(err)
	}
	// The last line, ";" alone, is an empty line.
	if len(b.Items) != 1 || b.Lines[0] != 7 || b.Read != 4 {
		t.Fatalf("items %+v lines %v read %d rejects %v", b.Items, b.Lines, b.Read, b.Rejects)
	}
	if d := b.Items[0]; d.Supplier != "DE" || d.Recipient != "IL" || d.DeliveryYear != 2014 || d.Status != "second hand" {
		t.Errorf("line 7 = %+v", d)
	}
	want := []RowError{
		{4, `Supplier: "Soviet Union" is a former state with no ISO 3166-1 code`},
		{5, `Recipient: "Hezbollah (Lebanon)*" is a non-state actor or organisation (no ISO 3166-1 code)`},
		{6, `delivery year: "twenty" is not a year`},
	}
	if !slices.Equal(b.Rejects, want) {
		t.Errorf("rejects = %v", b.Rejects)
	}
}

// The older trade-register layout: unnamed "?" columns after uncertain
// values, bracketed estimates, several delivery years in one row.
const sipriOld = `Transfers of major conventional weapons: sorted by recipient. Limited to Israel. Deals with deliveries or orders made for year range 2010 to 2019
A '?' in a column indicates uncertain data. The 'Number delivered' and the 'Year(s) of deliveries' refer only to deliveries in the selected year(s).
Information generated: 27 September 2020

Recipient,Supplier,Year of order,,Number ordered,,Weapon designation,Weapon description,Number delivered,,Year(s) of deliveries,status,Comments,SIPRI TIV per unit,SIPRI TIV for total order,SIPRI TIV of delivered weapons
Israel,United States,2016,,1588,?,JDAM,Guided bomb,1588,?,2019,New,"For F-15I and F-16I; part of $1.9 b deal",0.02,31.76,31.76
Israel,United States,2010,,20,,F-35A Lightning-2,FGA aircraft,20,,2016-2019,New,"Incl 5 assembled
in Israel",55,1100,1100
Israel,Germany,(2006),,2,,Dolphin-2,Submarine,2,,(2014); 2015-2016,New,,,,
Israel,United States,2011,,3,,C-130J Hercules,Transport aircraft,3,,2014; 2015-2016,New,,,,
Israel,United States,2020,,4,,KC-46A Pegasus,Tanker aircraft,,,,New,Not yet delivered,,,
Israel,Soviet Union,1960,,10,,MiG-21,FGA aircraft,10,,1961,Second hand,,,,
`

func TestSIPRIOldLayout(t *testing.T) {
	b, err := SIPRI(strings.NewReader(sipriOld))
	if err != nil {
		t.Fatal(err)
	}
	if b.Read != 6 || len(b.Rejects) != 2 {
		t.Fatalf("read %d, rejects %v", b.Read, b.Rejects)
	}
	if b.Rejects[0] != (RowError{11, "no deliveries (ordered only)"}) || b.Rejects[1].Line != 12 || !strings.Contains(b.Rejects[1].Reason, "Soviet Union") {
		t.Errorf("rejects = %v", b.Rejects)
	}
	type got struct {
		line, year, number int
		est                bool
		designation        string
	}
	var all []got
	for i, d := range b.Items {
		if d.Supplier == "" || d.Recipient != "IL" || d.SIPRIID != "" || d.Category != "" || d.Status != "new" {
			t.Errorf("item %d = %+v", i, d)
		}
		all = append(all, got{b.Lines[i], d.DeliveryYear, d.Number, d.Estimated, d.Designation})
	}
	want := []got{
		{6, 2019, 1588, true, "JDAM"}, // "?" after the number delivered
		{7, 2016, 5, true, "F-35A Lightning-2"}, {7, 2017, 5, true, "F-35A Lightning-2"},
		{7, 2018, 5, true, "F-35A Lightning-2"}, {7, 2019, 5, true, "F-35A Lightning-2"},
		{9, 2014, 2, true, "Dolphin-2"}, // 2 boats over 3 years: one delivery in the first year
		{10, 2014, 1, true, "C-130J Hercules"}, {10, 2015, 1, true, "C-130J Hercules"}, {10, 2016, 1, true, "C-130J Hercules"},
	}
	if !slices.Equal(all, want) {
		t.Errorf("deliveries:\n got %v\nwant %v", all, want)
	}
	if d := b.Items[0]; d.OrderYear != 2016 || d.Description != "Guided bomb" || d.Supplier != "US" {
		t.Errorf("JDAM = %+v", d)
	}
	if d := b.Items[5]; d.OrderYear != 2006 || d.Supplier != "DE" {
		t.Errorf("Dolphin = %+v", d)
	}
}

func TestSIPRIWrongFile(t *testing.T) {
	_, err := SIPRI(strings.NewReader("licence_group,date,rating,count,value,country,refused\n1,2008-01-02,ML10,1,3540,Italy,0\n"))
	if err == nil || !strings.Contains(err.Error(), "no header line") || !strings.Contains(err.Error(), "SIPRI AT Database ID") {
		t.Errorf("err = %v", err)
	}
}

func TestSIPRIYears(t *testing.T) {
	for in, want := range map[string][]int{"2019": {2019}, "(2019)": {2019}, "2015-2017": {2015, 2016, 2017},
		"2015; 2017-2018": {2015, 2017, 2018}, "2015; soon": {2015}, "2015-?": {2015}} {
		got, _, ok := sipriYears(in)
		if !ok || !slices.Equal(got, want) {
			t.Errorf("sipriYears(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "soon", "0-1"} {
		if _, _, ok := sipriYears(in); ok {
			t.Errorf("sipriYears(%q) accepted", in)
		}
	}
}
