package importer

import (
	"slices"
	"strings"
	"testing"

	"github.com/exportctl/exportctl"
)

func TestSiNDHealthCare(t *testing.T) {
	b, err := SiND(openShared(t, "insecurity-insight/attacks-on-health-care-2016-2023.csv"), "health")
	if err != nil {
		t.Fatal(err)
	}
	// 8,862 data rows under the HXL row: 8,854 incidents and 8 empty
	// rows at the end; 2 incidents name no country.
	if b.Read != 8862 || len(b.Items) != 8852 || len(b.Rejects) != 10 {
		t.Fatalf("read %d, items %d, rejects %v", b.Read, len(b.Items), b.Rejects)
	}
	wantRejects := []RowError{
		{6173, `Country ISO is empty and Country: unknown country "Unspecified"`},
		{7690, `Country ISO is empty and Country: unknown country "International Waters"`},
	}
	for line := 9312; line <= 9319; line++ {
		wantRejects = append(wantRejects, RowError{line, "empty row"})
	}
	if !slices.Equal(b.Rejects, wantRejects) {
		t.Errorf("rejects = %v", b.Rejects)
	}
	countries := map[string]int{}
	psPlane, psHealthWorkersKilled, denied := 0, 0, 0
	byID := map[string]int{}
	for i, inc := range b.Items {
		countries[inc.Country]++
		byID[inc.Sources[0].ID] = i
		if inc.Sources[0].Source != "sind-health" || !inc.Publishable || len(inc.Original) != 35 {
			t.Fatalf("%v: publishable %v, %d original columns", inc.Sources, inc.Publishable, len(inc.Original))
		}
		if inc.Original["Location"] == "Health Building" && inc.Target != exportctl.TargetHospital {
			t.Errorf("%v: Health Building gave target %s", inc.Sources, inc.Target)
		}
		if inc.AidAccess == "denied" {
			denied++
		}
		if inc.Country == "PS" {
			psHealthWorkersKilled += inc.Harm.Killed
			if slices.ContainsFunc(inc.Weapons, func(w exportctl.IncidentWeapon) bool { return w.Launch == exportctl.LaunchAirPlane }) {
				psPlane++
			}
		}
	}
	if countries["PS"] != 1265 || countries["UA"] != 1319 {
		t.Errorf("PS %d (want 1265), UA %d (want 1319)", countries["PS"], countries["UA"])
	}
	// 839 rows have Access Denied or Obstructed True; one of them (25963)
	// is the "Unspecified" country rejected above.
	if psPlane != 236 || psHealthWorkersKilled != 138 || denied != 838 {
		t.Errorf("PS with air_plane %d (want 236), PS health workers killed %d (want 138), access denied %d (want 838)", psPlane, psHealthWorkersKilled, denied)
	}

	i, ok := byID["42822"]
	if !ok {
		t.Fatal("event 42822 missing")
	}
	inc := b.Items[i]
	if b.Lines[i] != 3 || inc.StartDate != "2023-12-21" || inc.DatePrecision != exportctl.PrecisionDay || inc.Country != "PS" ||
		inc.Admin1 != "Gaza Strip" || inc.Latitude == nil || *inc.Latitude != 31.5294490666 || inc.GeoPrecision != 2 ||
		inc.Target != exportctl.TargetHospital || inc.Harm.Killed != 1 || inc.Harm.HealthWorkers != 1 || inc.Harm.Injured != 0 ||
		inc.Damage != "" || inc.AidAccess != "" || !strings.HasPrefix(inc.Narrative, "December 2023: In Jabalia Refugee Camp, a female nurse") {
		t.Errorf("42822 (line %d) = %+v", b.Lines[i], inc)
	}
	if len(inc.Actors) != 1 || inc.Actors[0] != (exportctl.IncidentActor{Role: "perpetrator", Type: 1, Name: "Israeli Defence Forces", Basis: "source_report"}) {
		t.Errorf("42822 actors = %+v", inc.Actors)
	}
	if len(inc.Weapons) != 1 || inc.Weapons[0].Reported != "Firearms" || inc.Weapons[0].Launch != exportctl.LaunchUnknown {
		t.Errorf("42822 weapons = %+v", inc.Weapons)
	}
	if inc.Original["Location"] != "Health Building" || inc.Original["Geo Precision"] != "(2) 25 km Precision " {
		t.Errorf("42822 original = %v", inc.Original)
	}
	// 39711 (Myanmar): "Aerial Bomb: Plane, Firearms".
	inc = b.Items[byID["39711"]]
	if inc.Country != "MM" || len(inc.Weapons) != 2 || inc.Weapons[0].Launch != exportctl.LaunchAirPlane || inc.Weapons[1].Reported != "Firearms" {
		t.Errorf("39711 weapons = %+v", inc.Weapons)
	}
	// 39783: one weapon whose name has a comma.
	inc = b.Items[byID["39783"]]
	if len(inc.Weapons) != 1 || inc.Weapons[0].Reported != "Tasers, Live and Rubber Bullets" {
		t.Errorf("39783 weapons = %+v", inc.Weapons)
	}
	// 42798 (line 10) ends its description with "_x000D_" and a newline;
	// 35600 (lines 2725-2727) has a paragraph break.
	if inc := b.Items[byID["42798"]]; b.Lines[byID["42798"]] != 10 || strings.Contains(inc.Narrative, "_x000D_") ||
		!strings.HasSuffix(inc.Narrative, "unspecified number of people.") || !strings.Contains(inc.Original["Event Description"], "_x000D_\n") {
		t.Errorf("42798 (line %d) narrative = %q", b.Lines[byID["42798"]], inc.Narrative)
	}
	if inc := b.Items[byID["35600"]]; b.Lines[byID["35600"]] != 2725 || !strings.Contains(inc.Narrative, "military.\n\nUpdate 14 November") {
		t.Errorf("35600 (line %d) narrative = %q", b.Lines[byID["35600"]], inc.Narrative)
	}
	if b.Lines[byID["35560"]] != 2991 {
		t.Errorf("35560 starts on line %d, want 2991 (after a three-line row)", b.Lines[byID["35560"]])
	}
}

