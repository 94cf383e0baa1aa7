package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

// Historical data: CAAT's compilation of the UK Strategic Export Controls
// database, imported as decided cases.
const (
	// HistoricalOrgCAAT is the organisation historical cases are filed under.
	HistoricalOrgCAAT = "Historical data (CAAT)"
	// HistoricalEndUser names the end user CAAT does not publish.
	HistoricalEndUser = "Unknown end user (historical data)"
	// HistoricalDecidedBy is the decision maker of record.
	HistoricalDecidedBy = "UK government (published data compiled by CAAT)"
	// HistoricalRefPrefix starts the reference of every CAAT case and licence.
	HistoricalRefPrefix = "CAAT/"
	historicalSource    = "caat"
	// historicalBatch is the number of licence groups written per transaction.
	historicalBatch = 2000
)

// historicalCriteriaSet names the criteria in force on a date: the
// Consolidated EU and National Arms Export Licensing Criteria of 2000,
// replaced on 25 March 2014. CAAT's values file does not say which
// criteria a refusal cited, so decisions carry none.
func historicalCriteriaSet(date string) string {
	if date >= "2014-03-25" {
		return "uk-consolidated-2014"
	}
	return "uk-consolidated-2000"
}

// historicalGroup is one CAAT licence group: one case with a good per
// rating, to one destination, decided on one day.
type historicalGroup struct {
	key       string
	date      time.Time
	dateS     string
	dest      string
	refused   bool
	licence   string
	rows      []exportctl.HistoricalDecision
	hash      string
	valueP    int64
	appID     int64 // set once written
	oldAppID  int64
	goodsText string
}

func (g *historicalGroup) outcome() string {
	if g.refused {
		return exportctl.OutcomeRefused
	}
	return exportctl.OutcomeIssued
}

func (g *historicalGroup) reference() string { return HistoricalRefPrefix + g.key }

func pence(gbp float64) int64 { return int64(math.Round(gbp * 100)) }

