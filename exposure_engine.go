package exportctl

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode"
)

// ForceTerms name a country's forces as monitors report them, in lower
// case, matched as whole words; a country not listed is named by its
// English short name.
var ForceTerms = map[string][]string{
	"IL": {"israel", "israeli", "idf"},
	"SA": {"saudi", "royal saudi"},
	"AE": {"emirati", "uae", "united arab emirates"},
	"RU": {"russia", "russian"},
	"UA": {"ukraine", "ukrainian"},
	"TR": {"turkey", "turkish", "türkiye"},
	"US": {"united states", "us forces", "u.s."},
	"GB": {"uk", "british", "united kingdom"},
	"EG": {"egypt", "egyptian"},
	"SY": {"syria", "syrian"},
	"IR": {"iran", "iranian"},
	"MM": {"myanmar", "tatmadaw"},
	"SD": {"sudan", "sudanese"},
	"YE": {"yemen", "yemeni"},
}

// ForceAttribution says that an incident is attributed to a country's
// forces: a perpetrator of ACLED type 1 (state forces) or 8 (external
// forces) whose country is given, or whose name or force names the
// country's forces (ForceTerms).
type ForceAttribution struct {
	Country    string  `json:"country"`
	Name       string  `json:"name"`       // the force or actor as reported
	Confidence float64 `json:"confidence"` // 0: not stated
}

// AttributedForces lists the countries whose forces an incident's
// perpetrators are, each once, by country.
func AttributedForces(actors []IncidentActor) []ForceAttribution {
	var out []ForceAttribution
	add := func(country string, a IncidentActor) {
		if slices.ContainsFunc(out, func(f ForceAttribution) bool { return f.Country == country }) {
			return
		}
		name := a.Force
		if name == "" {
			name = a.Name
		}
		out = append(out, ForceAttribution{Country: country, Name: name, Confidence: a.Confidence})
	}
	names := forceNames()
	for _, a := range actors {
		if a.Role != ActorPerpetrator || (a.Type != 1 && a.Type != 8) {
			continue
		}
		if a.Country != "" {
			add(a.Country, a)
			continue
		}
		// Every run of up to forceNameWords words of the name and force
		// that is a term or a country's name.
		words := forceWords(a.Name + " | " + a.Force)
		for i := range words {
			for n := 1; n <= forceNameWords && i+n <= len(words); n++ {
				if code, ok := names.codes[strings.Join(words[i:i+n], " ")]; ok {
					add(code, a)
				}
			}
		}
	}
	slices.SortFunc(out, func(x, y ForceAttribution) int { return strings.Compare(x.Country, y.Country) })
	return out
}

// forceNameWords is the most words a force term or country name has
// that AttributedForces looks for.
const forceNameWords = 4

type forceNameIndex struct{ codes map[string]string }

// forceNames maps the words of every force term (ForceTerms) and of the
// names of the countries ForceTerms does not list to their country.
var forceNames = sync.OnceValue(func() forceNameIndex {
	x := forceNameIndex{codes: map[string]string{}}
	for code, c := range countries {
		if _, listed := ForceTerms[code]; !listed {
			if w := forceWords(c.Name); len(w) <= forceNameWords {
				x.codes[strings.Join(w, " ")] = code
			}
		}
	}
	for code, terms := range ForceTerms {
		for _, t := range terms {
			x.codes[strings.Join(forceWords(t), " ")] = code
		}
	}
	return x
})

