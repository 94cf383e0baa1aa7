package exportctl

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
)

// IncidentFilter selects incidents of the evidence register. Empty fields
// select everything; set ones combine with AND.
type IncidentFilter struct {
	Country string // ISO 3166-1 alpha-2
	Admin1  string // exact, case-insensitive
	From    string // YYYY-MM-DD: incidents starting on or after
	To      string // YYYY-MM-DD: incidents starting on or before
	// BBox is minLon, minLat, maxLon, maxLat. Redacted incidents never
	// match a box or a radius: their place is withheld.
	BBox *[4]float64
	// Near selects incidents within KM kilometres of a point.
	Near           *Near
	Actor          string // substring of a perpetrator's name or force
	Launch         string // a launch type (PrimaryLaunch), or "air" for any airborne
	Weapon         string // substring of a weapon as reported or identified
	Target         string // a target category
	Classification string // a Rome Statute code: exact, or a prefix such as "8(2)(b)"
	Verification   string // a verification state
	Text           string // full text over narrative, place and perpetrators
	Source         string // the source of the record: acled, sind-health, awsd, manual, ...
	SourceID       string // a record's id in its source (with Source, in that source only)
	Publishable    *bool
	Limit          int
	Cursor         string
}

// Near is a point and a radius.
type Near struct {
	Lat float64 `json:"lat"`
	Lon float64 `json:"lon"`
	KM  float64 `json:"km"`
}

// BBox returns a box containing the circle (longitudes unbounded near the
// poles or across the antimeridian).
func (n Near) BBox() [4]float64 {
	dLat := n.KM / 111.19
	minLat, maxLat := math.Max(-90, n.Lat-dLat), math.Min(90, n.Lat+dLat)
	minLon, maxLon := -180.0, 180.0
	if c := math.Cos(math.Max(math.Abs(minLat), math.Abs(maxLat)) * math.Pi / 180); c > 0.01 {
		dLon := n.KM / (111.19 * c)
		if n.Lon-dLon >= -180 && n.Lon+dLon <= 180 {
			minLon, maxLon = n.Lon-dLon, n.Lon+dLon
		}
	}
	return [4]float64{minLon, minLat, maxLon, maxLat}
}

// Validate checks and normalises a filter; errors name the field as the
// API's query parameter.
func (f *IncidentFilter) Validate() error {
	var errs Errors
	bad := func(field, format string, args ...any) { errs = append(errs, Invalid(field, format, args...)) }
	if f.Country = strings.TrimSpace(f.Country); f.Country != "" {
		if c, err := ParseCountry("country", f.Country); err != nil {
			errs = append(errs, err.(*Error))
		} else {
			f.Country = c
		}
	}
	for _, d := range []struct {
		name string
		v    *string
	}{{"from", &f.From}, {"to", &f.To}} {
		*d.v = strings.TrimSpace(*d.v)
		if *d.v != "" {
			if _, err := time.Parse(time.DateOnly, *d.v); err != nil {
				bad(d.name, "must be a date as YYYY-MM-DD")
			}
		}
	}
	if f.From != "" && f.To != "" && f.To < f.From {
		bad("to", "is before from")
	}
	if b := f.BBox; b != nil {
		if !validLon(b[0]) || !validLat(b[1]) || !validLon(b[2]) || !validLat(b[3]) || b[0] > b[2] || b[1] > b[3] {
			bad("bbox", "must be minLon,minLat,maxLon,maxLat with longitudes in -180..180, latitudes in -90..90, min before max")
		}
	}
	if n := f.Near; n != nil {
		if !validLat(n.Lat) || !validLon(n.Lon) || !(n.KM > 0 && n.KM <= 20000) {
			bad("near", "must be lat,lon,km with a latitude in -90..90, a longitude in -180..180 and 0 < km <= 20000")
		}
	}
	f.Launch = strings.TrimSpace(f.Launch)
	if f.Launch != "" && f.Launch != "air" && !slices.Contains(LaunchTypes, f.Launch) {
		bad("launch", "unknown launch type %q (air or one of %s)", f.Launch, strings.Join(LaunchTypes, ", "))
	}
	f.Target = strings.TrimSpace(f.Target)
	if f.Target != "" && !slices.Contains(TargetCategories, f.Target) {
		bad("target", "unknown target category %q (one of %s)", f.Target, strings.Join(TargetCategories, ", "))
	}
	f.Verification = strings.TrimSpace(f.Verification)
	if f.Verification != "" && !slices.Contains(VerificationStates, f.Verification) {
		bad("verification", "unknown verification state %q (one of %s)", f.Verification, strings.Join(VerificationStates, ", "))
	}
	f.Actor, f.Weapon, f.Text = strings.TrimSpace(f.Actor), strings.TrimSpace(f.Weapon), strings.TrimSpace(f.Text)
	f.Classification, f.Source, f.Admin1 = strings.TrimSpace(f.Classification), strings.TrimSpace(f.Source), strings.TrimSpace(f.Admin1)
	f.SourceID = strings.TrimSpace(f.SourceID)
	for _, s := range []struct{ name, v string }{{"actor", f.Actor}, {"weapon", f.Weapon}, {"q", f.Text}, {"classification", f.Classification}, {"source", f.Source}, {"source_id", f.SourceID}, {"admin1", f.Admin1}} {
		if len(s.v) > 200 {
			bad(s.name, "is longer than 200 characters")
		}
	}
	if f.Limit < 0 {
		bad("limit", "must be a whole number")
	}
	return errs.Err()
}

func validLat(v float64) bool { return !math.IsNaN(v) && v >= -90 && v <= 90 }
func validLon(v float64) bool { return !math.IsNaN(v) && v >= -180 && v <= 180 }

// ParseBBox reads "minLon,minLat,maxLon,maxLat"; empty is nil.
func ParseBBox(field, s string) (*[4]float64, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, ok := parseFloats(s, 4)
	if !ok {
		return nil, Invalid(field, "must be four numbers minLon,minLat,maxLon,maxLat")
	}
	b := [4]float64{v[0], v[1], v[2], v[3]}
	return &b, nil
}

// ParseNear reads "lat,lon,km"; empty is nil.
func ParseNear(field, s string) (*Near, error) {
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	v, ok := parseFloats(s, 3)
	if !ok {
		return nil, Invalid(field, "must be three numbers lat,lon,km")
	}
	return &Near{Lat: v[0], Lon: v[1], KM: v[2]}, nil
}

func parseFloats(s string, n int) ([]float64, bool) {
	parts := strings.Split(s, ",")
	if len(parts) != n {
		return nil, false
	}
	out := make([]float64, n)
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return nil, false
		}
		out[i] = f
	}
	return out, true
}

// IncidentCount is one group of an aggregate over incidents.
type IncidentCount struct {
	Key   string `json:"key"`
	Count int    `json:"count"`
}

// IncidentGroupings lists what IncidentCounts may group by. The two
// pairs count per month and target or launch type in one query (keys
// "2024-03/hospital"): a timeline's stacked bars.
var IncidentGroupings = []string{"country", "target", "launch", "verification", "source", "year", "month", "month/target", "month/launch"}
