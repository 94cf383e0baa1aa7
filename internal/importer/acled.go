package importer

import (
	"io"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

// ACLED's columns that a file must have; the rest are read when present.
var acledRequired = [][]string{
	{"event_id_cnty"}, {"event_date"}, {"event_type"}, {"sub_event_type"}, {"actor1"},
	{"country"}, {"latitude"}, {"longitude"}, {"fatalities"},
}

// ACLED reads an ACLED export (the 31 columns of ACLED's API and website
// exports, in any order) into incidents.
//
// Dates may be ISO (2022-06-30), "30 June 2022", "30-06-2022" or
// "30/06/2022"; inter1/inter2 may be codes (1-8) or ACLED's labels ("State
// Forces", "Rebel group", ...). The country comes from the numeric iso
// column, or from the country name when iso is missing or unknown (ACLED
// gives Kosovo 0).
//
// Mapping: sources [{acled, event_id_cnty}]; time_precision is the date
// precision (default 1); admin1-3, location, latitude, longitude ("NA" or
// empty: none), geo_precision; event and sub-event type as given. actor1 is
// the perpetrator in "Violence against civilians" and "Explosions/Remote
// violence" events and "other" elsewhere; actor2 is the target when it is
// civilians (inter2 7, or protesters met with excessive force) and "other"
// elsewhere; associated actors (split on ";") are "other" with type 0.
// fatalities is Harm.Killed. "Air/drone strike" gives a weapon with launch
// air_unknown, "Shelling/artillery/missile attack" one with launch ground.
// The target category is inferred from the notes (see acledTarget).
// Verification is unverified.
//
// Publishable is always false: ACLED's terms of use forbid republishing
// its rows, so ACLED incidents may inform analysis but not be shown
// verbatim on public outputs. Original keeps every column as read.
func ACLED(r io.Reader) (Batch[exportctl.Incident], error) {
	return acled(r, nil)
}

// ACLEDEach is ACLED for large files: each incident goes to fn with its
// line as soon as it is read instead of into the batch (whose Items stay
// empty). An error from fn stops the import and is returned.
func ACLEDEach(r io.Reader, fn func(inc exportctl.Incident, line int) error) (Batch[exportctl.Incident], error) {
	return acled(r, fn)
}

func acled(r io.Reader, emit func(exportctl.Incident, int) error) (Batch[exportctl.Incident], error) {
	rd, err := NewReader(r, nil)
	if err != nil {
		return Batch[exportctl.Incident]{}, err
	}
	if err := requireColumns(rd, "an ACLED export", acledRequired); err != nil {
		return Batch[exportctl.Incident]{}, err
	}
	p := newACLEDParser(rd)
	return run(rd, p.parse, emit)
}

type acledParser struct {
	keys                                           []string
	id, date, precision, eventType, subEventType   int
	actor1, assoc1, inter1, actor2, assoc2, inter2 int
	civilianTargeting, iso, country                int
	admin1, admin2, admin3, location, lat, lon     int
	geoPrecision, notes, fatalities                int
	countries                                      countryNames
}

func newACLEDParser(rd *Reader) *acledParser {
	return &acledParser{
		keys: originalKeys(rd.Header()),
		id:   rd.Column("event_id_cnty"), date: rd.Column("event_date"), precision: rd.Column("time_precision"),
		eventType: rd.Column("event_type"), subEventType: rd.Column("sub_event_type"),
		actor1: rd.Column("actor1"), assoc1: rd.Column("assoc_actor_1"), inter1: rd.Column("inter1"),
		actor2: rd.Column("actor2"), assoc2: rd.Column("assoc_actor_2"), inter2: rd.Column("inter2"),
		civilianTargeting: rd.Column("civilian_targeting"), iso: rd.Column("iso"), country: rd.Column("country"),
		admin1: rd.Column("admin1"), admin2: rd.Column("admin2"), admin3: rd.Column("admin3"),
		location: rd.Column("location"), lat: rd.Column("latitude"), lon: rd.Column("longitude"),
		geoPrecision: rd.Column("geo_precision"), notes: rd.Column("notes"), fatalities: rd.Column("fatalities"),
	}
}

func (p *acledParser) parse(row Row) (exportctl.Incident, problems) {
	var probs problems
	inc := exportctl.Incident{
		Admin1:       row.At(p.admin1),
		Admin2:       row.At(p.admin2),
		Admin3:       row.At(p.admin3),
		Place:        row.At(p.location),
		EventType:    row.At(p.eventType),
		SubEventType: row.At(p.subEventType),
		Narrative:    row.At(p.notes),
		Verification: exportctl.VerificationUnverified,
		Publishable:  false, // ACLED terms: do not republish rows
	}
	if id := row.At(p.id); id != "" {
		inc.Sources = []exportctl.SourceID{{Source: "acled", ID: id}}
	} else {
		probs.add("event_id_cnty is empty")
	}
	if d := row.At(p.date); d == "" {
		probs.add("event_date is empty")
	} else if iso, ok := parseDate(d); ok {
		inc.StartDate = iso
	} else {
		probs.add("event_date: %q is not a date (expected %s)", d, dateFormats)
	}
	inc.DatePrecision = exportctl.PrecisionDay
	if s := row.At(p.precision); s != "" {
		switch s {
		case "1", "2", "3":
			inc.DatePrecision = int(s[0] - '0')
		default:
			probs.add("time_precision: %q is not 1, 2 or 3", s)
		}
	}
	inc.Country = p.countryOf(row, &probs)
	inc.Latitude, inc.Longitude = probs.coords("latitude", row.At(p.lat), "longitude", row.At(p.lon))
	if s := row.At(p.geoPrecision); s != "" {
		if n, err := strconv.Atoi(s); err == nil && n >= 1 && n <= 3 {
			inc.GeoPrecision = n
		} else {
			probs.add("geo_precision: %q is not 1, 2 or 3", s)
		}
	}
	probs.count(&inc.Harm.Killed, "fatalities", row.At(p.fatalities))

	inter1, ok := acledInter(row.At(p.inter1))
	if !ok {
		probs.add("inter1: %q is not an ACLED actor type (1-8 or its label)", row.At(p.inter1))
	}
	inter2, ok := acledInter(row.At(p.inter2))
	if !ok {
		probs.add("inter2: %q is not an ACLED actor type (1-8 or its label)", row.At(p.inter2))
	}
	if len(probs) > 0 {
		return inc, probs
	}

	civilians := row.At(p.civilianTargeting) != "" || strings.EqualFold(inc.EventType, "Violence against civilians") || inter2 == 7
	inc.Target = acledTarget(inc.EventType, inc.SubEventType, inc.Narrative, civilians)
	inc.Actors = p.actors(row, inc.EventType, inc.SubEventType, inter1, inter2)
	switch strings.ToLower(inc.SubEventType) {
	case "air/drone strike":
		inc.Weapons = []exportctl.IncidentWeapon{{Reported: inc.SubEventType, Launch: exportctl.LaunchAirUnknown, Basis: "source_report"}}
	case "shelling/artillery/missile attack":
		inc.Weapons = []exportctl.IncidentWeapon{{Reported: inc.SubEventType, Launch: exportctl.LaunchGround, Basis: "source_report"}}
	}
	inc.Original = original(p.keys, row.Fields())
	return inc, nil
}

// countryOf maps the numeric iso column, falling back to the country name.
func (p *acledParser) countryOf(row Row, probs *problems) string {
	if s := row.At(p.iso); s != "" {
		if n, err := strconv.Atoi(s); err == nil {
			if a2, ok := isoNumeric[n]; ok {
				return a2
			}
		}
	}
	name := row.At(p.country)
	a2, why := p.countries.name(name)
	if a2 == "" {
		if s := row.At(p.iso); s != "" {
			probs.add("country: %s and iso %q is not an ISO 3166-1 numeric code", why, s)
		} else {
			probs.add("country: %s", why)
		}
	}
	return a2
}

func (p *acledParser) actors(row Row, eventType, subEventType string, inter1, inter2 int) []exportctl.IncidentActor {
	a1, a2 := row.At(p.actor1), row.At(p.actor2)
	as1, as2 := row.At(p.assoc1), row.At(p.assoc2)
	actors := make([]exportctl.IncidentActor, 0, 4+strings.Count(as1, ";")+strings.Count(as2, ";"))
	role1 := "other"
	if strings.EqualFold(eventType, "Violence against civilians") || strings.EqualFold(eventType, "Explosions/Remote violence") {
		role1 = "perpetrator"
	}
	role2 := "other"
	if inter2 == 7 || (inter2 == 6 && strings.HasPrefix(strings.ToLower(subEventType), "excessive force")) {
		role2 = "target"
	}
	if a1 != "" {
		actors = append(actors, exportctl.IncidentActor{Role: role1, Type: inter1, Name: a1, Basis: "source_report"})
	}
	actors = appendAssoc(actors, as1)
	if a2 != "" {
		actors = append(actors, exportctl.IncidentActor{Role: role2, Type: inter2, Name: a2, Basis: "source_report"})
	}
	actors = appendAssoc(actors, as2)
	return actors
}

// appendAssoc adds ACLED's associated actors ("A; B; C") with role other.
func appendAssoc(actors []exportctl.IncidentActor, s string) []exportctl.IncidentActor {
	for s != "" {
		name, rest, _ := strings.Cut(s, ";")
		if name = strings.TrimSpace(name); name != "" {
			actors = append(actors, exportctl.IncidentActor{Role: "other", Name: name, Basis: "source_report"})
		}
		s = rest
	}
	return actors
}

// acledInterLabels are ACLED's actor-type labels, old and new (codebook,
// acled_interaction_codes.csv and 2023+ exports), by wordKey.
var acledInterLabels = map[string]int{
	"stateforces": 1, "stateforce": 1, "military": 1,
	"rebelgroups": 2, "rebelgroup": 2, "rebelforces": 2, "rebels": 2,
	"politicalmilitias": 3, "politicalmilitia": 3, "militiagroups": 3, "militias": 3, "militia": 3,
	"identitymilitias": 4, "identitymilitia": 4, "communalidentitygroups": 4, "communalmilitias": 4, "communalmilitia": 4,
	"rioters":    5,
	"protesters": 6, "protestors": 6,
	"civilians":           7,
	"externalotherforces": 8, "foreignothers": 8, "otherforces": 8, "externalforces": 8, "other": 8,
}

// acledInter reads an actor type: empty is 0, a code 0-8, or a label.
func acledInter(s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	if len(s) == 1 && s[0] >= '0' && s[0] <= '8' {
		return int(s[0] - '0'), true
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 0 && n <= 8
	}
	n, ok := acledInterLabels[wordKey(s)]
	return n, ok
}

// acledTarget infers the target category of an ACLED event.
//
// Keywords in the notes decide first (hospital, clinic -> hospital;
// ambulance -> ambulance; school, university -> school; aid convoy, UN
// warehouse, humanitarian workers -> aid; mosque, church -> place of
// worship; home, house, residential -> home; camp, shelter -> shelter;
// water/power station, electricity, bakery -> infrastructure; journalist ->
// journalist; see targetWords), but only for events in which something is
// attacked or damaged: battles, explosions/remote violence, violence
// against civilians, riots and looting/property destruction. Peaceful
// protests and other strategic developments have no target (a protest by
// health workers at a hospital is not an attack on it). Without a keyword
// the target is other_civilian when civilians were targeted (the
// civilian_targeting column, a "Violence against civilians" event, civilian
// actor2 or protesters met with excessive force), military for battles,
// and unknown otherwise.
func acledTarget(eventType, subEventType, notes string, civilians bool) string {
	et, st := strings.ToLower(eventType), strings.ToLower(subEventType)
	switch {
	case et == "protests":
		if strings.HasPrefix(st, "excessive force") {
			return exportctl.TargetCivilianOther
		}
		return exportctl.TargetUnknown
	case et == "strategic developments" && st != "looting/property destruction":
		return exportctl.TargetUnknown
	}
	if t := notesTarget(notes); t != "" {
		return t
	}
	switch {
	case civilians:
		return exportctl.TargetCivilianOther
	case et == "battles":
		return exportctl.TargetMilitary
	}
	return exportctl.TargetUnknown
}
