package store_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// benchDenials generates a register of n denials over 150 countries and
// names distinct end users, deterministically. End user 0 is the sample
// application's ("Example Air Force", IL), so it has n/names denials of
// which some match.
func benchDenials(n, names int, now time.Time) []exportctl.DenialInput {
	var countries []string
	for _, c := range exportctl.Countries() {
		if c.Code != "IL" && len(countries) < 149 {
			countries = append(countries, c.Code)
		}
	}
	countries = append([]string{"IL"}, countries...) // 150
	families := []string{"ML1", "ML4", "ML5", "ML10", "ML11", "ML13", "ML22", "5A002", "PL5017", "6A003"}
	uses := []string{
		"spares for F-16 fleet of the end user", "crowd control", "border surveillance", "naval patrol",
		"training of special forces", "air defence of the capital", "counter-terrorism operations", "police communications",
	}
	items := []string{"Landing gear actuators", "Riot shields", "Thermal imaging cameras", "Assault rifles", "Encryption software", "Radar components"}
	out := make([]exportctl.DenialInput, n)
	for i := range out {
		who := i % names
		name := fmt.Sprintf("End User %05d Ltd", who)
		if who == 0 {
			name = "Example Air Force"
		}
		// A prime stride spreads the dates over six years.
		denied := now.AddDate(0, 0, -((i*7919)%2190 + 1)).Format(time.DateOnly)
		out[i] = exportctl.DenialInput{
			Reference: fmt.Sprintf("BENCH/%06d", i), Name: name, Country: countries[who%len(countries)],
			ItemDescription: items[i%len(items)], Ratings: []string{families[(i/names+3)%len(families)]},
			EndUse: uses[(i/names)%len(uses)], Reason: "Criterion 7", DeniedAt: denied,
		}
	}
	return out
}

// BenchmarkDenialMatch measures the denials match on a new application
// against a register of 100,000 denials (target: under 10 ms p99). The
// application's end user has 5 denials in the register.
func BenchmarkDenialMatch(b *testing.B) {
	for _, engine := range storetest.Engines() {
		b.Run(engine, func(b *testing.B) {
			s := storetest.Open(b, engine, nil)
			f := storetest.NewFixture(b, s)
			now := time.Now().UTC()
			ds := benchDenials(100_000, 20_000, now)
			start := time.Now()
			for batch := range slices.Chunk(ds, 25_000) {
				if _, _, err := s.ImportDenials(ctx, f.Admin, batch, "bench.csv"); err != nil {
					b.Fatal(err)
				}
			}
			b.Logf("%s: imported %d denials in %v", engine, len(ds), time.Since(start).Round(time.Millisecond))
			app := submittedBench(b, s, f)
			ms, err := s.DenialMatches(ctx, f.Officer, app.ID)
			if err != nil || len(ms) == 0 {
				b.Fatalf("no matches: %v", err)
			}
			b.Logf("%s: %d of the end user's denials match", engine, len(ms))

			const calls = 2000
			lat := make([]time.Duration, calls)
			for i := range lat {
				t0 := time.Now()
				if _, err := s.DenialMatches(ctx, f.Officer, app.ID); err != nil {
					b.Fatal(err)
				}
				lat[i] = time.Since(t0)
			}
			slices.Sort(lat)
			p50, p99 := lat[calls/2], lat[calls*99/100]

			for b.Loop() {
				if _, err := s.DenialMatches(ctx, f.Officer, app.ID); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(p50.Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(p99.Microseconds())/1000, "p99-ms")
			if p99 > 10*time.Millisecond {
				b.Errorf("p99 %v is over the 10 ms target", p99)
			}
		})
	}
}

func submittedBench(b *testing.B, s *store.Store, f *storetest.Fixture) *exportctl.Application {
	app, err := s.CreateApplication(ctx, f.Exporter, storetest.SampleApplication())
	if err != nil {
		b.Fatal(err)
	}
	if app, err = s.Transition(ctx, f.Exporter, app.ID, exportctl.ActSubmit, ""); err != nil {
		b.Fatal(err)
	}
	return app
}
