package store_test

import (
	"testing"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// BenchmarkLifecycle measures a whole application life through the
// service layer: create (3 goods, 3 parties), submit, decide, issue.
// Target: 300/s on SQLite, 150/s on PostgreSQL (docs/performance.md).
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
				if _, err := s.Decide(ctx, f.Officer, app.ID, exportctl.DecisionInput{Outcome: "issued", Reasons: "ok"}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "lifecycles/s")
		})
	}
}
