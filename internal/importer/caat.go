package importer

import (
	"io"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

var caatRequired = [][]string{{"licence_group"}, {"date"}, {"rating"}, {"count"}, {"value"}, {"country"}, {"refused"}}

// CAATLicenceType is the licence type given to CAAT's historical decisions:
// values-2008-2015.csv does not say, and the published values are those of
// standard individual export licences (SIELs).
const CAATLicenceType = "SIEL"

// CAATValues reads CAAT's compilation of UK strategic export licensing
// decisions (licence_group,date,rating,count,value,country,refused; values
// in GBP, refused 0/1; CAAT's uk-arms-export-data values-2008-2015.csv).
//
// Mapping: Group is licence_group; Date (ISO or any accepted date); Rating
// normalised when it is a control-list rating (ML10, 5A002, PL5017) and
// kept as published otherwise ("End Use", "HR AIII", "IRN", "Art 4B":
// CAAT's entries for end-user and sanctions controls); Count; ValueGBP (an
// empty value, as refusals have, is 0); Destination from the country name
// (CAAT's spellings are mapped in country_names.go; names that are no
// single country, such as "Channel Islands" or a continental shelf sector,
// reject the row); Refused 0/1; LicenceType "SIEL" (CAATLicenceType).
func CAATValues(r io.Reader) (Batch[exportctl.HistoricalDecision], error) {
	return caatValues(r, nil)
}

// CAATValuesEach is CAATValues streaming each decision to fn (see ACLEDEach).
func CAATValuesEach(r io.Reader, fn func(d exportctl.HistoricalDecision, line int) error) (Batch[exportctl.HistoricalDecision], error) {
	return caatValues(r, fn)
}

func caatValues(r io.Reader, emit func(exportctl.HistoricalDecision, int) error) (Batch[exportctl.HistoricalDecision], error) {
	rd, err := NewReader(r, nil)
	if err != nil {
		return Batch[exportctl.HistoricalDecision]{}, err
	}
	if err := requireColumns(rd, "CAAT's licence values file", caatRequired); err != nil {
		return Batch[exportctl.HistoricalDecision]{}, err
	}
	p := &caatParser{group: rd.Column("licence_group"), date: rd.Column("date"), rating: rd.Column("rating"),
		count: rd.Column("count"), value: rd.Column("value"), country: rd.Column("country"), refused: rd.Column("refused"),
		ratings: map[string]string{}}
	return run(rd, p.parse, emit)
}

type caatParser struct {
	group, date, rating, count, value, country, refused int
	countries                                           countryNames
	ratings                                             map[string]string // as published -> as stored
}

func (p *caatParser) parse(row Row) (exportctl.HistoricalDecision, problems) {
	var probs problems
	d := exportctl.HistoricalDecision{Group: row.At(p.group), LicenceType: CAATLicenceType}
	if d.Group == "" {
		probs.add("licence_group is empty")
	}
	if s := row.At(p.date); s == "" {
		probs.add("date is empty")
	} else if iso, ok := parseDate(s); ok {
		d.Date = iso
	} else {
		probs.add("date: %q is not a date (expected %s)", s, dateFormats)
	}
	if s := row.At(p.rating); s == "" {
		probs.add("rating is empty")
	} else {
		d.Rating = p.normaliseRating(s)
	}
	if s := row.At(p.count); s == "" {
		probs.add("count is empty")
	} else {
		probs.count(&d.Count, "count", s)
	}
	if s := row.At(p.value); s != "" {
		v, err := strconv.ParseFloat(strings.ReplaceAll(strings.TrimPrefix(s, "£"), ",", ""), 64)
		if err != nil || v < 0 || v != v || v > 1e15 {
			probs.add("value: %q is not an amount in GBP", s)
		}
		d.ValueGBP = v
	}
	name := row.At(p.country)
	if a2, why := p.countries.name(name); a2 != "" {
		d.Destination = a2
	} else {
		probs.add("country: %s", why)
	}
	switch s := row.At(p.refused); s {
	case "0", "":
	case "1":
		d.Refused = true
	default:
		if b, ok := parseBool(s); ok {
			d.Refused = b
		} else {
			probs.add("refused: %q is not 0 or 1", s)
		}
	}
	return d, probs
}

// normaliseRating puts control-list ratings in canonical form and keeps
// CAAT's other entries as published.
func (p *caatParser) normaliseRating(s string) string {
	if r, ok := p.ratings[s]; ok {
		return r
	}
	r := s
	if n := exportctl.NormaliseRating(s); n != "" {
		if _, ok := exportctl.RatingKind(n); ok {
			r = n
		}
	}
	p.ratings[s] = r
	return r
}
