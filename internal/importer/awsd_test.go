package importer

import (
	"slices"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
)

func TestAWSDFile(t *testing.T) {
	b, err := AWSD(openShared(t, "awsd/aid-worker-security-incidents.csv"))
	if err != nil {
		t.Fatal(err)
	}
	// 4,954 incidents; 7 name no country and 1 names Kashmir.
	if b.Read != 4954 || len(b.Items) != 4946 || len(b.Rejects) != 8 {
		t.Fatalf("read %d, items %d, rejects %v", b.Read, len(b.Items), b.Rejects)
	}
	var lines []int
	for _, r := range b.Rejects {
		lines = append(lines, r.Line)
	}
	if !slices.Equal(lines, []int{3, 39, 67, 99, 141, 223, 225, 2767}) || !strings.Contains(b.Rejects[6].Reason, `"Kashmir" is a disputed region`) ||
		b.Rejects[0].Reason != "Country Code is empty and Country: no country" {
		t.Errorf("rejects = %v", b.Rejects)
	}
	ps, psRedacted, chechnya := 0, 0, 0
	var ids4664 []int
	byID := map[string]int{}
	for i, inc := range b.Items {
		if inc.Target != exportctl.TargetAid || inc.Sources[0].Source != "awsd" || !inc.Publishable || len(inc.Original) != 44 {
			t.Fatalf("%v: target %s, publishable %v, %d original columns", inc.Sources, inc.Target, inc.Publishable, len(inc.Original))
		}
		byID[inc.Sources[0].ID] = i
		if inc.Sources[0].ID == "4664" {
			ids4664 = append(ids4664, b.Lines[i])
		}
		if inc.Country == "PS" {
			ps++
			if inc.Redacted && inc.Latitude == nil && inc.Longitude == nil {
				psRedacted++
			}
		} else if inc.Redacted {
			t.Errorf("%v in %s is redacted", inc.Sources, inc.Country)
		}
		if inc.Original["Country"] == "Chechnya" {
			chechnya++
			if inc.Country != "RU" || inc.Admin1 == "" {
				t.Errorf("%v: Chechnya gave %s / %q", inc.Sources, inc.Country, inc.Admin1)
			}
		}
	}
	if ps != 511 || psRedacted != 511 || chechnya != 26 {
		t.Errorf("PS %d, redacted %d (want 511 both); Chechnya %d (want 26)", ps, psRedacted, chechnya)
	}
	// The publisher reuses id 4664 for two incidents: both are kept.
	if !slices.Equal(ids4664, []int{4811, 5038}) {
		t.Errorf("id 4664 on lines %v", ids4664)
	}
	inc := b.Items[slices.Index(b.Lines, 4811)]
	if inc.StartDate != "2023-10-09" || inc.DatePrecision != exportctl.PrecisionDay || inc.EndDate != "" || inc.Country != "PS" ||
		inc.Admin1 != "Gaza Strip" || inc.Admin2 != "Northern Gaza" || inc.Place != "" || !inc.Redacted ||
		inc.Harm != (exportctl.Harm{Killed: 1, AidWorkers: 1}) || inc.Verification != exportctl.VerificationPartly ||
		len(inc.Weapons) != 1 || inc.Weapons[0] != (exportctl.IncidentWeapon{Reported: "Aerial bombardment", Launch: exportctl.LaunchAirUnknown, Basis: "source_report"}) ||
		len(inc.Actors) != 1 || inc.Actors[0] != (exportctl.IncidentActor{Role: "perpetrator", Type: 1, Name: "Israel Defense Forces (IDF)", Basis: "source_report"}) ||
		!strings.HasPrefix(inc.Narrative, "One female UN national staff was killed") || inc.Original["Attack context"] != "Combat/Crossfire" {
		t.Errorf("4664 (line 4811) = %+v", inc)
	}
	// Namibia's alpha-2 code is NA, which must not be read as "not available".
	inc = b.Items[byID["3149"]]
	if inc.Country != "NA" || inc.Place != "Windhoek" || inc.Latitude == nil || *inc.Latitude != -22.57 || len(inc.Weapons) != 0 ||
		len(inc.Actors) != 0 || inc.Harm.Injured != 1 {
		t.Errorf("3149 (Namibia) = %+v", inc)
	}
	// Month and day missing: the year, precision 3.
	inc = b.Items[byID["62"]]
	if inc.StartDate != "1998-01-01" || inc.EndDate != "1998-12-31" || inc.DatePrecision != exportctl.PrecisionMonth || inc.Country != "BI" {
		t.Errorf("62 = %+v", inc)
	}
	inc = b.Items[byID["1"]]
	if inc.StartDate != "1997-01-01" || inc.EndDate != "1997-01-31" || inc.DatePrecision != exportctl.PrecisionMonth {
		t.Errorf("1 = %+v", inc)
	}
	inc = b.Items[byID["29"]]
	if inc.Country != "RU" || inc.Admin1 != "Grozny" || inc.StartDate != "1997-10-23" {
		t.Errorf("29 (Chechnya) = %+v", inc)
	}
}