// forceWords splits text into lower-case words of letters and digits.
func forceWords(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// ExposureIncident is what the engine needs of an incident, already
// redacted (Incident.Redact).
type ExposureIncident struct {
	ID              int64
	Date            string // YYYY-MM-DD
	Country         string
	Admin1          string
	Place           string
	Latitude        *float64
	Longitude       *float64
	Target          string
	Launch          string  // primary launch type
	Weapons         string  // reported weapons, lower case
	Items           []int64 // identified systems (weapon-graph items)
	Classifications []string
	Forces          []ForceAttribution
}

// ExposureGraph is the weapon graph with who operates what since when.
type ExposureGraph struct {
	Items     []Item
	Edges     []Edge
	Operators []Operator
}

// route is where a licence's goods end up: the end user's country, or a
// third country they go on to (incorporation, onward export).
type route struct {
	country string
	step    *ExposureStep // incorporation or onward export, or nil
}

type platformOption struct {
	item  *Item
	since int
	via   string // how the good reaches it
	why   string
}

type goodPlan struct {
	good       *Good
	rule       *CategoryRule
	ruleBit    uint64 // the rule's bit in the incidents' weapon masks
	named      []Item
	direct     map[int64]string            // identified items that make a link direct -> why
	directName map[int64]string            // and their names
	platforms  map[string][]platformOption // by operating country, computed once
}

type licencePlan struct {
	lic     *Licence
	endUser string
	from    string // incidents on or after this date
	fromWhy string
	routes  []route
	goods   []goodPlan
}

// expo is one computation.
type expo struct {
	rules     *ExposureRules
	graph     *ExposureGraph
	items     map[int64]*Item
	up        map[int64][]Edge // edges by from
	variants  map[int64][]int64
	operators map[string]map[int64]Operator // country -> item -> operator
	matcher   *Matcher
	// Many goods read alike (historical ones are their rating's title):
	// what a text names, and the platforms a category or set of named
	// items reaches in a country, are worked out once.
	named     map[[2]string][]Item
	platsOf   map[string][]platformOption
	incidents []ExposureIncident // by date, id
}

// bucket holds incidents of one attributed country, launch type, weapon
// mask and set of identified systems, by date: a licence reaches a
// suffix of it.
type bucket struct {
	country string
	launch  string
	mask    uint64
	items   []int64 // identified systems
	idx     []int   // into incidents
	force   []int   // index into the incident's Forces
}

// segment: a licence's links in a bucket, by three thresholds (indexes
// into the bucket, len(idx) when none): incidents from ctx on are
// linked, from plat on through a platform, from direct on directly; the
// strongest applies.
type segment struct {
	b                             *bucket
	ctx, plat, direct             int
	ctxGood, platGood, directGood *goodPlan
	platOpt                       *platformOption
	directItem                    int64
	ctxRoute, platRoute, dirRoute *route
}

// ranges are the segment's links by strength: [from, to) of each of
// direct, platform, contextual.
func (s *segment) ranges() [3][2]int {
	n := len(s.b.idx)
	d := s.direct
	pl := min(s.plat, d)
	c := min(s.ctx, pl)
	return [3][2]int{{d, n}, {pl, d}, {c, pl}}
}

// strengthAt is the rank (0 direct, 1 platform, 2 contextual) of the k-th incident.
func (s *segment) strengthAt(k int) int {
	switch {
	case k >= s.direct:
		return 0
	case k >= s.plat:
		return 1
	}
	return 2
}

// ExposureIndex is a set of incidents prepared for linking under one
// rule set: ordered by date and id, and grouped into buckets of one
// attributed country, launch type, plausible categories and identified
// systems. Building it is most of the cost of a large question; the store
// keeps recent ones while the register does not change. It is read-only
// once built, so queries may share it.
type ExposureIndex struct {
	rules     *ExposureRules
	incidents []ExposureIncident // by date, id
	masks     []uint64           // categories whose weapon words an incident's weapons contain
	buckets   []*bucket
}

// NewExposureIndex prepares incidents for linking under the rules.
func NewExposureIndex(rules *ExposureRules, incidents []ExposureIncident) *ExposureIndex {
	x := &ExposureIndex{rules: rules, incidents: slices.Clone(incidents)}
	slices.SortFunc(x.incidents, func(a, b ExposureIncident) int {
		return cmp.Or(strings.Compare(a.Date, b.Date), cmp.Compare(a.ID, b.ID))
	})
	x.masks = make([]uint64, len(x.incidents))
	for i := range x.incidents {
		for c := range rules.Categories {
			if c < 64 && rules.Categories[c].Plausible("", x.incidents[i].Weapons) {
				x.masks[i] |= 1 << c
			}
		}
	}
	type key struct {
		country, launch string
		mask            uint64
		items           string
	}
	buckets := map[key]*bucket{}
	for i := range x.incidents {
		inc := &x.incidents[i]
		var items []int64
		itemsKey := ""
		if len(inc.Items) > 0 {
			items = slices.Compact(slices.Sorted(slices.Values(inc.Items)))
			itemsKey = fmt.Sprint(items)
		}
		for f, fa := range inc.Forces {
			if fa.Confidence > 0 && fa.Confidence < rules.MinConfidence {
				continue
			}
			k := key{fa.Country, inc.Launch, x.masks[i], itemsKey}
			b := buckets[k]
			if b == nil {
				b = &bucket{country: fa.Country, launch: inc.Launch, mask: x.masks[i], items: items}
				buckets[k] = b
				x.buckets = append(x.buckets, b)
			}
			b.idx = append(b.idx, i)
			b.force = append(b.force, f)
		}
	}
	return x
}

// Len is the number of incidents in the index.
func (x *ExposureIndex) Len() int { return len(x.incidents) }

// Filter returns an index of the incidents keep accepts.
func (x *ExposureIndex) Filter(keep func(*ExposureIncident) bool) *ExposureIndex {
	var kept []ExposureIncident
	for i := range x.incidents {
		if keep(&x.incidents[i]) {
			kept = append(kept, x.incidents[i])
		}
	}
	return NewExposureIndex(x.rules, kept)
}

// ComputeExposure links licences (with goods and parties) to incidents
// under the rules: NewExposureIndex(rules, incidents).Compute(...).
func ComputeExposure(rules *ExposureRules, version int, g *ExposureGraph, licences []Licence, incidents []ExposureIncident, q ExposureQuery) *ExposureResult {
	return NewExposureIndex(rules, incidents).Compute(version, g, licences, q)
}

// Compute links licences (with goods and parties) to the index's
// incidents. Same inputs, same answer: incidents are ordered by date and
// id, licences by reference and id, and every choice between equal paths
// takes the first in that order. Query filters on incidents and licences
// are the caller's; q.Destination keeps only the routes into that
// country and q.Limit bounds the links listed.
func (x *ExposureIndex) Compute(version int, g *ExposureGraph, licences []Licence, q ExposureQuery) *ExposureResult {
	e := &expo{rules: x.rules, graph: g, items: map[int64]*Item{}, up: map[int64][]Edge{}, variants: map[int64][]int64{},
		operators: map[string]map[int64]Operator{}, matcher: NewMatcher(g.Items), incidents: x.incidents,
		named: map[[2]string][]Item{}, platsOf: map[string][]platformOption{}}
	for i := range g.Items {
		e.items[g.Items[i].ID] = &g.Items[i]
	}
	for _, ed := range g.Edges {
		e.up[ed.From] = append(e.up[ed.From], ed)
		if ed.Kind == EdgeVariantOf {
			e.variants[ed.To] = append(e.variants[ed.To], ed.From)
		}
	}
	for _, o := range g.Operators {
		if e.operators[o.Recipient] == nil {
			e.operators[o.Recipient] = map[int64]Operator{}
		}
		e.operators[o.Recipient][o.ItemID] = o
	}
	order := x.buckets

	lics := slices.Clone(licences)
	slices.SortFunc(lics, func(x, y Licence) int {
		return cmp.Or(strings.Compare(x.Reference, y.Reference), cmp.Compare(x.ID, y.ID))
	})
	res := &ExposureResult{RuleSetVersion: version, Query: q, Links: []ExposureLink{}, Licences: []ExposureLicence{}}
	agg := newAggregator()
	remaining := q.Limit
	for li := range lics {
		p := e.plan(&lics[li], q.Destination)
		sum := ExposureLicence{LicenceID: p.lic.ID, Reference: p.lic.Reference, Status: p.lic.Status, Destination: p.lic.Destination, EndUser: p.endUser}
		var segs []segment
		for _, b := range order {
			if s, ok := e.segment(p, b); ok {
				segs = append(segs, s)
			}
		}
		for si := range segs {
			r := segs[si].ranges()
			sum.Direct += r[0][1] - r[0][0]
			sum.Platform += max(r[1][1]-r[1][0], 0)
			sum.Contextual += max(r[2][1]-r[2][0], 0)
			agg.segment(p, &segs[si])
		}
		switch {
		case sum.Direct > 0:
			sum.Strongest = StrengthDirect
		case sum.Platform > 0:
			sum.Strongest = StrengthPlatform
		case sum.Contextual > 0:
			sum.Strongest = StrengthContextual
		}
		res.Licences = append(res.Licences, sum)
		res.Total += sum.Links()
		if remaining > 0 && sum.Links() > 0 {
			type ref struct {
				rank, i, k int
				s          *segment
			}
			var refs []ref
			// Each range is in date order: only its newest `remaining`
			// (and those of the same day as the oldest of them) can be listed.
			for si := range segs {
				s := &segs[si]
				for rank, r := range s.ranges() {
					from := max(r[0], r[1]-remaining)
					for from > r[0] && e.incidents[s.b.idx[from-1]].Date == e.incidents[s.b.idx[from]].Date {
						from--
					}
					for k := from; k < r[1]; k++ {
						refs = append(refs, ref{rank, s.b.idx[k], k, s})
					}
				}
			}
			slices.SortFunc(refs, func(x, y ref) int {
				a, b := &e.incidents[x.i], &e.incidents[y.i]
				return cmp.Or(cmp.Compare(x.rank, y.rank), strings.Compare(b.Date, a.Date), cmp.Compare(a.ID, b.ID))
			})
			for _, r := range refs[:min(len(refs), remaining)] {
				res.Links = append(res.Links, e.segmentLink(p, r.s, r.k))
			}
			remaining -= min(len(refs), remaining)
		}
	}
	res.Aggregates, res.Incidents = agg.result(e)
	return res
}

// plan works out a licence's routes, dates and what each good can reach.
func (e *expo) plan(l *Licence, destination string) *licencePlan {
	p := &licencePlan{lic: l}
	home := l.Destination
	for _, pt := range l.Parties {
		if pt.Role == PartyEndUser {
			p.endUser = pt.Name
			if pt.Country != "" {
				home = pt.Country
			}
		}
	}
	p.routes = append(p.routes, route{country: home})
	for _, pt := range l.Parties {
		if pt.Role != PartyUltimateEndUser || pt.Country == "" || pt.Country == home {
			continue
		}
		kind, why := StepOnwardExport, fmt.Sprintf("the licence names %s in %s as ultimate end user: the goods go on from %s", pt.Name, CountryName(pt.Country), CountryName(home))
		if l.ExportType == ExportIncorporation {
			kind, why = StepIncorporation, fmt.Sprintf("an incorporation licence: incorporated in %s into goods for %s in %s", CountryName(home), pt.Name, CountryName(pt.Country))
		}
		p.routes = append(p.routes, route{country: pt.Country, step: &ExposureStep{Kind: kind, Label: pt.Name + " (" + pt.Country + ")", Why: why}})
		if p.endUser == "" {
			p.endUser = pt.Name
		}
	}
	if destination != "" {
		p.routes = slices.DeleteFunc(p.routes, func(r route) bool { return r.country != destination })
	}
	p.from, p.fromWhy = licenceFrom(l)
	for gi := range l.Goods {
		gd := &l.Goods[gi]
		gp := goodPlan{good: gd, rule: e.rules.Rule(gd.Rating), platforms: map[string][]platformOption{}}
		if c := slices.IndexFunc(e.rules.Categories, func(r CategoryRule) bool { return gp.rule != nil && r.Category == gp.rule.Category }); c >= 0 && c < 64 {
			gp.ruleBit = 1 << c
		}
		if gp.rule == nil {
			p.goods = append(p.goods, gp) // reaches nothing, but keeps its place
			continue
		}
		k := [2]string{gd.ComponentOf, gd.Description}
		named, ok := e.named[k]
		if !ok {
			named = e.matcher.GoodItems(*gd)
			e.named[k] = named
		}
		gp.named = named
		gp.direct, gp.directName = map[int64]string{}, map[int64]string{}
		for _, it := range gp.named {
			e.directReach(it.ID, it.Name, gp.direct)
		}
		for id := range gp.direct {
			if it := e.items[id]; it != nil {
				gp.directName[id] = it.Name
			}
		}
		p.goods = append(p.goods, gp)
	}
	return p
}

// licenceFrom is the first date an incident may have to be linked to a
// licence: its issue (validity start), or for a licence known only by
// its year, the next year.
func licenceFrom(l *Licence) (string, string) {
	switch from := l.ValidFrom; {
	case len(from) == 4:
		y, _ := strconv.Atoi(from)
		return fmt.Sprintf("%04d-01-01", y+1), fmt.Sprintf("the licence is known only by its year (%s)", from)
	case from != "":
		return from, "the licence was issued on " + from
	case !l.IssuedAt.IsZero():
		d := l.IssuedAt.UTC().Format("2006-01-02")
		return d, "the licence was issued on " + d
	}
	return "", "the licence has no issue date"
}

// directReach adds the items whose identification makes a link direct:
// the item itself, its variants, and whatever contains it.
func (e *expo) directReach(id int64, name string, into map[int64]string) {
	type step struct {
		id  int64
		why string
	}
	queue := []step{{id, "the licensed good names " + name}}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		if _, seen := into[s.id]; seen {
			continue
		}
		into[s.id] = s.why
		it := e.items[s.id]
		if it == nil {
			continue
		}
		for _, v := range e.variants[s.id] {
			if vi := e.items[v]; vi != nil {
				queue = append(queue, step{v, fmt.Sprintf("%s is a variant of %s; %s", vi.Name, it.Name, s.why)})
			}
		}
		for _, ed := range e.up[s.id] {
			if ed.Kind == EdgeComponentOf {
				queue = append(queue, step{ed.To, fmt.Sprintf("%s contains %s; %s", ed.ToName, it.Name, s.why)})
			}
		}
	}
}

