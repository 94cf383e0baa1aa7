package exportctl

import (
	"errors"
	"math"
	"slices"
	"testing"
)

func TestIncidentValidate(t *testing.T) {
	lat, lon := 31.5, 34.45
	in := Incident{StartDate: "2024-01-05", Country: "ps", Latitude: &lat, Longitude: &lon,
		Actors:          []IncidentActor{{Role: "perpetrator", Type: 1, Name: " Israeli Defence Forces ", Confidence: 0.9}},
		Weapons:         []IncidentWeapon{{Reported: "Aerial Bomb: Plane"}},
		Classifications: []Classification{{Code: "8(2)(b)(ix)", Status: "alleged"}}}
	if err := in.Validate(); err != nil {
		t.Fatal(err)
	}
	if in.Country != "PS" || in.DatePrecision != PrecisionDay || in.Target != TargetUnknown || in.Verification != VerificationUnverified ||
		in.Weapons[0].Launch != LaunchUnknown || in.Actors[0].Name != "Israeli Defence Forces" {
		t.Errorf("normalised = %+v", in)
	}
	bad := Incident{StartDate: "5 Jan 2024", EndDate: "2024-01-01", Country: "XX", DatePrecision: 4, Longitude: &lon,
		Target: "castle", Damage: "flattened", AidAccess: "maybe", Verification: "sure", Harm: Harm{Killed: -1},
		Actors:          []IncidentActor{{Role: "bystander", Type: 9, Confidence: math.NaN()}},
		Weapons:         []IncidentWeapon{{Launch: "catapult", Basis: "rumour"}},
		Classifications: []Classification{{Code: "8(2)(b)", Status: "proven"}}}
	var ve *ValidationError
	if !errors.As(bad.Validate(), &ve) {
		t.Fatal("no validation error")
	}
	var fields []string
	for _, e := range ve.Errors {
		fields = append(fields, e.Field)
	}
	for _, want := range []string{"country", "start_date", "date_precision", "latitude", "target_category", "damage", "aid_access", "verification",
		"harm.killed", "actors[0].role", "actors[0].type", "actors[0].name", "actors[0].confidence", "weapons[0].reported", "weapons[0].launch",
		"weapons[0].basis", "classifications[0].code", "classifications[0].status"} {
		if !slices.Contains(fields, want) {
			t.Errorf("no error for %s (got %v)", want, fields)
		}
	}
	end := Incident{StartDate: "2024-01-05", EndDate: "2024-01-04", Country: "GB"}
	if err := end.Validate(); ErrorField(err) != "end_date" {
		t.Errorf("end before start: %v", err)
	}
	if len(LegalProvisions()) < 19 {
		t.Errorf("%d provisions", len(LegalProvisions()))
	}
}

func TestIncidentRedact(t *testing.T) {
	lat, lon := 31.5, 34.45
	inc := Incident{Country: "PS", Admin1: "Gaza Strip", Admin2: "Northern Gaza", Admin3: "Jabalia", Place: "Jabalia camp", Latitude: &lat, Longitude: &lon,
		GeoPrecision: 1, Narrative: "kept", Original: map[string]string{"Latitude": "31.5", "Longitude": "34.45", "City": "Jabalia", "District": "Northern Gaza",
			"geo_precision": "1", "location": "Jabalia camp", "Region": "Gaza Strip", "Details": "kept", "Geo Precision": "(1) Exact"}}
	plain := inc
	plain.Redact()
	if plain.Latitude == nil || plain.Place == "" {
		t.Error("an unredacted incident lost its place")
	}
	inc.Redacted = true
	inc.Redact()
	if inc.Latitude != nil || inc.Longitude != nil || inc.Place != "" || inc.Admin2 != "" || inc.Admin3 != "" || inc.GeoPrecision != 0 ||
		inc.Admin1 != "Gaza Strip" || inc.Narrative != "kept" {
		t.Errorf("redacted = %+v", inc)
	}
	if len(inc.Original) != 2 || inc.Original["Region"] != "Gaza Strip" || inc.Original["Details"] != "kept" {
		t.Errorf("original = %v", inc.Original)
	}
}

func TestIncidentFilterParsing(t *testing.T) {
	if b, err := ParseBBox("bbox", " 34.2, 31.2,34.6 ,31.6"); err != nil || *b != [4]float64{34.2, 31.2, 34.6, 31.6} {
		t.Errorf("bbox: %v %v", b, err)
	}
	for _, s := range []string{"1,2,3", "a,b,c,d", "1,2,3,NaN"} {
		if _, err := ParseBBox("bbox", s); ErrorField(err) != "bbox" {
			t.Errorf("bbox %q: %v", s, err)
		}
	}
	if n, err := ParseNear("near", "50.45,30.52,10"); err != nil || *n != (Near{50.45, 30.52, 10}) {
		t.Errorf("near: %v %v", n, err)
	}
	if b, _ := ParseBBox("bbox", ""); b != nil {
		t.Error("empty bbox")
	}
	// Kyiv to Lviv is about 470 km.
	if d := DistanceKM(50.4501, 30.5234, 49.8397, 24.0297); d < 465 || d > 475 {
		t.Errorf("Kyiv-Lviv %.1f km", d)
	}
	box := Near{Lat: 50.45, Lon: 30.52, KM: 10}.BBox()
	if box[0] >= 30.52 || box[2] <= 30.52 || box[1] >= 50.45 || box[3] <= 50.45 || DistanceKM(50.45, 30.52, 50.45, box[2]) < 10 {
		t.Errorf("box %v does not contain the circle", box)
	}
	f := IncidentFilter{Country: " il ", From: "2024-01-02", To: "2024-01-01"}
	if err := f.Validate(); ErrorField(err) != "to" || f.Country != "IL" {
		t.Errorf("to before from: %v %q", err, f.Country)
	}
}
