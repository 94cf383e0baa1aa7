package exportctl

import (
	"bytes"
	"encoding/csv"
	"testing"
)

func TestWriteExposureCSV(t *testing.T) {
	lat, lon := 31.5, -34.25
	res := &ExposureResult{RuleSetVersion: 3, Links: []ExposureLink{{
		LicenceReference: "GBSIEL/2024/0000001/P", LicenceStatus: "issued", Rating: "ML10a", Good: "=HYPERLINK(\"http://x\")",
		EndUser: "+Air Force", IncidentID: 42, IncidentDate: "2024-01-02", Country: "PS", Latitude: &lat, Longitude: &lon,
		Target: TargetHospital, Actor: "-IDF", Launch: LaunchAirPlane, Item: "F-16", Strength: StrengthPlatform,
		Path:  []ExposureStep{{Kind: StepLicence, Label: "GBSIEL/2024/0000001/P", Why: "issued"}, {Kind: StepPlatform, Label: "F-16", Why: "operated"}},
		Dates: "after the licence",
	}}}
	var b bytes.Buffer
	if err := WriteExposureCSV(&b, res); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil || len(rows) != 2 || len(rows[0]) != len(ExposureCSVHeader) {
		t.Fatalf("%v %q", err, rows)
	}
	r := rows[1]
	if r[3] != `'=HYPERLINK("http://x")` || r[4] != "'+Air Force" || r[13] != "'-IDF" {
		t.Errorf("a formula-like cell was not neutralised: %q", r)
	}
	if r[11] != "-34.25" || r[10] != "31.5" || r[19] != "3" {
		t.Errorf("coordinates or version: %q", r)
	}
	if r[17] != "licence: GBSIEL/2024/0000001/P (issued) > platform: F-16 (operated)" {
		t.Errorf("path %q", r[17])
	}
}
