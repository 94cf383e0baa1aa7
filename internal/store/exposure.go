package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/exportctl/exportctl"
)

var _ exportctl.Exposure = (*Store)(nil)

func requireExposureReader(a exportctl.Actor, op string) error {
	if a.Role == "" {
		return exportctl.Unauthorized("sign in first")
	}
	return a.Require(op, exportctl.ExposureReaders...)
}

// installExposureRules installs the shipped rules as version 1, approved
// by the system, when there is no rule set yet.
func (s *Store) installExposureRules(ctx context.Context) error {
	rules := exportctl.DefaultExposureRules()
	data, err := json.Marshal(rules)
	if err != nil {
		return err
	}
	stamp := ts(s.now())
	_, err = s.write.ExecContext(ctx, `INSERT INTO exposure_rule_sets (version, rules, proposed_by_name, proposed_at, approved_by_name, approved_at)
		VALUES (1, $1, 'system', $2, 'system', $2) ON CONFLICT (version) DO NOTHING`, string(data), stamp)
	return err
}

const ruleSetColumns = `version, rules, proposed_by_name, proposed_at, approved_by_name, approved_at`

func scanRuleSet(row interface{ Scan(...any) error }) (*exportctl.ExposureRuleSet, error) {
	var rs exportctl.ExposureRuleSet
	var rules, proposed string
	var approved sql.NullString
	if err := row.Scan(&rs.Version, &rules, &rs.ProposedBy, &proposed, &rs.ApprovedBy, &approved); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(rules), &rs.Rules); err != nil {
		return nil, fmt.Errorf("exposure rules version %d: %w", rs.Version, err)
	}
	rs.ProposedAt, rs.ApprovedAt = parseTS(proposed), parseTSPtr(approved)
	return &rs, nil
}

// rulesInUse returns the latest approved rule set.
func (s *Store) rulesInUse(ctx context.Context, q queryer) (*exportctl.ExposureRuleSet, error) {
	rs, err := scanRuleSet(q.QueryRowContext(ctx, `SELECT `+ruleSetColumns+` FROM exposure_rule_sets
		WHERE approved_at IS NOT NULL ORDER BY version DESC LIMIT 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errors.New("no approved exposure rules")
	}
	if err != nil {
		return nil, err
	}
	rs.InUse = true
	return rs, nil
}

// ExposureRuleSets lists every version, newest first.
func (s *Store) ExposureRuleSets(ctx context.Context, a exportctl.Actor) ([]exportctl.ExposureRuleSet, error) {
	const op = "exposure.rules"
	if err := requireExposureReader(a, op); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+ruleSetColumns+` FROM exposure_rule_sets ORDER BY version DESC`)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	defer rows.Close()
	out := []exportctl.ExposureRuleSet{}
	inUse := false
	for rows.Next() {
		rs, err := scanRuleSet(rows)
		if err != nil {
			return nil, exportctl.Internal(op, err)
		}
		if rs.ApprovedAt != nil && !inUse {
			rs.InUse, inUse = true, true
		}
		out = append(out, *rs)
	}
	if err := rows.Err(); err != nil {
		return nil, exportctl.Internal(op, err)
	}
	return out, nil
}

// ProposeExposureRules records a new version of the rules, unapproved
// (analysts). The rules are validated; every bad field is named.
func (s *Store) ProposeExposureRules(ctx context.Context, a exportctl.Actor, data []byte) (*exportctl.ExposureRuleSet, error) {
	const op = "exposure.rules.propose"
	if a.Role == "" {
		return nil, exportctl.Unauthorized("sign in first")
	}
	if err := a.Require(op, exportctl.RoleAnalyst); err != nil {
		return nil, err
	}
	rules, err := exportctl.ParseExposureRules(data)
	if err != nil {
		return nil, err
	}
	norm, err := json.Marshal(rules)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	now := s.now().UTC()
	var version int
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(version), 0) + 1 FROM exposure_rule_sets`).Scan(&version); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO exposure_rule_sets (version, rules, proposed_by, proposed_by_name, proposed_at)
			VALUES ($1, $2, $3, $4, $5)`, version, string(norm), nullUser(a), a.Label(), ts(now)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "exposure_rules", int64(version), map[string]any{"version": version})
	})
	if err != nil {
		return nil, err
	}
	return s.ruleSet(ctx, version)
}

// ApproveExposureRules puts a proposed version in use (senior officials,
// never the proposer); a version is approved once.
func (s *Store) ApproveExposureRules(ctx context.Context, a exportctl.Actor, version int) (*exportctl.ExposureRuleSet, error) {
	const op = "exposure.rules.approve"
	if a.Role == "" {
		return nil, exportctl.Unauthorized("sign in first")
	}
	if err := a.Require(op, exportctl.RoleSeniorOfficial); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		var proposer sql.NullInt64
		var approved sql.NullString
		err := tx.QueryRowContext(ctx, `SELECT proposed_by, approved_at FROM exposure_rule_sets WHERE version = $1`, version).Scan(&proposer, &approved)
		if errors.Is(err, sql.ErrNoRows) {
			return exportctl.NotFound("exposure rule set", version)
		}
		if err != nil {
			return err
		}
		switch {
		case approved.Valid:
			return &exportctl.Error{Code: exportctl.EConflict, Op: op, Message: fmt.Sprintf("version %d is already approved", version)}
		case proposer.Valid && proposer.Int64 == a.UserID:
			return &exportctl.Error{Code: exportctl.EForbidden, Op: op, Message: "a rule set is approved by someone other than its proposer"}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE exposure_rule_sets SET approved_by = $1, approved_by_name = $2, approved_at = $3
			WHERE version = $4 AND approved_at IS NULL`, nullUser(a), a.Label(), ts(now), version); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "exposure_rules", int64(version), map[string]any{"version": version})
	})
	if err != nil {
		return nil, err
	}
	return s.ruleSet(ctx, version)
}

