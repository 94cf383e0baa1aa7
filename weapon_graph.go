package exportctl

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// ItemKinds lists the weapon-graph item kinds.
var ItemKinds = []string{ItemPlatform, ItemMunition, ItemComponent, ItemSubsystem}

// EdgeKinds lists the weapon-graph edge kinds.
var EdgeKinds = []string{EdgeComponentOf, EdgeCompatibleWith, EdgeVariantOf}

// PlatformLaunches are the launch types a platform may have: how an
// incident's reported launch ("Air-Launched: Plane") meets a platform.
var PlatformLaunches = []string{LaunchAirPlane, LaunchAirDrone, LaunchAirHelicopter, LaunchGround, LaunchSea}

// Item sources: the shipped seed graph, or the analyst who added the item.
const (
	ItemSourceSeed    = "seed"
	ItemSourceAnalyst = "analyst:" // followed by the username
)

// Item is a node of the weapon-item graph: a platform (F-16), a munition
// (JDAM), a component (F-35 rear fuselage) or a subsystem (F135 engine).
// A licence's goods are linked to items by MatchItem, deliveries recorded
// by SIPRI by Matcher.Resolve.
type Item struct {
	ID          int64     `json:"id"`
	Name        string    `json:"name"`
	Kind        string    `json:"kind"`
	Categories  []string  `json:"categories"` // Military List families: ML10, ML4, ...
	Aliases     []string  `json:"aliases"`    // other names it goes by: F-16C, Fighting Falcon
	Launch      string    `json:"launch,omitempty"`
	Description string    `json:"description,omitempty"`
	Source      string    `json:"source"` // "seed" or "analyst:<username>"
	CreatedAt   time.Time `json:"created_at"`
}

// Names returns the item's name followed by its aliases.
func (it *Item) Names() []string { return append([]string{it.Name}, it.Aliases...) }

// Edge links two items: From is a component of, compatible with, or a
// variant of To (JDAM compatible_with F-16; F-16I variant_of F-16).
type Edge struct {
	ID        int64     `json:"id"`
	From      int64     `json:"from"`
	FromName  string    `json:"from_name"`
	To        int64     `json:"to"`
	ToName    string    `json:"to_name"`
	Kind      string    `json:"kind"`
	Source    string    `json:"source"`
	CreatedAt time.Time `json:"created_at"`
}

// Operator says that a recipient operates an item since the year of its
// first recorded delivery. Deliveries of a variant count for the item it
// is a variant of as well (F-16I deliveries make the recipient an F-16
// operator); Designations lists what was delivered as the source names it.
type Operator struct {
	Recipient    string   `json:"recipient"` // ISO 3166-1 alpha-2
	ItemID       int64    `json:"item_id"`
	Item         string   `json:"item"`
	Since        int      `json:"since"`  // first delivery year
	Number       int      `json:"number"` // items delivered, all years
	Source       string   `json:"source"` // "sipri"
	SIPRIIDs     []string `json:"sipri_ids"`
	Designations []string `json:"designations"`
}

// OperatorSourceSIPRI marks operators known from SIPRI's register.
const OperatorSourceSIPRI = "sipri"

// ItemDetail is an item with its edges (both directions) and operators.
type ItemDetail struct {
	Item
	Edges     []Edge     `json:"edges"`
	Operators []Operator `json:"operators"`
}

// ItemInput adds an item to the graph.
type ItemInput struct {
	Name        string   `json:"name"`
	Kind        string   `json:"kind"`
	Categories  []string `json:"categories"`
	Aliases     []string `json:"aliases"`
	Launch      string   `json:"launch"`
	Description string   `json:"description"`
}