func (g *historicalGroup) digest() string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x1f%s\x1f%t\x1f%s\x1e", g.dateS, g.dest, g.refused, g.licence)
	for _, r := range g.rows {
		fmt.Fprintf(h, "%s\x1f%d\x1f%d\x1e", r.Rating, r.Count, pence(r.ValueGBP))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// ImportHistorical imports historical decisions (admins and the system):
// each CAAT licence group becomes a finalised application (reference
// CAAT/<group>, marked historical, of the organisation "Historical data
// (CAAT)") with one good per rating (described by the ratings dictionary's
// title), an end user of unknown name in the destination, a decision
// (issued or refused; no criteria, which the file does not give) and, when
// issued, a licence of the same reference that expired two years after the
// decision. The rows of a group must agree on date, destination, outcome
// and licence type (errors name the group). Cases and licences are written
// in batched transactions of 2,000 groups with one audit event per batch
// that changed something, and one for the whole import; no case or licence
// transitions are recorded (the history of these cases is the import).
//
// A group already imported with the same rows is unchanged; one whose rows
// differ is updated in place: its goods are superseded by the new ones,
// its projections rewritten and, when the outcome changed, a new decision
// appended and its licence issued, or revoked with the reason. Counts are
// in rows (Read = New + Updated + Unchanged).
func (s *Store) ImportHistorical(ctx context.Context, a exportctl.Actor, file string, rows iter.Seq[exportctl.HistoricalDecision]) (ImportResult, error) {
	const op = "historical.import"
	var res ImportResult
	if a.Role == "" {
		return res, exportctl.Unauthorized("sign in first")
	}
	if err := a.Require(op, exportctl.RoleAdmin, "system"); err != nil {
		return res, err
	}
	file = strings.TrimSpace(file)
	if file == "" || len(file) > 200 {
		return res, exportctl.Invalid("file", "name the file the decisions come from, in at most 200 characters")
	}
	groups, err := collectHistorical(rows)
	if err != nil || len(groups) == 0 {
		return res, err
	}
	for _, g := range groups {
		res.Read += len(g.rows)
	}
	titles, err := s.ratingTitles(ctx)
	if err != nil {
		return res, exportctl.Internal(op, err)
	}
	existing, err := s.historicalRecords(ctx)
	if err != nil {
		return res, exportctl.Internal(op, err)
	}
	// A database whose history was imported before the public register
	// existed gets the register rows of unchanged groups too.
	var registered int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM register_entries WHERE historical = 1`).Scan(&registered); err != nil {
		return res, exportctl.Internal(op, err)
	}
	var fresh, changed, unregistered []*historicalGroup
	for _, g := range groups {
		g.hash = g.digest()
		g.goodsText = goodsSummary(historicalGoods(g, titles))
		if old, ok := existing[g.key]; ok {
			g.oldAppID = old.appID
			if old.hash == g.hash {
				res.Unchanged += len(g.rows)
				if registered < len(existing) {
					unregistered = append(unregistered, g)
				}
				continue
			}
			changed = append(changed, g)
			continue
		}
		fresh = append(fresh, g)
	}
	now := s.now().UTC()
	var orgID int64
	if len(fresh) > 0 {
		if orgID, err = s.historicalOrg(ctx, now); err != nil {
			return res, err
		}
	}
	for batch := 0; len(fresh)+len(changed) > 0; batch++ {
		nf := min(len(fresh), historicalBatch)
		nc := min(len(changed), historicalBatch-nf)
		bf, bc := fresh[:nf], changed[:nc]
		fresh, changed = fresh[nf:], changed[nc:]
		var updatedRefs []string
		err := s.tx(ctx, op, func(tx *sql.Tx) error {
			if err := s.insertHistorical(ctx, tx, orgID, file, bf, titles, now); err != nil {
				return err
			}
			for _, g := range bc {
				if err := s.updateHistorical(ctx, tx, a, file, g, titles, now); err != nil {
					return fmt.Errorf("licence group %s: %w", g.key, err)
				}
				updatedRefs = append(updatedRefs, g.reference())
			}
			if err := s.registerHistorical(ctx, tx, append(bf[:len(bf):len(bf)], bc...)); err != nil {
				return err
			}
			summary := map[string]any{"file": file, "batch": batch + 1, "new_cases": len(bf), "updated_cases": len(bc)}
			if len(updatedRefs) > 0 {
				summary["updated"] = updatedRefs
			}
			return s.audit(ctx, tx, a, now, op+"_batch", "historical_import", 0, summary)
		})
		if err != nil {
			return res, err
		}
		for _, g := range bf {
			res.New += len(g.rows)
		}
		for _, g := range bc {
			res.Updated += len(g.rows)
		}
	}
	for len(unregistered) > 0 {
		n := min(len(unregistered), historicalBatch)
		if err := s.tx(ctx, op, func(tx *sql.Tx) error { return s.registerHistorical(ctx, tx, unregistered[:n]) }); err != nil {
			return res, err
		}
		unregistered = unregistered[n:]
	}
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		return s.audit(ctx, tx, a, now, op, "historical_import", 0, map[string]any{
			"file": file, "source": historicalSource, "read": res.Read, "new": res.New, "updated": res.Updated, "unchanged": res.Unchanged})
	})
	return res, err
}

// collectHistorical groups the rows by licence group (in order of first
// appearance) and checks that each group's rows agree.
func collectHistorical(rows iter.Seq[exportctl.HistoricalDecision]) ([]*historicalGroup, error) {
	var groups []*historicalGroup
	byKey := map[string]*historicalGroup{}
	var errs exportctl.Errors
	for r := range rows {
		r.Group = strings.TrimSpace(r.Group)
		field := "group " + r.Group
		if r.Group == "" {
			errs = append(errs, exportctl.Invalid("group", "a row has no licence group"))
			continue
		}
		g := byKey[r.Group]
		if g == nil {
			d, err := time.Parse(time.DateOnly, r.Date)
			if err != nil {
				errs = append(errs, exportctl.Invalid(field, "date %q is not YYYY-MM-DD", r.Date))
				continue
			}
			if c, err := exportctl.ParseCountry(field, r.Destination); err != nil || c != r.Destination {
				errs = append(errs, exportctl.Invalid(field, "destination %q is not an ISO 3166-1 alpha-2 code", r.Destination))
				continue
			}
			lt := r.LicenceType
			if lt == "" {
				lt = "SIEL"
			}
			g = &historicalGroup{key: r.Group, date: d, dateS: r.Date, dest: r.Destination, refused: r.Refused, licence: lt}
			byKey[r.Group] = g
			groups = append(groups, g)
		}
		lt := r.LicenceType
		if lt == "" {
			lt = "SIEL"
		}
		switch {
		case r.Date != g.dateS:
			errs = append(errs, exportctl.Invalid(field, "rows disagree on the date (%s, %s)", g.dateS, r.Date))
		case r.Destination != g.dest:
			errs = append(errs, exportctl.Invalid(field, "rows disagree on the destination (%s, %s)", g.dest, r.Destination))
		case r.Refused != g.refused:
			errs = append(errs, exportctl.Invalid(field, "rows disagree on whether it was refused"))
		case lt != g.licence:
			errs = append(errs, exportctl.Invalid(field, "rows disagree on the licence type (%s, %s)", g.licence, lt))
		case strings.TrimSpace(r.Rating) == "":
			errs = append(errs, exportctl.Invalid(field, "a row has no rating"))
		case r.Count < 0 || r.ValueGBP < 0 || math.IsNaN(r.ValueGBP) || r.ValueGBP > 1e13:
			errs = append(errs, exportctl.Invalid(field, "count and value must be zero or more"))
		case slices.ContainsFunc(g.rows, func(o exportctl.HistoricalDecision) bool { return o.Rating == r.Rating }):
			errs = append(errs, exportctl.Invalid(field, "rating %s appears twice", r.Rating))
		default:
			g.rows = append(g.rows, r)
			g.valueP += pence(r.ValueGBP)
		}
		if len(errs) >= 100 {
			break
		}
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	for _, g := range groups {
		slices.SortFunc(g.rows, func(x, y exportctl.HistoricalDecision) int { return strings.Compare(x.Rating, y.Rating) })
	}
	return groups, nil
}

// ratingTitles maps ratings to the dictionary's titles.
func (s *Store) ratingTitles(ctx context.Context) (map[string]string, error) {
	rs, err := s.Ratings(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(rs))
	for _, r := range rs {
		out[r.Code] = r.Title
	}
	return out, nil
}

// historicalDescription describes goods by their rating: the dictionary's
// title, the Military List heading, or the rating itself.
func historicalDescription(rating string, titles map[string]string) string {
	if t := titles[rating]; t != "" {
		return t
	}
	if t := exportctl.RatingTitle(rating); t != "" {
		return t
	}
	return "Goods rated " + rating
}

func historicalGoods(g *historicalGroup, titles map[string]string) []exportctl.Good {
	out := make([]exportctl.Good, len(g.rows))
	for i, r := range g.rows {
		out[i] = exportctl.Good{Description: historicalDescription(r.Rating, titles), Rating: r.Rating, Quantity: float64(r.Count),
			Unit: "item", ValuePence: pence(r.ValueGBP)}
	}
	return out
}

type historicalRecord struct {
	appID int64
	hash  string
}

func (s *Store) historicalRecords(ctx context.Context) (map[string]historicalRecord, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT record_key, application_id, row_hash FROM historical_records WHERE source = $1`, historicalSource)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]historicalRecord{}
	for rows.Next() {
		var k string
		var r historicalRecord
		if err := rows.Scan(&k, &r.appID, &r.hash); err != nil {
			return nil, err
		}
		out[k] = r
	}
	return out, rows.Err()
}

