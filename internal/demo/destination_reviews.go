package demo

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

// determination is what the review records for the licence of one case.
type determination struct {
	determination, reasons, outcome, conditions, outcomeReasons string
	carveScope, carveReasons                                    string // for a licence found usable but maintained
}

// destinationReview is a review of the demo: its terms, what it
// determines for the licences of named cases, and how far it has got.
type destinationReview struct {
	destination, terms, lead string
	cutoffDays, deadlineDays int // before and after today
	milestones               []exportctl.MilestoneInput
	reached                  int                      // milestones reached (today)
	determinations           map[string]determination // by case key
	findings                 *exportctl.ReviewFindings
	approval, statement      string // empty: the review stops before that step
	// asOf, when set, is the day the review opened (the store's clock is
	// set to it and moves on for the later steps); otherwise today.
	asOf time.Time
}

// israelReview2024 is the completed review: four licences suspended, the
// F-35 components kept as a carve-out (a recorded departure), and the
// thermal-imaging cores found not usable in the conflict.
var israelReview2024 = destinationReview{
	destination: "IL", lead: "senior", cutoffDays: 3, deadlineDays: 60, asOf: israelReviewOpened,
	terms: "Following the OHCHR and UN Commission of Inquiry reports on the conduct of hostilities in Gaza, determine for every extant licence for Israel " +
		"whether the items could be used in the conflict, assess Israel's compliance with IHL in the three areas (conduct of hostilities, humanitarian relief " +
		"and access, treatment of detainees), and decide whether each licence is maintained, amended, suspended or revoked.",
	milestones: []exportctl.MilestoneInput{{Name: "FCDO IHL assessment update received"}, {Name: "Licence-by-licence determinations complete"}, {Name: "Outcome decided"}},
	reached:    3,
	determinations: map[string]determination{
		"northbridge-f16-israel": {determination: exportctl.DeterminationYes, outcome: exportctl.OutcomeSuspend,
			reasons:        "Landing-gear and flight-control spares keep the F-16I fleet flying; the fleet has flown strike missions over Gaza throughout the period reviewed.",
			outcomeReasons: fmt.Sprintf(israelReview, "components for military aircraft operated by the Israeli Air Force")},
		"northbridge-hermes-israel": {determination: exportctl.DeterminationYes, outcome: exportctl.OutcomeSuspend,
			reasons:        "Engine spares for the Hermes 450, used for surveillance and target acquisition over Gaza.",
			outcomeReasons: fmt.Sprintf(israelReview, "components for unmanned aerial vehicles operated by the Israeli Air Force")},
		"harrow-targeting-pod-israel": {determination: exportctl.DeterminationYes, outcome: exportctl.OutcomeSuspend,
			reasons:        "Targeting-pod components facilitate the identification and engagement of targets in air strikes.",
			outcomeReasons: fmt.Sprintf(israelReview, "items that facilitate ground targeting")},
		"harrow-merkava-israel": {determination: exportctl.DeterminationYes, outcome: exportctl.OutcomeSuspend,
			reasons:        "Merkava components: the tanks have operated in Gaza since the ground operation began.",
			outcomeReasons: fmt.Sprintf(israelReview, "components for ground vehicles used in the conflict")},
		"northbridge-f35-israel-direct": {determination: exportctl.DeterminationYes, outcome: exportctl.OutcomeMaintain,
			reasons:        "F-35 airframe spares reach the F-35I fleet, which has taken part in operations over Gaza.",
			outcomeReasons: "Proposed carve-out: suspending F-35 components would not stop spares reaching the fleet through the programme's global pool, and would disrupt a supply chain the UK's partners depend on.",
			carveScope:     "F-35 components for the Israeli Air Force's F-35I fleet, supplied directly or drawn from the programme's shared pool",
			carveReasons: "The F-35 programme's supply chain is global and indivisible: spares cannot be withheld from one operator without affecting all partners, including NATO allies. " +
				"The decision maker departs from the review's determination on grounds of international peace and security; the departure is published as such."},
		"harrow-thermal-israel-incorporation": {determination: exportctl.DeterminationNo, outcome: exportctl.OutcomeMaintain,
			reasons: "The cores are incorporated into sights exported onward to the Netherlands and Germany; delivery records confirm it and the consignee undertakes that none go to the Israel Defense Forces."},
	},
	findings: &exportctl.ReviewFindings{
		ConductOfHostilities: "Serious concerns: repeated strikes on hospitals, shelters and residential buildings with heavy civilian harm, and too little information from Israel to judge precautions and proportionality in them.",
		HumanitarianAccess:   "Israel has not met its obligations to facilitate humanitarian relief: crossings closed or restricted for long periods, aid convoys impeded and aid workers killed.",
		Detainees:            "Credible reports of ill-treatment of detainees and no access for the ICRC; Israel has not answered the concerns raised.",
	},
	approval: "The clear-risk test under Criterion 2c is met for licences whose items could be used in the conflict. Four are suspended; the F-35 components are kept, as a departure with its reasons.",
	statement: "The review of Israel's compliance with international humanitarian law is complete. Of six extant licences, four are suspended: components for military aircraft, " +
		"for unmanned aerial vehicles, for targeting and for ground vehicles. F-35 components are excluded from the suspension as a recorded departure, because the programme's " +
		"supply chain cannot be divided between operators. Imaging cores incorporated into sights for NATO armies could not be used in the conflict and remain licensed.",
}

