package store

import (
	"context"
	"database/sql"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/exportctl/exportctl"
)

// Searching the public register: any combination of filters (destination,
// end-user type, rating, outcome, criterion, licence type, dates, value
// range, words of the goods) over a million entries, with the exact total.
// No index serves every combination, and intersecting large sets in SQL
// took seconds on SQLite, so each server keeps a compact columnar copy of
// the searchable fields, sorted by date, and scans it: a few milliseconds
// for a million rows. The copy follows the database through register_state
// (version: rows added, in id order; generation: rows rewritten), checked
// by one small query per search, so several servers stay in step.

// registerCopy is the in-memory copy, guarded by mu.
type registerCopy struct {
	mu sync.RWMutex
	registerData
}

// registerData are the copied rows, sorted by (date, id).
type registerData struct {
	loaded              bool
	version, generation int64
	maxID               int64

	ids        []int64
	days       []int32 // days since 1970-01-01
	values     []int64 // pence; -1 when not published
	dest       []uint16
	outcome    []uint8
	endUser    []uint8
	licence    []uint8
	historical []bool
	ratings    [][]uint16 // ratings and their families
	criteria   [][]uint16
	// ratingBits and criteriaBits have bit id%64 set for each id in the
	// row's list: most rows are ruled out without reading the list.
	ratingBits, criteriaBits []uint64
	summary                  []uint32

	dests, outcomes, endUsers, licences, codes, summaries interner
	// words of each distinct summary, for full text
	summaryWords [][]string
}

// interner numbers distinct strings.
type interner struct {
	ids   map[string]int
	names []string
}

func (in *interner) id(s string) int {
	if in.ids == nil {
		in.ids = map[string]int{}
	}
	if id, ok := in.ids[s]; ok {
		return id
	}
	in.ids[s] = len(in.names)
	in.names = append(in.names, s)
	return len(in.names) - 1
}

// lookup is the id of a known string; -1 when it never occurs (nothing
// can match it).
func (in *interner) lookup(s string) int {
	if id, ok := in.ids[s]; ok {
		return id
	}
	return -1
}

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

func dayOf(date string) int32 {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0
	}
	return int32(t.Sub(epoch).Hours() / 24)
}

