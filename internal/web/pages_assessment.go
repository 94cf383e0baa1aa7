package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/exportctl/exportctl"
)

// Pages of the decision process (DOMAIN.md section 2): advice by the
// teams, the senior official's resolution of conflicting advice, the case
// officer's assessment and final advice, countersigning, the decision
// maker's decision and departures, and the printable decision record.
// Exporters see none of it: the sections are built only for internal
// roles, and the store refuses exporters anyway.

func (s *Server) assessmentPageRoutes() {
	s.handle("POST /applications/{id}/advice", s.adviceSubmit)
	s.handle("POST /applications/{id}/resolve", s.resolveSubmit)
	s.handle("POST /applications/{id}/assessment", s.assessmentSubmit)
	s.handle("POST /applications/{id}/final-advice", s.finalAdviceSubmit)
	s.handle("POST /applications/{id}/countersign", s.countersignSubmit)
	s.handle("POST /applications/{id}/decision", s.decisionSubmit)
	s.handle("POST /applications/{id}/departures", s.departureSubmit)
	s.handle("GET /applications/{id}/record", s.recordPage)
}

// Template helpers of the decision process: a criterion's title in its set,
// and the IHL findings as labelled fields.
func init() {
	templateFuncs["criterionTitle"] = criterionTitle
	templateFuncs["ihlFields"] = ihlFieldsOf
}

// Choices of the decision-process forms, built from the domain's lists.
var (
	adviceTypeOptions = labelled(exportctl.AdviceTypes, map[string]option{
		exportctl.AdviceApprove:       {Label: "Approve"},
		exportctl.AdviceProviso:       {Label: "Approve with provisos", Hint: "State the conditions the licence must carry"},
		exportctl.AdviceRefuse:        {Label: "Refuse", Hint: "Cite the criteria and give reasons"},
		exportctl.AdviceNLR:           {Label: "No licence required", Hint: "The item is not controlled"},
		exportctl.AdviceNotApplicable: {Label: "Not applicable", Hint: "Your team has no view on this good or party"},
	})
	resolutionOptions = []option{
		{exportctl.AdviceApprove, "Approve", ""},
		{exportctl.AdviceProviso, "Approve with provisos", "State the conditions the licence must carry"},
		{exportctl.AdviceRefuse, "Refuse", ""},
	}
	findingOptions = labelled(exportctl.FindingTypes, map[string]option{
		exportctl.FindingRiskMitigated:  {Label: "Risk mitigated"},
		exportctl.FindingClearRisk:      {Label: "Clear risk"},
		exportctl.FindingOverridingRisk: {Label: "Overriding risk after mitigation"},
		exportctl.FindingKnowledge:      {Label: "Knowledge of use (ATT 6.3)"},
	})
	criteriaSetOptions = []option{
		{exportctl.CriteriaUK2021, "UK Strategic Export Licensing Criteria (2021)", ""},
		{exportctl.CriteriaEU2008, "EU Common Position 2008/944/CFSP", ""},
		{exportctl.CriteriaATT, "Arms Trade Treaty, Articles 6 and 7 (2013)", ""},
	}
	recommendationOptions = []option{
		{exportctl.RecommendIssue, "Issue a licence", ""},
		{exportctl.RecommendRefuse, "Refuse", "Cite the criteria the refusal rests on"},
		{exportctl.RecommendNLR, "No licence required", "The goods are not controlled"},
	}
	countersignOptions = []option{
		{"approve", "Approve the final advice", ""},
		{"reject", "Reject it", "The case goes back to final review; give your reasons"},
	}
	departureKindOptions = []option{
		{exportctl.DepartureIssueDespiteFinding, "Issue despite an adverse finding or advice to refuse", ""},
		{exportctl.DepartureCarveOut, "Carve-out", "An exemption, for example components for a multinational spares pool"},
	}
	// ihlLabels name the IHL findings in the order the domain lists them.
	ihlLabels = []struct{ Name, Label, Hint string }{
		{"past_violations", "Past violations", "An explicit finding on past violations of international humanitarian law by the end user, not only a forecast"},
		{"pattern", "Pattern of violations", "Whether the incidents show a pattern"},
		{"conduct_of_hostilities", "Conduct of hostilities", "The recipient's capability and commitment to comply"},
		{"humanitarian_access", "Humanitarian relief and access", "Capability and commitment to allow relief and access"},
		{"detainees", "Treatment of detainees", "Capability and commitment to treat detainees lawfully"},
		{"recipient_investigations", "The recipient's investigations", "The recipient's own investigations and accountability record"},
		{"assurances", "Assurances relied on", "Any assurances given, by whom, and why they can be relied on"},
	}
)

