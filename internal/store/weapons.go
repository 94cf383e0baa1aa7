package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

var _ exportctl.WeaponGraph = (*Store)(nil)

// migrateAndSeed applies pending migrations, then the weapon seed graph,
// the default exposure rules and the incident_forces backfill.
func (s *Store) migrateAndSeed(ctx context.Context) (int, error) {
	n, err := s.Migrate(ctx)
	if err != nil {
		return n, err
	}
	if err := s.SeedWeapons(ctx); err != nil {
		return n, err
	}
	if err := s.installExposureRules(ctx); err != nil {
		return n, err
	}
	return n, s.backfillIncidentForces(ctx)
}

// SeedWeapons loads the shipped seed graph (exportctl.SeedGraph) once per
// seed version: items and edges the database lacks are added, nothing is
// changed or removed, so analysts' additions and an item an analyst added
// under a seed name stay as they are. Open runs it after the migrations;
// several servers starting at once are safe (conflicting inserts do
// nothing).
func (s *Store) SeedWeapons(ctx context.Context) error {
	const op = "weapons.seed"
	seed, err := exportctl.SeedGraph()
	if err != nil {
		return exportctl.Internal(op, err)
	}
	var applied int
	if err := s.write.QueryRowContext(ctx, `SELECT COUNT(*) FROM weapon_seed WHERE version = $1`, seed.Version).Scan(&applied); err != nil {
		return exportctl.Internal(op, err)
	}
	if applied > 0 {
		return nil
	}
	now := s.now().UTC()
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		items, edges := 0, 0
		counter := func(n *int) func(*sql.Rows) error {
			return func(*sql.Rows) error { *n++; return nil }
		}
		rows := make([][]any, len(seed.Items))
		for i, it := range seed.Items {
			rows[i] = []any{it.Name, exportctl.MatchKey(it.Name), it.Kind, strings.Join(it.Categories, ","), aliasesJSON(it.Aliases),
				it.Launch, it.Description, exportctl.ItemSourceSeed, ts(now)}
		}
		if err := s.insertMany(ctx, tx, "weapon_items", []string{"name", "name_key", "kind", "categories", "aliases", "launch", "description", "source", "created_at"},
			rows, "ON CONFLICT DO NOTHING RETURNING id", counter(&items)); err != nil {
			return err
		}
		ids := map[string]int64{}
		res, err := tx.QueryContext(ctx, `SELECT id, name_key FROM weapon_items`)
		if err != nil {
			return err
		}
		for res.Next() {
			var id int64
			var key string
			if err := res.Scan(&id, &key); err != nil {
				res.Close()
				return err
			}
			ids[key] = id
		}
		res.Close()
		if err := res.Err(); err != nil {
			return err
		}
		rows = rows[:0]
		for _, e := range seed.Edges {
			from, to := ids[exportctl.MatchKey(e.FromName)], ids[exportctl.MatchKey(e.ToName)]
			if from != 0 && to != 0 {
				rows = append(rows, []any{from, to, e.Kind, exportctl.ItemSourceSeed, ts(now)})
			}
		}
		if err := s.insertMany(ctx, tx, "weapon_edges", []string{"from_id", "to_id", "kind", "source", "created_at"},
			rows, "ON CONFLICT DO NOTHING RETURNING id", counter(&edges)); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO weapon_seed (version, applied_at) VALUES ($1, $2) ON CONFLICT DO NOTHING`, seed.Version, ts(now)); err != nil {
			return err
		}
		return s.audit(ctx, tx, exportctl.System, now, op, "weapon_graph", 0, map[string]any{
			"version": seed.Version, "items_added": items, "edges_added": edges})
	})
}

// requireGraphReader admits internal roles: the graph and its operators
// are analysis for government staff, not for exporters.
func requireGraphReader(a exportctl.Actor, op string) error {
	if a.Role == "" {
		return exportctl.Unauthorized("sign in first")
	}
	if !a.Role.Internal() {
		return &exportctl.Error{Code: exportctl.EForbidden, Op: op, Message: "the weapon graph is for government staff"}
	}
	return nil
}

func requireAnalyst(a exportctl.Actor, op string) error {
	if a.Role == "" {
		return exportctl.Unauthorized("sign in first")
	}
	return a.Require(op, exportctl.RoleAnalyst, "system")
}

// aliasesJSON stores aliases as a JSON array, "&" and "<" as written (so
// that a search for "Pratt & Whitney" finds them).
func aliasesJSON(aliases []string) string {
	if aliases == nil {
		aliases = []string{}
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.Encode(aliases)
	return strings.TrimSpace(b.String())
}

const itemColumns = `i.id, i.name, i.kind, i.categories, i.aliases, i.launch, i.description, i.source, i.created_at`

func scanItem(row interface{ Scan(...any) error }) (exportctl.Item, error) {
	var it exportctl.Item
	var cats, aliases, created string
	if err := row.Scan(&it.ID, &it.Name, &it.Kind, &cats, &aliases, &it.Launch, &it.Description, &it.Source, &created); err != nil {
		return it, err
	}
	it.Categories = splitList(cats)
	it.Aliases = []string{}
	if err := json.Unmarshal([]byte(aliases), &it.Aliases); err != nil {
		return it, fmt.Errorf("item %d aliases: %w", it.ID, err)
	}
	it.CreatedAt = parseTS(created)
	return it, nil
}

// loadItems reads every item, by name.
func (s *Store) loadItems(ctx context.Context, q queryer) ([]exportctl.Item, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+itemColumns+` FROM weapon_items i ORDER BY i.name, i.id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.Item{}
	for rows.Next() {
		it, err := scanItem(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

const edgeColumns = `e.id, e.from_id, f.name, e.to_id, t.name, e.kind, e.source, e.created_at`

// loadEdges reads edges with the names of their ends; where is optional.
func (s *Store) loadEdges(ctx context.Context, q queryer, where string, args ...any) ([]exportctl.Edge, error) {
	query := `SELECT ` + edgeColumns + ` FROM weapon_edges e JOIN weapon_items f ON f.id = e.from_id JOIN weapon_items t ON t.id = e.to_id`
	if where != "" {
		query += ` WHERE ` + where
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY e.kind, f.name, t.name`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []exportctl.Edge{}
	for rows.Next() {
		var e exportctl.Edge
		var created string
		if err := rows.Scan(&e.ID, &e.From, &e.FromName, &e.To, &e.ToName, &e.Kind, &e.Source, &created); err != nil {
			return nil, err
		}
		e.CreatedAt = parseTS(created)
		out = append(out, e)
	}
	return out, rows.Err()
}

// Items lists the items matching q, by name: q is found in the name or an
// alias whatever the punctuation ("F16" finds the F-16 family), or in the
// kind, a category or the description, case-insensitively.
func (s *Store) Items(ctx context.Context, a exportctl.Actor, q string) ([]exportctl.Item, error) {
	const op = "weapons.list"
	if err := requireGraphReader(a, op); err != nil {
		return nil, err
	}
	q = strings.TrimSpace(q)
	if len(q) > 200 {
		return nil, exportctl.Invalid("q", "is longer than 200 characters")
	}
	items, err := s.loadItems(ctx, s.read)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	if q == "" {
		return items, nil
	}
	key, lower := exportctl.MatchKey(q), strings.ToLower(q)
	out := []exportctl.Item{}
	for _, it := range items {
		match := strings.Contains(strings.ToLower(it.Description), lower) || strings.ToLower(it.Kind) == lower ||
			slices.ContainsFunc(it.Categories, func(c string) bool { return strings.EqualFold(c, q) })
		for _, n := range it.Names() {
			match = match || strings.Contains(strings.ToLower(n), lower) || (key != "" && strings.Contains(exportctl.MatchKey(n), key))
		}
		if match {
			out = append(out, it)
		}
	}
	return out, nil
}

func (s *Store) getItem(ctx context.Context, q queryer, id int64) (*exportctl.Item, error) {
	it, err := scanItem(q.QueryRowContext(ctx, `SELECT `+itemColumns+` FROM weapon_items i WHERE i.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, exportctl.NotFound("weapon item", id)
	}
	if err != nil {
		return nil, err
	}
	return &it, nil
}

// Item returns one item with its edges and operators.
func (s *Store) Item(ctx context.Context, a exportctl.Actor, id int64) (*exportctl.ItemDetail, error) {
	const op = "weapons.get"
	if err := requireGraphReader(a, op); err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, s.read, id)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	d := &exportctl.ItemDetail{Item: *it}
	if d.Edges, err = s.loadEdges(ctx, s.read, `e.from_id = $1 OR e.to_id = $1`, id); err != nil {
		return nil, exportctl.Internal(op, err)
	}
	if d.Operators, err = s.operators(ctx, "", id); err != nil {
		return nil, exportctl.Internal(op, err)
	}
	return d, nil
}

// nameClash reports a name or alias of in that already names another item.
func nameClash(items []exportctl.Item, in exportctl.ItemInput) error {
	owner := map[string]string{}
	for _, it := range items {
		for _, n := range it.Names() {
			owner[exportctl.MatchKey(n)] = it.Name
		}
	}
	if o, ok := owner[exportctl.MatchKey(in.Name)]; ok {
		return &exportctl.Error{Code: exportctl.EConflict, Field: "name", Message: fmt.Sprintf("%q already names the item %s", in.Name, o)}
	}
	for i, al := range in.Aliases {
		if o, ok := owner[exportctl.MatchKey(al)]; ok {
			return &exportctl.Error{Code: exportctl.EConflict, Field: fmt.Sprintf("aliases[%d]", i), Message: fmt.Sprintf("%q already names the item %s", al, o)}
		}
	}
	return nil
}

// AddItem adds an analyst's item and matches the deliveries again, so that
// designations no item matched before (or matched less specifically) link
// to it.
func (s *Store) AddItem(ctx context.Context, a exportctl.Actor, in exportctl.ItemInput) (*exportctl.Item, error) {
	const op = "weapons.add_item"
	if err := requireAnalyst(a, op); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	source := exportctl.ItemSourceAnalyst + a.Username
	if a.Role == "system" {
		source = "system"
	}
	now := s.now().UTC()
	var id int64
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		items, err := s.loadItems(ctx, tx)
		if err != nil {
			return err
		}
		if err := nameClash(items, in); err != nil {
			return err
		}
		aliases := in.Aliases
		if aliases == nil {
			aliases = []string{}
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO weapon_items (name, name_key, kind, categories, aliases, launch, description, source, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`,
			in.Name, exportctl.MatchKey(in.Name), in.Kind, strings.Join(in.Categories, ","), aliasesJSON(aliases), in.Launch, in.Description,
			source, nullID(a.UserID), ts(now)).Scan(&id); err != nil {
			return err
		}
		items = append(items, exportctl.Item{ID: id, Name: in.Name, Kind: in.Kind, Aliases: aliases})
		matched, err := s.rematchDeliveries(ctx, tx, items, now)
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "weapon_item", id, map[string]any{
			"name": in.Name, "kind": in.Kind, "categories": in.Categories, "aliases": aliases, "launch": in.Launch,
			"deliveries_rematched": matched})
	})
	if err != nil {
		return nil, err
	}
	it, err := s.getItem(ctx, s.read, id)
	if err != nil {
		return nil, s.wrap(op, err)
	}
	return it, nil
}

// rematchDeliveries resolves every delivery's designation against the
// items and updates those whose item changed; it returns how many did.
func (s *Store) rematchDeliveries(ctx context.Context, tx *sql.Tx, items []exportctl.Item, now time.Time) (int, error) {
	m := exportctl.NewMatcher(items)
	rows, err := tx.QueryContext(ctx, `SELECT id, designation, COALESCE(item_id, 0) FROM deliveries`)
	if err != nil {
		return 0, err
	}
	type change struct{ id, item int64 }
	var changes []change
	for rows.Next() {
		var id, item int64
		var designation string
		if err := rows.Scan(&id, &designation, &item); err != nil {
			rows.Close()
			return 0, err
		}
		var want int64
		if it, ok := m.Resolve(designation); ok {
			want = it.ID
		}
		if want != item {
			changes = append(changes, change{id, want})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	for _, c := range changes {
		if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET item_id = $1, updated_at = $2 WHERE id = $3`,
			nullID(c.item), ts(now), c.id); err != nil {
			return 0, err
		}
	}
	return len(changes), nil
}

// AddEdge links two items. The kinds must fit (exportctl.EdgeFits) and a
// variant_of edge may not make an item a variant of itself.
func (s *Store) AddEdge(ctx context.Context, a exportctl.Actor, in exportctl.EdgeInput) (*exportctl.Edge, error) {
	const op = "weapons.add_edge"
	if err := requireAnalyst(a, op); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	source := exportctl.ItemSourceAnalyst + a.Username
	if a.Role == "system" {
		source = "system"
	}
	now := s.now().UTC()
	var id int64
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		from, err := s.getItem(ctx, tx, in.From)
		if err != nil {
			return err
		}
		to, err := s.getItem(ctx, tx, in.To)
		if exportctl.ErrorCode(err) == exportctl.ENotFound {
			return exportctl.Invalid("to", "there is no item %d", in.To)
		}
		if err != nil {
			return err
		}
		if err := exportctl.EdgeFits(in.Kind, from.Kind, to.Kind); err != nil {
			return err
		}
		if in.Kind == exportctl.EdgeVariantOf {
			edges, err := s.loadEdges(ctx, tx, `e.kind = $1`, exportctl.EdgeVariantOf)
			if err != nil {
				return err
			}
			if slices.Contains(exportctl.VariantAncestors(edges, to.ID), from.ID) {
				return exportctl.Invalid("to", "%s is already a variant of %s: the edge would make a cycle", to.Name, from.Name)
			}
		}
		err = tx.QueryRowContext(ctx, `INSERT INTO weapon_edges (from_id, to_id, kind, source, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, from.ID, to.ID, in.Kind, source, nullID(a.UserID), ts(now)).Scan(&id)
		if isUniqueViolation(err) {
			return &exportctl.Error{Code: exportctl.EConflict, Field: "to", Message: fmt.Sprintf("%s is already %s %s", from.Name, in.Kind, to.Name)}
		}
		if err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "weapon_edge", id, map[string]any{
			"from": from.ID, "from_name": from.Name, "kind": in.Kind, "to": to.ID, "to_name": to.Name})
	})
	if err != nil {
		return nil, err
	}
	edges, err := s.loadEdges(ctx, s.read, `e.id = $1`, id)
	if err != nil || len(edges) != 1 {
		return nil, exportctl.Internal(op, fmt.Errorf("read back edge %d: %v", id, err))
	}
	return &edges[0], nil
}

// Operators lists who operates what since when, for one recipient or all.
func (s *Store) Operators(ctx context.Context, a exportctl.Actor, recipient string) ([]exportctl.Operator, error) {
	const op = "weapons.operators"
	if err := requireGraphReader(a, op); err != nil {
		return nil, err
	}
	if recipient != "" {
		c, err := exportctl.ParseCountry("recipient", recipient)
		if err != nil {
			return nil, err
		}
		recipient = c
	}
	out, err := s.operators(ctx, recipient, 0)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	return out, nil
}

// operators aggregates the deliveries (of one recipient, or all) per
// recipient and item, counting each delivery for its item and for every
// item that one is a variant of; itemID keeps only that item's rows.
func (s *Store) operators(ctx context.Context, recipient string, itemID int64) ([]exportctl.Operator, error) {
	edges, err := s.loadEdges(ctx, s.read, `e.kind = $1`, exportctl.EdgeVariantOf)
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	rows, err := s.read.QueryContext(ctx, `SELECT id, name FROM weapon_items`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var name string
		if err := rows.Scan(&id, &name); err != nil {
			rows.Close()
			return nil, err
		}
		names[id] = name
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	query, args := `SELECT d.recipient, d.item_id, d.delivery_year, d.number, d.sipri_id, d.designation
		FROM deliveries d WHERE d.item_id IS NOT NULL`, []any{}
	if recipient != "" {
		query, args = query+` AND d.recipient = $1`, append(args, recipient)
	}
	rows, err = s.read.QueryContext(ctx, query+` ORDER BY d.recipient, d.delivery_year, d.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		recipient string
		item      int64
	}
	agg := map[key]*exportctl.Operator{}
	ancestors := map[int64][]int64{}
	for rows.Next() {
		var rcpt, sipriID, designation string
		var item int64
		var year, number int
		if err := rows.Scan(&rcpt, &item, &year, &number, &sipriID, &designation); err != nil {
			return nil, err
		}
		anc, ok := ancestors[item]
		if !ok {
			anc = exportctl.VariantAncestors(edges, item)
			ancestors[item] = anc
		}
		for _, id := range append([]int64{item}, anc...) {
			if itemID != 0 && id != itemID {
				continue
			}
			k := key{rcpt, id}
			o := agg[k]
			if o == nil {
				o = &exportctl.Operator{Recipient: rcpt, ItemID: id, Item: names[id], Since: year, Source: exportctl.OperatorSourceSIPRI,
					SIPRIIDs: []string{}, Designations: []string{}}
				agg[k] = o
			}
			o.Since = min(o.Since, year)
			o.Number += number
			if sipriID != "" && !slices.Contains(o.SIPRIIDs, sipriID) {
				o.SIPRIIDs = append(o.SIPRIIDs, sipriID)
			}
			if !slices.Contains(o.Designations, designation) {
				o.Designations = append(o.Designations, designation)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]exportctl.Operator, 0, len(agg))
	for _, o := range agg {
		out = append(out, *o)
	}
	slices.SortFunc(out, func(x, y exportctl.Operator) int {
		if c := strings.Compare(x.Recipient, y.Recipient); c != 0 {
			return c
		}
		return strings.Compare(x.Item, y.Item)
	})
	return out, nil
}

// DeliveriesResult is what ImportDeliveries did: the counts, and the
// deliveries kept without an item because no item's name or alias matched
// their designation (an analyst adding the item links them).
type DeliveriesResult struct {
	ImportResult
	Unmapped             int      `json:"unmapped"`
	UnmappedDesignations []string `json:"unmapped_designations"`
}

// deliveryKey is the deal a delivery belongs to: SIPRI's id, or for the
// older layout (which has none) supplier, recipient and order year.
func deliveryKey(d exportctl.Delivery) string {
	if d.SIPRIID != "" {
		return d.SIPRIID
	}
	return "old:" + d.Supplier + "/" + d.Recipient + "/" + strconv.Itoa(d.OrderYear)
}

func deliveryHash(d exportctl.Delivery) string {
	h := sha256.New()
	for _, f := range []string{d.SIPRIID, d.Supplier, d.Recipient, d.Designation, d.Description, d.Category, strconv.Itoa(d.OrderYear),
		strconv.Itoa(d.DeliveryYear), strconv.Itoa(d.Number), strconv.FormatBool(d.Estimated), d.Status} {
		h.Write([]byte(f))
		h.Write([]byte{0x1f})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// ImportDeliveries records SIPRI deliveries (analysts, admins, the
// system). Each is keyed by deal, delivery year and designation: a
// delivery already recorded with the same values is unchanged, one whose
// values (or matched item) differ is updated, and rows of one deal, year
// and designation within the file are added up first. Designations are
// matched to items (Matcher.Resolve); unmatched ones are kept with no
// item and counted. All entries are checked first (errors name
// "deliveries[i].field"); the import is one transaction with one audit
// event.
func (s *Store) ImportDeliveries(ctx context.Context, a exportctl.Actor, file string, ds []exportctl.Delivery) (DeliveriesResult, error) {
	const op = "weapons.import_deliveries"
	var res DeliveriesResult
	if a.Role == "" {
		return res, exportctl.Unauthorized("sign in first")
	}
	if err := a.Require(op, exportctl.RoleAnalyst, exportctl.RoleAdmin, "system"); err != nil {
		return res, err
	}
	file = strings.TrimSpace(file)
	if file == "" || len(file) > 200 {
		return res, exportctl.Invalid("file", "name the file the deliveries come from, in at most 200 characters")
	}
	var errs exportctl.Errors
	type entry struct {
		d     exportctl.Delivery
		key   string
		lines int // rows of the file added up into this delivery
	}
	var entries []*entry
	index := map[string]*entry{}
	for i := range ds {
		d := ds[i]
		prefix := fmt.Sprintf("deliveries[%d].", i)
		for _, c := range []struct {
			field string
			v     *string
		}{{"supplier", &d.Supplier}, {"recipient", &d.Recipient}} {
			code, err := exportctl.ParseCountry(prefix+c.field, *c.v)
			if err != nil {
				errs = append(errs, err.(*exportctl.Error))
			}
			*c.v = code
		}
		d.Designation = strings.TrimSpace(d.Designation)
		if d.Designation == "" || len(d.Designation) > 200 {
			errs = append(errs, exportctl.Invalid(prefix+"designation", "a designation of at most 200 characters is required"))
		}
		if d.DeliveryYear < 1900 || d.DeliveryYear > 2200 {
			errs = append(errs, exportctl.Invalid(prefix+"delivery_year", "%d is not a year", d.DeliveryYear))
		}
		if d.OrderYear != 0 && (d.OrderYear < 1900 || d.OrderYear > 2200) {
			errs = append(errs, exportctl.Invalid(prefix+"order_year", "%d is not a year", d.OrderYear))
		}
		if d.Number < 0 {
			errs = append(errs, exportctl.Invalid(prefix+"number", "must be zero or more"))
		}
		k := deliveryKey(d) + "\x00" + strconv.Itoa(d.DeliveryYear) + "\x00" + d.Designation
		if e := index[k]; e != nil {
			e.d.Number += d.Number
			e.d.Estimated = e.d.Estimated || d.Estimated
			e.lines++
			continue
		}
		e := &entry{d: d, key: deliveryKey(d), lines: 1}
		index[k] = e
		entries = append(entries, e)
	}
	if err := errs.Err(); err != nil {
		return res, err
	}
	res.Read = len(ds)
	now := s.now().UTC()
	unmapped := map[string]bool{}
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		items, err := s.loadItems(ctx, tx)
		if err != nil {
			return err
		}
		m := exportctl.NewMatcher(items)
		get, err := tx.PrepareContext(ctx, `SELECT id, row_hash, COALESCE(item_id, 0) FROM deliveries WHERE deal_key = $1 AND delivery_year = $2 AND designation = $3`)
		if err != nil {
			return err
		}
		defer get.Close()
		ins, err := tx.PrepareContext(ctx, `INSERT INTO deliveries (deal_key, sipri_id, supplier, recipient, designation, description, category,
				order_year, delivery_year, number, estimated, status, item_id, row_hash, file, imported_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`)
		if err != nil {
			return err
		}
		defer ins.Close()
		upd, err := tx.PrepareContext(ctx, `UPDATE deliveries SET sipri_id = $1, supplier = $2, recipient = $3, description = $4, category = $5,
				order_year = $6, number = $7, estimated = $8, status = $9, item_id = $10, row_hash = $11, file = $12, updated_at = $13
			WHERE id = $14`)
		if err != nil {
			return err
		}
		defer upd.Close()
		for _, e := range entries {
			d := e.d
			var item int64
			if it, ok := m.Resolve(d.Designation); ok {
				item = it.ID
			} else {
				res.Unmapped += e.lines
				unmapped[d.Designation] = true
			}
			hash := deliveryHash(d)
			var id, oldItem int64
			var oldHash string
			err := get.QueryRowContext(ctx, e.key, d.DeliveryYear, d.Designation).Scan(&id, &oldHash, &oldItem)
			switch {
			case errors.Is(err, sql.ErrNoRows):
				if _, err := ins.ExecContext(ctx, e.key, d.SIPRIID, d.Supplier, d.Recipient, d.Designation, d.Description, d.Category,
					d.OrderYear, d.DeliveryYear, d.Number, boolInt(d.Estimated), d.Status, nullID(item), hash, file, ts(now)); err != nil {
					return err
				}
				res.New += e.lines
			case err != nil:
				return err
			case oldHash == hash && oldItem == item:
				res.Unchanged += e.lines
			default:
				if _, err := upd.ExecContext(ctx, d.SIPRIID, d.Supplier, d.Recipient, d.Description, d.Category, d.OrderYear, d.Number,
					boolInt(d.Estimated), d.Status, nullID(item), hash, file, ts(now), id); err != nil {
					return err
				}
				res.Updated += e.lines
			}
		}
		return s.audit(ctx, tx, a, now, op, "deliveries", 0, map[string]any{
			"file": file, "read": res.Read, "new": res.New, "updated": res.Updated, "unchanged": res.Unchanged, "unmapped": res.Unmapped})
	})
	if err != nil {
		return DeliveriesResult{}, err
	}
	res.UnmappedDesignations = make([]string, 0, len(unmapped))
	for d := range unmapped {
		res.UnmappedDesignations = append(res.UnmappedDesignations, d)
	}
	slices.Sort(res.UnmappedDesignations)
	return res, nil
}
