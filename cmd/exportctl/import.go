package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/importer"
	"github.com/exportctl/exportctl/internal/store"
)

// importMemoryLimit is the Go heap's soft limit during an import.
const importMemoryLimit = 256 << 20

// importSummary is what every import reports.
type importSummary struct {
	Read, New, Updated, Unchanged int
	Rejects                       []importer.RowError
}

// importInput is the file an import reads: name is its base name, for
// records of where data came from; size its length in bytes (-1 when not
// known); bulk the --bulk choice, which only the incident sources use.
type importInput struct {
	r    io.Reader
	name string
	size int64
	bulk string
}

// importFunc reads one file into the store.
type importFunc func(ctx context.Context, e *env, s *store.Store, in importInput) (importSummary, error)

// importers are the sources `exportctl import` knows; each source's file
// registers itself here.
var importers = map[string]importFunc{
	"caat-ratings": importRatings,
	"denials":      importDenials,
}

func importSources() string {
	var names []string
	for n := range importers {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}

func cmdImport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import", "SOURCE FILE (sources: "+importSources()+")")
	db := dbFlag(e, fs)
	allowRejects := fs.Bool("allow-rejects", false, "exit 0 even when some rows were rejected")
	bulk := fs.String("bulk", "auto", "incidents: on drops the search indexes while it writes and builds them once at the end (a first load: searches scan meanwhile); "+
		"off keeps them, in committed batches of "+fmt.Sprint(store.ImportBatchSize)+" (adding to a register in use); auto is on when the file looks larger than the register")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("give a source and a file: import SOURCE FILE (sources: %s)", importSources())
	}
	source, path := pos[0], pos[1]
	if *bulk != "auto" && *bulk != "on" && *bulk != "off" {
		return usagef("--bulk: %q is not auto, on or off", *bulk)
	}
	run, ok := importers[source]
	if !ok {
		return usagef("unknown source %q (%s)", source, importSources())
	}
	f, err := openInput(path)
	if err != nil {
		return err
	}
	defer f.Close()
	s, err := store.Open(ctx, *db, store.Options{})
	if err != nil {
		return err
	}
	defer s.Close()
	if e.getenv("GOMEMLIMIT") == "" {
		// An import streams, but garbage accumulates faster than the
		// collector's default pace clears it: a budget keeps a million-row
		// file well under 500 MB (GOMEMLIMIT overrides it).
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(importMemoryLimit))
	}
	in := importInput{r: f, name: filepath.Base(path), size: -1, bulk: *bulk}
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		in.size = st.Size()
	}
	sum, err := run(ctx, e, s, in)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	fmt.Fprintf(e.stdout, "read %d, new %d, updated %d, unchanged %d, rejected %d\n",
		sum.Read, sum.New, sum.Updated, sum.Unchanged, len(sum.Rejects))
	for _, r := range sum.Rejects {
		fmt.Fprintf(e.stderr, "%s: rejected %s\n", path, r)
	}
	if len(sum.Rejects) > 0 && !*allowRejects {
		return exitCode(1)
	}
	return nil
}

func importRatings(ctx context.Context, e *env, s *store.Store, in importInput) (importSummary, error) {
	rs, rejects, err := importer.Ratings(in.r, "CAAT UK arms export data: ratings")
	if err != nil {
		return importSummary{}, err
	}
	added, updated, err := s.ImportRatings(ctx, exportctl.System, rs)
	return importSummary{Read: len(rs) + len(rejects), New: added, Updated: updated, Unchanged: len(rs) - added - updated, Rejects: rejects}, err
}

func importDenials(ctx context.Context, e *env, s *store.Store, in importInput) (importSummary, error) {
	ds, rejects, err := importer.Denials(in.r)
	if err != nil {
		return importSummary{}, err
	}
	added, unchanged, err := s.ImportDenials(ctx, exportctl.System, ds, in.name)
	return importSummary{Read: len(ds) + len(rejects), New: added, Unchanged: unchanged, Rejects: rejects}, err
}
