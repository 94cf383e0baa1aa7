package web

import (
	"fmt"
	"math"
	"net/http"

	"github.com/exportctl/exportctl"
)

func (s *Server) performancePageRoutes() {
	s.handle("GET /performance", s.performancePage)
}

// performanceView is the data of templates/performance.html.
type performanceView struct {
	Query        performanceQuery
	LicenceTypes []option
	Report       *performanceReport // nil when the query was invalid
	Rows         []performanceRow
	// Chart feeds static/performance.js through a JSON data block;
	// html/template marshals it and escapes "<" so it cannot end the
	// script element.
	Chart       performanceChart
	Target20Pct string // "70%"
	Target60Pct string // "99%"
}

// performanceRow is a quarter as the table shows it.
type performanceRow struct {
	exportctl.QuarterPerformance
	Share20Pct, Share60Pct string
	Met20, Met60           bool
	Median                 string
}

// performanceChart is what the chart draws: shares in percent.
type performanceChart struct {
	Labels   []string  `json:"labels"`
	Decided  []int     `json:"decided"`
	Share20  []float64 `json:"share_20"`
	Share60  []float64 `json:"share_60"`
	Target20 float64   `json:"target_20"`
	Target60 float64   `json:"target_60"`
	Days20   int       `json:"days_20"`
	Days60   int       `json:"days_60"`
}

func percent(share float64) string {
	p := fmt.Sprintf("%.1f", share*100)
	if len(p) > 2 && p[len(p)-2:] == ".0" {
		p = p[:len(p)-2]
	}
	return p + "%"
}

func (s *Server) performancePage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	if !a.Role.Internal() {
		s.pageError(w, r, exportctl.Forbidden("processing-time performance is for licensing staff"))
		return
	}
	v := performanceView{
		LicenceTypes: []option{{"", "All licence types", ""}},
		Target20Pct:  percent(exportctl.Target20Share),
		Target60Pct:  percent(exportctl.Target60Share),
	}
	for _, code := range exportctl.LicenceTypeCodes {
		v.LicenceTypes = append(v.LicenceTypes, option{code, code + ": " + exportctl.LicenceTypes[code], ""})
	}
	rep, pq, err := s.performance(r, a)
	v.Query = pq
	if err != nil {
		if errs, ok := formErrors(err); ok {
			s.render(w, r, http.StatusUnprocessableEntity, "performance", pageData{Title: "Service performance", Errors: errs, Data: v})
			return
		}
		s.pageError(w, r, err)
		return
	}
	v.Report = rep
	v.Chart = performanceChart{Labels: []string{}, Decided: []int{}, Share20: []float64{}, Share60: []float64{},
		Target20: exportctl.Target20Share * 100, Target60: exportctl.Target60Share * 100,
		Days20: exportctl.Target20Days, Days60: exportctl.Target60Days}
	for _, q := range rep.Quarters {
		v.Rows = append(v.Rows, performanceRow{QuarterPerformance: q,
			Share20Pct: percent(q.Share20), Share60Pct: percent(q.Share60),
			Met20: q.Share20 >= exportctl.Target20Share, Met60: q.Share60 >= exportctl.Target60Share,
			Median: fmt.Sprintf("%.1f", q.MedianDays)})
		v.Chart.Labels = append(v.Chart.Labels, q.Quarter)
		v.Chart.Decided = append(v.Chart.Decided, q.Decided)
		v.Chart.Share20 = append(v.Chart.Share20, roundTo(q.Share20*100, 1))
		v.Chart.Share60 = append(v.Chart.Share60, roundTo(q.Share60*100, 1))
	}
	s.render(w, r, http.StatusOK, "performance", pageData{Title: "Service performance", Data: v})
}

func roundTo(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// Window describes the period of a performance query for people.
func (q performanceQuery) Window() string {
	switch {
	case q.From == "" && q.To == "":
		return "the current quarter and the seven before it"
	case q.To == "":
		return "from " + q.from.Format("2 January 2006")
	case q.From == "":
		return "up to " + q.to.AddDate(0, 0, -1).Format("2 January 2006")
	}
	return q.from.Format("2 January 2006") + " to " + q.to.AddDate(0, 0, -1).Format("2 January 2006")
}