// platforms lists the platforms a good is for that the country operates,
// earliest operated first: those its named items are part of, carried by
// or variants of, or, for a good naming no item whose category allows
// it, every operated platform of its category.
func (e *expo) platforms(gp *goodPlan, country string) []platformOption {
	ops := e.operators[country]
	var out []platformOption
	add := func(it *Item, via, why string) {
		o, ok := ops[it.ID]
		if !ok || slices.ContainsFunc(out, func(p platformOption) bool { return p.item.ID == it.ID }) {
			return
		}
		out = append(out, platformOption{item: it, since: o.Since, via: via,
			why: fmt.Sprintf("%s operates the %s since %d (SIPRI: %s)", CountryName(country), it.Name, o.Since, strings.Join(o.Designations, ", "))})
	}
	for _, named := range gp.named {
		seen := map[int64]bool{}
		var walk func(id int64, via string)
		walk = func(id int64, via string) {
			if seen[id] {
				return
			}
			seen[id] = true
			it := e.items[id]
			if it == nil {
				return
			}
			if it.Kind == ItemPlatform {
				add(it, via, "")
				for _, v := range e.variants[id] {
					walk(v, via+", a variant of which is the "+e.items[v].Name)
				}
			}
			for _, ed := range e.up[id] {
				walk(ed.To, fmt.Sprintf("%s %s %s", via, strings.ReplaceAll(ed.Kind, "_", " "), ed.ToName))
			}
		}
		walk(named.ID, "the good names "+named.Name)
	}
	if len(gp.named) == 0 && gp.rule.PlatformByCategory {
		for i := range e.graph.Items {
			it := &e.graph.Items[i]
			if it.Kind == ItemPlatform && slices.Contains(it.Categories, gp.rule.Category) {
				add(it, fmt.Sprintf("rated %s, a category of the %s", gp.rule.Category, it.Name), "")
			}
		}
	}
	slices.SortStableFunc(out, func(x, y platformOption) int {
		return cmp.Or(cmp.Compare(x.since, y.since), strings.Compare(x.item.Name, y.item.Name))
	})
	return out
}