// Validate normalises the input (categories to Military List families,
// aliases trimmed and de-duplicated) and reports every invalid field.
func (in *ItemInput) Validate() error {
	var errs Errors
	in.Name = strings.Join(strings.Fields(in.Name), " ")
	switch {
	case in.Name == "":
		errs = append(errs, Invalid("name", "a name is required"))
	case len(in.Name) > 200:
		errs = append(errs, Invalid("name", "is longer than 200 characters"))
	case MatchKey(in.Name) == "":
		errs = append(errs, Invalid("name", "must contain a letter or digit"))
	}
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	if !slices.Contains(ItemKinds, in.Kind) {
		errs = append(errs, Invalid("kind", "must be one of %s", strings.Join(ItemKinds, ", ")))
	}
	var cats []string
	for i, c := range in.Categories {
		r := NormaliseRating(c)
		if MLCategory(r) == 0 {
			errs = append(errs, Invalid(fmt.Sprintf("categories[%d]", i), "%q is not a Military List category (ML1-ML22)", c))
			continue
		}
		if f := RatingFamily(r); !slices.Contains(cats, f) {
			cats = append(cats, f)
		}
	}
	if len(in.Categories) == 0 {
		errs = append(errs, Invalid("categories", "give at least one Military List category (such as ML10 for aircraft, ML4 for bombs and missiles)"))
	}
	in.Categories = cats
	var aliases []string
	seen := map[string]bool{MatchKey(in.Name): true}
	for i, a := range in.Aliases {
		a = strings.Join(strings.Fields(a), " ")
		k := MatchKey(a)
		switch {
		case a == "" || seen[k]:
			continue
		case k == "":
			errs = append(errs, Invalid(fmt.Sprintf("aliases[%d]", i), "must contain a letter or digit"))
		case len(a) > 100:
			errs = append(errs, Invalid(fmt.Sprintf("aliases[%d]", i), "is longer than 100 characters"))
		}
		seen[k] = true
		aliases = append(aliases, a)
	}
	if len(aliases) > 50 {
		errs = append(errs, Invalid("aliases", "at most 50 aliases"))
	}
	in.Aliases = aliases
	in.Launch = strings.ToLower(strings.TrimSpace(in.Launch))
	switch {
	case in.Launch != "" && !slices.Contains(PlatformLaunches, in.Launch):
		errs = append(errs, Invalid("launch", "must be one of %s", strings.Join(PlatformLaunches, ", ")))
	case in.Kind == ItemPlatform && in.Launch == "":
		errs = append(errs, Invalid("launch", "a platform needs its launch type: one of %s", strings.Join(PlatformLaunches, ", ")))
	case in.Kind != ItemPlatform && slices.Contains(ItemKinds, in.Kind) && in.Launch != "":
		errs = append(errs, Invalid("launch", "only platforms have a launch type (a %s is linked to its platforms by edges)", in.Kind))
	}
	in.Description = strings.TrimSpace(in.Description)
	if len(in.Description) > maxText {
		errs = append(errs, Invalid("description", "is longer than %d characters", maxText))
	}
	return errs.Err()
}

// EdgeInput adds an edge from one item to another.
type EdgeInput struct {
	From int64  `json:"from,omitempty"` // the item in the path when posted to /weapons/{id}/edges
	To   int64  `json:"to"`
	Kind string `json:"kind"`
}

// Validate checks the edge on its own; the store checks that both items
// exist and that the kinds fit (EdgeFits).
func (in *EdgeInput) Validate() error {
	var errs Errors
	in.Kind = strings.ToLower(strings.TrimSpace(in.Kind))
	if !slices.Contains(EdgeKinds, in.Kind) {
		errs = append(errs, Invalid("kind", "must be one of %s", strings.Join(EdgeKinds, ", ")))
	}
	if in.From <= 0 {
		errs = append(errs, Invalid("from", "name the item the edge starts from"))
	}
	switch {
	case in.To <= 0:
		errs = append(errs, Invalid("to", "name the item the edge leads to"))
	case in.To == in.From:
		errs = append(errs, Invalid("to", "an item cannot be linked to itself"))
	}
	return errs.Err()
}

