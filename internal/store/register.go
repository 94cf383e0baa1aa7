package store

import (
	"cmp"
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

// The public register is a projection of the transparency log: each
// published leaf becomes a row built from the leaf's public fields alone
// (project), in the transaction that appends it, so the register can show
// nothing the log did not publish. Historical decisions (CAAT) are added
// from the published data they come from (registerHistorical).

// leafPublic is the union of the public fields of the leaf kinds.
type leafPublic struct {
	Outcome     string   `json:"outcome"`
	LicenceType string   `json:"licence_type"`
	ExportType  string   `json:"export_type"`
	Destination string   `json:"destination"`
	Criteria    []string `json:"criteria"`
	Ratings     []string `json:"ratings"`
	Military    bool     `json:"military"`
	EndUserType string   `json:"end_user_type"`
	ValueGBP    *float64 `json:"value_gbp"`
	Action      string   `json:"action"`
	Reasons     string   `json:"reasons"`
	Kind        string   `json:"kind"`
	Scope       string   `json:"scope"`
	Review      string   `json:"review"`     // a status change a review applied
	Conditions  string   `json:"conditions"` // an amendment's conditions
}

// registerRow is a row of register_entries before it is written.
type registerRow struct {
	logIndex                                        *int64
	kind, outcome, reference, date, at              string
	licenceType, exportType, destination, endUserTy string
	ratings, criteria                               []string
	military                                        bool
	valuePence                                      *int64
	goodsSummary, reasons                           string
	historical                                      bool
}

// publicGoodsSummary describes goods by their control-list headings: the
// summary the official register publishes, which (unlike an exporter's own
// description) holds no commercial detail.
func publicGoodsSummary(ratings []string) string {
	var parts []string
	for _, r := range ratings {
		t := exportctl.RatingTitle(r)
		if t == "" {
			parts = append(parts, r)
			continue
		}
		parts = append(parts, r+": "+t)
	}
	return strings.Join(parts, "; ")
}

// leafRow is the part of a leaf's register row that the leaf itself holds:
// all of it for a decision; a status change or departure copies what was
// licensed from its decision's row (project). ok is false for kinds the
// register does not show.
func leafRow(idx int64, leaf exportctl.LogLeaf) (r registerRow, ok bool, err error) {
	switch leaf.Kind {
	case exportctl.LogDecision, exportctl.LogDeparture, exportctl.LogLicenceStatus:
	default:
		return r, false, nil // reviews and statistics releases have pages of their own
	}
	var p leafPublic
	if err := json.Unmarshal(leaf.Public, &p); err != nil {
		return r, false, err
	}
	r = registerRow{logIndex: &idx, kind: leaf.Kind, reference: leaf.Reference, at: ts(leaf.At),
		date: leaf.At.UTC().Format(time.DateOnly), destination: p.Destination}
	switch leaf.Kind {
	case exportctl.LogDecision:
		r.outcome, r.licenceType, r.exportType, r.endUserTy = p.Outcome, p.LicenceType, p.ExportType, p.EndUserType
		r.ratings, r.criteria, r.military, r.reasons = p.Ratings, p.Criteria, p.Military, p.Reasons
		r.goodsSummary = publicGoodsSummary(p.Ratings)
		if p.ValueGBP != nil {
			v := int64(math.Round(*p.ValueGBP * 100))
			r.valuePence = &v
		}
	case exportctl.LogDeparture:
		r.outcome, r.criteria, r.reasons = exportctl.RegisterDeparture, p.Criteria, p.Reasons
		if p.Scope != "" {
			r.reasons = "Scope: " + p.Scope + "\n" + p.Reasons
		}
	case exportctl.LogLicenceStatus:
		r.outcome, r.reasons = exportctl.RegisterOutcome(p.Action), p.Reasons
		if p.Conditions != "" {
			r.reasons += "\nConditions: " + p.Conditions
		}
		if p.Review != "" {
			r.reasons += "\nApplied by review " + p.Review + " (/public/reviews)."
		}
	}
	return r, true, nil
}

// project writes the register rows of leaves just appended from index n.
func (s *Store) project(ctx context.Context, tx *sql.Tx, n int64, leaves []pendingLeaf) error {
	var rows []registerRow
	for i, l := range leaves {
		r, ok, err := leafRow(n+int64(i), l.leaf)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if l.leaf.Kind != exportctl.LogDecision {
			// What was licensed is the published decision's: copy it (from
			// this batch when the decision is in it).
			if err := s.copyLicensed(ctx, tx, &r, rows); err != nil {
				return err
			}
		}
		rows = append(rows, r)
	}
	return s.insertRegister(ctx, tx, rows)
}

// copyLicensed fills a status change's or departure's row with what its
// decision published: from the rows about to be written, else the register.
func (s *Store) copyLicensed(ctx context.Context, tx *sql.Tx, r *registerRow, pending []registerRow) error {
	for i := len(pending) - 1; i >= 0; i-- {
		if d := pending[i]; d.kind == exportctl.LogDecision && d.reference == r.reference {
			r.licenceType, r.exportType, r.endUserTy, r.ratings, r.military, r.valuePence, r.goodsSummary =
				d.licenceType, d.exportType, d.endUserTy, d.ratings, d.military, d.valuePence, d.goodsSummary
			return nil
		}
	}
	var ratings string
	var value sql.NullInt64
	err := tx.QueryRowContext(ctx, `SELECT licence_type, export_type, end_user_type, ratings, military, value_pence, goods_summary
		FROM register_entries WHERE reference = $1 AND kind = $2 ORDER BY id DESC LIMIT 1`, r.reference, exportctl.LogDecision).
		Scan(&r.licenceType, &r.exportType, &r.endUserTy, &ratings, &r.military, &value, &r.goodsSummary)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	r.ratings = strings.Fields(ratings)
	if value.Valid {
		r.valuePence = &value.Int64
	}
	return nil
}

// checkRegister compares the register's logged rows with the leaves they
// project (want, by log index): a row edited or added behind the system's
// back, or missing, is named.
func (s *Store) checkRegister(ctx context.Context, want map[int64]registerRow) ([]exportctl.LogMismatch, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+registerColumns+` FROM register_entries r WHERE r.log_index IS NOT NULL ORDER BY r.log_index`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []exportctl.LogMismatch
	seen := map[int64]bool{}
	for rows.Next() {
		e, err := scanRegister(rows)
		if err != nil {
			return nil, err
		}
		idx := *e.LogIndex
		seen[idx] = true
		w, ok := want[idx]
		subject := "register entry " + strconv.FormatInt(e.ID, 10)
		if !ok {
			out = append(out, exportctl.LogMismatch{Index: idx, Subject: subject, Detail: "shows a log entry that publishes nothing of the kind"})
			continue
		}
		var diffs []string
		cmpField := func(name, got, logged string) {
			if got != logged {
				diffs = append(diffs, fmt.Sprintf("%s is %q, the log says %q", name, got, logged))
			}
		}
		cmpField("kind", e.Kind, w.kind)
		cmpField("outcome", e.Outcome, w.outcome)
		cmpField("reference", e.Reference, w.reference)
		cmpField("date", e.Date, w.date)
		cmpField("destination", e.Destination, w.destination)
		cmpField("criteria", strings.Join(e.Criteria, " "), strings.Join(w.criteria, " "))
		cmpField("reasons", e.Reasons, w.reasons)
		if w.kind == exportctl.LogDecision {
			cmpField("licence_type", e.LicenceType, w.licenceType)
			cmpField("end_user_type", e.EndUserType, w.endUserTy)
			cmpField("ratings", strings.Join(e.Ratings, " "), strings.Join(w.ratings, " "))
			cmpField("goods_summary", e.GoodsSummary, w.goodsSummary)
			value := func(v *int64) string {
				if v == nil {
					return "not published"
				}
				return strconv.FormatInt(*v, 10)
			}
			var got *int64
			if e.ValueGBP != nil {
				v := int64(math.Round(*e.ValueGBP * 100))
				got = &v
			}
			cmpField("value_pence", value(got), value(w.valuePence))
		}
		if len(diffs) > 0 {
			out = append(out, exportctl.LogMismatch{Index: idx, Subject: subject, Detail: "the public register differs from the log: " + strings.Join(diffs, "; ")})
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for idx, w := range want {
		if !seen[idx] {
			out = append(out, exportctl.LogMismatch{Index: idx, Subject: w.kind + " " + w.reference, Detail: "logged but missing from the public register"})
		}
	}
	slices.SortFunc(out, func(a, b exportctl.LogMismatch) int { return cmp.Compare(a.Index, b.Index) })
	return out, nil
}

// insertRegister writes register rows. It first takes the lock of
// register_state (bumping its version), so rows are inserted, and their ids
// handed out, in the order the servers' search copies load them.
func (s *Store) insertRegister(ctx context.Context, tx *sql.Tx, rows []registerRow) error {
	if len(rows) == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `UPDATE register_state SET version = version + 1 WHERE id = 1`); err != nil {
		return err
	}
	values := make([][]any, len(rows))
	for i, r := range rows {
		var idx, value any
		if r.logIndex != nil {
			idx = *r.logIndex
		}
		if r.valuePence != nil {
			value = *r.valuePence
		}
		values[i] = []any{idx, r.kind, r.outcome, r.reference, r.date, r.at, r.licenceType, r.exportType, r.destination, r.endUserTy,
			strings.Join(r.ratings, " "), boolInt(r.military), value, strings.Join(r.criteria, " "), r.goodsSummary, r.reasons, boolInt(r.historical)}
	}
	return s.insertMany(ctx, tx, "register_entries", []string{"log_index", "kind", "outcome", "reference", "event_date", "at", "licence_type",
		"export_type", "destination", "end_user_type", "ratings", "military", "value_pence", "criteria", "goods_summary", "reasons", "historical"},
		values, "", nil)
}

// registerHistorical (re)writes the register rows of historical groups
// from the published data they were imported from.
func (s *Store) registerHistorical(ctx context.Context, tx *sql.Tx, gs []*historicalGroup) error {
	if len(gs) == 0 {
		return nil
	}
	refs := make([]string, len(gs))
	for i, g := range gs {
		refs[i] = g.reference()
	}
	list, _ := json.Marshal(refs)
	// A rewrite: the search copies reload.
	if _, err := tx.ExecContext(ctx, `UPDATE register_state SET generation = generation + 1 WHERE id = 1`); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, strings.Replace(`DELETE FROM register_entries WHERE historical = 1 AND `+s.dialect.inJSONList("reference"), "?", "$1", 1), string(list)); err != nil {
		return err
	}
	rows := make([]registerRow, len(gs))
	for i, g := range gs {
		r := registerRow{kind: exportctl.LogDecision, outcome: g.outcome(), reference: g.reference(), date: g.dateS, at: ts(g.date),
			licenceType: g.licence, exportType: exportctl.ExportPermanent, destination: g.dest, goodsSummary: g.goodsText, historical: true}
		for _, row := range g.rows {
			if !slices.Contains(r.ratings, row.Rating) {
				r.ratings = append(r.ratings, row.Rating)
			}
			r.military = r.military || exportctl.MilitaryRating(row.Rating)
		}
		if !exportctl.OpenLicence(g.licence) {
			v := g.valueP
			r.valuePence = &v
		}
		rows[i] = r
	}
	return s.insertRegister(ctx, tx, rows)
}

const registerColumns = `r.id, r.log_index, r.kind, r.outcome, r.reference, r.event_date, r.at, r.licence_type, r.export_type, r.destination,
	r.end_user_type, r.ratings, r.military, r.value_pence, r.criteria, r.goods_summary, r.reasons, r.historical`

func scanRegister(row interface{ Scan(...any) error }) (exportctl.RegisterEntry, error) {
	var e exportctl.RegisterEntry
	var idx, value sql.NullInt64
	var at, ratings, criteria string
	var military, historical int
	err := row.Scan(&e.ID, &idx, &e.Kind, &e.Outcome, &e.Reference, &e.Date, &at, &e.LicenceType, &e.ExportType, &e.Destination,
		&e.EndUserType, &ratings, &military, &value, &criteria, &e.GoodsSummary, &e.Reasons, &historical)
	if err != nil {
		return e, err
	}
	if idx.Valid {
		e.LogIndex = &idx.Int64
	}
	if value.Valid {
		v := float64(value.Int64) / 100
		e.ValueGBP = &v
	}
	e.At, e.Military, e.Historical = parseTS(at), military != 0, historical != 0
	e.Ratings, e.Criteria = strings.Fields(ratings), strings.Fields(criteria)
	if e.Historical {
		e.Source = exportctl.HistoricalAttribution
	}
	return e, nil
}

// Register searches the public register, newest first, keyset-paged
// (cursor "<date>.<id>"). Anyone may search it, signed in or not. The
// search runs on the server's in-memory copy (register_search.go); the
// page's rows are then read from the database.
func (s *Store) Register(ctx context.Context, f exportctl.RegisterFilter) (exportctl.Page[exportctl.RegisterEntry], error) {
	const op = "register.search"
	page := exportctl.Page[exportctl.RegisterEntry]{Items: []exportctl.RegisterEntry{}}
	if err := f.Validate(); err != nil {
		return page, err
	}
	var after string
	var afterID int64
	if f.Cursor != "" {
		var err error
		if after, afterID, err = parseIncidentCursor(f.Cursor); err != nil {
			return page, err
		}
	}
	ix, err := s.registerSearch(ctx)
	if err != nil {
		return page, exportctl.Internal(op, err)
	}
	limit := pageLimit(f.Limit)
	ids, total := ix.search(&f, after, afterID, limit+1)
	page.Total = total
	if len(ids) == 0 {
		return page, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+registerColumns+` FROM register_entries r WHERE r.id IN (`+placeholders(1, len(ids))+`)`, args...)
	if err != nil {
		return page, exportctl.Internal(op, err)
	}
	defer rows.Close()
	byID := make(map[int64]exportctl.RegisterEntry, len(ids))
	for rows.Next() {
		e, err := scanRegister(rows)
		if err != nil {
			return page, exportctl.Internal(op, err)
		}
		byID[e.ID] = e
	}
	if err := rows.Err(); err != nil {
		return page, exportctl.Internal(op, err)
	}
	for _, id := range ids {
		if e, ok := byID[id]; ok { // a row replaced since the copy was loaded is left out
			page.Items = append(page.Items, e)
		}
	}
	if len(ids) > limit {
		page.Items = page.Items[:min(limit, len(page.Items))]
		last := page.Items[len(page.Items)-1]
		next := last.Date + "." + strconv.FormatInt(last.ID, 10)
		page.Next = &next
	}
	return page, nil
}

// RegisterByReference returns every published entry of one case or
// licence reference, oldest first: its decision, later status changes and
// departures. not_found when nothing of it was published.
func (s *Store) RegisterByReference(ctx context.Context, reference string) ([]exportctl.RegisterEntry, error) {
	const op = "register.reference"
	rows, err := s.read.QueryContext(ctx, `SELECT `+registerColumns+` FROM register_entries r WHERE r.reference = $1 ORDER BY r.id`, reference)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	defer rows.Close()
	var out []exportctl.RegisterEntry
	for rows.Next() {
		e, err := scanRegister(rows)
		if err != nil {
			return nil, exportctl.Internal(op, err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, exportctl.Internal(op, err)
	}
	if len(out) == 0 {
		return nil, exportctl.NotFound("published decision", reference)
	}
	return out, nil
}

// RegisterByLogIndex returns the register entry of a log leaf.
func (s *Store) RegisterByLogIndex(ctx context.Context, index int64) (*exportctl.RegisterEntry, error) {
	e, err := scanRegister(s.read.QueryRowContext(ctx, `SELECT `+registerColumns+` FROM register_entries r WHERE r.log_index = $1`, index))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, exportctl.NotFound("register entry for log index", index)
	}
	if err != nil {
		return nil, exportctl.Internal("register.entry", err)
	}
	return &e, nil
}
