package importer

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
)

func TestACLEDSample(t *testing.T) {
	b, err := ACLED(openShared(t, "acled/acled-sample-2022.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if b.Read != 326 || len(b.Items) != 326 || len(b.Rejects) != 0 || len(b.Lines) != 326 {
		t.Fatalf("read %d, items %d, lines %d, rejects %v", b.Read, len(b.Items), len(b.Lines), b.Rejects)
	}
	// The sample is all Argentina (iso 32); count by country and by province.
	countries, admin1 := map[string]int{}, map[string]int{}
	for _, inc := range b.Items {
		countries[inc.Country]++
		admin1[inc.Admin1]++
		if inc.Publishable || inc.Verification != exportctl.VerificationUnverified || len(inc.Original) != 31 {
			t.Fatalf("%s: publishable %v, verification %s, %d original columns", inc.Sources[0].ID, inc.Publishable, inc.Verification, len(inc.Original))
		}
	}
	if len(countries) != 1 || countries["AR"] != 326 {
		t.Errorf("countries = %v", countries)
	}
	for name, want := range map[string]int{"Buenos Aires": 72, "Santa Fe": 34, "Chubut": 31} {
		if admin1[name] != want {
			t.Errorf("admin1 %s: %d, want %d", name, admin1[name], want)
		}
	}

	// ARG10475 (line 219): mob violence in Presidencia Roque Saenz Pena.
	i := -1
	for k, inc := range b.Items {
		if inc.Sources[0].ID == "ARG10475" {
			i = k
		}
	}
	if i < 0 {
		t.Fatal("ARG10475 not found")
	}
	inc := b.Items[i]
	if b.Lines[i] != 219 || inc.Sources[0].Source != "acled" || inc.StartDate != "2022-06-13" || inc.DatePrecision != 1 ||
		inc.Country != "AR" || inc.Admin1 != "Chaco" || inc.Admin2 != "Comandante Fernandez" || inc.Admin3 != "" ||
		inc.Place != "Presidencia Roque Saenz Pena" || inc.Latitude == nil || *inc.Latitude != -26.7896 || *inc.Longitude != -60.4341 ||
		inc.GeoPrecision != 1 || inc.EventType != "Riots" || inc.SubEventType != "Mob violence" || inc.Harm.Killed != 1 ||
		inc.Target != exportctl.TargetHome || len(inc.Weapons) != 0 || !strings.HasPrefix(inc.Narrative, "On 13 June 2022, in Presidencia") {
		t.Errorf("ARG10475 (line %d) = %+v", b.Lines[i], inc)
	}
	want := []exportctl.IncidentActor{
		{Role: "other", Type: 5, Name: "Rioters (Argentina)", Basis: "source_report"},
		{Role: "other", Name: "Vigilante Group (Argentina)", Basis: "source_report"},
		{Role: "target", Type: 7, Name: "Civilians (Argentina)", Basis: "source_report"},
	}
	if len(inc.Actors) != len(want) {
		t.Fatalf("actors = %+v", inc.Actors)
	}
	for k := range want {
		if inc.Actors[k] != want[k] {
			t.Errorf("actor %d = %+v, want %+v", k, inc.Actors[k], want[k])
		}
	}
	if inc.Original["admin3"] != "NA" || inc.Original["interaction"] != "57" || inc.Original["timestamp"] != "1655831437" {
		t.Errorf("original = %v", inc.Original)
	}
}

const acledHeader = `event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp`

func TestACLEDFormats(t *testing.T) {
	// Header with trailing spaces and other case; dates and actor types
	// in the other spellings ACLED exports use; a quoted newline.
	header := strings.ReplaceAll(acledHeader, "event_date", " Event_Date ")
	header = strings.ReplaceAll(header, "inter2", "inter2 ")
	csv := header + `
PSE1,9 October 2023,2023,1,Political violence,Explosions/Remote violence,Air/drone strike,Military Forces of Israel (2022-),,State Forces,Civilians (Palestine),,Civilians,State forces-Civilians,Civilian targeting,275,Middle East,Palestine,Gaza Strip,North Gaza,,Jabalia,31.5317,34.4837,1,Media,International,"On 9 October 2023, an Israeli air strike hit a UN school sheltering displaced people
in Jabalia camp.",12,,1
PSE2,10-10-2023,2023,2,Political violence,Explosions/Remote violence,Shelling/artillery/missile attack,Military Forces of Israel (2022-),,1,,,0,10,,275,Middle East,Palestine,Gaza Strip,,,Beit Hanoun,NA,NA,3,Media,International,Shelling hit the hospital courtyard.,0,,1
UKR1,11/10/2023,2023,1,Political violence,Battles,Armed clash,Military Forces of Russia (2000-),,State forces,Military Forces of Ukraine (2019-),,State forces,,,804,Europe,Ukraine,Donetsk,,,Avdiivka,48.1394,37.7497,2,Media,National,Clashes near Avdiivka.,3,,1
UKR2,2023-10-12,2023,1,Political violence,Violence against civilians,Attack,Unidentified Armed Group (Ukraine),,Political militia,Civilians (Ukraine),,7,37,Civilian targeting,804,Europe,Ukraine,Kharkiv,,,Kharkiv,49.99,36.23,1,Media,National,A journalist was shot.,1,,1
XKX1,2023-10-13,2023,1,Demonstrations,Protests,Peaceful protest,Protesters (Kosovo),,Protesters,,,,60,,0,Europe,Kosovo,Pristina,,,Pristina,42.66,21.16,1,Media,National,Teachers protested outside the school.,0,,1
ISR1,13 Oct 2023,2023,1,Political violence,Explosions/Remote violence,Air/drone strike,Hamas,,Rebel group,Civilians (Israel),,7,27,Civilian targeting,376,Middle East,Israel,Southern,,,Sderot,31.52,34.59,1,Media,National,Rocket hit a house.,0,,1
`
	b, err := ACLED(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Items) != 6 || len(b.Rejects) != 0 || b.Read != 6 {
		t.Fatalf("items %d, rejects %v", len(b.Items), b.Rejects)
	}
	counts := map[string]int{}
	for _, inc := range b.Items {
		counts[inc.Country]++
	}
	if counts["PS"] != 2 || counts["UA"] != 2 || counts["XK"] != 1 || counts["IL"] != 1 {
		t.Errorf("per country = %v", counts)
	}
	p := b.Items[0]
	if p.StartDate != "2023-10-09" || p.Country != "PS" || b.Lines[0] != 2 || p.Target != exportctl.TargetSchool ||
		p.Narrative != "On 9 October 2023, an Israeli air strike hit a UN school sheltering displaced people\nin Jabalia camp." ||
		len(p.Weapons) != 1 || p.Weapons[0].Launch != exportctl.LaunchAirUnknown || p.Weapons[0].Reported != "Air/drone strike" ||
		p.Actors[0].Role != "perpetrator" || p.Actors[0].Type != 1 || p.Actors[1].Role != "target" || p.Actors[1].Type != 7 || p.Harm.Killed != 12 {
		t.Errorf("PSE1 = %+v", p)
	}
	p = b.Items[1]
	if p.StartDate != "2023-10-10" || p.DatePrecision != 2 || p.Latitude != nil || p.Longitude != nil || p.GeoPrecision != 3 ||
		b.Lines[1] != 4 || p.Weapons[0].Launch != exportctl.LaunchGround || p.Target != exportctl.TargetHospital || len(p.Actors) != 1 {
		t.Errorf("PSE2 = %+v (line %d)", p, b.Lines[1])
	}
	p = b.Items[2]
	if p.StartDate != "2023-10-11" || p.Actors[0].Role != "other" || p.Actors[1].Role != "other" || p.Actors[1].Type != 1 ||
		p.Target != exportctl.TargetMilitary || len(p.Weapons) != 0 {
		t.Errorf("UKR1 = %+v", p)
	}
	if p := b.Items[3]; p.Actors[0].Type != 3 || p.Actors[0].Role != "perpetrator" || p.Target != exportctl.TargetJournalist {
		t.Errorf("UKR2 = %+v", p)
	}
	if p := b.Items[4]; p.Country != "XK" || p.Target != exportctl.TargetUnknown || p.Actors[0].Type != 6 {
		t.Errorf("XKX1 (iso 0: country by name; a protest has no target) = %+v", p)
	}
	if p := b.Items[5]; p.StartDate != "2023-10-13" || p.Actors[0].Type != 2 || p.Target != exportctl.TargetHome {
		t.Errorf("ISR1 = %+v", p)
	}
}

func TestACLEDRejects(t *testing.T) {
	csv := acledHeader + `
A1,31/02/2022,2022,1,,Riots,Mob violence,Rioters,,5,,,0,50,,32,,Argentina,,,,X,1,2,1,,,,0,,1
A2,2022-06-01,2022,1,,Riots,Mob violence,Rioters,,5,,,0,50,,999,,Atlantis,,,,X,1,2,1,,,,0,,1
A3,2022-06-01,2022,1,,Riots,Mob violence,Rioters,,5,,,0,50,,32,,Argentina,,,,X,1,2,1,,,,many,,1
A4,2022-06-01,2022,4,,Riots,Mob violence,Rioters,,Aliens,,,0,50,,32,,Argentina,,,,X,north,2,1,,,,0,,1
,2022-06-01,2022,1,,Riots,Mob violence,Rioters,,5,,,0,50,,32,,Argentina,,,,X,1,2,1,,,,0,,1
A6,2022-06-01,2022,1,,Riots,Mob violence,Rioters,,5,,,0,50,,32,,Argentina,,,,X,1,2,1,,,,0,,1
,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,
`
	b, err := ACLED(strings.NewReader(csv))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Items) != 1 || b.Lines[0] != 7 || b.Read != 7 {
		t.Fatalf("items %+v lines %v read %d", b.Items, b.Lines, b.Read)
	}
	want := []struct {
		line int
		has  []string
	}{
		{2, []string{`event_date: "31/02/2022" is not a date`}},
		{3, []string{`unknown country "Atlantis"`, `iso "999"`}},
		{4, []string{`fatalities: "many" is not a count`}},
		{5, []string{`time_precision: "4"`, `latitude: "north"`, `inter1: "Aliens"`}},
		{6, []string{"event_id_cnty is empty"}},
		{8, []string{"empty row"}},
	}
	if len(b.Rejects) != len(want) {
		t.Fatalf("rejects = %v", b.Rejects)
	}
	for k, w := range want {
		r := b.Rejects[k]
		for _, s := range w.has {
			if r.Line != w.line || !strings.Contains(r.Reason, s) {
				t.Errorf("reject %d = %v, want line %d with %q", k, r, w.line, s)
			}
		}
	}
}

