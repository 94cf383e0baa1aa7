package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

// seedConcerns raises concerns in several states, each recorded as of the
// day it happened (the store's clock is set back, then restored), and runs
// the clocks once: one concern nobody acknowledged is escalated for the
// missed deadline; one response is contested; one reporter flagged
// retaliation; one concern was answered and accepted. It returns the
// receipt code of the contested concern, for the person trying the demo.
func seedConcerns(ctx context.Context, s *store.Store, actors map[string]exportctl.Actor, licenceIDs []int64) (string, string, error) {
	realNow := s.Now()
	clock := s.SetClock(nil) // set for each step below
	defer func() { s.SetClock(clock) }()
	at := func(daysAgo int) { t := realNow.AddDate(0, 0, -daysAgo); s.SetClock(func() time.Time { return t }) }
	link := func(i int) int64 {
		if i < len(licenceIDs) {
			return licenceIDs[i]
		}
		return 0
	}
	handler := actors["handler"]
	type step func() error
	run := func(what string, steps ...step) error {
		for _, st := range steps {
			if err := st(); err != nil {
				return fmt.Errorf("demo: concern %q: %w", what, err)
			}
		}
		return nil
	}
	var contestedCode, contestedRef string
	var rec *exportctl.ConcernReceipt
	submit := func(in exportctl.ConcernInput, a exportctl.Actor) step {
		return func() (err error) { rec, err = s.SubmitConcern(ctx, a, in); return err }
	}
	ack := func(by exportctl.Actor, msg string) step {
		return func() error { return s.AcknowledgeConcern(ctx, by, rec.ID, msg) }
	}
	respond := func(by exportctl.Actor, in exportctl.ConcernResponseInput) step {
		return func() error { _, err := s.RespondToConcern(ctx, by, rec.ID, in); return err }
	}
	reporter := func() exportctl.ConcernReporter { return exportctl.ConcernReporter{Code: rec.Code} }
	day := func(n int) step { return func() error { at(n); return nil } }

	// 1. Answered and accepted: closed by the reporter's acceptance.
	if err := run("accepted",
		day(120), submit(exportctl.ConcernInput{
			Summary:      "End-user certificate for the Riyadh consignee was signed after the licence was issued",
			Details:      "The end-user undertaking on file is dated two days after the issue date shown on the licence.",
			Points:       []string{"Was the licence issued without a signed end-user undertaking?", "Has the consignee's undertaking been checked since?"},
			ConcernLinks: exportctl.ConcernLinks{LicenceID: link(0)},
		}, exportctl.Actor{}),
		day(117), ack(handler, "Thank you for your report. I am the handler and will answer within three months."),
		day(80), respond(handler, exportctl.ConcernResponseInput{
			Findings: []string{
				"The licence was issued on the strength of a scanned undertaking; the signed original arrived two days later and matches it.",
				"The consignee's undertaking was verified with the embassy on 14 March and found genuine.",
			},
			Action:  "Case officers must now record the date the signed original is received before final advice.",
			Grounds: "The criteria require a reliable end-user undertaking; a scan later matched by the original met that, but the record must show it.",
		}),
		day(75), func() error { return s.AcceptConcernResponse(ctx, reporter()) },
	); err != nil {
		return "", "", err
	}

	// 2. Contested: answered, contested by the reporter, escalated to the
	// nominated officer; the reporter also flagged retaliation.
	if err := run("contested",
		day(60), submit(exportctl.ConcernInput{
			Summary:      "The IHL assessment ignored strike reports received before its cut-off date",
			Details:      "Three reports of strikes on clinics were registered before the evidence cut-off but do not appear in the assessment's evidence.",
			Points:       []string{"Why were the three reports not considered?", "Will the assessment be redone?"},
			Identity:     "A member of the case team (name and contact given to the custodian)",
			ConcernLinks: exportctl.ConcernLinks{LicenceID: link(1)},
		}, exportctl.Actor{}),
		day(58), ack(handler, ""),
		day(30), respond(handler, exportctl.ConcernResponseInput{
			Findings: []string{
				"The reports were registered before the cut-off but were tagged to the wrong country and so were not found by the officer's search.",
				"The assessment will not be redone: the officer judged that the reports would not have changed the finding under criterion 2c.",
			},
			Action:  "The three reports were re-tagged and the tagging error reported to the analysts' team lead.",
			Grounds: "A misfiled report is a defect in the register; the finding itself rests on the wider pattern, which the assessment records.",
		}),
		day(12), func() error {
			contestedCode, contestedRef = rec.Code, rec.Reference
			return s.ContestConcernResponse(ctx, reporter(), "The response says the reports would not have changed the finding, but nobody read them: the assessment must be redone with them.")
		},
		day(9), func() error {
			return s.FlagRetaliation(ctx, reporter(), "Since raising this concern I have been moved off the team's IHL assessments without explanation.")
		},
	); err != nil {
		return "", "", err
	}

	// 3. Answered, waiting for the reporter, raised with a name by a staff member.
	if err := run("named",
		day(40), submit(exportctl.ConcernInput{
			Summary: "MOD advice was replaced after the decision without a record of why",
			Details: "On a case I advised on, the MOD advice shown in the decision record differs from the advice I gave, and there is no resolution recorded.",
			Points:  []string{"Who replaced the advice, and when?", "Did the decision maker see the original advice?"},
			Named:   true,
		}, actors["mod"]),
		day(39), ack(handler, ""),
		day(6), respond(handler, exportctl.ConcernResponseInput{
			Findings: []string{
				"The advice was superseded by your own team's later advice entered under a colleague's account on 2 May; the record shows both.",
				"The decision maker's record shows the later advice only; the original was visible in the advice history.",
			},
			Action:  "Shared team accounts were withdrawn; each adviser now signs in as themselves.",
			Grounds: "Advice must be attributable to the adviser who gave it; a shared account defeats that.",
		}),
	); err != nil {
		return "", "", err
	}

	// 4. Nobody acknowledged it: the tick below escalates it for the missed deadline.
	if err := run("missed", day(11), submit(exportctl.ConcernInput{
		Summary: "Licence conditions on night-vision equipment are not being checked",
		Details: "The compliance visits required by the licence conditions for the night-vision equipment have not happened this year.",
		Points:  []string{"Have the compliance visits taken place?", "Who is responsible for scheduling them?"},
	}, exportctl.Actor{})); err != nil {
		return "", "", err
	}

	// 5. Just received, within its clock.
	if err := run("new", day(1), submit(exportctl.ConcernInput{
		Summary:      "A denial notification from an EU partner was not matched against a pending case",
		Details:      "A notified denial for the same consignee and goods arrived last week, but the pending case shows no match.",
		Points:       []string{"Was the denial matched against the pending case?"},
		ConcernLinks: exportctl.ConcernLinks{LicenceID: link(2)},
	}, exportctl.Actor{})); err != nil {
		return "", "", err
	}
	s.SetClock(clock)
	if _, err := s.Tick(ctx, realNow); err != nil {
		return "", "", fmt.Errorf("demo: concern clocks: %w", err)
	}
	return contestedRef, contestedCode, nil
}
