package importer

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

var awsdRequired = [][]string{
	{"Incident ID"}, {"Year"}, {"Month"}, {"Day"}, {"Country Code"}, {"Country"},
	{"Total killed"}, {"Total wounded"}, {"Total kidnapped"}, {"Total affected"}, {"Means of attack"},
}

// AWSD reads the Aid Worker Security Database (Humanitarian Outcomes) as
// published on HDX: a header, an HXL tag row, one row per incident.
//
// Mapping: sources [{awsd, Incident ID}] (the file repeats a few ids for
// different incidents; both are kept); Year/Month/Day give the date: a
// full date has precision day, a missing day or month gives the 1st of the
// month (or of January) with precision month (3) and an end date at the end
// of the month (or year). Country Code is alpha-2 (read as is: Namibia's
// code is NA), falling back to the Country name ("Chechnya" is RU);
// Region, District and City are admin1, admin2 and place; Latitude and
// Longitude. The publisher blanks the coordinates and city of every
// incident in Palestine: such rows are Redacted, and must stay so on every
// output. Means of attack is a weapon (see awsdMeans); Actor type and
// Actor name the perpetrator (see awsdActorTypes). Total killed, wounded,
// kidnapped and detained are the harm counts and Total affected the aid
// workers affected; the target is aid. Details is the narrative. Verified
// "Yes" is partly_verified (the publisher confirmed the incident with the
// agency), anything else unverified. Attack context, Location, Motive and
// the breakdowns stay in Original. Publishable is true: the AWSD is
// published under CC BY (cite "Aid Worker Security Database, Humanitarian
// Outcomes").
func AWSD(r io.Reader) (Batch[exportctl.Incident], error) {
	return awsd(r, nil)
}

// AWSDEach is AWSD streaming each incident to fn (see ACLEDEach).
func AWSDEach(r io.Reader, fn func(inc exportctl.Incident, line int) error) (Batch[exportctl.Incident], error) {
	return awsd(r, fn)
}

func awsd(r io.Reader, emit func(exportctl.Incident, int) error) (Batch[exportctl.Incident], error) {
	rd, err := NewReader(r, nil)
	if err != nil {
		return Batch[exportctl.Incident]{}, err
	}
	if err := requireColumns(rd, "an Aid Worker Security Database file", awsdRequired); err != nil {
		return Batch[exportctl.Incident]{}, err
	}
	p := &awsdParser{
		keys: originalKeys(rd.Header()),
		id:   rd.Column("Incident ID"), year: rd.Column("Year"), month: rd.Column("Month"), day: rd.Column("Day"),
		code: rd.Column("Country Code"), country: rd.Column("Country"),
		region: rd.Column("Region"), district: rd.Column("District"), city: rd.Column("City"),
		lat: rd.Column("Latitude"), lon: rd.Column("Longitude"),
		killed: rd.Column("Total killed"), wounded: rd.Column("Total wounded"), kidnapped: rd.Column("Total kidnapped"),
		detained: rd.Column("Total detained"), affected: rd.Column("Total affected"),
		means: rd.Column("Means of attack"), actorType: rd.Column("Actor type"), actorName: rd.Column("Actor name"),
		details: rd.Column("Details"), verified: rd.Column("Verified"),
	}
	return run(rd, p.parse, emit)
}

type awsdParser struct {
	keys                                  []string
	id, year, month, day, code, country   int
	region, district, city, lat, lon      int
	killed, wounded, kidnapped, detained  int
	affected, means, actorType, actorName int
	details, verified                     int
	countries                             countryNames
}

func (p *awsdParser) parse(row Row) (exportctl.Incident, problems) {
	var probs problems
	inc := exportctl.Incident{
		Admin1:       row.At(p.region),
		Admin2:       row.At(p.district),
		Place:        row.At(p.city),
		Target:       exportctl.TargetAid,
		Narrative:    row.At(p.details),
		Verification: exportctl.VerificationUnverified,
		Publishable:  true, // CC BY
	}
	if id := row.At(p.id); id != "" {
		inc.Sources = []exportctl.SourceID{{Source: "awsd", ID: id}}
	} else {
		probs.add("Incident ID is empty")
	}
	inc.StartDate, inc.EndDate, inc.DatePrecision = awsdDate(row.At(p.year), row.At(p.month), row.At(p.day), &probs)

	code := strings.ToUpper(strings.TrimSpace(row.RawAt(p.code)))
	if code != "" {
		if a2, err := exportctl.ParseCountry("Country Code", code); err == nil {
			inc.Country = a2
		} else {
			probs.add("Country Code: %q is not an ISO 3166-1 alpha-2 code", code)
		}
	} else {
		name := row.At(p.country)
		if a2, why := p.countries.name(name); a2 != "" {
			inc.Country = a2
			if inc.Admin1 == "" && !strings.EqualFold(exportctl.CountryName(a2), name) {
				inc.Admin1 = name // "Chechnya" -> RU, Chechnya
			}
		} else {
			probs.add("Country Code is empty and Country: %s", why)
		}
	}
	latS, lonS := row.At(p.lat), row.At(p.lon)
	inc.Latitude, inc.Longitude = probs.coords("Latitude", latS, "Longitude", lonS)
	if inc.Country == "PS" && latS == "" && lonS == "" {
		inc.Redacted = true // the publisher withholds places in Palestine
	}
	probs.count(&inc.Harm.Killed, "Total killed", row.At(p.killed))
	probs.count(&inc.Harm.Injured, "Total wounded", row.At(p.wounded))
	probs.count(&inc.Harm.Kidnapped, "Total kidnapped", row.At(p.kidnapped))
	probs.count(&inc.Harm.Detained, "Total detained", row.At(p.detained))
	probs.count(&inc.Harm.AidWorkers, "Total affected", row.At(p.affected))
	if len(probs) > 0 {
		return inc, probs
	}
	if strings.EqualFold(row.At(p.verified), "yes") {
		inc.Verification = exportctl.VerificationPartly
	}
	if w, ok := awsdWeapon(row.At(p.means)); ok {
		inc.Weapons = []exportctl.IncidentWeapon{w}
	}
	if a, ok := awsdActor(row.At(p.actorType), row.At(p.actorName)); ok {
		inc.Actors = []exportctl.IncidentActor{a}
	}
	inc.Original = original(p.keys, row.Fields())
	return inc, nil
}

