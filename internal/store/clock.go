package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London without the system's zone database

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/workdays"
)

// Service clocks (DOMAIN.md section 2, "Service standards").
//
// A case's clock is derived from its case_transitions, never stored:
//   - it starts at the first submit;
//   - it pauses from each transition into applicant_editing (the case is
//     returned to the exporter with a query) until the next transition out
//     of that state (resubmission, or withdrawal);
//   - it stops at the first decide or at a withdraw.
//
// The clock measures the first decision only: an appeal (finalised ->
// under_appeal) and the decision on it do not start a new clock or extend
// the old one, because the published targets concern the initial decision.
//
// Working days are counted by the workdays package (its counting
// convention: the day of submission is not charged, the day of decision
// is), on dates in Europe/London, which is the zone of the UK calendars.

// defaultCalendar is the calendar of a store nobody configured.
var defaultCalendar = workdays.EnglandAndWales()

// london is the zone in which timestamps become calendar dates.
var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic("store: Europe/London time zone: " + err.Error())
	}
	return loc
}()

// SetCalendar sets the working-day calendar of the service clocks; nil
// restores the default, England and Wales. Timestamps are turned into
// dates in Europe/London whatever the calendar.
func (s *Store) SetCalendar(c *workdays.Calendar) { s.calendar = c }

// Calendar returns the working-day calendar of the service clocks.
func (s *Store) Calendar() *workdays.Calendar {
	if s.calendar != nil {
		return s.calendar
	}
	return defaultCalendar
}

// caseEvent is one row of case_transitions.
type caseEvent struct {
	from, action, to, note string
	at                     time.Time
}

// clockRun is what the transitions say about a case's clock.
type clockRun struct {
	submitted *time.Time
	stopped   *time.Time
	decided   bool // stopped by a decision (otherwise by withdrawal)
	pauses    []exportctl.Pause
	paused    bool // the last pause is still open
}

// runClock replays a case's transitions, oldest first.
func runClock(events []caseEvent) clockRun {
	var r clockRun
	for _, e := range events {
		if r.submitted == nil {
			if e.action != exportctl.ActSubmit {
				continue
			}
			r.submitted = &e.at
		}
		if r.paused && e.from == exportctl.StatusApplicantEditing {
			r.pauses[len(r.pauses)-1].To = &e.at
			r.paused = false
		}
		switch {
		case e.action == exportctl.ActDecide:
			r.stopped, r.decided = &e.at, true
			return r
		case e.action == exportctl.ActWithdraw:
			r.stopped = &e.at
			return r
		case e.to == exportctl.StatusApplicantEditing && !r.paused:
			r.pauses = append(r.pauses, exportctl.Pause{From: &e.at, Reason: e.note})
			r.paused = true
		}
	}
	return r
}

// workingDays counts the working days charged to the clock up to its stop,
// or up to now while it has not stopped.
func (r *clockRun) workingDays(cal *workdays.Calendar, now time.Time) int {
	if r.submitted == nil {
		return 0
	}
	end := now
	if r.stopped != nil {
		end = *r.stopped
	}
	var pauses []workdays.Interval
	for _, p := range r.pauses {
		iv := workdays.Interval{From: p.From.In(london)}
		if p.To != nil {
			iv.To = p.To.In(london)
		}
		pauses = append(pauses, iv)
	}
	return cal.Elapsed(r.submitted.In(london), end.In(london), pauses)
}

// clock builds the domain view of a run.
func (r *clockRun) clock(cal *workdays.Calendar, now time.Time) *exportctl.ServiceClock {
	c := &exportctl.ServiceClock{
		SubmittedAt: r.submitted,
		StoppedAt:   r.stopped,
		Pauses:      r.pauses,
		Calendar:    cal.Name(),
		WorkingDays: r.workingDays(cal, now),
	}
	if c.Pauses == nil {
		c.Pauses = []exportctl.Pause{}
	}
	switch {
	case r.submitted == nil:
		c.State = exportctl.ClockNotStarted
	case r.stopped != nil && r.decided:
		c.State, c.DecidedAt = exportctl.ClockDecided, r.stopped
	case r.stopped != nil:
		c.State = exportctl.ClockWithdrawn
	case r.paused:
		c.State, c.Paused = exportctl.ClockPaused, true
	default:
		c.State, c.Running = exportctl.ClockRunning, true
	}
	c.DaysTo20 = exportctl.Target20Days - c.WorkingDays
	c.DaysTo60 = exportctl.Target60Days - c.WorkingDays
	c.Target20Met = targetMet(c.WorkingDays, exportctl.Target20Days, c.State == exportctl.ClockDecided)
	c.Target60Met = targetMet(c.WorkingDays, exportctl.Target60Days, c.State == exportctl.ClockDecided)
	return c
}

// targetMet: true when decided within the target, false once it is
// missed, nil while undecided and still within it.
func targetMet(days, target int, decided bool) *bool {
	switch {
	case days > target:
		v := false
		return &v
	case decided:
		v := true
		return &v
	}
	return nil
}