const awsdHeader = "Incident ID,Year,Month,Day,Country Code,Country,Region,District,City,Total killed,Total wounded,Total kidnapped,Total detained,Total affected,Means of attack,Attack context,Latitude,Longitude,Actor type,Actor name,Details,Verified\n" +
	"#event+id,#date+year,#date+month,#date+day,#country+code,#country+name,#adm1,#adm2,#adm3,#affected+killed,#affected+injured,#affected+kidnapped,#affected+detained,#affected,#event+means,#event+type,#geo+lat,#geo+lon,#group+type,#group+name,#description,\n"

func TestAWSDRejects(t *testing.T) {
	csv := awsdHeader +
		"1,2024,2,30,SD,Sudan,,,,0,1,0,0,1,Shelling,Raid,,,Non-state armed group: Subnational,Local militia,Shelled.,Pending\n" +
		"2,24,2,3,XZ,,,,,0,1,0,0,1,Shooting,Raid,,,,,Shot.,Yes\n" +
		"3,2024,13,,SD,Sudan,,,,x,1,0,0,1,Shooting,Raid,,,,,Shot.,Yes\n" +
		"4,2024,2,29,SD,Sudan,,,,0,0,1,0,1,Kidnapping,Raid,15.5,32.5,Host state,Unknown,Taken.,Yes\n"
	b, err := AWSD(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Items) != 1 || b.Lines[0] != 6 || len(b.Rejects) != 3 {
		t.Fatalf("items %+v rejects %v", b.Items, b.Rejects)
	}
	for i, want := range []string{`Day: "30" is not a day of 2024-02`, `Year: "24"`, `Month: "13"`} {
		if b.Rejects[i].Line != i+3 || !strings.Contains(b.Rejects[i].Reason, want) {
			t.Errorf("reject %d = %v, want %q", i, b.Rejects[i], want)
		}
	}
	if !strings.Contains(b.Rejects[1].Reason, `Country Code: "XZ"`) || !strings.Contains(b.Rejects[2].Reason, `Total killed: "x"`) {
		t.Errorf("rejects = %v", b.Rejects)
	}
	inc := b.Items[0]
	if inc.StartDate != "2024-02-29" || len(inc.Weapons) != 0 || inc.Actors[0] != (exportctl.IncidentActor{Role: "perpetrator", Type: 1, Name: "Host state", Basis: "source_report"}) ||
		inc.Verification != exportctl.VerificationPartly || inc.Redacted {
		t.Errorf("4 = %+v", inc)
	}
	if _, err := AWSD(strings.NewReader(sindAidWorkers)); err == nil || !strings.Contains(err.Error(), "missing columns Incident ID") {
		t.Errorf("wrong file: %v", err)
	}
}
