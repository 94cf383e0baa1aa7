package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

var _ exportctl.Evidence = (*Store)(nil)

// Who may read the register: every internal role and the system read all
// of it; the public (an Actor without a role) reads publishable incidents
// only; exporters are forbidden. Redaction applies to everyone.
func incidentReader(a exportctl.Actor, op string) (publicOnly bool, err error) {
	switch a.Role {
	case "":
		return true, nil
	case exportctl.RoleExporter:
		return false, &exportctl.Error{Code: exportctl.EForbidden, Op: op, Message: "exporters may not read the evidence register"}
	}
	return false, nil
}

// requireIncidentWriter admits analysts (and the system, for seeding and tools).
func requireIncidentWriter(a exportctl.Actor, op string) error {
	return a.Require(op, exportctl.RoleAnalyst, "system")
}

const incidentColumns = `i.id, i.source, i.source_id, i.start_date, i.end_date, i.date_precision, i.country, i.admin1, i.admin2, i.admin3,
	i.place, i.latitude, i.longitude, i.geo_precision, i.redacted, i.event_type, i.sub_event_type, i.target, i.damage, i.aid_access,
	i.killed, i.injured, i.kidnapped, i.detained, i.health_workers, i.aid_workers, i.children, i.journalists,
	i.verification, i.narrative, i.publishable, COALESCE(i.group_id, 0), i.actors, i.weapons, i.classifications,
	COALESCE((SELECT o.original FROM incident_originals o WHERE o.incident_id = i.id), ''),
	i.created_at`

// scanIncident reads a row of incidentColumns. The caller redacts.
func scanIncident(row interface{ Scan(...any) error }) (*exportctl.Incident, error) {
	var inc exportctl.Incident
	var src, srcID, actors, weapons, classifications, original, created string
	var lat, lon sql.NullFloat64
	var redacted, publishable int
	h := &inc.Harm
	err := row.Scan(&inc.ID, &src, &srcID, &inc.StartDate, &inc.EndDate, &inc.DatePrecision, &inc.Country, &inc.Admin1, &inc.Admin2, &inc.Admin3,
		&inc.Place, &lat, &lon, &inc.GeoPrecision, &redacted, &inc.EventType, &inc.SubEventType, &inc.Target, &inc.Damage, &inc.AidAccess,
		&h.Killed, &h.Injured, &h.Kidnapped, &h.Detained, &h.HealthWorkers, &h.AidWorkers, &h.Children, &h.Journalists,
		&inc.Verification, &inc.Narrative, &publishable, &inc.GroupID, &actors, &weapons, &classifications, &original, &created)
	if err != nil {
		return nil, err
	}
	if lat.Valid && lon.Valid {
		inc.Latitude, inc.Longitude = &lat.Float64, &lon.Float64
	}
	inc.Redacted, inc.Publishable = redacted == 1, publishable == 1
	inc.Sources = []exportctl.SourceID{{Source: src, ID: srcID}}
	for _, part := range []struct {
		text string
		into any
	}{{actors, &inc.Actors}, {weapons, &inc.Weapons}, {classifications, &inc.Classifications}} {
		if err := json.Unmarshal([]byte(part.text), part.into); err != nil {
			return nil, fmt.Errorf("incident %d: %w", inc.ID, err)
		}
	}
	if original != "{}" && original != "" {
		if err := json.Unmarshal([]byte(original), &inc.Original); err != nil {
			return nil, fmt.Errorf("incident %d original: %w", inc.ID, err)
		}
	}
	normalise(&inc)
	inc.CreatedAt = parseTS(created)
	return &inc, nil
}

