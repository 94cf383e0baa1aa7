package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/importer"
	"github.com/exportctl/exportctl/internal/store"
)

func init() {
	importers["sipri"] = importSIPRI
	importers["caat"] = importCAAT
}

// importSIPRI records who operates which systems since when, from a SIPRI
// trade register export (either layout). Deliveries whose designation
// names no item of the weapon graph are kept unlinked and listed.
func importSIPRI(ctx context.Context, e *env, s *store.Store, in importInput) (importSummary, error) {
	b, err := importer.SIPRI(in.r)
	if err != nil {
		return importSummary{}, err
	}
	res, err := s.ImportDeliveries(ctx, exportctl.System, in.name, b.Items)
	if err != nil {
		return importSummary{}, err
	}
	if res.Unmapped > 0 {
		fmt.Fprintf(e.stdout, "%d deliveries name no item of the weapon graph (kept unlinked; adding the item links them): %s\n",
			res.Unmapped, strings.Join(res.UnmappedDesignations, "; "))
	}
	return importSummary{Read: b.Read, New: res.New, Updated: res.Updated, Unchanged: res.Unchanged, Rejects: b.Rejects}, nil
}

var errStopReading = errors.New("stop reading")

// importCAAT imports CAAT's licence values (values-2008-2015.csv) as
// historical decided cases. Rows of a licence group that disagree with the
// group's first row on date, country or outcome are rejected here, with
// their line, so that the store gets consistent groups.
func importCAAT(ctx context.Context, e *env, s *store.Store, in importInput) (importSummary, error) {
	type head struct {
		line                int
		date, dest, licence string
		refused             bool
	}
	heads := map[string]head{}
	var groupRejects []importer.RowError
	var batch importer.Batch[exportctl.HistoricalDecision]
	var readErr error
	rows := func(yield func(exportctl.HistoricalDecision) bool) {
		batch, readErr = importer.CAATValuesEach(in.r, func(d exportctl.HistoricalDecision, line int) error {
			h, seen := heads[d.Group]
			if !seen {
				heads[d.Group] = head{line, d.Date, d.Destination, d.LicenceType, d.Refused}
			} else if h.date != d.Date || h.dest != d.Destination || h.licence != d.LicenceType || h.refused != d.Refused {
				groupRejects = append(groupRejects, importer.RowError{Line: line,
					Reason: fmt.Sprintf("licence_group %s: date, country or refused differs from the group's row at line %d", d.Group, h.line)})
				return nil
			}
			if !yield(d) {
				return errStopReading
			}
			return nil
		})
	}
	res, err := s.ImportHistorical(ctx, exportctl.System, in.name, rows)
	if readErr != nil && !errors.Is(readErr, errStopReading) {
		return importSummary{}, readErr
	}
	if err != nil {
		return importSummary{}, err
	}
	rejects := append(slices.Clone(batch.Rejects), groupRejects...)
	slices.SortStableFunc(rejects, func(x, y importer.RowError) int { return x.Line - y.Line })
	return importSummary{Read: batch.Read, New: res.New, Updated: res.Updated, Unchanged: res.Unchanged, Rejects: rejects}, nil
}
