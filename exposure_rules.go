package exportctl

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// DefaultExposureRulesJSON is the rule set the store installs as version 1
// (reference/exposure-rules.json).
//
//go:embed reference/exposure-rules.json
var DefaultExposureRulesJSON []byte

// ExposureRules is the data the exposure engine links by: which Military
// List categories can be involved in which incidents, and through what. A
// category the rules do not list (NLR, PL and most dual-use ratings, ML13
// body armour) links to nothing.
type ExposureRules struct {
	Description string `json:"description"`
	// MinConfidence is the least confidence of an attribution to a force
	// that links; an attribution without a stated confidence (0) links.
	MinConfidence float64        `json:"min_confidence"`
	Categories    []CategoryRule `json:"categories"`
}

// CategoryRule says how goods of one Military List category can be
// involved in an incident.
type CategoryRule struct {
	Category string `json:"category"` // ML10
	Title    string `json:"title"`
	// Launches are the incident launch types (air_plane, ground, ...) the
	// category can be involved with.
	Launches []string `json:"launches"`
	// Weapons are words in an incident's reported weapons ("firearm") that
	// make the category plausible whatever the launch.
	Weapons []string `json:"weapons"`
	// PlatformByCategory: a good of the category that names no item links
	// through every platform of the category the end user's country
	// operates (an ML10 licence and the F-16).
	PlatformByCategory bool `json:"platform_by_category"`
	// Contextual: the category can facilitate a plausible incident without
	// a platform match (a contextual link).
	Contextual bool `json:"contextual"`
}

// ExposureRuleSet is a version of the rules with who proposed and
// approved it. Only an approved version is used.
type ExposureRuleSet struct {
	Version    int           `json:"version"`
	Rules      ExposureRules `json:"rules"`
	ProposedBy string        `json:"proposed_by"`
	ProposedAt time.Time     `json:"proposed_at"`
	ApprovedBy string        `json:"approved_by,omitempty"`
	ApprovedAt *time.Time    `json:"approved_at,omitempty"`
	InUse      bool          `json:"in_use"` // the latest approved version
}

// ParseExposureRules reads a rule set from JSON and validates it.
func ParseExposureRules(data []byte) (*ExposureRules, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r ExposureRules
	if err := dec.Decode(&r); err != nil {
		return nil, Invalid("rules", "not a rule set: %v", err)
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return &r, nil
}

// DefaultExposureRules returns the shipped rule set.
func DefaultExposureRules() *ExposureRules {
	r, err := ParseExposureRules(DefaultExposureRulesJSON)
	if err != nil {
		panic("reference/exposure-rules.json: " + err.Error())
	}
	return r
}

var incidentLaunches = []string{LaunchAirPlane, LaunchAirDrone, LaunchAirHelicopter, LaunchAirUnknown, LaunchGround, LaunchSea, LaunchUnknown}

// Validate normalises the rules (categories to Military List families,
// weapon words to lower case) and names every invalid field.
func (r *ExposureRules) Validate() error {
	var errs Errors
	r.Description = strings.TrimSpace(r.Description)
	if r.MinConfidence < 0 || r.MinConfidence > 1 {
		errs = append(errs, Invalid("min_confidence", "must be between 0 and 1"))
	}
	if len(r.Categories) == 0 {
		errs = append(errs, Invalid("categories", "name at least one category"))
	}
	seen := map[string]bool{}
	for i := range r.Categories {
		c := &r.Categories[i]
		field := fmt.Sprintf("categories[%d]", i)
		fam := RatingFamily(NormaliseRating(c.Category))
		switch {
		case MLCategory(fam) == 0:
			errs = append(errs, Invalid(field+".category", "%q is not a Military List category (ML1-ML22)", c.Category))
		case seen[fam]:
			errs = append(errs, Invalid(field+".category", "%s is listed twice", fam))
		}
		seen[fam] = true
		c.Category = fam
		for j, l := range c.Launches {
			if !slices.Contains(incidentLaunches, l) {
				errs = append(errs, Invalid(fmt.Sprintf("%s.launches[%d]", field, j), "%q is not a launch type (one of %s)", l, strings.Join(incidentLaunches, ", ")))
			}
		}
		for j, w := range c.Weapons {
			c.Weapons[j] = strings.ToLower(strings.TrimSpace(w))
			if c.Weapons[j] == "" {
				errs = append(errs, Invalid(fmt.Sprintf("%s.weapons[%d]", field, j), "must not be empty"))
			}
		}
	}
	return errs.Err()
}

// Rule returns the rule of a rating's category, or nil: the good can be
// involved in nothing.
func (r *ExposureRules) Rule(rating string) *CategoryRule {
	fam := RatingFamily(NormaliseRating(rating))
	for i := range r.Categories {
		if r.Categories[i].Category == fam {
			return &r.Categories[i]
		}
	}
	return nil
}

// Plausible says whether the category can be involved in an incident of
// this launch type and reported weapons (lower case).
func (c *CategoryRule) Plausible(launch, weapons string) bool {
	if slices.Contains(c.Launches, launch) {
		return true
	}
	for _, w := range c.Weapons {
		if strings.Contains(weapons, w) {
			return true
		}
	}
	return false
}

// LaunchFits says whether an incident's launch type fits a platform's:
// the same, or an air launch of unknown kind and any aircraft.
func LaunchFits(platform, incident string) bool {
	return platform != "" && (platform == incident || incident == LaunchAirUnknown && Airborne(platform))
}
