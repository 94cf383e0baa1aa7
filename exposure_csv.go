package exportctl

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ExposureCSVHeader names the columns of WriteExposureCSV.
var ExposureCSVHeader = []string{"licence_reference", "licence_status", "rating", "good", "end_user", "incident_id", "incident_date",
	"country", "admin1", "place", "latitude", "longitude", "target_category", "actor", "launch", "item", "strength", "path", "dates", "rule_set_version"}

// WriteExposureCSV writes the listed links, one a row, the path as
// "kind: label (why) > ...". A cell that a spreadsheet would take for a
// formula starts with an apostrophe.
func WriteExposureCSV(w io.Writer, res *ExposureResult) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(ExposureCSVHeader); err != nil {
		return err
	}
	coord := func(f *float64) string {
		if f == nil {
			return ""
		}
		return strconv.FormatFloat(*f, 'f', -1, 64)
	}
	for _, l := range res.Links {
		var path []string
		for _, s := range l.Path {
			path = append(path, fmt.Sprintf("%s: %s (%s)", s.Kind, s.Label, s.Why))
		}
		row := []string{l.LicenceReference, l.LicenceStatus, l.Rating, l.Good, l.EndUser, strconv.FormatInt(l.IncidentID, 10), l.IncidentDate,
			l.Country, l.Admin1, l.Place, coord(l.Latitude), coord(l.Longitude), l.Target, l.Actor, l.Launch, l.Item, l.Strength,
			strings.Join(path, " > "), l.Dates, strconv.Itoa(res.RuleSetVersion)}
		for i, c := range row {
			if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) && i != 10 && i != 11 {
				row[i] = "'" + c
			}
		}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