// Explosive-weapons layout (schema.csv, insecurity-insight-explosive-incidents).
const sindExplosive = `Date,Event Description,Country,Country ISO,Admin 1,Latitude,Longitude,Geo Precision,Sector Affected,Provider,Launch Type,Explosive Weapon Type,Reported Perpetrator,Reported Perpetrator Name,Affected,Aid Workers Killed,Health Workers Killed,Aid Health Workers Killed,Educators Killed,Students Killed,Food Security,SiND Event ID
#date,#description,#country +name,#country_ISO,#adm1,#geo +lat,#geo +lon,#geo +precision,#sector,#provider,#explosives_lauuch_type,#weapon +explosives,#group +perp,#group +perp +name,#affected,#affected +aidworker +killed,#affected +healthworker +killed,#affected +aid_healthworker +killed,#affected +teacher +killed,#affected +student +killed,#affected +killed,#event +id
2024-01-05,An air strike hit a clinic.,OPT,PSE,Gaza Strip,31.5,34.46,(2) 25 km Precision ,Health,,Air-Launched: Plane,Aerial Bomb,Armed Forces of Government/Self-Declared Government,Israeli Defence Forces,,0,2,0,0,0,,90001
06/01/2024,"Shelling and a missile hit a school.
Two students and a teacher were killed.",Ukraine,UKR,Kharkiv,NA,NA,(6) Country,Education,,Ground-Launched,"Missile, Shelling",Foreign Forces: Military,Armed Forces of the Russian Federation,,0,0,0,1,2,,90002
7 January 2024,A drone hit an aid convoy.,Sudan,SDN,Khartoum,15.5,32.5,(3) District,Aid,,Air-Launched: Drone,,NSA,Rapid Support Forces,,1,0,0,0,0,,90003
2024-13-01,Bad row.,Narnia,XXX,,95,32.5,(3) District,Aid,,,,NSA,,,two,0,0,0,0,,90004
`

