package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

// caseSpec is one application of the scenario and what happens to it.
type caseSpec struct {
	key      string // names the case in errors
	exporter string // the exporter's username
	in       exportctl.ApplicationInput
	review   review // what the advisers and the case officer say about it
	path     []step
	later    []licenceStep // applied to the licence after every case has run
	// asOf, when set, backdates the whole case (the store's clock is set
	// to it), and validUntil gives its licence a validity of its own.
	asOf       time.Time
	validUntil string
}

// licenceStep changes an issued licence. by empty means the exporter.
type licenceStep struct{ action, by, reasons string }

// run is one case on its way along its path.
type run struct {
	ctx    context.Context
	s      *store.Store
	actors map[string]exportctl.Actor
	c      *caseSpec
	// officer assesses the case and writes its final advice; other
	// countersigns it.
	officer, other string
	app            *exportctl.Application
}

// as returns the actor of a demo username.
func (r *run) as(username string) (exportctl.Actor, error) {
	a, ok := r.actors[username]
	if !ok {
		return exportctl.Actor{}, fmt.Errorf("unknown user %q", username)
	}
	return a, nil
}

// reload refreshes the application after a command that does not return it.
func (r *run) reload() error {
	a, err := r.as(r.officer)
	if err != nil {
		return err
	}
	app, err := r.s.Application(r.ctx, a, r.app.ID)
	if err != nil {
		return err
	}
	r.app = app
	return nil
}

// step is one thing that happens to a case: a workflow action, advice, an
// assessment, a countersignature or a decision.
type step struct {
	name string
	do   func(r *run) error
}

// runCase drafts one application and walks it along its path. It returns
// the licence id when the case ended with a licence.
func runCase(ctx context.Context, s *store.Store, actors map[string]exportctl.Actor, c *caseSpec, officer, other string) (int64, error) {
	exporter, ok := actors[c.exporter]
	if !ok {
		return 0, fmt.Errorf("demo: %s: unknown exporter %q", c.key, c.exporter)
	}
	if !c.asOf.IsZero() {
		at := c.asOf
		prev := s.SetClock(func() time.Time { return at })
		defer func() { s.SetClock(prev) }()
	}
	app, err := s.CreateApplication(ctx, exporter, c.in)
	if err != nil {
		return 0, fmt.Errorf("demo: %s: create: %w", c.key, err)
	}
	r := &run{ctx: ctx, s: s, actors: actors, c: c, officer: officer, other: other, app: app}
	for n, st := range c.path {
		if err := st.do(r); err != nil {
			return 0, fmt.Errorf("demo: %s (%s): step %d, %s: %w", c.key, r.app.Reference, n+1, st.name, err)
		}
	}
	return r.app.LicenceID, nil
}

// path joins groups of steps.
func path(groups ...[]step) []step {
	var out []step
	for _, g := range groups {
		out = append(out, g...)
	}
	return out
}

func steps(s ...step) []step { return s }

// upTo returns the ordinary path from draft to the state: both teams
// advise on everything before final review, the case officer finalises the
// assessment and submits final advice, and the countersigners approve it.
func upTo(status string) []step {
	all := []step{submit, beginChecks, startReview, advise(), finalReview, assess(), finalAdvice(), countersign()}
	n := map[string]int{
		exportctl.StatusDraft:            0,
		exportctl.StatusSubmitted:        1,
		exportctl.StatusInitialChecks:    2,
		exportctl.StatusUnderReview:      3,
		exportctl.StatusUnderFinalReview: 5,
		exportctl.StatusCountersigning:   7,
		exportctl.StatusAwaitingDecision: 8,
	}
	i, ok := n[status]
	if !ok {
		panic("demo: no ordinary path to " + status)
	}
	return all[:i]
}

// decided is the whole ordinary path ending in the minister's decision.
func decided(decision step) []step {
	return path(upTo(exportctl.StatusAwaitingDecision), steps(decision))
}

// Workflow actions. Applicant actions are the exporter's, the rest the
// case officer's.

func transition(action, note string) step {
	return step{name: action, do: func(r *run) error {
		by := r.officer
		switch action {
		case exportctl.ActSubmit, exportctl.ActWithdraw, exportctl.ActAppeal:
			by = r.c.exporter
		}
		a, err := r.as(by)
		if err != nil {
			return err
		}
		app, err := r.s.Transition(r.ctx, a, r.app.ID, action, note)
		if err != nil {
			return fmt.Errorf("by %s: %w", by, err)
		}
		r.app = app
		return nil
	}}
}

var (
	submit      = transition(exportctl.ActSubmit, "")
	beginChecks = transition(exportctl.ActBeginChecks, "")
	startReview = transition(exportctl.ActStartReview, "")
	finalReview = transition(exportctl.ActFinalReview, "")
)