// firstFrom is the first index of b whose incident is on or after date.
func (e *expo) firstFrom(b *bucket, date string) int {
	i, _ := slices.BinarySearchFunc(b.idx, date, func(idx int, d string) int { return strings.Compare(e.incidents[idx].Date, d) })
	return i
}

// segment finds a licence's links in a bucket: over its routes into the
// bucket's country and its goods, the earliest start of a direct, a
// platform and a contextual link.
func (e *expo) segment(p *licencePlan, b *bucket) (segment, bool) {
	n := len(b.idx)
	s := segment{b: b, ctx: n, plat: n, direct: n}
	for ri := range p.routes {
		r := &p.routes[ri]
		if r.country != b.country {
			continue
		}
		from := -1 // the first incident on or after the licence's start, found once
		for gi := range p.goods {
			gp := &p.goods[gi]
			if gp.rule == nil {
				continue
			}
			if from < 0 {
				from = e.firstFrom(b, p.from)
			}
			for _, id := range b.items {
				if _, ok := gp.direct[id]; ok && from < s.direct {
					s.direct, s.directGood, s.directItem, s.dirRoute = from, gp, id, r
				}
			}
			if !slices.Contains(gp.rule.Launches, b.launch) && b.mask&gp.ruleBit == 0 {
				continue // the category cannot be involved in such incidents
			}
			if gp.rule.Contextual && len(gp.named) == 0 && from < s.ctx { // a good naming an item links only through it
				s.ctx, s.ctxGood, s.ctxRoute = from, gp, r
			}
			if !slices.Contains(gp.rule.Launches, b.launch) {
				continue
			}
			opts, ok := gp.platforms[r.country]
			if !ok {
				k := fmt.Sprint(gp.rule.Category, r.country, itemIDs(gp.named))
				if opts, ok = e.platsOf[k]; !ok {
					opts = e.platforms(gp, r.country)
					e.platsOf[k] = opts
				}
				gp.platforms[r.country] = opts
			}
			for oi := range opts {
				o := &opts[oi]
				if !LaunchFits(o.item.Launch, b.launch) {
					continue
				}
				if k := e.firstFrom(b, max(p.from, fmt.Sprintf("%04d-01-01", o.since))); k < s.plat {
					s.plat, s.platGood, s.platOpt, s.platRoute = k, gp, o, r
				}
			}
		}
	}
	return s, min(s.ctx, s.plat, s.direct) < n
}

