package workdays

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
	_ "time/tzdata" // Europe/London for TestDayOf wherever the tests run
)

func d(y int, m time.Month, day int) Date { return NewDate(y, m, day) }

const (
	jan = time.January
	feb = time.February
	mar = time.March
	apr = time.April
	may = time.May
	jun = time.June
	jul = time.July
	aug = time.August
	sep = time.September
	nov = time.November
	dec = time.December
)

type md struct {
	m   time.Month
	day int
}

// englandAndWales is the GOV.UK list of bank holidays in England and Wales,
// written out by hand rather than derived, so the test checks the rules
// against the published dates and not against themselves.
var englandAndWalesGovUK = map[int][]md{
	2010: {{jan, 1}, {apr, 2}, {apr, 5}, {may, 3}, {may, 31}, {aug, 30}, {dec, 27}, {dec, 28}},
	2011: {{jan, 3}, {apr, 22}, {apr, 25}, {apr, 29}, {may, 2}, {may, 30}, {aug, 29}, {dec, 26}, {dec, 27}},
	2012: {{jan, 2}, {apr, 6}, {apr, 9}, {may, 7}, {jun, 4}, {jun, 5}, {aug, 27}, {dec, 25}, {dec, 26}},
	2013: {{jan, 1}, {mar, 29}, {apr, 1}, {may, 6}, {may, 27}, {aug, 26}, {dec, 25}, {dec, 26}},
	2014: {{jan, 1}, {apr, 18}, {apr, 21}, {may, 5}, {may, 26}, {aug, 25}, {dec, 25}, {dec, 26}},
	2015: {{jan, 1}, {apr, 3}, {apr, 6}, {may, 4}, {may, 25}, {aug, 31}, {dec, 25}, {dec, 28}},
	2016: {{jan, 1}, {mar, 25}, {mar, 28}, {may, 2}, {may, 30}, {aug, 29}, {dec, 26}, {dec, 27}},
	2017: {{jan, 2}, {apr, 14}, {apr, 17}, {may, 1}, {may, 29}, {aug, 28}, {dec, 25}, {dec, 26}},
	2018: {{jan, 1}, {mar, 30}, {apr, 2}, {may, 7}, {may, 28}, {aug, 27}, {dec, 25}, {dec, 26}},
	2019: {{jan, 1}, {apr, 19}, {apr, 22}, {may, 6}, {may, 27}, {aug, 26}, {dec, 25}, {dec, 26}},
	2020: {{jan, 1}, {apr, 10}, {apr, 13}, {may, 8}, {may, 25}, {aug, 31}, {dec, 25}, {dec, 28}},
	2021: {{jan, 1}, {apr, 2}, {apr, 5}, {may, 3}, {may, 31}, {aug, 30}, {dec, 27}, {dec, 28}},
	2022: {{jan, 3}, {apr, 15}, {apr, 18}, {may, 2}, {jun, 2}, {jun, 3}, {aug, 29}, {sep, 19}, {dec, 26}, {dec, 27}},
	2023: {{jan, 2}, {apr, 7}, {apr, 10}, {may, 1}, {may, 8}, {may, 29}, {aug, 28}, {dec, 25}, {dec, 26}},
	2024: {{jan, 1}, {mar, 29}, {apr, 1}, {may, 6}, {may, 27}, {aug, 26}, {dec, 25}, {dec, 26}},
	2025: {{jan, 1}, {apr, 18}, {apr, 21}, {may, 5}, {may, 26}, {aug, 25}, {dec, 25}, {dec, 26}},
	2026: {{jan, 1}, {apr, 3}, {apr, 6}, {may, 4}, {may, 25}, {aug, 31}, {dec, 25}, {dec, 28}},
	2027: {{jan, 1}, {mar, 26}, {mar, 29}, {may, 3}, {may, 31}, {aug, 30}, {dec, 27}, {dec, 28}},
}