func (s *Store) ruleSet(ctx context.Context, version int) (*exportctl.ExposureRuleSet, error) {
	rs, err := scanRuleSet(s.write.QueryRowContext(ctx, `SELECT `+ruleSetColumns+` FROM exposure_rule_sets WHERE version = $1`, version))
	if err != nil {
		return nil, exportctl.Internal("exposure.rules", err)
	}
	if cur, err := s.rulesInUse(ctx, s.write); err == nil {
		rs.InUse = cur.Version == rs.Version
	}
	return rs, nil
}

// Exposure links licences to incidents (exportctl.ComputeExposure) with
// the rules in use. It loads the candidate licences (by destination,
// ultimate end user's country, end user name or id) with their goods and
// parties in three queries, the weapon graph and its operators, and the
// candidate incidents by attributed country and date from
// incident_forces; the linking is computed in memory.
func (s *Store) Exposure(ctx context.Context, a exportctl.Actor, q exportctl.ExposureQuery) (*exportctl.ExposureResult, error) {
	const op = "exposure.query"
	if err := requireExposureReader(a, op); err != nil {
		return nil, err
	}
	if err := q.Validate(); err != nil {
		return nil, err
	}
	if q.LicenceRef != "" {
		err := s.read.QueryRowContext(ctx, `SELECT id FROM licences WHERE reference = $1`, q.LicenceRef).Scan(&q.LicenceID)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, &exportctl.Error{Code: exportctl.ENotFound, Op: op, Field: "licence_reference", Message: fmt.Sprintf("no licence %q", q.LicenceRef)}
		}
		if err != nil {
			return nil, exportctl.Internal(op, err)
		}
	}
	rs, err := s.rulesInUse(ctx, s.read)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	var incidentCountries []string
	var incidentDate string
	if q.IncidentID != 0 {
		var date string
		err := s.read.QueryRowContext(ctx, `SELECT start_date FROM incidents WHERE id = $1`, q.IncidentID).Scan(&date)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, exportctl.NotFound("incident", q.IncidentID)
		}
		if err != nil {
			return nil, exportctl.Internal(op, err)
		}
		incidentDate = date
		if incidentCountries, err = s.forceCountries(ctx, `incident_id = $1`, q.IncidentID); err != nil {
			return nil, exportctl.Internal(op, err)
		}
	} else if q.Destination == "" && q.LicenceID == 0 && q.EndUser == "" {
		// An area and period alone: the licences of the countries whose
		// forces the area's incidents are attributed to.
		var w where
		w.conds = append(w.conds, "i.redacted = 0")
		b := q.BBox
		w.add("i.latitude >= ?", b[1])
		w.add("i.latitude <= ?", b[3])
		w.add("i.longitude >= ?", b[0])
		w.add("i.longitude <= ?", b[2])
		if q.Since != "" {
			w.add("i.start_date >= ?", q.Since)
		}
		if q.Until != "" {
			w.add("i.start_date <= ?", q.Until)
		}
		if incidentCountries, err = s.forceCountries(ctx, `incident_id IN (SELECT i.id FROM incidents i`+w.sql()+`)`, w.args...); err != nil {
			return nil, exportctl.Internal(op, err)
		}
	}
	licences, err := s.exposureLicences(ctx, q, incidentCountries, incidentDate)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	countries := map[string]bool{}
	for _, l := range licences {
		if q.Destination != "" {
			countries[q.Destination] = true
		} else {
			countries[l.Destination] = true
			for _, p := range l.Parties {
				if p.Role == exportctl.PartyEndUser || p.Role == exportctl.PartyUltimateEndUser {
					countries[p.Country] = true
				}
			}
		}
	}
	codes := slices.Sorted(maps.Keys(countries))
	graph, err := s.exposureGraph(ctx, codes)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	idx := exportctl.NewExposureIndex(&rs.Rules, nil)
	if len(licences) > 0 {
		if idx, err = s.exposureIndex(ctx, rs, codes); err != nil {
			return nil, exportctl.Internal(op, err)
		}
	}
	if q.Since != "" || q.Until != "" || q.BBox != nil || q.IncidentID != 0 {
		idx = idx.Filter(func(inc *exportctl.ExposureIncident) bool {
			switch {
			case q.Since != "" && inc.Date < q.Since, q.Until != "" && inc.Date > q.Until, q.IncidentID != 0 && inc.ID != q.IncidentID:
				return false
			case q.BBox != nil:
				b := q.BBox
				return inc.Latitude != nil && inc.Longitude != nil && *inc.Latitude >= b[1] && *inc.Latitude <= b[3] &&
					*inc.Longitude >= b[0] && *inc.Longitude <= b[2]
			}
			return true
		})
	}
	return idx.Compute(rs.Version, graph, licences, q), nil
}

