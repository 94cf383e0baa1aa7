package importer

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Batch is what a parser read from one file: the items in file order with
// the line each starts on, and every row it could not read with the reason.
// Every data row ends up either as an item or as a reject, so
// Read == len(Items) + len(Rejects), except that a row of SIPRI's older
// layout may give several deliveries. The streaming ...Each functions pass
// items on instead of collecting them: Items and Lines stay empty.
type Batch[T any] struct {
	Items   []T
	Lines   []int      // Lines[i] is the line of the file where Items[i] starts
	Rejects []RowError // sorted by line
	Read    int        // data rows read: header, HXL tag row and preamble not counted
}

// problems collects the reasons a row cannot be read; a row with any is
// rejected with all of them, so one pass shows everything that is wrong.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

func (p problems) reason() string { return strings.Join(p, "; ") }

// run reads every row of rd with parse. Items go to emit when it is not nil
// (streaming) and into the batch otherwise. Blank rows (",,,,") are
// rejected as empty so that every row is accounted for.
func run[T any](rd *Reader, parse func(Row) (T, problems), emit func(T, int) error) (Batch[T], error) {
	var b Batch[T]
	for rd.Next() {
		row, line := rd.Row(), rd.Line()
		b.Read++
		if blank(row) {
			b.Rejects = append(b.Rejects, RowError{line, "empty row"})
			continue
		}
		item, probs := parse(row)
		if len(probs) > 0 {
			b.Rejects = append(b.Rejects, RowError{line, probs.reason()})
			continue
		}
		if emit != nil {
			if err := emit(item, line); err != nil {
				return b, err
			}
			continue
		}
		b.Items = append(b.Items, item)
		b.Lines = append(b.Lines, line)
	}
	mergeCSVRejects(rd, &b.Read, &b.Rejects)
	return b, rd.Err()
}

// mergeCSVRejects adds the rows the CSV parser could not read, in line order.
func mergeCSVRejects(rd *Reader, read *int, rejects *[]RowError) {
	if csvRejects := rd.Rejects(); len(csvRejects) > 0 {
		*read += len(csvRejects)
		*rejects = append(*rejects, csvRejects...)
		slices.SortStableFunc(*rejects, func(x, y RowError) int { return x.Line - y.Line })
	}
}

// requireColumns fails when the header has none of the spellings of some
// column; each entry lists the accepted spellings, the first one reported.
func requireColumns(rd *Reader, kind string, cols [][]string) error {
	var missing, expected []string
	for _, names := range cols {
		expected = append(expected, names[0])
		if rd.Column(names...) < 0 {
			missing = append(missing, names[0])
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("this is not %s: missing columns %s (expected at least: %s)",
			kind, strings.Join(missing, ", "), strings.Join(expected, ", "))
	}
	return nil
}

// originalKeys names every column for Incident.Original: the header as the
// file spells it, trimmed; an empty or repeated name gets its position.
func originalKeys(header []string) []string {
	keys := make([]string, len(header))
	seen := make(map[string]bool, len(header))
	for i, h := range header {
		k := h
		if k == "" || seen[k] {
			k = fmt.Sprintf("%s (column %d)", h, i+1)
			k = strings.TrimSpace(k)
		}
		seen[k] = true
		keys[i] = k
	}
	return keys
}

// original maps every column to its value exactly as read. Cells beyond
// the header are kept under their position.
func original(keys, fields []string) map[string]string {
	m := make(map[string]string, len(fields))
	for i, f := range fields {
		if i < len(keys) {
			m[keys[i]] = f
		} else {
			m[fmt.Sprintf("(column %d)", i+1)] = f
		}
	}
	return m
}

// dateLayouts are the date spellings accepted besides ISO (tried in order).
// Day-first only: "06/07/2022" is 6 July, as in ACLED's and UK exports.
var dateLayouts = []string{
	"2 January 2006", "2 Jan 2006", "2-January-2006", "2-Jan-2006", "January 2, 2006", "Jan 2, 2006",
	"2-1-2006", "2/1/2006", "2.1.2006",
	"2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", time.RFC3339, "2006-01-02T15:04:05.999999999",
	"2006/01/02",
}

const dateFormats = "YYYY-MM-DD, D Month YYYY, DD-MM-YYYY or DD/MM/YYYY"

// parseDate reads a date in any accepted spelling and returns YYYY-MM-DD.
func parseDate(s string) (string, bool) {
	s = strings.TrimSpace(s)
	if len(s) == 10 && s[4] == '-' && s[7] == '-' {
		if _, err := time.Parse(time.DateOnly, s); err == nil {
			return s, true
		}
		return "", false
	}
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(time.DateOnly), true
		}
	}
	return "", false
}

// parseCount reads a count of people or things: empty is 0; "3" and "3.0"
// (spreadsheet exports) are 3; negative, fractional or absurd values fail.
func parseCount(s string) (int, bool) {
	if s == "" {
		return 0, true
	}
	if n, err := strconv.Atoi(s); err == nil {
		return n, n >= 0 && n <= 1_000_000_000
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 0 || f > 1e9 || f != float64(int(f)) {
		return 0, false
	}
	return int(f), true
}

// count reads a count column into *dst, recording a problem when it is not
// a count.
func (p *problems) count(dst *int, column, s string) {
	n, ok := parseCount(s)
	if !ok {
		p.add("%s: %q is not a count", column, s)
		return
	}
	*dst = n
}

// parseCoord reads a latitude (limit 90) or longitude (limit 180): empty is
// nil.
func parseCoord(s string, limit float64) (*float64, bool) {
	if s == "" {
		return nil, true
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < -limit || f > limit || f != f {
		return nil, false
	}
	return &f, true
}

// coords reads a latitude and longitude pair; a pair with one half missing
// is kept as no coordinates.
func (p *problems) coords(latCol, lat, lonCol, lon string) (*float64, *float64) {
	la, ok := parseCoord(lat, 90)
	if !ok {
		p.add("%s: %q is not a latitude", latCol, lat)
	}
	lo, ok2 := parseCoord(lon, 180)
	if !ok2 {
		p.add("%s: %q is not a longitude", lonCol, lon)
	}
	if la == nil || lo == nil {
		return nil, nil
	}
	return la, lo
}

// parseBool reads yes/no spellings; empty is false.
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "", "0", "false", "no", "n", "f":
		return false, true
	case "1", "true", "yes", "y", "t":
		return true, true
	}
	return false, false
}

// wordKey lower-cases s and keeps letters and digits only, so "State
// Forces", "state forces" and "State-Forces" compare equal.
func wordKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range strings.ToLower(s) {
		if (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9') || r > 127 {
			b.WriteRune(r)
		}
	}
	return b.String()
}
