package importer

import (
	"github.com/exportctl/exportctl"
)

// targetRule says what a keyword in an incident narrative points to.
type targetRule struct {
	target  string
	next    set    // when set, the next word must be one of these
	prev    set    // when set, the previous word must be one of these
	notPrev set    // the previous word (or "the" after one of these) must not be one of these
	notNext set    // the next word must not be one of these
	exact   string // when set, the word must be spelt exactly so ("UN", not "un")
}

type set map[string]bool

func setOf(words ...string) set {
	s := set{}
	for _, w := range words {
		s[w] = true
	}
	return s
}

// targetRank orders the categories when a narrative names several: the
// most specific protected object wins.
var targetRank = map[string]int{
	exportctl.TargetHospital: 1, exportctl.TargetAmbulance: 2, exportctl.TargetHealthWorker: 3,
	exportctl.TargetSchool: 4, exportctl.TargetAid: 5, exportctl.TargetWorship: 6, exportctl.TargetHome: 7,
	exportctl.TargetShelter: 8, exportctl.TargetInfrastructure: 9, exportctl.TargetJournalist: 10,
}

var (
	// "taken to hospital", "died in hospital", "discharged from the clinic"
	// mention a hospital without it being hit.
	notToHospital = setOf("to", "in", "from")
	facilityNouns = setOf("facility", "facilities", "center", "centre", "centers", "centres", "point", "points", "complex",
		"clinic", "clinics", "post", "posts", "unit", "units", "warehouse", "warehouses", "building", "buildings")
	medicalStaff = setOf("staff", "worker", "workers", "personnel", "team", "teams", "volunteer", "volunteers")
	aidNouns     = setOf("worker", "workers", "convoy", "convoys", "truck", "trucks", "lorry", "lorries", "warehouse", "warehouses",
		"organisation", "organization", "organisations", "organizations", "agency", "agencies", "staff", "distribution",
		"office", "offices", "compound", "compounds", "facility", "facilities", "vehicle", "vehicles", "centre", "center",
		"site", "point", "delivery", "deliveries", "shipment", "supplies", "volunteer", "volunteers", "employee", "employees")
	utilityNouns = setOf("station", "stations", "plant", "plants", "line", "lines", "grid", "supply", "supplies", "infrastructure",
		"network", "networks", "facility", "facilities", "substation", "tower", "towers", "well", "wells", "tank", "tanks",
		"system", "systems", "pipe", "pipes", "pipeline", "pipelines", "treatment", "pumping", "reservoir", "point", "points")
	armedCamp = setOf("military", "army", "training", "rebel", "militia", "police", "base", "insurgent", "terrorist", "jihadist")
)

