package importer

import (
	"io"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

// The base columns every Security in Numbers dataset has.
var sindRequired = [][]string{
	{"SiND Event ID", "SiND ID", "SIND Event ID", "Event ID"}, {"Date"}, {"Country ISO"}, {"Event Description"},
}

// SiND reads any Insecurity Insight Security in Numbers Database (SiND)
// dataset (attacks on health care, aid workers, education, explosive
// weapons, protection, food security, conflict-related sexual violence:
// schema.csv lists their columns) by header name. dataset names it in the
// source id: "health" gives sources [{"sind-health", id}].
//
// Mapping: Date ("2023-12-21 00:00:00" or any accepted date), precision
// day; Country ISO (alpha-3, falling back to the Country name: "OPT" is
// PS); Admin 1; Latitude/Longitude; Geo Precision "(2) 25 km Precision" is
// 2 and "(6) Country" is 6, in which case the coordinates are the
// country's centroid (kept, but they locate nothing). Reported
// Perpetrator and its Name give the perpetrator (type 1 for government,
// foreign military and police, 2 for non-state armed groups or 3 when the
// name says militia, 6 protesters, 7 civilians, 0 otherwise). Weapon
// Carried/Used (a comma list) and, in the explosive-weapons dataset,
// Explosive Weapon Type with Launch Type give weapons with their launch
// (see sindLaunch). The location column ("Location ", "Location of
// Incident", ...), harm and damage columns give the target (see
// sindTarget). Damage: a column reporting destruction > 0 gives destroyed,
// damage > 0 moderately_damaged. Access Denied or Obstructed true gives
// aid access "denied". Harm: every "<group> Killed / Injured / Kidnapped /
// Arrested|Detained" column adds to the counts (breakdowns by nationality,
// sex or captivity are skipped so nobody is counted twice); health-worker
// columns add to HealthWorkers, aid-worker ones to AidWorkers. Event
// Description is the narrative (without the "_x000D_" spreadsheet
// artefacts; Original keeps them). Verification is unverified. Publishable is
// true: SiND is published under CC BY-SA 4.0, which allows republishing
// with attribution ("Insecurity Insight").
func SiND(r io.Reader, dataset string) (Batch[exportctl.Incident], error) {
	return sind(r, dataset, nil)
}

// SiNDEach is SiND streaming each incident to fn (see ACLEDEach).
func SiNDEach(r io.Reader, dataset string, fn func(inc exportctl.Incident, line int) error) (Batch[exportctl.Incident], error) {
	return sind(r, dataset, fn)
}

func sind(r io.Reader, dataset string, emit func(exportctl.Incident, int) error) (Batch[exportctl.Incident], error) {
	rd, err := NewReader(r, nil)
	if err != nil {
		return Batch[exportctl.Incident]{}, err
	}
	if err := requireColumns(rd, "a Security in Numbers (SiND) dataset", sindRequired); err != nil {
		return Batch[exportctl.Incident]{}, err
	}
	p := newSiNDParser(rd, dataset)
	return run(rd, p.parse, emit)
}

// sindNumber is a numeric column with what it counts.
type sindNumber struct {
	idx  int
	name string
}

type sindHarm struct {
	sindNumber
	verb        string // killed, injured, kidnapped, detained
	health, aid bool
	journalists bool
	children    bool
}

type sindParser struct {
	source                                               string
	keys                                                 []string
	id, date, countryISO, country, admin1, lat, lon, geo int
	perp, perpName, weapon, launchType, explosiveType    int
	location, sector, access, description, campName      int
	infrastructure                                       int
	harm                                                 []sindHarm
	destroyed, damaged                                   []sindNumber
	transport, facility, schools, camps                  []sindNumber
	countries                                            countryNames
}

func newSiNDParser(rd *Reader, dataset string) *sindParser {
	source := "sind"
	if d := strings.TrimSpace(dataset); d != "" {
		source = "sind-" + strings.ToLower(d)
	}
	p := &sindParser{
		source: source, keys: originalKeys(rd.Header()),
		id: rd.Column(sindRequired[0]...), date: rd.Column("Date"), countryISO: rd.Column("Country ISO"),
		country: rd.Column("Country"), admin1: rd.Column("Admin 1", "Admin1"),
		lat: rd.Column("Latitude"), lon: rd.Column("Longitude"), geo: rd.Column("Geo Precision"),
		perp: rd.Column("Reported Perpetrator"), perpName: rd.Column("Reported Perpetrator Name"),
		weapon:     rd.Column("Weapon Carried/Used", "Weapons Carried/Used", "Weapon Used"),
		launchType: rd.Column("Launch Type"), explosiveType: rd.Column("Explosive Weapon Type"),
		sector: rd.Column("Sector Affected"), access: rd.Column("Access Denied or Obstructed"),
		description: rd.Column("Event Description"), campName: rd.Column("Camp Name"),
		infrastructure: rd.Column("Infrastructure Affected"), location: -1,
	}
	for i, h := range rd.Header() {
		l := strings.ToLower(h)
		n := sindNumber{i, h}
		switch {
		case strings.HasPrefix(l, "location") && p.location < 0:
			p.location = i
		case strings.HasPrefix(l, "health transportation"):
			p.transport = append(p.transport, n)
		case strings.HasPrefix(l, "attacks on schools"), strings.HasPrefix(l, "attacks on universities"):
			p.schools = append(p.schools, n)
		case strings.HasPrefix(l, "forceful entry into health"), strings.HasPrefix(l, "occupation of health"):
			p.facility = append(p.facility, n)
		}
		switch {
		case strings.Contains(l, "damage"):
			p.damaged = append(p.damaged, n)
		case strings.Contains(l, "destruction"), strings.Contains(l, "destroyed"):
			p.destroyed = append(p.destroyed, n)
		}
		if strings.Contains(l, "health facilit") && (strings.Contains(l, "destr") || strings.Contains(l, "damage")) {
			p.facility = append(p.facility, n)
		}
		if strings.Contains(l, "attacks on camps") {
			p.camps = append(p.camps, n)
		}
		if verb, ok := harmVerb(l); ok {
			p.harm = append(p.harm, sindHarm{
				sindNumber: n, verb: verb,
				health:      strings.Contains(l, "health"),
				aid:         strings.Contains(l, "aid "),
				journalists: strings.Contains(l, "journalist"),
				children:    strings.Contains(l, "child"),
			})
		}
	}
	return p
}

// harmVerb recognises a harm column: "<group> killed|injured|kidnapped|
// arrested|detained" and "Reported Deaths Following ...". Breakdowns of a
// total (international/national/female/male, in captivity) are not harm
// columns of their own.
func harmVerb(l string) (string, bool) {
	l = strings.TrimSpace(l)
	if strings.HasPrefix(l, "reported deaths") {
		return "killed", true
	}
	for _, skip := range []string{"international ", "national ", "female ", "male "} {
		if strings.HasPrefix(l, skip) {
			return "", false
		}
	}
	if strings.Contains(l, "captivity") || strings.HasPrefix(l, "known ") || strings.HasPrefix(l, "total ") {
		return "", false
	}
	for _, v := range [][2]string{{" killed", "killed"}, {" injured", "injured"}, {" kidnapped", "kidnapped"},
		{" arrested", "detained"}, {" detained", "detained"}} {
		if strings.HasSuffix(l, v[0]) {
			return v[1], true
		}
	}
	return "", false
}

func (p *sindParser) parse(row Row) (exportctl.Incident, problems) {
	var probs problems
	inc := exportctl.Incident{
		Admin1:        row.At(p.admin1),
		DatePrecision: exportctl.PrecisionDay,
		Narrative:     cleanText(row.At(p.description)),
		Verification:  exportctl.VerificationUnverified,
		Publishable:   true, // CC BY-SA 4.0
	}
	if id := row.At(p.id); id != "" {
		inc.Sources = []exportctl.SourceID{{Source: p.source, ID: id}}
	} else {
		probs.add("SiND Event ID is empty")
	}
	if d := row.At(p.date); d == "" {
		probs.add("Date is empty")
	} else if iso, ok := parseDate(d); ok {
		inc.StartDate = iso
	} else {
		probs.add("Date: %q is not a date (expected %s)", d, dateFormats)
	}
	iso3 := row.At(p.countryISO)
	if a2, ok := p.countries.alpha3(iso3); ok {
		inc.Country = a2
	} else if a2, why := p.countries.name(row.At(p.country)); a2 != "" {
		inc.Country = a2
	} else if iso3 != "" {
		probs.add("Country ISO: %q is not an ISO 3166-1 alpha-3 code and Country: %s", iso3, why)
	} else {
		probs.add("Country ISO is empty and Country: %s", why)
	}
	inc.Latitude, inc.Longitude = probs.coords("Latitude", row.At(p.lat), "Longitude", row.At(p.lon))
	if s := row.At(p.geo); s != "" {
		if n, ok := sindGeoPrecision(s); ok {
			inc.GeoPrecision = n
		} else {
			probs.add("Geo Precision: %q is not a SiND precision such as \"(2) 25 km Precision\"", s)
		}
	}
	if s := row.At(p.access); s != "" {
		if denied, ok := parseBool(s); !ok {
			probs.add("Access Denied or Obstructed: %q is not true or false", s)
		} else if denied {
			inc.AidAccess = "denied"
		}
	}

	healthHarmed, aidHarmed, schoolHarmed := 0, 0, 0
	for _, h := range p.harm {
		n, ok := parseCount(row.At(h.idx))
		if !ok {
			probs.add("%s: %q is not a count", h.name, row.At(h.idx))
			continue
		}
		switch h.verb {
		case "killed":
			inc.Harm.Killed += n
		case "injured":
			inc.Harm.Injured += n
		case "kidnapped":
			inc.Harm.Kidnapped += n
		case "detained":
			inc.Harm.Detained += n
		}
		if h.health {
			inc.Harm.HealthWorkers += n
			healthHarmed += n
		}
		if h.aid {
			inc.Harm.AidWorkers += n
			aidHarmed += n
		}
		if h.journalists {
			inc.Harm.Journalists += n
		}
		if h.children {
			inc.Harm.Children += n
		}
		if l := strings.ToLower(h.name); strings.HasPrefix(l, "educator") || strings.HasPrefix(l, "student") {
			schoolHarmed += n
		}
	}
	sum := func(cols []sindNumber) int {
		total := 0
		for _, c := range cols {
			n, ok := parseCount(row.At(c.idx))
			if !ok {
				probs.add("%s: %q is not a count", c.name, row.At(c.idx))
				continue
			}
			total += n
		}
		return total
	}
	destroyed, damaged := sum(p.destroyed), sum(p.damaged)
	switch {
	case destroyed > 0:
		inc.Damage = "destroyed"
	case damaged > 0:
		inc.Damage = "moderately_damaged"
	}
	ind := sindIndicators{
		location: row.At(p.location), transport: sum(p.transport), facility: sum(p.facility),
		schools: sum(p.schools) + schoolHarmed, camps: sum(p.camps), health: healthHarmed, aid: aidHarmed,
		campName: row.At(p.campName), infrastructure: row.At(p.infrastructure), sector: row.At(p.sector),
	}
	if len(probs) > 0 {
		return inc, probs
	}
	inc.Target = sindTarget(ind, inc.Narrative)
	if a, ok := sindPerpetrator(row.At(p.perp), row.At(p.perpName)); ok {
		inc.Actors = []exportctl.IncidentActor{a}
	}
	inc.Weapons = sindWeapons(row.At(p.weapon), row.At(p.explosiveType), row.At(p.launchType))
	inc.Original = original(p.keys, row.Fields())
	return inc, nil
}

// cleanText removes the "_x000D_" that spreadsheet conversions leave for a
// carriage return (214 SiND descriptions end with one) and trims.
func cleanText(s string) string {
	if strings.Contains(s, "_x000D_") {
		s = strings.TrimSpace(strings.ReplaceAll(s, "_x000D_", ""))
	}
	return s
}

// sindGeoPrecision reads "(2) 25 km Precision " as 2; without a number in
// brackets it recognises the level's words.
func sindGeoPrecision(s string) (int, bool) {
	if strings.HasPrefix(s, "(") {
		if end := strings.IndexByte(s, ')'); end > 1 {
			if n, err := strconv.Atoi(strings.TrimSpace(s[1:end])); err == nil && n >= 1 && n <= 9 {
				return n, true
			}
		}
		return 0, false
	}
	if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 9 {
		return n, true
	}
	l := strings.ToLower(s)
	for _, k := range []struct {
		word string
		n    int
	}{{"exact", 1}, {"25 km", 2}, {"district", 3}, {"province", 4}, {"linear", 5}, {"country", 6}, {"sea/air", 7}} {
		if strings.Contains(l, k.word) {
			return k.n, true
		}
	}
	return 0, false
}

// sindPerpetrators maps SiND's perpetrator categories (by wordKey) to
// ACLED actor types.
var sindPerpetrators = map[string]int{
	"armedforcesofgovernmentselfdeclaredgovernment": 1,
	"governmentselfdeclaredgovernment":              1,
	"foreignforcesmilitary":                         1,
	"police":                                        1,
	"nsa":                                           2,
	"nonstatearmedgroup":                            2,
	"protestors":                                    6,
	"protesters":                                    6,
	"civilian":                                      7,
	"civilians":                                     7,
	"patientorfamily":                               7,
}

// sindPerpetrator builds the perpetrator from SiND's category and name;
// false when neither says anything.
func sindPerpetrator(category, name string) (exportctl.IncidentActor, bool) {
	noInfo := func(s string) bool { k := wordKey(s); return k == "" || k == "noinformation" || k == "notapplicable" }
	if noInfo(name) {
		name = ""
	}
	if noInfo(category) {
		category = ""
	}
	if name == "" && category == "" {
		return exportctl.IncidentActor{}, false
	}
	t := sindPerpetrators[wordKey(category)]
	if t == 0 && strings.HasPrefix(wordKey(category), "foreignforces") {
		t = 1
	}
	if t == 2 && strings.Contains(strings.ToLower(name), "militia") {
		t = 3
	}
	if name == "" {
		name = category
	}
	return exportctl.IncidentActor{Role: "perpetrator", Type: t, Name: name, Basis: "source_report"}, true
}

// sindCompounds are SiND weapon names that contain a comma.
var sindCompounds = []string{"Tasers, Live and Rubber Bullets", "Stones, Sticks and Gravel"}

// splitSiNDList splits a SiND comma list, keeping names that contain a comma.
func splitSiNDList(s string) []string {
	if s == "" {
		return nil
	}
	parts := strings.Split(s, ",")
	out := make([]string, 0, len(parts))
	for i := 0; i < len(parts); i++ {
		item := strings.TrimSpace(parts[i])
		if i+1 < len(parts) {
			joined := item + ", " + strings.TrimSpace(parts[i+1])
			for _, c := range sindCompounds {
				if strings.EqualFold(joined, c) {
					item = c
					i++
					break
				}
			}
		}
		if item != "" {
			out = append(out, item)
		}
	}
	return out
}

// sindNoWeapon are SiND weapon values that name no weapon.
var sindNoWeapon = setOf("noinformationontheweaponused", "notapplicablenodirectviolence", "unarmedperpetrator",
	"noinformation", "notapplicable", "unknown", "none")

// sindGround are weapons fired from the ground. "Missile" alone is
// ambiguous (air- or ground-launched) and counted as ground, as SiND lists
// air-launched missiles as "Aerial Bomb: Missile".
var sindGround = setOf("shelling", "artillery", "rocket", "rockets", "mortar", "mortars", "missile", "missiles", "rpg",
	"tank", "tankfire", "grad", "mlrs", "multiplerocketlauncher")

// sindLaunch maps a SiND weapon or launch type to a launch type:
// "Aerial Bomb: Plane" and "Air-Launched: Plane" air_plane, Drone
// air_drone, Helicopter air_helicopter, other aerial ones (Missile, No
// Information on Platform Type) air_unknown; shelling, artillery, rockets,
// mortars, missiles, RPGs ground; "Ground-Launched" ground; sea-launched
// sea; anything else (firearms, IEDs, knives, arson) unknown.
func sindLaunch(s string) string {
	k := wordKey(s)
	aerial := strings.HasPrefix(k, "aerial") || strings.HasPrefix(k, "airlaunched") || strings.HasPrefix(k, "air")
	switch {
	case aerial && (strings.Contains(k, "plane") || strings.Contains(k, "aircraft") || strings.Contains(k, "jet")):
		return exportctl.LaunchAirPlane
	case aerial && (strings.Contains(k, "drone") || strings.Contains(k, "uav")):
		return exportctl.LaunchAirDrone
	case aerial && strings.Contains(k, "helicopter"):
		return exportctl.LaunchAirHelicopter
	case aerial && !strings.HasPrefix(k, "airstrip"):
		return exportctl.LaunchAirUnknown
	case strings.HasPrefix(k, "groundlaunched") || sindGround[k]:
		return exportctl.LaunchGround
	case strings.HasPrefix(k, "sealaunched") || strings.HasPrefix(k, "naval"):
		return exportctl.LaunchSea
	}
	return exportctl.LaunchUnknown
}

// sindWeapons lists the weapons of a row: Weapon Carried/Used, then the
// explosive-weapons dataset's Explosive Weapon Type whose launch comes
// from its name or else from Launch Type (paired by position when both
// lists have the same length, or the one launch type for all).
func sindWeapons(carried, explosive, launchType string) []exportctl.IncidentWeapon {
	var out []exportctl.IncidentWeapon
	for _, w := range splitSiNDList(carried) {
		if sindNoWeapon[wordKey(w)] {
			continue
		}
		out = append(out, exportctl.IncidentWeapon{Reported: w, Launch: sindLaunch(w), Basis: "source_report"})
	}
	types, launches := splitSiNDList(explosive), splitSiNDList(launchType)
	var kept []string
	for _, l := range launches {
		if !sindNoWeapon[wordKey(l)] {
			kept = append(kept, l)
		}
	}
	launches = kept
	if len(types) == 0 {
		for _, l := range launches {
			out = append(out, exportctl.IncidentWeapon{Reported: l, Launch: sindLaunch(l), Basis: "source_report"})
		}
		return out
	}
	for i, t := range types {
		if sindNoWeapon[wordKey(t)] && len(launches) == 0 {
			continue
		}
		launch := sindLaunch(t)
		if launch == exportctl.LaunchUnknown || launch == exportctl.LaunchAirUnknown {
			var from string
			switch {
			case len(launches) == len(types):
				from = launches[i]
			case len(launches) == 1:
				from = launches[0]
			}
			if l := sindLaunch(from); from != "" && l != exportctl.LaunchUnknown {
				launch = l
			}
		}
		reported := t
		if sindNoWeapon[wordKey(t)] {
			reported = launches[min(i, len(launches)-1)]
		}
		out = append(out, exportctl.IncidentWeapon{Reported: reported, Launch: launch, Basis: "source_report"})
	}
	return out
}

// sindIndicators are what a row says about what was hit.
type sindIndicators struct {
	location                            string
	transport, facility, schools, camps int
	health, aid                         int
	campName, infrastructure, sector    string
}

// sindLocations maps SiND location values (by wordKey) to target categories.
var sindLocations = map[string]string{
	"healthbuilding":    exportctl.TargetHospital,
	"healthfacility":    exportctl.TargetHospital,
	"hospital":          exportctl.TargetHospital,
	"school":            exportctl.TargetSchool,
	"educationfacility": exportctl.TargetSchool,
	"university":        exportctl.TargetSchool,
	"home":              exportctl.TargetHome,
	"idprefugeecamp":    exportctl.TargetShelter,
	"camp":              exportctl.TargetShelter,
	"warehouse":         exportctl.TargetAid,
	"placeofworship":    exportctl.TargetWorship,
	"religiousbuilding": exportctl.TargetWorship,
}

// sindSectors maps the explosive-weapons dataset's Sector Affected.
var sindSectors = map[string]string{
	"health": exportctl.TargetHospital, "healthcare": exportctl.TargetHospital,
	"education": exportctl.TargetSchool, "aid": exportctl.TargetAid, "aidagencies": exportctl.TargetAid,
	"foodsecurity": exportctl.TargetInfrastructure, "protection": exportctl.TargetShelter,
}

// sindTarget decides the target category of a SiND row, first match wins:
// the location (Health Building hospital, School school, Home home,
// IDP/Refugee Camp shelter, Warehouse aid); health transport destroyed,
// damaged or stolen: ambulance; health workers harmed: health_worker; aid
// workers harmed: aid; schools attacked or educators and students harmed:
// school; camps attacked or a camp named: shelter; a health facility
// entered, occupied, damaged or destroyed: hospital; food-security
// infrastructure named: infrastructure; the explosive-weapons Sector
// Affected; keywords in the description (as for ACLED); else unknown.
func sindTarget(ind sindIndicators, narrative string) string {
	if t, ok := sindLocations[wordKey(ind.location)]; ok {
		return t
	}
	switch {
	case ind.transport > 0:
		return exportctl.TargetAmbulance
	case ind.health > 0:
		return exportctl.TargetHealthWorker
	case ind.aid > 0:
		return exportctl.TargetAid
	case ind.schools > 0:
		return exportctl.TargetSchool
	case ind.camps > 0 || ind.campName != "":
		return exportctl.TargetShelter
	case ind.facility > 0:
		return exportctl.TargetHospital
	case ind.infrastructure != "":
		return exportctl.TargetInfrastructure
	}
	for _, s := range splitSiNDList(ind.sector) {
		if t, ok := sindSectors[wordKey(s)]; ok {
			return t
		}
	}
	if t := notesTarget(narrative); t != "" {
		return t
	}
	return exportctl.TargetUnknown
}
