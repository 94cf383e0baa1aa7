package exportctl

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNormaliseName(t *testing.T) {
	for in, want := range map[string]string{
		"Example Air Force Ltd.":            "example air force",
		"  The EXAMPLE   air-force  ":       "example air force",
		"Acme Co. Ltd":                      "acme",
		"Acme Holdings PLC":                 "acme holdings",
		"O'Neil & Sons, Inc.":               "oneil sons",
		"S.A. Industries S.A.":              "sa industries",
		"Limited":                           "limited",
		"Ministry of Defence (Procurement)": "ministry of defence procurement",
		"":                                  "",
		"Ltd.":                              "ltd",
	} {
		if got := NormaliseName(in); got != want {
			t.Errorf("NormaliseName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestEndUseSimilar(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"Spares for the end user's F-16 fleet", "spares for F-16 fleet of the end user", true},
		{"Spares for the end user's F-16 fleet", "crowd control", false},
		{"Spare parts for F-16 aircraft", "spares for F-16 aircraft", true},
		{"", "", true},
		{"", "crowd control", false},
		{"the of for", "", true}, // only stop words: as good as empty
		{"Maintenance of patrol boats", "Patrol boat maintenance and repair", true},
		{"Border surveillance", "Internal security operations", false},
	} {
		if got := EndUseSimilar(c.a, c.b); got != c.want {
			t.Errorf("EndUseSimilar(%q, %q) = %v, want %v (terms %v / %v)", c.a, c.b, got, c.want, terms(c.a), terms(c.b))
		}
		if EndUseSimilar(c.b, c.a) != EndUseSimilar(c.a, c.b) {
			t.Errorf("EndUseSimilar is not symmetric for %q, %q", c.a, c.b)
		}
	}
}

func TestDenialInputValidate(t *testing.T) {
	in := DenialInput{Reference: " D1 ", Name: " Example ", Country: "israel", Ratings: []string{"ml10a", "ML10b", "ML22a", "NLR", ""}}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	if in.Reference != "D1" || in.Name != "Example" || in.Country != "IL" || !slices.Equal(in.Ratings, []string{"ML10", "ML22"}) {
		t.Errorf("normalised = %+v", in)
	}
	bad := DenialInput{Country: "Atlantis", Ratings: []string{"XYZ"}, DeniedAt: "01/02/2024"}
	err := bad.Validate()
	var ve *ValidationError
	if !asValidation(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	var fields []string
	for _, e := range ve.Errors {
		fields = append(fields, e.Field)
	}
	if want := []string{"reference", "name", "country", "ratings[0]", "denied_at"}; !slices.Equal(fields, want) {
		t.Errorf("fields = %v, want %v", fields, want)
	}
	errs := (&DenialInput{Reference: "x", Name: "y"}).ValidateAt("denials[4]")
	if len(errs) != 1 || errs[0].Field != "denials[4].country" {
		t.Errorf("ValidateAt = %v", errs)
	}
}

func asValidation(err error, ve **ValidationError) bool {
	v, ok := err.(*ValidationError)
	*ve = v
	return ok
}

// sampleApp mirrors storetest.SampleApplication.
func sampleApp() *Application {
	return &Application{
		ID: 7, EndUse: "Spares for the end user's F-16 fleet",
		Goods: []Good{
			{Description: "Hydraulic actuators for F-16 landing gear", Rating: "ML10a"},
			{Description: "Cockpit display units", Rating: "ML10b"},
			{Description: "Technical manuals for the actuators", Rating: "ML22a"},
		},
		Parties: []Party{
			{Role: PartyEndUser, Name: "Example Air Force", Country: "IL"},
			{Role: PartyConsignee, Name: "Example Aerospace Ltd (Israel)", Country: "IL"},
			{Role: PartyThirdParty, Name: "Freight Agent BV", Country: "NL"},
		},
	}
}

func TestMatchDenial(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	base := Denial{Reference: "D1", Name: "Example Air Force Ltd.", Country: "IL", Ratings: []string{"ML10"},
		EndUse: "spares for F-16 fleet of the end user", DeniedAt: now.AddDate(-1, 0, 0)}
	ok, reasons := MatchDenial(sampleApp(), base, now)
	if !ok || len(reasons) != 5 {
		t.Fatalf("match = %v %v", ok, reasons)
	}
	joined := strings.Join(reasons, "\n")
	for _, want := range []string{"Israel (IL)", `same end user: "Example Air Force" is the denied "Example Air Force Ltd."`, "same rating family: ML10", "similar end use"} {
		if !strings.Contains(joined, want) {
			t.Errorf("reasons lack %q:\n%s", want, joined)
		}
	}
	superseded := now.AddDate(0, -1, 0)
	for name, change := range map[string]func(d *Denial){
		"other country":     func(d *Denial) { d.Country = "JO" },
		"four years old":    func(d *Denial) { d.DeniedAt = now.AddDate(-4, 0, 0) },
		"other family":      func(d *Denial) { d.Ratings = []string{"ML4", "5A002"} },
		"unrelated end use": func(d *Denial) { d.EndUse = "crowd control" },
		"other end user":    func(d *Denial) { d.Name = "Example Navy" },
		"superseded":        func(d *Denial) { d.SupersededAt = &superseded },
		"no goods evidence": func(d *Denial) { d.Ratings = nil },
		"only a legal form": func(d *Denial) { d.Name = "Ltd" },
		"unrelated item":    func(d *Denial) { d.Ratings = nil; d.ItemDescription = "Riot shields" },
	} {
		d := base
		change(&d)
		if ok, r := MatchDenial(sampleApp(), d, now); ok {
			t.Errorf("%s: matched %v", name, r)
		}
	}
	for name, change := range map[string]func(d *Denial){
		"consignee name":          func(d *Denial) { d.Name = "EXAMPLE AEROSPACE LTD (ISRAEL)" },
		"several families":        func(d *Denial) { d.Ratings = []string{"ML4", "ML22"} },
		"item description":        func(d *Denial) { d.Ratings = nil; d.ItemDescription = "F-16 landing gear actuators" },
		"just within three years": func(d *Denial) { d.DeniedAt = now.AddDate(-3, 0, 0) },
	} {
		d := base
		change(&d)
		if ok, _ := MatchDenial(sampleApp(), d, now); !ok {
			t.Errorf("%s: no match", name)
		}
	}
	// The third party is not compared, nor is an application without an end user.
	d := base
	d.Name, d.Country = "Freight Agent", "NL"
	if ok, _ := MatchDenial(sampleApp(), d, now); ok {
		t.Error("matched a third party")
	}
	app := sampleApp()
	app.Parties = app.Parties[1:]
	if ok, _ := MatchDenial(app, base, now); ok {
		t.Error("matched an application without an end user")
	}
}

func TestRatingFamiliesAndKeys(t *testing.T) {
	app := sampleApp()
	app.Goods = append(app.Goods, Good{Rating: "NLR"}, Good{Rating: "5A002a"})
	if got := RatingFamilies(app.Goods); !slices.Equal(got, []string{"5A002", "ML10", "ML22"}) {
		t.Errorf("families = %v", got)
	}
	app.Parties = append(app.Parties, Party{Role: PartyUltimateEndUser, Name: "The Example Air Force"})
	if got := DenialNameKeys(app); !slices.Equal(got, []string{"example air force", "example aerospace ltd israel"}) {
		t.Errorf("keys = %v", got)
	}
}
