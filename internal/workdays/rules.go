package workdays

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// Built-in calendar names, as accepted by Named and by "base" in Parse.
const (
	NameEnglandAndWales = "england-and-wales"
	NameScotland        = "scotland"
	NameNorthernIreland = "northern-ireland"
)

// Names returns the names of the built-in calendars.
func Names() []string {
	return []string{NameEnglandAndWales, NameScotland, NameNorthernIreland}
}

// Named returns the built-in calendar with the given name. Lookup ignores
// case and surrounding space so configuration files are forgiving.
func Named(name string) (*Calendar, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case NameEnglandAndWales:
		return EnglandAndWales(), nil
	case NameScotland:
		return Scotland(), nil
	case NameNorthernIreland:
		return NorthernIreland(), nil
	}
	return nil, fmt.Errorf("unknown calendar %q (want one of %s)", name, strings.Join(Names(), ", "))
}

// The built-ins are built once and shared: a Calendar is immutable, and
// sharing means every caller benefits from one warm per-year cache.
var (
	englandAndWales = sync.OnceValue(func() *Calendar {
		return withUKChanges(newCalendar(NameEnglandAndWales, englandAndWalesRules))
	})
	scotland = sync.OnceValue(func() *Calendar {
		return withUKChanges(newCalendar(NameScotland, scotlandRules))
	})
	northernIreland = sync.OnceValue(func() *Calendar {
		return withUKChanges(newCalendar(NameNorthernIreland, northernIrelandRules))
	})
)

// EnglandAndWales returns the bank holidays of England and Wales, exact
// for 1971 (the Banking and Financial Dealings Act) onwards, including the
// moved and one-off holidays; before 1971 it has weekends only. New Year's
// Day is a holiday from 1974 and the early May bank holiday from 1978, as
// enacted.
func EnglandAndWales() *Calendar { return englandAndWales() }

// Scotland returns the Scottish bank holidays: 2 January, the first rather
// than last Monday in August, St Andrew's Day, and no Easter Monday. The
// rules are the current ones and are checked for 2020-2030; earlier years
// are the current rules projected back, which differs from the historic
// Scottish holidays.
func Scotland() *Calendar { return scotland() }

// NorthernIreland returns the Northern Ireland bank holidays: those of
// England and Wales plus St Patrick's Day and the Battle of the Boyne. It is
// checked for 2020-2030.
func NorthernIreland() *Calendar { return northernIreland() }

// ukChanges are the moved and one-off holidays proclaimed for the whole UK.
// A move is a removal of the rule-generated day plus an addition, so the
// rules themselves stay simple and the exceptions stay auditable here.
var ukChanges = []struct {
	remove Date // zero: a one-off with nothing moved
	add    Holiday
}{
	{NewDate(1977, time.May, 30), Holiday{NewDate(1977, time.June, 6), "Spring bank holiday"}},
	{Date{}, Holiday{NewDate(1977, time.June, 7), "Silver Jubilee of Elizabeth II"}},
	{Date{}, Holiday{NewDate(1981, time.July, 29), "Wedding of Prince Charles and Lady Diana Spencer"}},
	{NewDate(1995, time.May, 1), Holiday{NewDate(1995, time.May, 8), "Early May bank holiday (VE day)"}},
	{Date{}, Holiday{NewDate(1999, time.December, 31), "Millennium celebrations"}},
	{NewDate(2002, time.May, 27), Holiday{NewDate(2002, time.June, 3), "Spring bank holiday"}},
	{Date{}, Holiday{NewDate(2002, time.June, 4), "Golden Jubilee of Elizabeth II"}},
	{Date{}, Holiday{NewDate(2011, time.April, 29), "Wedding of Prince William and Catherine Middleton"}},
	{NewDate(2012, time.May, 28), Holiday{NewDate(2012, time.June, 4), "Spring bank holiday"}},
	{Date{}, Holiday{NewDate(2012, time.June, 5), "Diamond Jubilee of Elizabeth II"}},
	{NewDate(2020, time.May, 4), Holiday{NewDate(2020, time.May, 8), "Early May bank holiday (VE day)"}},
	{NewDate(2022, time.May, 30), Holiday{NewDate(2022, time.June, 2), "Spring bank holiday"}},
	{Date{}, Holiday{NewDate(2022, time.June, 3), "Platinum Jubilee bank holiday"}},
	{Date{}, Holiday{NewDate(2022, time.September, 19), "Bank holiday for the State Funeral of Queen Elizabeth II"}},
	{Date{}, Holiday{NewDate(2023, time.May, 8), "Bank holiday for the coronation of King Charles III"}},
}

func withUKChanges(c *Calendar) *Calendar {
	for _, ch := range ukChanges {
		if ch.remove != (Date{}) {
			c.removed[ch.remove] = "moved to " + ch.add.Date.String()
		}
		c.add(ch.add)
	}
	return c
}