// segmentLink builds the link of a segment's k-th incident.
func (e *expo) segmentLink(p *licencePlan, s *segment, k int) ExposureLink {
	i, fi := s.b.idx[k], s.b.force[k]
	inc := &e.incidents[i]
	switch s.strengthAt(k) {
	case 0:
		it := e.items[s.directItem]
		steps := []ExposureStep{{Kind: StepItem, Label: it.Name, Why: s.directGood.direct[s.directItem] + "; identified at the incident"}}
		return e.link(p, s.dirRoute, s.directGood, i, fi, StrengthDirect, it.Name, steps,
			fmt.Sprintf("the incident (%s) is on or after the licence's start (%s: %s)", inc.Date, p.from, p.fromWhy))
	case 1:
		o := s.platOpt
		steps := []ExposureStep{{Kind: StepPlatform, Label: o.item.Name, Why: o.via + "; " + o.why}}
		dates := fmt.Sprintf("the incident (%s) is on or after the licence's start (%s: %s) and in or after %d, when SIPRI records %s's first %s delivery",
			inc.Date, p.from, p.fromWhy, o.since, CountryName(s.platRoute.country), o.item.Name)
		return e.link(p, s.platRoute, s.platGood, i, fi, StrengthPlatform, o.item.Name, steps, dates)
	}
	return e.link(p, s.ctxRoute, s.ctxGood, i, fi, StrengthContextual, "", nil,
		fmt.Sprintf("the incident (%s) is on or after the licence's start (%s: %s)", inc.Date, p.from, p.fromWhy))
}

