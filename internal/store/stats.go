package store

import (
	"cmp"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

// Official statistics are computed from the public register (so from
// published facts only) and the service clocks. The tables and their
// column names follow the UK's official strategic export controls
// statistics and LITE's statistics feed: applications, licence_decisions,
// licence_refusal_criteria, destinations, goods, goods_ratings, plus
// processing_times against the service standards.

// statsRow is a register row as the statistics count it.
type statsRow struct {
	kind, outcome, licenceType, destination string
	ratings, criteria                       []string
	military, historical                    bool
	valuePence                              sql.NullInt64
}

// Statistics returns the statistics of a period ("2026-Q3" or "2026"):
// its latest release when one was published, otherwise provisional figures
// computed now (Release nil). Public.
func (s *Store) Statistics(ctx context.Context, period string) (*exportctl.Statistics, error) {
	p, err := exportctl.ParseStatisticsPeriod(period)
	if err != nil {
		return nil, err
	}
	rel, content, err := s.latestRelease(ctx, p.Name)
	if err != nil {
		return nil, exportctl.Internal("statistics", err)
	}
	if rel != nil {
		var st exportctl.Statistics
		if err := json.Unmarshal(content, &st); err != nil {
			return nil, exportctl.Internal("statistics", err)
		}
		st.Release = rel
		return &st, nil
	}
	return s.computeStatistics(ctx, p)
}

func (s *Store) latestRelease(ctx context.Context, period string) (*exportctl.StatisticsRelease, []byte, error) {
	var rel exportctl.StatisticsRelease
	var content, at string
	err := s.read.QueryRowContext(ctx, `SELECT r.id, r.period, r.sha256, r.published_at, r.content, e.idx
		FROM stats_releases r JOIN log_entries e ON e.subject_type = $1 AND e.subject_id = r.id
		WHERE r.period = $2 ORDER BY r.id DESC LIMIT 1`, exportctl.LogStatisticsRelease, period).
		Scan(&rel.ID, &rel.Period, &rel.SHA256, &at, &content, &rel.LogIndex)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	rel.PublishedAt = parseTS(at)
	return &rel, []byte(content), nil
}

// StatisticsReleaseContent returns the stored content of a period's latest
// release, byte for byte: its SHA-256 is the hash in the log.
func (s *Store) StatisticsReleaseContent(ctx context.Context, period string) ([]byte, *exportctl.StatisticsRelease, error) {
	p, err := exportctl.ParseStatisticsPeriod(period)
	if err != nil {
		return nil, nil, err
	}
	rel, content, err := s.latestRelease(ctx, p.Name)
	if err != nil {
		return nil, nil, exportctl.Internal("statistics.release", err)
	}
	if rel == nil {
		return nil, nil, exportctl.NotFound("statistics release", p.Name)
	}
	return content, rel, nil
}

// StatisticsReleases lists every release, newest first. Public.
func (s *Store) StatisticsReleases(ctx context.Context) ([]exportctl.StatisticsRelease, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.id, r.period, r.sha256, r.published_at, e.idx
		FROM stats_releases r JOIN log_entries e ON e.subject_type = $1 AND e.subject_id = r.id ORDER BY r.id DESC`, exportctl.LogStatisticsRelease)
	if err != nil {
		return nil, exportctl.Internal("statistics.releases", err)
	}
	defer rows.Close()
	out := []exportctl.StatisticsRelease{}
	for rows.Next() {
		var r exportctl.StatisticsRelease
		var at string
		if err := rows.Scan(&r.ID, &r.Period, &r.SHA256, &at, &r.LogIndex); err != nil {
			return nil, exportctl.Internal("statistics.releases", err)
		}
		r.PublishedAt = parseTS(at)
		out = append(out, r)
	}
	return out, rows.Err()
}

// PublishStatistics freezes the statistics of a period as a release and
// appends its content hash to the transparency log, in one transaction:
// a later silent change to the release (or a different release) is then
// provable. Admins, senior officials and the system.
func (s *Store) PublishStatistics(ctx context.Context, a exportctl.Actor, period string) (*exportctl.StatisticsRelease, error) {
	const op = "statistics.publish"
	if a.Role == "" {
		return nil, exportctl.Unauthorized("sign in first")
	}
	if err := a.Require(op, exportctl.RoleAdmin, exportctl.RoleSeniorOfficial, "system"); err != nil {
		return nil, err
	}
	p, err := exportctl.ParseStatisticsPeriod(period)
	if err != nil {
		return nil, err
	}
	if now := s.now().UTC().Format(time.DateOnly); p.To > now {
		return nil, exportctl.Invalid("period", "%s has not ended: publish statistics for a period once it is over", p.Name)
	}
	var rel *exportctl.StatisticsRelease
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		st, err := s.computeStatisticsQ(ctx, tx, p)
		if err != nil {
			return err
		}
		content, err := json.Marshal(st)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(content)
		now := s.now()
		rel = &exportctl.StatisticsRelease{Period: p.Name, SHA256: hex.EncodeToString(sum[:]), PublishedAt: now.UTC()}
		if err := tx.QueryRowContext(ctx, `INSERT INTO stats_releases (period, content, sha256, published_at) VALUES ($1, $2, $3, $4) RETURNING id`,
			p.Name, string(content), rel.SHA256, ts(now)).Scan(&rel.ID); err != nil {
			return err
		}
		if err := s.publish(ctx, tx, exportctl.LogStatisticsRelease, "statistics_release", rel.ID); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT idx FROM log_entries WHERE subject_type = $1 AND subject_id = $2`,
			"statistics_release", rel.ID).Scan(&rel.LogIndex); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "statistics_release", rel.ID, map[string]any{"period": p.Name, "sha256": rel.SHA256})
	})
	if err != nil {
		return nil, err
	}
	return rel, nil
}