// EdgeFits checks that an edge of the kind may join items of these kinds:
// a variant is of the same kind as what it varies; a component or
// subsystem is part of a platform, munition or subsystem; a munition or
// subsystem is compatible with (carried or used by) a platform, or a
// guidance kit with the bomb it fits.
func EdgeFits(kind, fromKind, toKind string) error {
	switch kind {
	case EdgeVariantOf:
		if fromKind != toKind {
			return Invalid("to", "a variant is of the same kind as the item it varies (a %s is not a variant of a %s)", fromKind, toKind)
		}
	case EdgeComponentOf:
		if fromKind != ItemComponent && fromKind != ItemSubsystem {
			return Invalid("kind", "only components and subsystems are component_of something (this item is a %s)", fromKind)
		}
		if toKind == ItemComponent {
			return Invalid("to", "a component is part of a platform, munition or subsystem, not of another component")
		}
	case EdgeCompatibleWith:
		if fromKind != ItemMunition && fromKind != ItemSubsystem {
			return Invalid("kind", "only munitions and subsystems are compatible_with something (this item is a %s)", fromKind)
		}
		if toKind != ItemPlatform && !(fromKind == ItemMunition && toKind == ItemMunition) {
			return Invalid("to", "a %s is compatible with a platform (or, for a guidance kit, a munition), not a %s", fromKind, toKind)
		}
	}
	return nil
}

// VariantAncestors returns the items id is a variant of, nearest first
// (F-35I -> F-35A, F-35), following variant_of edges; cycles are cut.
func VariantAncestors(edges []Edge, id int64) []int64 {
	parents := map[int64][]int64{}
	for _, e := range edges {
		if e.Kind == EdgeVariantOf {
			parents[e.From] = append(parents[e.From], e.To)
		}
	}
	var out []int64
	seen := map[int64]bool{id: true}
	queue := []int64{id}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, p := range parents[cur] {
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
				queue = append(queue, p)
			}
		}
	}
	return out
}

// matchTokens splits text into lower-case tokens of letters and digits:
// apostrophes vanish (Sa'ar -> saar), everything else separates.
func matchTokens(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
		case r == '\'' || r == '’' || r == '‘' || r == 'ʼ':
		default:
			flush()
		}
	}
	flush()
	return out
}

// MatchKey is the form names are compared in: lower case, letters and
// digits only ("F-16", "F16" and "f 16" are all "f16").
func MatchKey(s string) string { return strings.Join(matchTokens(s), "") }

// Matcher finds items named in free text. Build it once per set of items.
type Matcher struct {
	items  []Item
	byKey  map[string][]int // match key -> indexes into items
	maxLen int              // longest key, in bytes
}

// NewMatcher indexes the items by their names and aliases.
func NewMatcher(items []Item) *Matcher {
	m := &Matcher{items: items, byKey: map[string][]int{}}
	for i := range items {
		for _, n := range items[i].Names() {
			k := MatchKey(n)
			if k == "" || slices.Contains(m.byKey[k], i) {
				continue
			}
			m.byKey[k] = append(m.byKey[k], i)
			m.maxLen = max(m.maxLen, len(k))
		}
	}
	return m
}

// ItemMatch is where an item is named in a text: tokens [Start, End).
type ItemMatch struct {
	Item       Item
	Start, End int
}

