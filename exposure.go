package exportctl

import (
	"context"
	"strings"
	"time"
)

// Strengths lists the link strengths (review.go), strongest first:
// direct, the identified system is the licensed item or contains it;
// platform, the incident's launch fits a platform the good is for,
// operated by the attributed force; contextual, the category could
// facilitate the incident without a platform match.
var Strengths = []string{StrengthDirect, StrengthPlatform, StrengthContextual}

// Kinds of the steps of a link's path.
const (
	StepLicence       = "licence"
	StepIncorporation = "incorporation"
	StepOnwardExport  = "onward_export"
	StepGood          = "good"
	StepItem          = "item"
	StepPlatform      = "platform"
	StepForce         = "force"
	StepIncident      = "incident"
)

// Exposure answers which licences could be connected to which incidents
// (DOMAIN.md section 4). Analysts, case officers, advisers, senior
// officials, decision makers and oversight read it; exporters get
// forbidden, anonymous callers unauthorized. Errors: invalid (naming the
// field), not_found (the licence or incident of the query).
type Exposure interface {
	Exposure(ctx context.Context, a Actor, q ExposureQuery) (*ExposureResult, error)
	// ExposureRuleSets lists the rule-set versions, newest first.
	ExposureRuleSets(ctx context.Context, a Actor) ([]ExposureRuleSet, error)
	// ProposeExposureRules records a new version, unapproved (analysts).
	ProposeExposureRules(ctx context.Context, a Actor, rules []byte) (*ExposureRuleSet, error)
	// ApproveExposureRules puts a proposed version in use (senior
	// officials; never its proposer).
	ApproveExposureRules(ctx context.Context, a Actor, version int) (*ExposureRuleSet, error)
}

// ExposureReaders are the roles that may read exposure.
var ExposureReaders = []Role{RoleAnalyst, RoleCaseOfficer, RoleAdviser, RoleSeniorOfficial, RoleDecisionMaker, RoleOversight, "system"}

// ExposureQuery asks for the links of a destination, an end user, a
// licence, an incident, or an area and period; the criteria combine.
type ExposureQuery struct {
	Destination string      `json:"destination,omitempty"` // ISO 3166-1 alpha-2 whose forces could use the goods
	EndUser     string      `json:"end_user,omitempty"`    // part of an end user's (or ultimate end user's) name
	LicenceID   int64       `json:"licence_id,omitempty"`
	LicenceRef  string      `json:"licence_reference,omitempty"` // a licence by its reference
	IncidentID  int64       `json:"incident_id,omitempty"`
	BBox        *[4]float64 `json:"bbox,omitempty"`  // minLon, minLat, maxLon, maxLat of incidents (redacted ones never match)
	Since       string      `json:"since,omitempty"` // incidents on or after, YYYY-MM-DD
	Until       string      `json:"until,omitempty"` // incidents on or before
	Limit       int         `json:"limit,omitempty"` // links listed; aggregates count them all
}

// Default and largest number of links an answer lists.
const (
	ExposureDefaultLimit = 500
	ExposureMaxLimit     = 100_000
)