// statisticsReleaseLeaf commits to a release by the hash of its stored
// content, recomputed, so an edited release no longer matches its leaf.
func (s *Store) statisticsReleaseLeaf(ctx context.Context, q queryer, id int64) (exportctl.LogLeaf, []byte, error) {
	var period, content, at string
	if err := q.QueryRowContext(ctx, `SELECT period, content, published_at FROM stats_releases WHERE id = $1`, id).Scan(&period, &content, &at); err != nil {
		return exportctl.LogLeaf{}, nil, err
	}
	sum := sha256.Sum256([]byte(content))
	var st exportctl.Statistics
	json.Unmarshal([]byte(content), &st)
	tables := []string{}
	for _, t := range st.Tables {
		tables = append(tables, t.Name)
	}
	public := map[string]any{"period": period, "sha256": hex.EncodeToString(sum[:]), "tables": tables}
	return exportctl.LogLeaf{Version: 1, Kind: exportctl.LogStatisticsRelease, At: parseTS(at), SubjectType: "statistics_release", SubjectID: id,
		Reference: "statistics/" + period, Public: canonical(public)}, nil, nil
}

func (s *Store) computeStatistics(ctx context.Context, p exportctl.StatisticsPeriod) (*exportctl.Statistics, error) {
	st, err := s.computeStatisticsQ(ctx, s.read, p)
	if err != nil {
		return nil, exportctl.Internal("statistics", err)
	}
	return st, nil
}

// counts is a tally of outcomes with the value of issued licences.
type counts struct {
	by          map[string]int
	issuedValue int64
}

func (c *counts) add(r statsRow) {
	if c.by == nil {
		c.by = map[string]int{}
	}
	c.by[r.outcome]++
	if r.outcome == exportctl.OutcomeIssued && r.valuePence.Valid {
		c.issuedValue += r.valuePence.Int64
	}
}

func gbp(pence int64) float64 { return float64(pence) / 100 }

