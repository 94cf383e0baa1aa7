package store_test

import (
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// BenchmarkExposure measures the exposure of one destination with 10,000
// licences against 1,000,000 incidents on SQLite (issue 5: under 2 s), and
// of one licence (under 50 ms), with the peak heap while each runs, both
// cold (incidents loaded from the database) and warm (prepared incidents
// reused).
//
// The licences are historical decisions to Israel, 2008-2015, of mixed
// ratings (aircraft, bombs, electronics, imaging, body armour, dual-use);
// the incidents are generated over 12 countries and 2016-2025 with a fixed
// seed, those in Palestine and Lebanon (about a sixth) attributed to the
// Israeli Defence Forces, 0.5% with an identified system; SIPRI-style
// deliveries make Israel an operator of the F-16, F-35, AH-64 and JDAM.
// EXPORTCTL_EXPOSURE_INCIDENTS sets another number of incidents.
//
//	go test ./internal/store/ -run '^$' -bench Exposure -benchtime 10x -timeout 30m
func BenchmarkExposure(b *testing.B) {
	incidents := 1_000_000
	if v := os.Getenv("EXPORTCTL_EXPOSURE_INCIDENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			b.Fatal(err)
		}
		incidents = n
	}
	const licences = 10_000
	s := storetest.Open(b, "sqlite", nil)
	start := time.Now()
	seedExposureBench(b, s, licences, incidents)
	b.Logf("seeded %d licences and %d incidents in %s", licences, incidents, time.Since(start).Round(time.Second))
	var ref string // an ML10 licence
	if err := s.DB().QueryRow(`SELECT reference FROM licences WHERE reference = 'CAAT/101'`).Scan(&ref); err != nil {
		b.Fatal(err)
	}
	officer := exportctl.Actor{Username: "bench", Role: exportctl.RoleCaseOfficer}
	// cold: every query loads its incidents from the database; warm: the
	// prepared incidents of the previous question are reused, as when a
	// review asks about each of its licences in turn.
	for _, c := range []struct {
		name string
		q    exportctl.ExposureQuery
		cold bool
	}{
		{"destination-cold", exportctl.ExposureQuery{Destination: "IL"}, true},
		{"destination-warm", exportctl.ExposureQuery{Destination: "IL"}, false},
		{"licence-cold", exportctl.ExposureQuery{LicenceRef: ref}, true},
		{"licence-warm", exportctl.ExposureQuery{LicenceRef: ref}, false},
	} {
		b.Run(c.name, func(b *testing.B) {
			runtime.GC()
			var base runtime.MemStats
			runtime.ReadMemStats(&base)
			var peak atomic.Uint64
			done := make(chan struct{})
			go func() { // sample the heap while the queries run
				var m runtime.MemStats
				t := time.NewTicker(5 * time.Millisecond)
				defer t.Stop()
				for {
					select {
					case <-done:
						return
					case <-t.C:
						runtime.ReadMemStats(&m)
						if m.HeapAlloc > peak.Load() {
							peak.Store(m.HeapAlloc)
						}
					}
				}
			}()
			var res *exportctl.ExposureResult
			if !c.cold { // warm the cache
				if _, err := s.Exposure(ctx, officer, c.q); err != nil {
					b.Fatal(err)
				}
			}
			for b.Loop() {
				if c.cold {
					s.ResetExposureCache()
				}
				var err error
				if res, err = s.Exposure(ctx, officer, c.q); err != nil {
					b.Fatal(err)
				}
			}
			close(done)
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/query")
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak_heap_MB")
			b.ReportMetric(float64(base.HeapAlloc)/(1<<20), "heap_before_MB")
			b.ReportMetric(float64(res.Total), "links")
			b.ReportMetric(float64(len(res.Licences)), "licences")
			b.ReportMetric(float64(res.Incidents), "linked_incidents")
		})
	}
}