// targetWords maps lower-case narrative words to what they point to.
var targetWords = func() map[string][]targetRule {
	m := map[string][]targetRule{}
	add := func(r targetRule, words ...string) {
		for _, w := range words {
			m[w] = append(m[w], r)
		}
	}
	add(targetRule{target: exportctl.TargetHospital, notPrev: notToHospital},
		"hospital", "hospitals", "clinic", "clinics", "dispensary", "dispensaries", "infirmary")
	add(targetRule{target: exportctl.TargetHospital, next: facilityNouns}, "medical", "health", "healthcare")
	add(targetRule{target: exportctl.TargetHealthWorker, next: medicalStaff}, "medical", "health", "healthcare")
	add(targetRule{target: exportctl.TargetHealthWorker}, "doctor", "doctors", "nurse", "nurses", "paramedic", "paramedics", "medic", "medics")
	add(targetRule{target: exportctl.TargetAmbulance}, "ambulance", "ambulances")
	add(targetRule{target: exportctl.TargetSchool}, "school", "schools", "university", "universities", "kindergarten",
		"madrasa", "madrassa", "madrasas", "madrassas")
	add(targetRule{target: exportctl.TargetAid, next: aidNouns}, "aid", "humanitarian", "relief")
	add(targetRule{target: exportctl.TargetAid, next: aidNouns, exact: "UN"}, "un")
	add(targetRule{target: exportctl.TargetAid, exact: "UNRWA"}, "unrwa")
	add(targetRule{target: exportctl.TargetAid, exact: "UNICEF"}, "unicef")
	add(targetRule{target: exportctl.TargetAid, exact: "UNHCR"}, "unhcr")
	add(targetRule{target: exportctl.TargetAid, exact: "WFP"}, "wfp")
	add(targetRule{target: exportctl.TargetAid, exact: "ICRC"}, "icrc")
	add(targetRule{target: exportctl.TargetAid, exact: "MSF"}, "msf")
	add(targetRule{target: exportctl.TargetAid, exact: "NGO"}, "ngo")
	add(targetRule{target: exportctl.TargetAid, exact: "NGOs"}, "ngos")
	add(targetRule{target: exportctl.TargetAid, prev: setOf("red")}, "cross", "crescent")
	add(targetRule{target: exportctl.TargetWorship}, "mosque", "mosques", "church", "churches", "synagogue", "synagogues",
		"temple", "temples", "monastery", "shrine", "shrines")
	add(targetRule{target: exportctl.TargetHome, notNext: setOf("of", "arrest", "guard", "guards", "minister", "ministry", "office", "affairs")},
		"home", "homes", "house", "houses", "residential", "residence", "residences", "apartment", "apartments", "dwelling", "dwellings")
	add(targetRule{target: exportctl.TargetShelter}, "shelter", "shelters")
	add(targetRule{target: exportctl.TargetShelter, notPrev: armedCamp}, "camp", "camps")
	add(targetRule{target: exportctl.TargetInfrastructure, next: utilityNouns}, "water", "power", "electricity", "electric", "fuel", "gas")
	add(targetRule{target: exportctl.TargetInfrastructure}, "electricity", "bakery", "bakeries", "substation", "substations")
	add(targetRule{target: exportctl.TargetJournalist}, "journalist", "journalists", "reporter", "reporters", "photojournalist",
		"photojournalists", "cameraman", "cameramen")
	return m
}()

// notesTarget returns the target category a narrative's keywords point to
// (the best ranked when several), or "" when none does.
func notesTarget(notes string) string {
	if notes == "" {
		return ""
	}
	lower := make([]byte, len(notes))
	for i := 0; i < len(notes); i++ {
		c := notes[i]
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		lower[i] = c
	}
	best, bestRank := "", 1<<30
	var prev2, prev [2]int // spans of the two previous words
	prev2, prev = [2]int{-1, -1}, [2]int{-1, -1}
	word := func(s [2]int) string {
		if s[0] < 0 {
			return ""
		}
		return string(lower[s[0]:s[1]])
	}
	for i := 0; ; {
		start, end := nextWord(lower, i)
		if start < 0 {
			break
		}
		i = end
		rules, ok := targetWords[string(lower[start:end])]
		if ok {
			nextStart, nextEnd := nextWord(lower, end)
			next := ""
			if nextStart >= 0 {
				next = string(lower[nextStart:nextEnd])
			}
			for _, r := range rules {
				rank := targetRank[r.target]
				if rank >= bestRank {
					continue
				}
				if r.exact != "" && notes[start:end] != r.exact {
					continue
				}
				if r.next != nil && !r.next[next] {
					continue
				}
				if r.notNext != nil && r.notNext[next] {
					continue
				}
				p, p2 := word(prev), word(prev2)
				if r.prev != nil && !r.prev[p] {
					continue
				}
				if r.notPrev != nil && (r.notPrev[p] || (p == "the" || p == "a") && r.notPrev[p2]) {
					continue
				}
				best, bestRank = r.target, rank
			}
		}
		prev2, prev = prev, [2]int{start, end}
	}
	return best
}

// nextWord finds the next run of ASCII letters at or after i; -1 when none.
func nextWord(b []byte, i int) (int, int) {
	for i < len(b) && !isLetter(b[i]) {
		i++
	}
	if i >= len(b) {
		return -1, -1
	}
	j := i
	for j < len(b) && isLetter(b[j]) {
		j++
	}
	return i, j
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