// link assembles a link and its path: licence, [incorporation or onward
// export], good, [item or platform], force, incident.
func (e *expo) link(p *licencePlan, r *route, gp *goodPlan, i, fi int, strength, item string, middle []ExposureStep, dates string) ExposureLink {
	inc := &e.incidents[i]
	l := p.lic
	fa := inc.Forces[fi]
	path := []ExposureStep{{Kind: StepLicence, Label: l.Reference, Why: fmt.Sprintf("%s licence to %s, %s; %s", l.LicenceType, CountryName(l.Destination), l.Status, p.fromWhy)}}
	if r.step != nil {
		path = append(path, *r.step)
	}
	rule := gp.rule
	goodWhy := fmt.Sprintf("rated %s (%s), which the rules allow to be involved in %s", gp.good.Rating, rule.Title, describePlausible(rule))
	path = append(path, ExposureStep{Kind: StepGood, Label: gp.good.Description, Why: goodWhy})
	path = append(path, middle...)
	conf := "confidence not stated"
	if fa.Confidence > 0 {
		conf = fmt.Sprintf("confidence %.2f", fa.Confidence)
	}
	path = append(path, ExposureStep{Kind: StepForce, Label: fa.Name, Why: fmt.Sprintf("the incident's perpetrator, attributed to %s's forces (%s)", CountryName(fa.Country), conf)})
	incWhy := fmt.Sprintf("%s in %s; launch %s", strings.ReplaceAll(inc.Target, "_", " "), CountryName(inc.Country), inc.Launch)
	if strength == StrengthPlatform {
		incWhy += ", which fits the " + item
	}
	path = append(path, ExposureStep{Kind: StepIncident, Label: fmt.Sprintf("#%d %s", inc.ID, inc.Date), Why: incWhy})
	return ExposureLink{
		LicenceID: l.ID, LicenceReference: l.Reference, LicenceStatus: l.Status, Rating: gp.good.Rating, Good: gp.good.Description,
		EndUser: p.endUser, IncidentID: inc.ID, IncidentDate: inc.Date, Country: inc.Country, Admin1: inc.Admin1, Place: inc.Place,
		Latitude: inc.Latitude, Longitude: inc.Longitude, Target: inc.Target, Actor: fa.Name, Launch: inc.Launch, Item: item,
		Strength: strength, Path: path, Dates: dates,
	}
}

