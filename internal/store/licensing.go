package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

// visibleOrg says whether the actor sees only one organisation's rows:
// exporters see only their own.
func visibleOrg(a exportctl.Actor) (int64, bool) {
	if a.Role == exportctl.RoleExporter {
		return a.OrgID, true
	}
	return 0, false
}

// canSee applies the visibility rules to one application: exporters see
// their own organisation's; staff see everything that has been submitted
// (a draft is the exporter's own working paper until then).
func canSee(a exportctl.Actor, orgID int64, status string) bool {
	if org, only := visibleOrg(a); only {
		return orgID == org
	}
	return status != exportctl.StatusDraft
}

// restrictApplications adds the visibility rules to a list query. History
// imported from published data (CAAT) stays out of lists unless asked for:
// it is nobody's work.
func restrictApplications(w *where, a exportctl.Actor, includeHistorical bool) {
	if org, only := visibleOrg(a); only {
		w.add("a.org_id = ?", org)
	} else {
		w.add("a.status <> ?", exportctl.StatusDraft)
	}
	if !includeHistorical {
		w.add("a.historical = ?", 0)
	}
}

func requireStaffOrExporter(a exportctl.Actor, op string) error {
	if a.Role == "" {
		return exportctl.Unauthorized("sign in first")
	}
	return nil
}

// CreateApplication drafts an application for the actor's organisation.
func (s *Store) CreateApplication(ctx context.Context, a exportctl.Actor, in exportctl.ApplicationInput) (*exportctl.Application, error) {
	const op = "application.create"
	if err := a.Require(op, exportctl.RoleExporter); err != nil {
		return nil, err
	}
	orgID := a.OrgID
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var id int64
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		seq, err := s.nextSeq(ctx, tx, fmt.Sprintf("application/%d", now.Year()))
		if err != nil {
			return err
		}
		ref := exportctl.Reference(in.LicenceType, now.Year(), seq, in.ExportType)
		var createdBy any
		if a.UserID != 0 {
			createdBy = a.UserID
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO applications (reference, org_id, licence_type, export_type, end_use, status, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			ref, orgID, in.LicenceType, in.ExportType, in.EndUse, exportctl.StatusDraft, createdBy, ts(now)).Scan(&id)
		if err != nil {
			if strings.Contains(err.Error(), "FOREIGN KEY") || strings.Contains(err.Error(), "foreign key") {
				return exportctl.Invalid("org_id", "no organisation with id %d", orgID)
			}
			return err
		}
		for i := range in.Goods {
			if _, err := s.insertGood(ctx, tx, id, &in.Goods[i], now); err != nil {
				return err
			}
		}
		for i := range in.Parties {
			if _, err := s.insertParty(ctx, tx, id, &in.Parties[i], now); err != nil {
				return err
			}
		}
		if err := s.refreshProjection(ctx, tx, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "application", id, map[string]any{
			"reference": ref, "licence_type": in.LicenceType, "export_type": in.ExportType,
			"goods": len(in.Goods), "parties": len(in.Parties)})
	})
	if err != nil {
		return nil, err
	}
	return s.Application(ctx, a, id)
}

// nextSeq increments a named counter inside the transaction. The row lock
// (or SQLite's single writer) makes concurrent callers queue.
func (s *Store) nextSeq(ctx context.Context, tx *sql.Tx, name string) (int64, error) {
	var v int64
	err := tx.QueryRowContext(ctx, `INSERT INTO counters (name, value) VALUES ($1, 1)
		ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value`, name).Scan(&v)
	return v, err
}

func (s *Store) insertGood(ctx context.Context, tx *sql.Tx, appID int64, g *exportctl.GoodInput, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO goods (application_id, description, rating, quantity, unit, value_pence, component_of, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		appID, g.Description, g.Rating, g.Quantity, g.Unit, g.ValuePence(), g.ComponentOf, ts(now)).Scan(&id)
	return id, err
}

func (s *Store) insertParty(ctx context.Context, tx *sql.Tx, appID int64, p *exportctl.PartyInput, now time.Time) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO parties (application_id, role, name, address, country, type, description, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		appID, p.Role, p.Name, p.Address, p.Country, p.Type, p.Description, ts(now)).Scan(&id)
	return id, err
}

