package importer

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

// denialColumns are the columns a denials file must have; each lists the
// header spellings accepted, the first being the name reported.
var denialColumns = [][]string{
	{"reference"},
	{"name"},
	{"country"},
	{"item description", "item_description"},
	{"end use", "end_use"},
	{"reason"},
}

// Optional columns of a denials file.
var (
	denialAddress = []string{"address"}
	denialRatings = []string{"ratings", "rating"}
	denialDate    = []string{"date", "denied_at", "denied at", "date of denial"}
)

// Denials reads a denials register (reference, name, address, country,
// item description, end use, reason; optionally ratings and a date as
// YYYY-MM-DD or DD/MM/YYYY). Each row that fails validation is rejected
// with its line number and every reason; a reference seen earlier in the
// file is rejected naming that line. The country may be an alpha-2 code
// or an English name; ratings may be separated by commas, semicolons or
// spaces.
func Denials(r io.Reader) ([]exportctl.DenialInput, []RowError, error) {
	rd, err := NewReader(r, nil)
	if err != nil {
		return nil, nil, err
	}
	var missing, expected []string
	for _, names := range denialColumns {
		expected = append(expected, names[0])
		if column(rd, names) == "" {
			missing = append(missing, names[0])
		}
	}
	if len(missing) > 0 {
		return nil, nil, fmt.Errorf("this is not the expected file: missing columns %s (expected at least: %s)",
			strings.Join(missing, ", "), strings.Join(expected, ", "))
	}
	col := func(names []string) string { return column(rd, names) }
	cRef, cName, cCountry, cItem, cUse, cReason := col(denialColumns[0]), col(denialColumns[1]), col(denialColumns[2]),
		col(denialColumns[3]), col(denialColumns[4]), col(denialColumns[5])
	cAddress, cRatings, cDate := col(denialAddress), col(denialRatings), col(denialDate)
	get := func(row Row, c string) string {
		if c == "" {
			return ""
		}
		return row.Get(c)
	}
	var out []exportctl.DenialInput
	var rejects []RowError
	seen := map[string]int{}
	for rd.Next() {
		row := rd.Row()
		if blank(row) {
			continue
		}
		in := exportctl.DenialInput{
			Reference:       get(row, cRef),
			Name:            get(row, cName),
			Address:         get(row, cAddress),
			Country:         get(row, cCountry),
			ItemDescription: get(row, cItem),
			EndUse:          get(row, cUse),
			Reason:          get(row, cReason),
		}
		if rs := get(row, cRatings); rs != "" {
			in.Ratings = strings.FieldsFunc(rs, func(r rune) bool { return r == ',' || r == ';' || r == ' ' || r == '/' })
		}
		var reasons []string
		if d := get(row, cDate); d != "" {
			if iso, ok := parseDenialDate(d); ok {
				in.DeniedAt = iso
			} else {
				reasons = append(reasons, fmt.Sprintf("date %q is neither YYYY-MM-DD nor DD/MM/YYYY", d))
			}
		}
		if err := in.Validate(); err != nil {
			var ve *exportctl.ValidationError
			if errors.As(err, &ve) {
				for _, e := range ve.Errors {
					reasons = append(reasons, e.Error())
				}
			}
		}
		if len(reasons) > 0 {
			rejects = append(rejects, RowError{rd.Line(), strings.Join(reasons, "; ")})
			continue
		}
		if prev, dup := seen[in.Reference]; dup {
			rejects = append(rejects, RowError{rd.Line(), fmt.Sprintf("reference %s repeats line %d", in.Reference, prev)})
			continue
		}
		seen[in.Reference] = rd.Line()
		out = append(out, in)
	}
	return out, append(rd.Rejects(), rejects...), rd.Err()
}

// column returns the first of the header spellings the file has, or "".
func column(rd *Reader, names []string) string {
	for _, n := range names {
		if _, ok := rd.index[n]; ok {
			return n
		}
	}
	return ""
}

// blank reports a row of empty cells (a trailing ",,,," line).
func blank(row Row) bool {
	for _, f := range row.fields {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// parseDenialDate accepts YYYY-MM-DD and DD/MM/YYYY (the UK order) and
// returns YYYY-MM-DD.
func parseDenialDate(s string) (string, bool) {
	for _, layout := range []string{time.DateOnly, "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}