func returnToApplicant(note string) step { return transition(exportctl.ActReturn, note) }
func resubmit(note string) step          { return transition(exportctl.ActSubmit, note) }
func withdraw(note string) step          { return transition(exportctl.ActWithdraw, note) }
func appeal(note string) step            { return transition(exportctl.ActAppeal, note) }

// Advice.

// advise has both teams give their advice on every good and party.
func advise() step {
	return step{name: "advice", do: func(r *run) error {
		for _, team := range []string{"FCDO", "MOD"} {
			if err := r.advise(team); err != nil {
				return err
			}
		}
		return nil
	}}
}

// adviseBy has one team advise, the other not yet.
func adviseBy(team string) step {
	return step{name: team + " advice", do: func(r *run) error { return r.advise(team) }}
}

// resolve has the senior official resolve every conflicting piece of
// advice the same way, with reasons (and the conditions of a proviso).
func resolve(result, conditions, reasons string) step {
	return step{name: "resolution of conflicting advice", do: func(r *run) error {
		senior, err := r.as("senior")
		if err != nil {
			return err
		}
		combined, err := r.s.CombinedAdvice(r.ctx, senior, r.app.ID)
		if err != nil {
			return err
		}
		n := 0
		for _, c := range combined {
			if c.Result != exportctl.AdviceConflicting {
				continue
			}
			in := exportctl.ResolutionInput{Subject: c.Subject, SubjectID: c.SubjectID, Result: result, Conditions: conditions, Reasons: reasons}
			if _, err := r.s.ResolveConflict(r.ctx, senior, r.app.ID, in); err != nil {
				return fmt.Errorf("%s: %w", c.Label, err)
			}
			n++
		}
		if n == 0 {
			return fmt.Errorf("no conflicting advice to resolve")
		}
		return nil
	}}
}

// Assessment and final advice, by the case officer.

// assess saves the final assessment of the case's review.
func assess() step {
	return step{name: "final assessment", do: func(r *run) error { return r.saveAssessment(r.assessment(true, nil)) }}
}

// assessDraft saves a draft: the case-specific findings written so far.
func assessDraft() step {
	return step{name: "draft assessment", do: func(r *run) error { return r.saveAssessment(r.assessment(false, nil)) }}
}

// reassess saves a new final version with some findings changed (on appeal).
func reassess(changed ...exportctl.Finding) step {
	return step{name: "reassessment", do: func(r *run) error { return r.saveAssessment(r.assessment(true, changed)) }}
}

// reassessDraft saves a new draft version holding only the changed findings.
func reassessDraft(changed ...exportctl.Finding) step {
	return step{name: "draft reassessment", do: func(r *run) error {
		in := r.assessment(false, nil)
		in.Findings = changed
		return r.saveAssessment(in)
	}}
}

func (r *run) saveAssessment(in exportctl.AssessmentInput) error {
	a, err := r.as(r.officer)
	if err != nil {
		return err
	}
	if _, err := r.s.SaveAssessment(r.ctx, a, r.app.ID, in); err != nil {
		return fmt.Errorf("by %s: %w", r.officer, err)
	}
	return nil
}

// finalAdvice submits the review's final advice (derived from the advice
// and the assessment where the scenario leaves parts of it out).
func finalAdvice() step {
	return step{name: "final advice", do: func(r *run) error {
		in, err := r.finalAdviceInput()
		if err != nil {
			return err
		}
		return r.submitFinalAdvice(in)
	}}
}

// finalAdviceAs submits the given final advice instead.
func finalAdviceAs(in exportctl.FinalAdviceInput) step {
	return step{name: "final advice", do: func(r *run) error { return r.submitFinalAdvice(in) }}
}

func (r *run) submitFinalAdvice(in exportctl.FinalAdviceInput) error {
	a, err := r.as(r.officer)
	if err != nil {
		return err
	}
	if _, err := r.s.SubmitFinalAdvice(r.ctx, a, r.app.ID, in); err != nil {
		return fmt.Errorf("by %s: %w", r.officer, err)
	}
	return r.reload()
}

// Countersigning.

// countersign has the other case officer approve the final advice, then
// the senior official too if the case is sensitive.
func countersign() step {
	return step{name: "countersignature", do: func(r *run) error {
		for _, by := range []string{r.other, "senior"} {
			if r.app.Status != exportctl.StatusCountersigning {
				return nil
			}
			reasons := checked
			if by == "senior" {
				reasons = checkedSensitive
			}
			if err := r.countersign(by, "approve", reasons); err != nil {
				return err
			}
		}
		if r.app.Status == exportctl.StatusCountersigning {
			return fmt.Errorf("still awaiting a countersignature after the senior official's")
		}
		return nil
	}}
}

