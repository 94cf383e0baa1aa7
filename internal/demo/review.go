package demo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/exportctl/exportctl"
)

// review is what the advisers and the case officer say about a case. The
// steps of the path read it: advice, assessment, final advice. Anything
// left out is written from the case itself (its goods, end user and
// destination) and the destination's profile.
type review struct {
	fcdo, mod opinion // each team's advice on the goods and principal parties
	// parties holds both teams' advice on a named party, in place of the
	// team's own view (a freight agent, a transit hub).
	parties map[string]opinion
	// findings are the case officer's case-specific findings; every other
	// criterion gets the finding written from the destination profile.
	findings []exportctl.Finding
	ihl      *exportctl.IHLFindings // in place of the destination's IHL findings
	cutoff   int                    // evidence cut-off in days before the assessment (default 21)
	final    exportctl.FinalAdviceInput
}

// opinion is one team's advice. Reasons left empty are written from the
// case for an approval.
type opinion struct {
	typ        string
	conditions string
	criteria   []string
	reasons    string
}

func approves(reasons string) opinion { return opinion{typ: exportctl.AdviceApprove, reasons: reasons} }
func conditional(conditions, reasons string) opinion {
	return opinion{typ: exportctl.AdviceProviso, conditions: conditions, reasons: reasons}
}
func refuses(reasons string, criteria ...string) opinion {
	return opinion{typ: exportctl.AdviceRefuse, criteria: criteria, reasons: reasons}
}
func noLicenceNeeded(reasons string) opinion {
	return opinion{typ: exportctl.AdviceNLR, reasons: reasons}
}

// defers is a team's "not applicable": it leaves the question to the other.
func defers(reasons string) opinion {
	return opinion{typ: exportctl.AdviceNotApplicable, reasons: reasons}
}

func finding(criterion, result, reasoning string, evidence ...exportctl.EvidenceRef) exportctl.Finding {
	return exportctl.Finding{Criterion: criterion, Finding: result, Reasoning: reasoning, Evidence: evidence}
}

// doc cites a report or other document.
func doc(url, note string) exportctl.EvidenceRef {
	return exportctl.EvidenceRef{Kind: exportctl.EvidenceDocument, Ref: url, Note: note}
}

// facts are what the generated texts say about a case.
type facts struct {
	app         *exportctl.Application
	endUser     string // with its article: "the Israeli Air Force"
	consignee   string
	dest        string // the destination's name, with its article: "the United States"
	goods       string // "main landing gear actuators (ML10a); seal kits (ML10a)"
	ratings     string // "ML10a and ML22a"
	chemicals   bool   // 1C350 goods
	profile     destination
	destination string // ISO code
}

func (r *run) facts() facts {
	f := facts{app: r.app, destination: r.app.Destination, dest: countryRef(r.app.Destination), profile: profileOf(r.app.Destination)}
	if eu := r.app.EndUser(); eu != nil {
		f.endUser = theName(eu.Name)
	}
	var descs, ratings []string
	for _, g := range r.app.Goods {
		descs = append(descs, fmt.Sprintf("%s (%s)", lowerFirst(g.Description), g.Rating))
		if !slices.Contains(ratings, g.Rating) {
			ratings = append(ratings, g.Rating)
		}
		f.chemicals = f.chemicals || exportctl.RatingFamily(g.Rating) == "1C350"
	}
	for _, p := range r.app.Parties {
		if p.Role == exportctl.PartyConsignee {
			f.consignee = theName(p.Name)
		}
	}
	if f.consignee == "" {
		f.consignee = f.endUser
	}
	f.goods, f.ratings = strings.Join(descs, "; "), andList(ratings)
	return f
}