func TestACLEDWrongFile(t *testing.T) {
	_, err := ACLED(strings.NewReader("licence_group,date,rating,count,value,country,refused\n1,2008-01-02,ML10,1,3540,Italy,0\n"))
	if err == nil || !strings.Contains(err.Error(), "missing columns event_id_cnty") || !strings.Contains(err.Error(), "fatalities") {
		t.Errorf("err = %v", err)
	}
	if _, err := ACLED(strings.NewReader("")); err == nil {
		t.Error("an empty file must fail")
	}
}

func TestACLEDEachStops(t *testing.T) {
	csv := acledHeader + "\nA1,2022-06-01,2022,1,,Riots,Mob violence,Rioters,,5,,,0,50,,32,,Argentina,,,,X,1,2,1,,,,0,,1\n" +
		"A2,2022-06-01,2022,1,,Riots,Mob violence,Rioters,,5,,,0,50,,32,,Argentina,,,,X,1,2,1,,,,0,,1\n"
	var got []string
	stop := io.ErrShortWrite
	_, err := ACLEDEach(strings.NewReader(csv), func(inc exportctl.Incident, line int) error {
		got = append(got, inc.Sources[0].ID)
		return stop
	})
	if err != stop || len(got) != 1 {
		t.Errorf("err %v, got %v", err, got)
	}
}