// scotlandExpected: GOV.UK for 2020-2026, then the statutory rules worked by
// hand for 2027-2030.
var scotlandExpected = map[int][]md{
	2020: {{jan, 1}, {jan, 2}, {apr, 10}, {may, 8}, {may, 25}, {aug, 3}, {nov, 30}, {dec, 25}, {dec, 28}},
	2021: {{jan, 1}, {jan, 4}, {apr, 2}, {may, 3}, {may, 31}, {aug, 2}, {nov, 30}, {dec, 27}, {dec, 28}},
	2022: {{jan, 3}, {jan, 4}, {apr, 15}, {may, 2}, {jun, 2}, {jun, 3}, {aug, 1}, {sep, 19}, {nov, 30}, {dec, 26}, {dec, 27}},
	2023: {{jan, 2}, {jan, 3}, {apr, 7}, {may, 1}, {may, 8}, {may, 29}, {aug, 7}, {nov, 30}, {dec, 25}, {dec, 26}},
	2024: {{jan, 1}, {jan, 2}, {mar, 29}, {may, 6}, {may, 27}, {aug, 5}, {dec, 2}, {dec, 25}, {dec, 26}},
	2025: {{jan, 1}, {jan, 2}, {apr, 18}, {may, 5}, {may, 26}, {aug, 4}, {dec, 1}, {dec, 25}, {dec, 26}},
	2026: {{jan, 1}, {jan, 2}, {apr, 3}, {may, 4}, {may, 25}, {aug, 3}, {nov, 30}, {dec, 25}, {dec, 28}},
	2027: {{jan, 1}, {jan, 4}, {mar, 26}, {may, 3}, {may, 31}, {aug, 2}, {nov, 30}, {dec, 27}, {dec, 28}},
	2028: {{jan, 3}, {jan, 4}, {apr, 14}, {may, 1}, {may, 29}, {aug, 7}, {nov, 30}, {dec, 25}, {dec, 26}},
	2029: {{jan, 1}, {jan, 2}, {mar, 30}, {may, 7}, {may, 28}, {aug, 6}, {nov, 30}, {dec, 25}, {dec, 26}},
	2030: {{jan, 1}, {jan, 2}, {apr, 19}, {may, 6}, {may, 27}, {aug, 5}, {dec, 2}, {dec, 25}, {dec, 26}},
}

// northernIrelandExtra is what Northern Ireland has on top of England and
// Wales: St Patrick's Day and the Battle of the Boyne, as observed.
var northernIrelandExtra = map[int][]md{
	2020: {{mar, 17}, {jul, 13}},
	2021: {{mar, 17}, {jul, 12}},
	2022: {{mar, 17}, {jul, 12}},
	2023: {{mar, 17}, {jul, 12}},
	2024: {{mar, 18}, {jul, 12}},
	2025: {{mar, 17}, {jul, 14}},
	2026: {{mar, 17}, {jul, 13}},
	2027: {{mar, 17}, {jul, 12}},
	2028: {{mar, 17}, {jul, 12}},
	2029: {{mar, 19}, {jul, 12}},
	2030: {{mar, 18}, {jul, 12}},
}

func dates(y int, mds []md) []Date {
	var out []Date
	for _, x := range mds {
		out = append(out, d(y, x.m, x.day))
	}
	slices.SortFunc(out, Date.Compare)
	return out
}

func holidayDates(c *Calendar, y int) []Date {
	var out []Date
	for _, h := range c.Holidays(y) {
		out = append(out, h.Date)
	}
	return out
}

func checkYears(t *testing.T, c *Calendar, want map[int][]Date) {
	t.Helper()
	for y, w := range want {
		if got := holidayDates(c, y); !slices.Equal(got, w) {
			t.Errorf("%s %d:\n got %v\nwant %v", c.Name(), y, got, w)
		}
	}
}

func TestEnglandAndWalesGovUK(t *testing.T) {
	want := map[int][]Date{}
	for y, mds := range englandAndWalesGovUK {
		want[y] = dates(y, mds)
	}
	checkYears(t, EnglandAndWales(), want)
}

func TestEnglandAndWalesNames(t *testing.T) {
	c := EnglandAndWales()
	for _, tc := range []struct {
		d    Date
		name string
	}{
		{d(2021, dec, 27), "Christmas Day (substitute day)"},
		{d(2021, dec, 28), "Boxing Day (substitute day)"},
		{d(2022, dec, 26), "Boxing Day"},
		{d(2022, dec, 27), "Christmas Day (substitute day)"},
		{d(2026, dec, 28), "Boxing Day (substitute day)"},
		{d(2020, may, 8), "Early May bank holiday (VE day)"},
		{d(2022, jun, 2), "Spring bank holiday"},
		{d(2023, may, 8), "Bank holiday for the coronation of King Charles III"},
		{d(2022, jan, 3), "New Year's Day (substitute day)"},
	} {
		h, ok := c.HolidayOn(tc.d)
		if !ok || h.Name != tc.name {
			t.Errorf("HolidayOn(%v) = %+v, %v; want %q", tc.d, h, ok, tc.name)
		}
	}
}

