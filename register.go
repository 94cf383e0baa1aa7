package exportctl

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Outcomes in the public register: the decision outcomes (issued, refused,
// nlr), what happened to a licence afterwards, and departures.
const (
	RegisterSuspended   = "suspended"
	RegisterReinstated  = "reinstated"
	RegisterRevoked     = "revoked"
	RegisterSurrendered = "surrendered"
	RegisterExhausted   = "exhausted"
	RegisterExpired     = "expired"
	RegisterAmended     = "amended" // conditions added, e.g. by a review
	RegisterDeparture   = "departure"
)

// RegisterOutcomes lists every outcome the register can show.
var RegisterOutcomes = []string{OutcomeIssued, OutcomeRefused, OutcomeNLR, RegisterSuspended, RegisterReinstated,
	RegisterRevoked, RegisterSurrendered, RegisterExhausted, RegisterExpired, RegisterAmended, RegisterDeparture}

// RegisterOutcome names a licence action as the register shows it.
func RegisterOutcome(action string) string {
	switch action {
	case ActSuspend:
		return RegisterSuspended
	case ActReinstate:
		return RegisterReinstated
	case ActRevoke:
		return RegisterRevoked
	case ActSurrender:
		return RegisterSurrendered
	case ActExhaust:
		return RegisterExhausted
	case ActExpire:
		return RegisterExpired
	case ActAmend:
		return RegisterAmended
	}
	return action
}

// HistoricalAttribution credits the historical UK data wherever it is shown.
const HistoricalAttribution = "Historical decisions 2008-2015 from Campaign Against Arms Trade (CAAT), compiled from the UK " +
	"Strategic Export Controls database; UK official data under the Open Government Licence"

// RegisterEntry is one published event as the public register shows it:
// only what was published in the transparency log (or, for historical
// decisions, in the official data they come from), never a restricted field.
type RegisterEntry struct {
	ID int64 `json:"id"`
	// LogIndex is the entry's leaf in the transparency log; nil for
	// historical decisions, which were decided and published elsewhere.
	LogIndex    *int64    `json:"log_index"`
	Kind        string    `json:"kind"`    // decision, licence_status, departure
	Outcome     string    `json:"outcome"` // one of RegisterOutcomes
	Reference   string    `json:"reference"`
	Date        string    `json:"date"` // YYYY-MM-DD (UTC) of the event
	At          time.Time `json:"at"`
	LicenceType string    `json:"licence_type"`
	ExportType  string    `json:"export_type"`
	Destination string    `json:"destination"`
	EndUserType string    `json:"end_user_type"`
	Ratings     []string  `json:"ratings"`
	Military    bool      `json:"military"`
	// ValueGBP is nil when no value is published (open licences).
	ValueGBP     *float64 `json:"value_gbp"`
	Criteria     []string `json:"criteria"`
	GoodsSummary string   `json:"goods_summary"`
	// Reasons are published reasons: a departure's, a licence status change's.
	Reasons    string `json:"reasons"`
	Historical bool   `json:"historical"`
	Source     string `json:"source"` // attribution of historical entries
}

// RegisterFilter searches the public register. Empty fields do not filter.
type RegisterFilter struct {
	Destination string   `json:"destination"`
	EndUserType string   `json:"end_user_type"`
	Rating      string   `json:"rating"` // a rating or its family (ML10a, ML10)
	Outcome     string   `json:"outcome"`
	Criterion   string   `json:"criterion"`
	LicenceType string   `json:"licence_type"`
	From        string   `json:"from"` // YYYY-MM-DD, inclusive
	To          string   `json:"to"`   // YYYY-MM-DD, inclusive
	MinValue    *float64 `json:"min_value_gbp"`
	MaxValue    *float64 `json:"max_value_gbp"`
	Text        string   `json:"q"` // words of the summary of goods
	// Historical: "" includes historical decisions, "exclude" leaves them
	// out, "only" shows only them.
	Historical string `json:"historical"`
	Limit      int    `json:"limit"`
	Cursor     string `json:"cursor"`
}

// Validate normalises the filter and names every bad field.
func (f *RegisterFilter) Validate() error {
	var errs Errors
	if f.Destination = strings.TrimSpace(f.Destination); f.Destination != "" {
		if c, err := ParseCountry("destination", f.Destination); err != nil {
			errs = append(errs, err.(*Error))
		} else {
			f.Destination = c
		}
	}
	f.EndUserType = strings.TrimSpace(f.EndUserType)
	if f.EndUserType != "" && !slices.Contains(EndUserTypes, f.EndUserType) {
		errs = append(errs, Invalid("end_user_type", "must be one of %s", strings.Join(EndUserTypes, ", ")))
	}
	f.Rating = strings.TrimSpace(f.Rating)
	if f.Rating != "" {
		if r, err := ParseRating("rating", f.Rating); err != nil {
			errs = append(errs, err.(*Error))
		} else {
			f.Rating = r
		}
	}
	f.Outcome = strings.TrimSpace(f.Outcome)
	if f.Outcome != "" && !slices.Contains(RegisterOutcomes, f.Outcome) {
		errs = append(errs, Invalid("outcome", "must be one of %s", strings.Join(RegisterOutcomes, ", ")))
	}
	f.Criterion = strings.TrimSpace(f.Criterion)
	if len(f.Criterion) > 20 {
		errs = append(errs, Invalid("criterion", "is not a criterion code"))
	}
	f.LicenceType = strings.ToUpper(strings.TrimSpace(f.LicenceType))
	if _, ok := LicenceTypes[f.LicenceType]; f.LicenceType != "" && !ok {
		errs = append(errs, Invalid("licence_type", "must be one of %s", strings.Join(LicenceTypeCodes, ", ")))
	}
	for _, d := range []struct{ name, v string }{{"from", f.From}, {"to", f.To}} {
		if _, err := time.Parse(time.DateOnly, d.v); d.v != "" && err != nil {
			errs = append(errs, Invalid(d.name, "must be a date (YYYY-MM-DD)"))
		}
	}
	if f.From != "" && f.To != "" && f.To < f.From {
		errs = append(errs, Invalid("to", "must not be before from"))
	}
	if f.MinValue != nil && *f.MinValue < 0 {
		errs = append(errs, Invalid("min_value_gbp", "must not be negative"))
	}
	if f.MinValue != nil && f.MaxValue != nil && *f.MaxValue < *f.MinValue {
		errs = append(errs, Invalid("max_value_gbp", "must not be less than min_value_gbp"))
	}
	if len(f.Text) > 200 {
		errs = append(errs, Invalid("q", "must be at most 200 characters"))
	}
	if !slices.Contains([]string{"", "exclude", "only"}, f.Historical) {
		errs = append(errs, Invalid("historical", "must be empty, exclude or only"))
	}
	return errs.Err()
}

// A StatisticsPeriod is a calendar quarter ("2026-Q3") or year ("2026").
type StatisticsPeriod struct {
	Name     string // as given, normalised
	From, To string // YYYY-MM-DD, To exclusive
}

// QuarterOf names the statistics quarter of a time in UTC ("2026-Q3"),
// as ParseStatisticsPeriod reads it.
func QuarterOf(t time.Time) string {
	t = t.UTC()
	return strconv.Itoa(t.Year()) + "-Q" + strconv.Itoa((int(t.Month())-1)/3+1)
}

// ParseStatisticsPeriod reads "2026-Q3" or "2026".
func ParseStatisticsPeriod(s string) (StatisticsPeriod, error) {
	s = strings.ToUpper(strings.TrimSpace(s))
	year, q, quarterly := strings.Cut(s, "-Q")
	y, err := strconv.Atoi(year)
	if err != nil || len(year) != 4 || y < 1990 || y > 2200 {
		return StatisticsPeriod{}, Invalid("period", "must be a year (2026) or a quarter (2026-Q3)")
	}
	if !quarterly {
		return StatisticsPeriod{Name: year, From: year + "-01-01", To: strconv.Itoa(y+1) + "-01-01"}, nil
	}
	n, err := strconv.Atoi(q)
	if err != nil || n < 1 || n > 4 {
		return StatisticsPeriod{}, Invalid("period", "must be a year (2026) or a quarter (2026-Q1 to 2026-Q4)")
	}
	from := time.Date(y, time.Month(3*n-2), 1, 0, 0, 0, 0, time.UTC)
	return StatisticsPeriod{Name: s, From: from.Format(time.DateOnly), To: from.AddDate(0, 3, 0).Format(time.DateOnly)}, nil
}

// StatisticsTable is one table of the official statistics, with the
// columns named as the published tables name them.
type StatisticsTable struct {
	Name    string   `json:"name"`
	Title   string   `json:"title"`
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
}

// Statistics are the official statistics of one period.
type Statistics struct {
	Period string `json:"period"`
	From   string `json:"from"`
	To     string `json:"to"` // exclusive
	// Release is set when these are a published (frozen) release.
	Release *StatisticsRelease `json:"release"`
	// Historical counts the decisions from the CAAT history included.
	Historical  int               `json:"historical_decisions"`
	Attribution string            `json:"attribution,omitempty"`
	Tables      []StatisticsTable `json:"tables"`
}

// Table returns the named table, or nil.
func (s *Statistics) Table(name string) *StatisticsTable {
	for i := range s.Tables {
		if s.Tables[i].Name == name {
			return &s.Tables[i]
		}
	}
	return nil
}

// StatisticsRelease is a frozen snapshot of a period's statistics,
// appended to the transparency log with its content hash.
type StatisticsRelease struct {
	ID          int64     `json:"id"`
	Period      string    `json:"period"`
	SHA256      string    `json:"sha256"` // of the snapshot's canonical JSON
	PublishedAt time.Time `json:"published_at"`
	LogIndex    int64     `json:"log_index"`
}

// Transparency is what the public sees, without signing in: the register of
// published decisions and the official statistics.
type Transparency interface {
	// Register searches published entries, newest first.
	Register(ctx context.Context, f RegisterFilter) (Page[RegisterEntry], error)
	// RegisterByReference lists the published entries of one reference,
	// oldest first; not_found when nothing of it was published.
	RegisterByReference(ctx context.Context, reference string) ([]RegisterEntry, error)
	// RegisterByLogIndex is the entry of one log leaf; not_found otherwise.
	RegisterByLogIndex(ctx context.Context, index int64) (*RegisterEntry, error)
	// Statistics are a period's latest release, or provisional figures.
	Statistics(ctx context.Context, period string) (*Statistics, error)
	// StatisticsReleaseContent is a period's latest release as stored, whose
	// SHA-256 the log holds; not_found before the first release.
	StatisticsReleaseContent(ctx context.Context, period string) ([]byte, *StatisticsRelease, error)
	// StatisticsReleases lists the releases, newest first.
	StatisticsReleases(ctx context.Context) ([]StatisticsRelease, error)
	// PublishStatistics freezes a period's statistics and logs their hash
	// (admins, senior officials, the system).
	PublishStatistics(ctx context.Context, a Actor, period string) (*StatisticsRelease, error)
}