// labelled turns codes into options, with the labels and hints given.
func labelled(codes []string, known map[string]option) []option {
	out := make([]option, 0, len(codes))
	for _, c := range codes {
		o := known[c]
		if o.Label == "" {
			o.Label = capitalise(exportctl.Humanise(c))
		}
		o.Value = c
		out = append(out, o)
	}
	return out
}

// criteriaOptionsOf lists the citable criteria of a set as checkboxes.
func criteriaOptionsOf(set string) []option {
	cs, ok := exportctl.Criteria(set)
	if !ok {
		return nil
	}
	var out []option
	for _, c := range cs.Citable() {
		out = append(out, option{c.Code, "Criterion " + c.Code, c.Title})
	}
	return out
}

func criterionTitle(set, code string) string {
	if cs, ok := exportctl.Criteria(set); ok {
		if c, ok := cs.Find(code); ok {
			return c.Title
		}
	}
	return ""
}

// subjectKey names a good or party in forms: "good:12", "party:3".
func subjectKey(subject string, id int64) string { return subject + ":" + strconv.FormatInt(id, 10) }

func parseSubject(s string) (string, int64, bool) {
	subject, id, ok := strings.Cut(strings.TrimSpace(s), ":")
	if !ok || (subject != exportctl.SubjectGood && subject != exportctl.SubjectParty) {
		return "", 0, false
	}
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return "", 0, false
	}
	return subject, n, true
}

// adviceRow is one piece of advice with the name of what it is about.
type adviceRow struct {
	exportctl.Advice
	Label string
}

// finalAdviceRow is final advice numbered in order, with the version of
// the assessment it rests on and how far countersigning has got.
type finalAdviceRow struct {
	exportctl.FinalAdvice
	No                int
	AssessmentVersion int
	Current           bool
	Approvals         int // valid approving countersignatures
}

// countersignRow is a countersignature with the number of the final
// advice it answers.
type countersignRow struct {
	exportctl.Countersignature
	FinalAdviceNo int
}

// ihlField is one of the IHL findings as a form or the record shows it.
type ihlField struct{ Name, ID, Label, Hint, Value string }

func ihlFieldsOf(f *exportctl.IHLFindings) []ihlField {
	var v exportctl.IHLFindings
	if f != nil {
		v = *f
	}
	values := map[string]string{
		"past_violations": v.PastViolations, "pattern": v.Pattern, "conduct_of_hostilities": v.ConductOfHostilities,
		"humanitarian_access": v.HumanitarianAccess, "detainees": v.Detainees,
		"recipient_investigations": v.RecipientInvestigations, "assurances": v.Assurances,
	}
	out := make([]ihlField, 0, len(ihlLabels))
	for _, l := range ihlLabels {
		out = append(out, ihlField{Name: l.Name, ID: "ihl-" + l.Name, Label: l.Label, Hint: l.Hint, Value: values[l.Name]})
	}
	return out
}

func ihlFromForm(form url.Values) exportctl.IHLFindings {
	get := func(n string) string { return strings.TrimSpace(form.Get("ihl-" + n)) }
	return exportctl.IHLFindings{
		PastViolations: get("past_violations"), Pattern: get("pattern"), ConductOfHostilities: get("conduct_of_hostilities"),
		HumanitarianAccess: get("humanitarian_access"), Detainees: get("detainees"),
		RecipientInvestigations: get("recipient_investigations"), Assurances: get("assurances"),
	}
}

// assessView is what the case page shows of the decision process.
type assessView struct {
	Combined          []exportctl.CombinedAdvice
	Advice            []adviceRow
	Assessments       []exportctl.Assessment // oldest first
	Latest            *exportctl.Assessment
	FinalAdvice       []finalAdviceRow
	Countersignatures []countersignRow
	Departures        []exportctl.Departure

	Advise      *adviceForm      // advisers, while advice is taken
	Conflicts   []resolveForm    // senior officials: conflicts awaiting resolution
	Assess      *assessmentForm  // case officers, while the case is assessed
	Recommend   *finalAdviceForm // case officers, in final review
	Countersign *countersignForm // case officers and senior officials, while countersigning
	SignNote    string           // why the actor cannot countersign now
	Decide      *decisionExtras  // decision makers, with the decision form
	CarveOut    bool             // decision makers, on an issued case
}

type subjectGroup struct {
	Label   string
	Options []option
}

type adviceForm struct {
	Team     string
	Subjects []subjectGroup
	Subject  string // the subject selected
	Types    []option
	Criteria []option
}

type resolveForm struct {
	exportctl.CombinedAdvice
	Key, ID string // "good:12"; the prefix of the form's element ids
	Options []option
}

type findingRow struct {
	Code, Title, Test, ID        string
	Finding, Reasoning, Evidence string
	Options                      []option
	IHL                          bool
}