func TestSiNDExplosiveWeapons(t *testing.T) {
	b, err := SiND(strings.NewReader(sindExplosive), "explosive")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Items) != 3 || b.Read != 4 || len(b.Rejects) != 1 {
		t.Fatalf("items %d read %d rejects %v", len(b.Items), b.Read, b.Rejects)
	}
	r := b.Rejects[0]
	for _, s := range []string{`Date: "2024-13-01"`, `"XXX"`, `unknown country "Narnia"`, `Latitude: "95"`, `Aid Workers Killed: "two"`} {
		if r.Line != 7 || !strings.Contains(r.Reason, s) {
			t.Errorf("reject = %v, want line 7 with %q", r, s)
		}
	}
	inc := b.Items[0]
	if inc.Sources[0] != (exportctl.SourceID{Source: "sind-explosive", ID: "90001"}) || inc.Country != "PS" || b.Lines[0] != 3 ||
		len(inc.Weapons) != 1 || inc.Weapons[0].Reported != "Aerial Bomb" || inc.Weapons[0].Launch != exportctl.LaunchAirPlane ||
		inc.Harm.Killed != 2 || inc.Harm.HealthWorkers != 2 || inc.Target != exportctl.TargetHealthWorker || inc.Actors[0].Type != 1 {
		t.Errorf("90001 = %+v", inc)
	}
	inc = b.Items[1]
	if inc.StartDate != "2024-01-06" || b.Lines[1] != 4 || inc.Latitude != nil || inc.GeoPrecision != 6 || len(inc.Weapons) != 2 ||
		inc.Weapons[0].Reported != "Missile" || inc.Weapons[0].Launch != exportctl.LaunchGround || inc.Weapons[1].Launch != exportctl.LaunchGround ||
		inc.Harm.Killed != 3 || inc.Target != exportctl.TargetSchool || inc.Actors[0].Type != 1 || inc.Actors[0].Name != "Armed Forces of the Russian Federation" {
		t.Errorf("90002 = %+v", inc)
	}
	inc = b.Items[2]
	if inc.StartDate != "2024-01-07" || b.Lines[2] != 6 || len(inc.Weapons) != 1 || inc.Weapons[0].Launch != exportctl.LaunchAirDrone ||
		inc.Harm.AidWorkers != 1 || inc.Target != exportctl.TargetAid || inc.Actors[0].Type != 2 {
		t.Errorf("90003 = %+v", inc)
	}
}

// Aid-worker layout: the breakdowns by nationality, sex and captivity are
// not added to the totals a second time.
const sindAidWorkers = `Date,Event Description,Country,Country ISO,Admin 1,Latitude,Longitude,Geo Precision,Location of Incident,Reported Perpetrator,Reported Perpetrator Name,Weapon Carried/Used,Organisation Affected,Programme Focus,Aid Workers Killed,Aid Workers Injured,Aid Workers Kidnapped,Aid Workers Arrested,Known Kidnapping or Arrest Outcome,Aid Workers Killed in Captivity,International Aid Workers Killed,International Aid Workers Killed in Captivity,National Aid Workers Killed,National Aid Workers Killed in Captivity,Female Aid Workers Killed,Female Aid Workers Killed in Captivity,Male Aid Workers Killed,Male Aid Workers Killed in Captivity,International Aid Workers Injured,National Aid Workers Injured,Female Aid Workers Injured,Male Aid Workers Injured,International Aid Workers Kidnapped,National Aid Workers Kidnapped,Female Aid Workers Kidnapped,Male Aid Workers Kidnapped,International Aid Workers Arrested,National Aid Workers Arrested,Female Aid Workers Arrested,Male Aid Workers Arrested,SiND Event ID
2023-11-02 00:00:00,Two aid workers were killed and one kidnapped at a warehouse.,South Sudan,SSD,Jonglei,7.0,31.0,(4) Province,Warehouse,NSA,Local militia,"Firearms, Stones, Sticks and Gravel",INGO,Food,2,0,1,0,Freed,0,1,0,1,0,1,0,1,0,0,0,0,0,0,1,0,1,0,0,0,0,7001
2023-11-03 00:00:00,An aid worker was arrested.,Afghanistan,AFG,Kabul,,,,Road,Police,,No Information on the Weapon Used,NNGO,Health,0,0,0,1,,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,0,1,7002
`

