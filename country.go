package exportctl

import (
	"slices"
	"strings"
)

// ParseCountry checks an ISO 3166-1 alpha-2 code (case-insensitive) and
// returns it in capitals.
func ParseCountry(field, s string) (string, error) {
	c := strings.ToUpper(strings.TrimSpace(s))
	if c == "" {
		return "", Invalid(field, "a country is required (ISO 3166-1 alpha-2, e.g. IL)")
	}
	if _, ok := countries[c]; !ok {
		return "", Invalid(field, "%q is not an ISO 3166-1 alpha-2 country code", s)
	}
	return c, nil
}

// CountryName returns the English short name of an alpha-2 code, or the
// code itself when unknown.
func CountryName(code string) string {
	if c, ok := countries[code]; ok {
		return c.Name
	}
	return code
}

// CountryByAlpha3 maps an alpha-3 code (as SiND and ACLED use) to alpha-2.
func CountryByAlpha3(a3 string) (string, bool) {
	a3 = strings.ToUpper(strings.TrimSpace(a3))
	for a2, c := range countries {
		if c.Alpha3 == a3 {
			return a2, true
		}
	}
	return "", false
}

// CountryByName maps an English country name to alpha-2, accepting the
// common short names real datasets use.
func CountryByName(name string) (string, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if a2, ok := countryAliases[n]; ok {
		return a2, true
	}
	for a2, c := range countries {
		if strings.ToLower(c.Name) == n {
			return a2, true
		}
	}
	return "", false
}

// Countries lists every alpha-2 code with its name, sorted by name.
func Countries() []struct{ Code, Name string } {
	out := make([]struct{ Code, Name string }, 0, len(countries))
	for a2, c := range countries {
		out = append(out, struct{ Code, Name string }{a2, c.Name})
	}
	slices.SortFunc(out, func(a, b struct{ Code, Name string }) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// countryAliases are names found in real datasets (CAAT, ACLED, SIPRI) that
// differ from the ISO short name.
var countryAliases = map[string]string{
	"uk":                               "GB",
	"united kingdom":                   "GB",
	"usa":                              "US",
	"united states of america":         "US",
	"russia":                           "RU",
	"russian federation":               "RU",
	"south korea":                      "KR",
	"korea, south":                     "KR",
	"korea, republic of":               "KR",
	"north korea":                      "KP",
	"korea, north":                     "KP",
	"iran":                             "IR",
	"syria":                            "SY",
	"palestine":                        "PS",
	"occupied palestinian territories": "PS",
	"occupied palestinian territory":   "PS",
	"opt":                              "PS",
	"vietnam":                          "VN",
	"viet nam":                         "VN",
	"laos":                             "LA",
	"bolivia":                          "BO",
	"venezuela":                        "VE",
	"tanzania":                         "TZ",
	"moldova":                          "MD",
	"macedonia":                        "MK",
	"north macedonia":                  "MK",
	"czech republic":                   "CZ",
	"czechia":                          "CZ",
	"turkey":                           "TR",
	"turkiye":                          "TR",
	"türkiye":                          "TR",
	"ivory coast":                      "CI",
	"cote d'ivoire":                    "CI",
	"côte d'ivoire":                    "CI",
	"democratic republic of congo":     "CD",
	"democratic republic of the congo": "CD",
	"congo, democratic republic":       "CD",
	"drc":                              "CD",
	"republic of congo":                "CG",
	"congo":                            "CG",
	"congo, republic":                  "CG",
	"taiwan":                           "TW",
	"brunei":                           "BN",
	"burma":                            "MM",
	"myanmar":                          "MM",
	"cape verde":                       "CV",
	"swaziland":                        "SZ",
	"eswatini":                         "SZ",
	"east timor":                       "TL",
	"timor-leste":                      "TL",
	"micronesia":                       "FM",
	"vatican city":                     "VA",
	"holy see":                         "VA",
	"kosovo":                           "XK",
	"hong kong":                        "HK",
	"macao":                            "MO",
	"macau":                            "MO",
	"falkland islands":                 "FK",
	"st kitts and nevis":               "KN",
	"st lucia":                         "LC",
	"st vincent":                       "VC",
	"st vincent and the grenadines":    "VC",
	"bosnia-herzegovina":               "BA",
	"bosnia and herzegovina":           "BA",
	"trinidad & tobago":                "TT",
	"antigua & barbuda":                "AG",
	"sao tome & principe":              "ST",
	"the gambia":                       "GM",
	"gambia":                           "GM",
	"bahamas":                          "BS",
	"the bahamas":                      "BS",
	"united arab emirates":             "AE",
	"uae":                              "AE",
	"netherlands":                      "NL",
	"the netherlands":                  "NL",
}