// lowerFirst lowers the first letter of a description for use inside a
// sentence, unless it starts an acronym ("UAV", "CBRN", "X-band").
func lowerFirst(s string) string {
	if len(s) < 2 || s[1] < 'a' || s[1] > 'z' {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// upperFirst capitalises a name that starts a sentence.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// countryRef names a country inside a sentence: "the United States".
func countryRef(code string) string {
	name := exportctl.CountryName(code)
	switch code {
	case "US", "AE", "NL", "GB", "PH", "CZ", "DO", "BS", "GM":
		return "the " + name
	}
	return name
}

// theName puts "the" before an organisation's name unless it is a
// company's: "the Israeli Air Force", but "Karmel Optronics Ltd".
func theName(name string) string {
	for _, mark := range []string{" Ltd", " LLC", " plc", " Co.", " FZE", " FZCO", " A.S.", " SAE", " Pvt", " K.K.", " WLL", " AS", " Inc.", " Sp. z o.o.", " SAS", " AG", " GmbH", " Pty"} {
		if strings.Contains(name, mark) {
			return name
		}
	}
	if strings.HasPrefix(name, "The ") {
		return name
	}
	return "the " + name
}

// quantity writes "36 items", "80,000 kg", "1 document".
func quantity(q float64, unit string) string {
	n := strconv.FormatFloat(q, 'f', -1, 64)
	if q == float64(int64(q)) {
		n = money(q)
	}
	switch unit {
	case "kg", "g":
		return n + " " + unit
	case "software_licence":
		unit = "software licence"
	}
	if q != 1 {
		unit += "s"
	}
	return n + " " + unit
}

func andList(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

// principal parties are the ones a team's view of the case applies to;
// agents, hubs and other third parties are advised on their own.
func principal(role string) bool {
	return role == exportctl.PartyEndUser || role == exportctl.PartyConsignee || role == exportctl.PartyUltimateEndUser
}

// advise gives one team's advice on every current good and party.
func (r *run) advise(team string) error {
	adviser := map[string]string{"FCDO": "fcdo", "MOD": "mod"}[team]
	a, err := r.as(adviser)
	if err != nil {
		return err
	}
	view := r.c.review.fcdo
	if team == "MOD" {
		view = r.c.review.mod
	}
	if view.typ == "" {
		view.typ = exportctl.AdviceApprove
	}
	f := r.facts()
	give := func(subject string, id int64, op opinion, label string) error {
		in := exportctl.AdviceInput{Subject: subject, SubjectID: id, Type: op.typ, Conditions: op.conditions,
			Criteria: append([]string(nil), op.criteria...), Reasons: op.reasons}
		if _, err := r.s.GiveAdvice(r.ctx, a, r.app.ID, in); err != nil {
			return fmt.Errorf("%s advice on %s: %w", team, label, err)
		}
		return nil
	}
	for _, g := range r.app.Goods {
		op := view
		if op.reasons == "" {
			op.reasons = goodReasons(team, f, g)
		}
		if err := give(exportctl.SubjectGood, g.ID, op, g.Description); err != nil {
			return err
		}
	}
	for _, p := range r.app.Parties {
		op, named := r.c.review.parties[p.Name]
		if !named {
			op = view
			if !principal(p.Role) {
				op = approves("")
			}
		}
		if op.reasons == "" {
			op.reasons = partyReasons(team, f, p)
		}
		if err := give(exportctl.SubjectParty, p.ID, op, p.Name); err != nil {
			return err
		}
	}
	return nil
}

// goodReasons writes a team's reasons for approving a good.
func goodReasons(team string, f facts, g exportctl.Good) string {
	if team == "MOD" {
		what := "consistent with the stated end use and with the equipment of " + f.endUser
		if g.ComponentOf != "" {
			what = fmt.Sprintf("consistent with the %s fleet of %s and its support arrangements", g.ComponentOf, f.endUser)
		}
		return fmt.Sprintf("%s, rated %s: %s; the quantity (%s) is in line with requirements. No technology-security, capability or operational-security concerns.",
			g.Description, g.Rating, what, quantity(g.Quantity, g.Unit))
	}
	return fmt.Sprintf("No foreign-policy, human-rights or IHL concerns about supplying %s to %s for the stated end use. %s",
		lowerFirst(g.Description), f.dest, f.profile.summary)
}

// partyReasons writes a team's reasons for approving a party.
func partyReasons(team string, f facts, p exportctl.Party) string {
	role := exportctl.Humanise(p.Role)
	if team == "MOD" {
		return fmt.Sprintf("%s (%s, %s): no adverse MOD holdings; a credible %s for goods of this kind.", p.Name, role, exportctl.CountryName(p.Country), role)
	}
	post := "the British Embassy"
	if slices.Contains([]string{"IN", "AU", "UG", "CA", "NZ"}, p.Country) {
		post = "the British High Commission"
	}
	if p.Country == "GB" {
		return fmt.Sprintf("%s (%s, UK): no FCDO concerns.", p.Name, role)
	}
	return fmt.Sprintf("%s (%s, %s): no adverse reporting from %s or FCDO desks. %s", p.Name, role, exportctl.CountryName(p.Country), post, profileOf(p.Country).summary)
}

// assessment builds the case officer's assessment: every criterion of the
// default set, each with the case's own finding or one written from the
// destination profile; the IHL findings; the evidence cut-off. A draft
// holds only the case-specific findings written so far. changed findings
// replace the review's (a reassessment).
func (r *run) assessment(final bool, changed []exportctl.Finding) exportctl.AssessmentInput {
	f := r.facts()
	days := r.c.review.cutoff
	if days == 0 {
		days = 21
	}
	in := exportctl.AssessmentInput{CriteriaSet: exportctl.DefaultCriteriaSet, Final: final,
		EvidenceCutoff: r.s.Now().UTC().AddDate(0, 0, -days).Format(time.DateOnly)}
	own := map[string]exportctl.Finding{}
	for _, fd := range r.c.review.findings {
		own[fd.Criterion] = fd
	}
	for _, fd := range changed {
		own[fd.Criterion] = fd
	}
	for _, c := range exportctl.MustCriteria(exportctl.DefaultCriteriaSet).Citable() {
		fd, ok := own[c.Code]
		switch {
		case ok:
			if c.Code == "2c" && fd.Evidence == nil {
				fd.Evidence = f.profile.evidence
			}
		case !final:
			continue
		default:
			fd = defaultFinding(c.Code, f)
		}
		fd.Evidence = append([]exportctl.EvidenceRef(nil), fd.Evidence...)
		if c.Code == "2c" || (c.Code == "2a" && fd.Finding != exportctl.FindingNoRisk) {
			fd.Evidence = append(fd.Evidence, r.adviceEvidence()...)
		}
		in.Findings = append(in.Findings, fd)
	}
	if !final && len(in.Findings) == 0 {
		// Nothing case-specific yet: the officer has started with the
		// destination's human-rights and IHL criteria.
		in.Findings = []exportctl.Finding{defaultFinding("2a", f), defaultFinding("2b", f), defaultFinding("2c", f)}
	}
	if final {
		ihl := f.profile.ihlFor(f)
		if r.c.review.ihl != nil {
			ihl = *r.c.review.ihl
		}
		in.IHL = &ihl
	}
	return in
}

// adviceEvidence cites the FCDO's current advice on the end user, so the
// record shows which department advised what on the IHL question.
func (r *run) adviceEvidence() []exportctl.EvidenceRef {
	officer, err := r.as(r.officer)
	if err != nil {
		return nil
	}
	advice, err := r.s.Advice(r.ctx, officer, r.app.ID)
	if err != nil {
		return nil
	}
	eu := r.app.EndUser()
	for _, a := range advice {
		if a.Team == "FCDO" && !a.Superseded && a.Subject == exportctl.SubjectParty && eu != nil && a.SubjectID == eu.ID {
			return []exportctl.EvidenceRef{{Kind: exportctl.EvidenceAdvice, Ref: strconv.FormatInt(a.ID, 10),
				Note: "FCDO advice on the end user: " + exportctl.Humanise(a.Type)}}
		}
	}
	return nil
}

// defaultFinding writes the finding on one criterion from the case and
// its destination's profile.
func defaultFinding(code string, f facts) exportctl.Finding {
	p := f.profile
	noRisk := exportctl.FindingNoRisk
	switch code {
	case "1":
		regimes := "the Wassenaar Arrangement"
		if f.chemicals {
			regimes = "the Chemical Weapons Convention or the Australia Group"
		}
		return finding(code, noRisk, fmt.Sprintf("No UN Security Council, UK or OSCE arms embargo or sanctions regime applies to %s. Supplying the goods (%s) to %s is consistent with the UK's obligations under the Arms Trade Treaty and its commitments under %s.",
			f.dest, f.ratings, f.endUser, regimes))
	case "2a":
		return finding(code, noRisk, fmt.Sprintf("%s The goods (%s) are for %s and are not of a kind used for internal repression; no clear risk that they might be used to commit or facilitate it.",
			p.hr, f.ratings, f.endUser))
	case "2b":
		if strings.HasPrefix(p.caution, "No ") {
			return finding(code, noRisk, p.caution+" Special caution is not called for.")
		}
		return finding(code, noRisk, p.caution+fmt.Sprintf(" The end user (%s) and the end use were examined with that caution; nothing links them to the violations found.", f.endUser))
	case "2c":
		result := p.finding2c
		if result == "" {
			result = noRisk
		}
		return finding(code, result, fmt.Sprintf("%s The goods are %s, for %s. Stated end use: %s %s",
			p.ihl2c, f.goods, f.endUser, f.app.EndUse, p.mitigation), p.evidence...)
	case "3":
		return finding(code, noRisk, p.internal+fmt.Sprintf(" The goods would not provoke or prolong armed conflict or aggravate tensions within %s.", f.dest))
	case "4":
		return finding(code, noRisk, p.regional)
	case "5":
		if p.ally {
			return finding(code, noRisk, fmt.Sprintf("%s is a close defence partner of the UK; supporting its forces serves the security of the UK and its allies. The goods release no UK technology beyond what is already licensed to %s.", upperFirst(f.dest), f.dest))
		}
		return finding(code, noRisk, fmt.Sprintf("No risk to the national security of the UK, its territories or its allies: the goods (%s) release no sensitive UK technology, and %s poses no threat to UK forces or interests.", f.ratings, f.dest))
	case "6":
		return finding(code, noRisk, p.behaviour)
	case "7":
		return finding(code, noRisk, p.diversion+fmt.Sprintf(" The consignee (%s) and the end user (%s) are known, and the end-user undertaking matches the goods and quantities applied for.", f.consignee, f.endUser))
	case "8":
		value := fmt.Sprintf("The value (£%s) is small relative to the defence and security spending of %s", money(f.app.TotalValueGBP), f.dest)
		if exportctl.OpenLicence(f.app.LicenceType) {
			value = "The open licence carries no value; the expected volume of supply is small relative to the recipient's spending"
		}
		return finding(code, noRisk, value+" and would not seriously hamper its sustainable development.")
	case "MEND":
		return finding(code, exportctl.FindingNotApplicable, fmt.Sprintf("The goods are listed (%s): the military end-use control applies only to unlisted items.", f.ratings))
	case "WMD":
		if f.chemicals {
			return finding(code, noRisk, fmt.Sprintf("The goods are Australia Group-listed chemicals. The end-use statement of %s is credible for its business and the quantities match it; there is no information that they are or may be intended for use in connection with chemical weapons.", f.endUser))
		}
		return finding(code, exportctl.FindingNotApplicable, "No information suggests a WMD end use, and the goods are not of a kind the catch-all control is aimed at.")
	}
	return finding(code, exportctl.FindingNotApplicable, "Not engaged by these goods.")
}

// money formats pounds with thousands separators.
func money(v float64) string {
	s := strconv.FormatInt(int64(v), 10)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// finalAdviceInput completes the review's final advice: the
// recommendation follows the advice (a refusal if any subject's advice is
// to refuse, no licence required if all say so), conditions are the
// provisos' conditions, and the reasons summarise advice and assessment.
func (r *run) finalAdviceInput() (exportctl.FinalAdviceInput, error) {
	in := r.c.review.final
	in.Criteria = append([]string(nil), in.Criteria...)
	officer, err := r.as(r.officer)
	if err != nil {
		return in, err
	}
	combined, err := r.s.CombinedAdvice(r.ctx, officer, r.app.ID)
	if err != nil {
		return in, err
	}
	var conditions, criteria []string
	results := map[string]bool{}
	for _, c := range combined {
		results[c.Final()] = true
		for _, cond := range c.Conditions {
			if !slices.Contains(conditions, cond) {
				conditions = append(conditions, cond)
			}
		}
		if c.Final() == exportctl.AdviceRefuse {
			for _, cr := range c.Criteria {
				if !slices.Contains(criteria, cr) {
					criteria = append(criteria, cr)
				}
			}
		}
	}
	if in.Recommendation == "" {
		switch {
		case results[exportctl.AdviceRefuse]:
			in.Recommendation = exportctl.RecommendRefuse
		case len(results) == 1 && results[exportctl.AdviceNLR]:
			in.Recommendation = exportctl.RecommendNLR
		default:
			in.Recommendation = exportctl.RecommendIssue
		}
	}
	if in.Recommendation == exportctl.RecommendRefuse && len(in.Criteria) == 0 {
		in.Criteria = criteria
	}
	if in.Recommendation == exportctl.RecommendIssue && in.Conditions == "" {
		in.Conditions = strings.Join(conditions, "; ")
	}
	if in.Reasons == "" {
		in.Reasons = r.finalReasons(in)
	}
	return in, nil
}

// finalReasons writes the case officer's reasons from the advice and the
// assessment: what each team advised, and what the assessment found.
func (r *run) finalReasons(in exportctl.FinalAdviceInput) string {
	f := r.facts()
	fcdo, mod := adviceWord(r.c.review.fcdo), adviceWord(r.c.review.mod)
	teams := teamSays("FCDO", r.c.review.fcdo, "MOD") + " and " + teamSays("MOD", r.c.review.mod, "FCDO")
	if fcdo == mod {
		teams = "FCDO and MOD both advise " + fcdo
	}
	as := r.assessment(true, nil)
	var mitigated []string
	var adverse []string
	for _, fd := range as.Findings {
		switch {
		case fd.Finding == exportctl.FindingRiskMitigated:
			mitigated = append(mitigated, fd.Criterion)
		case exportctl.AdverseFinding(fd.Finding):
			adverse = append(adverse, fmt.Sprintf("Criterion %s: %s", fd.Criterion, fd.Reasoning))
		}
	}
	switch in.Recommendation {
	case exportctl.RecommendNLR:
		return fmt.Sprintf("Recommend advising the exporter that no licence is required. %s: the goods, declared under %s, are not controlled.", teams, f.ratings)
	case exportctl.RecommendRefuse:
		return fmt.Sprintf("Recommend refusal under %s. %s. The assessment (evidence cut-off %s) finds: %s",
			criteriaWord(in.Criteria), teams, as.EvidenceCutoff, strings.Join(adverse, " "))
	}
	with := ""
	if in.Conditions != "" {
		with = ", subject to the conditions the advisers set"
	}
	found := "finds no risk under any criterion."
	if len(mitigated) > 0 {
		found = fmt.Sprintf("finds no clear risk under any criterion; the risk it finds under %s is mitigated, as its reasoning explains.", criteriaWord(mitigated))
	}
	return fmt.Sprintf("Recommend issue%s. %s. The assessment of the supply of %s to %s in %s (evidence cut-off %s) %s",
		with, teams, f.goods, f.endUser, f.dest, as.EvidenceCutoff, found)
}

func criteriaWord(cs []string) string {
	if len(cs) == 1 {
		return "Criterion " + cs[0]
	}
	return "Criteria " + andList(cs)
}

// teamSays is one team's advice in the final advice's reasons.
func teamSays(team string, op opinion, other string) string {
	if op.typ == exportctl.AdviceNotApplicable {
		return team + " defers to " + other
	}
	return team + " advises " + adviceWord(op)
}

func adviceWord(op opinion) string {
	switch op.typ {
	case "", exportctl.AdviceApprove:
		return "approval"
	case exportctl.AdviceProviso:
		return "approval with conditions"
	case exportctl.AdviceRefuse:
		return "refusal under " + criteriaWord(op.criteria)
	case exportctl.AdviceNLR:
		return "that no licence is required"
	}
	return "nothing (not applicable)"
}
