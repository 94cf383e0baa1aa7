// Package importer reads public datasets into exportctl: one file per
// source on a shared CSV reader that maps headers by name and reports
// every row it cannot read with its line number.
package importer

import (
	"fmt"
	"io"
	"strings"

	"github.com/exportctl/exportctl"
)

// RowError is a row that could not be imported.
type RowError struct {
	Line   int
	Reason string
}

func (e RowError) String() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// Ratings reads a control-list ratings dictionary in CAAT's layout
// (rating,military,short_description,full_description).
func Ratings(r io.Reader, source string) ([]exportctl.Rating, []RowError, error) {
	rd, err := NewReader(r, []string{"rating", "military", "short_description"})
	if err != nil {
		return nil, nil, err
	}
	var out []exportctl.Rating
	var rejects []RowError
	seen := map[string]int{}
	for rd.Next() {
		row := rd.Row()
		code := strings.TrimSpace(row.Get("rating"))
		if code == "" {
			rejects = append(rejects, RowError{rd.Line(), "rating is empty"})
			continue
		}
		if kind, ok := exportctl.RatingKind(exportctl.NormaliseRating(code)); ok && kind != exportctl.RatingNLR {
			code = exportctl.NormaliseRating(code)
		}
		var military bool
		switch strings.TrimSpace(row.Get("military")) {
		case "1", "true", "TRUE", "yes":
			military = true
		case "0", "false", "FALSE", "no", "":
		default:
			rejects = append(rejects, RowError{rd.Line(), fmt.Sprintf("military must be 0 or 1, not %q", row.Get("military"))})
			continue
		}
		if prev, dup := seen[code]; dup {
			rejects = append(rejects, RowError{rd.Line(), fmt.Sprintf("rating %s repeats line %d", code, prev)})
			continue
		}
		seen[code] = rd.Line()
		out = append(out, exportctl.Rating{Code: code, Military: military, Title: strings.TrimSpace(row.Get("short_description")),
			Description: strings.TrimSpace(row.Get("full_description")), Source: source})
	}
	return out, append(rd.Rejects(), rejects...), rd.Err()
}
