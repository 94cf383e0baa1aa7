package exportctl

import (
	"regexp"
	"strconv"
	"strings"
)

// Rating kinds.
const (
	RatingMilitary = "military" // Military List ML1-ML22
	RatingNational = "national" // UK national entries PL5xxx, PL8xxx, PL9xxx
	RatingDualUse  = "dual_use" // dual-use list entries such as 5A002
	RatingNLR      = "nlr"      // no licence required
)

var (
	mlRating      = regexp.MustCompile(`^ML([1-9]|1[0-9]|2[0-2])([a-z](\.?[0-9]+[a-z]?)*)?$`)
	plRating      = regexp.MustCompile(`^PL[589][0-9]{3}[a-z]?$`)
	dualUseRating = regexp.MustCompile(`^[0-9][A-E][0-9]{3}([a-z](\.?[0-9]+[a-z]?)*)?$`)
)

// NormaliseRating puts a rating into its canonical spelling: list prefix and
// category in capitals, sub-items in lower case ("ml10A" -> "ML10a").
func NormaliseRating(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), " ", "")
	up := strings.ToUpper(s)
	switch {
	case up == "NLR":
		return "NLR"
	case strings.HasPrefix(up, "ML") || strings.HasPrefix(up, "PL"):
		i := 2
		for i < len(up) && up[i] >= '0' && up[i] <= '9' {
			i++
		}
		return up[:i] + strings.ToLower(up[i:])
	case len(up) >= 5 && up[0] >= '0' && up[0] <= '9':
		return up[:5] + strings.ToLower(up[5:])
	}
	return s
}

// RatingKind validates a normalised rating and says which list it is on.
func RatingKind(r string) (string, bool) {
	switch {
	case r == "NLR":
		return RatingNLR, true
	case mlRating.MatchString(r):
		return RatingMilitary, true
	case plRating.MatchString(r):
		return RatingNational, true
	case dualUseRating.MatchString(r):
		return RatingDualUse, true
	}
	return "", false
}

// ParseRating normalises and validates a rating for the given field.
func ParseRating(field, s string) (string, error) {
	r := NormaliseRating(s)
	if r == "" {
		return "", Invalid(field, "a control-list rating is required (e.g. ML10a, PL5017, 5A002 or NLR)")
	}
	if _, ok := RatingKind(r); !ok {
		return "", Invalid(field, "%q is not a control-list rating: expected ML1-ML22 with optional sub-item (ML10a), a UK national entry (PL5017, PL9002), a dual-use entry (5A002) or NLR", s)
	}
	return r, nil
}

// RatingFamily is the top-level entry a rating belongs to: ML10a -> ML10,
// 5A002a -> 5A002, PL5017 -> PL5017. Consistency checks compare families.
func RatingFamily(r string) string {
	switch kind, _ := RatingKind(r); kind {
	case RatingMilitary:
		i := 2
		for i < len(r) && r[i] >= '0' && r[i] <= '9' {
			i++
		}
		return r[:i]
	case RatingDualUse:
		return r[:5]
	case RatingNational:
		return r[:6]
	}
	return r
}

// MilitaryRating reports whether a rating is on the Military List or a UK
// national military entry (what official statistics call "military").
func MilitaryRating(r string) bool {
	kind, _ := RatingKind(r)
	return kind == RatingMilitary || (kind == RatingNational && strings.HasPrefix(r, "PL5"))
}

// MLCategory returns the Military List category number of a rating (10 for
// ML10a), or 0 when the rating is not on the Military List.
func MLCategory(r string) int {
	if k, _ := RatingKind(r); k != RatingMilitary {
		return 0
	}
	n, _ := strconv.Atoi(RatingFamily(r)[2:])
	return n
}

// MilitaryListTitles are the headings of the UK Military List, shipped with
// the project so that ratings are readable without any import.
var MilitaryListTitles = map[string]string{
	"ML1":  "Smooth-bore weapons with a calibre of less than 20 mm, other arms and automatic weapons with a calibre of 12.7 mm or less",
	"ML2":  "Smooth-bore weapons with a calibre of 20 mm or more, other weapons or armament with a calibre greater than 12.7 mm, projectors and accessories",
	"ML3":  "Ammunition and fuze setting devices",
	"ML4":  "Bombs, torpedoes, rockets, missiles, other explosive devices and charges",
	"ML5":  "Fire control, surveillance and warning equipment, and related systems, test and alignment and countermeasure equipment",
	"ML6":  "Ground vehicles and components",
	"ML7":  "Chemical agents, biological agents, riot control agents, radioactive materials, related equipment, components and materials",
	"ML8":  "Energetic materials and related substances",
	"ML9":  "Vessels of war (surface or underwater), special naval equipment, accessories and components",
	"ML10": "Aircraft, lighter-than-air vehicles, unmanned aerial vehicles, aero-engines and aircraft equipment, related equipment and components",
	"ML11": "Electronic equipment, spacecraft and components not controlled elsewhere on the Military List",
	"ML12": "High velocity kinetic energy weapon systems and related equipment",
	"ML13": "Armoured or protective equipment, constructions and components",
	"ML14": "Specialised equipment for military training or for simulating military scenarios",
	"ML15": "Imaging or countermeasure equipment specially designed for military use",
	"ML16": "Forgings, castings and other unfinished products specially designed for items on the Military List",
	"ML17": "Miscellaneous equipment, materials and libraries",
	"ML18": "Production equipment and components",
	"ML19": "Directed energy weapon systems, related or countermeasure equipment and test models",
	"ML20": "Cryogenic and superconductive equipment, and specially designed components and accessories",
	"ML21": "Software",
	"ML22": "Technology",
}

// Rating is an entry of the ratings dictionary.
type Rating struct {
	Code        string `json:"code"`
	Military    bool   `json:"military"`
	Title       string `json:"title"`
	Description string `json:"description,omitempty"`
	Source      string `json:"source"`
}

// RatingTitle names a rating from the shipped Military List headings; the
// store's dictionary (imported from CAAT) knows the rest.
func RatingTitle(r string) string {
	if r == "NLR" {
		return "No licence required"
	}
	return MilitaryListTitles[RatingFamily(r)]
}
