package importer

import (
	"slices"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
)

const denialsCSV = `reference ,Name,Address, Country ,Item Description,End Use,Reason,Ratings,Date
DEN/1,Example Air Force Ltd.,"1 Runway Road
Tel Aviv",IL,Hydraulic actuators,"spares for F-16 fleet
of the end user",Criterion 2c,ML10a,2025-03-01
DEN/2,Harbour Police,NA,Israel,Riot shields,crowd control,Criterion 2,ML13; ML7,15/06/2024
DEN/3,Nobody,,XX,Rifles,hunting,Criterion 7,,
,No Reference,,GB,Radios,,Criterion 7,,
DEN/5,Acme,,FR,Radars,,Criterion 1,ML99,31/02/2024
DEN/1,Example Air Force,,IL,Actuators,spares,Criterion 2c,,
,,,,,,,,
`

func TestDenials(t *testing.T) {
	ds, rejects, err := Denials(strings.NewReader(denialsCSV))
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 2 {
		t.Fatalf("read %d denials: %+v (rejects %v)", len(ds), ds, rejects)
	}
	d := ds[0]
	if d.Reference != "DEN/1" || d.Name != "Example Air Force Ltd." || d.Country != "IL" || d.Address != "1 Runway Road\nTel Aviv" ||
		d.EndUse != "spares for F-16 fleet\nof the end user" || !slices.Equal(d.Ratings, []string{"ML10"}) || d.DeniedAt != "2025-03-01" {
		t.Errorf("first = %+v", d)
	}
	d = ds[1]
	if d.Country != "IL" || d.Address != "" || !slices.Equal(d.Ratings, []string{"ML13", "ML7"}) || d.DeniedAt != "2024-06-15" {
		t.Errorf("second (country by name, NA, two ratings, DD/MM/YYYY) = %+v", d)
	}
	var got []string
	for _, r := range rejects {
		got = append(got, r.String())
	}
	want := []string{
		`line 6: country: "XX" is neither an ISO 3166-1 alpha-2 code nor a country name`,
		`line 7: reference: a reference is required`,
		`line 8: date "31/02/2024" is neither YYYY-MM-DD nor DD/MM/YYYY; ratings[0]: "ML99" is not a control-list rating`,
		`line 9: reference DEN/1 repeats line 2`,
	}
	if len(got) != len(want) {
		t.Fatalf("rejects:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("reject %d = %q, want prefix %q", i, got[i], want[i])
		}
	}
}

func TestDenialsHeaders(t *testing.T) {
	// Underscored headers are accepted; address, ratings and date are optional.
	ds, rejects, err := Denials(strings.NewReader("reference,name,country,item_description,end_use,reason\nR1,Someone,gb,x,y,z\n"))
	if err != nil || len(rejects) != 0 || len(ds) != 1 || ds[0].Country != "GB" || ds[0].DeniedAt != "" {
		t.Fatalf("%+v %v %v", ds, rejects, err)
	}
	// A file of the wrong kind fails at once, naming what is missing.
	_, _, err = Denials(strings.NewReader("rating,military,short_description\nML1,1,x\n"))
	if err == nil || !strings.Contains(err.Error(), "missing columns reference, name, country, item description, end use, reason") {
		t.Errorf("wrong file: %v", err)
	}
	if _, _, err := Denials(strings.NewReader("")); err == nil {
		t.Error("empty file accepted")
	}
}

func FuzzDenials(f *testing.F) {
	f.Add(denialsCSV)
	f.Add("reference,name,country,item_description,end_use,reason\nR1,Someone,gb,x,y,z\n")
	f.Add("reference,name,country,item description,end use,reason,date\n\"R\n2\",\"a,b\",Israel,NA , ,x,01/01/2020\n")
	f.Add("reference,name,country,item description,end use,reason\n\"unterminated,x,IL,a,b,c\n")
	f.Fuzz(func(t *testing.T, data string) {
		ds, rejects, err := Denials(strings.NewReader(data))
		if err != nil {
			return
		}
		refs := map[string]bool{}
		for _, d := range ds {
			again := d
			if err := again.Validate(); err != nil {
				t.Fatalf("accepted a row that does not validate: %+v: %v", d, err)
			}
			if d.Reference == "" || d.Name == "" || d.Country == "" {
				t.Fatalf("accepted a row without reference, name or country: %+v", d)
			}
			if _, ok := exportctl.RatingKind(strings.Join(d.Ratings, "")); len(d.Ratings) == 1 && !ok {
				t.Fatalf("accepted rating families %v", d.Ratings)
			}
			if refs[d.Reference] {
				t.Fatalf("reference %q accepted twice", d.Reference)
			}
			refs[d.Reference] = true
		}
		for _, r := range rejects {
			if r.Line < 1 || r.Reason == "" {
				t.Fatalf("reject without line or reason: %+v", r)
			}
		}
	})
}
