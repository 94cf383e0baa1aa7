package exportctl

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
)

// Duplicates across sources (issue 4). Different monitors record the same
// event independently and overlap little, so a count across sources adds
// the same event twice unless the duplicates are known. ProbableDuplicate
// proposes a pair; an analyst confirms or rejects it; confirmed pairs put
// both records in one group (Incident.GroupID, the smallest incident id of
// the connected set) without merging either away, and de-duplicated counts
// count a group once.

// IncidentMatching proposes, lists and decides probable duplicates, and
// counts incidents with each group of confirmed duplicates once.
//
// Who may call: analysts propose and decide (the system may propose, for
// the CLI); every internal role reads matches; exporters and the public
// are forbidden. DistinctIncidentCount follows the register's reading
// rules (the public counts publishable incidents only).
//
// Errors: invalid (naming the field), forbidden, not_found, conflict (a
// match already decided, or a decision that contradicts another one).
type IncidentMatching interface {
	// ProposeMatches scans the incidents matching the filter (Limit and
	// Cursor ignored) and records every new pair ProbableDuplicate
	// accepts as a proposed match. Pairs already proposed, confirmed or
	// rejected, and pairs already in one group, are never proposed again.
	// Returns how many new proposals it recorded.
	ProposeMatches(ctx context.Context, a Actor, f IncidentFilter) (proposed int, err error)
	// Matches lists matches with the status (all when empty), newest
	// first, keyset-paged by id.
	Matches(ctx context.Context, a Actor, status string, limit int, cursor string) (Page[IncidentMatch], error)
	// Match returns one match.
	Match(ctx context.Context, a Actor, id int64) (*IncidentMatch, error)
	// MatchesFor lists the matches an incident is part of, newest first.
	MatchesFor(ctx context.Context, a Actor, incidentID int64) ([]IncidentMatch, error)
	// DecideMatch confirms or rejects a proposed match (conflict when it
	// is already decided). Confirming puts both incidents' groups
	// together (the group is the smallest incident id of the set) in the
	// same transaction; it is a conflict when a rejected match links the
	// two groups. Rejecting keeps the pair, so it is never proposed again;
	// it is a conflict when the two are already grouped through other
	// confirmed matches.
	DecideMatch(ctx context.Context, a Actor, id int64, confirm bool, note string) error
	// DistinctIncidentCount counts the incidents matching the filter with
	// each group of confirmed duplicates once (Limit and Cursor ignored).
	DistinctIncidentCount(ctx context.Context, a Actor, f IncidentFilter) (int, error)
}

// Match statuses.
const (
	MatchProposed  = "proposed"
	MatchConfirmed = "confirmed"
	MatchRejected  = "rejected"
)

// MatchStatuses lists the statuses of a match.
var MatchStatuses = []string{MatchProposed, MatchConfirmed, MatchRejected}

// MatchThreshold is the score from which two incidents are a probable duplicate.
const MatchThreshold = 0.6

// MatchCandidate is a pair ProbableDuplicate accepted: A < B.
type MatchCandidate struct {
	A, B    int64
	Score   float64
	Reasons []string
}

// IncidentMatch is a recorded pair of probable duplicates and its decision.
type IncidentMatch struct {
	ID        int64      `json:"id"`
	A         int64      `json:"a_id"` // the smaller incident id
	B         int64      `json:"b_id"`
	Score     float64    `json:"score"`
	Reasons   []string   `json:"reasons"`
	Status    string     `json:"status"`
	By        string     `json:"decided_by,omitempty"`
	At        *time.Time `json:"decided_at,omitempty"`
	Note      string     `json:"note,omitempty"`
	CreatedAt time.Time  `json:"created_at"`
}

// MatchDecisionInput confirms or rejects a match, with an optional note.
type MatchDecisionInput struct {
	Note string `json:"note"`
}

// Validate checks a decision's note.
func (in *MatchDecisionInput) Validate() error {
	in.Note = strings.TrimSpace(in.Note)
	if len(in.Note) > maxText {
		return Invalid("note", "is longer than %d characters", maxText)
	}
	return nil
}

// Weights of the score's factors; they add up to 1.
const (
	weightTime   = 0.3
	weightPlace  = 0.3
	weightTarget = 0.2
	weightActor  = 0.2
)