// refreshProjection recomputes the list columns of an application (its
// destination, end user, goods summary and value) from its current goods
// and parties, so that lists need no joins.
func (s *Store) refreshProjection(ctx context.Context, tx *sql.Tx, appID int64) error {
	goods, err := s.loadGoods(ctx, tx, appID)
	if err != nil {
		return err
	}
	parties, err := s.loadParties(ctx, tx, appID)
	if err != nil {
		return err
	}
	app := exportctl.Application{Goods: goods, Parties: parties}
	var dest, endUser string
	if eu := app.EndUser(); eu != nil {
		dest, endUser = eu.Country, eu.Name
	}
	var total int64
	for _, g := range goods {
		total += g.ValuePence
	}
	_, err = tx.ExecContext(ctx, `UPDATE applications SET destination = $1, end_user_name = $2, goods_summary = $3, total_value_pence = $4 WHERE id = $5`,
		dest, endUser, goodsSummary(goods), total, appID)
	return err
}

func goodsSummary(goods []exportctl.Good) string {
	var parts []string
	for i, g := range goods {
		if i == 3 {
			parts = append(parts, fmt.Sprintf("and %d more", len(goods)-3))
			break
		}
		parts = append(parts, fmt.Sprintf("%s (%s)", g.Description, g.Rating))
	}
	return strings.Join(parts, "; ")
}

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func (s *Store) loadGoods(ctx context.Context, q queryer, appID int64) ([]exportctl.Good, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, description, rating, quantity, unit, value_pence, component_of
		FROM goods WHERE application_id = $1 AND superseded_at IS NULL ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.Good{}
	for rows.Next() {
		var g exportctl.Good
		if err := rows.Scan(&g.ID, &g.Description, &g.Rating, &g.Quantity, &g.Unit, &g.ValuePence, &g.ComponentOf); err != nil {
			return nil, err
		}
		g.ValueGBP = float64(g.ValuePence) / 100
		out = append(out, g)
	}
	return out, rows.Err()
}

func (s *Store) loadParties(ctx context.Context, q queryer, appID int64) ([]exportctl.Party, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, role, name, address, country, type, description
		FROM parties WHERE application_id = $1 AND superseded_at IS NULL ORDER BY id`, appID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.Party{}
	for rows.Next() {
		var p exportctl.Party
		if err := rows.Scan(&p.ID, &p.Role, &p.Name, &p.Address, &p.Country, &p.Type, &p.Description); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

const appColumns = `a.id, a.reference, a.org_id, o.name, a.licence_type, a.export_type, a.end_use, a.status, a.outcome,
	COALESCE(a.created_by, 0), a.created_at, a.submitted_at, a.decided_at, a.destination, a.total_value_pence,
	COALESCE((SELECT l.id FROM licences l WHERE l.application_id = a.id), 0)`

func scanApplication(row interface{ Scan(...any) error }) (*exportctl.Application, error) {
	var app exportctl.Application
	var created string
	var submitted, decided sql.NullString
	var total int64
	err := row.Scan(&app.ID, &app.Reference, &app.OrgID, &app.OrgName, &app.LicenceType, &app.ExportType, &app.EndUse,
		&app.Status, &app.Outcome, &app.CreatedBy, &created, &submitted, &decided, &app.Destination, &total, &app.LicenceID)
	if err != nil {
		return nil, err
	}
	app.CreatedAt, app.SubmittedAt, app.DecidedAt = parseTS(created), parseTSPtr(submitted), parseTSPtr(decided)
	app.TotalValueGBP = float64(total) / 100
	return &app, nil
}

// getApplication loads an application the actor may see, or not_found.
func (s *Store) getApplication(ctx context.Context, q queryer, a exportctl.Actor, id int64) (*exportctl.Application, error) {
	app, err := scanApplication(q.QueryRowContext(ctx, `SELECT `+appColumns+` FROM applications a JOIN organisations o ON o.id = a.org_id WHERE a.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, exportctl.NotFound("application", id)
	}
	if err != nil {
		return nil, err
	}
	if !canSee(a, app.OrgID, app.Status) {
		return nil, exportctl.NotFound("application", id)
	}
	if app.Goods, err = s.loadGoods(ctx, q, id); err != nil {
		return nil, err
	}
	if app.Parties, err = s.loadParties(ctx, q, id); err != nil {
		return nil, err
	}
	return app, nil
}

