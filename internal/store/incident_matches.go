package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

var _ exportctl.IncidentMatching = (*Store)(nil)

// requireMatchReader admits the internal roles and the system: matches
// name incidents side by side, which is analysis, not publication.
func requireMatchReader(a exportctl.Actor, op string) error {
	if a.Role == "system" || a.Role.Internal() {
		return nil
	}
	return &exportctl.Error{Code: exportctl.EForbidden, Op: op, Message: "only government staff may read incident matches"}
}

// matchColumns are read by scanMatch; x and y are the two incidents, for
// their redaction flags.
const matchColumns = `m.id, m.a_id, m.b_id, m.score, m.reasons, m.status, m.decided_by_name, m.decided_at, m.note, m.created_at,
	x.redacted + y.redacted`

const matchFrom = ` FROM incident_matches m JOIN incidents x ON x.id = m.a_id JOIN incidents y ON y.id = m.b_id`

func scanMatch(row interface{ Scan(...any) error }) (*exportctl.IncidentMatch, error) {
	var m exportctl.IncidentMatch
	var reasons, created string
	var decided sql.NullString
	var redacted int
	if err := row.Scan(&m.ID, &m.A, &m.B, &m.Score, &reasons, &m.Status, &m.By, &decided, &m.Note, &created, &redacted); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(reasons), &m.Reasons); err != nil {
		return nil, fmt.Errorf("incident match %d: %w", m.ID, err)
	}
	if m.Reasons == nil {
		m.Reasons = []string{}
	}
	if redacted > 0 {
		m.Reasons = redactReasons(m.Reasons)
	}
	m.At, m.CreatedAt = parseTSPtr(decided), parseTS(created)
	return &m, nil
}

// redactReasons drops what a reason says of places more precise than
// admin1 once either incident is redacted: the rule never uses a redacted
// incident's place, but a publisher may start withholding a place after
// the pair was proposed.
func redactReasons(rs []string) []string {
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		switch {
		case strings.HasPrefix(r, "places ") && strings.Contains(r, " km apart"):
			r = "places close (withheld: a record is redacted)"
		case strings.Contains(r, ", same admin2 "):
			before, _, _ := strings.Cut(r, ", same admin2 ")
			r = before + " (no usable coordinates on one side)"
		}
		out = append(out, r)
	}
	return out
}

// ProposeMatches reads the incidents matching the filter (only the
// columns the rule needs), finds the pairs exportctl.ProbableDuplicate
// accepts with exportctl.DuplicateCandidates (a sliding window by country
// and date), leaves out pairs already recorded in any status, and inserts
// the new ones as proposed in one transaction with one audit event.
// Analysts (and the system, for the CLI).
func (s *Store) ProposeMatches(ctx context.Context, a exportctl.Actor, f exportctl.IncidentFilter) (int, error) {
	const op = "incident_match.propose"
	if err := requireIncidentWriter(a, op); err != nil {
		return 0, err
	}
	if err := f.Validate(); err != nil {
		return 0, err
	}
	incs, err := s.matchableIncidents(ctx, &f)
	if err != nil {
		return 0, exportctl.Internal(op, err)
	}
	known, err := s.knownPairs(ctx, &f)
	if err != nil {
		return 0, exportctl.Internal(op, err)
	}
	cands := exportctl.DuplicateCandidates(incs, func(x, y int64) bool { return known[[2]int64{x, y}] })
	if len(cands) == 0 {
		return 0, nil
	}
	now := s.now().UTC()
	stamp := ts(now)
	rows := make([][]any, 0, len(cands))
	for _, c := range cands {
		reasons, err := json.Marshal(c.Reasons)
		if err != nil {
			return 0, exportctl.Internal(op, err)
		}
		rows = append(rows, []any{c.A, c.B, c.Score, string(reasons), exportctl.MatchProposed, stamp})
	}
	proposed := 0
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		// A pair recorded meanwhile (another proposer) is left alone.
		for chunk := range slices.Chunk(rows, 500) {
			var b strings.Builder
			b.WriteString(`INSERT INTO incident_matches (a_id, b_id, score, reasons, status, created_at) VALUES `)
			args := make([]any, 0, len(chunk)*6)
			for i, r := range chunk {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteByte('(')
				for j, v := range r {
					if j > 0 {
						b.WriteString(", ")
					}
					args = append(args, v)
					b.WriteString("$" + strconv.Itoa(len(args)))
				}
				b.WriteByte(')')
			}
			b.WriteString(` ON CONFLICT (a_id, b_id) DO NOTHING RETURNING id`)
			res, err := tx.QueryContext(ctx, b.String(), args...)
			if err != nil {
				return err
			}
			for res.Next() {
				proposed++
			}
			res.Close()
			if err := res.Err(); err != nil {
				return err
			}
		}
		if proposed == 0 {
			return nil
		}
		return s.audit(ctx, tx, a, now, op, "incident_matches", 0, map[string]any{
			"filter": filterSummary(&f), "incidents": len(incs), "candidates": len(cands), "proposed": proposed})
	})
	if err != nil {
		return 0, err
	}
	return proposed, nil
}