// DateWindow is how many days apart two start dates may be for a pair of
// the given date precision (the coarser of the two): a day ±1, a week
// ±7, a month or wider ±31.
func DateWindow(precision int) int {
	switch {
	case precision <= PrecisionDay:
		return 1
	case precision == PrecisionWeek:
		return 7
	}
	return 31
}

// PlaceLimitKM is how far apart (km) two located incidents may be, by the
// coarser geo precision of the two: 10 km for exact places (0 or 1), 25
// km for SiND's "(2) 25 km", 50 km for precision 3 (a district). From 4
// on (province, linear feature, country) the coordinates locate nothing
// sharper than admin1, and 0 is returned: compare admin1 instead.
func PlaceLimitKM(geoPrecision int) float64 {
	switch {
	case geoPrecision <= 1:
		return 10
	case geoPrecision == 2:
		return 25
	case geoPrecision == 3:
		return 50
	}
	return 0
}

// relatedTargets are target categories that different monitors give the
// same event: a health-care attack is a hospital, an ambulance or health
// workers depending on what the source counts, and the Aid Worker Security
// Database records every victim as an aid worker (paramedics of a Red
// Crescent society, an aid agency's staff in a hospital). Related targets
// match with a lower score than equal ones.
var relatedTargets = map[[2]string]bool{}

func init() {
	for _, p := range [][2]string{
		{TargetHospital, TargetAmbulance}, {TargetHospital, TargetHealthWorker}, {TargetAmbulance, TargetHealthWorker},
		{TargetAid, TargetHealthWorker}, {TargetAid, TargetAmbulance}, {TargetAid, TargetHospital},
	} {
		relatedTargets[p] = true
		relatedTargets[[2]string{p[1], p[0]}] = true
	}
}