type assessmentForm struct {
	Set          string
	Sets         []option
	IHLCriterion string
	Cutoff       string
	GuardReason  string
	Rows         []findingRow
	IHL          []ihlField
	// OtherSet names the set of the latest version when it differs from
	// the set chosen: its findings are not carried over.
	OtherSet string
}

type finalAdviceForm struct {
	Set             string
	Recommendations []option
	Criteria        []option
	Missing         []string // what stops final advice being submitted
}

type countersignForm struct {
	Final   *finalAdviceRow
	Options []option
}

type decisionExtras struct {
	DepartFrom []string // criteria a licence would be issued against
	Refused    bool     // the final advice recommends refusal
	Kinds      []option
}

// critID turns a criterion code into an element id ("7.1b.i" -> "7-1b-i").
var nonIDChars = regexp.MustCompile(`[^A-Za-z0-9_]+`)

func critID(code string) string { return nonIDChars.ReplaceAllString(code, "-") }

func evidenceText(refs []exportctl.EvidenceRef) string {
	var b strings.Builder
	for i, e := range refs {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Kind + ": " + e.Ref)
		if e.Note != "" {
			b.WriteString(" | " + e.Note)
		}
	}
	return b.String()
}

var evidenceKinds = []string{exportctl.EvidenceIncident, exportctl.EvidenceDocument, exportctl.EvidenceAdvice}

// parseEvidence reads one item of evidence a line, as "kind: reference",
// optionally followed by " | note". The error names the first bad line.
func parseEvidence(text, code string) ([]exportctl.EvidenceRef, string) {
	var out []exportctl.EvidenceRef
	for i, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		kind, rest, ok := strings.Cut(line, ":")
		kind = strings.ToLower(strings.TrimSpace(kind))
		ref, note, _ := strings.Cut(rest, " | ")
		ref, note = strings.TrimSpace(ref), strings.TrimSpace(note)
		if !ok || !slices.Contains(evidenceKinds, kind) || ref == "" {
			return nil, fmt.Sprintf("Line %d of the evidence for criterion %s (%q) is not “kind: reference”: write one item a line, starting with incident, document or advice, for example incident: SIND-42822", i+1, code, truncate(line, 60))
		}
		out = append(out, exportctl.EvidenceRef{Kind: kind, Ref: ref, Note: note})
	}
	return out, ""
}