// filterSummary is the filter as the audit trail records it: its set fields.
func filterSummary(f *exportctl.IncidentFilter) map[string]any {
	out := map[string]any{}
	for k, v := range map[string]string{"country": f.Country, "admin1": f.Admin1, "from": f.From, "to": f.To, "actor": f.Actor,
		"launch": f.Launch, "weapon": f.Weapon, "target": f.Target, "classification": f.Classification,
		"verification": f.Verification, "q": f.Text, "source": f.Source, "source_id": f.SourceID} {
		if v != "" {
			out[k] = v
		}
	}
	if f.BBox != nil {
		out["bbox"] = f.BBox
	}
	if f.Near != nil {
		out["near"] = f.Near
	}
	if f.Publishable != nil {
		out["publishable"] = *f.Publishable
	}
	return out
}

// matchableIncidents reads what exportctl.ProbableDuplicate looks at of
// the incidents matching the filter, with every source of each.
func (s *Store) matchableIncidents(ctx context.Context, f *exportctl.IncidentFilter) ([]exportctl.Incident, error) {
	w := s.incidentWhere(f, false)
	rows, err := s.read.QueryContext(ctx, `SELECT i.id, i.source, i.source_id, i.start_date, i.date_precision, i.country, i.admin1, i.admin2,
		i.latitude, i.longitude, i.geo_precision, i.redacted, i.target, i.actors, COALESCE(i.group_id, 0),
		i.killed, i.injured, i.kidnapped, i.detained, i.weapons
		FROM incidents i`+w.sql()+` ORDER BY i.country, i.start_date, i.id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []exportctl.Incident
	index := map[int64]int{}
	for rows.Next() {
		var inc exportctl.Incident
		var src, srcID, actors, weapons string
		var lat, lon sql.NullFloat64
		var redacted int
		if err := rows.Scan(&inc.ID, &src, &srcID, &inc.StartDate, &inc.DatePrecision, &inc.Country, &inc.Admin1, &inc.Admin2,
			&lat, &lon, &inc.GeoPrecision, &redacted, &inc.Target, &actors, &inc.GroupID,
			&inc.Harm.Killed, &inc.Harm.Injured, &inc.Harm.Kidnapped, &inc.Harm.Detained, &weapons); err != nil {
			return nil, err
		}
		if !within(f.Near, lat, lon) {
			continue
		}
		if lat.Valid && lon.Valid {
			inc.Latitude, inc.Longitude = &lat.Float64, &lon.Float64
		}
		inc.Redacted = redacted == 1
		inc.Sources = []exportctl.SourceID{{Source: src, ID: srcID}}
		if err := json.Unmarshal([]byte(actors), &inc.Actors); err != nil {
			return nil, fmt.Errorf("incident %d: %w", inc.ID, err)
		}
		if err := json.Unmarshal([]byte(weapons), &inc.Weapons); err != nil {
			return nil, fmt.Errorf("incident %d: %w", inc.ID, err)
		}
		index[inc.ID] = len(out)
		out = append(out, inc)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// Further sources of a record, if any (an incident's own source is
	// the projection's).
	ws := w
	ws.conds = append(slices.Clone(w.conds), "s.source <> i.source")
	srcRows, err := s.read.QueryContext(ctx, `SELECT s.incident_id, s.source, s.source_id FROM incident_sources s
		JOIN incidents i ON i.id = s.incident_id`+ws.sql(), ws.args...)
	if err != nil {
		return nil, err
	}
	defer srcRows.Close()
	for srcRows.Next() {
		var id int64
		var sid exportctl.SourceID
		if err := srcRows.Scan(&id, &sid.Source, &sid.ID); err != nil {
			return nil, err
		}
		if k, ok := index[id]; ok {
			out[k].Sources = append(out[k].Sources, sid)
		}
	}
	return out, srcRows.Err()
}

// knownPairs are the recorded pairs whose first incident matches the
// filter (a candidate pair has both in it).
func (s *Store) knownPairs(ctx context.Context, f *exportctl.IncidentFilter) (map[[2]int64]bool, error) {
	w := s.incidentWhere(f, false)
	rows, err := s.read.QueryContext(ctx, `SELECT m.a_id, m.b_id FROM incident_matches m JOIN incidents i ON i.id = m.a_id`+w.sql(), w.args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[[2]int64]bool{}
	for rows.Next() {
		var p [2]int64
		if err := rows.Scan(&p[0], &p[1]); err != nil {
			return nil, err
		}
		out[p] = true
	}
	return out, rows.Err()
}

// Matches lists matches with the status (all when empty), newest first,
// keyset-paged by id. Internal roles.
func (s *Store) Matches(ctx context.Context, a exportctl.Actor, status string, limit int, cursor string) (exportctl.Page[exportctl.IncidentMatch], error) {
	const op = "incident_match.list"
	page := exportctl.Page[exportctl.IncidentMatch]{Items: []exportctl.IncidentMatch{}}
	if err := requireMatchReader(a, op); err != nil {
		return page, err
	}
	status = strings.TrimSpace(status)
	if status != "" && !slices.Contains(exportctl.MatchStatuses, status) {
		return page, exportctl.Invalid("status", "unknown status %q (one of %s)", status, strings.Join(exportctl.MatchStatuses, ", "))
	}
	if limit < 0 {
		return page, exportctl.Invalid("limit", "must be a whole number")
	}
	after, err := parseCursor(cursor)
	if err != nil {
		return page, err
	}
	var w where
	if status != "" {
		w.add("m.status = ?", status)
	}
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM incident_matches m`+w.sql(), w.args...).Scan(&page.Total); err != nil {
		return page, exportctl.Internal(op, err)
	}
	if after > 0 {
		w.add("m.id < ?", after)
	}
	n := pageLimit(limit)
	rows, err := s.read.QueryContext(ctx, `SELECT `+matchColumns+matchFrom+w.sql()+` ORDER BY m.id DESC LIMIT `+strconv.Itoa(n+1), w.args...)
	if err != nil {
		return page, exportctl.Internal(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		m, err := scanMatch(rows)
		if err != nil {
			return page, exportctl.Internal(op, err)
		}
		page.Items = append(page.Items, *m)
	}
	if err := rows.Err(); err != nil {
		return page, exportctl.Internal(op, err)
	}
	endPage(&page, n, func(x exportctl.IncidentMatch) string { return strconv.FormatInt(x.ID, 10) })
	return page, nil
}

// Match returns one match. Internal roles.
func (s *Store) Match(ctx context.Context, a exportctl.Actor, id int64) (*exportctl.IncidentMatch, error) {
	const op = "incident_match.get"
	if err := requireMatchReader(a, op); err != nil {
		return nil, err
	}
	m, err := scanMatch(s.read.QueryRowContext(ctx, `SELECT `+matchColumns+matchFrom+` WHERE m.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, exportctl.NotFound("incident match", id)
	}
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	return m, nil
}

// MatchesFor lists the matches an incident is part of, newest first.
// Internal roles.
func (s *Store) MatchesFor(ctx context.Context, a exportctl.Actor, incidentID int64) ([]exportctl.IncidentMatch, error) {
	const op = "incident_match.for"
	if err := requireMatchReader(a, op); err != nil {
		return nil, err
	}
	var n int64
	err := s.read.QueryRowContext(ctx, `SELECT id FROM incidents WHERE id = $1`, incidentID).Scan(&n)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, exportctl.NotFound("incident", incidentID)
	}
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+matchColumns+matchFrom+` WHERE m.a_id = $1 OR m.b_id = $1 ORDER BY m.id DESC`, incidentID)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	defer rows.Close()
	out := []exportctl.IncidentMatch{}
	for rows.Next() {
		m, err := scanMatch(rows)
		if err != nil {
			return nil, exportctl.Internal(op, err)
		}
		out = append(out, *m)
	}
	if err := rows.Err(); err != nil {
		return nil, exportctl.Internal(op, err)
	}
	return out, nil
}

// DecideMatch confirms or rejects a proposed match, with its audit event,
// in one transaction. Confirming merges the two incidents' groups: every
// member of either group (and the two incidents) gets the smaller group
// id, which is the smallest incident id of the union since each group's id
// is its smallest member. Analysts.
func (s *Store) DecideMatch(ctx context.Context, a exportctl.Actor, id int64, confirm bool, note string) error {
	op := "incident_match.reject"
	status := exportctl.MatchRejected
	if confirm {
		op, status = "incident_match.confirm", exportctl.MatchConfirmed
	}
	if err := requireIncidentWriter(a, op); err != nil {
		return err
	}
	in := exportctl.MatchDecisionInput{Note: note}
	if err := in.Validate(); err != nil {
		return err
	}
	now := s.now().UTC()
	stamp := ts(now)
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		var x, y int64
		var current string
		err := tx.QueryRowContext(ctx, `SELECT a_id, b_id, status FROM incident_matches WHERE id = $1`, id).Scan(&x, &y, &current)
		if errors.Is(err, sql.ErrNoRows) {
			return exportctl.NotFound("incident match", id)
		}
		if err != nil {
			return err
		}
		if current != exportctl.MatchProposed {
			return exportctl.Conflict("incident match %d is already %s", id, current)
		}
		// Lock both incidents' rows (PostgreSQL) so that two decisions
		// touching one group queue; SQLite has a single writer.
		groups := map[int64]int64{}
		lock := ""
		if s.dialect.isPostgres() {
			lock = " FOR UPDATE"
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, COALESCE(group_id, id) FROM incidents WHERE id IN ($1, $2) ORDER BY id`+lock, x, y)
		if err != nil {
			return err
		}
		for rows.Next() {
			var iid, g int64
			if err := rows.Scan(&iid, &g); err != nil {
				rows.Close()
				return err
			}
			groups[iid] = g
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		gx, gy := groups[x], groups[y]
		summary := map[string]any{"a_id": x, "b_id": y, "note": in.Note}
		if confirm {
			if gx != gy {
				var rejected int64
				err := tx.QueryRowContext(ctx, `SELECT m.id`+matchFrom+`
					WHERE m.status = 'rejected' AND ((COALESCE(x.group_id, x.id) = $1 AND COALESCE(y.group_id, y.id) = $2)
						OR (COALESCE(x.group_id, x.id) = $2 AND COALESCE(y.group_id, y.id) = $1))
					ORDER BY m.id LIMIT 1`, gx, gy).Scan(&rejected)
				if err == nil {
					return exportctl.Conflict("incident match %d was rejected and links the two groups (%d and %d): reconsider it first", rejected, gx, gy)
				}
				if !errors.Is(err, sql.ErrNoRows) {
					return err
				}
				g, old := min(gx, gy), max(gx, gy)
				res, err := tx.ExecContext(ctx, `UPDATE incidents SET group_id = $1, updated_at = $2
					WHERE id IN ($3, $4, $1, $5) OR group_id IN ($1, $5)`, g, stamp, x, y, old)
				if err != nil {
					return err
				}
				changed, _ := res.RowsAffected()
				summary["group_id"], summary["merged_group"], summary["incidents_grouped"] = g, old, changed
			} else {
				summary["group_id"] = gx
			}
		} else if gx == gy {
			return exportctl.Conflict("incidents %d and %d are already grouped as one event through other confirmed matches", x, y)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE incident_matches SET status = $1, decided_by = $2, decided_by_name = $3, decided_at = $4, note = $5
			WHERE id = $6`, status, nullUser(a), a.Label(), stamp, in.Note, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "incident_match", id, summary)
	})
}

// DistinctIncidentCount counts the incidents matching the filter with each
// group of confirmed duplicates once: COUNT(DISTINCT COALESCE(group_id,
// id)). A group counts when any of its members matches. Readers of the
// register (the public counts publishable incidents only).
func (s *Store) DistinctIncidentCount(ctx context.Context, a exportctl.Actor, f exportctl.IncidentFilter) (int, error) {
	const op = "incident.count_distinct"
	publicOnly, err := incidentReader(a, op)
	if err != nil {
		return 0, err
	}
	if err := f.Validate(); err != nil {
		return 0, err
	}
	w := s.incidentWhere(&f, publicOnly)
	if f.Near == nil {
		var n int
		if err := s.read.QueryRowContext(ctx, `SELECT COUNT(DISTINCT COALESCE(i.group_id, i.id)) FROM incidents i`+w.sql(), w.args...).Scan(&n); err != nil {
			return 0, exportctl.Internal(op, err)
		}
		return n, nil
	}
	rows, err := s.read.QueryContext(ctx, `SELECT COALESCE(i.group_id, i.id), i.latitude, i.longitude FROM incidents i`+w.sql(), w.args...)
	if err != nil {
		return 0, exportctl.Internal(op, err)
	}
	defer rows.Close()
	seen := map[int64]bool{}
	for rows.Next() {
		var g int64
		var lat, lon sql.NullFloat64
		if err := rows.Scan(&g, &lat, &lon); err != nil {
			return 0, exportctl.Internal(op, err)
		}
		if within(f.Near, lat, lon) {
			seen[g] = true
		}
	}
	if err := rows.Err(); err != nil {
		return 0, exportctl.Internal(op, err)
	}
	return len(seen), nil
}
