package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

func init() {
	commands["review"] = command{"destination reviews: review open|list|show|determine|findings|milestone|propose|approve|publish|tasks|close-task (as EXPORTCTL_TOKEN's user)", cmdReview}
}

const reviewUsage = `usage: exportctl review SUBCOMMAND [flags]

Every subcommand acts as the user whose API token is in EXPORTCTL_TOKEN; the
store checks the role (officials record, only a decision maker approves).

  list [--status S] [--destination CC]
  show ID [--format text|json]
  open --destination CC [--end-user NAME] --terms TEXT --lead USERNAME --cutoff DATE --deadline DATE [--milestone NAME=DATE]...
  determine ID --licence REF --determination yes|no|unclear --reasons TEXT --outcome maintain|amend|suspend|revoke [--conditions TEXT] [--outcome-reasons TEXT]
  findings ID --conduct TEXT --access TEXT --detainees TEXT
  milestone ID --name NAME --due DATE | milestone ID --done MILESTONE_ID [--on DATE]
  propose ID
  approve ID --reasons TEXT [--carve-out "REF|SCOPE|REASONS"]...
  publish ID --statement TEXT | --statement-file FILE
  tasks [--status open|closed]
  close-task ID --decision no_action --reasons TEXT | --decision review --review ID
`

// repeated is a flag that may be given several times.
type repeated []string

func (r *repeated) String() string     { return strings.Join(*r, ", ") }
func (r *repeated) Set(v string) error { *r = append(*r, v); return nil }

