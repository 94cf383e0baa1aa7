package exportctl

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

//go:embed reference/rome-statute-art8.csv
var romeStatuteCSV []byte

// LegalProvision is a paragraph of Article 8 of the Rome Statute that an
// incident may be classified under (reference/rome-statute-art8.csv).
type LegalProvision struct {
	Code             string `json:"code"`     // "8(2)(b)(ix)"
	Conflict         string `json:"conflict"` // IAC or NIAC
	Conduct          string `json:"conduct"`
	TypicalIncidents string `json:"typical_incidents,omitempty"`
}

var legalProvisions = func() []LegalProvision {
	rows, err := csv.NewReader(bytes.NewReader(romeStatuteCSV)).ReadAll()
	if err != nil {
		panic("reference/rome-statute-art8.csv: " + err.Error())
	}
	out := make([]LegalProvision, 0, len(rows)-1)
	for _, r := range rows[1:] {
		out = append(out, LegalProvision{Code: r[0], Conflict: r[1], Conduct: r[2], TypicalIncidents: r[3]})
	}
	return out
}()

// LegalProvisions lists the provisions incidents may be classified under.
func LegalProvisions() []LegalProvision { return slices.Clone(legalProvisions) }

// LegalProvisionByCode finds a provision by its code.
func LegalProvisionByCode(code string) (LegalProvision, bool) {
	i := slices.IndexFunc(legalProvisions, func(p LegalProvision) bool { return p.Code == code })
	if i < 0 {
		return LegalProvision{}, false
	}
	return legalProvisions[i], true
}

// Actor roles in an incident.
const (
	ActorPerpetrator = "perpetrator"
	ActorTarget      = "target"
	ActorOther       = "other"
)

// ActorRoles lists the roles an actor may have in an incident.
var ActorRoles = []string{ActorPerpetrator, ActorTarget, ActorOther}

// LaunchTypes lists the normalised launch types.
var LaunchTypes = []string{LaunchAirPlane, LaunchAirDrone, LaunchAirHelicopter, LaunchAirUnknown, LaunchGround, LaunchSea, LaunchUnknown}

// WeaponBases lists how a weapon may have been identified.
var WeaponBases = []string{"remnant", "imagery", "official_claim", "source_report", "inferred"}

// SourceManual is the source of incidents recorded by hand; their ids are
// MAN-<n>.
const SourceManual = "manual"

// maxNarrative bounds an incident's narrative.
const maxNarrative = 100_000

