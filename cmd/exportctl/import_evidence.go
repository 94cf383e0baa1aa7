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
// the evidence register: batches of store.ImportBatchSize, each its own
// transaction, so an interrupted import keeps whole batches and running
// it again completes it. A progress bar (bytes read, incidents written)
// goes to stderr when stderr is a terminal.
func incidentImporter(source string, parse func(r io.Reader, name string, emit func(exportctl.Incident, int) error) (importer.Batch[exportctl.Incident], error)) importFunc {
	return func(ctx context.Context, e *env, s *store.Store, r io.Reader, name string) (importSummary, error) {
		bar := newImportBar(e, r, source)
		if bar != nil {
			pr := progressbar.NewReader(r, bar.ProgressBar)
			r = &pr
		}
		var parsed importer.Batch[exportctl.Incident]
		read := func(emit func(exportctl.Incident, int) error) error {
			var err error
			parsed, err = parse(r, name, emit)
			return err
		}
		var progress func(int)
		if bar != nil {
			progress = bar.written
		}
		res, err := s.ImportIncidents(ctx, exportctl.System, source, name, read, progress)
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

// importBar is the progress bar of one import.
type importBar struct {
	*progressbar.ProgressBar
	source string
}

// newImportBar returns a bar over the file's bytes when stderr is a
// terminal, else nil.
func newImportBar(e *env, r io.Reader, source string) *importBar {
	out, ok := e.stderr.(*os.File)
	if !ok || !term.IsTerminal(int(out.Fd())) {
		return nil
	}
	size := int64(-1)
	if f, ok := r.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
			size = st.Size()
		}
	}
	return &importBar{source: source, ProgressBar: progressbar.NewOptions64(size,
		progressbar.OptionSetWriter(out),
		progressbar.OptionSetDescription(source),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetPredictTime(true),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionClearOnFinish(),
	)}
}

// written shows the incidents written so far (called after each batch).
func (b *importBar) written(n int) {
	b.Describe(fmt.Sprintf("%s: %d incidents", b.source, n))
}