// loadIncident reads one incident as stored (not redacted), or not_found.
func (s *Store) loadIncident(ctx context.Context, q queryer, id int64) (*exportctl.Incident, error) {
	inc, err := scanIncident(q.QueryRowContext(ctx, `SELECT `+incidentColumns+` FROM incidents i WHERE i.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, exportctl.NotFound("incident", id)
	}
	if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT source, source_id FROM incident_sources WHERE incident_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var srcs []exportctl.SourceID
	for rows.Next() {
		var sid exportctl.SourceID
		if err := rows.Scan(&sid.Source, &sid.ID); err != nil {
			return nil, err
		}
		srcs = append(srcs, sid)
	}
	if len(srcs) > 0 {
		inc.Sources = srcs
	}
	return inc, rows.Err()
}

// Incident returns one incident, redacted; the public gets not_found for
// an incident that is not publishable.
func (s *Store) Incident(ctx context.Context, a exportctl.Actor, id int64) (*exportctl.Incident, error) {
	const op = "incident.get"
	publicOnly, err := incidentReader(a, op)
	if err != nil {
		return nil, err
	}
	inc, err := s.loadIncident(ctx, s.read, id)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	if publicOnly && !inc.Publishable {
		return nil, exportctl.NotFound("incident", id)
	}
	inc.Redact()
	return inc, nil
}

// IncidentRecord returns an incident with its verification steps,
// evidence sources (with custody) and versions; the public gets the
// incident alone.
func (s *Store) IncidentRecord(ctx context.Context, a exportctl.Actor, id int64) (*exportctl.IncidentRecord, error) {
	const op = "incident.record"
	inc, err := s.Incident(ctx, a, id)
	if err != nil {
		return nil, err
	}
	rec := &exportctl.IncidentRecord{Incident: *inc, VerificationSteps: []exportctl.VerificationStep{},
		EvidenceSources: []exportctl.EvidenceSource{}, Versions: []exportctl.IncidentVersion{}}
	if a.Role == "" {
		return rec, nil
	}
	if rec.VerificationSteps, err = s.verificationSteps(ctx, id); err != nil {
		return nil, exportctl.Internal(op, err)
	}
	if rec.EvidenceSources, err = s.evidenceSources(ctx, id); err != nil {
		return nil, exportctl.Internal(op, err)
	}
	if rec.Versions, err = s.incidentVersions(ctx, id, false, inc.Redacted); err != nil {
		return nil, exportctl.Internal(op, err)
	}
	return rec, nil
}

// IncidentVersions lists every version of an incident, oldest first, each
// with the incident as it was, redacted. Internal roles.
func (s *Store) IncidentVersions(ctx context.Context, a exportctl.Actor, id int64) ([]exportctl.IncidentVersion, error) {
	const op = "incident.versions"
	if a.Role == "" {
		return nil, exportctl.NotFound("incident", id)
	}
	inc, err := s.Incident(ctx, a, id)
	if err != nil {
		return nil, err
	}
	vs, err := s.incidentVersions(ctx, id, true, inc.Redacted)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	return vs, nil
}

func (s *Store) incidentVersions(ctx context.Context, id int64, withData, redacted bool) ([]exportctl.IncidentVersion, error) {
	cols := `version, source, file, row_hash, imported_at, ''`
	if withData {
		cols = `version, source, file, row_hash, imported_at, data`
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+cols+` FROM incident_versions WHERE incident_id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.IncidentVersion{}
	for rows.Next() {
		var v exportctl.IncidentVersion
		var at, data string
		if err := rows.Scan(&v.Version, &v.Source, &v.File, &v.RowHash, &at, &data); err != nil {
			return nil, err
		}
		v.ImportedAt = parseTS(at)
		if data != "" {
			var inc exportctl.Incident
			if err := json.Unmarshal([]byte(data), &inc); err != nil {
				return nil, fmt.Errorf("incident %d version %d: %w", id, v.Version, err)
			}
			v.Incident = &inc
		}
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	// The current version is the incidents row itself.
	cur, inc, err := s.currentVersion(ctx, s.read, id)
	if err != nil {
		return nil, err
	}
	if withData {
		cur.Incident = inc
	}
	out = append(out, cur)
	for i := range out {
		if inc := out[i].Incident; inc != nil {
			inc.ID, inc.CreatedAt = id, out[i].ImportedAt
			inc.Redacted = inc.Redacted || redacted
			inc.Redact()
		}
	}
	return out, nil
}

// currentVersion describes an incident's current version (its incidents
// row) and returns the incident as stored, unredacted.
func (s *Store) currentVersion(ctx context.Context, q queryer, id int64) (exportctl.IncidentVersion, *exportctl.Incident, error) {
	var v exportctl.IncidentVersion
	var source, at string
	if err := q.QueryRowContext(ctx, `SELECT version, version_source, version_file, source, updated_at FROM incidents WHERE id = $1`, id).
		Scan(&v.Version, &v.Source, &v.File, &source, &at); err != nil {
		return v, nil, err
	}
	if v.Source == "" {
		v.Source = source
	}
	v.ImportedAt = parseTS(at)
	inc, err := s.loadIncident(ctx, q, id)
	if err != nil {
		return v, nil, err
	}
	inc.ID, inc.CreatedAt = 0, time.Time{}
	enc := encodeIncident(inc, nil)
	v.RowHash = enc.hash
	return v, inc, nil
}

// supersedeIncident copies an incident's current version into incident_versions,
// before a change (an import's or an analyst's) replaces it; the change
// then bumps incidents.version.
func (s *Store) supersedeIncident(ctx context.Context, tx *sql.Tx, id int64) error {
	v, inc, err := s.currentVersion(ctx, tx, id)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO incident_versions (incident_id, version, data, row_hash, source, file, imported_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, v.Version, string(encodeIncident(inc, nil).data), v.RowHash, v.Source, v.File, ts(v.ImportedAt))
	return err
}

func (s *Store) verificationSteps(ctx context.Context, id int64) ([]exportctl.VerificationStep, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, incident_id, step, analyst, at, confidence, note, state
		FROM verification_steps WHERE incident_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.VerificationStep{}
	for rows.Next() {
		var v exportctl.VerificationStep
		var at string
		if err := rows.Scan(&v.ID, &v.IncidentID, &v.Step, &v.Analyst, &at, &v.Confidence, &v.Note, &v.State); err != nil {
			return nil, err
		}
		v.At = parseTS(at)
		out = append(out, v)
	}
	return out, rows.Err()
}

func (s *Store) evidenceSources(ctx context.Context, id int64) ([]exportctl.EvidenceSource, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT e.id, e.incident_id, e.publisher, e.url, e.captured_at, e.sha256, e.note, e.created_at,
			c.id, c.at, c.actor, c.action, c.note
		FROM evidence_sources e JOIN custody_events c ON c.evidence_source_id = e.id
		WHERE e.incident_id = $1 ORDER BY e.id, c.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.EvidenceSource{}
	for rows.Next() {
		var e exportctl.EvidenceSource
		var c exportctl.CustodyEvent
		var captured, created, at string
		if err := rows.Scan(&e.ID, &e.IncidentID, &e.Publisher, &e.URL, &captured, &e.SHA256, &e.Note, &created,
			&c.ID, &at, &c.Actor, &c.Action, &c.Note); err != nil {
			return nil, err
		}
		c.EvidenceSourceID, c.At = e.ID, parseTS(at)
		if n := len(out); n == 0 || out[n-1].ID != e.ID {
			e.CapturedAt, e.CreatedAt = parseTS(captured), parseTS(created)
			e.Custody = []exportctl.CustodyEvent{}
			out = append(out, e)
		}
		last := &out[len(out)-1]
		last.Custody = append(last.Custody, c)
	}
	return out, rows.Err()
}

// geoCellsMax bounds the cells a box is looked up by: a larger box covers
// so much of the map that reading the rows is as quick.
const geoCellsMax = 2048

// geoCells lists, as a JSON array, the half-degree cells (the generated
// column geo_cell of migration 00018) that a box [west, south, east,
// north] touches, so that the index narrows on both latitude and
// longitude; ok is false for a box of more than geoCellsMax cells.
func geoCells(box [4]float64) (string, bool) {
	cell := func(deg, offset float64) int { return int(math.Floor((deg + offset) * 2)) }
	lat0, lat1 := cell(box[1], 90), cell(box[3], 90)
	lon0, lon1 := cell(box[0], 180), cell(box[2], 180)
	if (lat1-lat0+1)*(lon1-lon0+1) > geoCellsMax {
		return "", false
	}
	b := []byte{'['}
	for lat := lat0; lat <= lat1; lat++ {
		for lon := lon0; lon <= lon1; lon++ {
			if len(b) > 1 {
				b = append(b, ',')
			}
			b = strconv.AppendInt(b, int64(lat*1000+lon), 10)
		}
	}
	return string(append(b, ']')), true
}

// incidentWhere turns a (validated) filter into conditions. Boxes and
// radii never match a redacted incident.
func (s *Store) incidentWhere(f *exportctl.IncidentFilter, publicOnly bool) where {
	var w where
	raw := func(cond string) { w.conds = append(w.conds, cond) }
	if publicOnly {
		raw("i.publishable = 1")
	}
	if f.Publishable != nil {
		w.add("i.publishable = ?", boolInt(*f.Publishable))
	}
	if f.Country != "" {
		w.add("i.country = ?", f.Country)
	}
	if f.Admin1 != "" {
		w.add("LOWER(i.admin1) = ?", strings.ToLower(f.Admin1))
	}
	if f.From != "" {
		w.add("i.start_date >= ?", f.From)
	}
	if f.To != "" {
		w.add("i.start_date <= ?", f.To)
	}
	box := f.BBox
	if f.Near != nil {
		b := f.Near.BBox()
		if box != nil { // both: the intersection
			b = [4]float64{max(b[0], box[0]), max(b[1], box[1]), min(b[2], box[2]), min(b[3], box[3])}
		}
		box = &b
	}
	if box != nil {
		raw("i.redacted = 0")
		if cells, ok := geoCells(*box); ok {
			w.add(s.dialect.inJSONInts("i.geo_cell"), cells)
		}
		w.add("i.latitude >= ?", box[1])
		w.add("i.latitude <= ?", box[3])
		w.add("i.longitude >= ?", box[0])
		w.add("i.longitude <= ?", box[2])
	}
	if f.Actor != "" {
		w.add(`(LOWER(i.perpetrator) LIKE ? ESCAPE '\' OR LOWER(i.perpetrator_force) LIKE ? ESCAPE '\')`, likePattern(f.Actor))
	}
	switch f.Launch {
	case "":
	case "air":
		raw("i.launch IN ('air_plane', 'air_drone', 'air_helicopter', 'air_unknown')")
	default:
		w.add("i.launch = ?", f.Launch)
	}
	if f.Weapon != "" {
		w.add(`LOWER(i.weapon_text) LIKE ? ESCAPE '\'`, likePattern(f.Weapon))
	}
	if f.Target != "" {
		w.add("i.target = ?", f.Target)
	}
	if f.Classification != "" {
		pattern := "%|" + likeEscaper.Replace(f.Classification)
		if _, ok := exportctl.LegalProvisionByCode(f.Classification); ok {
			pattern += "|"
		}
		w.add(`i.classification_codes LIKE ? ESCAPE '\'`, pattern+"%")
	}
	if f.Verification != "" {
		w.add("i.verification = ?", f.Verification)
	}
	if f.Text != "" {
		if cond, arg, ok := s.dialect.textMatch(f.Text); ok {
			w.add(cond, arg)
		}
	}
	if f.Source != "" {
		w.add("i.source = ?", f.Source)
	}
	if f.SourceID != "" {
		if f.Source != "" {
			n := len(w.args) // the source's placeholder, added just above
			w.add(fmt.Sprintf("i.id IN (SELECT incident_id FROM incident_sources WHERE source = $%d AND source_id = ?)", n), f.SourceID)
		} else {
			w.add("i.id IN (SELECT incident_id FROM incident_sources WHERE source_id = ?)", f.SourceID)
		}
	}
	return w
}

func likePattern(s string) string { return "%" + likeEscaper.Replace(strings.ToLower(s)) + "%" }

// within applies the exact radius, which SQL only approximates with a box.
func within(n *exportctl.Near, lat, lon sql.NullFloat64) bool {
	return n == nil || (lat.Valid && lon.Valid && exportctl.DistanceKM(n.Lat, n.Lon, lat.Float64, lon.Float64) <= n.KM)
}

// incidentCursor is "<start date>.<id>" of the last incident of a page.
func parseIncidentCursor(c string) (string, int64, error) {
	date, idText, ok := strings.Cut(c, ".")
	id, err := strconv.ParseInt(idText, 10, 64)
	if _, derr := time.Parse(time.DateOnly, date); !ok || err != nil || derr != nil || id <= 0 {
		return "", 0, exportctl.Invalid("cursor", "not a cursor from this list")
	}
	return date, id, nil
}

// Incidents lists incidents, newest first (start date, then id),
// keyset-paged. A radius is a box in SQL and exact (haversine) here.
func (s *Store) Incidents(ctx context.Context, a exportctl.Actor, f exportctl.IncidentFilter) (exportctl.Page[exportctl.Incident], error) {
	const op = "incident.list"
	page := exportctl.Page[exportctl.Incident]{Items: []exportctl.Incident{}}
	publicOnly, err := incidentReader(a, op)
	if err != nil {
		return page, err
	}
	if err := f.Validate(); err != nil {
		return page, err
	}
	var after string
	var afterID int64
	if f.Cursor != "" {
		if after, afterID, err = parseIncidentCursor(f.Cursor); err != nil {
			return page, err
		}
	}
	w := s.incidentWhere(&f, publicOnly)
	if f.Near == nil {
		err = s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM incidents i`+w.sql(), w.args...).Scan(&page.Total)
	} else {
		page.Total, err = s.countNear(ctx, w, f.Near)
	}
	if err != nil {
		return page, exportctl.Internal(op, err)
	}
	if after != "" {
		w.args = append(w.args, after, afterID)
		n := len(w.args)
		w.conds = append(w.conds, fmt.Sprintf("(i.start_date < $%d OR (i.start_date = $%d AND i.id < $%d))", n-1, n-1, n))
	}
	limit := pageLimit(f.Limit)
	const order = ` ORDER BY i.start_date DESC, i.id DESC`
	query := `SELECT ` + incidentColumns + ` FROM incidents i` + w.sql() + order
	if f.Near == nil {
		// The page's ids first, then their rows: an index that finds
		// the matches (a map box's cells) but not in date order then
		// sorts ids, not whole rows.
		query = `SELECT ` + incidentColumns + ` FROM incidents i WHERE i.id IN (SELECT i.id FROM incidents i` + w.sql() + order +
			` LIMIT ` + strconv.Itoa(limit+1) + `)` + order
	}
	rows, err := s.read.QueryContext(ctx, query, w.args...)
	if err != nil {
		return page, exportctl.Internal(op, err)
	}
	defer rows.Close()
	for rows.Next() && len(page.Items) <= limit {
		inc, err := scanIncident(rows)
		if err != nil {
			return page, exportctl.Internal(op, err)
		}
		if f.Near != nil && !within(f.Near, nullOf(inc.Latitude), nullOf(inc.Longitude)) {
			continue
		}
		inc.Redact()
		page.Items = append(page.Items, *inc)
	}
	if err := rows.Err(); err != nil {
		return page, exportctl.Internal(op, err)
	}
	endPage(&page, limit, func(x exportctl.Incident) string { return x.StartDate + "." + strconv.FormatInt(x.ID, 10) })
	return page, nil
}

func nullOf(f *float64) sql.NullFloat64 {
	if f == nil {
		return sql.NullFloat64{}
	}
	return sql.NullFloat64{Float64: *f, Valid: true}
}

// countNear counts the incidents of the box that are within the radius.
func (s *Store) countNear(ctx context.Context, w where, n *exportctl.Near) (int, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT i.latitude, i.longitude FROM incidents i`+w.sql(), w.args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	total := 0
	for rows.Next() {
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&lat, &lon); err != nil {
			return 0, err
		}
		if within(n, lat, lon) {
			total++
		}
	}
	return total, rows.Err()
}

// incidentGroups are the expressions IncidentCounts groups by.
var incidentGroups = map[string]string{
	"country": "i.country", "target": "i.target", "launch": "i.launch", "verification": "i.verification",
	"source": "i.source", "year": "SUBSTR(i.start_date, 1, 4)", "month": "SUBSTR(i.start_date, 1, 7)",
	"month/target": "SUBSTR(i.start_date, 1, 7) || '/' || i.target", "month/launch": "SUBSTR(i.start_date, 1, 7) || '/' || i.launch",
}

// IncidentCounts counts the events matching the filter per value of one
// grouping, largest first (Limit and Cursor are ignored). Records an
// analyst confirmed as one event reported by several sources count once
// (per key: a group whose records fall under two keys counts under each).
func (s *Store) IncidentCounts(ctx context.Context, a exportctl.Actor, f exportctl.IncidentFilter, by string) ([]exportctl.IncidentCount, error) {
	const op = "incident.count"
	publicOnly, err := incidentReader(a, op)
	if err != nil {
		return nil, err
	}
	expr, ok := incidentGroups[by]
	if !ok {
		return nil, exportctl.Invalid("by", "cannot group by %q (one of %s)", by, strings.Join(exportctl.IncidentGroupings, ", "))
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	w := s.incidentWhere(&f, publicOnly)
	counts := map[string]int{}
	if f.Near == nil {
		rows, err := s.read.QueryContext(ctx, `SELECT `+expr+`, COUNT(DISTINCT COALESCE(i.group_id, i.id)) FROM incidents i`+w.sql()+` GROUP BY `+expr, w.args...)
		if err != nil {
			return nil, exportctl.Internal(op, err)
		}
		defer rows.Close()
		for rows.Next() {
			var k string
			var n int
			if err := rows.Scan(&k, &n); err != nil {
				return nil, exportctl.Internal(op, err)
			}
			counts[k] = n
		}
		if err := rows.Err(); err != nil {
			return nil, exportctl.Internal(op, err)
		}
	} else {
		rows, err := s.read.QueryContext(ctx, `SELECT `+expr+`, COALESCE(i.group_id, i.id), i.latitude, i.longitude FROM incidents i`+w.sql(), w.args...)
		if err != nil {
			return nil, exportctl.Internal(op, err)
		}
		defer rows.Close()
		events := map[string]map[int64]bool{}
		for rows.Next() {
			var k string
			var event int64
			var lat, lon sql.NullFloat64
			if err := rows.Scan(&k, &event, &lat, &lon); err != nil {
				return nil, exportctl.Internal(op, err)
			}
			if within(f.Near, lat, lon) {
				if events[k] == nil {
					events[k] = map[int64]bool{}
				}
				events[k][event] = true
			}
		}
		for k, set := range events {
			counts[k] = len(set)
		}
		if err := rows.Err(); err != nil {
			return nil, exportctl.Internal(op, err)
		}
	}
	out := make([]exportctl.IncidentCount, 0, len(counts))
	for k, n := range counts {
		out = append(out, exportctl.IncidentCount{Key: k, Count: n})
	}
	slices.SortFunc(out, func(x, y exportctl.IncidentCount) int {
		if x.Count != y.Count {
			return y.Count - x.Count
		}
		return strings.Compare(x.Key, y.Key)
	})
	return out, nil
}

// CreateIncident records an incident by hand: source "manual", id
// MAN-<n>, version 1. The analyst's publication and verification state are
// decisions that no import changes. Analysts.
func (s *Store) CreateIncident(ctx context.Context, a exportctl.Actor, in exportctl.Incident) (*exportctl.Incident, error) {
	const op = "incident.create"
	if err := requireIncidentWriter(a, op); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	for i := range in.Classifications {
		if in.Classifications[i].By == "" {
			in.Classifications[i].By = a.Label()
		}
	}
	now := s.now().UTC()
	stamp := ts(now)
	var id int64
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		seq, err := s.nextSeq(ctx, tx, "incident/manual")
		if err != nil {
			return err
		}
		sourceID := "MAN-" + strconv.FormatInt(seq, 10)
		in.ID, in.GroupID, in.CreatedAt = 0, 0, time.Time{}
		in.Sources = []exportctl.SourceID{{Source: exportctl.SourceManual, ID: sourceID}}
		enc := encodeIncident(&in, nil)
		vals := append(incidentValues(&in, &enc, exportctl.SourceManual, sourceID), 1, 1, 1, stamp, stamp, "")
		if err := tx.QueryRowContext(ctx, insertIncidentSQL, vals...).Scan(&id); err != nil {
			return err
		}
		if err := writeOriginal(ctx, tx, id, &enc); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_sources (source, source_id, incident_id, row_hash, first_seen, last_seen)
			VALUES ($1, $2, $3, $4, $5, $5)`, exportctl.SourceManual, sourceID, id, enc.hash, stamp); err != nil {
			return err
		}
		if err := writeIncidentForces(ctx, tx, id, &in); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "incident", id, map[string]any{"source_id": sourceID, "country": in.Country, "start_date": in.StartDate})
	})
	if err != nil {
		return nil, err
	}
	return s.Incident(ctx, a, id)
}

// analystVersion is the SET clause of an analyst's change: a new version,
// made by an analyst (the previous one kept by supersedeIncident).
const analystVersion = `version = version + 1, version_source = 'analyst', version_file = ''`

// incidentExists checks an incident exists, inside a command.
func incidentExists(ctx context.Context, tx *sql.Tx, id int64) error {
	var n int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM incidents WHERE id = $1`, id).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return exportctl.NotFound("incident", id)
	}
	return err
}

func nullUser(a exportctl.Actor) any {
	if a.UserID == 0 {
		return nil
	}
	return a.UserID
}

// AddVerificationStep appends a verification step; a State sets the
// incident's overall verification (a new version records it). Analysts.
func (s *Store) AddVerificationStep(ctx context.Context, a exportctl.Actor, incidentID int64, in exportctl.VerificationStepInput) (*exportctl.VerificationStep, error) {
	const op = "incident.verify"
	if err := requireIncidentWriter(a, op); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	stamp := ts(now)
	step := &exportctl.VerificationStep{IncidentID: incidentID, Step: in.Step, Analyst: a.Label(), At: parseTS(stamp),
		Confidence: in.Confidence, Note: in.Note, State: in.State}
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		if err := incidentExists(ctx, tx, incidentID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO verification_steps (incident_id, step, analyst, analyst_id, at, confidence, note, state)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			incidentID, in.Step, step.Analyst, nullUser(a), stamp, in.Confidence, in.Note, in.State).Scan(&step.ID); err != nil {
			return err
		}
		if in.State != "" {
			if err := s.supersedeIncident(ctx, tx, incidentID); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `UPDATE incidents SET verification = $1, verification_decided = 1, `+analystVersion+`, updated_at = $2 WHERE id = $3`,
				in.State, stamp, incidentID); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, now, op, "incident", incidentID, map[string]any{"step": in.Step, "confidence": in.Confidence, "state": in.State})
	})
	if err != nil {
		return nil, err
	}
	return step, nil
}

