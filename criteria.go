package exportctl

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"slices"
)

// Criteria sets shipped with the project (reference/criteria.csv).
const (
	CriteriaUK2021 = "uk-selc-2021" // UK Strategic Export Licensing Criteria, 2021 (the default)
	CriteriaEU2008 = "eu-cp-2008"   // EU Common Position 2008/944/CFSP
	CriteriaATT    = "att-2013"     // Arms Trade Treaty, Articles 6 and 7
)

// DefaultCriteriaSet is the set in force unless configured otherwise.
const DefaultCriteriaSet = CriteriaUK2021

//go:embed reference/criteria.csv
var criteriaCSV []byte

// Criterion is one criterion of a set.
type Criterion struct {
	Set    string `json:"set"`
	Code   string `json:"code"`
	Parent string `json:"parent,omitempty"`
	Test   string `json:"test"` // refuse, refuse_if_clear_risk, prohibit_if_knowledge, ...
	Title  string `json:"title"`
}

// CriteriaSet is a named, versioned list of criteria.
type CriteriaSet struct {
	Name     string
	Criteria []Criterion
}

// Find returns the criterion with the code.
func (s CriteriaSet) Find(code string) (Criterion, bool) {
	i := slices.IndexFunc(s.Criteria, func(c Criterion) bool { return c.Code == code })
	if i < 0 {
		return Criterion{}, false
	}
	return s.Criteria[i], true
}

// Citable lists the criteria a refusal may cite (groups such as UK "2" are
// headings, not criteria).
func (s CriteriaSet) Citable() []Criterion {
	var out []Criterion
	for _, c := range s.Criteria {
		if c.Test != "group" {
			out = append(out, c)
		}
	}
	return out
}

var criteriaSets = func() map[string]CriteriaSet {
	rows, err := csv.NewReader(bytes.NewReader(criteriaCSV)).ReadAll()
	if err != nil {
		panic("reference/criteria.csv: " + err.Error())
	}
	sets := map[string]CriteriaSet{}
	for _, r := range rows[1:] {
		s := sets[r[0]]
		s.Name = r[0]
		s.Criteria = append(s.Criteria, Criterion{Set: r[0], Code: r[1], Parent: r[2], Test: r[3], Title: r[4]})
		sets[r[0]] = s
	}
	return sets
}()

// Criteria returns a criteria set by name.
func Criteria(name string) (CriteriaSet, bool) {
	s, ok := criteriaSets[name]
	return s, ok
}

// MustCriteria returns a shipped criteria set, panicking on an unknown name.
func MustCriteria(name string) CriteriaSet {
	s, ok := criteriaSets[name]
	if !ok {
		panic("unknown criteria set " + name)
	}
	return s
}