// registerSearch returns the server's copy, brought up to date.
func (s *Store) registerSearch(ctx context.Context) (*registerCopy, error) {
	var version, generation int64
	if err := s.read.QueryRowContext(ctx, `SELECT version, generation FROM register_state WHERE id = 1`).Scan(&version, &generation); err != nil {
		return nil, err
	}
	c := &s.register
	c.mu.RLock()
	fresh := c.loaded && c.version == version && c.generation == generation
	c.mu.RUnlock()
	if fresh {
		return c, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.loaded && c.version == version && c.generation == generation {
		return c, nil
	}
	from := c.maxID
	if !c.loaded || c.generation != generation {
		c.registerData = registerData{}
		from = 0
	}
	// The state is read before the rows: rows committed in between are
	// loaded now and their version seen as new next time, which loads nothing.
	if err := c.load(ctx, s.read, from); err != nil {
		c.registerData = registerData{}
		return nil, err
	}
	c.loaded, c.version, c.generation = true, version, generation
	return c, nil
}

// load appends the rows with ids above from, then restores the order.
func (c *registerCopy) load(ctx context.Context, q queryer, from int64) error {
	rows, err := q.QueryContext(ctx, `SELECT id, event_date, value_pence, destination, outcome, end_user_type, licence_type, historical,
		ratings, criteria, goods_summary FROM register_entries WHERE id > $1 ORDER BY id`, from)
	if err != nil {
		return err
	}
	defer rows.Close()
	sorted := true
	for rows.Next() {
		var id int64
		var value sql.NullInt64
		var date, dest, outcome, endUser, licence, ratings, criteria, summary string
		var historical int
		if err := rows.Scan(&id, &date, &value, &dest, &outcome, &endUser, &licence, &historical, &ratings, &criteria, &summary); err != nil {
			return err
		}
		day := dayOf(date)
		if n := len(c.ids); n > 0 && day < c.days[n-1] {
			sorted = false
		}
		c.ids = append(c.ids, id)
		c.days = append(c.days, day)
		c.maxID = max(c.maxID, id)
		v := int64(-1)
		if value.Valid {
			v = value.Int64
		}
		c.values = append(c.values, v)
		c.dest = append(c.dest, uint16(c.dests.id(dest)))
		c.outcome = append(c.outcome, uint8(c.outcomes.id(outcome)))
		c.endUser = append(c.endUser, uint8(c.endUsers.id(endUser)))
		c.licence = append(c.licence, uint8(c.licences.id(licence)))
		c.historical = append(c.historical, historical != 0)
		var rs []uint16
		for _, r := range strings.Fields(ratings) {
			for _, code := range []string{r, exportctl.RatingFamily(r)} {
				if id := uint16(c.codes.id(code)); !slices.Contains(rs, id) {
					rs = append(rs, id)
				}
			}
		}
		c.ratings = append(c.ratings, rs)
		c.ratingBits = append(c.ratingBits, bitsOf(rs))
		var cs []uint16
		for _, k := range strings.Fields(criteria) {
			cs = append(cs, uint16(c.codes.id(k)))
		}
		c.criteria = append(c.criteria, cs)
		c.criteriaBits = append(c.criteriaBits, bitsOf(cs))
		sid := c.summaries.id(summary)
		if sid == len(c.summaryWords) {
			c.summaryWords = append(c.summaryWords, searchWords(summary))
		}
		c.summary = append(c.summary, uint32(sid))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !sorted {
		c.sort()
	}
	return nil
}

// sort orders the rows by (date, id), after rows dated earlier than the
// newest arrived (historical imports).
func (c *registerCopy) sort() {
	perm := make([]int, len(c.ids))
	for i := range perm {
		perm[i] = i
	}
	slices.SortFunc(perm, func(a, b int) int {
		if c.days[a] != c.days[b] {
			return int(c.days[a] - c.days[b])
		}
		return int(c.ids[a] - c.ids[b])
	})
	c.ids = permute(c.ids, perm)
	c.days = permute(c.days, perm)
	c.values = permute(c.values, perm)
	c.dest = permute(c.dest, perm)
	c.outcome = permute(c.outcome, perm)
	c.endUser = permute(c.endUser, perm)
	c.licence = permute(c.licence, perm)
	c.historical = permute(c.historical, perm)
	c.ratings = permute(c.ratings, perm)
	c.criteria = permute(c.criteria, perm)
	c.ratingBits = permute(c.ratingBits, perm)
	c.criteriaBits = permute(c.criteriaBits, perm)
	c.summary = permute(c.summary, perm)
}

func bitsOf(ids []uint16) uint64 {
	var b uint64
	for _, id := range ids {
		b |= 1 << (id % 64)
	}
	return b
}

func permute[T any](xs []T, perm []int) []T {
	out := make([]T, len(xs))
	for i, p := range perm {
		out[i] = xs[p]
	}
	return out
}

// search returns the ids of up to limit matching rows, newest first,
// after the cursor (date, id) when one is given, and the number of all
// matching rows. f is validated.
func (c *registerCopy) search(f *exportctl.RegisterFilter, afterDate string, afterID int64, limit int) ([]int64, int) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	const any = -2 // a filter not given
	want := func(in *interner, v string) int {
		if v == "" {
			return any
		}
		return in.lookup(v)
	}
	dest, outcome, endUser, licence := want(&c.dests, f.Destination), want(&c.outcomes, f.Outcome), want(&c.endUsers, f.EndUserType), want(&c.licences, f.LicenceType)
	rating, criterion := want(&c.codes, f.Rating), want(&c.codes, f.Criterion)
	for _, v := range []int{dest, outcome, endUser, licence, rating, criterion} {
		if v == -1 {
			return nil, 0 // a value that occurs nowhere
		}
	}
	minV, maxV := int64(-1), int64(-1)
	if f.MinValue != nil {
		minV = int64(*f.MinValue * 100)
	}
	if f.MaxValue != nil {
		maxV = int64(*f.MaxValue * 100)
	}
	var text []bool // by summary id
	if words := searchWords(f.Text); len(words) > 0 {
		text = make([]bool, len(c.summaryWords))
		for sid, have := range c.summaryWords {
			text[sid] = allPrefixed(words, have)
		}
	}
	// Dates bound the scan: rows are sorted by date.
	lo, hi := 0, len(c.ids)
	if f.From != "" {
		d := dayOf(f.From)
		lo, _ = slices.BinarySearchFunc(c.days, d, func(a, b int32) int { return int(a - b) })
	}
	if f.To != "" {
		d := dayOf(f.To) + 1
		hi, _ = slices.BinarySearchFunc(c.days, d, func(a, b int32) int { return int(a - b) })
	}
	cursorDay := int32(-1 << 31)
	if afterDate != "" {
		cursorDay = dayOf(afterDate)
	}
	exclude, only := f.Historical == "exclude", f.Historical == "only"
	var ratingBit, criterionBit uint64
	if rating != any {
		ratingBit = 1 << (rating % 64)
	}
	if criterion != any {
		criterionBit = 1 << (criterion % 64)
	}
	var ids []int64
	total := 0
	// The cheapest tests first; the lists only when their bit is set.
	for i := hi - 1; i >= lo; i-- {
		if (dest != any && int(c.dest[i]) != dest) ||
			(outcome != any && int(c.outcome[i]) != outcome) ||
			(endUser != any && int(c.endUser[i]) != endUser) ||
			(licence != any && int(c.licence[i]) != licence) ||
			(exclude && c.historical[i]) || (only && !c.historical[i]) ||
			(ratingBit != 0 && c.ratingBits[i]&ratingBit == 0) ||
			(criterionBit != 0 && c.criteriaBits[i]&criterionBit == 0) {
			continue
		}
		if v := c.values[i]; (minV >= 0 && v < minV) || (maxV >= 0 && (v < 0 || v > maxV)) {
			continue
		}
		if (text != nil && !text[c.summary[i]]) ||
			(ratingBit != 0 && !slices.Contains(c.ratings[i], uint16(rating))) ||
			(criterionBit != 0 && !slices.Contains(c.criteria[i], uint16(criterion))) {
			continue
		}
		total++
		if len(ids) < limit && (afterDate == "" || c.days[i] < cursorDay || (c.days[i] == cursorDay && c.ids[i] < afterID)) {
			ids = append(ids, c.ids[i])
		}
	}
	return ids, total
}

// allPrefixed: every query word starts some word of the summary (the
// register's full text matches word prefixes).
func allPrefixed(query, words []string) bool {
	for _, q := range query {
		found := false
		for _, w := range words {
			if strings.HasPrefix(w, q) {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
