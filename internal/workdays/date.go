package workdays

import (
	"fmt"
	"time"
)

// Date is a civil date with no time of day and no time zone. Service-level
// clocks count whole days, and a zone-free date avoids the classic
// off-by-one where midnight BST is still the previous day in UTC.
//
// The zero value is not a meaningful date; build dates with NewDate, DateOf
// or ParseDate. Methods accept out-of-range fields (e.g. 32 January) and
// treat them the way time.Date does, by rolling over.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// NewDate returns the date for year, month and day, normalising
// out-of-range values as time.Date does (2027-02-30 becomes 2027-03-02), so
// that == on the result compares calendar days.
func NewDate(year int, month time.Month, day int) Date {
	return fromDays(daysFromCivil(year, int(month), day))
}

// DateOf returns the calendar date of t in t's own location. Convert t to
// the calendar's zone (Europe/London for the UK calendars) first: the same
// instant can fall on different dates in different zones.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses an ISO 8601 calendar date such as "2027-06-14".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("invalid date %q: want YYYY-MM-DD", s)
	}
	return DateOf(t), nil
}

// String formats d as YYYY-MM-DD.
func (d Date) String() string {
	d = d.normal()
	if d.Year >= 0 && d.Year <= 9999 {
		return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
	}
	return fmt.Sprintf("%d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// MarshalText implements encoding.TextMarshaler so dates appear in JSON
// and CSV as plain YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler, the inverse of
// MarshalText.
func (d *Date) UnmarshalText(b []byte) error {
	p, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = p
	return nil
}

// Weekday returns the day of the week of d.
func (d Date) Weekday() time.Weekday { return weekdayOf(d.days()) }

// AddDays returns d moved by n calendar (not working) days.
func (d Date) AddDays(n int) Date { return fromDays(d.days() + n) }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	a, b := d.days(), e.days()
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Before reports whether d is strictly before e.
func (d Date) Before(e Date) bool { return d.days() < e.days() }

// After reports whether d is strictly after e.
func (d Date) After(e Date) bool { return d.days() > e.days() }

// Time returns midnight at the start of d in loc (UTC if loc is nil).
func (d Date) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

func (d Date) normal() Date { return fromDays(d.days()) }

// days returns d as a day number (days since 1970-01-01). All counting is
// done on day numbers: it turns calendar arithmetic into integer
// arithmetic, which is what makes Between cheap.
func (d Date) days() int { return daysFromCivil(d.Year, int(d.Month), d.Day) }

func fromDays(n int) Date {
	y, m, d := civilFromDays(n)
	return Date{y, time.Month(m), d}
}

// daysFromCivil and civilFromDays are Howard Hinnant's proleptic Gregorian
// algorithms (http://howardhinnant.github.io/date_algorithms.html): branch-
// light, exact for every representable year, and far cheaper than going
// through time.Time.
func daysFromCivil(y, m, d int) int {
	if m < 1 || m > 12 {
		y += floorDiv(m-1, 12)
		m = floorMod(m-1, 12) + 1
	}
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	doy := (153*((m+9)%12)+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// yearOf is civilFromDays without the month and day.
func yearOf(z int) int {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	y := yoe + era*400
	if doy >= 306 { // January or February: the era year starts in March
		y++
	}
	return y
}

// weekdayOf returns the weekday of day number n; day 0 was a Thursday.
func weekdayOf(n int) time.Weekday { return time.Weekday(floorMod(n+4, 7)) }

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }
