package exportctl

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
)

// Licence types an application may ask for (reference/licence-types.csv).
// OGELs are pre-published and not applied for case by case.
var LicenceTypes = map[string]string{
	"SIEL":  "Standard Individual Export Licence",
	"OIEL":  "Open Individual Export Licence",
	"SITCL": "Standard Individual Trade Control Licence",
	"OITCL": "Open Individual Trade Control Licence",
	"SITL":  "Standard Individual Transhipment Licence",
}

// LicenceTypeCodes lists the licence types in display order.
var LicenceTypeCodes = []string{"SIEL", "OIEL", "SITCL", "OITCL", "SITL"}

// OpenLicence reports whether a licence type has no value limit; official
// statistics publish no values for open licences.
func OpenLicence(t string) bool { return t == "OIEL" || t == "OITCL" }

// Export types.
const (
	ExportPermanent     = "permanent"
	ExportTemporary     = "temporary"
	ExportIncorporation = "incorporation"
)

// ExportTypes lists the export types.
var ExportTypes = []string{ExportPermanent, ExportTemporary, ExportIncorporation}

// Party roles.
const (
	PartyConsignee         = "consignee"
	PartyEndUser           = "end_user"
	PartyUltimateEndUser   = "ultimate_end_user"
	PartyThirdParty        = "third_party"
	PartyIntermediateConsg = "intermediate_consignee"
	PartyAgent             = "agent"
)

// PartyRoles lists the party roles in display order.
var PartyRoles = []string{PartyConsignee, PartyEndUser, PartyUltimateEndUser, PartyIntermediateConsg, PartyAgent, PartyThirdParty}

// Organisation types of end users, used by the public register.
var EndUserTypes = []string{"government", "armed_forces", "police", "commercial", "individual", "other"}

// Decision outcomes.
const (
	OutcomeIssued  = "issued"
	OutcomeRefused = "refused"
	OutcomeNLR     = "nlr"
)

// Outcomes lists the decision outcomes.
var Outcomes = []string{OutcomeIssued, OutcomeRefused, OutcomeNLR}

// Good is one line of goods on an application.
type Good struct {
	ID          int64   `json:"id"`
	Description string  `json:"description"`
	Rating      string  `json:"rating"`
	Quantity    float64 `json:"quantity"`
	Unit        string  `json:"unit"`
	ValuePence  int64   `json:"-"`
	ValueGBP    float64 `json:"value_gbp"`
	ComponentOf string  `json:"component_of,omitempty"`
}

// Party is a consignee, end user or other party of an application.
type Party struct {
	ID          int64  `json:"id"`
	Role        string `json:"role"`
	Name        string `json:"name"`
	Address     string `json:"address,omitempty"`
	Country     string `json:"country"`
	Type        string `json:"type,omitempty"` // end-user organisation type
	Description string `json:"description,omitempty"`
}

// Application is a licence application (a case).
type Application struct {
	ID            int64      `json:"id"`
	Reference     string     `json:"reference"`
	OrgID         int64      `json:"org_id"`
	OrgName       string     `json:"org_name"`
	LicenceType   string     `json:"licence_type"`
	ExportType    string     `json:"export_type"`
	EndUse        string     `json:"end_use"`
	Status        string     `json:"status"`
	Outcome       string     `json:"outcome,omitempty"`
	CreatedBy     int64      `json:"created_by"`
	CreatedAt     time.Time  `json:"created_at"`
	SubmittedAt   *time.Time `json:"submitted_at,omitempty"`
	DecidedAt     *time.Time `json:"decided_at,omitempty"`
	Goods         []Good     `json:"goods"`
	Parties       []Party    `json:"parties"`
	LicenceID     int64      `json:"licence_id,omitempty"`
	Destination   string     `json:"destination,omitempty"` // the end user's country
	TotalValueGBP float64    `json:"total_value_gbp"`
}

// EndUser returns the application's end user, if any.
func (a *Application) EndUser() *Party {
	for i := range a.Parties {
		if a.Parties[i].Role == PartyEndUser {
			return &a.Parties[i]
		}
	}
	return nil
}

