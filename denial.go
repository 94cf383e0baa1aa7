package exportctl

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// Consistency: the denials register, and the checks that keep decisions
// consistent with it.
//
// A refusal enters the register (source "own"); denials notified by others
// are imported (source "imported: <file>"). A new application essentially
// identical to a denial of the last three years (MatchDenial) shows the
// denial on the case and cannot be issued until the match is answered with
// reasons. Near-identical applications decided in opposite ways are listed
// for senior officials (OppositeDecisions).

// DenialSourceOwn marks the system's own refusals in the register.
const DenialSourceOwn = "own"

// DenialImportPrefix starts the source of every imported denial.
const DenialImportPrefix = "imported: "

// DenialWindowYears is how far back a denial counts.
const DenialWindowYears = 3

// Denial is an entry of the denials register.
type Denial struct {
	ID              int64  `json:"id"`
	Reference       string `json:"reference"`
	Name            string `json:"name"` // the end user refused
	Address         string `json:"address,omitempty"`
	Country         string `json:"country"` // ISO 3166-1 alpha-2
	ItemDescription string `json:"item_description"`
	// Ratings are rating families (ML10, 5A002); imported denials often
	// have none, and are then compared by item description.
	Ratings       []string  `json:"ratings"`
	EndUse        string    `json:"end_use"`
	Reason        string    `json:"reason"`
	Source        string    `json:"source"`                   // "own" or "imported: <file>"
	ApplicationID int64     `json:"application_id,omitempty"` // the refused application; 0 if imported
	DeniedAt      time.Time `json:"denied_at"`
	// SupersededAt is set when the refusal no longer stands (a refusal
	// overturned on appeal); a superseded denial matches nothing.
	SupersededAt *time.Time `json:"superseded_at,omitempty"`
}

// DenialInput is a denial as an import file or the API gives it.
type DenialInput struct {
	Reference       string   `json:"reference"`
	Name            string   `json:"name"`
	Address         string   `json:"address"`
	Country         string   `json:"country"` // alpha-2, or an English country name
	ItemDescription string   `json:"item_description"`
	Ratings         []string `json:"ratings"` // ratings or families; stored as families
	EndUse          string   `json:"end_use"`
	Reason          string   `json:"reason"`
	// DeniedAt is the date of the denial as YYYY-MM-DD; empty means the
	// day it is imported.
	DeniedAt string `json:"denied_at,omitempty"`
}

// Validate normalises the input and reports every invalid field:
// reference, name and country are required; the country may be an
// alpha-2 code or an English name; ratings become their families.
func (in *DenialInput) Validate() error { return Errors(in.validate("")).Err() }

// ValidateAt checks one entry of a list, naming fields with the prefix
// ("denials[3].country").
func (in *DenialInput) ValidateAt(prefix string) []*Error { return in.validate(prefix) }

func (in *DenialInput) validate(prefix string) []*Error {
	var errs []*Error
	text := func(field string, v *string, required bool, what string) {
		*v = strings.TrimSpace(*v)
		switch {
		case *v == "" && required:
			errs = append(errs, Invalid(prefixed(prefix, field), "%s is required", what))
		case len(*v) > maxText:
			errs = append(errs, Invalid(prefixed(prefix, field), "is longer than %d characters", maxText))
		}
	}
	text("reference", &in.Reference, true, "a reference")
	text("name", &in.Name, true, "the name of the end user refused")
	text("address", &in.Address, false, "")
	text("item_description", &in.ItemDescription, false, "")
	text("end_use", &in.EndUse, false, "")
	text("reason", &in.Reason, false, "")
	if len(in.Reference) > 200 {
		errs = append(errs, Invalid(prefixed(prefix, "reference"), "is longer than 200 characters"))
	}
	country := strings.TrimSpace(in.Country)
	if c, err := ParseCountry(prefixed(prefix, "country"), country); err == nil {
		in.Country = c
	} else if c, ok := CountryByName(country); ok && country != "" {
		in.Country = c
	} else if country == "" {
		errs = append(errs, Invalid(prefixed(prefix, "country"), "a country is required (ISO 3166-1 alpha-2 such as IL, or its English name)"))
	} else {
		errs = append(errs, Invalid(prefixed(prefix, "country"), "%q is neither an ISO 3166-1 alpha-2 code nor a country name", country))
	}
	var fams []string
	for i, r := range in.Ratings {
		if strings.TrimSpace(r) == "" {
			continue
		}
		norm, err := ParseRating(prefixed(prefix, fmt.Sprintf("ratings[%d]", i)), r)
		if err != nil {
			errs = append(errs, err.(*Error))
			continue
		}
		if f := RatingFamily(norm); f != "NLR" && !slices.Contains(fams, f) {
			fams = append(fams, f)
		}
	}
	slices.Sort(fams)
	in.Ratings = fams
	in.DeniedAt = strings.TrimSpace(in.DeniedAt)
	if in.DeniedAt != "" {
		if _, err := time.Parse(time.DateOnly, in.DeniedAt); err != nil {
			errs = append(errs, Invalid(prefixed(prefix, "denied_at"), "must be a date as YYYY-MM-DD"))
		}
	}
	return errs
}