func truncate(s string, n int) string {
	if len([]rune(s)) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// currentFinalAdvice is the final advice in force: the latest not superseded.
func currentFinalAdvice(rows []finalAdviceRow) *finalAdviceRow {
	for i := len(rows) - 1; i >= 0; i-- {
		if !rows[i].Superseded {
			return &rows[i]
		}
	}
	return nil
}

// subjectLabels names every good and party by its key, from the combined advice.
func subjectLabels(combined []exportctl.CombinedAdvice) map[string]string {
	labels := map[string]string{}
	for _, c := range combined {
		labels[subjectKey(c.Subject, c.SubjectID)] = c.Label
	}
	return labels
}

// recordRows derives the rows the case page and the record show.
func recordRows(rec *exportctl.DecisionRecord) (advice []adviceRow, final []finalAdviceRow, signs []countersignRow) {
	labels := subjectLabels(rec.CombinedAdvice)
	for _, a := range rec.Advice {
		label := labels[subjectKey(a.Subject, a.SubjectID)]
		if label == "" {
			label = fmt.Sprintf("%s %d (removed)", a.Subject, a.SubjectID)
		}
		advice = append(advice, adviceRow{a, label})
	}
	versions := map[int64]int{}
	for _, as := range rec.Assessments {
		versions[as.ID] = as.Version
	}
	number := map[int64]int{}
	for i, f := range rec.FinalAdvice {
		number[f.ID] = i + 1
		row := finalAdviceRow{FinalAdvice: f, No: i + 1, AssessmentVersion: versions[f.AssessmentID]}
		for _, c := range rec.Countersignatures {
			if c.FinalAdviceID == f.ID && c.Approved && c.InvalidatedAt == nil {
				row.Approvals++
			}
		}
		final = append(final, row)
	}
	if cur := currentFinalAdvice(final); cur != nil {
		cur.Current = true
	}
	for _, c := range rec.Countersignatures {
		signs = append(signs, countersignRow{c, number[c.FinalAdviceID]})
	}
	return advice, final, signs
}

// buildAssessView works out the sections and forms of the decision process
// the actor sees on the case page. form holds a failed form's posted
// values; query the page's query string (criteria_set).
func buildAssessView(a exportctl.Actor, rec *exportctl.DecisionRecord, form, query url.Values) *assessView {
	app := rec.Application
	v := &assessView{Combined: rec.CombinedAdvice, Assessments: rec.Assessments, Departures: rec.Departures}
	v.Advice, v.FinalAdvice, v.Countersignatures = recordRows(rec)
	if n := len(rec.Assessments); n > 0 {
		v.Latest = &rec.Assessments[n-1]
	}
	advising := slices.Contains([]string{exportctl.StatusInitialChecks, exportctl.StatusUnderReview, exportctl.StatusUnderFinalReview}, app.Status)

	if a.Role == exportctl.RoleAdviser && a.Team != "" && advising {
		v.Advise = adviceFormFor(a, app, rec, form)
	}
	if a.Role == exportctl.RoleSeniorOfficial && advising {
		for _, c := range rec.CombinedAdvice {
			if c.Result == exportctl.AdviceConflicting && c.Resolution == nil {
				key := subjectKey(c.Subject, c.SubjectID)
				v.Conflicts = append(v.Conflicts, resolveForm{CombinedAdvice: c, Key: key, ID: "resolve-" + c.Subject + "-" + strconv.FormatInt(c.SubjectID, 10), Options: resolutionOptions})
			}
		}
	}
	if a.Role == exportctl.RoleCaseOfficer && (advising || app.Status == exportctl.StatusUnderAppeal) {
		v.Assess = assessmentFormFor(v.Latest, form, query)
	}
	if a.Role == exportctl.RoleCaseOfficer && app.Status == exportctl.StatusUnderFinalReview {
		f := &finalAdviceForm{Set: exportctl.DefaultCriteriaSet, Recommendations: recommendationOptions}
		switch {
		case v.Latest == nil:
			f.Missing = append(f.Missing, "Save the assessment and finalise it")
		case v.Latest.Status != exportctl.AssessmentFinal:
			f.Missing = append(f.Missing, fmt.Sprintf("Finalise the assessment (version %d is a draft)", v.Latest.Version))
		}
		if v.Latest != nil {
			f.Set = v.Latest.CriteriaSet
		}
		for _, c := range rec.CombinedAdvice {
			switch {
			case c.Result == "":
				f.Missing = append(f.Missing, "No advice yet on "+c.Label)
			case c.Result == exportctl.AdviceConflicting && c.Resolution == nil:
				f.Missing = append(f.Missing, "Conflicting advice on "+c.Label+" awaits a senior official's resolution")
			}
		}
		f.Criteria = criteriaOptionsOf(f.Set)
		v.Recommend = f
	}
	if a.Is(exportctl.RoleCaseOfficer, exportctl.RoleSeniorOfficial) && app.Status == exportctl.StatusCountersigning {
		v.Countersign, v.SignNote = countersignFormFor(a, v)
	}
	if a.Role == exportctl.RoleDecisionMaker && (app.Status == exportctl.StatusAwaitingDecision || app.Status == exportctl.StatusUnderAppeal) {
		d := &decisionExtras{Kinds: departureKindOptions}
		// The findings are those of the latest final version: a later draft
		// (say, on appeal) is not a finding yet.
		for i := len(rec.Assessments) - 1; i >= 0; i-- {
			if rec.Assessments[i].Status == exportctl.AssessmentFinal {
				d.DepartFrom = rec.Assessments[i].Adverse()
				break
			}
		}
		if cur := currentFinalAdvice(v.FinalAdvice); cur != nil && app.Status != exportctl.StatusUnderAppeal && cur.Recommendation == exportctl.RecommendRefuse {
			d.Refused = true
			for _, c := range cur.Criteria {
				if !slices.Contains(d.DepartFrom, c) {
					d.DepartFrom = append(d.DepartFrom, c)
				}
			}
		}
		v.Decide = d
	}
	v.CarveOut = a.Role == exportctl.RoleDecisionMaker && app.Status == exportctl.StatusFinalised && app.Outcome == exportctl.OutcomeIssued
	return v
}

func adviceFormFor(a exportctl.Actor, app *exportctl.Application, rec *exportctl.DecisionRecord, form url.Values) *adviceForm {
	f := &adviceForm{Team: a.Team, Types: adviceTypeOptions, Criteria: criteriaOptionsOf(exportctl.DefaultCriteriaSet)}
	mine := map[string]string{} // the team's current advice per subject
	for _, adv := range rec.Advice {
		if adv.Team == a.Team && !adv.Superseded {
			mine[subjectKey(adv.Subject, adv.SubjectID)] = adv.Type
		}
	}
	labels := subjectLabels(rec.CombinedAdvice)
	first := ""
	group := func(title, subject string, ids []int64) {
		g := subjectGroup{Label: title}
		for _, id := range ids {
			key := subjectKey(subject, id)
			o := option{Value: key, Label: labels[key]}
			if t, ok := mine[key]; ok {
				o.Label += " – your team advised " + exportctl.Humanise(t)
			} else if first == "" {
				first = key
			}
			g.Options = append(g.Options, o)
		}
		if len(g.Options) > 0 {
			f.Subjects = append(f.Subjects, g)
		}
	}
	var goods, parties []int64
	for _, g := range app.Goods {
		goods = append(goods, g.ID)
	}
	for _, p := range app.Parties {
		parties = append(parties, p.ID)
	}
	group("Goods", exportctl.SubjectGood, goods)
	group("Parties", exportctl.SubjectParty, parties)
	// A failed form keeps its choice; a fresh one offers the first good
	// or party the team has not advised on yet.
	f.Subject = formField(form, "advice-subject", first)
	return f
}

func assessmentFormFor(latest *exportctl.Assessment, form, query url.Values) *assessmentForm {
	posted := form.Has("evidence_cutoff") // the assessment form itself failed
	set := query.Get("criteria_set")
	if posted {
		set = form.Get("criteria_set")
	}
	if _, ok := exportctl.Criteria(set); !ok {
		set = ""
	}
	if set == "" && latest != nil {
		set = latest.CriteriaSet
	}
	if set == "" {
		set = exportctl.DefaultCriteriaSet
	}
	f := &assessmentForm{Set: set, Sets: criteriaSetOptions, IHLCriterion: exportctl.IHLCriterion(set)}
	var prev *exportctl.Assessment // the version the form starts from
	if latest != nil {
		if latest.CriteriaSet == set {
			prev = latest
		} else {
			f.OtherSet = latest.CriteriaSet
		}
	}
	switch {
	case posted:
		f.Cutoff, f.GuardReason = form.Get("evidence_cutoff"), form.Get("evidence_guard_reason")
		ihl := ihlFromForm(form)
		f.IHL = ihlFieldsOf(&ihl)
		// Keep what was typed exactly, spaces included.
		for i := range f.IHL {
			f.IHL[i].Value = form.Get(f.IHL[i].ID)
		}
	case latest != nil:
		f.Cutoff, f.GuardReason = latest.EvidenceCutoff, latest.EvidenceGuardReason
		f.IHL = ihlFieldsOf(latest.IHL)
	default:
		f.IHL = ihlFieldsOf(nil)
	}
	for _, c := range exportctl.MustCriteria(set).Citable() {
		row := findingRow{Code: c.Code, Title: c.Title, Test: c.Test, ID: critID(c.Code), IHL: c.Code == f.IHLCriterion}
		for _, o := range findingOptions {
			if o.Value == exportctl.FindingKnowledge && c.Test != "prohibit_if_knowledge" {
				continue // the ATT 6.3 test only
			}
			row.Options = append(row.Options, o)
		}
		switch {
		case posted:
			row.Finding, row.Reasoning, row.Evidence = form.Get("finding-"+row.ID), form.Get("reasoning-"+row.ID), form.Get("evidence-"+row.ID)
		case prev != nil:
			if fd, ok := prev.Finding(c.Code); ok {
				row.Finding, row.Reasoning, row.Evidence = fd.Finding, fd.Reasoning, evidenceText(fd.Evidence)
			}
		}
		f.Rows = append(f.Rows, row)
	}
	return f
}

func countersignFormFor(a exportctl.Actor, v *assessView) (*countersignForm, string) {
	cur := currentFinalAdvice(v.FinalAdvice)
	if cur == nil {
		return nil, "There is no final advice to countersign."
	}
	if a.UserID == cur.AuthorID || (v.Latest != nil && a.UserID == v.Latest.AuthorID) {
		return nil, "You wrote the final advice or the assessment on this case: another case officer or a senior official must countersign it."
	}
	for _, c := range v.Countersignatures {
		if c.FinalAdviceID == cur.ID && c.Approved && c.InvalidatedAt == nil && c.SignerID == a.UserID {
			return nil, "You have countersigned this final advice: the next countersignature must come from someone else."
		}
	}
	// A sensitive case needs a senior official among its countersigners:
	// anyone else may still reject, but not give the last approval.
	if cur.Sensitive && a.Role != exportctl.RoleSeniorOfficial && cur.Approvals == cur.CountersignsNeeded-1 {
		senior := false
		for _, c := range v.Countersignatures {
			senior = senior || (c.FinalAdviceID == cur.ID && c.Approved && c.InvalidatedAt == nil && c.SignerRole == exportctl.RoleSeniorOfficial)
		}
		if !senior {
			return &countersignForm{Final: cur, Options: countersignOptions},
				"This case is sensitive and no senior official has countersigned it yet: you may reject the final advice, but the approval that completes countersigning must be a senior official's."
		}
	}
	return &countersignForm{Final: cur, Options: countersignOptions}, ""
}

// Audit actions of the decision process. Exporters never see advice,
// assessments, final advice or countersignatures, so their history leaves
// these out, and shows of the moves they cause only the change of status.
var (
	internalEvents   = []string{"application.advise", "application.resolve_advice", "application.assess", "application.countersign", "application.record_departure"}
	statusOnlyEvents = []string{"application.submit_final_advice", "application.countersigned", "application.countersign_rejected"}
)

func exporterEvents(events []exportctl.AuditEvent) []exportctl.AuditEvent {
	out := make([]exportctl.AuditEvent, 0, len(events))
	for _, e := range events {
		switch {
		case slices.Contains(internalEvents, e.Action):
			continue
		case slices.Contains(statusOnlyEvents, e.Action):
			var m map[string]any
			summary := ""
			if json.Unmarshal([]byte(e.Summary), &m) == nil {
				b, _ := json.Marshal(map[string]any{"from": m["from"], "to": m["to"]})
				summary = string(b)
			}
			e.Summary = summary
		case e.Action == "application.decide":
			var m map[string]any
			if json.Unmarshal([]byte(e.Summary), &m) == nil {
				delete(m, "departure_id")
				b, _ := json.Marshal(m)
				e.Summary = string(b)
			}
		}
		out = append(out, e)
	}
	return out
}

func (s *Server) adviceSubmit(w http.ResponseWriter, r *http.Request) {
	ids := map[string]string{"subject": "advice-subject", "subject_id": "advice-subject", "type": "advice-type",
		"conditions": "advice-conditions", "criteria": "advice-criteria", "reasons": "advice-reasons"}
	s.caseCommand(w, r, ids, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		subject, subjectID, ok := parseSubject(r.PostFormValue("advice-subject"))
		var errs []fieldError
		if !ok {
			errs = append(errs, fieldError{"advice-subject", "Choose the good or party the advice is about"})
		}
		in := exportctl.AdviceInput{Subject: subject, SubjectID: subjectID, Type: r.PostFormValue("advice-type"),
			Conditions: r.PostFormValue("advice-conditions"), Criteria: r.PostForm["advice-criteria"], Reasons: r.PostFormValue("advice-reasons")}
		if in.Type == "" {
			errs = append(errs, fieldError{"advice-type", "Choose your team's advice"})
		}
		if len(errs) > 0 {
			return "", errs, nil
		}
		// The form hides the branches of the other types, but sends them.
		if in.Type != exportctl.AdviceRefuse {
			in.Criteria = nil
		}
		if in.Type != exportctl.AdviceProviso {
			in.Conditions = ""
		}
		adv, err := s.svc.GiveAdvice(r.Context(), a, id, in)
		if err != nil {
			return "", nil, err
		}
		what := subject
		if app, err := s.svc.Application(r.Context(), a, id); err == nil {
			what = subjectName(app, subject, subjectID)
		}
		return fmt.Sprintf("%s advice on %s recorded: %s", adv.Team, what, exportctl.Humanise(adv.Type)), nil, nil
	})
}