// Application returns one application.
func (s *Store) Application(ctx context.Context, a exportctl.Actor, id int64) (*exportctl.Application, error) {
	if err := requireStaffOrExporter(a, "application.get"); err != nil {
		return nil, err
	}
	app, err := s.getApplication(ctx, s.read, a, id)
	if err != nil {
		return nil, s.wrap("application.get", err)
	}
	return app, nil
}

// where builds a WHERE clause with numbered placeholders.
type where struct {
	conds []string
	args  []any
}

func (w *where) add(cond string, arg any) {
	w.args = append(w.args, arg)
	w.conds = append(w.conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(w.args))))
}

func (w *where) sql() string {
	if len(w.conds) == 0 {
		return ""
	}
	return " WHERE " + strings.Join(w.conds, " AND ")
}

// endPage finishes a page read with one row more than limit: when that
// row came, it is dropped and Next is the cursor of the last item kept.
func endPage[T any](page *exportctl.Page[T], limit int, cursor func(T) string) {
	if len(page.Items) > limit {
		page.Items = page.Items[:limit]
		next := cursor(page.Items[limit-1])
		page.Next = &next
	}
}

func pageLimit(n int) int {
	switch {
	case n <= 0:
		return 50
	case n > 500:
		return 500
	}
	return n
}

func parseCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(c, 10, 64)
	if err != nil || id <= 0 {
		return 0, exportctl.Invalid("cursor", "not a cursor from this list")
	}
	return id, nil
}

// Applications lists applications, newest first, keyset-paged by id.
func (s *Store) Applications(ctx context.Context, a exportctl.Actor, f exportctl.ApplicationFilter) (exportctl.Page[exportctl.ApplicationSummary], error) {
	const op = "application.list"
	var page exportctl.Page[exportctl.ApplicationSummary]
	if err := requireStaffOrExporter(a, op); err != nil {
		return page, err
	}
	var w where
	restrictApplications(&w, a, f.IncludeHistorical)
	if f.OrgID != 0 {
		w.add("a.org_id = ?", f.OrgID)
	}
	if f.Status != "" {
		w.add("a.status = ?", f.Status)
	}
	if f.Destination != "" {
		c, err := exportctl.ParseCountry("destination", f.Destination)
		if err != nil {
			return page, err
		}
		w.add("a.destination = ?", c)
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		// One placeholder serves the three LIKEs; % and _ typed by the user match literally.
		pattern := "%" + likeEscaper.Replace(strings.ToLower(q)) + "%"
		w.add(`(LOWER(a.reference) LIKE ? ESCAPE '\' OR LOWER(a.goods_summary) LIKE ? ESCAPE '\' OR LOWER(a.end_user_name) LIKE ? ESCAPE '\')`, pattern)
	}
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM applications a`+w.sql(), w.args...).Scan(&page.Total); err != nil {
		return page, exportctl.Internal(op, err)
	}
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return page, err
	}
	if after > 0 {
		w.add("a.id < ?", after)
	}
	limit := pageLimit(f.Limit)
	rows, err := s.read.QueryContext(ctx, `SELECT a.id, a.reference, o.name, a.licence_type, a.status, a.outcome, a.destination,
		a.end_user_name, a.goods_summary, a.total_value_pence, a.created_at, a.submitted_at
		FROM applications a JOIN organisations o ON o.id = a.org_id`+w.sql()+` ORDER BY a.id DESC LIMIT `+strconv.Itoa(limit+1), w.args...)
	if err != nil {
		return page, exportctl.Internal(op, err)
	}
	defer rows.Close()
	page.Items = []exportctl.ApplicationSummary{}
	for rows.Next() {
		var r exportctl.ApplicationSummary
		var created string
		var submitted sql.NullString
		var total int64
		if err := rows.Scan(&r.ID, &r.Reference, &r.OrgName, &r.LicenceType, &r.Status, &r.Outcome, &r.Destination,
			&r.EndUser, &r.GoodsSummary, &total, &created, &submitted); err != nil {
			return page, exportctl.Internal(op, err)
		}
		r.CreatedAt, r.SubmittedAt, r.TotalValueGBP = parseTS(created), parseTSPtr(submitted), float64(total)/100
		page.Items = append(page.Items, r)
	}
	if err := rows.Err(); err != nil {
		return page, exportctl.Internal(op, err)
	}
	endPage(&page, limit, func(x exportctl.ApplicationSummary) string { return strconv.FormatInt(x.ID, 10) })
	return page, nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`)