// exposureCache keeps the last few exposure indexes, each for a set of
// countries under a rule-set version and a state of the register (the
// newest incident version: every import, analyst's change and new
// incident records one), so that a review asking about each of its
// licences in turn does not load the same incidents each time.
type exposureCache struct {
	mu      sync.Mutex
	entries []exposureEntry // the most recently used last
}

type exposureEntry struct {
	key   string
	index *exportctl.ExposureIndex
}

const exposureCacheSize = 4

// exposureIndex returns the index of the incidents attributed to the
// countries' forces, from the cache when the register has not changed.
func (s *Store) exposureIndex(ctx context.Context, rs *exportctl.ExposureRuleSet, countries []string) (*exportctl.ExposureIndex, error) {
	// The register's state: a new incident raises the first, any change
	// to one (which keeps the version it replaces) the second.
	var newest, changed int64
	if err := s.read.QueryRowContext(ctx, `SELECT (SELECT COALESCE(MAX(id), 0) FROM incidents), (SELECT COALESCE(MAX(id), 0) FROM incident_versions)`).
		Scan(&newest, &changed); err != nil {
		return nil, err
	}
	key := fmt.Sprintf("%d/%d/%d/%s", rs.Version, newest, changed, strings.Join(countries, ","))
	c := &s.exposure
	c.mu.Lock()
	for i, e := range c.entries {
		if e.key == key {
			c.entries = append(append(c.entries[:i:i], c.entries[i+1:]...), e)
			c.mu.Unlock()
			return e.index, nil
		}
	}
	c.mu.Unlock()
	incidents, err := s.exposureIncidents(ctx, countries)
	if err != nil {
		return nil, err
	}
	idx := exportctl.NewExposureIndex(&rs.Rules, incidents)
	c.mu.Lock()
	c.entries = append(c.entries, exposureEntry{key, idx})
	if len(c.entries) > exposureCacheSize {
		c.entries = slices.Delete(c.entries, 0, len(c.entries)-exposureCacheSize)
	}
	c.mu.Unlock()
	return idx, nil
}

