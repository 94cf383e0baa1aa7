package store_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/importer"
	"github.com/exportctl/exportctl/internal/store"
	"github.com/exportctl/exportctl/internal/store/storetest"
)

// acledRows makes an ACLED file of n rows from the real sample: copies of
// its rows, each copy's event ids suffixed so that every row is a record.
func acledRows(b *testing.B, n int) []byte { return acledRowsT(b, n) }

func acledRowsT(b testing.TB, n int) []byte {
	b.Helper()
	f, err := os.Open(sharedFile(b, acledFile))
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		b.Fatal(err)
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(rows[0])
	for i := 0; i < n; i++ {
		r := append([]string(nil), rows[1+i%(len(rows)-1)]...)
		r[0] += "-" + strconv.Itoa(i/(len(rows)-1))
		w.Write(r)
	}
	w.Flush()
	return buf.Bytes()
}

// BenchmarkImportIncidents imports 100,000 ACLED rows (parsed by the
// importer, as `exportctl import acled` does) into a fresh database, and
// then the same file again (every row unchanged), in batches
// (ImportIncidents, "import") and as a bulk load (LoadIncidents, "load":
// what `exportctl import` does for a first load). Target: 50,000 rows/s
// on SQLite; bench/import-acled.sh measures the command on a million.
func BenchmarkImportIncidents(b *testing.B) {
	const rows = 100_000
	data := acledRows(b, rows)
	read := func(r io.Reader) store.IncidentReader {
		return func(emit func(exportctl.Incident, int) error) error {
			_, err := importer.ACLEDEach(r, emit)
			return err
		}
	}
	for _, engine := range storetest.Engines() {
		for _, mode := range []string{"import", "load"} {
			b.Run(engine+"/"+mode, func(b *testing.B) {
				benchmarkImport(b, engine, mode, data, read)
			})
		}
	}
}

func benchmarkImport(b *testing.B, engine, mode string, data []byte, read func(io.Reader) store.IncidentReader) {
	const rows = 100_000
	var newSecs, againSecs float64
	for b.Loop() {
		b.StopTimer()
		s := storetest.Open(b, engine, nil)
		importIncidents := s.ImportIncidents
		if mode == "load" {
			importIncidents = s.LoadIncidents
		}
		b.StartTimer()
		start := timeNow()
		res, err := importIncidents(ctx, exportctl.System, "acled", "bench.csv", read(bytes.NewReader(data)), nil)
		if err != nil || res.New != rows {
			b.Fatalf("%v %+v", err, res)
		}
		newSecs += timeNow().Sub(start).Seconds()
		start = timeNow()
		res, err = importIncidents(ctx, exportctl.System, "acled", "bench.csv", read(bytes.NewReader(data)), nil)
		if err != nil || res.Unchanged != rows {
			b.Fatalf("%v %+v", err, res)
		}
		againSecs += timeNow().Sub(start).Seconds()
		b.StopTimer()
		s.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(rows*b.N)/newSecs, "new_rows/s")
	b.ReportMetric(float64(rows*b.N)/againSecs, "unchanged_rows/s")
}

var timeNow = time.Now