// StatusCounts counts visible applications per status.
func (s *Store) StatusCounts(ctx context.Context, a exportctl.Actor) (map[string]int, error) {
	if err := requireStaffOrExporter(a, "application.count"); err != nil {
		return nil, err
	}
	var w where
	restrictApplications(&w, a, false)
	rows, err := s.read.QueryContext(ctx, `SELECT a.status, COUNT(*) FROM applications a`+w.sql()+` GROUP BY a.status`, w.args...)
	if err != nil {
		return nil, exportctl.Internal("application.count", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, exportctl.Internal("application.count", err)
		}
		out[st] = n
	}
	return out, rows.Err()
}

// editable loads an application that its exporter may still change.
func (s *Store) editable(ctx context.Context, tx *sql.Tx, a exportctl.Actor, op string, appID int64) (*exportctl.Application, error) {
	if err := a.Require(op, exportctl.RoleExporter); err != nil {
		return nil, err
	}
	app, err := s.getApplication(ctx, tx, a, appID)
	if err != nil {
		return nil, err
	}
	if app.Status != exportctl.StatusDraft && app.Status != exportctl.StatusApplicantEditing {
		return nil, &exportctl.Error{Code: exportctl.EConflict, Op: op,
			Message: fmt.Sprintf("cannot change the application: it is %s (only drafts and applications returned for editing change)", exportctl.Humanise(app.Status))}
	}
	return app, nil
}

