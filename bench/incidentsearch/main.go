// Command incidentsearch measures filtered search over many incidents on
// SQLite (issue 4: 1,000,000 incidents, country + date range + target, and
// a map box: p99 under 50 ms).
//
//	go run ./bench/incidentsearch -n 1000000 -queries 500
//
// Incidents are generated (not read from a dataset): 12 countries, dates
// over 2016-2025, places scattered around each country's centre, targets
// and launch types drawn from the domain's lists; the seed is fixed.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/store"
)

type place struct {
	country  string
	lat, lon float64
}

var places = []place{
	{"PS", 31.45, 34.40}, {"UA", 49.0, 32.0}, {"YE", 15.5, 47.5}, {"SY", 35.0, 38.5}, {"SD", 15.5, 30.0},
	{"MM", 21.0, 96.0}, {"CD", -2.5, 23.5}, {"AF", 34.5, 66.0}, {"NG", 9.5, 8.0}, {"ML", 17.0, -2.0},
	{"SO", 5.0, 46.0}, {"LB", 33.9, 35.8},
}

func main() {
	n := flag.Int("n", 1_000_000, "incidents to generate")
	queries := flag.Int("queries", 500, "queries per kind")
	dsn := flag.String("db", "", "database (default: a fresh SQLite file in a temp dir; reuse one with -db and -n 0)")
	flag.Parse()
	ctx := context.Background()
	if *dsn == "" {
		dir, err := os.MkdirTemp("", "incidentsearch-")
		if err != nil {
			log.Fatal(err)
		}
		defer os.RemoveAll(dir)
		*dsn = filepath.Join(dir, "search.db")
	}
	s, err := store.Open(ctx, *dsn, store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()
	rng := rand.New(rand.NewPCG(4, 2026))
	if *n > 0 {
		start := time.Now()
		res, err := s.LoadIncidents(ctx, exportctl.System, "bench", "generated", func(emit func(exportctl.Incident, int) error) error {
			for i := range *n {
				if err := emit(generate(rng, i), i+2); err != nil {
					return err
				}
			}
			return nil
		}, nil)
		if err != nil {
			log.Fatal(err)
		}
		el := time.Since(start)
		fmt.Printf("loaded %d incidents in %s (%.0f rows/s)\n", res.New, el.Round(time.Millisecond), float64(res.New)/el.Seconds())
	}
	analyst := exportctl.Actor{Username: "bench", Role: exportctl.RoleAnalyst}
	run := func(name string, filter func() exportctl.IncidentFilter) {
		var lat []time.Duration
		total := 0
		for range *queries {
			f := filter()
			f.Limit = 50
			start := time.Now()
			page, err := s.Incidents(ctx, analyst, f)
			if err != nil {
				log.Fatal(err)
			}
			lat = append(lat, time.Since(start))
			total += page.Total
		}
		slices.Sort(lat)
		p := func(q float64) time.Duration { return lat[int(float64(len(lat)-1)*q)].Round(10 * time.Microsecond) }
		fmt.Printf("%-40s p50 %-10s p90 %-10s p99 %-10s max %-10s (avg %d matches)\n", name, p(0.5), p(0.9), p(0.99), lat[len(lat)-1].Round(10*time.Microsecond), total/len(lat))
	}
	run("country + 3-month range + target", func() exportctl.IncidentFilter {
		pl := places[rng.IntN(len(places))]
		from := time.Date(2016+rng.IntN(10), time.Month(1+rng.IntN(9)), 1, 0, 0, 0, 0, time.UTC)
		return exportctl.IncidentFilter{Country: pl.country, From: from.Format(time.DateOnly), To: from.AddDate(0, 3, 0).Format(time.DateOnly),
			Target: exportctl.TargetCategories[rng.IntN(4)]}
	})
	run("map box (about 50 x 50 km)", func() exportctl.IncidentFilter {
		pl := places[rng.IntN(len(places))]
		lat, lon := pl.lat+rng.NormFloat64()*0.5, pl.lon+rng.NormFloat64()*0.5
		return exportctl.IncidentFilter{BBox: &[4]float64{lon - 0.25, lat - 0.25, lon + 0.25, lat + 0.25}}
	})
}

func generate(rng *rand.Rand, i int) exportctl.Incident {
	pl := places[rng.IntN(len(places))]
	lat, lon := pl.lat+rng.NormFloat64()*0.8, pl.lon+rng.NormFloat64()*0.8
	day := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, rng.IntN(3650))
	launch := []string{exportctl.LaunchAirPlane, exportctl.LaunchAirDrone, exportctl.LaunchGround, exportctl.LaunchUnknown}[rng.IntN(4)]
	return exportctl.Incident{
		Sources:   []exportctl.SourceID{{Source: "bench", ID: fmt.Sprintf("B%07d", i)}},
		StartDate: day.Format(time.DateOnly), DatePrecision: 1, Country: pl.country, Admin1: "Region " + string(rune('A'+rng.IntN(8))),
		Place: fmt.Sprintf("Place %d", rng.IntN(5000)), Latitude: &lat, Longitude: &lon, GeoPrecision: 1,
		EventType: "Explosions/Remote violence", Target: exportctl.TargetCategories[rng.IntN(len(exportctl.TargetCategories))],
		Harm:         exportctl.Harm{Killed: rng.IntN(5), Injured: rng.IntN(10)},
		Actors:       []exportctl.IncidentActor{{Role: "perpetrator", Type: 1, Name: "Armed forces of " + pl.country, Confidence: 0.8}},
		Weapons:      []exportctl.IncidentWeapon{{Reported: "reported " + launch, Launch: launch}},
		Verification: exportctl.VerificationStates[rng.IntN(3)],
		Narrative:    fmt.Sprintf("Generated incident %d: a strike reported near %s.", i, pl.country),
	}
}