// subjectName is a short name of a good or party for messages.
func subjectName(app *exportctl.Application, subject string, id int64) string {
	for _, g := range app.Goods {
		if subject == exportctl.SubjectGood && g.ID == id {
			return g.Description
		}
	}
	for _, p := range app.Parties {
		if subject == exportctl.SubjectParty && p.ID == id {
			return p.Name
		}
	}
	return subject
}

func (s *Server) resolveSubmit(w http.ResponseWriter, r *http.Request) {
	key := r.PostFormValue("subject")
	subject, subjectID, ok := parseSubject(key)
	prefix := "resolve-" + subject + "-" + strconv.FormatInt(subjectID, 10)
	ids := map[string]string{"result": prefix + "-result", "conditions": prefix + "-conditions", "reasons": prefix + "-reasons",
		"subject": prefix + "-result", "subject_id": prefix + "-result"}
	s.caseCommand(w, r, ids, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		if !ok {
			return "", nil, exportctl.Invalid("subject", "choose the good or party whose advice you resolve")
		}
		in := exportctl.ResolutionInput{Subject: subject, SubjectID: subjectID, Result: r.PostFormValue("resolve-result"),
			Conditions: r.PostFormValue("resolve-conditions"), Reasons: r.PostFormValue("resolve-reasons")}
		if in.Result == "" {
			return "", []fieldError{{prefix + "-result", "Choose the result of the resolution"}}, nil
		}
		if in.Result != exportctl.AdviceProviso {
			in.Conditions = "" // the form hides them for the other results
		}
		res, err := s.svc.ResolveConflict(r.Context(), a, id, in)
		if err != nil {
			return "", nil, err
		}
		what := subject
		if app, err := s.svc.Application(r.Context(), a, id); err == nil {
			what = subjectName(app, subject, subjectID)
		}
		return fmt.Sprintf("Conflicting advice on %s resolved: %s", what, exportctl.Humanise(res.Result)), nil, nil
	})
}