func describePlausible(r *CategoryRule) string {
	var parts []string
	if len(r.Launches) > 0 {
		parts = append(parts, "launches "+strings.Join(r.Launches, ", "))
	}
	if len(r.Weapons) > 0 {
		parts = append(parts, "weapons reported as "+strings.Join(r.Weapons, ", "))
	}
	return strings.Join(parts, "; ")
}

// aggregator counts links and distinct incidents per group.
type aggregator struct {
	cov   map[*bucket][]int // difference arrays: links per incident of a bucket
	keyed [3]map[string]*keyAcc
}

// keyAcc is one group of the rating, item or end-user aggregate.
type keyAcc struct {
	links    int
	spans    map[*bucket][][2]int // linked index ranges, merged at the end
	licences map[int64]bool
}

const noItem = "(no item: contextual)"

func newAggregator() *aggregator {
	a := &aggregator{cov: map[*bucket][]int{}}
	for i := range a.keyed {
		a.keyed[i] = map[string]*keyAcc{}
	}
	return a
}

func (a *aggregator) segment(p *licencePlan, s *segment) {
	b, n := s.b, len(s.b.idx)
	r := s.ranges()
	c := a.cov[b]
	if c == nil {
		c = make([]int, n+1)
		a.cov[b] = c
	}
	c[r[2][0]]++
	add := func(which int, key string, span [2]int) {
		if span[0] >= span[1] {
			return
		}
		k := a.keyed[which][key]
		if k == nil {
			k = &keyAcc{spans: map[*bucket][][2]int{}, licences: map[int64]bool{}}
			a.keyed[which][key] = k
		}
		k.links += span[1] - span[0]
		k.spans[b] = append(k.spans[b], span)
		k.licences[p.lic.ID] = true
	}
	if s.directGood != nil {
		add(0, s.directGood.good.Rating, r[0])
		add(1, s.directGood.directName[s.directItem], r[0])
	}
	if s.platGood != nil {
		add(0, s.platGood.good.Rating, r[1])
		add(1, s.platOpt.item.Name, r[1])
	}
	if s.ctxGood != nil {
		add(0, s.ctxGood.good.Rating, r[2])
		add(1, noItem, r[2])
	}
	add(2, p.endUser, [2]int{r[2][0], n})
}

