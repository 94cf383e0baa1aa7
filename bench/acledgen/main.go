// Command acledgen writes an ACLED-layout CSV of n rows made from the real
// ACLED sample, for the import benchmark (bench/import-acled.sh): each copy
// of a sample row gets its own event id, a date moved by up to ten years
// and a place moved by up to about 20 km, so that every row is a distinct
// record spread over the indexes as real data would be. The seed is fixed.
//
//	go run ./bench/acledgen -n 1000000 -sample ../shared/data/acled/acled-sample-2022.csv -out /tmp/acled-1m.csv
package main

import (
	"bufio"
	"encoding/csv"
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"time"
)

func main() {
	n := flag.Int("n", 1_000_000, "rows to write")
	sample := flag.String("sample", "../shared/data/acled/acled-sample-2022.csv", "the real ACLED sample to copy rows from")
	out := flag.String("out", "acled-generated.csv", "the file to write")
	flag.Parse()
	if err := run(*n, *sample, *out); err != nil {
		log.Fatal(err)
	}
}

func run(n int, sample, out string) error {
	f, err := os.Open(sample)
	if err != nil {
		return err
	}
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", sample, err)
	}
	if len(rows) < 2 {
		return fmt.Errorf("%s: no rows", sample)
	}
	col := func(name string) int {
		i := slices.Index(rows[0], name)
		if i < 0 {
			log.Fatalf("%s: no %s column", sample, name)
		}
		return i
	}
	id, date, year, lat, lon := col("event_id_cnty"), col("event_date"), col("year"), col("latitude"), col("longitude")

	w, err := os.Create(out)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<20)
	cw := csv.NewWriter(bw)
	cw.Write(rows[0])
	rng := rand.New(rand.NewPCG(4, 2026))
	body := rows[1:]
	for i := range n {
		r := slices.Clone(body[i%len(body)])
		r[id] += "-" + strconv.Itoa(i/len(body))
		if d, err := time.Parse("2006-01-02", r[date]); err == nil {
			d = d.AddDate(0, 0, -rng.IntN(3650))
			r[date], r[year] = d.Format("2006-01-02"), strconv.Itoa(d.Year())
		}
		r[lat] = jitter(r[lat], rng, 90)
		r[lon] = jitter(r[lon], rng, 180)
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return w.Close()
}

// jitter moves a coordinate by up to 0.2 degrees, within [-limit, limit].
func jitter(s string, rng *rand.Rand, limit float64) string {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	v = max(-limit, min(limit, v+(rng.Float64()-0.5)*0.4))
	return strconv.FormatFloat(v, 'f', 4, 64)
}