// DenialFilter selects entries of the register for a list.
type DenialFilter struct {
	Country string // alpha-2
	Query   string // reference, name or item description text
	Limit   int
	Cursor  string
}

// DenialAnswer is the reasons a case officer, senior official or decision
// maker gave for proceeding despite a matching denial.
type DenialAnswer struct {
	Reasons string    `json:"reasons"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
}

// DenialMatch is a denial that an application essentially repeats, with
// why it matched and, once given, the answer.
type DenialMatch struct {
	Denial        Denial        `json:"denial"`
	ApplicationID int64         `json:"application_id"`
	Reasons       []string      `json:"reasons"`
	Answer        *DenialAnswer `json:"answer"`
}

// Answered reports whether the match has been answered with reasons.
func (m DenialMatch) Answered() bool { return m.Answer != nil }

// OppositeCase is one decided application of an OppositeDecision group.
type OppositeCase struct {
	ID        int64     `json:"id"`
	Reference string    `json:"reference"`
	OrgName   string    `json:"org_name"`
	EndUser   string    `json:"end_user"`
	EndUse    string    `json:"end_use"`
	DecidedAt time.Time `json:"decided_at"`
}

// OppositeDecision groups near-identical applications (same destination,
// same end user after NormaliseName, same rating family, similar end use)
// that were decided in opposite ways: some issued, some refused. Each case
// listed has at least one case of the other outcome whose end use is
// similar (EndUseSimilar).
type OppositeDecision struct {
	Destination  string         `json:"destination"`
	EndUser      string         `json:"end_user"` // the normalised name shared by the cases
	RatingFamily string         `json:"rating_family"`
	Refused      []OppositeCase `json:"refused"`
	Issued       []OppositeCase `json:"issued"`
}

// Consistency is the denials register and the consistency checks.
//
// Errors: invalid (naming the field), forbidden (the role may not),
// not_found (no such application or denial, or the actor may not see it),
// conflict (answering a denial that no longer matches).
type Consistency interface {
	// ImportDenials adds denials notified by others under one source
	// ("imported: <source>"). Re-importing the same entries changes
	// nothing; an entry already registered with different details is a
	// conflict. Admin (and the system).
	ImportDenials(ctx context.Context, a Actor, ds []DenialInput, source string) (added, unchanged int, err error)
	// Denials lists the register, newest first. Internal roles; exporters
	// are forbidden.
	Denials(ctx context.Context, a Actor, f DenialFilter) (Page[Denial], error)
	// DenialMatches lists the denials an application essentially repeats,
	// with their answers. Internal roles.
	DenialMatches(ctx context.Context, a Actor, appID int64) ([]DenialMatch, error)
	// AnswerDenialMatch records the reasons for proceeding despite a
	// matching denial. Case officers, senior officials, decision makers.
	AnswerDenialMatch(ctx context.Context, a Actor, appID, denialID int64, reasons string) error
	// OppositeDecisions lists near-identical applications decided since
	// the given time (zero: the last three years) in opposite ways.
	// Senior officials, decision makers and oversight.
	OppositeDecisions(ctx context.Context, a Actor, since time.Time) ([]OppositeDecision, error)
}

// legalSuffixes are dropped from the end of a name before comparing.
var legalSuffixes = map[string]bool{
	"ltd": true, "limited": true, "plc": true, "inc": true, "incorporated": true,
	"llc": true, "llp": true, "lp": true, "co": true, "corp": true, "corporation": true,
	"company": true, "gmbh": true, "ag": true, "sa": true, "sas": true, "sarl": true,
	"srl": true, "spa": true, "bv": true, "nv": true, "pty": true, "pte": true,
	"oy": true, "ab": true, "as": true, "jsc": true, "ojsc": true, "pjsc": true, "fze": true, "fzco": true,
}

// words lower-cases s and splits it into words of letters and digits.
// Apostrophes and full stops join ("S.A." -> "sa", "O'Neil" -> "oneil");
// a possessive "'s" is dropped ("user's" -> "user"); every other
// character separates words.
func words(s string) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if b.Len() > 0 {
			out = append(out, b.String())
			b.Reset()
		}
	}
	rs := []rune(strings.ToLower(s))
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		case r == '\'' || r == '’':
			// A possessive 's at the end of a word is dropped.
			if i+1 < len(rs) && rs[i+1] == 's' && (i+2 == len(rs) || !(unicode.IsLetter(rs[i+2]) || unicode.IsDigit(rs[i+2]))) {
				i++
			}
		case r == '.':
			// joins abbreviations; a full stop at a word's end just ends it
		default:
			flush()
		}
	}
	flush()
	return out
}

// NormaliseName is the key names are compared by: lower-case, without
// punctuation, without a leading "the" and without trailing legal forms
// (ltd, limited, plc, inc, llc, co, corp, gmbh, sa, bv, ...), with single
// spaces. "The Example Air Force Ltd." and "example air force" share a key.
// A name that is nothing but a legal form keeps it.
func NormaliseName(s string) string {
	ws := words(s)
	if len(ws) > 1 && ws[0] == "the" {
		ws = ws[1:]
	}
	for len(ws) > 1 && legalSuffixes[ws[len(ws)-1]] {
		ws = ws[:len(ws)-1]
	}
	return strings.Join(ws, " ")
}

// stopWords carry no meaning for comparing end uses or goods.
var stopWords = map[string]bool{
	"a": true, "an": true, "the": true, "of": true, "for": true, "to": true, "in": true,
	"on": true, "by": true, "with": true, "and": true, "or": true, "at": true, "from": true,
	"as": true, "its": true, "their": true, "his": true, "her": true, "our": true, "is": true,
	"are": true, "be": true, "been": true, "into": true, "onto": true, "which": true,
	"that": true, "this": true, "these": true, "those": true, "will": true, "use": true,
	"used": true, "using": true, "other": true, "such": true, "per": true, "s": true,
}

// stem folds a plural to its singular, crudely: "spares" -> "spare",
// "batteries" -> "battery"; words ending in "ss" or "us" and short words
// stay as they are.
func stem(w string) string {
	switch {
	case len(w) <= 3:
		return w
	case strings.HasSuffix(w, "ies"):
		return w[:len(w)-3] + "y"
	case strings.HasSuffix(w, "ss"), strings.HasSuffix(w, "us"), strings.HasSuffix(w, "is"):
		return w
	case strings.HasSuffix(w, "s"):
		return w[:len(w)-1]
	}
	return w
}

// terms is the set of meaningful words of a text: words(s) without stop
// words, plurals folded.
func terms(s string) map[string]bool {
	out := map[string]bool{}
	for _, w := range words(s) {
		if !stopWords[w] {
			out[stem(w)] = true
		}
	}
	return out
}

// jaccard is |a∩b| / |a∪b|; 0 when both are empty.
func jaccard(a, b map[string]bool) float64 {
	if len(a) == 0 && len(b) == 0 {
		return 0
	}
	inter := 0
	for w := range a {
		if b[w] {
			inter++
		}
	}
	return float64(inter) / float64(len(a)+len(b)-inter)
}

// Thresholds of the text comparisons.
const (
	EndUseThreshold = 0.5 // Jaccard of end-use terms
	ItemThreshold   = 0.3 // Jaccard of item-description terms against one good
)

// EndUseSimilar reports whether two stated end uses are essentially the
// same: the Jaccard index of their terms (normalised words without stop
// words, plurals folded) is at least 0.5. An empty end use is similar only
// to another empty one.
func EndUseSimilar(a, b string) bool {
	ta, tb := terms(a), terms(b)
	if len(ta) == 0 || len(tb) == 0 {
		return len(ta) == 0 && len(tb) == 0
	}
	return jaccard(ta, tb) >= EndUseThreshold
}

// RatingFamilies returns the distinct rating families of goods, sorted,
// without NLR (goods needing no licence are never "the same goods" as a
// refused licence).
func RatingFamilies(goods []Good) []string {
	var out []string
	for _, g := range goods {
		f := RatingFamily(NormaliseRating(g.Rating))
		if f != "" && f != "NLR" && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	slices.Sort(out)
	return out
}

// DenialNameKeys are the normalised names of an application's parties that
// a denial's name is compared with: end user, consignee and ultimate end
// user (empty keys left out, duplicates once).
func DenialNameKeys(app *Application) []string {
	var keys []string
	for _, p := range app.Parties {
		switch p.Role {
		case PartyEndUser, PartyConsignee, PartyUltimateEndUser:
			if k := NormaliseName(p.Name); k != "" && !slices.Contains(keys, k) {
				keys = append(keys, k)
			}
		}
	}
	return keys
}

// DenialCutoff is the earliest denial date that still counts at now.
func DenialCutoff(now time.Time) time.Time { return now.AddDate(-DenialWindowYears, 0, 0) }

// MatchDenial decides whether an application is essentially identical to a
// denial, and says why. All of these must hold:
//
//  1. destination: the denial's country is the country of the
//     application's end user (an application without an end user matches
//     nothing);
//  2. end user: the denial's name, normalised (NormaliseName), equals the
//     normalised name of the end user, the consignee or the ultimate end
//     user;
//  3. time: the denial is not older than three years at now, and has not
//     been superseded (overturned on appeal);
//  4. goods: when the denial has rating families, at least one good of the
//     application is of one of them; when it has none (many imported
//     denials), the denial's item description shares terms with at least
//     one good's description with a Jaccard index of at least 0.3; a
//     denial with neither says nothing about goods and matches nothing;
//  5. end use: EndUseSimilar(application end use, denial end use).
//
// The reasons name the evidence for each rule, for the case officer.
func MatchDenial(app *Application, d Denial, now time.Time) (bool, []string) {
	eu := app.EndUser()
	if eu == nil || d.Country != eu.Country {
		return false, nil
	}
	if d.SupersededAt != nil || d.DeniedAt.Before(DenialCutoff(now)) {
		return false, nil
	}
	key := NormaliseName(d.Name)
	if key == "" {
		return false, nil
	}
	var party *Party
	for i := range app.Parties {
		p := &app.Parties[i]
		if (p.Role == PartyEndUser || p.Role == PartyConsignee || p.Role == PartyUltimateEndUser) && NormaliseName(p.Name) == key {
			party = p
			break
		}
	}
	if party == nil {
		return false, nil
	}
	var goodsReason string
	if len(d.Ratings) > 0 {
		fams := RatingFamilies(app.Goods)
		var common []string
		for _, f := range d.Ratings {
			if slices.Contains(fams, f) {
				common = append(common, f)
			}
		}
		if len(common) == 0 {
			return false, nil
		}
		goodsReason = "same rating family: " + strings.Join(common, ", ")
	} else {
		dt := terms(d.ItemDescription)
		if len(dt) == 0 {
			return false, nil
		}
		best, bestDesc := 0.0, ""
		for _, g := range app.Goods {
			if j := jaccard(dt, terms(g.Description)); j > best {
				best, bestDesc = j, g.Description
			}
		}
		if best < ItemThreshold {
			return false, nil
		}
		goodsReason = fmt.Sprintf("similar goods: %q is like the denied %q", bestDesc, d.ItemDescription)
	}
	if !EndUseSimilar(app.EndUse, d.EndUse) {
		return false, nil
	}
	reasons := []string{
		fmt.Sprintf("same destination: %s (%s)", CountryName(d.Country), d.Country),
		fmt.Sprintf("same %s: %q is the denied %q", Humanise(party.Role), party.Name, d.Name),
		fmt.Sprintf("denied on %s, within %d years", d.DeniedAt.Format(time.DateOnly), DenialWindowYears),
		goodsReason,
	}
	if app.EndUse == "" {
		reasons = append(reasons, "no end use stated on either")
	} else {
		reasons = append(reasons, fmt.Sprintf("similar end use: %q is like the denied %q", app.EndUse, d.EndUse))
	}
	return true, reasons
}
