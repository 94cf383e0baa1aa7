package store_test

import (
	"strings"
	"testing"

	"github.com/transparency-dev/merkle/proof"
	"github.com/transparency-dev/merkle/rfc6962"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/ledger"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

func TestDecisionsAreLogged(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		issued := storetest.DriveToDecision(t, s, f, submitted(t, s, f).ID, exportctl.DecisionInput{Outcome: "issued"})
		refused := submitted(t, s, f)
		storetest.DriveToDecision(t, s, f, refused.ID, exportctl.DecisionInput{Outcome: "refused", Criteria: []string{"2c"}, Reasons: "Clear risk."})
		if _, err := s.ChangeLicence(ctx, f.Officer, issued.LicenceID, exportctl.ActSuspend, exportctl.LicenceActionInput{Reasons: "Review of IHL compliance"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.RecordDeparture(ctx, f.Decider, issued.ID, exportctl.DepartureInput{Scope: "Spares pool", Reasons: "Carve-out"}); err != nil {
			t.Fatal(err)
		}
		size, problems, err := s.VerifyLog(ctx)
		if err != nil || size != 4 || len(problems) != 0 {
			t.Fatalf("log size %d, problems %+v, %v", size, problems, err)
		}
		// The leaf of the refusal publishes its criteria; the exporter's name is only committed to.
		rec, _ := s.DecisionRecord(ctx, f.Officer, refused.ID)
		e, err := s.LogEntryFor(ctx, "decision", rec.Decisions[0].ID)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(e.Leaf.Public), `"criteria":["2c"]`) || strings.Contains(string(e.Leaf.Public), "Example Aerospace") || e.Leaf.Commitment == "" {
			t.Errorf("refusal leaf: %s (commitment %q)", e.Leaf.Public, e.Leaf.Commitment)
		}
		// The checkpoint is a signed note that the published key opens, and
		// proofs verify with an independent implementation.
		vkey, err := s.LogVerifierKey(ctx)
		if err != nil {
			t.Fatal(err)
		}
		verifier, err := note.NewVerifier(vkey)
		if err != nil {
			t.Fatal(err)
		}
		signed, err := s.LogCheckpoint(ctx)
		if err != nil {
			t.Fatal(err)
		}
		cp, err := ledger.OpenCheckpoint(signed, verifier)
		if err != nil || cp.Size != 4 || cp.Origin != store.DefaultLogOrigin {
			t.Fatalf("checkpoint %+v, %v", cp, err)
		}
		entries, _ := s.Entries(ctx, 0, 4)
		for i, data := range entries {
			p, err := ledger.InclusionProof(ctx, int64(i), 4, s)
			if err != nil {
				t.Fatal(err)
			}
			leafHash := tlog.RecordHash(data)
			var hashes [][]byte
			for _, h := range p {
				hashes = append(hashes, h[:])
			}
			if err := proof.VerifyInclusion(rfc6962.DefaultHasher, uint64(i), 4, leafHash[:], hashes, cp.Hash[:]); err != nil {
				t.Errorf("inclusion of leaf %d: %v", i, err)
			}
		}
	})
}

func TestDirectEditsAreNamed(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		f := storetest.NewFixture(t, s)
		app := storetest.DriveToDecision(t, s, f, submitted(t, s, f).ID, exportctl.DecisionInput{Outcome: "issued"})
		if _, err := s.ChangeLicence(ctx, f.Officer, app.LicenceID, exportctl.ActSuspend, exportctl.LicenceActionInput{Reasons: "r"}); err != nil {
			t.Fatal(err)
		}
		// Someone with database access quietly lifts the suspension and
		// changes the destination the decision was about.
		if _, err := s.DB().Exec(`UPDATE licences SET status = 'issued'`); err != nil {
			t.Fatal(err)
		}
		if _, err := s.DB().Exec(`UPDATE applications SET destination = 'GB'`); err != nil {
			t.Fatal(err)
		}
		_, problems, err := s.VerifyLog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var text []string
		for _, p := range problems {
			text = append(text, p.Subject+": "+p.Detail)
		}
		all := strings.Join(text, "\n")
		if !strings.Contains(all, "decision 1: the row no longer matches its leaf: destination was \"IL\", is \"GB\"") ||
			!strings.Contains(all, "is issued but the log last recorded suspended") {
			t.Errorf("problems:\n%s", all)
		}
	})
}