// EditApplication changes the terms of a draft. The old values are kept in
// the audit event.
func (s *Store) EditApplication(ctx context.Context, a exportctl.Actor, id int64, in exportctl.ApplicationInput) (*exportctl.Application, error) {
	const op = "application.edit"
	in.Goods, in.Parties = nil, nil
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		app, err := s.editable(ctx, tx, a, op, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET licence_type = $1, export_type = $2, end_use = $3 WHERE id = $4`,
			in.LicenceType, in.ExportType, in.EndUse, id); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "application", id, map[string]any{
			"before": map[string]string{"licence_type": app.LicenceType, "export_type": app.ExportType, "end_use": app.EndUse},
			"after":  map[string]string{"licence_type": in.LicenceType, "export_type": in.ExportType, "end_use": in.EndUse}})
	})
	if err != nil {
		return nil, err
	}
	return s.Application(ctx, a, id)
}

// AddGood adds a good to a draft.
func (s *Store) AddGood(ctx context.Context, a exportctl.Actor, appID int64, in exportctl.GoodInput) (*exportctl.Good, error) {
	const op = "application.add_good"
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var id int64
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		if _, err := s.editable(ctx, tx, a, op, appID); err != nil {
			return err
		}
		var err error
		if id, err = s.insertGood(ctx, tx, appID, &in, now); err != nil {
			return err
		}
		if err := s.refreshProjection(ctx, tx, appID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "application", appID, map[string]any{"good_id": id, "description": in.Description, "rating": in.Rating, "quantity": in.Quantity, "value_gbp": in.ValueGBP})
	})
	if err != nil {
		return nil, err
	}
	return &exportctl.Good{ID: id, Description: in.Description, Rating: in.Rating, Quantity: in.Quantity, Unit: in.Unit,
		ValuePence: in.ValuePence(), ValueGBP: float64(in.ValuePence()) / 100, ComponentOf: in.ComponentOf}, nil
}

// AddParty adds a party to a draft.
func (s *Store) AddParty(ctx context.Context, a exportctl.Actor, appID int64, in exportctl.PartyInput) (*exportctl.Party, error) {
	const op = "application.add_party"
	if err := in.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	var id int64
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		app, err := s.editable(ctx, tx, a, op, appID)
		if err != nil {
			return err
		}
		if in.Role == exportctl.PartyEndUser && app.EndUser() != nil {
			return exportctl.Invalid("role", "the application already has an end user; remove it first")
		}
		if id, err = s.insertParty(ctx, tx, appID, &in, now); err != nil {
			return err
		}
		if err := s.refreshProjection(ctx, tx, appID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "application", appID, map[string]any{"party_id": id, "role": in.Role, "name": in.Name, "country": in.Country})
	})
	if err != nil {
		return nil, err
	}
	return &exportctl.Party{ID: id, Role: in.Role, Name: in.Name, Address: in.Address, Country: in.Country, Type: in.Type, Description: in.Description}, nil
}

// RemoveGood marks a good superseded; the row stays.
func (s *Store) RemoveGood(ctx context.Context, a exportctl.Actor, appID, goodID int64) error {
	return s.supersede(ctx, a, "application.remove_good", "goods", appID, goodID)
}

// RemoveParty marks a party superseded; the row stays.
func (s *Store) RemoveParty(ctx context.Context, a exportctl.Actor, appID, partyID int64) error {
	return s.supersede(ctx, a, "application.remove_party", "parties", appID, partyID)
}

func (s *Store) supersede(ctx context.Context, a exportctl.Actor, op, table string, appID, rowID int64) error {
	now := s.now().UTC()
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		if _, err := s.editable(ctx, tx, a, op, appID); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `UPDATE `+table+` SET superseded_at = $1 WHERE id = $2 AND application_id = $3 AND superseded_at IS NULL`,
			ts(now), rowID, appID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return exportctl.NotFound(strings.TrimSuffix(strings.TrimSuffix(table, "s"), "ie")+"y", rowID)
		}
		if err := s.refreshProjection(ctx, tx, appID); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "application", appID, map[string]any{table + "_id": rowID})
	})
}

// Transition applies a workflow action other than decide.
func (s *Store) Transition(ctx context.Context, a exportctl.Actor, appID int64, action, note string) (*exportctl.Application, error) {
	op := "application." + action
	if action == exportctl.ActDecide {
		return nil, exportctl.Invalid("action", "use the decision endpoint to decide a case")
	}
	note = strings.TrimSpace(note)
	if action == exportctl.ActReturn && note == "" {
		return nil, exportctl.Invalid("note", "say what the exporter must answer or change")
	}
	now := s.now().UTC()
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		app, err := s.getApplication(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		to, err := exportctl.Next(exportctl.CaseMachine, app.Status, action, a.Role)
		if err != nil {
			return err
		}
		switch action {
		case exportctl.ActSubmit:
			if err := app.CheckSubmittable(); err != nil {
				return err
			}
		case exportctl.ActAppeal:
			if app.Outcome != exportctl.OutcomeRefused {
				return exportctl.Conflict("cannot appeal: only a refusal can be appealed")
			}
			if app.DecidedAt != nil && now.Sub(*app.DecidedAt) > 28*24*time.Hour {
				return exportctl.Conflict("cannot appeal: the 28 days for an appeal ended on %s", app.DecidedAt.Add(28*24*time.Hour).Format("2 January 2006"))
			}
		}
		return s.moveCase(ctx, tx, a, app, action, to, note, now, nil)
	})
	if err != nil {
		return nil, err
	}
	return s.Application(ctx, a, appID)
}

// moveCase records a case transition and its audit event (with any extra
// summary fields) and updates the status projection.
func (s *Store) moveCase(ctx context.Context, tx *sql.Tx, a exportctl.Actor, app *exportctl.Application, action, to, note string, now time.Time, extra map[string]any) error {
	var actorID any
	if a.UserID != 0 {
		actorID = a.UserID
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO case_transitions (application_id, from_status, action, to_status, note, actor_id, at)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, app.ID, app.Status, action, to, note, actorID, ts(now)); err != nil {
		return err
	}
	if action == exportctl.ActSubmit && app.SubmittedAt == nil {
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET status = $1, submitted_at = $2 WHERE id = $3`, to, ts(now), app.ID); err != nil {
			return err
		}
	} else if _, err := tx.ExecContext(ctx, `UPDATE applications SET status = $1 WHERE id = $2`, to, app.ID); err != nil {
		return err
	}
	summary := map[string]any{"from": app.Status, "to": to}
	if note != "" {
		summary["note"] = note
	}
	for k, v := range extra {
		summary[k] = v
	}
	return s.audit(ctx, tx, a, now, "application."+action, "application", app.ID, summary)
}