// seedExposureBench writes the benchmark's licences, deliveries and incidents.
func seedExposureBench(b *testing.B, s *store.Store, licences, incidents int) {
	b.Helper()
	rng := rand.New(rand.NewPCG(5, 2026))
	ratings := [][]string{{"ML10"}, {"ML10", "ML11"}, {"ML4"}, {"ML11"}, {"ML15"}, {"ML5", "ML10"}, {"ML13"}, {"5A002"}, {"ML6"}, {"ML22"}}
	var rows []exportctl.HistoricalDecision
	for i := range licences {
		day := time.Date(2008, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(8*365))
		for _, r := range ratings[i%len(ratings)] {
			rows = append(rows, exportctl.HistoricalDecision{Group: strconv.Itoa(i + 1), Date: day.Format(time.DateOnly), LicenceType: "SIEL",
				Rating: r, Count: 1, ValueGBP: float64(1000 + rng.IntN(100000)), Destination: "IL"})
		}
	}
	if _, err := s.ImportHistorical(ctx, exportctl.System, "bench.csv", slices.Values(rows)); err != nil {
		b.Fatal(err)
	}
	if _, err := s.ImportDeliveries(ctx, exportctl.System, "bench-sipri.csv", []exportctl.Delivery{
		{SIPRIID: "1", Supplier: "US", Recipient: "IL", Designation: "F-16I", OrderYear: 1999, DeliveryYear: 2004, Number: 102},
		{SIPRIID: "2", Supplier: "US", Recipient: "IL", Designation: "F-35A", OrderYear: 2010, DeliveryYear: 2016, Number: 50},
		{SIPRIID: "3", Supplier: "US", Recipient: "IL", Designation: "AH-64D", OrderYear: 2000, DeliveryYear: 2005, Number: 18},
		{SIPRIID: "4", Supplier: "US", Recipient: "IL", Designation: "JDAM", OrderYear: 2016, DeliveryYear: 2019, Number: 1588},
	}); err != nil {
		b.Fatal(err)
	}
	items, err := s.Items(ctx, exportctl.System, "JDAM")
	if err != nil || len(items) == 0 {
		b.Fatalf("no JDAM item: %v", err)
	}
	jdam := items[0]
	places := []struct {
		country  string
		lat, lon float64
	}{
		{"PS", 31.45, 34.40}, {"UA", 49.0, 32.0}, {"YE", 15.5, 47.5}, {"SY", 35.0, 38.5}, {"SD", 15.5, 30.0},
		{"MM", 21.0, 96.0}, {"CD", -2.5, 23.5}, {"AF", 34.5, 66.0}, {"NG", 9.5, 8.0}, {"ML", 17.0, -2.0},
		{"SO", 5.0, 46.0}, {"LB", 33.9, 35.8},
	}
	launches := []string{exportctl.LaunchAirPlane, exportctl.LaunchAirDrone, exportctl.LaunchAirHelicopter, exportctl.LaunchGround, exportctl.LaunchUnknown}
	reported := map[string]string{exportctl.LaunchAirPlane: "Aerial Bomb: Plane", exportctl.LaunchAirDrone: "Aerial Bomb: Drone",
		exportctl.LaunchAirHelicopter: "Aerial Bomb: Helicopter", exportctl.LaunchGround: "Shelling", exportctl.LaunchUnknown: "Firearms"}
	_, err = s.ImportIncidents(ctx, exportctl.System, "bench", "generated", func(emit func(exportctl.Incident, int) error) error {
		for i := range incidents {
			pl := places[rng.IntN(len(places))]
			lat, lon := pl.lat+rng.NormFloat64()*0.3, pl.lon+rng.NormFloat64()*0.3
			day := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(3650))
			launch := launches[rng.IntN(len(launches))]
			actor := "Armed forces of " + exportctl.CountryName(pl.country)
			if pl.country == "PS" || pl.country == "LB" {
				actor = "Israeli Defence Forces"
			}
			w := exportctl.IncidentWeapon{Reported: reported[launch], Launch: launch}
			if rng.IntN(200) == 0 {
				w.ItemID, w.Item, w.Basis = jdam.ID, jdam.Name, "remnant"
			}
			inc := exportctl.Incident{
				Sources:   []exportctl.SourceID{{Source: "bench", ID: fmt.Sprintf("E%07d", i)}},
				StartDate: day.Format(time.DateOnly), DatePrecision: 1, Country: pl.country, Admin1: "Region " + string(rune('A'+rng.IntN(8))),
				Place: fmt.Sprintf("Place %d", rng.IntN(5000)), Latitude: &lat, Longitude: &lon, GeoPrecision: 1, Redacted: rng.IntN(20) == 0,
				Target:       exportctl.TargetCategories[rng.IntN(len(exportctl.TargetCategories))],
				Actors:       []exportctl.IncidentActor{{Role: exportctl.ActorPerpetrator, Type: 1, Name: actor, Confidence: 0.8}},
				Weapons:      []exportctl.IncidentWeapon{w},
				Verification: exportctl.VerificationStates[rng.IntN(3)],
			}
			if rng.IntN(10) == 0 {
				inc.Classifications = []exportctl.Classification{{Code: "8.2.b.ix", Status: "alleged", By: "bench"}}
			}
			if err := emit(inc, i+2); err != nil {
				return err
			}
		}
		return nil
	}, nil)
	if err != nil {
		b.Fatal(err)
	}
}