func TestEnglandAndWalesHistoric(t *testing.T) {
	c := EnglandAndWales()
	holidays := []Date{
		d(1971, dec, 27),                 // first year of the 1971 Act; Boxing Day Sunday
		d(1977, jun, 6), d(1977, jun, 7), // Silver Jubilee
		d(1978, may, 1),  // first early May bank holiday
		d(1981, jul, 29), // royal wedding
		d(1995, may, 8),  // VE day 50
		d(1999, dec, 31), // millennium
		d(2000, jan, 3),  // New Year substitute
		d(2002, jun, 3), d(2002, jun, 4),
		d(2011, apr, 29),
	}
	for _, h := range holidays {
		if _, ok := c.HolidayOn(h); !ok || c.IsWorkingDay(h) {
			t.Errorf("%v should be a bank holiday", h)
		}
	}
	notHolidays := []Date{
		d(1973, jan, 1),  // New Year's Day only from 1974
		d(1977, may, 2),  // no early May bank holiday before 1978
		d(1977, may, 30), // moved to 6 June
		d(1995, may, 1),  // moved to 8 May
		d(2002, may, 27), d(2012, may, 28), d(2020, may, 4), d(2022, may, 30),
		d(1970, dec, 25), // before the calendar starts; Friday, still a weekday
	}
	for _, n := range notHolidays {
		if _, ok := c.HolidayOn(n); ok || !c.IsWorkingDay(n) {
			t.Errorf("%v should be a working day", n)
		}
	}
}

// TestRemovalsMatchRules guards against a typo in a moved holiday: a removal
// that matches no rule-generated day would silently do nothing.
func TestRemovalsMatchRules(t *testing.T) {
	for _, name := range Names() {
		c, err := Named(name)
		if err != nil {
			t.Fatal(err)
		}
		for r := range c.removed {
			found := false
			for _, h := range c.rules(r.Year) {
				found = found || h.Date == r
			}
			if !found {
				t.Errorf("%s: removal %v matches no rule-generated holiday", name, r)
			}
		}
	}
}

func TestScotland(t *testing.T) {
	want := map[int][]Date{}
	for y, mds := range scotlandExpected {
		want[y] = dates(y, mds)
	}
	checkYears(t, Scotland(), want)
	if h, _ := Scotland().HolidayOn(d(2023, jan, 3)); h.Name != "2nd January (substitute day)" {
		t.Errorf("2023-01-03 = %q", h.Name)
	}
}

func TestNorthernIreland(t *testing.T) {
	ew, ni := EnglandAndWales(), NorthernIreland()
	want := map[int][]Date{}
	for y, extra := range northernIrelandExtra {
		w := append(holidayDates(ew, y), dates(y, extra)...)
		slices.SortFunc(w, Date.Compare)
		want[y] = w
	}
	checkYears(t, ni, want)
}

func TestEaster(t *testing.T) {
	want := map[int]md{
		2000: {apr, 23}, 2001: {apr, 15}, 2002: {mar, 31}, 2003: {apr, 20}, 2004: {apr, 11},
		2005: {mar, 27}, 2006: {apr, 16}, 2007: {apr, 8}, 2008: {mar, 23}, 2009: {apr, 12},
		2010: {apr, 4}, 2011: {apr, 24}, 2012: {apr, 8}, 2013: {mar, 31}, 2014: {apr, 20},
		2015: {apr, 5}, 2016: {mar, 27}, 2017: {apr, 16}, 2018: {apr, 1}, 2019: {apr, 21},
		2020: {apr, 12}, 2021: {apr, 4}, 2022: {apr, 17}, 2023: {apr, 9}, 2024: {mar, 31},
		2025: {apr, 20}, 2026: {apr, 5}, 2027: {mar, 28}, 2028: {apr, 16}, 2029: {apr, 1},
		2030: {apr, 21},
	}
	for y := 2000; y <= 2030; y++ {
		w := d(y, want[y].m, want[y].day)
		if got := Easter(y); got != w {
			t.Errorf("Easter(%d) = %v, want %v", y, got, w)
		}
		if Easter(y).Weekday() != time.Sunday {
			t.Errorf("Easter(%d) is not a Sunday", y)
		}
	}
}

