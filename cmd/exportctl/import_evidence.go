package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/importer"
	"github.com/exportctl/exportctl/internal/store"
)

// The evidence register's sources: ACLED exports, any Security in
// Numbers (SiND) dataset and the Aid Worker Security Database.
func init() {
	importers["acled"] = incidentImporter("acled", func(r io.Reader, name string, emit func(exportctl.Incident, int) error) (importer.Batch[exportctl.Incident], error) {
		return importer.ACLEDEach(r, emit)
	})
	importers["sind"] = incidentImporter("sind", func(r io.Reader, name string, emit func(exportctl.Incident, int) error) (importer.Batch[exportctl.Incident], error) {
		return importer.SiNDEach(r, sindDataset(name), emit)
	})
	importers["awsd"] = incidentImporter("awsd", func(r io.Reader, name string, emit func(exportctl.Incident, int) error) (importer.Batch[exportctl.Incident], error) {
		return importer.AWSDEach(r, emit)
	})
}

// sindDatasets name the SiND datasets by words their published file
// names contain; the dataset names the source ("sind-health", ...).
var sindDatasets = []struct{ word, dataset string }{
	{"health", "health"},
	{"aid", "aid-workers"},
	{"education", "education"},
	{"explosive", "explosive-weapons"},
	{"food", "food-security"},
	{"protection", "protection"},
	{"crsv", "crsv"},
	{"sexual", "crsv"},
}

// sindDataset derives the SiND dataset from a file name
// ("attacks-on-health-care-2016-2023.csv" is "health"); "" (source
// "sind") when the name says nothing known.
func sindDataset(name string) string {
	n := strings.ToLower(name)
	for _, d := range sindDatasets {
		if strings.Contains(n, d.word) {
			return d.dataset
		}
	}
	return ""
}

// incidentImporter reads a file of incidents with a streaming parser into
// the evidence register, in batches each its own transaction, so an
// interrupted import keeps whole batches and running it again completes
// it. As a load (--bulk on, or auto for a file that looks larger than the
// register: store.LoadIncidents) the search indexes are dropped while it
// writes and built once at the end; otherwise (store.ImportIncidents)
// they are kept in order as it goes. A progress bar (bytes read,
// incidents written, indexing) goes to stderr when stderr is a terminal.
func incidentImporter(source string, parse func(r io.Reader, name string, emit func(exportctl.Incident, int) error) (importer.Batch[exportctl.Incident], error)) importFunc {
	return func(ctx context.Context, e *env, s *store.Store, in importInput) (importSummary, error) {
		load, err := bulkLoad(ctx, s, in)
		if err != nil {
			return importSummary{}, err
		}
		r := in.r
		bar := newImportBar(e, in, source)
		if bar != nil {
			pr := progressbar.NewReader(r, bar.ProgressBar)
			r = &pr
		}
		var parsed importer.Batch[exportctl.Incident]
		read := func(emit func(exportctl.Incident, int) error) error {
			var err error
			parsed, err = parse(r, in.name, emit)
			return err
		}
		var progress store.ImportProgress
		if bar != nil {
			progress = bar.written
		}
		importIncidents := s.ImportIncidents
		if load {
			importIncidents = s.LoadIncidents
		}
		res, err := importIncidents(ctx, exportctl.System, source, in.name, read, progress)
		if bar != nil {
			bar.Finish()
		}
		sum := importSummary{Read: parsed.Read, New: res.New, Updated: res.Updated, Unchanged: res.Unchanged, Rejects: parsed.Rejects}
		for _, rej := range res.Rejected {
			sum.Rejects = append(sum.Rejects, importer.RowError{Line: rej.Line, Reason: rej.Reason})
		}
		slices.SortStableFunc(sum.Rejects, func(x, y importer.RowError) int { return x.Line - y.Line })
		return sum, err
	}
}

// bulkLoadMinRows is the smallest file --bulk auto loads in one
// transaction, and bulkRowBytes what a row of a source file takes on
// average (ACLED's rows take about 580 bytes, SiND's and AWSD's less): a
// guess of a file's rows from its size, which need only be good to a
// factor of two.
const (
	bulkLoadMinRows = 50_000
	bulkRowBytes    = 500
)

// bulkLoad decides --bulk: on, off, or for auto whether the file looks
// larger than the register (and than bulkLoadMinRows rows), when building
// the indexes once over all the rows costs less than keeping them in order
// row by row.
func bulkLoad(ctx context.Context, s *store.Store, in importInput) (bool, error) {
	switch in.bulk {
	case "on":
		return true, nil
	case "off":
		return false, nil
	}
	rows := in.size / bulkRowBytes
	if in.size < 0 || rows < bulkLoadMinRows {
		return false, nil
	}
	page, err := s.Incidents(ctx, exportctl.System, exportctl.IncidentFilter{Limit: 1})
	if err != nil {
		return false, err
	}
	return rows >= int64(page.Total), nil
}

// importBar is the progress bar of one import.
type importBar struct {
	*progressbar.ProgressBar
	source string
}

// newImportBar returns a bar over the file's bytes when stderr is a
// terminal, else nil.
func newImportBar(e *env, in importInput, source string) *importBar {
	out, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(out.Fd())) {
		return nil
	}
	return &importBar{source: source, ProgressBar: progressbar.NewOptions64(in.size,
		progressbar.OptionSetWriter(out),
		progressbar.OptionSetDescription(source),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// written shows the incidents written so far (called after each batch)
// and what the import is doing once it has read the file.
func (b *importBar) written(n int, stage string) {
	if stage != "" {
		stage = ", " + stage
	}
	b.Describe(fmt.Sprintf("%s: %d incidents%s", b.source, n, stage))
}