func cmdReview(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" {
		fmt.Fprint(e.stderr, reviewUsage)
		if len(args) == 0 {
			return usagef("name a subcommand")
		}
		return flag.ErrHelp
	}
	sub, args := args[0], args[1:]
	fs := newFlags(e, "review "+sub, "(see exportctl review -h)")
	db := dbFlag(e, fs)
	var (
		status, destination, endUser, terms, lead, cutoff, deadline, format  string
		licence, determination, reasons, outcome, conditions, outcomeReasons string
		conduct, access, detainees, name, due, on, statement, statementFile  string
		decision                                                             string
		done, reviewID                                                       int64
		milestones, carveOuts                                                repeated
	)
	switch sub {
	case "list":
		fs.StringVar(&status, "status", "", "open, in_progress, proposed, approved or published")
		fs.StringVar(&destination, "destination", "", "ISO 3166-1 alpha-2")
	case "show":
		fs.StringVar(&format, "format", "text", "text or json")
	case "open":
		fs.StringVar(&destination, "destination", "", "ISO 3166-1 alpha-2")
		fs.StringVar(&endUser, "end-user", "", "for an end-user review: part of the end user's name")
		fs.StringVar(&terms, "terms", "", "terms of reference")
		fs.StringVar(&lead, "lead", "", "username of the lead")
		fs.StringVar(&cutoff, "cutoff", "", "evidence cut-off (YYYY-MM-DD)")
		fs.StringVar(&deadline, "deadline", "", "deadline (YYYY-MM-DD)")
		fs.Var(&milestones, "milestone", "NAME=YYYY-MM-DD (repeatable)")
	case "determine":
		fs.StringVar(&licence, "licence", "", "licence reference (or id) in the review's scope")
		fs.StringVar(&determination, "determination", "", "could the items be used in the conflict: yes, no or unclear")
		fs.StringVar(&reasons, "reasons", "", "reasons for the determination")
		fs.StringVar(&outcome, "outcome", "", "maintain, amend, suspend or revoke")
		fs.StringVar(&conditions, "conditions", "", "conditions an amendment adds")
		fs.StringVar(&outcomeReasons, "outcome-reasons", "", "reasons for the outcome")
	case "findings":
		fs.StringVar(&conduct, "conduct", "", "conduct of hostilities")
		fs.StringVar(&access, "access", "", "humanitarian relief and access")
		fs.StringVar(&detainees, "detainees", "", "treatment of detainees")
	case "milestone":
		fs.StringVar(&name, "name", "", "a new milestone's name")
		fs.StringVar(&due, "due", "", "a new milestone's due date")
		fs.Int64Var(&done, "done", 0, "the id of a milestone reached")
		fs.StringVar(&on, "on", "", "the date it was reached (default today)")
	case "propose":
	case "approve":
		fs.StringVar(&reasons, "reasons", "", "reasons for approving")
		fs.Var(&carveOuts, "carve-out", `"LICENCE_REF|SCOPE|REASONS" for a licence determined usable but maintained (repeatable)`)
	case "publish":
		fs.StringVar(&statement, "statement", "", "the public statement")
		fs.StringVar(&statementFile, "statement-file", "", "read the statement from this file")
	case "tasks":
		fs.StringVar(&status, "status", "", "open or closed")
	case "close-task":
		fs.StringVar(&decision, "decision", "", "no_action or review")
		fs.StringVar(&reasons, "reasons", "", "the reasons (required for no_action)")
		fs.Int64Var(&reviewID, "review", 0, "the review that answers the task")
	default:
		fmt.Fprint(e.stderr, reviewUsage)
		return usagef("unknown subcommand %q", sub)
	}
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	wantIDs := map[string]int{"list": 0, "tasks": 0, "open": 0}
	n, ok := wantIDs[sub]
	if !ok {
		n = 1
	}
	if len(pos) != n {
		return usagef("review %s takes %d argument(s), got %d", sub, n, len(pos))
	}
	var id int64
	if n == 1 {
		if id, err = strconv.ParseInt(pos[0], 10, 64); err != nil || id <= 0 {
			return usagef("%q is not an id", pos[0])
		}
	}
	tok := e.getenv("EXPORTCTL_TOKEN")
	if tok == "" {
		return usagef("set EXPORTCTL_TOKEN to your API token: reviews are read and changed as a user in a role")
	}
	s, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	a, err := s.TokenActor(ctx, tok)
	if err != nil {
		return err
	}
	out := e.stdout
	switch sub {
	case "list":
		page, err := s.Reviews(ctx, a, exportctl.ReviewFilter{Status: status, Destination: destination, Limit: 200})
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tREFERENCE\tDESTINATION\tSTATUS\tLICENCES\tDETERMINED\tDEADLINE\tLEAD")
		for _, r := range page.Items {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%s\t%s\n", r.ID, r.Reference, r.Destination, r.Status, r.Licences, r.Determined, r.Deadline, r.Lead)
		}
		return tw.Flush()
	case "show":
		r, err := s.Review(ctx, a, id)
		if err != nil {
			return err
		}
		if format == "json" {
			enc := json.NewEncoder(out)
			enc.SetIndent("", "  ")
			return enc.Encode(r)
		}
		printReview(e, r)
		return nil
	case "open":
		in := exportctl.ReviewInput{Destination: destination, EndUser: endUser, TermsOfReference: terms, EvidenceCutoff: cutoff, Deadline: deadline}
		if endUser != "" {
			in.Kind = exportctl.ReviewEndUser
		}
		leads, err := s.ReviewLeads(ctx, a)
		if err != nil {
			return err
		}
		for _, u := range leads {
			if u.Username == lead {
				in.LeadID = u.ID
			}
		}
		if in.LeadID == 0 {
			return usagef("--lead: %q is not an active case officer, senior official or decision maker", lead)
		}
		for _, m := range milestones {
			n, d, ok := strings.Cut(m, "=")
			if !ok {
				return usagef("--milestone: %q is not NAME=YYYY-MM-DD", m)
			}
			in.Milestones = append(in.Milestones, exportctl.MilestoneInput{Name: n, Due: d})
		}
		r, err := s.OpenReview(ctx, a, in)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "opened review %d (%s) of %s with %d licence(s) in scope\n", r.ID, r.Reference, exportctl.CountryName(r.Destination), len(r.Licences))
		return nil
	case "determine":
		r, err := s.Review(ctx, a, id)
		if err != nil {
			return err
		}
		lid := scopeLicence(r, licence)
		if lid == 0 {
			return usagef("--licence: %q is not in the scope of review %s", licence, r.Reference)
		}
		l, err := s.RecordDetermination(ctx, a, id, exportctl.DeterminationInput{LicenceID: lid, Determination: determination, DeterminationReasons: reasons,
			Outcome: outcome, Conditions: conditions, OutcomeReasons: outcomeReasons})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "licence %s: could be used %s; proposed outcome %s\n", l.Reference, l.Determination, l.Outcome)
		return nil
	case "findings":
		if _, err := s.RecordFindings(ctx, a, id, exportctl.ReviewFindings{ConductOfHostilities: conduct, HumanitarianAccess: access, Detainees: detainees}); err != nil {
			return err
		}
		fmt.Fprintln(out, "findings recorded")
		return nil
	case "milestone":
		if done != 0 {
			m, err := s.CompleteMilestone(ctx, a, id, done, on)
			if err != nil {
				return err
			}
			fmt.Fprintf(out, "milestone %q reached on %s\n", m.Name, m.Done)
			return nil
		}
		m, err := s.AddMilestone(ctx, a, id, exportctl.MilestoneInput{Name: name, Due: due})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "milestone %d %q due %s\n", m.ID, m.Name, m.Due)
		return nil
	case "propose":
		r, err := s.ProposeOutcome(ctx, a, id)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "review %s: outcome proposed for %d licence(s)\n", r.Reference, len(r.Licences))
		return nil
	case "approve":
		r, err := s.Review(ctx, a, id)
		if err != nil {
			return err
		}
		in := exportctl.ApproveInput{Reasons: reasons}
		for _, c := range carveOuts {
			parts := strings.SplitN(c, "|", 3)
			if len(parts) != 3 {
				return usagef("--carve-out: %q is not LICENCE_REF|SCOPE|REASONS", c)
			}
			lid := scopeLicence(r, parts[0])
			if lid == 0 {
				return usagef("--carve-out: %q is not in the scope of review %s", parts[0], r.Reference)
			}
			in.CarveOuts = append(in.CarveOuts, exportctl.CarveOutInput{LicenceID: lid, Scope: parts[1], Reasons: parts[2]})
		}
		if r, err = s.ApproveOutcome(ctx, a, id, in); err != nil {
			return err
		}
		counts := map[string]int{}
		for _, l := range r.Licences {
			counts[l.Applied]++
		}
		fmt.Fprintf(out, "review %s approved and applied: %d suspended, %d revoked, %d amended, %d maintained, %d carve-out(s), %d no longer extant\n",
			r.Reference, counts["suspended"]+counts["already_suspended"], counts["revoked"], counts["amended"], counts["maintained"], counts["carve_out"], counts["not_extant"])
		return nil
	case "publish":
		if statementFile != "" {
			data, err := os.ReadFile(statementFile)
			if err != nil {
				return err
			}
			statement = string(data)
		}
		r, err := s.PublishReview(ctx, a, id, exportctl.StatementInput{Statement: statement})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "review %s published and closed\n", r.Reference)
		return nil
	case "tasks":
		ts, err := s.ReassessmentTasks(ctx, a, status)
		if err != nil {
			return err
		}
		for _, t := range ts {
			fmt.Fprintf(out, "task %d  %s  %s  opened %s\n  %s\n", t.ID, t.Destination, t.Status, t.OpenedAt.Format("2006-01-02"), t.Trigger)
			if t.Status == exportctl.TaskClosed {
				fmt.Fprintf(out, "  closed %s by %s: %s (%s)\n", t.ClosedAt.Format("2006-01-02"), t.ClosedBy, exportctl.Humanise(t.Decision), t.Reasons)
			}
		}
		return nil
	case "close-task":
		t, err := s.CloseReassessmentTask(ctx, a, id, exportctl.TaskDecisionInput{Decision: decision, Reasons: reasons, ReviewID: reviewID})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "task %d for %s closed: %s\n", t.ID, t.Destination, exportctl.Humanise(t.Decision))
		return nil
	}
	return nil
}