// Matches finds every item named in text, in text order. A name matches
// whole tokens only, whatever separates its parts ("F-16", "F16", "F 16";
// "F-16I" does not name the F-16 but an F-16I if there is one), and may
// take a plural "s" ("JDAMs"). Where one name's match lies inside a
// longer one's ("Merkava" in "Merkava Mk 4"), only the longer counts; an
// item named twice is reported once, at its first place.
func (m *Matcher) Matches(text string) []ItemMatch {
	tokens := matchTokens(text)
	type span struct{ start, end, item int }
	var spans []span
	for i := range tokens {
		var b strings.Builder
		for j := i; j < len(tokens) && b.Len() < m.maxLen+1; j++ {
			b.WriteString(tokens[j])
			c := b.String()
			exact := m.byKey[c]
			if len(exact) == 0 && len(c) > 2 && strings.HasSuffix(c, "s") {
				exact = m.byKey[c[:len(c)-1]] // a plural: "JDAMs"
			}
			for _, idx := range exact {
				spans = append(spans, span{i, j + 1, idx})
			}
		}
	}
	var out []ItemMatch
	seen := map[int]bool{}
	for _, s := range spans {
		inside := slices.ContainsFunc(spans, func(o span) bool {
			return o.start <= s.start && s.end <= o.end && (o.end-o.start) > (s.end-s.start)
		})
		if inside || seen[s.item] {
			continue
		}
		seen[s.item] = true
		out = append(out, ItemMatch{Item: m.items[s.item], Start: s.start, End: s.end})
	}
	return out
}

// Match returns the items named in text, in text order (see Matches).
func (m *Matcher) Match(text string) []Item {
	ms := m.Matches(text)
	out := make([]Item, len(ms))
	for i, x := range ms {
		out[i] = x.Item
	}
	return out
}

// Resolve maps a designation as SIPRI writes it ("F-16I", "AGM-114
// Hellfire-2", "Saar-5 -") to the item it names first: the most specific
// item known (F-16I itself when it is an item; follow variant_of for the
// platform family).
func (m *Matcher) Resolve(designation string) (Item, bool) {
	ms := m.Matches(CleanDesignation(designation))
	if len(ms) == 0 {
		return Item{}, false
	}
	return ms[0].Item, true
}

// GoodItems finds the items a licence good names: those in its
// component_of text ("F-16") first, then those in its description
// ("Hydraulic actuators for F-35 rear fuselage"), each once. The exposure
// analysis follows the graph from these (component_of, compatible_with,
// variant_of) to platforms.
func (m *Matcher) GoodItems(g Good) []Item {
	out := m.Match(g.ComponentOf)
	for _, it := range m.Match(g.Description) {
		if !slices.ContainsFunc(out, func(o Item) bool { return o.ID == it.ID }) {
			out = append(out, it)
		}
	}
	return out
}

// MatchItem finds the items named in free text by name or alias,
// case-insensitively and on token boundaries: "F-16 landing gear
// actuators" names the F-16, "Hellfire missile motor" the AGM-114
// Hellfire. For many texts, build a Matcher once instead.
func MatchItem(items []Item, text string) []Item {
	return NewMatcher(items).Match(text)
}

// CleanDesignation removes what SIPRI adds to a designation: a trailing
// " -" ("Saar-5 -") and bracketed numbers ("F-124 (2850)").
func CleanDesignation(s string) string {
	for {
		i := strings.IndexByte(s, '(')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i:], ')')
		if j < 0 {
			s = s[:i]
			break
		}
		s = s[:i] + " " + s[i+j+1:]
	}
	s = strings.Join(strings.Fields(s), " ")
	for strings.HasSuffix(s, "-") || strings.HasSuffix(s, " ") {
		s = strings.TrimSuffix(strings.TrimSuffix(s, "-"), " ")
	}
	return s
}

// NormaliseDesignation names the seed graph's item that a SIPRI
// designation stands for, at the level of the platform or munition
// family: "F-16I" -> "F-16", "F-35A Lightning-2" -> "F-35", "AGM-114
// Hellfire-2" -> "AGM-114 Hellfire", "Hermes-450" -> "Hermes 450". A
// designation the seed does not know is returned cleaned
// (CleanDesignation). The store resolves against the whole graph,
// analysts' items included.
func NormaliseDesignation(s string) string {
	seed, err := SeedGraph()
	if err != nil {
		return CleanDesignation(s)
	}
	it, ok := seed.matcher.Resolve(s)
	if !ok {
		return CleanDesignation(s)
	}
	if anc := VariantAncestors(seed.Edges, it.ID); len(anc) > 0 {
		return seed.Items[anc[len(anc)-1]-1].Name
	}
	return it.Name
}