// ApplicationSummary is a row of a case list.
type ApplicationSummary struct {
	ID            int64      `json:"id"`
	Reference     string     `json:"reference"`
	OrgName       string     `json:"org_name"`
	LicenceType   string     `json:"licence_type"`
	Status        string     `json:"status"`
	Outcome       string     `json:"outcome,omitempty"`
	Destination   string     `json:"destination,omitempty"`
	EndUser       string     `json:"end_user,omitempty"`
	GoodsSummary  string     `json:"goods_summary"`
	TotalValueGBP float64    `json:"total_value_gbp"`
	CreatedAt     time.Time  `json:"created_at"`
	SubmittedAt   *time.Time `json:"submitted_at,omitempty"`
}

// GoodInput is a good as an exporter enters it.
type GoodInput struct {
	Description string   `json:"description"`
	Rating      string   `json:"rating"`
	Quantity    float64  `json:"quantity"`
	Unit        string   `json:"unit"`
	ValueGBP    *float64 `json:"value_gbp"`
	ComponentOf string   `json:"component_of"`
}

// PartyInput is a party as an exporter enters it.
type PartyInput struct {
	Role        string `json:"role"`
	Name        string `json:"name"`
	Address     string `json:"address"`
	Country     string `json:"country"`
	Type        string `json:"type"`
	Description string `json:"description"`
}

// ApplicationInput creates a draft application.
type ApplicationInput struct {
	LicenceType string       `json:"licence_type"`
	ExportType  string       `json:"export_type"`
	EndUse      string       `json:"end_use"`
	Goods       []GoodInput  `json:"goods"`
	Parties     []PartyInput `json:"parties"`
}

// Units a quantity may be given in.
var Units = []string{"item", "kg", "g", "litre", "metre", "set", "software_licence", "document"}

const maxText = 4000

// Validate normalises the input and reports every invalid field.
func (in *ApplicationInput) Validate() error {
	var errs Errors
	in.LicenceType = strings.ToUpper(strings.TrimSpace(in.LicenceType))
	if _, ok := LicenceTypes[in.LicenceType]; !ok {
		errs = append(errs, Invalid("licence_type", "must be one of %s", strings.Join(LicenceTypeCodes, ", ")))
	}
	in.ExportType = strings.ToLower(strings.TrimSpace(in.ExportType))
	if in.ExportType == "" {
		in.ExportType = ExportPermanent
	}
	if !slices.Contains(ExportTypes, in.ExportType) {
		errs = append(errs, Invalid("export_type", "must be one of %s", strings.Join(ExportTypes, ", ")))
	}
	in.EndUse = strings.TrimSpace(in.EndUse)
	if len(in.EndUse) > maxText {
		errs = append(errs, Invalid("end_use", "is longer than %d characters", maxText))
	}
	for i := range in.Goods {
		errs = append(errs, in.Goods[i].validate(fmt.Sprintf("goods[%d]", i))...)
	}
	for i := range in.Parties {
		errs = append(errs, in.Parties[i].validate(fmt.Sprintf("parties[%d]", i))...)
	}
	return errs.Err()
}

// Validate checks one good on its own (as a form adds it).
func (g *GoodInput) Validate() error { return Errors(g.validate("")).Err() }

// Validate checks one party on its own (as a form adds it).
func (p *PartyInput) Validate() error { return Errors(p.validate("")).Err() }

func prefixed(prefix, field string) string {
	if prefix == "" {
		return field
	}
	return prefix + "." + field
}

func (g *GoodInput) validate(prefix string) []*Error {
	var errs []*Error
	g.Description = strings.TrimSpace(g.Description)
	if g.Description == "" {
		errs = append(errs, Invalid(prefixed(prefix, "description"), "a description of the goods is required"))
	} else if len(g.Description) > maxText {
		errs = append(errs, Invalid(prefixed(prefix, "description"), "is longer than %d characters", maxText))
	}
	if r, err := ParseRating(prefixed(prefix, "rating"), g.Rating); err != nil {
		errs = append(errs, err.(*Error))
	} else {
		g.Rating = r
	}
	if !(g.Quantity > 0) || math.IsInf(g.Quantity, 0) {
		errs = append(errs, Invalid(prefixed(prefix, "quantity"), "must be a number greater than zero"))
	}
	g.Unit = strings.ToLower(strings.TrimSpace(g.Unit))
	if g.Unit == "" {
		g.Unit = "item"
	}
	if !slices.Contains(Units, g.Unit) {
		errs = append(errs, Invalid(prefixed(prefix, "unit"), "must be one of %s", strings.Join(Units, ", ")))
	}
	switch {
	case g.ValueGBP == nil:
		errs = append(errs, Invalid(prefixed(prefix, "value_gbp"), "a value in GBP is required"))
	case *g.ValueGBP < 0 || math.IsNaN(*g.ValueGBP) || math.IsInf(*g.ValueGBP, 0):
		errs = append(errs, Invalid(prefixed(prefix, "value_gbp"), "must be zero or more"))
	case *g.ValueGBP > 1e13:
		errs = append(errs, Invalid(prefixed(prefix, "value_gbp"), "is implausibly large"))
	}
	g.ComponentOf = strings.TrimSpace(g.ComponentOf)
	return errs
}

// ValuePence converts the entered GBP value to whole pence.
func (g *GoodInput) ValuePence() int64 {
	if g.ValueGBP == nil {
		return 0
	}
	return int64(math.Round(*g.ValueGBP * 100))
}

func (p *PartyInput) validate(prefix string) []*Error {
	var errs []*Error
	p.Role = strings.ToLower(strings.TrimSpace(p.Role))
	if !slices.Contains(PartyRoles, p.Role) {
		errs = append(errs, Invalid(prefixed(prefix, "role"), "must be one of %s", strings.Join(PartyRoles, ", ")))
	}
	p.Name = strings.TrimSpace(p.Name)
	if p.Name == "" {
		errs = append(errs, Invalid(prefixed(prefix, "name"), "a name is required"))
	}
	if c, err := ParseCountry(prefixed(prefix, "country"), p.Country); err != nil {
		errs = append(errs, err.(*Error))
	} else {
		p.Country = c
	}
	p.Type = strings.ToLower(strings.TrimSpace(p.Type))
	if p.Type != "" && !slices.Contains(EndUserTypes, p.Type) {
		errs = append(errs, Invalid(prefixed(prefix, "type"), "must be one of %s", strings.Join(EndUserTypes, ", ")))
	}
	return errs
}

// CheckSubmittable reports what an application still lacks before it can be
// submitted: goods, an end user, a consignee, an end use.
func (a *Application) CheckSubmittable() error {
	var errs Errors
	if len(a.Goods) == 0 {
		errs = append(errs, Invalid("goods", "add at least one good before submitting"))
	}
	if a.EndUser() == nil {
		errs = append(errs, Invalid("parties", "an end user is required before submitting"))
	}
	if a.LicenceType == "SIEL" || a.LicenceType == "SITCL" || a.LicenceType == "SITL" {
		hasConsignee := slices.ContainsFunc(a.Parties, func(p Party) bool { return p.Role == PartyConsignee })
		if !hasConsignee {
			errs = append(errs, Invalid("parties", "a consignee is required for a %s", a.LicenceType))
		}
	}
	if strings.TrimSpace(a.EndUse) == "" {
		errs = append(errs, Invalid("end_use", "state the end use before submitting"))
	}
	return errs.Err()
}

// ApplicationFilter selects cases for a list.
type ApplicationFilter struct {
	Status      string
	Destination string
	OrgID       int64
	Query       string // reference or text
	// IncludeHistorical lists history imported from published data too.
	IncludeHistorical bool
	Limit             int
	Cursor            string
}

// Page is one page of a list with a cursor to the next.
type Page[T any] struct {
	Items []T     `json:"items"`
	Total int     `json:"total"`
	Next  *string `json:"next"`
}