func englandAndWalesRules(y int) []Holiday {
	if y < 1971 {
		return nil
	}
	hs := make([]Holiday, 0, 8)
	if y >= 1974 {
		hs = append(hs, mondayIfWeekend(NewDate(y, time.January, 1), "New Year's Day"))
	}
	hs = append(hs, easter(y, true)...)
	if y >= 1978 {
		hs = append(hs, Holiday{firstMonday(y, time.May), "Early May bank holiday"})
	}
	hs = append(hs,
		Holiday{lastMonday(y, time.May), "Spring bank holiday"},
		Holiday{lastMonday(y, time.August), "Summer bank holiday"},
	)
	return append(hs, christmas(y)...)
}

func scotlandRules(y int) []Holiday {
	if y < 1971 {
		return nil
	}
	hs := make([]Holiday, 0, 10)
	hs = append(hs, scottishNewYear(y)...)
	hs = append(hs, easter(y, false)...)
	if y >= 1978 {
		hs = append(hs, Holiday{firstMonday(y, time.May), "Early May bank holiday"})
	}
	hs = append(hs,
		Holiday{lastMonday(y, time.May), "Spring bank holiday"},
		Holiday{firstMonday(y, time.August), "Summer bank holiday"},
	)
	if y >= 2007 { // St Andrew's Day Bank Holiday (Scotland) Act 2007
		hs = append(hs, mondayIfWeekend(NewDate(y, time.November, 30), "St Andrew's Day"))
	}
	return append(hs, christmas(y)...)
}

func northernIrelandRules(y int) []Holiday {
	hs := englandAndWalesRules(y)
	if hs == nil {
		return nil
	}
	return append(hs,
		mondayIfWeekend(NewDate(y, time.March, 17), "St Patrick's Day"),
		mondayIfWeekend(NewDate(y, time.July, 12), "Battle of the Boyne (Orangemen's Day)"),
	)
}

// Easter returns Easter Sunday in the Gregorian calendar (valid from 1583),
// by the anonymous Gregorian ("Meeus/Jones/Butcher") algorithm.
func Easter(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(year, time.Month(month), day)
}

func easter(y int, monday bool) []Holiday {
	e := Easter(y)
	hs := []Holiday{{e.AddDays(-2), "Good Friday"}}
	if monday {
		hs = append(hs, Holiday{e.AddDays(1), "Easter Monday"})
	}
	return hs
}

// christmas applies the substitute-day rules for Christmas and Boxing Day,
// which interlock (a Saturday Christmas pushes Boxing Day to Tuesday), so
// they are decided together rather than one at a time.
func christmas(y int) []Holiday {
	const xmas, boxing, sub = "Christmas Day", "Boxing Day", " (substitute day)"
	day := func(d int, name string) Holiday { return Holiday{NewDate(y, time.December, d), name} }
	switch NewDate(y, time.December, 25).Weekday() {
	case time.Friday:
		return []Holiday{day(25, xmas), day(28, boxing+sub)}
	case time.Saturday:
		return []Holiday{day(27, xmas+sub), day(28, boxing+sub)}
	case time.Sunday:
		return []Holiday{day(26, boxing), day(27, xmas+sub)}
	}
	return []Holiday{day(25, xmas), day(26, boxing)}
}

// scottishNewYear is the Scottish pair of 1 and 2 January, which interlock
// like Christmas and Boxing Day.
func scottishNewYear(y int) []Holiday {
	const ny, second, sub = "New Year's Day", "2nd January", " (substitute day)"
	day := func(d int, name string) Holiday { return Holiday{NewDate(y, time.January, d), name} }
	switch NewDate(y, time.January, 1).Weekday() {
	case time.Friday:
		return []Holiday{day(1, ny), day(4, second+sub)}
	case time.Saturday:
		return []Holiday{day(3, ny+sub), day(4, second+sub)}
	case time.Sunday:
		return []Holiday{day(2, ny+sub), day(3, second+sub)}
	}
	return []Holiday{day(1, ny), day(2, second)}
}

func mondayIfWeekend(d Date, name string) Holiday {
	switch d.Weekday() {
	case time.Saturday:
		return Holiday{d.AddDays(2), name + " (substitute day)"}
	case time.Sunday:
		return Holiday{d.AddDays(1), name + " (substitute day)"}
	}
	return Holiday{d, name}
}

func firstMonday(y int, m time.Month) Date {
	d := NewDate(y, m, 1)
	return d.AddDays(int(time.Monday-d.Weekday()+7) % 7)
}

func lastMonday(y int, m time.Month) Date {
	d := NewDate(y, m+1, 0) // last day of m
	return d.AddDays(-(int(d.Weekday()-time.Monday+7) % 7))
}