func TestDate(t *testing.T) {
	if got := NewDate(2027, feb, 30); got != d(2027, mar, 2) {
		t.Errorf("NewDate normalises: got %v", got)
	}
	if got := (Date{2027, 14, 1}).String(); got != "2028-02-01" {
		t.Errorf("String of out-of-range month = %q", got)
	}
	// Day numbers agree with time.Time across a wide range, including
	// leap days and century years.
	epoch := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	for n := -800000; n <= 800000; n += 97 {
		tm := epoch.AddDate(0, 0, n)
		dt := DateOf(tm)
		if dt.days() != n || fromDays(n) != dt || yearOf(n) != dt.Year || dt.Weekday() != tm.Weekday() {
			t.Fatalf("day %d: date %v days %d year %d weekday %v/%v", n, dt, dt.days(), yearOf(n), dt.Weekday(), tm.Weekday())
		}
	}
	p, err := ParseDate("2024-02-29")
	if err != nil || p != d(2024, feb, 29) {
		t.Errorf("ParseDate = %v, %v", p, err)
	}
	if _, err := ParseDate("2023-02-29"); err == nil {
		t.Error("ParseDate accepted 2023-02-29")
	}
	var u Date
	if err := u.UnmarshalText([]byte("2027-06-14")); err != nil || u != d(2027, jun, 14) {
		t.Errorf("UnmarshalText = %v, %v", u, err)
	}
}

func TestBetweenConvention(t *testing.T) {
	c := EnglandAndWales()
	for _, tc := range []struct {
		start, end Date
		want       int
	}{
		{d(2025, jun, 2), d(2025, jun, 3), 1},   // Monday to Tuesday
		{d(2025, jun, 2), d(2025, jun, 2), 0},   // same day
		{d(2025, jun, 3), d(2025, jun, 2), 0},   // end before start
		{d(2025, jun, 6), d(2025, jun, 9), 1},   // Friday to Monday
		{d(2025, jun, 7), d(2025, jun, 8), 0},   // Saturday to Sunday
		{d(2025, jun, 2), d(2025, jun, 30), 20}, // four weeks
		{d(2025, dec, 24), d(2026, jan, 2), 4},  // 29, 30, 31 Dec, 2 Jan
		{d(2020, may, 7), d(2020, may, 11), 1},  // VE day Friday
		{d(2022, may, 27), d(2022, jun, 6), 4},  // 30, 31 May, 1 and 6 June
	} {
		if got := c.Between(tc.start, tc.end); got != tc.want {
			t.Errorf("Between(%v, %v) = %d, want %d", tc.start, tc.end, got, tc.want)
		}
	}
}

func naiveBetween(c *Calendar, a, b Date) int {
	n := 0
	for x := a.AddDays(1); !x.After(b); x = x.AddDays(1) {
		if c.IsWorkingDay(x) {
			n++
		}
	}
	return n
}

func randomDate(r *rand.Rand, from, to int) Date {
	return fromDays(daysFromCivil(from, 1, 1) + r.IntN(daysFromCivil(to, 1, 1)-daysFromCivil(from, 1, 1)))
}

func TestBetweenMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, c := range []*Calendar{EnglandAndWales(), Scotland(), NorthernIreland()} {
		for range 3000 {
			a := randomDate(r, 1965, 2060)
			span := r.IntN(120)
			if r.IntN(10) == 0 {
				span = r.IntN(3000) // multi-year spans hit the whole-year fast path
			}
			b := a.AddDays(span - 5)
			if got, want := c.Between(a, b), naiveBetween(c, a, b); got != want {
				t.Fatalf("%s: Between(%v, %v) = %d, naive %d", c.Name(), a, b, got, want)
			}
		}
	}
}

func TestAddWorkingDaysRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	c := EnglandAndWales()
	for range 20000 {
		start := randomDate(r, 1971, 2100)
		n := r.IntN(400)
		e := c.AddWorkingDays(start, n)
		if got := c.Between(start, e); got != n {
			t.Fatalf("Between(%v, AddWorkingDays(%v, %d) = %v) = %d", start, start, n, e, got)
		}
		if n > 0 {
			if !c.IsWorkingDay(e) {
				t.Fatalf("AddWorkingDays(%v, %d) = %v, not a working day", start, n, e)
			}
			if c.Between(start, e.AddDays(-1)) != n-1 {
				t.Fatalf("AddWorkingDays(%v, %d) = %v is not the earliest such date", start, n, e)
			}
		}
		// Backwards from a working day inverts Between too.
		if w := c.AddWorkingDays(start, 1); n > 0 {
			b := c.AddWorkingDays(w, -n)
			if got := c.Between(b, w); got != n || !c.IsWorkingDay(b) {
				t.Fatalf("Between(AddWorkingDays(%v, -%d) = %v, %v) = %d", w, n, b, w, got)
			}
		}
	}
	if got := c.AddWorkingDays(d(2025, dec, 24), 1); got != d(2025, dec, 29) {
		t.Errorf("day after Christmas Eve 2025 = %v", got)
	}
	if got := c.AddWorkingDays(d(2025, jun, 7), 0); got != d(2025, jun, 7) {
		t.Errorf("AddWorkingDays(n=0) moved the date: %v", got)
	}
	// 20 working days from a Monday submission: the SLA deadline.
	if got := c.AddWorkingDays(d(2025, apr, 14), 20); got != d(2025, may, 15) {
		t.Errorf("20 working days after 2025-04-14 = %v, want 2025-05-15", got)
	}
}

func TestElapsed(t *testing.T) {
	c := EnglandAndWales()
	at := func(m time.Month, day, hour int) time.Time { return time.Date(2025, m, day, hour, 0, 0, 0, time.UTC) }
	// Monday 2 June 2025 09:00 to Monday 30 June 2025 17:00: 20 working days.
	start, end := at(jun, 2, 9), at(jun, 30, 17)
	for _, tc := range []struct {
		name   string
		pauses []Interval
		want   int
	}{
		{"no pauses", nil, 20},
		{"query Mon 10:00 to Wed 15:00 stops Tue and Wed", []Interval{{at(jun, 9, 10), at(jun, 11, 15)}}, 18},
		{"answered same day costs nothing", []Interval{{at(jun, 9, 10), at(jun, 9, 15)}}, 20},
		{"pause over a weekend costs only Monday", []Interval{{at(jun, 13, 16), at(jun, 16, 9)}}, 19},
		{"overlapping pauses subtract once", []Interval{
			{at(jun, 9, 10), at(jun, 12, 10)},  // stops 10, 11, 12
			{at(jun, 11, 10), at(jun, 14, 10)}, // stops 12, 13 (14 is Saturday)
		}, 16},
		{"nested and unsorted", []Interval{
			{at(jun, 11, 10), at(jun, 12, 10)},
			{at(jun, 9, 10), at(jun, 18, 10)}, // stops 10-13, 16-18
		}, 13},
		{"open pause runs to the end", []Interval{{at(jun, 25, 12), time.Time{}}}, 17}, // 26, 27, 30
		{"open pause started before start", []Interval{{at(may, 1, 12), time.Time{}}}, 0},
		{"pause before start", []Interval{{at(may, 1, 12), at(may, 20, 12)}}, 20},
		{"pause after end", []Interval{{at(jul, 1, 12), at(jul, 20, 12)}}, 20},
		{"pause straddling start", []Interval{{at(may, 30, 12), at(jun, 4, 12)}}, 18},
		{"reversed pause ignored", []Interval{{at(jun, 11, 10), at(jun, 9, 10)}}, 20},
		{"midnight From stops that day", []Interval{{at(jun, 10, 0), at(jun, 10, 12)}}, 19},
		{"midnight To does not stop that day", []Interval{{at(jun, 9, 12), at(jun, 11, 0)}}, 19},
		{"many disjoint pauses", []Interval{
			{at(jun, 3, 12), at(jun, 4, 12)}, {at(jun, 5, 12), at(jun, 6, 12)},
			{at(jun, 9, 12), at(jun, 10, 12)}, {at(jun, 17, 12), at(jun, 18, 12)},
			{at(jun, 19, 12), at(jun, 20, 12)}, {at(jun, 23, 12), at(jun, 24, 12)},
			{at(jun, 25, 12), at(jun, 26, 12)}, {at(jun, 26, 12), at(jun, 27, 12)},
			{at(jun, 27, 12), at(jun, 30, 12)},
		}, 11},
	} {
		if got := c.Elapsed(start, end, tc.pauses); got != tc.want {
			t.Errorf("%s: Elapsed = %d, want %d", tc.name, got, tc.want)
		}
	}
	if got := c.Elapsed(end, start, nil); got != 0 {
		t.Errorf("Elapsed with end before start = %d", got)
	}
}