// Validate checks and normalises an incident recorded by hand (and is
// what every stored incident satisfies): an ISO country; dates as
// YYYY-MM-DD with the end not before the start; precision 1-3 (default
// 1); latitude and longitude both set within range or both absent; target,
// verification, damage and aid access from their lists (target defaults
// to unknown, verification to unverified); classifications from
// reference/rome-statute-art8.csv with a status; actors with a role, an
// ACLED type 0-8, a name and a confidence in 0..1; weapons with a known
// launch type and identification basis.
func (i *Incident) Validate() error {
	var errs Errors
	bad := func(field, format string, args ...any) { errs = append(errs, Invalid(field, format, args...)) }
	if c, err := ParseCountry("country", i.Country); err != nil {
		errs = append(errs, err.(*Error))
	} else {
		i.Country = c
	}
	i.StartDate, i.EndDate = strings.TrimSpace(i.StartDate), strings.TrimSpace(i.EndDate)
	start, err := time.Parse(time.DateOnly, i.StartDate)
	if err != nil {
		bad("start_date", "must be a date as YYYY-MM-DD")
	}
	if i.EndDate != "" {
		if end, err := time.Parse(time.DateOnly, i.EndDate); err != nil {
			bad("end_date", "must be a date as YYYY-MM-DD")
		} else if !start.IsZero() && end.Before(start) {
			bad("end_date", "is before the start date")
		}
	}
	if i.DatePrecision == 0 {
		i.DatePrecision = PrecisionDay
	}
	if i.DatePrecision < PrecisionDay || i.DatePrecision > PrecisionMonth {
		bad("date_precision", "must be 1 (day), 2 (week) or 3 (month or wider)")
	}
	for _, f := range []struct {
		name string
		v    *string
	}{{"admin1", &i.Admin1}, {"admin2", &i.Admin2}, {"admin3", &i.Admin3}, {"place", &i.Place}, {"event_type", &i.EventType}, {"sub_event_type", &i.SubEventType}} {
		*f.v = strings.TrimSpace(*f.v)
		if len(*f.v) > 200 {
			bad(f.name, "is longer than 200 characters")
		}
	}
	switch {
	case (i.Latitude == nil) != (i.Longitude == nil):
		if i.Latitude == nil {
			bad("latitude", "give both latitude and longitude, or neither")
		} else {
			bad("longitude", "give both latitude and longitude, or neither")
		}
	case i.Latitude != nil:
		if la := *i.Latitude; math.IsNaN(la) || la < -90 || la > 90 {
			bad("latitude", "must be between -90 and 90")
		}
		if lo := *i.Longitude; math.IsNaN(lo) || lo < -180 || lo > 180 {
			bad("longitude", "must be between -180 and 180")
		}
	}
	if i.GeoPrecision < 0 || i.GeoPrecision > 9 {
		bad("geo_precision", "must be between 0 (unknown) and 9")
	}
	if i.Target == "" {
		i.Target = TargetUnknown
	}
	if !slices.Contains(TargetCategories, i.Target) {
		bad("target_category", "unknown target category %q (one of %s)", i.Target, strings.Join(TargetCategories, ", "))
	}
	if i.Damage != "" && !slices.Contains(DamageLevels, i.Damage) {
		bad("damage", "unknown damage level %q (one of %s)", i.Damage, strings.Join(DamageLevels, ", "))
	}
	if i.AidAccess != "" && !slices.Contains(AidAccessOutcomes, i.AidAccess) {
		bad("aid_access", "unknown aid-access outcome %q (one of %s)", i.AidAccess, strings.Join(AidAccessOutcomes, ", "))
	}
	if i.Verification == "" {
		i.Verification = VerificationUnverified
	}
	if !slices.Contains(VerificationStates, i.Verification) {
		bad("verification", "unknown verification state %q (one of %s)", i.Verification, strings.Join(VerificationStates, ", "))
	}
	h := i.Harm
	for _, c := range []struct {
		name string
		n    int
	}{{"killed", h.Killed}, {"injured", h.Injured}, {"kidnapped", h.Kidnapped}, {"detained", h.Detained},
		{"health_workers_affected", h.HealthWorkers}, {"aid_workers_affected", h.AidWorkers},
		{"children_affected", h.Children}, {"journalists_affected", h.Journalists}} {
		if c.n < 0 || c.n > 1_000_000_000 {
			bad("harm."+c.name, "must be a count from 0")
		}
	}
	for k := range i.Actors {
		a := &i.Actors[k]
		p := fmt.Sprintf("actors[%d]", k)
		a.Name, a.Force, a.Basis = strings.TrimSpace(a.Name), strings.TrimSpace(a.Force), strings.TrimSpace(a.Basis)
		if !slices.Contains(ActorRoles, a.Role) {
			bad(p+".role", "must be perpetrator, target or other")
		}
		if a.Type < 0 || a.Type > 8 {
			bad(p+".type", "must be an ACLED actor type 1-8, or 0 when unknown")
		}
		if a.Name == "" && a.Force == "" {
			bad(p+".name", "name the actor as reported")
		}
		if len(a.Name) > 500 || len(a.Force) > 500 || len(a.Basis) > 500 {
			bad(p+".name", "name, force and basis must each be at most 500 characters")
		}
		if a.Country != "" {
			if c, err := ParseCountry(p+".country", a.Country); err != nil {
				errs = append(errs, err.(*Error))
			} else {
				a.Country = c
			}
		}
		if math.IsNaN(a.Confidence) || a.Confidence < 0 || a.Confidence > 1 {
			bad(p+".confidence", "must be between 0 and 1")
		}
	}
	for k := range i.Weapons {
		w := &i.Weapons[k]
		p := fmt.Sprintf("weapons[%d]", k)
		w.Reported, w.Item, w.Markings = strings.TrimSpace(w.Reported), strings.TrimSpace(w.Item), strings.TrimSpace(w.Markings)
		if w.Reported == "" && w.Item == "" {
			bad(p+".reported", "give the weapon as reported, or the identified item")
		}
		if w.Launch == "" {
			w.Launch = LaunchUnknown
		}
		if !slices.Contains(LaunchTypes, w.Launch) {
			bad(p+".launch", "unknown launch type %q (one of %s)", w.Launch, strings.Join(LaunchTypes, ", "))
		}
		if w.Basis != "" && !slices.Contains(WeaponBases, w.Basis) {
			bad(p+".basis", "unknown identification basis %q (one of %s)", w.Basis, strings.Join(WeaponBases, ", "))
		}
		if len(w.Reported) > 500 || len(w.Item) > 500 || len(w.Markings) > 2000 {
			bad(p+".reported", "too long")
		}
	}
	for k := range i.Classifications {
		c := &i.Classifications[k]
		p := fmt.Sprintf("classifications[%d]", k)
		errs = append(errs, c.validate(p)...)
	}
	if len(i.Narrative) > maxNarrative {
		bad("narrative", "is longer than %d characters", maxNarrative)
	}
	return errs.Err()
}

