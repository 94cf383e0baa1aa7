package store_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// BenchmarkApproveReview measures applying a review's outcome to 1,000
// licences in one transaction: 250 suspensions, 250 revocations, 250
// amendments and 250 maintained (10 of them carve-outs), each with its
// transition, log leaf and audit event, plus the outcome's own leaf.
// Target (issue 5): under 1 second. Only ApproveOutcome is timed; each
// iteration reviews 1,000 fresh licences for another destination.
func BenchmarkApproveReview(b *testing.B) {
	const n = 1000
	dests := []string{"IL", "SA", "AE", "EG", "TR", "IN", "PK", "QA", "KW", "BH", "OM", "JO"}
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			s := storetest.Open(b, engine, nil)
			f := storetest.NewFixture(b, s)
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				r := proposedReview(b, s, f, dests[i%len(dests)], fmt.Sprintf("B%d", i), n)
				var carve []exportctl.CarveOutInput
				for _, l := range r.Licences {
					if l.CarveOut() {
						carve = append(carve, exportctl.CarveOutInput{LicenceID: l.LicenceID, Scope: "spares pool", Reasons: "collective security"})
					}
				}
				b.StartTimer()
				done, err := s.ApproveOutcome(ctx, f.Decider, r.ID, exportctl.ApproveInput{Reasons: "Approved.", CarveOuts: carve})
				if err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if len(done.Licences) != n || done.Status != exportctl.ReviewApproved {
					b.Fatalf("approved %d licences, status %s", len(done.Licences), done.Status)
				}
				b.StartTimer()
			}
		})
	}
}

// proposedReview writes n issued licences for dest directly (the setup is
// not what is measured), opens a review of them, records determinations
// and findings, and proposes the outcome.
func proposedReview(b *testing.B, s *store.Store, f *storetest.Fixture, dest, prefix string, n int) *exportctl.Review {
	b.Helper()
	now := time.Now().UTC()
	at, from, until := now.Format("2006-01-02T15:04:05.000000Z"), now.AddDate(0, 0, -30).Format(time.DateOnly), now.AddDate(2, 0, 0).Format(time.DateOnly)
	tx, err := s.DB().Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i := range n {
		ref := fmt.Sprintf("BENCH/%s/%05d", prefix, i)
		var appID int64
		if err := tx.QueryRow(`INSERT INTO applications (reference, org_id, licence_type, export_type, status, outcome, destination, end_user_name, goods_summary, created_at)
			VALUES ($1, $2, 'SIEL', 'permanent', 'finalised', 'issued', $3, 'Air Force', 'Aircraft components (ML10a)', $4) RETURNING id`,
			ref, f.Org.ID, dest, at).Scan(&appID); err != nil {
			b.Fatal(err)
		}
		for _, rating := range []string{"ML10a", "ML22a"} {
			if _, err := tx.Exec(`INSERT INTO goods (application_id, description, rating, quantity, unit, value_pence, created_at) VALUES ($1, 'Components', $2, 1, 'item', 100000, $3)`,
				appID, rating, at); err != nil {
				b.Fatal(err)
			}
		}
		if _, err := tx.Exec(`INSERT INTO licences (reference, application_id, org_id, licence_type, export_type, destination, status, valid_from, valid_until, issued_at)
			VALUES ($1, $2, $3, 'SIEL', 'permanent', $4, 'issued', $5, $6, $7)`, ref, appID, f.Org.ID, dest, from, until, at); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	r, err := s.OpenReview(ctx, f.Officer, exportctl.ReviewInput{Destination: dest, LeadID: f.Officer.UserID, TermsOfReference: "Benchmark.",
		EvidenceCutoff: from, Deadline: until})
	if err != nil {
		b.Fatal(err)
	}
	if len(r.Licences) != n {
		b.Fatalf("scope of %d licences, want %d", len(r.Licences), n)
	}
	tx, err = s.DB().Begin()
	if err != nil {
		b.Fatal(err)
	}
	for i, l := range r.Licences {
		det, outcome, conditions := "yes", []string{"suspend", "revoke", "amend", "maintain"}[i%4], ""
		if outcome == "amend" {
			conditions = "No direct shipments for use in the destination."
		}
		if outcome == "maintain" && i%100 != 3 {
			det = "no" // only ten maintained licences are carve-outs
		}
		if _, err := tx.Exec(`INSERT INTO review_determinations (review_id, licence_id, determination, determination_reasons, outcome, conditions, outcome_reasons, recorded_by_name, recorded_at)
			VALUES ($1, $2, $3, 'reasons', $4, $5, 'reasons', 'bench', $6)`, r.ID, l.LicenceID, det, outcome, conditions, at); err != nil {
			b.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		b.Fatal(err)
	}
	if _, err := s.RecordFindings(ctx, f.Officer, r.ID, exportctl.ReviewFindings{ConductOfHostilities: "a", HumanitarianAccess: "b", Detainees: "c"}); err != nil {
		b.Fatal(err)
	}
	if r, err = s.ProposeOutcome(ctx, f.Officer, r.ID); err != nil {
		b.Fatal(err)
	}
	return r
}