func TestSiNDAidWorkers(t *testing.T) {
	b, err := SiND(strings.NewReader(sindAidWorkers), "aid")
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Items) != 2 || len(b.Rejects) != 0 {
		t.Fatalf("items %d rejects %v", len(b.Items), b.Rejects)
	}
	inc := b.Items[0]
	if inc.Harm != (exportctl.Harm{Killed: 2, Kidnapped: 1, AidWorkers: 3}) || inc.Target != exportctl.TargetAid || inc.GeoPrecision != 4 ||
		inc.Actors[0].Type != 3 || inc.Actors[0].Name != "Local militia" || len(inc.Weapons) != 2 ||
		inc.Weapons[1].Reported != "Stones, Sticks and Gravel" || inc.Weapons[1].Launch != exportctl.LaunchUnknown {
		t.Errorf("7001 = %+v", inc)
	}
	inc = b.Items[1]
	if inc.Harm != (exportctl.Harm{Detained: 1, AidWorkers: 1}) || inc.Target != exportctl.TargetAid || len(inc.Weapons) != 0 ||
		inc.Actors[0] != (exportctl.IncidentActor{Role: "perpetrator", Type: 1, Name: "Police", Basis: "source_report"}) || inc.Latitude != nil {
		t.Errorf("7002 = %+v", inc)
	}
}

func TestSiNDWrongFile(t *testing.T) {
	_, err := SiND(strings.NewReader("Incident ID,Year,Month\n1,2020,1\n"), "health")
	if err == nil || !strings.Contains(err.Error(), "missing columns SiND Event ID, Date, Country ISO, Event Description") {
		t.Errorf("err = %v", err)
	}
}

func TestSiNDLaunch(t *testing.T) {
	for in, want := range map[string]string{
		"Aerial Bomb: Plane": exportctl.LaunchAirPlane, "Aerial Bomb: Drone": exportctl.LaunchAirDrone,
		"Aerial Bomb: Helicopter": exportctl.LaunchAirHelicopter, "Aerial Bomb: Missile": exportctl.LaunchAirUnknown,
		"Aerial Bomb: No Information on Platform Type": exportctl.LaunchAirUnknown, "Air-Launched: Plane": exportctl.LaunchAirPlane,
		"Shelling": exportctl.LaunchGround, "Artillery": exportctl.LaunchGround, "Rocket": exportctl.LaunchGround,
		"Mortar": exportctl.LaunchGround, "Missile": exportctl.LaunchGround, "RPG": exportctl.LaunchGround,
		"Ground-Launched": exportctl.LaunchGround, "Sea-Launched": exportctl.LaunchSea,
		"Firearms": exportctl.LaunchUnknown, "Unspecified IED": exportctl.LaunchUnknown, "Cluster Bomb": exportctl.LaunchUnknown,
	} {
		if got := sindLaunch(in); got != want {
			t.Errorf("sindLaunch(%q) = %s, want %s", in, got, want)
		}
	}
	for in, want := range map[string]int{"(2) 25 km Precision ": 2, "(6) Country": 6, "(7) Estimated Sea/Air Coordinates ": 7, "Country": 6} {
		if got, ok := sindGeoPrecision(strings.TrimSpace(in)); !ok || got != want {
			t.Errorf("sindGeoPrecision(%q) = %d, %v", in, got, ok)
		}
	}
}
