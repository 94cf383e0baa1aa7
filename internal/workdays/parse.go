package workdays

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
)

// ParseError reports a problem in a calendar definition, with the 1-based
// line it was found on so an operator can fix the file.
type ParseError struct {
	Line int
	Err  error
}

func (e *ParseError) Error() string { return fmt.Sprintf("workdays: line %d: %v", e.Line, e.Err) }

func (e *ParseError) Unwrap() error { return e.Err }

var errEmpty = errors.New("workdays: calendar definition has no directives")

// Parse reads a calendar definition: CSV records, one directive per line,
// with blank lines and lines starting with # ignored.
//
//	base,england-and-wales          start from a built-in calendar
//	name,uk-ecju                    name the result (default "custom")
//	add,2027-06-14,One-off holiday  an extra holiday (description optional)
//	remove,2027-05-03,Moved         a holiday of the base that will not happen
//
// base must come before any add or remove; without it the calendar starts
// with weekends only. A remove must name a holiday the base actually has,
// because a remove that matches nothing is almost always a mistyped date,
// and silently ignoring it would skew every clock. Errors are *ParseError
// carrying the line number.
func Parse(r io.Reader) (*Calendar, error) {
	cr := csv.NewReader(r)
	cr.Comment = '#'
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true

	var (
		base     *Calendar
		name     string
		adds     []Holiday
		removes  = map[Date]string{}
		seen     = map[Date]int{} // date -> line of the add/remove naming it
		nameLine int
		sawAny   bool
	)
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, &ParseError{Line: pe.Line, Err: pe.Err}
			}
			return nil, fmt.Errorf("workdays: reading calendar: %w", err)
		}
		line, _ := cr.FieldPos(0)
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
		}
		if line == 1 {
			rec[0] = strings.TrimPrefix(rec[0], "\ufeff") // spreadsheet exports
		}
		if strings.Join(rec, "") == "" || strings.HasPrefix(rec[0], "#") {
			continue // blanks, bare commas, or an indented comment
		}
		fail := func(format string, args ...any) error {
			return &ParseError{Line: line, Err: fmt.Errorf(format, args...)}
		}
		sawAny = true

		switch verb := strings.ToLower(rec[0]); verb {
		case "base":
			if len(rec) != 2 {
				return nil, fail("base takes one field, the calendar name (one of %s)", strings.Join(Names(), ", "))
			}
			if base != nil {
				return nil, fail("base given twice")
			}
			if len(seen) > 0 {
				return nil, fail("base must come before add and remove")
			}
			b, err := Named(rec[1])
			if err != nil {
				return nil, fail("%v", err)
			}
			base = b

		case "name":
			if len(rec) != 2 || rec[1] == "" {
				return nil, fail("name takes one non-empty field")
			}
			if nameLine != 0 {
				return nil, fail("name given twice (first on line %d)", nameLine)
			}
			name, nameLine = rec[1], line

		case "add", "remove":
			if len(rec) < 2 || len(rec) > 3 {
				return nil, fail("%s takes a date and an optional description", verb)
			}
			d, err := ParseDate(rec[1])
			if err != nil {
				return nil, fail("%s: %v", verb, err)
			}
			if prev, dup := seen[d]; dup {
				return nil, fail("%s %s: date already used on line %d", verb, d, prev)
			}
			seen[d] = line
			desc := ""
			if len(rec) == 3 {
				desc = rec[2]
			}
			if verb == "add" {
				if desc == "" {
					desc = "Additional holiday"
				}
				adds = append(adds, Holiday{d, desc})
				break
			}
			if base == nil {
				return nil, fail("remove %s: no base calendar to remove it from", d)
			}
			if _, ok := base.HolidayOn(d); !ok {
				return nil, fail("remove %s: not a holiday in %s", d, base.name)
			}
			if desc == "" {
				desc = "removed"
			}
			removes[d] = desc

		default:
			return nil, fail("unknown directive %q (want base, name, add or remove)", rec[0])
		}
	}
	if !sawAny {
		return nil, errEmpty
	}

	if name == "" {
		name = "custom"
	}
	c := newCalendar(name, nil)
	if base != nil {
		c.weekend, c.perWeek, c.cum = base.weekend, base.perWeek, base.cum
		c.rules = base.rules
		maps.Copy(c.removed, base.removed)
		for y, hs := range base.extra {
			c.extra[y] = slices.DeleteFunc(slices.Clone(hs), func(h Holiday) bool {
				_, gone := removes[h.Date]
				return gone
			})
		}
	}
	// Removing a date drops the rule-generated holiday and any explicit
	// one the base added on it; both are covered by recording it here and
	// pruning extra above.
	maps.Copy(c.removed, removes)
	for _, h := range adds {
		c.add(h)
	}
	return c, nil
}