// ProbableDuplicate decides whether two incidents are probably the same
// event reported by different sources. Every condition must hold:
//
//   - different sources: no source of one is a source of the other (two
//     records of one source are never proposed: a source does not report
//     an event twice, and if it did, that is its own correction to make);
//   - the same country;
//   - start dates at most DateWindow(the coarser date precision) days
//     apart;
//   - close places: when both have coordinates, neither is redacted and
//     PlaceLimitKM(the coarser geo precision) > 0, at most that far apart;
//     otherwise the same admin1 (compared without case, punctuation and
//     words such as "district" or "governorate"; empty or "no information"
//     matches nothing). A redacted incident's coordinates are never used,
//     and the reasons never say more of its place than admin1;
//   - the same target category, or related ones (relatedTargets);
//     unknown matches nothing;
//   - compatible perpetrators: when both name perpetrators, one of each
//     has the same ACLED actor type (> 0; external forces, 8, count as
//     state forces, 1), or their names or forces share
//     a word (after dropping generic words such as "forces", comparing
//     "Israeli" with "Israel", and "IDF" with "Israel Defense Forces").
//     When one side or both name none, the pair is allowed with a lower
//     score;
//   - no contradicting means: when both say how (firearms, explosives of
//     any launch, assault), at least one in common;
//   - no contradicting harm: when both report people harmed, at least one
//     kind (killed, injured, kidnapped or detained) in common;
//   - when the places could only be compared by admin area (no usable
//     coordinates on one side), a harm count in common (both report 2
//     injured, say): an admin1 such as "Gaza Strip" holds a dozen attacks
//     on health care on a day of late 2023, all by one force, so admin1,
//     day, target and actor alone propose mostly different events.
//
// The score is 0.3 time + 0.3 place + 0.2 target + 0.2 actor, each factor
// in [0, 1]: time 1 on the same day falling to 0.7 at the window's edge,
// scaled by 1 (day), 0.8 (week) or 0.6 (month) precision; place 1 at the
// same point falling to 0.5 at the distance limit, 0.65 for the same
// admin1 and admin2, 0.5 for the same admin1 only; target 1 equal, 0.6
// related; actor 1 for the same type and a shared word, 0.9 for a shared
// word, 0.75 for the same type, 0.4 when one side names no perpetrator,
// 0.3 when neither does; plus harmBonus (0.1) when both count the same
// number of people killed, injured or taken, capped at 1. ok is score >=
// MatchThreshold (0.6); when a condition fails, score is 0 and reasons
// says which.
func ProbableDuplicate(a, b Incident) (score float64, reasons []string, ok bool) {
	fail := func(format string, args ...any) (float64, []string, bool) {
		return 0, []string{fmt.Sprintf(format, args...)}, false
	}
	if a.ID != 0 && a.ID == b.ID {
		return fail("the same incident")
	}
	if len(a.Sources) == 0 || len(b.Sources) == 0 {
		return fail("a record without a source")
	}
	for _, x := range a.Sources {
		for _, y := range b.Sources {
			if strings.EqualFold(x.Source, y.Source) {
				return fail("the same source: %s", x.Source)
			}
		}
	}
	reasons = append(reasons, "different sources: "+sourceNames(a)+" and "+sourceNames(b))
	if a.Country == "" || a.Country != b.Country {
		return fail("different countries: %s and %s", a.Country, b.Country)
	}

	// Time.
	da, errA := time.Parse(time.DateOnly, a.StartDate)
	db, errB := time.Parse(time.DateOnly, b.StartDate)
	if errA != nil || errB != nil {
		return fail("a start date is missing")
	}
	prec := max(a.DatePrecision, b.DatePrecision, PrecisionDay)
	window := DateWindow(prec)
	days := int(math.Abs(db.Sub(da).Hours()) / 24)
	if days > window {
		return fail("start dates %d days apart (window ±%d)", days, window)
	}
	base := 0.6
	switch prec {
	case PrecisionDay:
		base = 1
	case PrecisionWeek:
		base = 0.8
	}
	timeScore := base * (1 - 0.3*float64(days)/float64(window))
	if days == 0 {
		reasons = append(reasons, fmt.Sprintf("same start date %s (%s precision)", a.StartDate, precisionName(prec)))
	} else {
		reasons = append(reasons, fmt.Sprintf("start dates %d day(s) apart (%s precision, window ±%d)", days, precisionName(prec), window))
	}

	// Place.
	var placeScore float64
	adminOnly := false
	limit := PlaceLimitKM(max(a.GeoPrecision, b.GeoPrecision))
	if located(a) && located(b) && limit > 0 {
		d := DistanceKM(*a.Latitude, *a.Longitude, *b.Latitude, *b.Longitude)
		if d > limit {
			return fail("places %.1f km apart (limit %.0f km)", d, limit)
		}
		placeScore = 1 - 0.5*d/limit
		reasons = append(reasons, fmt.Sprintf("places %.1f km apart (limit %.0f km)", d, limit))
	} else {
		ka, kb := adminKey(a.Admin1), adminKey(b.Admin1)
		if ka == "" || ka != kb {
			return fail("no comparable place: admin1 %q and %q", a.Admin1, b.Admin1)
		}
		placeScore, adminOnly = 0.5, true
		why := "same admin1 " + a.Admin1
		if !a.Redacted && !b.Redacted && adminKey(a.Admin2) != "" && adminKey(a.Admin2) == adminKey(b.Admin2) {
			placeScore = 0.65
			why += ", same admin2 " + a.Admin2
		}
		reasons = append(reasons, why+" (no usable coordinates on one side)")
	}

	// Target.
	var targetScore float64
	switch {
	case a.Target == "" || a.Target == TargetUnknown || b.Target == "" || b.Target == TargetUnknown:
		return fail("target unknown")
	case a.Target == b.Target:
		targetScore = 1
		reasons = append(reasons, "same target: "+a.Target)
	case relatedTargets[[2]string{a.Target, b.Target}]:
		targetScore = 0.6
		reasons = append(reasons, "related targets: "+a.Target+" and "+b.Target)
	default:
		return fail("different targets: %s and %s", a.Target, b.Target)
	}

	// Perpetrators.
	var actorScore float64
	pa, pb := perpetrators(a), perpetrators(b)
	switch {
	case len(pa) == 0 && len(pb) == 0:
		actorScore = 0.3
		reasons = append(reasons, "no perpetrator named on either side")
	case len(pa) == 0 || len(pb) == 0:
		actorScore = 0.4
		reasons = append(reasons, "perpetrator named on one side only")
	default:
		sameType := 0
		for _, x := range pa {
			for _, y := range pb {
				if tx := stateAsOne(x.Type); tx > 0 && tx == stateAsOne(y.Type) {
					sameType = tx
				}
			}
		}
		word := sharedActorWord(pa, pb)
		switch {
		case sameType > 0 && word != "":
			actorScore = 1
			reasons = append(reasons, fmt.Sprintf("perpetrators of the same actor type %d sharing %q", sameType, word))
		case word != "":
			actorScore = 0.9
			reasons = append(reasons, fmt.Sprintf("perpetrators sharing %q", word))
		case sameType > 0:
			actorScore = 0.75
			reasons = append(reasons, fmt.Sprintf("perpetrators of the same actor type %d", sameType))
		default:
			return fail("incompatible perpetrators")
		}
	}

	// Means: shooting is not bombing (air and ground explosives are not
	// told apart: monitors confuse shelling with air strikes).
	ma, mb := weaponMeans(a.Weapons), weaponMeans(b.Weapons)
	switch {
	case ma != 0 && mb != 0 && ma&mb == 0:
		return fail("different means: %s and %s", meansText(ma), meansText(mb))
	case ma&mb != 0:
		reasons = append(reasons, "both report "+meansText(ma&mb))
	}

	// Harm: two reports of one event may count different people, but
	// not different kinds of harm (one says killed, the other only
	// detained).
	ha, hb := harmKinds(a.Harm), harmKinds(b.Harm)
	same := sameHarm(a.Harm, b.Harm)
	bonus := 0.0
	switch {
	case ha != 0 && hb != 0 && ha&hb == 0:
		return fail("different harm: %s and %s", harmText(ha), harmText(hb))
	case same != "":
		bonus = harmBonus
		reasons = append(reasons, "both report "+same)
	case ha&hb != 0:
		reasons = append(reasons, "both report people "+harmText(ha&hb)+" (different counts)")
	}
	// An admin1 holds many events on a busy day (Gaza in late 2023: a
	// dozen attacks on health care a day, all in "Gaza Strip", all by one
	// force): without coordinates to compare, the pair needs a harm count
	// in common.
	if adminOnly && same == "" {
		return fail("places compared by admin area only, and no harm count in common to corroborate")
	}

	score = weightTime*timeScore + weightPlace*placeScore + weightTarget*targetScore + weightActor*actorScore + bonus
	score = math.Min(1, math.Round(score*1000)/1000)
	return score, reasons, score >= MatchThreshold
}

