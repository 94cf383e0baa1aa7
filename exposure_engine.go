package exportctl

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
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
	for _, a := range actors {
		if a.Role != ActorPerpetrator || (a.Type != 1 && a.Type != 8) {
			continue
		}
		if a.Country != "" {
			add(a.Country, a)
			continue
		}
		text := strings.ToLower(a.Name + " | " + a.Force)
		for _, c := range sortedKeys(ForceTerms) {
			if mentionsWord(text, ForceTerms[c]) {
				add(c, a)
			}
		}
		for code, c := range countries {
			if _, listed := ForceTerms[code]; !listed && mentionsWord(text, []string{strings.ToLower(c.Name)}) {
				add(code, a)
			}
		}
	}
	slices.SortFunc(out, func(x, y ForceAttribution) int { return strings.Compare(x.Country, y.Country) })
	return out
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// mentionsWord reports whether lower-case text contains a term as whole words.
func mentionsWord(text string, terms []string) bool {
	word := func(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c >= 0x80 }
	for _, t := range terms {
		for from := 0; ; {
			i := strings.Index(text[from:], t)
			if i < 0 {
				break
			}
			i += from
			end := i + len(t)
			if (i == 0 || !word(text[i-1])) && (end == len(text) || !word(text[end])) {
				return true
			}
			from = i + 1
		}
	}
	return false
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
	good      *Good
	rule      *CategoryRule
	named     []Item
	direct    map[int64]string            // identified items that make a link direct -> why
	platforms map[string][]platformOption // by operating country, computed once
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
	incidents []ExposureIncident // by date, id
	masks     []uint64           // categories whose weapon words an incident's weapons contain
}

// bucket holds incidents of one attributed country, launch type and
// weapon mask, by date: a licence reaches a suffix of it.
type bucket struct {
	country string
	launch  string
	mask    uint64
	idx     []int // into incidents
	force   []int // index into the incident's Forces
}

// segment: a licence's links in a bucket. Incidents from ctx on are
// linked; from plat on the link is a platform link.
type segment struct {
	b                 *bucket
	ctx, plat         int
	ctxGood, platGood *goodPlan
	platOpt           *platformOption
	route             *route
	platRoute         *route
}