func TestACLEDInter(t *testing.T) {
	for in, want := range map[string]int{"": 0, "0": 0, "1": 1, "8": 8, "State Forces": 1, "Rebel Forces": 2, "Rebel group": 2,
		"Militia Groups": 3, "Political militia": 3, "Communal / Identity Groups": 4, "Identity militia": 4, "Rioters": 5,
		"Protesters": 6, "Protestors": 6, "Civilians": 7, "Foreign / Others": 8, "External/Other forces": 8} {
		if got, ok := acledInter(in); !ok || got != want {
			t.Errorf("acledInter(%q) = %d, %v; want %d", in, got, ok, want)
		}
	}
	for _, in := range []string{"9", "12", "-1", "Martians"} {
		if _, ok := acledInter(in); ok {
			t.Errorf("acledInter(%q) accepted", in)
		}
	}
}

func TestNotesTarget(t *testing.T) {
	for notes, want := range map[string]string{
		"Two people were injured and taken to hospital.":              "",
		"He died in the hospital two days later.":                     "",
		"An air strike hit Al-Shifa hospital.":                        exportctl.TargetHospital,
		"Medical sources said three people were killed.":              "",
		"Shelling damaged a medical facility.":                        exportctl.TargetHospital,
		"Soldiers shot two medical workers.":                          exportctl.TargetHealthWorker,
		"An ambulance was hit near the hospital entrance.":            exportctl.TargetHospital,
		"A UN spokesperson said the attack was unacceptable.":         "",
		"Militants looted a UN warehouse.":                            exportctl.TargetAid,
		"An aid convoy was stopped.":                                  exportctl.TargetAid,
		"Police said the aid was not delivered.":                      "",
		"Fighters attacked a military camp.":                          "",
		"A drone struck a displacement camp.":                         exportctl.TargetShelter,
		"Police used a water cannon.":                                 "",
		"Shelling cut the water supply.":                              exportctl.TargetInfrastructure,
		"A bakery was hit.":                                           exportctl.TargetInfrastructure,
		"He was placed under house arrest.":                           "",
		"A missile hit a residential building.":                       exportctl.TargetHome,
		"Gunmen attacked a mosque.":                                   exportctl.TargetWorship,
		"A journalist was detained.":                                  exportctl.TargetJournalist,
		"The Red Cross office was looted.":                            exportctl.TargetAid,
		"Students of the university were attacked near their school.": exportctl.TargetSchool,
	} {
		if got := notesTarget(notes); got != want {
			t.Errorf("notesTarget(%q) = %q, want %q", notes, got, want)
		}
	}
}