// scopeLicence finds a licence of the review's scope by reference or id.
func scopeLicence(r *exportctl.Review, refOrID string) int64 {
	for _, l := range r.Licences {
		if l.Reference == refOrID || strconv.FormatInt(l.LicenceID, 10) == refOrID {
			return l.LicenceID
		}
	}
	return 0
}

func printReview(e *env, r *exportctl.Review) {
	out := e.stdout
	fmt.Fprintf(out, "review %d  %s  %s review of %s", r.ID, r.Reference, exportctl.Humanise(r.Kind), exportctl.CountryName(r.Destination))
	if r.EndUser != "" {
		fmt.Fprintf(out, " (end user %q)", r.EndUser)
	}
	fmt.Fprintf(out, "\nstatus %s; lead %s; evidence cut-off %s; deadline %s; %d days open", exportctl.Humanise(r.Status), r.Lead, r.EvidenceCutoff, r.Deadline, r.Timeline.DaysOpen)
	if r.Timeline.DeadlinePassed {
		fmt.Fprint(out, " (deadline passed)")
	}
	fmt.Fprintf(out, "\nterms of reference: %s\n", r.TermsOfReference)
	for _, m := range r.Milestones {
		state := "not yet reached"
		if m.Done != "" {
			state = "reached " + m.Done
		}
		fmt.Fprintf(out, "milestone %d  %s  due %s, %s\n", m.ID, m.Name, m.Due, state)
	}
	tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LICENCE\tSTATUS\tRATINGS\tLINKS D/P/C\tSTRONGEST\tUSABLE?\tOUTCOME\tAPPLIED")
	for _, l := range r.Licences {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d/%d/%d\t%s\t%s\t%s\t%s\n", l.Reference, l.Status, strings.Join(l.Ratings, ","), l.Exposure.Direct, l.Exposure.Platform,
			l.Exposure.Contextual, orNone(l.Exposure.Strongest), orNone(l.Determination), orNone(l.Outcome), orNone(l.Applied))
	}
	tw.Flush()
	f := r.Findings
	fmt.Fprintf(out, "findings: conduct of hostilities: %s\n          humanitarian access: %s\n          detainees: %s\n",
		orNone(f.ConductOfHostilities), orNone(f.HumanitarianAccess), orNone(f.Detainees))
	if r.Statement != "" {
		fmt.Fprintf(out, "statement: %s\n", r.Statement)
	}
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