// AddEvidenceSource records a captured source with the custody event
// "captured". Analysts.
func (s *Store) AddEvidenceSource(ctx context.Context, a exportctl.Actor, incidentID int64, in exportctl.EvidenceSourceInput) (*exportctl.EvidenceSource, error) {
	const op = "incident.source"
	if err := requireIncidentWriter(a, op); err != nil {
		return nil, err
	}
	captured, err := in.Validate()
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	stamp := ts(now)
	src := &exportctl.EvidenceSource{IncidentID: incidentID, Publisher: in.Publisher, URL: in.URL, CapturedAt: parseTS(ts(captured)),
		SHA256: in.SHA256, Note: in.Note, CreatedAt: parseTS(stamp)}
	ev := exportctl.CustodyEvent{At: src.CreatedAt, Actor: a.Label(), Action: "captured", Note: "recorded in the register"}
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		if err := incidentExists(ctx, tx, incidentID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO evidence_sources (incident_id, publisher, url, captured_at, sha256, note, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			incidentID, in.Publisher, in.URL, ts(captured), in.SHA256, in.Note, nullUser(a), stamp).Scan(&src.ID); err != nil {
			return err
		}
		ev.EvidenceSourceID = src.ID
		if err := tx.QueryRowContext(ctx, `INSERT INTO custody_events (evidence_source_id, at, actor, actor_id, action, note)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, src.ID, stamp, ev.Actor, nullUser(a), ev.Action, ev.Note).Scan(&ev.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "incident", incidentID, map[string]any{"evidence_source_id": src.ID, "publisher": in.Publisher,
			"url": in.URL, "sha256": in.SHA256})
	})
	if err != nil {
		return nil, err
	}
	src.Custody = []exportctl.CustodyEvent{ev}
	return src, nil
}

// AddCustodyEvent appends to a source's chain of custody. Analysts.
func (s *Store) AddCustodyEvent(ctx context.Context, a exportctl.Actor, incidentID, sourceID int64, in exportctl.CustodyEventInput) (*exportctl.CustodyEvent, error) {
	const op = "incident.custody"
	if err := requireIncidentWriter(a, op); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	stamp := ts(now)
	ev := &exportctl.CustodyEvent{EvidenceSourceID: sourceID, At: parseTS(stamp), Actor: a.Label(), Action: in.Action, Note: in.Note}
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		var n int64
		err := tx.QueryRowContext(ctx, `SELECT id FROM evidence_sources WHERE id = $1 AND incident_id = $2`, sourceID, incidentID).Scan(&n)
		if errors.Is(err, sql.ErrNoRows) {
			return exportctl.NotFound("evidence source", sourceID)
		}
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO custody_events (evidence_source_id, at, actor, actor_id, action, note)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, sourceID, stamp, ev.Actor, nullUser(a), in.Action, in.Note).Scan(&ev.ID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "incident", incidentID, map[string]any{"evidence_source_id": sourceID, "action": in.Action})
	})
	if err != nil {
		return nil, err
	}
	return ev, nil
}

// SetClassification appends a legal classification by the actor; the
// projection changes and a version records it. Analysts.
func (s *Store) SetClassification(ctx context.Context, a exportctl.Actor, incidentID int64, in exportctl.ClassificationInput) (*exportctl.Incident, error) {
	const op = "incident.classify"
	if err := requireIncidentWriter(a, op); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	stamp := ts(now)
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		inc, err := s.loadIncident(ctx, tx, incidentID)
		if err != nil {
			return err
		}
		inc.Classifications = append(inc.Classifications, exportctl.Classification{Code: in.Code, Status: in.Status, By: a.Label()})
		list, err := json.Marshal(inc.Classifications)
		if err != nil {
			return err
		}
		if err := s.supersedeIncident(ctx, tx, incidentID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET classification_codes = $1, classifications = $2, `+analystVersion+`, updated_at = $3 WHERE id = $4`,
			classificationCodes(inc), string(list), stamp, incidentID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incident_forces SET classification_codes = $1 WHERE incident_id = $2`,
			classificationCodes(inc), incidentID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "incident", incidentID, map[string]any{"code": in.Code, "status": in.Status})
	})
	if err != nil {
		return nil, err
	}
	return s.Incident(ctx, a, incidentID)
}

// SetPublishable marks an incident publishable or not, a decision imports
// keep from then on; a version records it. Analysts.
func (s *Store) SetPublishable(ctx context.Context, a exportctl.Actor, incidentID int64, publishable bool) (*exportctl.Incident, error) {
	const op = "incident.publish"
	if err := requireIncidentWriter(a, op); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	stamp := ts(now)
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		if err := incidentExists(ctx, tx, incidentID); err != nil {
			return err
		}
		if err := s.supersedeIncident(ctx, tx, incidentID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incidents SET publishable = $1, publish_decided = 1, `+analystVersion+`, updated_at = $2 WHERE id = $3`,
			boolInt(publishable), stamp, incidentID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "incident", incidentID, map[string]any{"publishable": publishable})
	})
	if err != nil {
		return nil, err
	}
	return s.Incident(ctx, a, incidentID)
}
