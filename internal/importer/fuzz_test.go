package importer

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
)

// seedLines adds real lines of a dataset to a fuzz corpus: the first
// lines after the header and every 97th one after that (when the data is
// present), then the given fallbacks. It returns the file's first lines
// (header and, for HXL files, the tag row) for building inputs.
func seedLines(f *testing.F, rel string, skip int, fallback ...string) []string {
	for _, s := range fallback {
		f.Add(s)
	}
	raw, err := os.ReadFile(filepath.Join(sharedDataDir(), rel))
	if err != nil {
		return nil
	}
	lines := strings.Split(string(raw), "\n")
	if len(lines) <= skip {
		return nil
	}
	for i := skip; i < len(lines); i++ {
		if i < skip+20 || i%97 == 0 {
			f.Add(strings.TrimRight(lines[i], "\r"))
		}
	}
	return lines[:skip]
}

// csvRecords counts the data records encoding/csv finds in text after the
// first skip records, leaving out HXL tag rows: the rows a parser must
// account for.
func csvRecords(text string, skip int) int {
	r := csv.NewReader(strings.NewReader(text))
	r.FieldsPerRecord, r.LazyQuotes = -1, true
	n := 0
	for i := 0; ; i++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return n
		}
		if i < skip || (err == nil && isHXL(rec)) {
			continue
		}
		n++
	}
}

// checkIncidents asserts what every fuzz target must hold for incidents:
// each row read gives an item or a reject, and items are valid.
func checkIncidents(t *testing.T, b Batch[exportctl.Incident], err error, want int) {
	t.Helper()
	if err != nil {
		t.Fatalf("error with a valid header: %v", err)
	}
	if b.Read != want || len(b.Items)+len(b.Rejects) != b.Read || len(b.Lines) != len(b.Items) {
		t.Fatalf("read %d (want %d), items %d, rejects %d", b.Read, want, len(b.Items), len(b.Rejects))
	}
	for _, inc := range b.Items {
		if len(inc.Sources) != 1 || inc.Sources[0].ID == "" {
			t.Fatalf("item without a source id: %+v", inc)
		}
		if _, err := time.Parse(time.DateOnly, inc.StartDate); err != nil {
			t.Fatalf("item with date %q", inc.StartDate)
		}
		if _, err := exportctl.ParseCountry("country", inc.Country); err != nil {
			t.Fatalf("item with country %q", inc.Country)
		}
		if inc.DatePrecision < 1 || inc.DatePrecision > 3 || inc.Target == "" || inc.Original == nil {
			t.Fatalf("item %+v", inc)
		}
	}
	for _, r := range b.Rejects {
		if r.Line < 1 || r.Reason == "" {
			t.Fatalf("reject %+v", r)
		}
	}
}

func FuzzACLEDRow(f *testing.F) {
	first := seedLines(f, "acled/acled-sample-2022.csv", 1,
		`"X1",2022-06-30,2022,1,"","Violence against civilians","Attack","A",NA,1,"Civilians",NA,7,17,"",275,"","Palestine","Gaza",NA,NA,"Gaza",31.5,34.4,1,"","","notes",1,"",1`,
		`X2,30 June 2022,2022,1,,Riots,Mob violence,Rioters,,Rioters,,,Civilians,57,,,,Argentina,,,,X,NA,NA,1,,,"a ""quoted""
note",0,,1`)
	header := acledHeader
	if len(first) == 1 {
		header = strings.TrimRight(first[0], "\r")
	}
	f.Fuzz(func(t *testing.T, line string) {
		text := header + "\n" + line + "\n"
		b, err := ACLED(strings.NewReader(text))
		checkIncidents(t, b, err, csvRecords(text, 1))
	})
}

func FuzzSiNDRow(f *testing.F) {
	first := seedLines(f, "insecurity-insight/attacks-on-health-care-2016-2023.csv", 2,
		"2023-12-21 00:00:00,Desc,OPT,PSE,Gaza Strip,31.5,34.4,(2) 25 km Precision ,NSA,Name,\"Aerial Bomb: Plane, Firearms\",Health Building,0,1,0,0,0,0,0,0,True,1,0,0,0,,0,0,0,,,,,,42822")
	text0 := strings.Join(strings.Split(sindExplosive, "\n")[:2], "\n")
	if len(first) == 2 {
		text0 = strings.TrimRight(first[0], "\r") + "\n" + strings.TrimRight(first[1], "\r")
	}
	f.Fuzz(func(t *testing.T, line string) {
		text := text0 + "\n" + line + "\n"
		b, err := SiND(strings.NewReader(text), "health")
		checkIncidents(t, b, err, csvRecords(text, 1))
	})
}