// Decide finalises a case: a decision maker decides, with reasons, once
// the final advice is countersigned (or on appeal). Issuing against an
// adverse finding or advice to refuse must be recorded as a departure.
func (s *Store) Decide(ctx context.Context, a exportctl.Actor, appID int64, in exportctl.DecisionInput) (*exportctl.Application, error) {
	const op = "application.decide"
	if err := a.Require(op, exportctl.RoleDecisionMaker); err != nil {
		return nil, err
	}
	if err := in.Validate(exportctl.MustCriteria(exportctl.DefaultCriteriaSet)); err != nil {
		// Field errors first; the criteria are checked again below against
		// the set the case was assessed under.
		if exportctl.ErrorField(err) == "" || !strings.HasPrefix(exportctl.ErrorField(err), "criteria[") {
			return nil, err
		}
	}
	now := s.now().UTC()
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		app, err := s.getApplication(ctx, tx, a, appID)
		if err != nil {
			return err
		}
		set := exportctl.MustCriteria(exportctl.DefaultCriteriaSet)
		if as, err := s.latestFinalAssessment(ctx, tx, appID); err != nil {
			return err
		} else if as != nil {
			set = exportctl.MustCriteria(as.CriteriaSet)
		}
		if err := in.Validate(set); err != nil {
			return err
		}
		to, err := exportctl.Next(exportctl.CaseMachine, app.Status, exportctl.ActDecide, a.Role)
		if err != nil {
			return err
		}
		var departFrom []string
		if in.Outcome == exportctl.OutcomeIssued {
			needed, criteria, err := s.departureNeeded(ctx, tx, app)
			if err != nil {
				return err
			}
			if needed && in.Departure == nil {
				return &exportctl.Error{Code: exportctl.EInvalid, Op: op, Field: "departure",
					Message: "issuing departs from the record (adverse findings or advice to refuse on criteria " + strings.Join(criteria, ", ") + "): record it as a departure with its scope and reasons"}
			}
			departFrom = criteria
			if err := s.requireDenialMatchesAnswered(ctx, tx, app, now); err != nil {
				return err
			}
		}
		var decisionID int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO decisions (application_id, outcome, criteria, criteria_set, reasons, decided_by, decided_by_name, decided_at, departure, public_reasons)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			appID, in.Outcome, strings.Join(in.Criteria, ","), set.Name, in.Reasons, nullID(a.UserID), a.Label(), ts(now), boolInt(in.Departure != nil), in.PublicReasons).Scan(&decisionID); err != nil {
			return err
		}
		if err := s.recordDenials(ctx, tx, app, decisionID, in, now); err != nil {
			return err
		}
		if err := s.publish(ctx, tx, exportctl.LogDecision, "decision", decisionID); err != nil {
			return err
		}
		summary := map[string]any{"decision_id": decisionID, "outcome": in.Outcome, "criteria": in.Criteria, "criteria_set": set.Name}
		if in.Departure != nil {
			d := &exportctl.Departure{ApplicationID: appID, DecisionID: decisionID, Kind: in.Departure.Kind, Scope: in.Departure.Scope,
				Reasons: in.Departure.Reasons, Criteria: departFrom, By: a.Label(), At: now}
			if err := s.insertDeparture(ctx, tx, a, d); err != nil {
				return err
			}
			summary["departure_id"] = d.ID
			if err := s.publish(ctx, tx, exportctl.LogDeparture, "departure", d.ID); err != nil {
				return err
			}
		}
		if err := s.moveCase(ctx, tx, a, app, exportctl.ActDecide, to, "", now, summary); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE applications SET outcome = $1, decided_at = $2 WHERE id = $3`, in.Outcome, ts(now), appID); err != nil {
			return err
		}
		if in.Outcome == exportctl.OutcomeIssued {
			return s.issueLicence(ctx, tx, a, app, decisionID, in.ValidUntil, now)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Application(ctx, a, appID)
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

func (s *Store) issueLicence(ctx context.Context, tx *sql.Tx, a exportctl.Actor, app *exportctl.Application, decisionID int64, validUntil string, now time.Time) error {
	if app.LicenceID != 0 {
		return exportctl.Conflict("the application already has licence %d", app.LicenceID)
	}
	from := now.Format(time.DateOnly)
	if validUntil == "" {
		validUntil = now.AddDate(exportctl.DefaultValidity(app.LicenceType, app.ExportType), 0, 0).Format(time.DateOnly)
	}
	if validUntil <= from {
		return exportctl.Invalid("valid_until", "must be after the date of issue (%s)", from)
	}
	conditions, err := s.licenceConditions(ctx, tx, app)
	if err != nil {
		return err
	}
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO licences (reference, application_id, decision_id, org_id, licence_type, export_type, destination, status, valid_from, valid_until, issued_at, conditions)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		app.Reference, app.ID, decisionID, app.OrgID, app.LicenceType, app.ExportType, app.Destination, exportctl.LicenceIssued,
		from, validUntil, ts(now), conditions).Scan(&id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO licence_transitions (licence_id, from_status, action, to_status, reasons, actor_id, at)
		VALUES ($1, '', 'issue', $2, $3, $4, $5)`, id, exportctl.LicenceIssued, "issued on decision", nullID(a.UserID), ts(now)); err != nil {
		return err
	}
	return s.audit(ctx, tx, a, now, "licence.issue", "licence", id, map[string]string{
		"reference": app.Reference, "valid_from": from, "valid_until": validUntil, "application_id": strconv.FormatInt(app.ID, 10)})
}