// TestElapsedMatchesNaive checks Elapsed against a direct reading of the
// convention: count working days whose midnight is in (start, end] and in
// no pause.
func TestElapsedMatchesNaive(t *testing.T) {
	c := EnglandAndWales()
	r := rand.New(rand.NewPCG(5, 6))
	base := time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC)
	rt := func(days int) time.Time {
		if r.IntN(8) == 0 { // exact midnights exercise the boundaries
			return base.AddDate(0, 0, r.IntN(days))
		}
		return base.Add(time.Duration(r.Int64N(int64(days) * int64(24*time.Hour))))
	}
	for range 5000 {
		start := rt(1200)
		end := start.Add(time.Duration(r.Int64N(int64(150 * 24 * time.Hour))))
		var pauses []Interval
		for range r.IntN(12) {
			p := Interval{From: start.Add(time.Duration(r.Int64N(int64(160*24*time.Hour))) - 5*24*time.Hour)}
			if r.IntN(6) != 0 {
				p.To = p.From.Add(time.Duration(r.Int64N(int64(20 * 24 * time.Hour))))
			}
			pauses = append(pauses, p)
		}
		want := 0
		for m := DateOf(start).Time(time.UTC).AddDate(0, 0, 1); !m.After(end); m = m.AddDate(0, 0, 1) {
			if !c.IsWorkingDay(DateOf(m)) {
				continue
			}
			paused := false
			for _, p := range pauses {
				to := p.To
				if to.IsZero() {
					to = end.Add(time.Nanosecond)
				}
				paused = paused || (!m.Before(p.From) && m.Before(to))
			}
			if !paused {
				want++
			}
		}
		if got := c.Elapsed(start, end, pauses); got != want {
			t.Fatalf("Elapsed(%v, %v, %v) = %d, want %d", start, end, pauses, got, want)
		}
	}
}

// TestDayOf checks the single-lookup day computation used by Elapsed
// against time.Time's own Date and Clock, in zones either side of UTC and
// across the UK clock changes.
func TestDayOf(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skipf("no tzdata: %v", err)
	}
	zones := []*time.Location{time.UTC, london, time.FixedZone("", -5*3600), time.FixedZone("", 5*3600+1800)}
	r := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		loc := zones[r.IntN(len(zones))]
		tm := time.Unix(r.Int64N(4e9)-1e9, 0).In(loc)
		if r.IntN(4) == 0 {
			y, m, dd := tm.Date()
			tm = time.Date(y, m, dd, 0, 0, 0, 0, loc)
		}
		h, mi, sec := tm.Clock()
		day, midnight := dayOf(tm)
		if day != DateOf(tm).days() || midnight != (h == 0 && mi == 0 && sec == 0) {
			t.Fatalf("dayOf(%v) = %d, %v; want %d", tm, day, midnight, DateOf(tm).days())
		}
	}
	// A query raised late on a BST evening is the next day in London.
	c := EnglandAndWales()
	start := time.Date(2025, jun, 2, 9, 0, 0, 0, london)
	end := time.Date(2025, jun, 30, 17, 0, 0, 0, london)
	pause := Interval{time.Date(2025, jun, 9, 23, 30, 0, 0, time.UTC).In(london), time.Date(2025, jun, 11, 9, 0, 0, 0, london)}
	if got := c.Elapsed(start, end, []Interval{pause}); got != 19 {
		t.Errorf("Elapsed with a BST pause = %d, want 19 (only Wednesday stopped)", got)
	}
}