// result is the aggregates and the number of linked incidents.
func (a *aggregator) result(e *expo) (ExposureAggregates, int) {
	var out ExposureAggregates
	keyed := func(which int) []ExposureCount {
		rows := []ExposureCount{}
		for key, k := range a.keyed[which] {
			incidents := 0
			for _, spans := range k.spans {
				incidents += unionLength(spans)
			}
			rows = append(rows, ExposureCount{Key: key, Links: k.links, Incidents: incidents, Licences: len(k.licences)})
		}
		sortCounts(rows)
		return rows
	}
	out.ByRating, out.ByItem, out.ByEndUser = keyed(0), keyed(1), keyed(2)
	cnt := make([]int, len(e.incidents))
	for b, c := range a.cov {
		run := 0
		for k, i := range b.idx {
			run += c[k]
			cnt[i] += run
		}
	}
	target, class, month := map[string]*ExposureCount{}, map[string]*ExposureCount{}, map[string]*ExposureCount{}
	bump := func(m map[string]*ExposureCount, key string, links int) {
		c := m[key]
		if c == nil {
			c = &ExposureCount{Key: key}
			m[key] = c
		}
		c.Links += links
		c.Incidents++
	}
	linked := 0
	for i, n := range cnt {
		if n == 0 {
			continue
		}
		linked++
		inc := &e.incidents[i]
		bump(target, inc.Target, n)
		bump(month, inc.Date[:min(7, len(inc.Date))], n)
		for _, code := range inc.Classifications {
			bump(class, code, n)
		}
	}
	flat := func(m map[string]*ExposureCount) []ExposureCount {
		rows := []ExposureCount{}
		for _, c := range m {
			rows = append(rows, *c)
		}
		sortCounts(rows)
		return rows
	}
	out.ByTarget, out.ByClassification = flat(target), flat(class)
	out.ByMonth = flat(month)
	slices.SortFunc(out.ByMonth, func(x, y ExposureCount) int { return strings.Compare(x.Key, y.Key) })
	return out, linked
}

// sortCounts orders most links first, then by key.
func sortCounts(rows []ExposureCount) {
	slices.SortFunc(rows, func(x, y ExposureCount) int {
		return cmp.Or(cmp.Compare(y.Links, x.Links), strings.Compare(x.Key, y.Key))
	})
}

// unionLength is the number of indexes the ranges [from, to) cover.
func unionLength(spans [][2]int) int {
	slices.SortFunc(spans, func(x, y [2]int) int { return cmp.Compare(x[0], y[0]) })
	n, end := 0, 0
	for _, sp := range spans {
		from := max(sp[0], end)
		if sp[1] > from {
			n += sp[1] - from
			end = sp[1]
		}
	}
	return n
}

func itemIDs(items []Item) []int64 {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}