// countersignFirst has only the other case officer approve, leaving a
// sensitive case waiting for the senior official.
func countersignFirst() step {
	return step{name: "first countersignature", do: func(r *run) error { return r.countersign(r.other, "approve", checked) }}
}

// What countersigners say when they approve.
const (
	checked          = "Checked against the advice and the assessment: the recommendation follows from them and the reasons are adequate."
	checkedSensitive = "Second countersignature on a sensitive case: the findings on the points that make it sensitive are reasoned and evidenced, and the recommendation follows from them."
)

// rejectCountersign rejects the final advice, with reasons.
func rejectCountersign(by, reasons string) step {
	return step{name: "rejected countersignature", do: func(r *run) error { return r.countersign(by, "reject", reasons) }}
}

func (r *run) countersign(by, decision, reasons string) error {
	a, err := r.as(by)
	if err != nil {
		return err
	}
	if _, err := r.s.Countersign(r.ctx, a, r.app.ID, exportctl.CountersignInput{Decision: decision, Reasons: reasons}); err != nil {
		return fmt.Errorf("%s by %s: %w", decision, by, err)
	}
	return r.reload()
}

// Decisions, by the minister.

func decide(name string, d exportctl.DecisionInput) step {
	return step{name: name, do: func(r *run) error {
		a, err := r.as("minister")
		if err != nil {
			return err
		}
		d := d
		d.Criteria = append([]string(nil), d.Criteria...)
		if d.Outcome == exportctl.OutcomeIssued {
			d.ValidUntil = r.c.validUntil
		}
		if d.Departure != nil {
			dep := *d.Departure
			d.Departure = &dep
		}
		app, err := r.s.Decide(r.ctx, a, r.app.ID, d)
		if err != nil {
			return err
		}
		r.app = app
		return nil
	}}
}

func issue(reasons string) step {
	return decide("decision to issue", exportctl.DecisionInput{Outcome: exportctl.OutcomeIssued, Reasons: reasons})
}

// issueDeparting issues against the record (an adverse finding or advice
// to refuse): the departure is recorded as its own decision.
func issueDeparting(reasons string, d exportctl.DepartureInput) step {
	return decide("decision to issue as a departure", exportctl.DecisionInput{Outcome: exportctl.OutcomeIssued, Reasons: reasons, Departure: &d})
}

func refuse(criteria []string, reasons string) step {
	return decide("decision to refuse", exportctl.DecisionInput{Outcome: exportctl.OutcomeRefused, Criteria: criteria, Reasons: reasons})
}

func nlr(reasons string) step {
	return decide("decision that no licence is required", exportctl.DecisionInput{Outcome: exportctl.OutcomeNLR, Reasons: reasons})
}

// Licence actions, applied after every case has run.

func suspend(by, reasons string) licenceStep { return licenceStep{exportctl.ActSuspend, by, reasons} }
func reinstate(by, reasons string) licenceStep {
	return licenceStep{exportctl.ActReinstate, by, reasons}
}
func revoke(by, reasons string) licenceStep { return licenceStep{exportctl.ActRevoke, by, reasons} }
func surrender(reasons string) licenceStep  { return licenceStep{exportctl.ActSurrender, "", reasons} }

// Input builders.

func good(desc, rating string, qty float64, unit string, gbp float64, componentOf string) exportctl.GoodInput {
	return exportctl.GoodInput{Description: desc, Rating: rating, Quantity: qty, Unit: unit, ValueGBP: &gbp, ComponentOf: componentOf}
}

func endUser(name, country, typ, desc string) exportctl.PartyInput {
	return exportctl.PartyInput{Role: exportctl.PartyEndUser, Name: name, Country: country, Type: typ, Description: desc}
}

func consignee(name, address, country string) exportctl.PartyInput {
	return exportctl.PartyInput{Role: exportctl.PartyConsignee, Name: name, Address: address, Country: country, Type: "commercial"}
}

func party(role, name, address, country, typ, desc string) exportctl.PartyInput {
	return exportctl.PartyInput{Role: role, Name: name, Address: address, Country: country, Type: typ, Description: desc}
}

func application(licenceType, exportType, endUse string, goods []exportctl.GoodInput, parties ...exportctl.PartyInput) exportctl.ApplicationInput {
	return exportctl.ApplicationInput{LicenceType: licenceType, ExportType: exportType, EndUse: endUse, Goods: goods, Parties: parties}
}

func goods(g ...exportctl.GoodInput) []exportctl.GoodInput { return g }
