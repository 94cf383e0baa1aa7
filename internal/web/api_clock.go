package web

import (
	"net/http"
	"strings"
	"time"
	_ "time/tzdata" // Europe/London without the system's zone database

	"github.com/exportctl/exportctl"
)

func (s *Server) clockRoutes() {
	s.handle("GET /api/v1/applications/{id}/clock", s.api(byID(http.StatusOK, s.svc.Clock)))
	s.handle("GET /api/v1/performance", s.api(s.apiPerformance))
}

// performanceReport is the answer of GET /api/v1/performance and the data
// behind the performance page and its chart.
type performanceReport struct {
	LicenceType   string                         `json:"licence_type"` // "" for all types
	From          string                         `json:"from,omitempty"`
	To            string                         `json:"to,omitempty"` // exclusive
	Target20Days  int                            `json:"target_20_days"`
	Target60Days  int                            `json:"target_60_days"`
	Target20Share float64                        `json:"target_20_share"`
	Target60Share float64                        `json:"target_60_share"`
	Quarters      []exportctl.QuarterPerformance `json:"quarters"`
}

// performanceQuery reads licence_type, from and to (dates, to exclusive).
type performanceQuery struct {
	LicenceType string
	From, To    string // as given, for forms
	from, to    time.Time
}

// ukZone is where the dates of the performance query start and end.
var ukZone = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		return time.UTC
	}
	return loc
}()

func parsePerformanceQuery(r *http.Request) (performanceQuery, error) {
	q := r.URL.Query()
	pq := performanceQuery{
		LicenceType: strings.ToUpper(strings.TrimSpace(q.Get("licence_type"))),
		From:        strings.TrimSpace(q.Get("from")),
		To:          strings.TrimSpace(q.Get("to")),
	}
	var errs exportctl.Errors
	if _, ok := exportctl.LicenceTypes[pq.LicenceType]; pq.LicenceType != "" && !ok {
		errs = append(errs, exportctl.Invalid("licence_type", "must be one of %s", strings.Join(exportctl.LicenceTypeCodes, ", ")))
	}
	date := func(field, v string) time.Time {
		if v == "" {
			return time.Time{}
		}
		t, err := time.ParseInLocation(time.DateOnly, v, ukZone)
		if err != nil {
			errs = append(errs, exportctl.Invalid(field, "must be a date as YYYY-MM-DD"))
		}
		return t
	}
	pq.from, pq.to = date("from", pq.From), date("to", pq.To)
	if len(errs) == 0 && !pq.from.IsZero() && !pq.to.IsZero() && !pq.to.After(pq.from) {
		errs = append(errs, exportctl.Invalid("to", "must be after from"))
	}
	return pq, errs.Err()
}

func (s *Server) performance(r *http.Request, a exportctl.Actor) (*performanceReport, performanceQuery, error) {
	pq, err := parsePerformanceQuery(r)
	if err != nil {
		return nil, pq, err
	}
	qs, err := s.svc.Performance(r.Context(), a, pq.LicenceType, pq.from, pq.to)
	if err != nil {
		return nil, pq, err
	}
	if qs == nil {
		qs = []exportctl.QuarterPerformance{}
	}
	return &performanceReport{LicenceType: pq.LicenceType, From: pq.From, To: pq.To,
		Target20Days: exportctl.Target20Days, Target60Days: exportctl.Target60Days,
		Target20Share: exportctl.Target20Share, Target60Share: exportctl.Target60Share, Quarters: qs}, pq, nil
}

func (s *Server) apiPerformance(r *http.Request, a exportctl.Actor) (int, any, error) {
	rep, _, err := s.performance(r, a)
	return http.StatusOK, rep, err
}