// Clock returns the service clock of an application the actor may see.
func (s *Store) Clock(ctx context.Context, a exportctl.Actor, appID int64) (*exportctl.ServiceClock, error) {
	const op = "application.clock"
	app, err := s.Application(ctx, a, appID)
	if err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT from_status, action, to_status, note, at
		FROM case_transitions WHERE application_id = $1 ORDER BY id`, appID)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	defer rows.Close()
	var events []caseEvent
	for rows.Next() {
		var e caseEvent
		var at string
		if err := rows.Scan(&e.from, &e.action, &e.to, &e.note, &at); err != nil {
			return nil, exportctl.Internal(op, err)
		}
		e.at = parseTS(at)
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, exportctl.Internal(op, err)
	}
	run := runClock(events)
	c := run.clock(s.Calendar(), s.now())
	c.ApplicationID, c.Reference = app.ID, app.Reference
	return c, nil
}

// Performance reports, per calendar quarter, the share of cases decided
// within the 20- and 60-working-day targets. It counts every application
// whose first decision falls in [from, to), in the quarter of the decision
// date (in Europe/London); quarters without decisions are left out.
// licenceType "" means every type. A zero from or to means the default
// window: the current quarter and the seven before it, by the store's
// clock. Internal roles only: exporters get forbidden.
func (s *Store) Performance(ctx context.Context, a exportctl.Actor, licenceType string, from, to time.Time) ([]exportctl.QuarterPerformance, error) {
	const op = "performance.quarters"
	if a.Role == "" {
		return nil, exportctl.Unauthorized("sign in first")
	}
	if !a.Role.Internal() {
		return nil, &exportctl.Error{Code: exportctl.EForbidden, Op: op, Message: "processing-time performance is for licensing staff"}
	}
	licenceType = strings.ToUpper(strings.TrimSpace(licenceType))
	if _, ok := exportctl.LicenceTypes[licenceType]; licenceType != "" && !ok {
		return nil, exportctl.Invalid("licence_type", "must be one of %s", strings.Join(exportctl.LicenceTypeCodes, ", "))
	}
	from, to = performanceWindow(s.now(), from, to)
	if !to.After(from) {
		return nil, exportctl.Invalid("to", "must be after from")
	}
	out, err := s.performance(ctx, licenceType, from, to)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	return out, nil
}

// performance computes the quarters of Performance, for any caller.
func (s *Store) performance(ctx context.Context, licenceType string, from, to time.Time) ([]exportctl.QuarterPerformance, error) {

	q := `SELECT t.application_id, t.from_status, t.action, t.to_status, t.note, t.at
		FROM case_transitions t
		WHERE t.application_id IN (SELECT d.application_id FROM case_transitions d JOIN applications a ON a.id = d.application_id
			WHERE d.action = $1 AND d.at >= $2 AND d.at < $3`
	args := []any{exportctl.ActDecide, ts(from), ts(to)}
	if licenceType != "" {
		q += ` AND a.licence_type = $4`
		args = append(args, licenceType)
	}
	q += `) ORDER BY t.application_id, t.id`
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	type quarter struct {
		key  int // year*4 + quarter-1, for sorting
		days []int
	}
	quarters := map[int]*quarter{}
	cal := s.Calendar()
	var events []caseEvent
	flush := func() {
		run := runClock(events)
		events = events[:0]
		if !run.decided || run.stopped.Before(from) || !run.stopped.Before(to) {
			return // the first decision is outside the window
		}
		d := run.stopped.In(london)
		key := d.Year()*4 + (int(d.Month())-1)/3
		qt := quarters[key]
		if qt == nil {
			qt = &quarter{key: key}
			quarters[key] = qt
		}
		qt.days = append(qt.days, run.workingDays(cal, *run.stopped))
	}
	var current int64
	for rows.Next() {
		var id int64
		var e caseEvent
		var at string
		if err := rows.Scan(&id, &e.from, &e.action, &e.to, &e.note, &at); err != nil {
			return nil, err
		}
		e.at = parseTS(at)
		if id != current && len(events) > 0 {
			flush()
		}
		current = id
		events = append(events, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(events) > 0 {
		flush()
	}

	out := make([]exportctl.QuarterPerformance, 0, len(quarters))
	for _, qt := range quarters {
		p := exportctl.QuarterPerformance{
			Quarter: fmt.Sprintf("%d Q%d", qt.key/4, qt.key%4+1),
			Decided: len(qt.days),
		}
		for _, n := range qt.days {
			if n <= exportctl.Target20Days {
				p.Within20++
			}
			if n <= exportctl.Target60Days {
				p.Within60++
			}
		}
		p.Share20 = float64(p.Within20) / float64(p.Decided)
		p.Share60 = float64(p.Within60) / float64(p.Decided)
		p.MedianDays = median(qt.days)
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b exportctl.QuarterPerformance) int { return strings.Compare(a.Quarter, b.Quarter) })
	return out, nil
}

// performanceWindow fills in a zero from or to: from defaults to the start
// of the quarter seven quarters before now's, to to the start of the
// quarter after now's, so the window holds eight quarters (the current one
// partly). Quarters start at midnight in Europe/London.
func performanceWindow(now, from, to time.Time) (time.Time, time.Time) {
	n := now.In(london)
	start := time.Date(n.Year(), n.Month()-(n.Month()-1)%3, 1, 0, 0, 0, 0, london)
	if from.IsZero() {
		from = start.AddDate(0, -21, 0)
	}
	if to.IsZero() {
		to = start.AddDate(0, 3, 0)
	}
	return from, to
}

// median of a non-empty list of working days (sorts it).
func median(days []int) float64 {
	slices.Sort(days)
	m := len(days) / 2
	if len(days)%2 == 1 {
		return float64(days[m])
	}
	return float64(days[m-1]+days[m]) / 2
}