// saudiReview is in progress: opened, one determination recorded, the
// first milestone reached.
var saudiReview = destinationReview{
	destination: "SA", lead: "officer", cutoffDays: 1, deadlineDays: 45,
	terms: "Reassess the extant licences for Saudi Arabia in the light of the evidence register's incidents in Yemen attributed to the coalition's air forces: could the items be " +
		"used in the conflict, and is there a clear risk under Criterion 2c?",
	milestones: []exportctl.MilestoneInput{{Name: "Evidence from the register reviewed"}, {Name: "FCDO and MOD advice"}, {Name: "Outcome proposed to the minister"}},
	reached:    1,
	determinations: map[string]determination{
		"northbridge-hawk-saudi": {determination: exportctl.DeterminationUnclear, outcome: exportctl.OutcomeAmend,
			conditions:     "No shipments for aircraft based at airfields from which strikes in Yemen were flown",
			reasons:        "Hawk spares keep a training fleet flying; whether Hawks have a light-attack role in Yemen is being checked against the register and with the MOD.",
			outcomeReasons: "Proposed amendment pending the MOD's advice on where the Hawks are based and how they are used."},
	},
}

// seedReviews runs the demo's reviews: the completed review of Israel and
// the review of Saudi Arabia in progress. licences maps case keys to their
// licence ids.
// The Israel cases the 2024 review re-examined were decided in the summer
// of 2023, before the conflict in Gaza, for the five years of their support
// contracts; the review opened in August 2024. So its exposure analysis
// links them to the incidents recorded in between, as it would have.
var (
	israelCasesDecided = time.Date(2023, 6, 5, 10, 0, 0, 0, time.UTC)
	israelReviewOpened = time.Date(2024, 8, 12, 10, 0, 0, 0, time.UTC)
)

// backdateReviewedCases dates the cases of the Israel review a week apart
// from israelCasesDecided, each licence valid for five years.
func backdateReviewedCases(cs []caseSpec) {
	n := 0
	for i := range cs {
		if _, ok := israelReview2024.determinations[cs[i].key]; ok {
			cs[i].asOf = israelCasesDecided.AddDate(0, 0, 7*n)
			cs[i].validUntil = cs[i].asOf.AddDate(5, 0, 0).Format(time.DateOnly)
			n++
		}
	}
}

func seedReviews(ctx context.Context, s *store.Store, actors map[string]exportctl.Actor, licences map[string]int64) error {
	for _, rv := range []destinationReview{israelReview2024, saudiReview} {
		if err := rv.run(ctx, s, actors, licences); err != nil {
			return fmt.Errorf("demo: review of %s: %w", exportctl.CountryName(rv.destination), err)
		}
	}
	return nil
}

func (rv destinationReview) run(ctx context.Context, s *store.Store, actors map[string]exportctl.Actor, licences map[string]int64) error {
	// at moves a backdated review's clock on by days; a review of today
	// keeps the clock.
	at := func(days int) {}
	if !rv.asOf.IsZero() {
		prev := s.SetClock(nil)
		defer func() { s.SetClock(prev) }()
		at = func(days int) { t := rv.asOf.AddDate(0, 0, days); s.SetClock(func() time.Time { return t }) }
		at(0)
	}
	today := s.Now().UTC()
	officer, senior, minister := actors["officer"], actors["senior"], actors["minister"]
	in := exportctl.ReviewInput{Destination: rv.destination, TermsOfReference: rv.terms, LeadID: actors[rv.lead].UserID,
		EvidenceCutoff: today.AddDate(0, 0, -rv.cutoffDays).Format(time.DateOnly), Deadline: today.AddDate(0, 0, rv.deadlineDays).Format(time.DateOnly)}
	for i, m := range rv.milestones {
		m.Due = today.AddDate(0, 0, (i+1)*rv.deadlineDays/(len(rv.milestones)+1)).Format(time.DateOnly)
		in.Milestones = append(in.Milestones, m)
	}
	r, err := s.OpenReview(ctx, senior, in)
	if err != nil {
		return err
	}
	for i := range rv.reached {
		at(7 * (i + 1))
		if _, err := s.CompleteMilestone(ctx, officer, r.ID, r.Milestones[i].ID, ""); err != nil {
			return err
		}
	}
	var carve []exportctl.CarveOutInput
	for _, key := range slices.Sorted(maps.Keys(rv.determinations)) {
		d := rv.determinations[key]
		id, ok := licences[key]
		if !ok || id == 0 {
			return fmt.Errorf("case %s issued no licence", key)
		}
		if _, err := s.RecordDetermination(ctx, officer, r.ID, exportctl.DeterminationInput{LicenceID: id, Determination: d.determination,
			DeterminationReasons: d.reasons, Outcome: d.outcome, Conditions: d.conditions, OutcomeReasons: d.outcomeReasons}); err != nil {
			return fmt.Errorf("%s: %w", key, err)
		}
		if d.carveScope != "" {
			carve = append(carve, exportctl.CarveOutInput{LicenceID: id, Scope: d.carveScope, Reasons: d.carveReasons})
		}
	}
	if rv.findings == nil {
		return nil
	}
	if _, err := s.RecordFindings(ctx, officer, r.ID, *rv.findings); err != nil {
		return err
	}
	if rv.approval == "" {
		return nil
	}
	if _, err := s.ProposeOutcome(ctx, officer, r.ID); err != nil {
		return err
	}
	at(7*rv.reached + 3)
	if _, err := s.ApproveOutcome(ctx, minister, r.ID, exportctl.ApproveInput{Reasons: rv.approval, CarveOuts: carve}); err != nil {
		return err
	}
	at(7*rv.reached + 5)
	_, err = s.PublishReview(ctx, senior, r.ID, exportctl.StatementInput{Statement: rv.statement})
	return err
}