func TestParse(t *testing.T) {
	src := "\ufeff" + `# ECJU calendar, saved from a spreadsheet with a BOM
base,england-and-wales
  # indented comment, with a comma
name, ecju
add,2027-06-14,One-off holiday
remove,2027-05-03,Moved
add,2027-05-04
remove,2022-09-19,"Funeral, hypothetically not a holiday"

`
	c, err := Parse(strings.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "ecju" {
		t.Errorf("Name = %q", c.Name())
	}
	if c.IsWorkingDay(d(2027, jun, 14)) || !c.IsWorkingDay(d(2027, may, 3)) || c.IsWorkingDay(d(2027, may, 4)) {
		t.Error("add/remove not applied")
	}
	if h, _ := c.HolidayOn(d(2027, may, 4)); h.Name != "Additional holiday" {
		t.Errorf("default description = %q", h.Name)
	}
	if !c.IsWorkingDay(d(2022, sep, 19)) {
		t.Error("removing a base one-off did not take")
	}
	// The base is untouched.
	if EnglandAndWales().IsWorkingDay(d(2027, may, 3)) || !EnglandAndWales().IsWorkingDay(d(2027, jun, 14)) {
		t.Error("Parse modified the built-in calendar")
	}
	// Everything else matches the base.
	for y := 2010; y <= 2030; y++ {
		if y == 2022 || y == 2027 {
			continue
		}
		if !slices.Equal(c.Holidays(y), EnglandAndWales().Holidays(y)) {
			t.Errorf("%d differs from base", y)
		}
	}

	bare, err := Parse(strings.NewReader("add,2027-06-14,Only this"))
	if err != nil {
		t.Fatal(err)
	}
	if bare.Name() != "custom" || bare.IsWorkingDay(d(2027, jun, 14)) || !bare.IsWorkingDay(d(2027, dec, 27)) {
		t.Error("calendar without base should have only its additions")
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		src  string
		line int
		msg  string
	}{
		{"base,atlantis", 1, "unknown calendar"},
		{"base,england-and-wales\nbase,scotland", 2, "twice"},
		{"base,england-and-wales,extra", 1, "one field"},
		{"add,2027-06-14\nbase,scotland", 2, "before add"},
		{"# c\n\nbase,scotland\nadd,2027-13-01,x", 4, "invalid date"},
		{"base,scotland\nadd,2027-06-14\nremove,2027-06-14", 3, "already used on line 2"},
		{"base,scotland\nremove,2027-05-04", 2, "not a holiday in scotland"},
		{"remove,2027-05-03", 1, "no base"},
		{"base,scotland\nadd", 2, "takes a date"},
		{"base,scotland\nadd,2027-06-14,a,b", 2, "takes a date"},
		{"base,scotland\n\nfrobnicate,1", 3, "unknown directive"},
		{"name,a\nname,b", 2, "first on line 1"},
		{"name,", 1, "non-empty"},
		{"base,scotland\nadd,\"2027-06-14", 2, "quote"},
	} {
		_, err := Parse(strings.NewReader(tc.src))
		var pe *ParseError
		if !errors.As(err, &pe) {
			t.Errorf("%q: error %v is not a *ParseError", tc.src, err)
			continue
		}
		if pe.Line != tc.line || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%q: got %q (line %d), want line %d containing %q", tc.src, err, pe.Line, tc.line, tc.msg)
		}
		if !strings.Contains(err.Error(), fmt.Sprintf("line %d", tc.line)) {
			t.Errorf("%q: message %q does not name line %d", tc.src, err, tc.line)
		}
	}
	if _, err := Parse(strings.NewReader("# nothing\n\n")); !errors.Is(err, errEmpty) {
		t.Errorf("empty definition: %v", err)
	}
}

func TestNamed(t *testing.T) {
	for _, n := range Names() {
		c, err := Named(" " + strings.ToUpper(n) + " ")
		if err != nil || c.Name() != n {
			t.Errorf("Named(%q) = %v, %v", n, c, err)
		}
	}
	if c, _ := Named(NameEnglandAndWales); c != EnglandAndWales() {
		t.Error("built-ins should be shared")
	}
	if _, err := Named("wales"); err == nil {
		t.Error("Named accepted an unknown name")
	}
	if got := EnglandAndWales().Weekend(); !slices.Equal(got, []time.Weekday{time.Sunday, time.Saturday}) {
		t.Errorf("Weekend = %v", got)
	}
}

func TestYearsOutsideCache(t *testing.T) {
	c := EnglandAndWales()
	for _, y := range []int{1899, 2200, 2500} {
		hs := c.Holidays(y)
		if y >= 1971 && len(hs) != 8 {
			t.Errorf("%d: %d holidays", y, len(hs))
		}
		a, b := d(y, jan, 1), d(y+1, jan, 10)
		if got, want := c.Between(a, b), naiveBetween(c, a, b); got != want {
			t.Errorf("Between across %d = %d, naive %d", y, got, want)
		}
	}
}