func FuzzAWSDRow(f *testing.F) {
	first := seedLines(f, "awsd/aid-worker-security-incidents.csv", 2,
		"1,2024,2,3,NA,Namibia,,,,0,1,0,0,1,Shelling,Raid,,,Host state,X,Details,Yes",
		"2,2024,,,,Chechnya,,,,0,1,0,0,1,Aerial bombardment,Raid,,,,,Details,")
	text0 := strings.TrimSuffix(awsdHeader, "\n")
	if len(first) == 2 {
		text0 = strings.TrimRight(first[0], "\r") + "\n" + strings.TrimRight(first[1], "\r")
	}
	f.Fuzz(func(t *testing.T, line string) {
		text := text0 + "\n" + line + "\n"
		b, err := AWSD(strings.NewReader(text))
		checkIncidents(t, b, err, csvRecords(text, 1))
		for _, inc := range b.Items {
			if inc.Redacted && (inc.Country != "PS" || inc.Latitude != nil) {
				t.Fatalf("redacted %+v", inc)
			}
		}
	})
}

func FuzzSIPRIRow(f *testing.F) {
	first := seedLines(f, "sipri/trade-register-recipient-israel.csv", 12,
		"59889,United States,Israel,JDAM,guided bomb,Missiles,2016,Yes,1588,Yes,2019,No,New,0.02,0.02,31.76,No;",
		"1,Soviet Union,Syria,MiG-29,FGA aircraft,Aircraft,1987,No,20,No,1988,No,New,,,,No;",
		";", "\"unterminated,")
	preamble := strings.SplitAfter(sipriCurrent, "\n")
	text0 := strings.Join(preamble[:3], "")
	if len(first) == 12 {
		text0 = strings.Join(first, "\n") + "\n"
	}
	f.Fuzz(func(t *testing.T, line string) {
		text := text0 + line + "\n"
		b, err := SIPRI(strings.NewReader(text))
		if err != nil {
			t.Fatalf("error with a valid header: %v", err)
		}
		// Expected rows: the same text after the header, ";" line ends removed.
		var body bytes.Buffer
		lines := strings.SplitAfter(text, "\n")
		for i, l := range lines {
			if sipriHeader([]byte(l)) {
				for _, l := range lines[i:] {
					body.Write(stripSemicolon([]byte(l)))
				}
				break
			}
		}
		want := csvRecords(body.String(), 1)
		rows := map[int]bool{}
		for _, l := range b.Lines {
			rows[l] = true
		}
		if b.Read != want || len(rows)+len(b.Rejects) != b.Read {
			t.Fatalf("read %d (want %d), rows with items %d, rejects %v", b.Read, want, len(rows), b.Rejects)
		}
		for _, d := range b.Items {
			if _, err := exportctl.ParseCountry("s", d.Supplier); err != nil {
				t.Fatalf("supplier %q", d.Supplier)
			}
			if _, err := exportctl.ParseCountry("r", d.Recipient); err != nil {
				t.Fatalf("recipient %q", d.Recipient)
			}
			if d.DeliveryYear < 1900 || d.Number < 0 || d.Designation == "" {
				t.Fatalf("delivery %+v", d)
			}
		}
	})
}

func FuzzCAATRow(f *testing.F) {
	seedLines(f, "caat-uk/values-2008-2015.csv", 1,
		`2,2008-01-02,ML7,1,3600,"United Arab Emirates",0`, `53,2008-01-07,"End Use",1,,Syria,1`, `x,31/12/2014,ml10a,1,,"Korea, South",1`)
	const header = "licence_group,date,rating,count,value,country,refused"
	f.Fuzz(func(t *testing.T, line string) {
		text := header + "\n" + line + "\n"
		b, err := CAATValues(strings.NewReader(text))
		if err != nil {
			t.Fatalf("error with a valid header: %v", err)
		}
		if want := csvRecords(text, 1); b.Read != want || len(b.Items)+len(b.Rejects) != b.Read {
			t.Fatalf("read %d (want %d), items %d, rejects %d", b.Read, want, len(b.Items), len(b.Rejects))
		}
		for _, d := range b.Items {
			if _, err := exportctl.ParseCountry("c", d.Destination); err != nil {
				t.Fatalf("destination %q", d.Destination)
			}
			if _, err := time.Parse(time.DateOnly, d.Date); err != nil || d.Rating == "" || d.Group == "" || d.Count < 0 || d.ValueGBP < 0 {
				t.Fatalf("decision %+v", d)
			}
		}
	})
}