func (s *Store) computeStatisticsQ(ctx context.Context, q queryer, p exportctl.StatisticsPeriod) (*exportctl.Statistics, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, outcome, licence_type, destination, ratings, criteria, military, historical, value_pence
		FROM register_entries WHERE event_date >= $1 AND event_date < $2`, p.From, p.To)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	st := &exportctl.Statistics{Period: p.Name, From: p.From, To: p.To}
	byType := map[string]*counts{}   // decisions per licence type
	decisions := map[[2]string]int{} // licence type, decision (every outcome)
	refusalCriteria := map[string]int{}
	byDest := map[string]*counts{}
	byGoods := map[string]*counts{}
	byRating := map[string]*counts{}
	for rows.Next() {
		var r statsRow
		var ratings, criteria string
		var military, historical int
		if err := rows.Scan(&r.kind, &r.outcome, &r.licenceType, &r.destination, &ratings, &criteria, &military, &historical, &r.valuePence); err != nil {
			return nil, err
		}
		r.ratings, r.criteria, r.military, r.historical = strings.Fields(ratings), strings.Fields(criteria), military != 0, historical != 0
		if r.historical {
			st.Historical++
		}
		decisions[[2]string{r.licenceType, r.outcome}]++
		tally := func(m map[string]*counts, key string) {
			c := m[key]
			if c == nil {
				c = &counts{}
				m[key] = c
			}
			c.add(r)
		}
		tally(byDest, r.destination)
		if r.kind != exportctl.LogDecision {
			continue
		}
		tally(byType, r.licenceType)
		if r.outcome == exportctl.OutcomeRefused {
			for _, c := range r.criteria {
				refusalCriteria[c]++
			}
		}
		category := "Dual-use"
		if r.military {
			category = "Military"
		}
		tally(byGoods, category)
		families := map[string]bool{}
		for _, rt := range r.ratings {
			families[exportctl.RatingFamily(rt)] = true
		}
		for f := range families {
			tally(byRating, f)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if st.Historical > 0 {
		st.Attribution = exportctl.HistoricalAttribution
	}
	outcomes := []string{exportctl.OutcomeIssued, exportctl.OutcomeRefused, exportctl.OutcomeNLR}

	apps := exportctl.StatisticsTable{Name: "applications", Title: "Licensing decisions, by licence type",
		Columns: []string{"Licence type", "Licensing decisions", "Issued", "Refused/rejected", "NLR"}, Rows: [][]any{}}
	for _, t := range sortedKeys(byType) {
		c := byType[t]
		apps.Rows = append(apps.Rows, []any{t, c.by[outcomes[0]] + c.by[outcomes[1]] + c.by[outcomes[2]], c.by[outcomes[0]], c.by[outcomes[1]], c.by[outcomes[2]]})
	}

	dec := exportctl.StatisticsTable{Name: "licence_decisions", Title: "Licence decisions, by licence type and decision",
		Columns: []string{"Licence type", "Decision", "Number of licensing decisions"}, Rows: [][]any{}}
	keys := make([][2]string, 0, len(decisions))
	for k := range decisions {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [2]string) int {
		return cmp.Or(cmp.Compare(a[0], b[0]), cmp.Compare(slices.Index(exportctl.RegisterOutcomes, a[1]), slices.Index(exportctl.RegisterOutcomes, b[1])))
	})
	for _, k := range keys {
		dec.Rows = append(dec.Rows, []any{k[0], k[1], decisions[k]})
	}

	crit := exportctl.StatisticsTable{Name: "licence_refusal_criteria", Title: "Refusals, by criterion cited",
		Columns: []string{"Criterion", "Number of refusals citing criterion"}, Rows: [][]any{}}
	for _, c := range sortedKeys(refusalCriteria) {
		crit.Rows = append(crit.Rows, []any{c, refusalCriteria[c]})
	}

	dest := exportctl.StatisticsTable{Name: "destinations", Title: "Licence decisions, by destination",
		Columns: []string{"Destination", "Country code", "Issued", "Refused/rejected", "NLR", "Revoked", "Suspended", "Value of issued standard licences (GBP)"}, Rows: [][]any{}}
	destKeys := sortedKeys(byDest)
	slices.SortStableFunc(destKeys, func(a, b string) int { return cmp.Compare(total(byDest[b]), total(byDest[a])) })
	for _, d := range destKeys {
		c := byDest[d]
		dest.Rows = append(dest.Rows, []any{exportctl.CountryName(d), d, c.by[exportctl.OutcomeIssued], c.by[exportctl.OutcomeRefused], c.by[exportctl.OutcomeNLR],
			c.by[exportctl.RegisterRevoked], c.by[exportctl.RegisterSuspended], gbp(c.issuedValue)})
	}

	goods := exportctl.StatisticsTable{Name: "goods", Title: "Licence decisions, by goods category",
		Columns: []string{"Goods category", "Issued", "Refused/rejected", "NLR", "Value of issued standard licences (GBP)"}, Rows: [][]any{}}
	for _, g := range sortedKeys(byGoods) {
		c := byGoods[g]
		goods.Rows = append(goods.Rows, []any{g, c.by[exportctl.OutcomeIssued], c.by[exportctl.OutcomeRefused], c.by[exportctl.OutcomeNLR], gbp(c.issuedValue)})
	}

	ratings := exportctl.StatisticsTable{Name: "goods_ratings", Title: "Licence decisions, by control list rating",
		Columns: []string{"Rating", "Rating description", "Issued", "Refused/rejected", "NLR"}, Rows: [][]any{}}
	for _, r := range sortedKeys(byRating) {
		c := byRating[r]
		ratings.Rows = append(ratings.Rows, []any{r, exportctl.RatingTitle(r), c.by[exportctl.OutcomeIssued], c.by[exportctl.OutcomeRefused], c.by[exportctl.OutcomeNLR]})
	}

	perf := exportctl.StatisticsTable{Name: "processing_times", Title: "Processing times against the service standards (cases decided in this system)",
		Columns: []string{"Quarter", "Processed to first outcome", "Processed within 20 working days", "Percentage processed within 20 working days",
			"Processed within 60 working days", "Percentage processed within 60 working days", "Median processing time (working days)"}, Rows: [][]any{}}
	from, _ := time.ParseInLocation(time.DateOnly, p.From, london)
	to, _ := time.ParseInLocation(time.DateOnly, p.To, london)
	quarters, err := s.performance(ctx, "", from, to)
	if err != nil {
		return nil, err
	}
	for _, qp := range quarters {
		perf.Rows = append(perf.Rows, []any{qp.Quarter, qp.Decided, qp.Within20, round1(qp.Share20 * 100), qp.Within60, round1(qp.Share60 * 100), qp.MedianDays})
	}
	reviews, err := s.reviewStatistics(ctx, q, from, to)
	if err != nil {
		return nil, err
	}
	concerns, err := s.concernStatisticsTable(ctx, from, to)
	if err != nil {
		return nil, err
	}
	st.Tables = []exportctl.StatisticsTable{apps, dec, crit, dest, goods, ratings, perf, reviews, concerns}
	return st, nil
}

// reviewStatistics counts destination and end-user reviews per quarter:
// opened, completed (statement published), completed by their deadline,
// open past their deadline at the quarter's end, and the median days a
// completed review was open. Reviews are public, so nothing is withheld.
func (s *Store) reviewStatistics(ctx context.Context, q queryer, from, to time.Time) (exportctl.StatisticsTable, error) {
	t := exportctl.StatisticsTable{Name: "reviews", Title: "Destination and end-user reviews, and their timeliness",
		Columns: []string{"Quarter", "Reviews opened", "Reviews completed", "Completed by their deadline", "Open past their deadline at the end of the quarter",
			"Median days open (completed reviews)"}, Rows: [][]any{}}
	rows, err := q.QueryContext(ctx, `SELECT r.opened_at, r.deadline, st.published_at FROM reviews r
		LEFT JOIN review_statements st ON st.review_id = r.id WHERE r.opened_at < $1`, ts(to))
	if err != nil {
		return t, err
	}
	defer rows.Close()
	type review struct {
		opened    time.Time
		deadline  string
		completed *time.Time
	}
	var all []review
	for rows.Next() {
		var opened, deadline string
		var published sql.NullString
		if err := rows.Scan(&opened, &deadline, &published); err != nil {
			return t, err
		}
		all = append(all, review{parseTS(opened), deadline, parseTSPtr(published)})
	}
	if err := rows.Err(); err != nil {
		return t, err
	}
	for qs := quarterStart(from); qs.Before(to); qs = qs.AddDate(0, 3, 0) {
		qe := qs.AddDate(0, 3, 0)
		in := func(at time.Time) bool { return !at.Before(qs) && at.Before(qe) }
		var opened, completed, onTime, late int
		var days []float64
		for _, r := range all {
			if in(r.opened) {
				opened++
			}
			switch {
			case r.completed != nil && in(*r.completed):
				completed++
				if r.completed.Format(time.DateOnly) <= r.deadline {
					onTime++
				}
				days = append(days, r.completed.Sub(r.opened).Hours()/24)
			case r.opened.Before(qe) && (r.completed == nil || !r.completed.Before(qe)) && r.deadline < qe.Format(time.DateOnly):
				late++
			}
		}
		var median any = ""
		if len(days) > 0 {
			slices.Sort(days)
			median = round1(days[len(days)/2])
			if len(days)%2 == 0 {
				median = round1((days[len(days)/2-1] + days[len(days)/2]) / 2)
			}
		}
		t.Rows = append(t.Rows, []any{exportctl.QuarterOf(qs), opened, completed, onTime, late, median})
	}
	return t, nil
}

// concernStatisticsTable is the concerns channel's published aggregates
// (ConcernStatistics) as a statistics table: small counts are withheld,
// shown as "[c]" as the official statistics mark confidential cells.
func (s *Store) concernStatisticsTable(ctx context.Context, from, to time.Time) (exportctl.StatisticsTable, error) {
	t := exportctl.StatisticsTable{Name: "concerns", Title: "Concerns raised through the concerns channel (counts under 5 withheld: [c])",
		Columns: []string{"Quarter", "Concerns received", "Acknowledged within 7 days", "Answered within 3 months", "Escalated",
			"Median days to first response"}, Rows: [][]any{}}
	quarters, err := s.ConcernStatistics(ctx, from, to)
	if err != nil {
		return t, err
	}
	n := func(v *int) any {
		if v == nil {
			return "[c]"
		}
		return *v
	}
	for _, cq := range quarters {
		var median any = "[c]"
		if cq.MedianDays != nil {
			median = *cq.MedianDays
		}
		t.Rows = append(t.Rows, []any{cq.Quarter, n(cq.Received), n(cq.AcknowledgedOnTime), n(cq.AnsweredOnTime), n(cq.Escalated), median})
	}
	return t, nil
}

func total(c *counts) int {
	n := 0
	for _, v := range c.by {
		n += v
	}
	return n
}

func round1(v float64) float64 { return math.Round(v*10) / 10 }

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