// TestConcurrent is for the race detector: many goroutines filling the
// per-year cache of a fresh calendar at once.
func TestConcurrent(t *testing.T) {
	c, err := Parse(strings.NewReader("base,northern-ireland\nadd,2031-06-16,x"))
	if err != nil {
		t.Fatal(err)
	}
	want := make(map[int]int)
	for y := 1990; y < 2060; y++ {
		want[y] = naiveBetween(c, d(y, jan, 1), d(y, dec, 31))
	}
	c, _ = Parse(strings.NewReader("base,northern-ireland\nadd,2031-06-16,x"))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 70 {
				y := 1990 + (i+g*9)%70
				if got := c.Between(d(y, jan, 1), d(y, dec, 31)); got != want[y] {
					t.Errorf("%d: %d, want %d", y, got, want[y])
				}
				_ = c.Elapsed(d(y, mar, 1).Time(nil), d(y, may, 1).Time(nil), []Interval{{From: d(y, mar, 10).Time(nil)}})
			}
		})
	}
	wg.Wait()
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"base,england-and-wales\nadd,2027-06-14,One-off holiday\nremove,2027-05-03,Moved\n",
		"base,scotland\nname,x\n# comment\nadd,2030-01-01\n",
		"remove,2027-05-03",
		"add,\"2027-06-14\",\"a, b\"",
		"base,northern-ireland\nremove,2024-03-18\nadd,2024-03-19,St Patrick moved",
		",,,\n\"",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := Parse(strings.NewReader(src))
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) && !errors.Is(err, errEmpty) {
				t.Fatalf("error %v is neither *ParseError nor errEmpty", err)
			}
			if pe != nil && (pe.Line < 1 || !strings.Contains(err.Error(), "line ")) {
				t.Fatalf("bad line in %v", err)
			}
			return
		}
		if c.Name() == "" {
			t.Fatal("empty name")
		}
		// Whatever was parsed must behave as a calendar.
		for _, y := range []int{2024, 2027} {
			hs := c.Holidays(y)
			if !slices.IsSortedFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) }) {
				t.Fatalf("%d holidays not sorted: %v", y, hs)
			}
			for _, h := range hs {
				if h.Date.Year != y {
					t.Fatalf("holiday %v listed under %d", h, y)
				}
			}
			a := d(y, jan, 1)
			e := c.AddWorkingDays(a, 30)
			if c.Between(a, e) != 30 {
				t.Fatalf("round trip failed for %d", y)
			}
		}
	})
}

func benchSpans(n int) [][2]Date {
	r := rand.New(rand.NewPCG(7, 8))
	spans := make([][2]Date, n)
	for i := range spans {
		a := randomDate(r, 2015, 2030)
		spans[i] = [2]Date{a, a.AddDays(r.IntN(91))}
	}
	return spans
}

// BenchmarkBetween measures spans of 0-90 days, the shape of real SLA
// queries; the target is a million calls a second.
func BenchmarkBetween(b *testing.B) {
	c := EnglandAndWales()
	spans := benchSpans(4096)
	i := 0
	for b.Loop() {
		s := spans[i&4095]
		c.Between(s[0], s[1])
		i++
	}
}

func BenchmarkBetweenParallel(b *testing.B) {
	c := EnglandAndWales()
	spans := benchSpans(4096)
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			s := spans[i&4095]
			c.Between(s[0], s[1])
			i++
		}
	})
}

func BenchmarkElapsed(b *testing.B) {
	c := EnglandAndWales()
	spans := benchSpans(4096)
	type input struct {
		start, end time.Time
		pauses     []Interval
	}
	in := make([]input, len(spans))
	for i, s := range spans {
		st := s[0].Time(time.UTC).Add(10 * time.Hour)
		en := s[1].Time(time.UTC).Add(15 * time.Hour)
		in[i] = input{st, en, []Interval{
			{st.Add(50 * time.Hour), st.Add(120 * time.Hour)},
			{st.Add(100 * time.Hour), st.Add(300 * time.Hour)},
			{en.Add(-30 * time.Hour), time.Time{}},
		}}
	}
	i := 0
	for b.Loop() {
		x := in[i&4095]
		c.Elapsed(x.start, x.end, x.pauses)
		i++
	}
}