func (s *Store) forceCountries(ctx context.Context, cond string, args ...any) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT DISTINCT country FROM incident_forces WHERE `+cond+` ORDER BY country`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// exposureLicences loads the candidate licences with their goods and
// parties: three queries whatever their number.
func (s *Store) exposureLicences(ctx context.Context, q exportctl.ExposureQuery, countries []string, before string) ([]exportctl.Licence, error) {
	var w where
	if q.LicenceID != 0 {
		w.add("l.id = ?", q.LicenceID)
	}
	inCountry := func(c string) {
		w.args = append(w.args, c)
		n := len(w.args)
		w.conds = append(w.conds, fmt.Sprintf(`(l.destination = $%d OR l.application_id IN (SELECT application_id FROM parties
			WHERE country = $%d AND role IN ('end_user', 'ultimate_end_user') AND superseded_at IS NULL))`, n, n))
	}
	if q.Destination != "" {
		inCountry(q.Destination)
	}
	if q.EndUser != "" {
		w.add(`l.application_id IN (SELECT application_id FROM parties WHERE role IN ('end_user', 'ultimate_end_user')
			AND superseded_at IS NULL AND LOWER(name) LIKE ? ESCAPE '\')`, likePattern(q.EndUser))
	}
	if countries != nil && q.Destination == "" && q.LicenceID == 0 {
		if len(countries) == 0 {
			return nil, nil
		}
		list, _ := json.Marshal(countries)
		w.add(`(`+s.dialect.inJSONList("l.destination")+` OR l.application_id IN (SELECT application_id FROM parties
			WHERE role IN ('end_user', 'ultimate_end_user') AND superseded_at IS NULL AND `+s.dialect.inJSONList("country")+`))`, string(list))
	}
	if before != "" {
		w.add("l.valid_from <= ?", before)
	}
	cond := w.sql()
	rows, err := s.read.QueryContext(ctx, `SELECT `+licenceColumns+` FROM licences l LEFT JOIN organisations o ON o.id = l.org_id`+cond+` ORDER BY l.id`, w.args...)
	if err != nil {
		return nil, err
	}
	var out []exportctl.Licence
	byApp := map[int64][]int{}
	for rows.Next() {
		l, err := scanLicence(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		l.Goods, l.Parties = []exportctl.Good{}, []exportctl.Party{}
		byApp[l.ApplicationID] = append(byApp[l.ApplicationID], len(out))
		out = append(out, *l)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if q.LicenceID != 0 && len(out) == 0 {
		return nil, exportctl.NotFound("licence", q.LicenceID)
	}
	if len(out) == 0 {
		return out, nil
	}
	apps := `SELECT l.application_id FROM licences l` + cond
	goods, err := s.read.QueryContext(ctx, `SELECT application_id, id, description, rating, component_of FROM goods
		WHERE superseded_at IS NULL AND application_id IN (`+apps+`) ORDER BY id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer goods.Close()
	for goods.Next() {
		var app int64
		var g exportctl.Good
		if err := goods.Scan(&app, &g.ID, &g.Description, &g.Rating, &g.ComponentOf); err != nil {
			return nil, err
		}
		for _, i := range byApp[app] {
			out[i].Goods = append(out[i].Goods, g)
		}
	}
	if err := goods.Err(); err != nil {
		return nil, err
	}
	parties, err := s.read.QueryContext(ctx, `SELECT application_id, id, role, name, country FROM parties
		WHERE superseded_at IS NULL AND application_id IN (`+apps+`) ORDER BY id`, w.args...)
	if err != nil {
		return nil, err
	}
	defer parties.Close()
	for parties.Next() {
		var app int64
		var p exportctl.Party
		if err := parties.Scan(&app, &p.ID, &p.Role, &p.Name, &p.Country); err != nil {
			return nil, err
		}
		for _, i := range byApp[app] {
			out[i].Parties = append(out[i].Parties, p)
		}
	}
	return out, parties.Err()
}

// exposureGraph loads the weapon graph and the operators of the countries.
func (s *Store) exposureGraph(ctx context.Context, countries []string) (*exportctl.ExposureGraph, error) {
	g := &exportctl.ExposureGraph{}
	var err error
	if g.Items, err = s.loadItems(ctx, s.read); err != nil {
		return nil, err
	}
	if g.Edges, err = s.loadEdges(ctx, s.read, ""); err != nil {
		return nil, err
	}
	for _, c := range countries {
		ops, err := s.operators(ctx, c, 0)
		if err != nil {
			return nil, err
		}
		g.Operators = append(g.Operators, ops...)
	}
	return g, nil
}

// exposureIncidents loads the incidents attributed to the countries'
// forces from incident_forces alone (redacted when written): one range of
// its key per country.
func (s *Store) exposureIncidents(ctx context.Context, countries []string) ([]exportctl.ExposureIncident, error) {
	byID := map[int64]int{}
	var out []exportctl.ExposureIncident
	for _, c := range countries {
		rows, err := s.read.QueryContext(ctx, `SELECT incident_id, start_date, force, confidence, incident_country, admin1, place,
			latitude, longitude, target, launch, weapons, items, classification_codes
			FROM incident_forces WHERE country = $1 ORDER BY country, start_date, incident_id`, c)
		if err != nil {
			return nil, err
		}
		for rows.Next() {
			var x exportctl.ExposureIncident
			var lat, lon sql.NullFloat64
			var items, codes string
			fa := exportctl.ForceAttribution{Country: c}
			if err := rows.Scan(&x.ID, &x.Date, &fa.Name, &fa.Confidence, &x.Country, &x.Admin1, &x.Place, &lat, &lon,
				&x.Target, &x.Launch, &x.Weapons, &items, &codes); err != nil {
				rows.Close()
				return nil, err
			}
			if i, ok := byID[x.ID]; ok {
				out[i].Forces = append(out[i].Forces, fa)
				continue
			}
			if lat.Valid && lon.Valid {
				x.Latitude, x.Longitude = &lat.Float64, &lon.Float64
			}
			x.Forces = []exportctl.ForceAttribution{fa}
			if codes != "" {
				x.Classifications = strings.Split(strings.Trim(codes, "|"), "|")
			}
			for _, id := range strings.Split(items, ",") {
				if n, err := strconv.ParseInt(id, 10, 64); err == nil {
					x.Items = append(x.Items, n)
				}
			}
			byID[x.ID] = len(out)
			out = append(out, x)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}