// historicalOrg finds or creates the organisation of historical cases.
func (s *Store) historicalOrg(ctx context.Context, now time.Time) (int64, error) {
	var id int64
	err := s.tx(ctx, "historical.organisation", func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id FROM organisations WHERE name = $1`, HistoricalOrgCAAT).Scan(&id)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO organisations (name, kind, created_at) VALUES ($1, 'exporter', $2) RETURNING id`,
			HistoricalOrgCAAT, ts(now)).Scan(&id); err != nil {
			return err
		}
		return s.audit(ctx, tx, exportctl.System, now, "organisation.create", "organisation", id, map[string]string{
			"name": HistoricalOrgCAAT, "kind": "exporter", "why": "historical cases imported from CAAT's data"})
	})
	return id, err
}

// insertMany runs a multi-row INSERT of rows (each len(cols) values) in
// chunks, with tail after the values (ON CONFLICT ..., RETURNING ...);
// with a scan function it reads what RETURNING gives back. On SQLite the
// placeholders are "?": SQLite looks numbered ones up by name, which made
// a 500-row statement's binding quadratic (most of a CAAT import's time).
func (s *Store) insertMany(ctx context.Context, tx *sql.Tx, table string, cols []string, rows [][]any, tail string, scan func(*sql.Rows) error) error {
	const maxParams = 30000
	per := max(1, min(500, maxParams/len(cols)))
	for len(rows) > 0 {
		n := min(per, len(rows))
		chunk := rows[:n]
		rows = rows[n:]
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		args := make([]any, 0, n*len(cols))
		for i, r := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteByte('(')
			for j := range cols {
				if j > 0 {
					b.WriteString(", ")
				}
				if s.dialect.isPostgres() {
					b.WriteString("$" + strconv.Itoa(len(args)+j+1))
				} else {
					b.WriteByte('?')
				}
			}
			b.WriteByte(')')
			args = append(args, r...)
		}
		if tail != "" {
			b.WriteString(" " + tail)
		}
		if scan == nil {
			if _, err := tx.ExecContext(ctx, b.String(), args...); err != nil {
				return fmt.Errorf("insert into %s: %w", table, err)
			}
			continue
		}
		res, err := tx.QueryContext(ctx, b.String(), args...)
		if err != nil {
			return fmt.Errorf("insert into %s: %w", table, err)
		}
		for res.Next() {
			if err := scan(res); err != nil {
				res.Close()
				return err
			}
		}
		res.Close()
		if err := res.Err(); err != nil {
			return err
		}
	}
	return nil
}

