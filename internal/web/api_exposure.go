package web

import (
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

// exposureRoutes are the exposure engine's endpoints.
func (s *Server) exposureRoutes() {
	s.handle("GET /api/v1/exposure", s.apiExposure)
	s.handle("GET /api/v1/exposure/rules", s.api(s.apiExposureRules))
	s.handle("POST /api/v1/exposure/rules", s.api(s.apiProposeExposureRules))
	s.handle("POST /api/v1/exposure/rules/{version}/approve", s.api(s.apiApproveExposureRules))
}

// exposureQuery reads an exposure query from URL parameters; a bad value
// is an invalid error naming the parameter.
func exposureQuery(q map[string][]string) (exportctl.ExposureQuery, error) {
	get := func(k string) string {
		if v := q[k]; len(v) > 0 {
			return strings.TrimSpace(v[0])
		}
		return ""
	}
	eq := exportctl.ExposureQuery{Destination: get("destination"), EndUser: get("end_user"), LicenceRef: get("licence_reference"),
		Since: get("since"), Until: get("until")}
	var errs exportctl.Errors
	for _, p := range []struct {
		name string
		into *int64
	}{{"licence_id", &eq.LicenceID}, {"incident_id", &eq.IncidentID}} {
		if v := get(p.name); v != "" {
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n <= 0 {
				errs = append(errs, exportctl.Invalid(p.name, "must be an id"))
			}
			*p.into = n
		}
	}
	if v := get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			errs = append(errs, exportctl.Invalid("limit", "must be a whole number from 1 to %d", exportctl.ExposureMaxLimit))
		}
		eq.Limit = n
	}
	box, err := exportctl.ParseBBox("bbox", get("bbox"))
	if e, ok := err.(*exportctl.Error); ok {
		errs = append(errs, e)
	}
	eq.BBox = box
	if len(errs) > 0 {
		return eq, errs.Err()
	}
	return eq, eq.Validate()
}

// apiExposure answers JSON, or CSV of the links with format=csv or
// Accept: text/csv.
func (s *Server) apiExposure(w http.ResponseWriter, r *http.Request) {
	a, ok := actor(r)
	if !ok {
		w.Header().Set("WWW-Authenticate", `Bearer realm="exportctl"`)
		writeProblem(w, r, exportctl.Unauthorized("send Authorization: Bearer <token>"))
		return
	}
	format := r.URL.Query().Get("format")
	switch {
	case format == "" && strings.Contains(r.Header.Get("Accept"), "text/csv"):
		format = "csv"
	case format == "":
		format = "json"
	case format != "json" && format != "csv":
		writeProblem(w, r, exportctl.Invalid("format", "must be json or csv"))
		return
	}
	q, err := exposureQuery(r.URL.Query())
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	res, err := s.svc.Exposure(r.Context(), a, q)
	if err != nil {
		if exportctl.ErrorCode(err) == exportctl.EInternal {
			s.log.Error("internal error", "method", r.Method, "route", r.Pattern, "err", err)
		}
		writeProblem(w, r, err)
		return
	}
	if format == "csv" {
		w.Header().Set("Content-Type", "text/csv; charset=utf-8")
		w.Header().Set("Content-Disposition", `attachment; filename="exposure.csv"`)
		if err := exportctl.WriteExposureCSV(w, res); err != nil {
			s.log.Warn("exposure csv", "err", err)
		}
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (s *Server) apiExposureRules(r *http.Request, a exportctl.Actor) (int, any, error) {
	sets, err := s.svc.ExposureRuleSets(r.Context(), a)
	return http.StatusOK, listOf(sets), err
}

func (s *Server) apiProposeExposureRules(r *http.Request, a exportctl.Actor) (int, any, error) {
	data, err := io.ReadAll(r.Body)
	if err != nil {
		return 0, nil, exportctl.Invalid("body", "the request body could not be read: %v", err)
	}
	rs, err := s.svc.ProposeExposureRules(r.Context(), a, data)
	return http.StatusCreated, rs, err
}

func (s *Server) apiApproveExposureRules(r *http.Request, a exportctl.Actor) (int, any, error) {
	v, err := strconv.Atoi(r.PathValue("version"))
	if err != nil || v <= 0 {
		return 0, nil, exportctl.NotFound("exposure rule set", r.PathValue("version"))
	}
	rs, err := s.svc.ApproveExposureRules(r.Context(), a, v)
	return http.StatusOK, rs, err
}