// Kinds of harm, as bits.
const (
	harmKilled  = 1
	harmInjured = 2
	harmTaken   = 4 // kidnapped or detained: monitors call one arrest either
)

func harmKinds(h Harm) int {
	k := 0
	if h.Killed > 0 {
		k |= harmKilled
	}
	if h.Injured > 0 {
		k |= harmInjured
	}
	if h.Kidnapped > 0 || h.Detained > 0 {
		k |= harmTaken
	}
	return k
}

// Means of attack, as bits.
const (
	meansFirearm   = 1
	meansExplosive = 2
	meansAssault   = 4 // beating, stones, knives
)

var meansWords = []struct {
	word  string
	means int
}{
	{"firearm", meansFirearm}, {"shoot", meansFirearm}, {"gun", meansFirearm}, {"bullet", meansFirearm}, {"sniper", meansFirearm},
	{"rifle", meansFirearm},
	{"explosive", meansExplosive}, {"bomb", meansExplosive}, {"shell", meansExplosive}, {"artillery", meansExplosive},
	{"rocket", meansExplosive}, {"missile", meansExplosive}, {"mortar", meansExplosive}, {"ied", meansExplosive},
	{"grenade", meansExplosive}, {"airstrike", meansExplosive}, {"drone", meansExplosive},
	{"fist", meansAssault}, {"assault", meansAssault}, {"stone", meansAssault}, {"stick", meansAssault}, {"beat", meansAssault},
	{"knife", meansAssault}, {"stab", meansAssault},
}

// weaponMeans classifies an incident's weapons: a known launch is an
// explosive; otherwise the words of the weapon as reported decide; what
// says nothing (unknown, "No Information") adds nothing.
func weaponMeans(ws []IncidentWeapon) int {
	m := 0
	for _, w := range ws {
		if Airborne(w.Launch) || w.Launch == LaunchGround || w.Launch == LaunchSea {
			m |= meansExplosive
			continue
		}
		text := strings.ToLower(w.Reported + " " + w.Item)
		for _, k := range meansWords {
			if strings.Contains(text, k.word) {
				m |= k.means
			}
		}
	}
	return m
}

func meansText(m int) string {
	var parts []string
	for _, p := range []struct {
		bit  int
		text string
	}{{meansFirearm, "firearms"}, {meansExplosive, "explosives"}, {meansAssault, "assault"}} {
		if m&p.bit != 0 {
			parts = append(parts, p.text)
		}
	}
	return strings.Join(parts, ", ")
}