func historicalReasons(file, key string) string {
	return fmt.Sprintf("Historical decision published in the UK Strategic Export Controls database, imported from CAAT's compilation (%s, licence group %s)", file, key)
}

// insertHistorical writes new groups with multi-row inserts.
func (s *Store) insertHistorical(ctx context.Context, tx *sql.Tx, orgID int64, file string, gs []*historicalGroup, titles map[string]string, now time.Time) error {
	if len(gs) == 0 {
		return nil
	}
	byRef := make(map[string]*historicalGroup, len(gs))
	apps := make([][]any, len(gs))
	for i, g := range gs {
		at := ts(g.date)
		byRef[g.reference()] = g
		apps[i] = []any{g.reference(), orgID, g.licence, exportctl.ExportPermanent, exportctl.StatusFinalised, g.outcome(), g.dest,
			HistoricalEndUser, g.goodsText, g.valueP, at, at, at, 1}
	}
	err := s.insertMany(ctx, tx, "applications", []string{"reference", "org_id", "licence_type", "export_type", "status", "outcome", "destination",
		"end_user_name", "goods_summary", "total_value_pence", "created_at", "submitted_at", "decided_at", "historical"}, apps, "RETURNING id, reference",
		func(r *sql.Rows) error {
			var id int64
			var ref string
			if err := r.Scan(&id, &ref); err != nil {
				return err
			}
			byRef[ref].appID = id
			return nil
		})
	if err != nil {
		return err
	}
	created := ts(now)
	var goods, parties, decisions, records [][]any
	byApp := make(map[int64]*historicalGroup, len(gs))
	for _, g := range gs {
		byApp[g.appID] = g
		at := ts(g.date)
		for _, gd := range historicalGoods(g, titles) {
			goods = append(goods, []any{g.appID, gd.Description, gd.Rating, gd.Quantity, gd.Unit, gd.ValuePence, at})
		}
		parties = append(parties, []any{g.appID, exportctl.PartyEndUser, HistoricalEndUser, g.dest, at})
		decisions = append(decisions, []any{g.appID, g.outcome(), historicalCriteriaSet(g.dateS), historicalReasons(file, g.key), HistoricalDecidedBy, at})
		records = append(records, []any{historicalSource, g.key, g.appID, g.hash, file, created})
	}
	if err := s.insertMany(ctx, tx, "goods", []string{"application_id", "description", "rating", "quantity", "unit", "value_pence", "created_at"}, goods, "", nil); err != nil {
		return err
	}
	if err := s.insertMany(ctx, tx, "parties", []string{"application_id", "role", "name", "country", "created_at"}, parties, "", nil); err != nil {
		return err
	}
	decisionIDs := make(map[int64]int64, len(gs))
	if err := s.insertMany(ctx, tx, "decisions", []string{"application_id", "outcome", "criteria_set", "reasons", "decided_by_name", "decided_at"}, decisions,
		"RETURNING id, application_id", func(r *sql.Rows) error {
			var id, app int64
			if err := r.Scan(&id, &app); err != nil {
				return err
			}
			decisionIDs[app] = id
			return nil
		}); err != nil {
		return err
	}
	var licences [][]any
	for _, g := range gs {
		if !g.refused {
			licences = append(licences, historicalLicenceRow(g, orgID, decisionIDs[g.appID]))
		}
	}
	if err := s.insertMany(ctx, tx, "licences", historicalLicenceCols, licences, "", nil); err != nil {
		return err
	}
	return s.insertMany(ctx, tx, "historical_records", []string{"source", "record_key", "application_id", "row_hash", "file", "imported_at"}, records, "", nil)
}

var historicalLicenceCols = []string{"reference", "application_id", "decision_id", "org_id", "licence_type", "export_type", "destination", "status",
	"valid_from", "valid_until", "issued_at", "historical"}

