package store_test

import (
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// BenchmarkLifecycle measures a whole application life through the
// service layer: create (3 goods, 3 parties), submit, checks, advice by two
// teams on every good and party (12), final review, assessment, final
// advice, countersignature, decision, licence issue: 21 commands.
// Target (issue 2, set for create-submit-decide): 300/s on SQLite, 150/s
// on PostgreSQL (docs/performance.md).
func BenchmarkLifecycle(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			s := storetest.Open(b, engine, nil)
			f := storetest.NewFixture(b, s)
			in := storetest.SampleApplication()
			for b.Loop() {
				app, err := s.CreateApplication(ctx, f.Exporter, in)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
					b.Fatal(err)
				}
				storetest.DriveToDecision(b, s, f, app.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "ok"})
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lifecycles/s")
		})
	}
}