// licenceConditions collects the provisos a licence carries: the final
// advice's conditions and those of combined advice and resolutions.
func (s *Store) licenceConditions(ctx context.Context, q queryer, app *exportctl.Application) (string, error) {
	var out []string
	add := func(c string) {
		if c = strings.TrimSpace(c); c != "" && !contains(out, c) {
			out = append(out, c)
		}
	}
	fa, err := s.currentFinalAdvice(ctx, q, app.ID)
	if err != nil {
		return "", err
	}
	if fa != nil {
		add(fa.Conditions)
	}
	combined, err := s.combinedAdvice(ctx, q, app)
	if err != nil {
		return "", err
	}
	for _, c := range combined {
		switch {
		case c.Resolution != nil && c.Resolution.Result == exportctl.AdviceProviso:
			add(c.Resolution.Conditions)
		case c.Resolution == nil && c.Result == exportctl.AdviceProviso:
			for _, cond := range c.Conditions {
				add(cond)
			}
		}
	}
	return strings.Join(out, "\n"), nil
}

// Decisions lists the decisions on an application.
func (s *Store) Decisions(ctx context.Context, a exportctl.Actor, appID int64) ([]exportctl.Decision, error) {
	if _, err := s.Application(ctx, a, appID); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, outcome, criteria, criteria_set, reasons, public_reasons, decided_by_name, decided_at, departure
		FROM decisions WHERE application_id = $1 ORDER BY id`, appID)
	if err != nil {
		return nil, exportctl.Internal("decision.list", err)
	}
	defer rows.Close()
	out := []exportctl.Decision{}
	for rows.Next() {
		d := exportctl.Decision{ApplicationID: appID}
		var crit, at string
		var departure int
		if err := rows.Scan(&d.ID, &d.Outcome, &crit, &d.CriteriaSet, &d.Reasons, &d.PublicReasons, &d.DecidedBy, &at, &departure); err != nil {
			return nil, exportctl.Internal("decision.list", err)
		}
		d.Departure = departure != 0
		d.Criteria = splitList(crit)
		d.DecidedAt = parseTS(at)
		out = append(out, d)
	}
	return out, rows.Err()
}

func splitList(s string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, ",")
}

// History is the audit trail of an application and its licence. Exporters
// see their case's own steps; advice, assessments, countersigning and other
// internal working are left out, and moves through internal stages show
// only the change of status.
func (s *Store) History(ctx context.Context, a exportctl.Actor, appID int64) ([]exportctl.AuditEvent, error) {
	app, err := s.Application(ctx, a, appID)
	if err != nil {
		return nil, err
	}
	ev, err := s.auditTrail(ctx, `(subject_type = 'application' AND subject_id = $1) OR (subject_type = 'licence' AND subject_id = $2)`, appID, app.LicenceID)
	if err != nil {
		return nil, exportctl.Internal("application.history", err)
	}
	if a.Role.Internal() {
		return ev, nil
	}
	out := ev[:0]
	for _, e := range ev {
		switch e.Action {
		case "application.advise", "application.assess", "application.resolve_advice", "application.countersign",
			"application.record_departure", "application.answer_denial_match":
			continue
		case "application.submit_final_advice", "application.countersigned", "application.countersign_rejected":
			var moved struct{ From, To string }
			json.Unmarshal([]byte(e.Summary), &moved)
			b, _ := json.Marshal(map[string]string{"from": moved.From, "to": moved.To})
			e.Summary = string(b)
		}
		out = append(out, e)
	}
	return out, nil
}