// assessmentInput reads the assessment form. A draft holds the criteria
// with anything filled in; a final assessment holds every criterion, so
// that the domain's errors name each row left empty.
func assessmentInput(form url.Values) (exportctl.AssessmentInput, []string, []fieldError) {
	in := exportctl.AssessmentInput{
		CriteriaSet: form.Get("criteria_set"), EvidenceCutoff: strings.TrimSpace(form.Get("evidence_cutoff")),
		EvidenceGuardReason: form.Get("evidence_guard_reason"), Final: form.Get("save") == "final",
	}
	set, ok := exportctl.Criteria(in.CriteriaSet)
	if !ok {
		return in, nil, []fieldError{{"criteria_set", "Choose a criteria set from the list"}}
	}
	var rows []string // element id of each finding, by index
	var errs []fieldError
	for _, c := range set.Citable() {
		id := critID(c.Code)
		f := exportctl.Finding{Criterion: c.Code, Finding: form.Get("finding-" + id), Reasoning: form.Get("reasoning-" + id)}
		evidence, bad := parseEvidence(form.Get("evidence-"+id), c.Code)
		if bad != "" {
			errs = append(errs, fieldError{"evidence-" + id, bad})
		}
		f.Evidence = evidence
		if in.Final || f.Finding != "" || strings.TrimSpace(f.Reasoning) != "" || len(f.Evidence) > 0 {
			in.Findings = append(in.Findings, f)
			rows = append(rows, id)
		}
	}
	ihl := ihlFromForm(form)
	if in.Final || ihl != (exportctl.IHLFindings{}) {
		in.IHL = &ihl
	}
	return in, rows, errs
}