func (c *Classification) validate(prefix string) []*Error {
	var errs []*Error
	c.Code, c.Status, c.By = strings.TrimSpace(c.Code), strings.TrimSpace(c.Status), strings.TrimSpace(c.By)
	if _, ok := LegalProvisionByCode(c.Code); !ok {
		errs = append(errs, Invalid(prefixed(prefix, "code"), "%q is not a paragraph of Rome Statute article 8 (reference/rome-statute-art8.csv)", c.Code))
	}
	if !slices.Contains(ClassificationStatuses, c.Status) {
		errs = append(errs, Invalid(prefixed(prefix, "status"), "must be alleged, assessed or adjudicated"))
	}
	return errs
}

// PrimaryLaunch is the launch type an incident is filtered by: the first
// weapon's launch that says something (not unknown), else unknown when
// there are weapons, else empty.
func (i *Incident) PrimaryLaunch() string {
	for _, w := range i.Weapons {
		if w.Launch != "" && w.Launch != LaunchUnknown {
			return w.Launch
		}
	}
	if len(i.Weapons) > 0 {
		return LaunchUnknown
	}
	return ""
}

// Perpetrators lists the names of the perpetrator actors and their forces.
func (i *Incident) Perpetrators() (names, forces []string) {
	for _, a := range i.Actors {
		if a.Role != ActorPerpetrator {
			continue
		}
		if a.Name != "" {
			names = append(names, a.Name)
		}
		if a.Force != "" {
			forces = append(forces, a.Force)
		}
	}
	return names, forces
}

// Redact applies the publisher's redaction: a redacted incident is never
// shown more precisely than its first administrative level. Coordinates,
// place and admin levels 2-3 are removed, the geo precision becomes
// unknown, and Original loses every column that locates the place
// (coordinates, precision, city, town, village, location name, district,
// address). The stored record keeps them: every read path redacts.
func (i *Incident) Redact() {
	if !i.Redacted {
		return
	}
	i.Latitude, i.Longitude = nil, nil
	i.Place, i.Admin2, i.Admin3 = "", "", ""
	i.GeoPrecision = 0
	if len(i.Original) == 0 {
		return
	}
	out := make(map[string]string, len(i.Original))
	for k, v := range i.Original {
		if !locatingColumn(k) {
			out[k] = v
		}
	}
	i.Original = out
}

// locatingColumn says whether a source column could locate a place more
// precisely than admin1.
func locatingColumn(name string) bool {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	k := b.String()
	switch k {
	case "lat", "lon", "lng", "long", "x", "y", "geo", "city", "town", "village", "place", "placename", "location",
		"locationname", "admin2", "admin3", "adm2", "adm3", "district", "subdistrict", "neighbourhood", "neighborhood",
		"address", "street", "coordinates", "coords", "point", "geometry", "mgrs", "plus", "pluscode", "what3words":
		return true
	}
	for _, part := range []string{"latitude", "longitude", "geoprecision", "coordinat", "gps"} {
		if strings.Contains(k, part) {
			return true
		}
	}
	return false
}

// DistanceKM is the great-circle distance between two points (haversine,
// mean Earth radius 6371.0088 km).
func DistanceKM(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0088
	rad := math.Pi / 180
	dLat, dLon := (lat2-lat1)*rad, (lon2-lon1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}