// DecisionInput records a case decision.
type DecisionInput struct {
	Outcome  string   `json:"outcome"`
	Criteria []string `json:"criteria"`
	Reasons  string   `json:"reasons"`
	// PublicReasons, when given, is the statement of reasons published
	// with the decision in the register and the log; Reasons stay
	// restricted (committed to in the log by a salted hash).
	PublicReasons string `json:"public_reasons,omitempty"`
	// ValidUntil bounds an issued licence; empty means the default
	// validity for the licence and export type.
	ValidUntil string `json:"valid_until,omitempty"`
	// Departure must be given when issuing against an adverse finding or
	// advice to refuse; it is recorded as its own decision.
	Departure *DepartureInput `json:"departure,omitempty"`
}

// Validate checks a decision: a refusal needs criteria of the set in force
// and reasons.
func (d *DecisionInput) Validate(criteria CriteriaSet) error {
	var errs Errors
	d.Outcome = strings.ToLower(strings.TrimSpace(d.Outcome))
	if d.Outcome == "no_licence_required" {
		d.Outcome = OutcomeNLR
	}
	if !slices.Contains(Outcomes, d.Outcome) {
		errs = append(errs, Invalid("outcome", "must be one of issued, refused, nlr"))
	}
	d.Reasons = strings.TrimSpace(d.Reasons)
	if d.Outcome == OutcomeRefused && len(d.Criteria) == 0 {
		errs = append(errs, Invalid("criteria", "a refusal must cite at least one criterion"))
	}
	if d.Reasons == "" {
		errs = append(errs, Invalid("reasons", "the decision must give its reasons"))
	}
	if d.Departure != nil {
		if err := d.Departure.Validate("departure."); err != nil {
			var ve *ValidationError
			if errors.As(err, &ve) {
				errs = append(errs, ve.Errors...)
			}
		}
		if d.Outcome != OutcomeIssued {
			errs = append(errs, Invalid("departure", "a departure is recorded only when issuing"))
		}
	}
	for i, c := range d.Criteria {
		c = strings.TrimSpace(c)
		d.Criteria[i] = c
		if _, ok := criteria.Find(c); !ok {
			errs = append(errs, Invalid(fmt.Sprintf("criteria[%d]", i), "%q is not a criterion of %s", c, criteria.Name))
		}
	}
	if d.Outcome != OutcomeRefused && len(d.Criteria) > 0 && d.Outcome != "" {
		errs = append(errs, Invalid("criteria", "criteria are cited only for refusals"))
	}
	if len(d.Reasons) > 20000 {
		errs = append(errs, Invalid("reasons", "is longer than 20000 characters"))
	}
	if d.PublicReasons = strings.TrimSpace(d.PublicReasons); len(d.PublicReasons) > 5000 {
		errs = append(errs, Invalid("public_reasons", "is longer than 5000 characters"))
	}
	if d.ValidUntil != "" {
		if _, err := time.Parse(time.DateOnly, d.ValidUntil); err != nil {
			errs = append(errs, Invalid("valid_until", "must be a date as YYYY-MM-DD"))
		}
	}
	return errs.Err()
}

// Decision is a recorded case decision.
type Decision struct {
	ID            int64     `json:"id"`
	ApplicationID int64     `json:"application_id"`
	Outcome       string    `json:"outcome"`
	Criteria      []string  `json:"criteria"`
	CriteriaSet   string    `json:"criteria_set"`
	Reasons       string    `json:"reasons"`
	PublicReasons string    `json:"public_reasons,omitempty"` // published with the decision
	DecidedBy     string    `json:"decided_by"`
	DecidedAt     time.Time `json:"decided_at"`
	Departure     bool      `json:"departure"` // issued against an adverse finding or advice
}

// Reference formats a case or licence reference such as GBSIEL/2026/0000001/P.
func Reference(licenceType string, year int, seq int64, exportType string) string {
	suffix := "P"
	switch exportType {
	case ExportTemporary:
		suffix = "T"
	case ExportIncorporation:
		suffix = "I"
	}
	return fmt.Sprintf("GB%s/%d/%07d/%s", licenceType, year, seq, suffix)
}

// DefaultValidity is how long a licence of this kind is valid from issue.
func DefaultValidity(licenceType, exportType string) (years int) {
	switch {
	case OpenLicence(licenceType):
		return 5
	case exportType == ExportTemporary:
		return 1
	}
	return 2
}