// findingField matches the domain's field names of findings: findings[3].reasoning.
var findingField = regexp.MustCompile(`^findings\[(\d+)\]\.(\w+)`)

// assessmentErrors renames the domain's fields to the form's element ids.
func assessmentErrors(errs []fieldError, in exportctl.AssessmentInput, rows []string) []fieldError {
	out := make([]fieldError, 0, len(errs))
	for _, e := range errs {
		switch m := findingField.FindStringSubmatch(e.Field); {
		case m != nil:
			i, _ := strconv.Atoi(m[1])
			if i >= len(rows) {
				e.Field = "assessment"
				break
			}
			switch m[2] {
			case "reasoning":
				e.Field = "reasoning-" + rows[i]
			case "evidence":
				e.Field = "evidence-" + rows[i]
			default:
				e.Field = "finding-" + rows[i]
				if in.Findings[i].Finding == "" {
					e.Message = "Choose a finding on criterion " + in.Findings[i].Criterion
				}
			}
		case strings.HasPrefix(e.Field, "ihl."):
			e.Field = "ihl-" + strings.TrimPrefix(e.Field, "ihl.")
		case e.Field == "findings":
			e.Field = "assessment"
		}
		out = append(out, e)
	}
	return out
}

func (s *Server) assessmentSubmit(w http.ResponseWriter, r *http.Request) {
	s.caseCommand(w, r, nil, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		in, rows, errs := assessmentInput(r.PostForm)
		if len(errs) > 0 {
			return "", errs, nil
		}
		as, err := s.svc.SaveAssessment(r.Context(), a, id, in)
		if fe, ok := formErrors(err); ok {
			return "", assessmentErrors(fe, in, rows), nil
		}
		if err != nil {
			return "", nil, err
		}
		if as.Status == exportctl.AssessmentFinal {
			return fmt.Sprintf("Assessment finalised as version %d", as.Version), nil, nil
		}
		return fmt.Sprintf("Draft assessment saved as version %d", as.Version), nil, nil
	})
}

func (s *Server) finalAdviceSubmit(w http.ResponseWriter, r *http.Request) {
	ids := map[string]string{"recommendation": "fa-recommendation", "criteria": "fa-criteria", "conditions": "fa-conditions", "reasons": "fa-reasons"}
	s.caseCommand(w, r, ids, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		in := exportctl.FinalAdviceInput{Recommendation: r.PostFormValue("fa-recommendation"), Criteria: r.PostForm["fa-criteria"],
			Conditions: r.PostFormValue("fa-conditions"), Reasons: r.PostFormValue("fa-reasons")}
		if in.Recommendation == "" {
			return "", []fieldError{{"fa-recommendation", "Choose the recommendation"}}, nil
		}
		if in.Recommendation != exportctl.RecommendRefuse {
			in.Criteria = nil
		}
		fa, err := s.svc.SubmitFinalAdvice(r.Context(), a, id, in)
		if err != nil {
			return "", nil, err
		}
		msg := "Final advice submitted: it awaits a countersignature"
		if fa.Sensitive {
			msg = "Final advice submitted: the case is sensitive and needs two countersignatures, the second by a senior official"
		}
		return msg, nil, nil
	})
}