// awsdDate builds the date from Year, Month and Day; a missing day or
// month widens it to the month or year (precision 3 with an end date).
func awsdDate(ys, ms, ds string, probs *problems) (start, end string, precision int) {
	y, err := strconv.Atoi(ys)
	if err != nil || y < 1900 || y > 2200 {
		probs.add("Year: %q is not a year", ys)
		return "", "", 0
	}
	if ms == "" {
		if ds != "" {
			probs.add("Day %q is given without a month", ds)
			return "", "", 0
		}
		return fmt.Sprintf("%04d-01-01", y), fmt.Sprintf("%04d-12-31", y), exportctl.PrecisionMonth
	}
	m, err := strconv.Atoi(ms)
	if err != nil || m < 1 || m > 12 {
		probs.add("Month: %q is not a month (1-12)", ms)
		return "", "", 0
	}
	first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
	if ds == "" {
		return first.Format(time.DateOnly), first.AddDate(0, 1, -1).Format(time.DateOnly), exportctl.PrecisionMonth
	}
	d, err := strconv.Atoi(ds)
	if err != nil || d < 1 || d > first.AddDate(0, 1, -1).Day() {
		probs.add("Day: %q is not a day of %04d-%02d", ds, y, m)
		return "", "", 0
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC).Format(time.DateOnly), "", exportctl.PrecisionDay
}

// awsdMeans maps Means of attack (by wordKey) to a launch type; values not
// listed (kidnapping, bodily assault, detention, rape, unknown) name no
// weapon.
var awsdMeans = map[string]string{
	"aerialbombardment": exportctl.LaunchAirUnknown,
	"airstrike":         exportctl.LaunchAirUnknown,
	"shelling":          exportctl.LaunchGround,
	"shooting":          exportctl.LaunchUnknown,
	"kidnapkilling":     "",
	"vehiclebornied":    exportctl.LaunchUnknown,
	"vehicleborneied":   exportctl.LaunchUnknown,
	"roadsideied":       exportctl.LaunchUnknown,
	"bodybornied":       exportctl.LaunchUnknown,
	"bodyborneied":      exportctl.LaunchUnknown,
	"otherexplosives":   exportctl.LaunchUnknown,
	"landmine":          exportctl.LaunchUnknown,
	"complexattack":     exportctl.LaunchUnknown,
}

func awsdWeapon(means string) (exportctl.IncidentWeapon, bool) {
	launch, ok := awsdMeans[wordKey(means)]
	if !ok || launch == "" {
		return exportctl.IncidentWeapon{}, false
	}
	return exportctl.IncidentWeapon{Reported: strings.TrimSpace(means), Launch: launch, Basis: "source_report"}, true
}

// awsdActorTypes maps Actor type (by wordKey) to ACLED actor types: host
// state, state (unknown), foreign or coalition forces, police or
// paramilitary 1; non-state armed groups 2, subnational ones 3; aid
// recipients and staff members 7 (civilians); criminals, unaffiliated and
// unknown 0.
var awsdActorTypes = map[string]int{
	"hoststate": 1, "stateunknown": 1, "foreignorcoalitionforces": 1, "policeorparamilitary": 1,
	"nonstatearmedgroupnational": 2, "nonstatearmedgroupunknown": 2, "nonstatearmedgroupregional": 2,
	"nonstatearmedgroupglobal": 2, "nonstatearmedgroupsubnational": 3,
	"aidrecipient": 7, "staffmember": 7,
}

func awsdActor(actorType, name string) (exportctl.IncidentActor, bool) {
	unknown := func(s string) bool {
		k := wordKey(s)
		return k == "" || k == "unknown" || k == "notapplicable"
	}
	if unknown(name) {
		name = ""
	}
	if unknown(actorType) {
		actorType = ""
	}
	if name == "" && actorType == "" {
		return exportctl.IncidentActor{}, false
	}
	t := awsdActorTypes[wordKey(actorType)]
	if name == "" {
		name = actorType
	}
	return exportctl.IncidentActor{Role: "perpetrator", Type: t, Name: name, Basis: "source_report"}, true
}