// Validate normalises the query and names every invalid field. A query
// needs a destination, an end user, a licence, an incident or an area.
func (q *ExposureQuery) Validate() error {
	var errs Errors
	q.LicenceRef = strings.TrimSpace(q.LicenceRef)
	asked := strings.TrimSpace(q.Destination) != "" || strings.TrimSpace(q.EndUser) != "" || q.LicenceID != 0 || q.LicenceRef != "" ||
		q.IncidentID != 0 || q.BBox != nil
	if q.Destination = strings.TrimSpace(q.Destination); q.Destination != "" {
		c, err := ParseCountry("destination", q.Destination)
		if err != nil {
			errs = append(errs, err.(*Error))
		}
		q.Destination = c
	}
	q.EndUser = strings.Join(strings.Fields(q.EndUser), " ")
	if len(q.EndUser) > 200 {
		errs = append(errs, Invalid("end_user", "is longer than 200 characters"))
	}
	if q.LicenceID < 0 {
		errs = append(errs, Invalid("licence_id", "must be a licence id"))
	}
	if q.IncidentID < 0 {
		errs = append(errs, Invalid("incident_id", "must be an incident id"))
	}
	datesOK := true
	for _, d := range []struct {
		field string
		v     *string
	}{{"since", &q.Since}, {"until", &q.Until}} {
		*d.v = strings.TrimSpace(*d.v)
		if *d.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, *d.v); err != nil {
			errs = append(errs, Invalid(d.field, "%q is not a date (YYYY-MM-DD)", *d.v))
			datesOK = false
		}
	}
	if datesOK && q.Since != "" && q.Until != "" && q.Until < q.Since {
		errs = append(errs, Invalid("until", "is before since (%s)", q.Since))
	}
	if b := q.BBox; b != nil && (b[0] > b[2] || b[1] > b[3] || b[1] < -90 || b[3] > 90 || b[0] < -180 || b[2] > 180) {
		errs = append(errs, Invalid("bbox", "must be minLon,minLat,maxLon,maxLat within -180..180 and -90..90"))
	}
	switch {
	case q.Limit == 0:
		q.Limit = ExposureDefaultLimit
	case q.Limit < 0 || q.Limit > ExposureMaxLimit:
		errs = append(errs, Invalid("limit", "must be between 1 and %d", ExposureMaxLimit))
	}
	if !asked {
		errs = append(errs, Invalid("destination", "name a destination, an end user, a licence, an incident or an area"))
	}
	return errs.Err()
}

// ExposureStep is one step of a link's path with why it holds.
type ExposureStep struct {
	Kind  string `json:"kind"`
	Label string `json:"label"`
	Why   string `json:"why"`
}

// ExposureLink links a licence to an incident.
type ExposureLink struct {
	LicenceID        int64          `json:"licence_id"`
	LicenceReference string         `json:"licence_reference"`
	LicenceStatus    string         `json:"licence_status"`
	Rating           string         `json:"rating"`
	Good             string         `json:"good"`
	EndUser          string         `json:"end_user"`
	IncidentID       int64          `json:"incident_id"`
	IncidentDate     string         `json:"incident_date"`
	Country          string         `json:"country"`
	Admin1           string         `json:"admin1,omitempty"`
	Place            string         `json:"place,omitempty"` // empty when the publisher redacted it
	Latitude         *float64       `json:"latitude,omitempty"`
	Longitude        *float64       `json:"longitude,omitempty"`
	Target           string         `json:"target_category"`
	Actor            string         `json:"actor"`
	Launch           string         `json:"launch"`
	Item             string         `json:"item,omitempty"` // the platform or identified item of the path
	Strength         string         `json:"strength"`
	Path             []ExposureStep `json:"path"`
	Dates            string         `json:"dates"` // why the dates are compatible
}

// ExposureLicence sums up one licence's links.
type ExposureLicence struct {
	LicenceID   int64  `json:"licence_id"`
	Reference   string `json:"reference"`
	Status      string `json:"status"`
	Destination string `json:"destination"`
	EndUser     string `json:"end_user"`
	ExposureSummary
}

// ExposureCount is one row of an aggregate: links, and distinct linked
// incidents and licences.
type ExposureCount struct {
	Key       string `json:"key"`
	Links     int    `json:"links"`
	Incidents int    `json:"incidents"`
	Licences  int    `json:"licences"`
}

// ExposureAggregates group the links.
type ExposureAggregates struct {
	ByRating         []ExposureCount `json:"by_rating"`
	ByItem           []ExposureCount `json:"by_item"`
	ByEndUser        []ExposureCount `json:"by_end_user"`
	ByTarget         []ExposureCount `json:"by_target_category"`
	ByClassification []ExposureCount `json:"by_legal_classification"`
	ByMonth          []ExposureCount `json:"by_month"`
}

// ExposureResult is the answer: the links (the first Limit, in a stable
// order: licence reference, strength, incident date newest first,
// incident id), a summary per licence and aggregates over every link.
type ExposureResult struct {
	RuleSetVersion int                `json:"rule_set_version"`
	Query          ExposureQuery      `json:"query"`
	Links          []ExposureLink     `json:"links"`
	Total          int                `json:"total"`     // links in all
	Incidents      int                `json:"incidents"` // distinct linked incidents
	Licences       []ExposureLicence  `json:"licences"`
	Aggregates     ExposureAggregates `json:"aggregates"`
}
