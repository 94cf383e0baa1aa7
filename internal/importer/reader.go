package importer

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
)

// Reader reads a CSV file by header name. It trims headers (real files
// have "Location "), matches them case-insensitively, skips HXL hashtag
// rows, and turns rows it cannot parse into RowErrors instead of stopping.
type Reader struct {
	csv     *csv.Reader
	index   map[string]int
	header  []string
	row     Row
	line    int
	offset  int // lines before the header (a preamble the caller skipped)
	rejects []RowError
	err     error
}

// Row is one record with access by column name.
type Row struct {
	index  map[string]int
	fields []string
}

// Get returns a column's value, with "NA" and surrounding spaces read as empty.
func (r Row) Get(name string) string {
	i, ok := r.index[strings.ToLower(name)]
	if !ok {
		return ""
	}
	return r.At(i)
}

// At returns the value of the column at index i (see Reader.Column) like
// Get does: trimmed, with "NA" read as empty; "" when i < 0 or the row is
// short. Looking columns up once and reading by index avoids a map lookup
// per cell on large files.
func (r Row) At(i int) string {
	if i < 0 || i >= len(r.fields) {
		return ""
	}
	v := strings.TrimSpace(r.fields[i])
	if v == "NA" {
		return ""
	}
	return v
}

// RawAt returns the value at index i exactly as read (untrimmed, "NA"
// kept: Namibia's alpha-2 code is NA), or "" when i is out of range.
func (r Row) RawAt(i int) string {
	if i < 0 || i >= len(r.fields) {
		return ""
	}
	return r.fields[i]
}

// Fields returns the row's cells as read. The slice belongs to the row.
func (r Row) Fields() []string { return r.fields }

// NewReader reads the header and checks that the required columns exist:
// a file of the wrong kind fails at once, naming what was expected.
func NewReader(r io.Reader, required []string) (*Reader, error) {
	c := csv.NewReader(r)
	c.FieldsPerRecord = -1
	c.LazyQuotes = true
	c.ReuseRecord = false
	header, err := c.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	idx := map[string]int{}
	names := make([]string, len(header))
	for i, h := range header {
		names[i] = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		h = strings.ToLower(names[i])
		if _, dup := idx[h]; !dup {
			idx[h] = i
		}
	}
	var missing []string
	for _, name := range required {
		if _, ok := idx[strings.ToLower(name)]; !ok {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("this is not the expected file: missing columns %s (expected at least: %s)",
			strings.Join(missing, ", "), strings.Join(required, ", "))
	}
	return &Reader{csv: c, index: idx, header: names}, nil
}

// Header returns the column names as the file spells them, trimmed and
// without a byte-order mark. The slice is shared: do not modify it.
func (r *Reader) Header() []string { return r.header }

// Column returns the index of the first of names (case-insensitive,
// trimmed) that the header has, or -1.
func (r *Reader) Column(names ...string) int {
	for _, n := range names {
		if i, ok := r.index[strings.ToLower(strings.TrimSpace(n))]; ok {
			return i
		}
	}
	return -1
}

// Next advances to the next data row.
func (r *Reader) Next() bool {
	for {
		rec, err := r.csv.Read()
		if errors.Is(err, io.EOF) {
			return false
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				r.rejects = append(r.rejects, RowError{pe.StartLine + r.offset, pe.Err.Error()})
				continue
			}
			r.err = err
			return false
		}
		line, _ := r.csv.FieldPos(0)
		r.line = line + r.offset
		if isHXL(rec) {
			continue
		}
		r.row = Row{index: r.index, fields: rec}
		return true
	}
}

// isHXL recognises a Humanitarian Exchange Language tag row: every
// non-empty cell starts with '#'.
func isHXL(rec []string) bool {
	tags := 0
	for _, f := range rec {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.HasPrefix(f, "#") {
			return false
		}
		tags++
	}
	return tags > 0
}

// Row returns the current row.
func (r *Reader) Row() Row { return r.row }

// Line is the line number where the current row starts.
func (r *Reader) Line() int { return r.line }

// Rejects lists rows the CSV parser could not read.
func (r *Reader) Rejects() []RowError { return r.rejects }

// Err is a read error that stopped the reader.
func (r *Reader) Err() error { return r.err }