// ComputeExposure links licences (with goods and parties) to incidents
// under the rules. Same inputs, same answer: incidents are ordered by
// date and id, licences by reference and id, and every choice between
// equal paths takes the first in that order. Query filters on
// incidents and licences are the caller's; q.Destination keeps only the
// routes into that country and q.Limit bounds the links listed.
func ComputeExposure(rules *ExposureRules, version int, g *ExposureGraph, licences []Licence, incidents []ExposureIncident, q ExposureQuery) *ExposureResult {
	e := &expo{rules: rules, graph: g, items: map[int64]*Item{}, up: map[int64][]Edge{}, variants: map[int64][]int64{},
		operators: map[string]map[int64]Operator{}, matcher: NewMatcher(g.Items)}
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
	e.incidents = slices.Clone(incidents)
	slices.SortFunc(e.incidents, func(x, y ExposureIncident) int {
		return cmp.Or(strings.Compare(x.Date, y.Date), cmp.Compare(x.ID, y.ID))
	})
	e.masks = make([]uint64, len(e.incidents))
	for i := range e.incidents {
		for c := range rules.Categories {
			if c < 64 && rules.Categories[c].Plausible("", e.incidents[i].Weapons) {
				e.masks[i] |= 1 << c
			}
		}
	}
	// Incidents with an identified system are judged one by one (they may
	// link directly); the rest go into buckets.
	var identified []int
	buckets := map[string]*bucket{}
	var order []*bucket
	for i := range e.incidents {
		inc := &e.incidents[i]
		if len(inc.Items) > 0 {
			identified = append(identified, i)
			continue
		}
		for f, fa := range inc.Forces {
			if fa.Confidence > 0 && fa.Confidence < rules.MinConfidence {
				continue
			}
			k := fa.Country + "\x00" + inc.Launch + "\x00" + strconv.FormatUint(e.masks[i], 16)
			b := buckets[k]
			if b == nil {
				b = &bucket{country: fa.Country, launch: inc.Launch, mask: e.masks[i]}
				buckets[k] = b
				order = append(order, b)
			}
			b.idx = append(b.idx, i)
			b.force = append(b.force, f)
		}
	}

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
		type single struct {
			i        int
			strength string
			link     func() ExposureLink
		}
		var singles []single
		for _, i := range identified {
			if strength, mk := e.judge(p, i); strength != "" {
				singles = append(singles, single{i, strength, mk})
			}
		}
		for _, s := range segs {
			n := len(s.b.idx)
			plat := n - s.plat
			ctx := n - min(s.ctx, n) - plat
			for range plat {
				sum.Add(StrengthPlatform)
			}
			for range max(ctx, 0) {
				sum.Add(StrengthContextual)
			}
			agg.segment(e, p, &s)
		}
		for _, s := range singles {
			sum.Add(s.strength)
			agg.single(e, p, s.i, s.link())
		}
		res.Licences = append(res.Licences, sum)
		res.Total += sum.Links()
		if remaining > 0 && sum.Links() > 0 {
			type ref struct {
				rank int
				i    int
				mk   func() ExposureLink
			}
			var refs []ref
			for _, s := range singles {
				refs = append(refs, ref{slices.Index(Strengths, s.strength), s.i, s.link})
			}
			for si := range segs {
				s := &segs[si]
				for k := min(s.ctx, s.plat); k < len(s.b.idx); k++ {
					k := k
					rank := 2
					if k >= s.plat {
						rank = 1
					}
					refs = append(refs, ref{rank, s.b.idx[k], func() ExposureLink { return e.segmentLink(p, s, k) }})
				}
			}
			slices.SortFunc(refs, func(x, y ref) int {
				a, b := &e.incidents[x.i], &e.incidents[y.i]
				return cmp.Or(cmp.Compare(x.rank, y.rank), strings.Compare(b.Date, a.Date), cmp.Compare(a.ID, b.ID))
			})
			for _, r := range refs[:min(len(refs), remaining)] {
				res.Links = append(res.Links, r.mk())
			}
			remaining -= min(len(refs), remaining)
		}
	}
	res.Incidents = agg.linkedIncidents()
	res.Aggregates = agg.result(e)
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
		if gp.rule == nil {
			p.goods = append(p.goods, gp) // reaches nothing, but keeps its place
			continue
		}
		gp.named = e.matcher.GoodItems(*gd)
		gp.direct = map[int64]string{}
		for _, it := range gp.named {
			e.directReach(it.ID, it.Name, gp.direct)
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

// segment finds a licence's links in a bucket: the earliest platform and
// contextual starts over its goods and routes.
func (e *expo) segment(p *licencePlan, b *bucket) (segment, bool) {
	s := segment{b: b, ctx: len(b.idx), plat: len(b.idx)}
	for ri := range p.routes {
		r := &p.routes[ri]
		if r.country != b.country {
			continue
		}
		for gi := range p.goods {
			gp := &p.goods[gi]
			if gp.rule == nil || !e.plausible(gp.rule, b.launch, b.mask) {
				continue
			}
			if gp.rule.Contextual && len(gp.named) == 0 { // a good naming an item links only through it
				if k := e.firstFrom(b, p.from); k < s.ctx {
					s.ctx, s.ctxGood, s.route = k, gp, r
				}
			}
			if !slices.Contains(gp.rule.Launches, b.launch) {
				continue
			}
			opts, ok := gp.platforms[r.country]
			if !ok {
				opts = e.platforms(gp, r.country)
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
	if s.ctx > s.plat {
		s.ctx = s.plat
	}
	return s, s.ctx < len(b.idx)
}

func (e *expo) plausible(r *CategoryRule, launch string, mask uint64) bool {
	if slices.Contains(r.Launches, launch) {
		return true
	}
	c := slices.IndexFunc(e.rules.Categories, func(x CategoryRule) bool { return x.Category == r.Category })
	return c >= 0 && c < 64 && mask&(1<<c) != 0
}

// judge decides one incident with an identified system: direct when the
// system is (or contains) a licensed item, else as a bucket would.
func (e *expo) judge(p *licencePlan, i int) (string, func() ExposureLink) {
	inc := &e.incidents[i]
	if inc.Date < p.from {
		return "", nil
	}
	best, bestRank := "", 99
	var mk func() ExposureLink
	for ri := range p.routes {
		r := &p.routes[ri]
		fi := slices.IndexFunc(inc.Forces, func(f ForceAttribution) bool {
			return f.Country == r.country && (f.Confidence == 0 || f.Confidence >= e.rules.MinConfidence)
		})
		if fi < 0 {
			continue
		}
		for gi := range p.goods {
			gp := &p.goods[gi]
			if gp.rule == nil {
				continue
			}
			for _, id := range inc.Items {
				if why, ok := gp.direct[id]; ok && bestRank > 0 {
					best, bestRank = StrengthDirect, 0
					it := e.items[id]
					mk = func() ExposureLink {
						steps := []ExposureStep{{Kind: StepItem, Label: it.Name, Why: why + "; identified at the incident"}}
						return e.link(p, r, gp, i, fi, StrengthDirect, it.Name, steps,
							fmt.Sprintf("the incident (%s) is on or after the licence's start (%s): %s", inc.Date, p.from, p.fromWhy))
					}
				}
			}
			b := bucket{country: r.country, launch: inc.Launch, mask: e.masks[i], idx: []int{i}, force: []int{fi}}
			if s, ok := e.segment(&licencePlan{lic: p.lic, endUser: p.endUser, from: p.from, fromWhy: p.fromWhy, routes: []route{*r}, goods: []goodPlan{*gp}}, &b); ok {
				rank := 2
				if s.plat == 0 {
					rank = 1
				}
				if rank < bestRank {
					best, bestRank = Strengths[rank], rank
					s.route, s.platRoute = r, r
					mk = func() ExposureLink { return e.segmentLink(p, &s, 0) }
				}
			}
		}
	}
	return best, mk
}

// segmentLink builds the link of a segment's k-th incident.
func (e *expo) segmentLink(p *licencePlan, s *segment, k int) ExposureLink {
	i, fi := s.b.idx[k], s.b.force[k]
	inc := &e.incidents[i]
	if k >= s.plat {
		o := s.platOpt
		steps := []ExposureStep{{Kind: StepPlatform, Label: o.item.Name, Why: o.via + "; " + o.why}}
		dates := fmt.Sprintf("the incident (%s) is on or after the licence's start (%s: %s) and in or after %d, when SIPRI records %s's first %s delivery",
			inc.Date, p.from, p.fromWhy, o.since, CountryName(s.platRoute.country), o.item.Name)
		return e.link(p, s.platRoute, s.platGood, i, fi, StrengthPlatform, o.item.Name, steps, dates)
	}
	return e.link(p, s.route, s.ctxGood, i, fi, StrengthContextual, "", nil,
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
	cov     map[*bucket][]int // difference arrays: links per incident of a bucket
	singles map[int]int       // links per identified incident
	keyed   [3]map[string]*keyAcc
}

// keyAcc is one group of the rating, item or end-user aggregate.
type keyAcc struct {
	links    int
	spans    map[*bucket][][2]int // linked index ranges, merged at the end
	singles  map[int]bool
	licences map[int64]bool
}

const noItem = "(no item: contextual)"

func newAggregator() *aggregator {
	a := &aggregator{cov: map[*bucket][]int{}, singles: map[int]int{}}
	for i := range a.keyed {
		a.keyed[i] = map[string]*keyAcc{}
	}
	return a
}

func (a *aggregator) acc(which int, key string) *keyAcc {
	k := a.keyed[which][key]
	if k == nil {
		k = &keyAcc{spans: map[*bucket][][2]int{}, singles: map[int]bool{}, licences: map[int64]bool{}}
		a.keyed[which][key] = k
	}
	return k
}

func (a *aggregator) segment(e *expo, p *licencePlan, s *segment) {
	b, n := s.b, len(s.b.idx)
	c := a.cov[b]
	if c == nil {
		c = make([]int, n+1)
		a.cov[b] = c
	}
	c[s.ctx]++
	add := func(which int, key string, from, to int) {
		if from >= to {
			return
		}
		k := a.acc(which, key)
		k.links += to - from
		k.spans[b] = append(k.spans[b], [2]int{from, to})
		k.licences[p.lic.ID] = true
	}
	if s.plat < n {
		add(0, s.platGood.good.Rating, s.plat, n)
		add(1, s.platOpt.item.Name, s.plat, n)
	}
	if s.ctx < s.plat {
		add(0, s.ctxGood.good.Rating, s.ctx, s.plat)
		add(1, noItem, s.ctx, s.plat)
	}
	add(2, p.endUser, s.ctx, n)
}

func (a *aggregator) single(e *expo, p *licencePlan, i int, l ExposureLink) {
	a.singles[i]++
	item := l.Item
	if item == "" {
		item = noItem
	}
	for which, key := range []string{l.Rating, item, l.EndUser} {
		k := a.acc(which, key)
		k.links++
		k.singles[i] = true
		k.licences[p.lic.ID] = true
	}
}

// perIncident is the number of links of every incident.
func (a *aggregator) perIncident(e *expo) []int {
	cnt := make([]int, len(e.incidents))
	for b, c := range a.cov {
		run := 0
		for k, i := range b.idx {
			run += c[k]
			cnt[i] += run
		}
	}
	for i, n := range a.singles {
		cnt[i] += n
	}
	return cnt
}

func (a *aggregator) linkedIncidents() int {
	n := 0
	seen := map[int]bool{}
	for b, c := range a.cov {
		run := 0
		for k, i := range b.idx {
			run += c[k]
			if run > 0 && !seen[i] {
				seen[i] = true
				n++
			}
		}
	}
	for i := range a.singles {
		if !seen[i] {
			seen[i] = true
			n++
		}
	}
	return n
}

func (a *aggregator) result(e *expo) ExposureAggregates {
	var out ExposureAggregates
	keyed := func(which int) []ExposureCount {
		rows := []ExposureCount{}
		for key, k := range a.keyed[which] {
			incidents := len(k.singles) // identified incidents are in no bucket
			for _, spans := range k.spans {
				incidents += unionLength(spans)
			}
			rows = append(rows, ExposureCount{Key: key, Links: k.links, Incidents: incidents, Licences: len(k.licences)})
		}
		sortCounts(rows)
		return rows
	}
	out.ByRating, out.ByItem, out.ByEndUser = keyed(0), keyed(1), keyed(2)
	cnt := a.perIncident(e)
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
	for i, n := range cnt {
		if n == 0 {
			continue
		}
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
	return out
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