// harmBonus is added to the score when both records count the same
// number of people killed, injured or taken.
const harmBonus = 0.1

// sameHarm describes a harm count both report ("2 killed"), or "".
func sameHarm(a, b Harm) string {
	var parts []string
	for _, c := range []struct {
		x, y int
		what string
	}{{a.Killed, b.Killed, "killed"}, {a.Injured, b.Injured, "injured"},
		{a.Kidnapped + a.Detained, b.Kidnapped + b.Detained, "kidnapped or detained"}} {
		if c.x > 0 && c.x == c.y {
			parts = append(parts, fmt.Sprintf("%d %s", c.x, c.what))
		}
	}
	return strings.Join(parts, ", ")
}

func harmText(k int) string {
	var parts []string
	for _, p := range []struct {
		bit  int
		text string
	}{{harmKilled, "killed"}, {harmInjured, "injured"}, {harmTaken, "kidnapped or detained"}} {
		if k&p.bit != 0 {
			parts = append(parts, p.text)
		}
	}
	return strings.Join(parts, ", ")
}

func sourceNames(i Incident) string {
	names := make([]string, 0, len(i.Sources))
	for _, s := range i.Sources {
		if !slices.Contains(names, s.Source) {
			names = append(names, s.Source)
		}
	}
	return strings.Join(names, "+")
}

func precisionName(p int) string {
	switch p {
	case PrecisionDay:
		return "day"
	case PrecisionWeek:
		return "week"
	}
	return "month"
}

// located says whether an incident's coordinates may be compared.
func located(i Incident) bool { return !i.Redacted && i.Latitude != nil && i.Longitude != nil }

// adminWords are dropped when comparing administrative names.
var adminWords = map[string]bool{"district": true, "governorate": true, "province": true, "region": true, "state": true,
	"oblast": true, "county": true, "department": true, "muhafazat": true, "wilayah": true}

// adminKey normalises an administrative name: lower case, letters and
// digits only, without words such as "district"; "" for no information.
func adminKey(s string) string {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	kept := words[:0]
	for _, w := range words {
		if !adminWords[w] {
			kept = append(kept, w)
		}
	}
	k := strings.Join(kept, "")
	switch k {
	case "noinformation", "unknown", "na", "none", "notapplicable":
		return ""
	}
	return k
}

// stateAsOne compares ACLED's external forces (8) as state forces (1):
// ACLED codes a state's military as 8 outside its own territory, where
// other monitors say "armed forces of government".
func stateAsOne(t int) int {
	if t == 8 {
		return 1
	}
	return t
}

func perpetrators(i Incident) []IncidentActor {
	var out []IncidentActor
	for _, a := range i.Actors {
		if a.Role == ActorPerpetrator {
			out = append(out, a)
		}
	}
	return out
}

// actorStopwords say nothing about who an actor is.
var actorStopwords = map[string]bool{
	"the": true, "of": true, "and": true, "for": true, "in": true, "de": true, "du": true, "des": true, "la": true, "al": true,
	"forces": true, "force": true, "armed": true, "army": true, "military": true, "militia": true, "militias": true,
	"group": true, "groups": true, "police": true, "defence": true, "defense": true, "security": true, "government": true,
	"self": true, "declared": true, "state": true, "national": true, "unknown": true, "unidentified": true, "no": true,
	"information": true, "multiple": true, "other": true, "foreign": true, "members": true, "member": true, "unit": true,
	"civilian": true, "civilians": true, "non": true, "actor": true, "actors": true, "border": true,
}

// acronymSkip are words an acronym leaves out.
var acronymSkip = map[string]bool{"the": true, "of": true, "and": true, "for": true, "in": true}

// actorWords are the words that identify an actor: its name's and force's
// words without stopwords, words in brackets ("IDF"), and the acronym of
// the name outside brackets when it has three letters or more and the name
// says more than stopwords ("Unknown armed group" has no acronym).
func actorWords(x IncidentActor) []string {
	var out []string
	split := func(s string) []string {
		return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	}
	for _, text := range []string{x.Name, x.Force} {
		outside, inside := text, ""
		if i := strings.IndexByte(text, '('); i >= 0 {
			outside, inside = text[:i], text[i:]
		}
		var acronym strings.Builder
		kept := 0
		for _, w := range split(outside) {
			if !acronymSkip[w] {
				r := []rune(w)
				acronym.WriteRune(r[0])
			}
			if !actorStopwords[w] && len(w) > 1 {
				out = append(out, w)
				kept++
			}
		}
		if acronym.Len() >= 3 && kept > 0 {
			out = append(out, acronym.String())
		}
		for _, w := range split(inside) {
			if !actorStopwords[w] && len(w) > 1 {
				out = append(out, w)
			}
		}
	}
	return out
}