func (s *Server) countersignSubmit(w http.ResponseWriter, r *http.Request) {
	ids := map[string]string{"decision": "cs-decision", "reasons": "cs-reasons"}
	s.caseCommand(w, r, ids, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		in := exportctl.CountersignInput{Decision: r.PostFormValue("cs-decision"), Reasons: r.PostFormValue("cs-reasons")}
		if in.Decision == "" {
			return "", []fieldError{{"cs-decision", "Choose whether you approve or reject the final advice"}}, nil
		}
		cs, err := s.svc.Countersign(r.Context(), a, id, in)
		if err != nil {
			return "", nil, err
		}
		status := ""
		if app, err := s.svc.Application(r.Context(), a, id); err == nil {
			status = ": the case is now " + exportctl.Humanise(app.Status)
		}
		if !cs.Approved {
			return "Final advice rejected" + status, nil, nil
		}
		return fmt.Sprintf("Final advice countersigned (countersignature %d)%s", cs.Order, status), nil, nil
	})
}

func (s *Server) decisionSubmit(w http.ResponseWriter, r *http.Request) {
	ids := map[string]string{"departure.kind": "departure-kind", "departure.scope": "departure-scope", "departure.reasons": "departure-reasons"}
	s.caseCommand(w, r, ids, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		in := exportctl.DecisionInput{
			Outcome:       r.PostFormValue("outcome"),
			Criteria:      r.PostForm["criteria"],
			Reasons:       r.PostFormValue("reasons"),
			PublicReasons: r.PostFormValue("public_reasons"),
			ValidUntil:    strings.TrimSpace(r.PostFormValue("valid_until")),
		}
		// Criteria belong to a refusal and the end of validity to an issue;
		// the form hides the other branch, but its inputs are still sent.
		outcome := strings.TrimSpace(strings.ToLower(in.Outcome))
		if outcome != exportctl.OutcomeRefused {
			in.Criteria = nil
		}
		if outcome != exportctl.OutcomeIssued {
			in.ValidUntil = ""
		}
		if in.Criteria == nil {
			in.Criteria = []string{}
		}
		// The departure is sent only when its box is ticked.
		if r.PostFormValue("departure") == "yes" {
			in.Departure = &exportctl.DepartureInput{Kind: r.PostFormValue("departure-kind"), Scope: r.PostFormValue("departure-scope"), Reasons: r.PostFormValue("departure-reasons")}
		}
		app, err := s.svc.Decide(r.Context(), a, id, in)
		if err != nil {
			return "", nil, err
		}
		msg := "Decision recorded: no licence required"
		switch app.Outcome {
		case exportctl.OutcomeIssued:
			msg = "Decision recorded: licence issued"
		case exportctl.OutcomeRefused:
			msg = "Decision recorded: refused"
		}
		if in.Departure != nil {
			msg += ", recorded as a departure"
		}
		return msg, nil, nil
	})
}

func (s *Server) departureSubmit(w http.ResponseWriter, r *http.Request) {
	ids := map[string]string{"scope": "carve-scope", "reasons": "carve-reasons", "kind": "carve-scope"}
	s.caseCommand(w, r, ids, func(a exportctl.Actor, id int64) (string, []fieldError, error) {
		in := exportctl.DepartureInput{Kind: exportctl.DepartureCarveOut, Scope: r.PostFormValue("carve-scope"), Reasons: r.PostFormValue("carve-reasons")}
		if _, err := s.svc.RecordDeparture(r.Context(), a, id, in); err != nil {
			return "", nil, err
		}
		return "Carve-out recorded as a departure", nil, nil
	})
}

// recordView is the printable decision record.
type recordView struct {
	Rec               *exportctl.DecisionRecord
	App               *exportctl.Application
	EndUser           *exportctl.Party
	Advice            []adviceRow
	FinalAdvice       []finalAdviceRow
	Countersignatures []countersignRow
	History           []historyItem
	LicenceTypeTitles map[string]string
	Resolutions       []exportctl.CombinedAdvice // subjects whose conflict was resolved
}

func (s *Server) recordPage(w http.ResponseWriter, r *http.Request) {
	a, ok := requireUser(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	rec, err := s.svc.DecisionRecord(r.Context(), a, id)
	if err != nil {
		s.pageError(w, r, err)
		return
	}
	v := recordView{Rec: rec, App: rec.Application, EndUser: rec.Application.EndUser(), LicenceTypeTitles: exportctl.LicenceTypes,
		History: historyItemsLabelled(rec.History, subjectLabels(rec.CombinedAdvice))}
	v.Advice, v.FinalAdvice, v.Countersignatures = recordRows(rec)
	for _, c := range rec.CombinedAdvice {
		if c.Resolution != nil {
			v.Resolutions = append(v.Resolutions, c)
		}
	}
	s.renderFrame(w, r, http.StatusOK, "record", "print", pageData{Title: "Decision record " + rec.Application.Reference, Data: v})
}
