package importer

import (
	"fmt"
	"strings"

	"github.com/exportctl/exportctl"
)

// nameAliases are country names found in the imported datasets (CAAT,
// SIPRI, ACLED, AWSD, SiND) that exportctl.CountryByName does not know.
// Keys are lower case. Territories are mapped to their own ISO code where
// they have one; a region of a state to that state.
var nameAliases = map[string]string{
	// CAAT (UK Strategic Export Controls spelling)
	"aland islands":                           "AX",
	"british virgin islands":                  "VG",
	"hong kong special administrative region": "HK",
	"mayotte (grand terre and pamanzi)":       "YT",
	"republic of guinea":                      "GN",
	"republic of moldova":                     "MD",
	"sarawak":                                 "MY", // a state of Malaysia
	"st helena":                               "SH",
	"st vincent (including the grenadines)":   "VC",
	"surinam":                                 "SR",
	"svelbard archipelago":                    "SJ", // sic
	"svalbard archipelago":                    "SJ",
	"british antarctic territory":             "AQ", // the UK's claim in Antarctica
	// ACLED
	"bailiwick of guernsey": "GG",
	"bailiwick of jersey":   "JE",
	"caribbean netherlands": "BQ",
	"curacao":               "CW",
	"reunion":               "RE",
	"saint helena, ascension and tristan da cunha": "SH",
	"saint-barthelemy":        "BL",
	"saint-martin":            "MF",
	"sint maarten":            "SX",
	"virgin islands, u.s.":    "VI",
	"united states":           "US",
	"pitcairn":                "PN",
	"st. kitts and nevis":     "KN",
	"cocos (keeling) islands": "CC",
	// AWSD, SiND
	"dr congo":                  "CD",
	"libyan arab jamahiriya":    "LY",
	"iran, islamic republic of": "IR",
	"syrian arab republic":      "SY",
	"chechnya":                  "RU", // AWSD's "Chechnya" rows are in the North Caucasus (Chechnya, Ingushetia, Dagestan)
	// SIPRI
	"west germany (frg)":              "DE",
	"libya gnc":                       "LY",
	"libya hor":                       "LY",
	"cabo verde":                      "CV",
	"micronesia, federated states of": "FM",
	"lao pdr":                         "LA",
}

// notCountries are names that cannot be an ISO 3166-1 country, with the
// reason given when a row names one.
var notCountries = map[string]string{
	"soviet union":                             "a former state with no ISO 3166-1 code",
	"czechoslovakia":                           "a former state with no ISO 3166-1 code",
	"east germany (gdr)":                       "a former state with no ISO 3166-1 code",
	"yugoslavia":                               "a former state with no ISO 3166-1 code",
	"netherlands antilles":                     "a former territory (dissolved 2010) with no current ISO 3166-1 code",
	"kashmir":                                  "a disputed region that no single country code covers",
	"channel islands":                          "two territories with separate codes (GG, JE)",
	"french overseas territory":                "not one territory",
	"continental shelf":                        "a sea area, not a country",
	"continental shelf danish sector":          "a sea area, not a country",
	"continental shelf netherlands sector":     "a sea area, not a country",
	"continental shelf norwegian sector":       "a sea area, not a country",
	"continental shelf: united kingdom sector": "a sea area, not a country",
	"unknown supplier(s)":                      "unknown",
	"unknown recipient(s)":                     "unknown",
	"unknown country":                          "unknown",
}

// countryNames resolves country names and codes, remembering answers:
// exportctl's lookups scan the whole table, and a file repeats a few
// hundred names over many rows.
type countryNames struct {
	byName   map[string]nameAnswer
	byAlpha3 map[string]string
}

type nameAnswer struct{ code, reason string }

// name maps a country name to alpha-2, or explains why it cannot.
func (c *countryNames) name(name string) (string, string) {
	if a, ok := c.byName[name]; ok {
		return a.code, a.reason
	}
	if c.byName == nil {
		c.byName = map[string]nameAnswer{}
	}
	code, reason := lookupCountry(name)
	c.byName[name] = nameAnswer{code, reason}
	return code, reason
}

// alpha3 maps an alpha-3 code to alpha-2.
func (c *countryNames) alpha3(a3 string) (string, bool) {
	if a2, ok := c.byAlpha3[a3]; ok {
		return a2, a2 != ""
	}
	if c.byAlpha3 == nil {
		c.byAlpha3 = map[string]string{}
	}
	a2, _ := exportctl.CountryByAlpha3(a3)
	c.byAlpha3[a3] = a2
	return a2, a2 != ""
}

// lookupCountry maps a name to alpha-2: not-a-country names first, then
// this package's aliases, then exportctl.CountryByName, then the name
// without a parenthesised note ("Libya (GNC)").
func lookupCountry(name string) (string, string) {
	n := strings.ToLower(strings.Join(strings.Fields(name), " "))
	if n == "" {
		return "", "no country"
	}
	if strings.HasSuffix(n, "*") {
		return "", fmt.Sprintf("%q is a non-state actor or organisation (no ISO 3166-1 code)", name)
	}
	if why, ok := notCountries[n]; ok {
		return "", fmt.Sprintf("%q is %s", name, why)
	}
	if a2, ok := nameAliases[n]; ok && a2 != "" {
		return a2, ""
	}
	if a2, ok := exportctl.CountryByName(n); ok {
		return a2, ""
	}
	if i := strings.IndexByte(n, '('); i > 0 {
		if a2, ok := exportctl.CountryByName(strings.TrimSpace(n[:i])); ok {
			return a2, ""
		}
	}
	return "", fmt.Sprintf("unknown country %q", name)
}