// sameWord compares two actor words: equal, or sharing a prefix of at
// least five letters that leaves at most three letters of either
// ("israeli" and "israel", "sudanese" and "sudan", "lebanese" and
// "lebanon").
func sameWord(x, y string) bool {
	if x == y {
		return true
	}
	n := 0
	for n < len(x) && n < len(y) && x[n] == y[n] {
		n++
	}
	return n >= 5 && len(x)-n <= 3 && len(y)-n <= 3
}

// sharedActorWord returns a word the two sets of perpetrators share, or "".
func sharedActorWord(pa, pb []IncidentActor) string {
	var wa, wb []string
	for _, x := range pa {
		wa = append(wa, actorWords(x)...)
	}
	for _, y := range pb {
		wb = append(wb, actorWords(y)...)
	}
	for _, x := range wa {
		for _, y := range wb {
			if sameWord(x, y) {
				return x
			}
		}
	}
	return ""
}

// DuplicateCandidates finds the pairs of incidents that ProbableDuplicate
// accepts, each pair once with A < B, best score first (then by A, B).
// It sorts the incidents by country and start date and, for each one,
// looks only at the later incidents of its country within the date window
// of each date precision (binary search into one sorted list per
// precision): O(n log n + n·k), k the incidents in a window, not O(n²).
// skip, when not nil, drops pairs already known (proposed, decided or
// grouped).
func DuplicateCandidates(incs []Incident, skip func(a, b int64) bool) []MatchCandidate {
	type entry struct {
		day  int64 // days since the epoch
		inc  *Incident
		prec int
	}
	// One list per country and date precision, each sorted by (day, id).
	lists := map[string]*[PrecisionMonth + 1][]entry{}
	var all []entry
	for i := range incs {
		inc := &incs[i]
		d, err := time.Parse(time.DateOnly, inc.StartDate)
		if err != nil || inc.Country == "" {
			continue
		}
		p := min(max(inc.DatePrecision, PrecisionDay), PrecisionMonth)
		e := entry{day: d.Unix() / 86400, inc: inc, prec: p}
		l := lists[inc.Country]
		if l == nil {
			l = &[PrecisionMonth + 1][]entry{}
			lists[inc.Country] = l
		}
		l[p] = append(l[p], e)
		all = append(all, e)
	}
	less := func(x, y entry) int {
		if x.day != y.day {
			return int(x.day - y.day)
		}
		return int(x.inc.ID - y.inc.ID)
	}
	for _, l := range lists {
		for p := range l {
			slices.SortFunc(l[p], less)
		}
	}
	var out []MatchCandidate
	for _, e := range all {
		l := lists[e.inc.Country]
		for p := PrecisionDay; p <= PrecisionMonth; p++ {
			list := l[p]
			window := int64(DateWindow(max(e.prec, p)))
			// The first entry after e in (day, id) order: each pair is
			// looked at once, from its earlier member.
			start := sort.Search(len(list), func(i int) bool { return less(list[i], e) > 0 })
			for _, o := range list[start:] {
				if o.day-e.day > window {
					break
				}
				a, b := e.inc, o.inc
				if a.ID > b.ID {
					a, b = b, a
				}
				if a.GroupID != 0 && a.GroupID == b.GroupID {
					continue // already grouped
				}
				if skip != nil && skip(a.ID, b.ID) {
					continue
				}
				if score, reasons, ok := ProbableDuplicate(*a, *b); ok {
					out = append(out, MatchCandidate{A: a.ID, B: b.ID, Score: score, Reasons: reasons})
				}
			}
		}
	}
	slices.SortFunc(out, func(x, y MatchCandidate) int {
		switch {
		case x.Score != y.Score:
			if x.Score > y.Score {
				return -1
			}
			return 1
		case x.A != y.A:
			return int(x.A - y.A)
		}
		return int(x.B - y.B)
	})
	return out
}