// BenchmarkACLED parses ACLED rows generated from the real sample (or a
// synthetic row when the sample is absent) in memory and reports rows/s.
// Set EXPORTCTL_ACLED_BENCH_ROWS to change the file size (default 100,000;
// 1,000,000 works with ACLEDEach, which keeps nothing in memory).
func BenchmarkACLED(b *testing.B) {
	rows := 100_000
	if s := os.Getenv("EXPORTCTL_ACLED_BENCH_ROWS"); s != "" {
		if n, err := parseCountEnv(s); err == nil {
			rows = n
		}
	}
	data := acledBenchData(b, rows)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		n := 0
		batch, err := ACLEDEach(bytes.NewReader(data), func(inc exportctl.Incident, line int) error {
			n++
			return nil
		})
		if err != nil || n != rows || len(batch.Rejects) != 0 {
			b.Fatalf("err %v, %d items of %d, rejects %v", err, n, rows, batch.Rejects[:min(3, len(batch.Rejects))])
		}
	}
	b.ReportMetric(float64(rows*b.N)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkACLEDBatch is BenchmarkACLED keeping every incident in memory.
func BenchmarkACLEDBatch(b *testing.B) {
	data := acledBenchData(b, 100_000)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		batch, err := ACLED(bytes.NewReader(data))
		if err != nil || len(batch.Items) != 100_000 {
			b.Fatal(err, len(batch.Items))
		}
	}
	b.ReportMetric(float64(100_000*b.N)/time.Since(start).Seconds(), "rows/s")
}

func acledBenchData(b *testing.B, rows int) []byte {
	var lines []string
	if raw, err := os.ReadFile(sharedDataDir() + "/acled/acled-sample-2022.csv"); err == nil {
		all := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
		lines = all[1:]
	} else {
		lines = []string{`"X1",2022-06-30,2022,1,"Political violence","Violence against civilians","Attack","Unidentified Armed Group",NA,3,"Civilians",NA,7,37,"Civilian targeting",32,"South America","Argentina","Chubut","Escalante",NA,"Comodoro Rivadavia",-45.8644,-67.4997,1,"Media","National","On 30 June 2022, gunmen attacked a house in Comodoro Rivadavia and shot a man.",1,"",1657041386`}
	}
	var buf bytes.Buffer
	buf.WriteString(acledHeader + "\n")
	for i := range rows {
		buf.WriteString(lines[i%len(lines)])
		buf.WriteByte('\n')
	}
	return buf.Bytes()
}

func parseCountEnv(s string) (int, error) {
	n, ok := parseCount(s)
	if !ok || n == 0 {
		return 0, io.ErrUnexpectedEOF
	}
	return n, nil
}