// historicalLicenceRow is an issued group's licence: valid for the
// default two years from the decision, long expired.
func historicalLicenceRow(g *historicalGroup, orgID, decisionID int64) []any {
	from := g.date.Format(time.DateOnly)
	until := g.date.AddDate(exportctl.DefaultValidity(g.licence, exportctl.ExportPermanent), 0, 0).Format(time.DateOnly)
	return []any{g.reference(), g.appID, decisionID, orgID, g.licence, exportctl.ExportPermanent, g.dest, exportctl.LicenceExpired,
		from, until, ts(g.date), 1}
}

// updateHistorical brings an imported group in line with changed rows.
func (s *Store) updateHistorical(ctx context.Context, tx *sql.Tx, a exportctl.Actor, file string, g *historicalGroup, titles map[string]string, now time.Time) error {
	g.appID = g.oldAppID
	var outcome, dest string
	var orgID int64
	if err := tx.QueryRowContext(ctx, `SELECT outcome, destination, org_id FROM applications WHERE id = $1`, g.appID).Scan(&outcome, &dest, &orgID); err != nil {
		return err
	}
	at, created := ts(g.date), ts(now)
	if _, err := tx.ExecContext(ctx, `UPDATE goods SET superseded_at = $1 WHERE application_id = $2 AND superseded_at IS NULL`, created, g.appID); err != nil {
		return err
	}
	for _, gd := range historicalGoods(g, titles) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO goods (application_id, description, rating, quantity, unit, value_pence, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, g.appID, gd.Description, gd.Rating, gd.Quantity, gd.Unit, gd.ValuePence, created); err != nil {
			return err
		}
	}
	if dest != g.dest {
		if _, err := tx.ExecContext(ctx, `UPDATE parties SET superseded_at = $1 WHERE application_id = $2 AND superseded_at IS NULL`, created, g.appID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO parties (application_id, role, name, country, created_at) VALUES ($1, $2, $3, $4, $5)`,
			g.appID, exportctl.PartyEndUser, HistoricalEndUser, g.dest, created); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `UPDATE applications SET licence_type = $1, outcome = $2, destination = $3, goods_summary = $4,
			total_value_pence = $5, created_at = $6, submitted_at = $6, decided_at = $6 WHERE id = $7`,
		g.licence, g.outcome(), g.dest, g.goodsText, g.valueP, at, g.appID); err != nil {
		return err
	}
	var licenceID int64
	var licenceStatus string
	err := tx.QueryRowContext(ctx, `SELECT id, status FROM licences WHERE application_id = $1`, g.appID).Scan(&licenceID, &licenceStatus)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return err
	}
	var decisionID int64
	if outcome != g.outcome() {
		if err := tx.QueryRowContext(ctx, `INSERT INTO decisions (application_id, outcome, criteria_set, reasons, decided_by_name, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, g.appID, g.outcome(), historicalCriteriaSet(g.dateS),
			historicalReasons(file, g.key)+"; the published record changed from "+outcome, HistoricalDecidedBy, at).Scan(&decisionID); err != nil {
			return err
		}
	}
	moveLicence := func(to, action, reasons string) error {
		if _, err := tx.ExecContext(ctx, `UPDATE licences SET status = $1 WHERE id = $2`, to, licenceID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO licence_transitions (licence_id, from_status, action, to_status, reasons, actor_id, at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, licenceID, licenceStatus, action, to, reasons, nullID(a.UserID), created)
		return err
	}
	switch {
	case g.refused && licenceID != 0 && licenceStatus != exportctl.LicenceRevoked:
		if err := moveLicence(exportctl.LicenceRevoked, exportctl.ActRevoke, "the published record of licence group "+g.key+" ("+file+") is now a refusal"); err != nil {
			return err
		}
	case !g.refused && licenceID == 0:
		if decisionID == 0 {
			return fmt.Errorf("issued without a decision")
		}
		if err := s.insertMany(ctx, tx, "licences", historicalLicenceCols, [][]any{historicalLicenceRow(g, orgID, decisionID)}, "", nil); err != nil {
			return err
		}
	case !g.refused:
		if licenceStatus != exportctl.LicenceExpired {
			if err := moveLicence(exportctl.LicenceExpired, exportctl.ActExpire, "the published record of licence group "+g.key+" ("+file+") is again an issue"); err != nil {
				return err
			}
		}
		row := historicalLicenceRow(g, orgID, decisionID)
		if _, err := tx.ExecContext(ctx, `UPDATE licences SET licence_type = $1, destination = $2, valid_from = $3, valid_until = $4, issued_at = $5 WHERE id = $6`,
			g.licence, g.dest, row[8], row[9], row[10], licenceID); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `UPDATE historical_records SET row_hash = $1, file = $2, updated_at = $3 WHERE source = $4 AND record_key = $5`,
		g.hash, file, created, historicalSource, g.key)
	return err
}
