package store

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/exportctl/exportctl"
)

// IncidentImportResult counts what an import of incidents did. Rejected
// holds the incidents the parser read but the register refuses
// (Incident.Validate), with their lines; the parser's own rejects are the
// caller's.
type IncidentImportResult struct {
	ImportResult
	Rejected []RowReject `json:"rejected"`
}

// RowReject is a row an import refused, with why.
type RowReject struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

func (r RowReject) String() string { return "line " + strconv.Itoa(r.Line) + ": " + r.Reason }

// IncidentReader feeds ImportIncidents: it calls emit for each incident
// with the line it starts on, in file order, and returns the parser's
// error (or emit's, which stops it). importer.ACLEDEach, SiNDEach and
// AWSDEach fit it directly.
type IncidentReader func(emit func(inc exportctl.Incident, line int) error) error

// ImportBatchSize is how many incidents one import transaction writes;
// a bulk load writes LoadBatchSize (fewer, larger commits: each rewrites
// the table's last pages and copies them at the next checkpoint).
const (
	ImportBatchSize = 2000
	LoadBatchSize   = 2 * ImportBatchSize
)

// pendingIncident is an incident waiting for its batch to be written.
type pendingIncident struct {
	inc    exportctl.Incident
	line   int
	source string // the record's source and id (made unique within the file)
	id     string
	enc    encodedIncident
}

// ImportIncidents imports incidents from one file of one source
// (importer is the name of the source, such as "acled"; file the file's
// name), in batches of ImportBatchSize, each one transaction with one
// audit event ("incidents.import" with its counts). A crash or a
// cancellation leaves whole batches, and running the import again
// completes it. The register stays searchable and writable throughout:
// the way to add to a register in use.
//
// Each record is identified by its source and source id (the first of
// Incident.Sources). The second and later records of a file with the same
// id are distinct records: their ids get "~2", "~3", ... in file order.
// The record's row hash is the SHA-256 of its canonical JSON: a record
// whose hash is unchanged writes nothing; a changed one updates the
// incident (the projection: analysts' decisions on publication and
// verification, and classifications, are kept) and adds a version; a new
// one is inserted as version 1. Parsing and writing overlap: batches are
// written by a second goroutine, which also calls progress (with the
// number of incidents read so far) after each batch commits. Memory stays
// flat apart from about 30 bytes per record for the duplicate-id check (a
// map of 64-bit FNV-1a hashes of the ids: deterministic, so a re-run
// suffixes the same records).
//
// Analysts, admins and the system.
func (s *Store) ImportIncidents(ctx context.Context, a exportctl.Actor, importer, file string, read IncidentReader, progress ImportProgress) (IncidentImportResult, error) {
	return s.importIncidents(ctx, a, importer, file, read, progress, false)
}

// LoadIncidents imports like ImportIncidents, for a first load or any
// file larger than the register: on SQLite, once a batch shows that the
// file brings new records, it drops the incidents' search indexes and the
// trigger that feeds the full-text index (noting them in incident_load,
// in the same transaction), writes the remaining batches,
// and then builds the indexes once and indexes the new rows' text in one
// pass (FinishIncidentLoad): sorting once is several times cheaper than
// keeping seven B-trees in order row by row. While it runs, searches stay
// correct but scan, and text searches miss the new rows. A crash leaves
// whole batches and the indexes noted: running the load again (or any
// import, or serve) builds them. On PostgreSQL the same, without the
// trigger: the text index is an index there.
// progress is called after each batch and before each indexing step.
func (s *Store) LoadIncidents(ctx context.Context, a exportctl.Actor, importer, file string, read IncidentReader, progress ImportProgress) (IncidentImportResult, error) {
	return s.importIncidents(ctx, a, importer, file, read, progress, true)
}

// ImportProgress is told how many incidents an import has read and
// written so far, and what it is doing when that is not writing rows
// (stage "" while writing; "indexing ..." at the end of a load).
type ImportProgress func(written int, stage string)

func (s *Store) importIncidents(ctx context.Context, a exportctl.Actor, importer, file string, read IncidentReader, progress ImportProgress, load bool) (IncidentImportResult, error) {
	const op = "incidents.import"
	var res IncidentImportResult
	if err := a.Require(op, exportctl.RoleAnalyst, exportctl.RoleAdmin, "system"); err != nil {
		return res, err
	}
	importer, file = strings.TrimSpace(importer), strings.TrimSpace(file)
	if importer == "" || len(importer) > 100 {
		return res, exportctl.Invalid("source", "name the source (at most 100 characters)")
	}
	if len(file) > 500 {
		return res, exportctl.Invalid("file", "is longer than 500 characters")
	}
	if progress == nil {
		progress = func(int, string) {}
	}
	// A load that stopped left rows the text index does not hold: an
	// update of one would ask the index to forget text it never had, so
	// finish that load before writing anything.
	if err := s.FinishIncidentLoad(ctx, func(stage string) { progress(0, stage) }); err != nil {
		return res, s.wrap(op, err)
	}
	caller := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	// The writer: one batch at a time, in order; the reader fills the
	// next batch meanwhile.
	batches := make(chan []pendingIncident, 1)
	writerDone := make(chan error, 1)
	var written IncidentImportResult
	iw, err := s.newImportWriter(ctx)
	if err != nil {
		iw.close()
		return res, exportctl.Internal(op, err)
	}
	var deferred bool // whether this load deferred the indexes
	if !s.dialect.isPostgres() {
		defer s.checkpointInBackground(ctx)()
	}
	go func() {
		defer iw.close()
		err := s.writeBatches(ctx, iw, a, importer, file, batches, &written, progress, load, &deferred)
		if err != nil {
			cancel()
			for range batches { // let the reader finish
			}
		}
		writerDone <- err
	}()

	seen := map[uint64]uint32{}
	size := ImportBatchSize
	if load {
		size = cmp.Or(s.loadBatch, LoadBatchSize)
	}
	batch := make([]pendingIncident, 0, size)
	emit := func(inc exportctl.Incident, line int) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(inc.Sources) == 0 || strings.TrimSpace(inc.Sources[0].Source) == "" || strings.TrimSpace(inc.Sources[0].ID) == "" {
			res.Rejected = append(res.Rejected, RowReject{line, "the record has no source id"})
			return nil
		}
		if err := inc.Validate(); err != nil {
			res.Rejected = append(res.Rejected, RowReject{line, err.Error()})
			return nil
		}
		src, id := inc.Sources[0].Source, inc.Sources[0].ID
		key := fnv64a(src + "\x00" + id)
		seen[key]++
		if n := seen[key]; n > 1 {
			id += "~" + strconv.Itoa(int(n))
			inc.Sources[0].ID = id
		}
		inc.ID, inc.GroupID, inc.CreatedAt = 0, 0, time.Time{}
		p := pendingIncident{inc: inc, line: line, source: src, id: id}
		p.enc = encodeIncident(&p.inc, nil)
		p.inc.Original = nil // written from p.enc: the map is the largest part of a waiting row
		batch = append(batch, p)
		if len(batch) == size {
			select {
			case batches <- batch:
			case <-ctx.Done():
				return ctx.Err()
			}
			batch = make([]pendingIncident, 0, size)
		}
		return nil
	}
	readErr := read(emit)
	if readErr == nil && len(batch) > 0 {
		select {
		case batches <- batch:
		case <-ctx.Done():
		}
	}
	close(batches)
	writeErr := <-writerDone
	written.Rejected = res.Rejected
	// Build what this load deferred, also after a failure, so that the
	// register is not left unindexed; after the caller's cancellation the
	// next import or serve does it.
	if deferred && caller.Err() == nil {
		// The batches are garbage now: give their memory back before the
		// index builds take theirs, so the two do not add up.
		debug.FreeOSMemory()
		if err := s.FinishIncidentLoad(caller, func(stage string) { progress(written.Read, stage) }); err != nil && writeErr == nil && readErr == nil {
			return written, s.wrap(op, err)
		}
	}
	switch {
	case writeErr != nil:
		return written, writeErr
	case readErr != nil:
		if ctxErr := ctx.Err(); ctxErr != nil && errors.Is(readErr, ctxErr) {
			return written, ctxErr
		}
		return written, readErr
	}
	if err := ctx.Err(); err != nil {
		return written, err
	}
	return written, nil
}

// writeBatches writes each batch in its own transaction.
// A load defers the indexes once a batch shows that the file brings new
// records (at least half of the batch): a file of records the register
// already holds is no cheaper to check without them, and rebuilding them
// for it would be waste. *deferred says whether it did.
func (s *Store) writeBatches(ctx context.Context, iw *importWriter, a exportctl.Actor, importer, file string, batches <-chan []pendingIncident, res *IncidentImportResult, progress ImportProgress, load bool, deferred *bool) error {
	const restartEvery = 8
	batchN := 0
	for b := range batches {
		before := res.New
		err := s.connTx(ctx, "incidents.import", func(conn *sql.Conn, tx *sql.Tx) error {
			return s.writeIncidentBatch(ctx, iw, conn, tx, a, importer, file, b, res)
		})
		if err != nil {
			return err
		}
		progress(res.Read, "")
		if batchN++; batchN%restartEvery == 0 && !s.dialect.isPostgres() {
			// Reset the log now and then: the background checkpoints have
			// copied most of it, but the log restarts only when a writer
			// finds it all copied, which a busy writer never does.
			s.write.ExecContext(ctx, `PRAGMA wal_checkpoint(RESTART)`)
		}
		if load && !*deferred && 2*(res.New-before) >= len(b) {
			if err := s.deferIncidentIndexes(ctx); err != nil {
				return err
			}
			*deferred = true
		}
	}
	return nil
}

// checkpointInBackground moves the write-ahead log's checkpoints off the
// writer for the length of an import: the writer stops checkpointing at
// its commits, and a reader connection checkpoints (PASSIVE: it never
// blocks the writer) every quarter second, so copying pages into the
// database runs on the other core while the writer writes. It returns
// the function that ends it, with a last checkpoint.
func (s *Store) checkpointInBackground(ctx context.Context) (stop func()) {
	restore := s.writerPragmas(ctx, map[string]string{"wal_autocheckpoint": "0"})
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				s.readDB.ExecContext(ctx, `PRAGMA wal_checkpoint(PASSIVE)`)
			}
		}
	}()
	return func() {
		close(done)
		<-finished
		restore()
		s.write.ExecContext(context.WithoutCancel(ctx), `PRAGMA wal_checkpoint(PASSIVE)`)
	}
}

// guardLoadedRows refuses to change incidents a load still in progress
// (in another process) has written since it deferred the text index:
// their text is not indexed yet, and the update trigger would ask the
// index to forget it. Imports finish a stopped load before they start, so
// only two imports of the same records at once meet this.
func guardLoadedRows(ctx context.Context, tx *sql.Tx, changed []*pendingIncident, existing map[string]knownRecord) error {
	var fromID sql.NullInt64
	if err := tx.QueryRowContext(ctx, `SELECT MIN(from_id) FROM incident_load`).Scan(&fromID); err != nil || !fromID.Valid {
		return err
	}
	for _, p := range changed {
		if existing[p.source+"\x00"+p.id].incidentID > fromID.Int64 {
			return &exportctl.Error{Code: exportctl.EConflict, Op: "incidents.import",
				Message: "a bulk load is writing these records: import the file again once it has finished"}
		}
	}
	return nil
}

// knownRecord is a record the register holds: its incident and row hash.
type knownRecord struct {
	incidentID int64
	hash       string
}

// writeOriginal replaces an incident's original source values (none
// removes them).
func writeOriginal(ctx context.Context, tx *sql.Tx, id int64, e *encodedIncident) error {
	o := e.part(e.original, "")
	if o == "" {
		_, err := tx.ExecContext(ctx, `DELETE FROM incident_originals WHERE incident_id = $1`, id)
		return err
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO incident_originals (incident_id, original) VALUES ($1, $2)
		ON CONFLICT (incident_id) DO UPDATE SET original = excluded.original`, id, o)
	return err
}

// fnv64a is the 64-bit FNV-1a hash of s.
func fnv64a(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// incidentInsertColumns are the projection's columns, in incidentValues order.
const incidentInsertColumns = `source, source_id, start_date, end_date, date_precision, country, admin1, admin2, admin3, place,
	latitude, longitude, geo_precision, redacted, event_type, sub_event_type, target, damage, aid_access,
	killed, injured, kidnapped, detained, health_workers, aid_workers, children, journalists,
	verification, narrative, publishable, launch, perpetrator, perpetrator_force, state_forces, weapon_text,
	classification_codes, actors, weapons, classifications`

const incidentInsertCount = 39

// incidentClosingColumns follow incidentValues in a new incident's row.
const (
	incidentClosingColumns = `publish_decided, verification_decided, version, created_at, updated_at, version_file`
	incidentClosingCount   = 6
)

// incidentValues are the projection's values of an incident.
func incidentValues(inc *exportctl.Incident, e *encodedIncident, source, sourceID string) []any {
	names, forces := inc.Perpetrators()
	state := 0
	for _, a := range inc.Actors {
		if a.Role == exportctl.ActorPerpetrator && (a.Type == 1 || a.Type == 8) {
			state = 1
		}
	}
	var weapons []string
	for _, w := range inc.Weapons {
		for _, t := range []string{w.Reported, w.Item} {
			if t != "" {
				weapons = append(weapons, t)
			}
		}
	}
	h := inc.Harm
	return []any{source, sourceID, inc.StartDate, inc.EndDate, inc.DatePrecision, inc.Country, inc.Admin1, inc.Admin2, inc.Admin3, inc.Place,
		nullFloat(inc.Latitude), nullFloat(inc.Longitude), inc.GeoPrecision, boolInt(inc.Redacted), inc.EventType, inc.SubEventType,
		inc.Target, inc.Damage, inc.AidAccess,
		h.Killed, h.Injured, h.Kidnapped, h.Detained, h.HealthWorkers, h.AidWorkers, h.Children, h.Journalists,
		inc.Verification, inc.Narrative, boolInt(inc.Publishable), inc.PrimaryLaunch(), strings.Join(names, "; "), strings.Join(forces, "; "),
		state, strings.Join(weapons, "; "), classificationCodes(inc),
		e.part(e.actors, "[]"), e.part(e.weapons, "[]"), e.part(e.classifications, "[]")}
}

// classificationCodes is the classification_codes column: "|code|code|".
func classificationCodes(inc *exportctl.Incident) string {
	if len(inc.Classifications) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteByte('|')
	for _, c := range inc.Classifications {
		b.WriteString(c.Code)
		b.WriteByte('|')
	}
	return b.String()
}

func nullFloat(f *float64) any {
	if f == nil {
		return nil
	}
	return *f
}

// placeholders returns "$from, ..., $(from+n-1)".
func placeholders(from, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('$')
		b.WriteString(strconv.Itoa(from + i))
	}
	return b.String()
}

var (
	insertIncidentSQL = `INSERT INTO incidents (` + incidentInsertColumns + `, ` + incidentClosingColumns + `)
		VALUES (` + placeholders(1, incidentInsertCount+incidentClosingCount) + `) RETURNING id`
	updateImportedSQL, updateImportedArgs = updateImported()
)

// updateImported builds the UPDATE of an imported incident and the
// indexes of incidentValues it takes: every projection column except the
// record's identity and the classifications (which are the register's);
// publication and verification only when no analyst has decided them.
func updateImported() (string, []int) {
	var sets []string
	var idx []int
	for i, col := range strings.Split(incidentInsertColumns, ",") {
		col = strings.TrimSpace(col)
		switch col {
		case "source", "source_id", "classification_codes", "classifications":
			continue
		}
		idx = append(idx, i)
		n := "$" + strconv.Itoa(len(idx))
		switch col {
		case "verification":
			sets = append(sets, "verification = CASE WHEN verification_decided = 1 THEN verification ELSE "+n+" END")
		case "publishable":
			sets = append(sets, "publishable = CASE WHEN publish_decided = 1 THEN publishable ELSE "+n+" END")
		default:
			sets = append(sets, col+" = "+n)
		}
	}
	n := len(idx)
	return "UPDATE incidents SET " + strings.Join(sets, ", ") + ", version = version + 1, version_source = '', version_file = $" + strconv.Itoa(n+1) +
		", updated_at = $" + strconv.Itoa(n+2) + " WHERE id = $" + strconv.Itoa(n+3), idx
}

// multiRow runs "prefix VALUES (...), (...) suffix" over rows, chunk
// rows a statement. Multi-row statements are what make the import fast
// on SQLite: each statement is one savepoint (at which FTS5 flushes its
// pending terms) and one statement journal. Statements are prepared once
// per import on the database and bound to each batch's transaction
// (Tx.StmtContext reuses them on SQLite's one writer connection): parsing
// a statement of thousands of parameters per batch cost 6 µs a row.
type multiRow struct {
	s      *Store
	prefix string
	suffix string
	cols   int
	chunk  int
	full   *sql.Stmt // the statement of a full chunk
}

// newMultiRow prepares the statement of a full chunk on the database,
// outside any transaction (SQLite's writer is one connection, which a
// transaction holds); shorter remainders are prepared in the transaction.
func (s *Store) newMultiRow(ctx context.Context, prefix string, cols int, suffix string) (*multiRow, error) {
	// At most 25,000 parameters a statement (SQLite allows 32,766, PostgreSQL
	// 65,535), in chunks that divide a batch.
	chunk := ImportBatchSize
	for chunk*cols > 25000 && chunk%2 == 0 {
		chunk /= 2
	}
	m := &multiRow{s: s, prefix: prefix, suffix: suffix, cols: cols, chunk: chunk}
	var err error
	m.full, err = s.write.PrepareContext(ctx, m.text(chunk))
	return m, err
}

func (m *multiRow) text(n int) string {
	var b strings.Builder
	b.WriteString(m.prefix)
	b.WriteString(" VALUES ")
	for r := range n {
		if r > 0 {
			b.WriteString(", ")
		}
		b.WriteByte('(')
		b.WriteString(m.s.dialect.seqPlaceholders(r*m.cols+1, m.cols))
		b.WriteByte(')')
	}
	b.WriteString(m.suffix)
	return b.String()
}

func (m *multiRow) close() {
	if m != nil && m.full != nil {
		m.full.Close()
	}
}

// run writes rows in tx; scan, when not nil, reads each chunk's RETURNING rows.
func (m *multiRow) run(ctx context.Context, tx *sql.Tx, rows [][]any, scan func(*sql.Rows) error) error {
	for len(rows) > 0 {
		n := min(len(rows), m.chunk)
		var txst *sql.Stmt
		if n == m.chunk {
			txst = tx.StmtContext(ctx, m.full)
		} else {
			var err error
			if txst, err = tx.PrepareContext(ctx, m.text(n)); err != nil {
				return err
			}
		}
		args := make([]any, 0, n*m.cols)
		for _, r := range rows[:n] {
			args = append(args, r...)
		}
		if scan == nil {
			if _, err := txst.ExecContext(ctx, args...); err != nil {
				return err
			}
		} else {
			res, err := txst.QueryContext(ctx, args...)
			if err != nil {
				return err
			}
			for res.Next() {
				if err := scan(res); err != nil {
					res.Close()
					return err
				}
			}
			res.Close()
			if err := res.Err(); err != nil {
				return err
			}
		}
		rows = rows[n:]
	}
	return nil
}

// importWriter writes an import's new rows: multi-row INSERTs, prepared
// once per import, on SQLite; COPY on PostgreSQL, which writes a batch of
// rows in one round trip and parses nothing per row.
type importWriter struct {
	s         *Store
	incidents *multiRow            // SQLite only
	tables    map[string]*multiRow // the other tables' INSERTs, by table: SQLite only
	// fresh records, per source, whether the register held no record of
	// it when this import first met it: then every record of the source
	// in this import is new (ids repeated within the file are suffixed),
	// and a first load skips looking each one up.
	fresh map[string]bool
}

// freshSource reports whether source had no records when this import
// first met it.
func (w *importWriter) freshSource(ctx context.Context, tx *sql.Tx, source string) (bool, error) {
	if fresh, ok := w.fresh[source]; ok {
		return fresh, nil
	}
	var held bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM incident_sources WHERE source = $1)`, source).Scan(&held); err != nil {
		return false, err
	}
	w.fresh[source] = !held
	return !held, nil
}

var (
	incidentCopyColumns = append(append([]string{"id"}, splitColumns(incidentInsertColumns)...), splitColumns(incidentClosingColumns)...)
	// importTables are the columns an import writes into each of the other
	// tables, in the order of its rows.
	importTables = map[string][]string{
		"incident_sources":   {"source", "source_id", "incident_id", "row_hash", "first_seen", "last_seen"},
		"incident_forces":    splitColumns(incidentForceColumns),
		"incident_originals": {"incident_id", "original"},
	}
)

func splitColumns(list string) []string {
	cols := strings.Split(list, ",")
	for i := range cols {
		cols[i] = strings.TrimSpace(cols[i])
	}
	return cols
}

func (s *Store) newImportWriter(ctx context.Context) (*importWriter, error) {
	w := &importWriter{s: s, fresh: map[string]bool{}, tables: map[string]*multiRow{}}
	if s.dialect.isPostgres() {
		return w, nil
	}
	var err error
	if w.incidents, err = s.newMultiRow(ctx, `INSERT INTO incidents (`+incidentInsertColumns+`, `+incidentClosingColumns+`)`,
		incidentInsertCount+incidentClosingCount, ` RETURNING id`); err != nil {
		return w, err
	}
	for table, cols := range importTables {
		if w.tables[table], err = s.newMultiRow(ctx, `INSERT INTO `+table+` (`+strings.Join(cols, ", ")+`)`, len(cols), ""); err != nil {
			return w, err
		}
	}
	return w, nil
}

func (w *importWriter) close() {
	w.incidents.close()
	for _, m := range w.tables {
		m.close()
	}
}

// insertIncidents writes new incidents (incidentValues plus the five
// closing columns) and returns their ids in the order of rows.
func (w *importWriter) insertIncidents(ctx context.Context, conn *sql.Conn, tx *sql.Tx, rows [][]any) ([]int64, error) {
	ids := make([]int64, 0, len(rows))
	if w.incidents != nil {
		// SQLite returns the rows of a multi-row INSERT in the order of
		// its VALUES.
		err := w.incidents.run(ctx, tx, rows, func(r *sql.Rows) error {
			var id int64
			err := r.Scan(&id)
			ids = append(ids, id)
			return err
		})
		if err == nil && len(ids) != len(rows) {
			err = fmt.Errorf("insert returned %d ids for %d incidents", len(ids), len(rows))
		}
		return ids, err
	}
	// COPY returns nothing: take the ids from the identity's sequence first.
	res, err := tx.QueryContext(ctx, `SELECT nextval(pg_get_serial_sequence('incidents', 'id')) FROM generate_series(1, $1)`, len(rows))
	if err != nil {
		return nil, err
	}
	defer res.Close()
	for res.Next() {
		var id int64
		if err := res.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	if err := res.Err(); err != nil {
		return nil, err
	}
	withID := make([][]any, len(rows))
	for i, r := range rows {
		withID[i] = append([]any{ids[i]}, r...)
	}
	return ids, copyRows(ctx, conn, "incidents", incidentCopyColumns, withID)
}

// insert writes rows into one of importTables.
func (w *importWriter) insert(ctx context.Context, conn *sql.Conn, tx *sql.Tx, table string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	if w.incidents == nil {
		return copyRows(ctx, conn, table, importTables[table], rows)
	}
	return w.tables[table].run(ctx, tx, rows, nil)
}

// copyRows writes rows into table with PostgreSQL's COPY, on the
// connection whose transaction is open.
func copyRows(ctx context.Context, conn *sql.Conn, table string, cols []string, rows [][]any) error {
	return conn.Raw(func(dc any) error {
		c, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("COPY needs a pgx connection, not %T", dc)
		}
		_, err := c.Conn().CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromRows(rows))
		return err
	})
}

// writeIncidentBatch writes one batch in tx: new records with multi-row
// inserts (COPY on PostgreSQL), changed ones one by one, and the batch's
// audit event. It adds the batch's counts to res.
func (s *Store) writeIncidentBatch(ctx context.Context, iw *importWriter, conn *sql.Conn, tx *sql.Tx, a exportctl.Actor, importer, file string, batch []pendingIncident, res *IncidentImportResult) error {
	const op = "incidents.import"
	now := s.now().UTC()
	stamp := ts(now)
	var nNew, nUpdated, nUnchanged int
	err := func() error {
		existing := make(map[string]knownRecord, len(batch))
		bySource := map[string][]string{}
		for _, p := range batch {
			bySource[p.source] = append(bySource[p.source], p.id)
		}
		var w where
		w.add("source = ?", "")
		w.add(s.dialect.inJSONList("source_id"), "")
		lookup, err := tx.PrepareContext(ctx, `SELECT source_id, incident_id, row_hash FROM incident_sources`+w.sql())
		if err != nil {
			return err
		}
		defer lookup.Close()
		for src, ids := range bySource {
			if fresh, err := iw.freshSource(ctx, tx, src); err != nil {
				return err
			} else if fresh {
				continue // nothing to look up
			}
			list, _ := json.Marshal(ids)
			rows, err := lookup.QueryContext(ctx, src, string(list))
			if err != nil {
				return err
			}
			for rows.Next() {
				var id string
				var k knownRecord
				if err := rows.Scan(&id, &k.incidentID, &k.hash); err != nil {
					rows.Close()
					return err
				}
				existing[src+"\x00"+id] = k
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}

		var newRows [][]any
		var fresh, changed []*pendingIncident
		for i := range batch {
			p := &batch[i]
			switch k, ok := existing[p.source+"\x00"+p.id]; {
			case !ok:
				fresh = append(fresh, p)
				newRows = append(newRows, append(incidentValues(&p.inc, &p.enc, p.source, p.id), 0, 0, 1, stamp, stamp, file))
			case k.hash == p.enc.hash:
				nUnchanged++
			default:
				changed = append(changed, p)
			}
		}
		var sourceRows, forceRowsNew, originalRows [][]any
		if len(fresh) > 0 {
			ids, err := iw.insertIncidents(ctx, conn, tx, newRows)
			if err != nil {
				return err
			}
			for i, p := range fresh {
				id := ids[i]
				sourceRows = append(sourceRows, []any{p.source, p.id, id, p.enc.hash, stamp, stamp})
				forceRowsNew = append(forceRowsNew, forceRows(id, &p.inc)...)
				if o := p.enc.part(p.enc.original, ""); o != "" {
					originalRows = append(originalRows, []any{id, o})
				}
			}
			nNew = len(fresh)
		}
		if len(changed) > 0 {
			if err := guardLoadedRows(ctx, tx, changed, existing); err != nil {
				return err
			}
			upd, err := tx.PrepareContext(ctx, updateImportedSQL)
			if err != nil {
				return err
			}
			defer upd.Close()
			updSource, err := tx.PrepareContext(ctx, `UPDATE incident_sources SET row_hash = $1, last_seen = $2 WHERE source = $3 AND source_id = $4`)
			if err != nil {
				return err
			}
			defer updSource.Close()
			for _, p := range changed {
				k := existing[p.source+"\x00"+p.id]
				vals := incidentValues(&p.inc, &p.enc, p.source, p.id)
				args := make([]any, 0, len(updateImportedArgs)+2)
				for _, i := range updateImportedArgs {
					args = append(args, vals[i])
				}
				args = append(args, file, stamp, k.incidentID)
				if err := s.supersedeIncident(ctx, tx, k.incidentID); err != nil {
					return err
				}
				if _, err := upd.ExecContext(ctx, args...); err != nil {
					return err
				}
				if _, err := updSource.ExecContext(ctx, p.enc.hash, stamp, p.source, p.id); err != nil {
					return err
				}
				if err := writeOriginal(ctx, tx, k.incidentID, &p.enc); err != nil {
					return err
				}
				if err := writeIncidentForces(ctx, tx, k.incidentID, &p.inc); err != nil {
					return err
				}
			}
			nUpdated = len(changed)
		}
		if err := iw.insert(ctx, conn, tx, "incident_sources", sourceRows); err != nil {
			return err
		}
		if err := iw.insert(ctx, conn, tx, "incident_forces", forceRowsNew); err != nil {
			return err
		}
		if err := iw.insert(ctx, conn, tx, "incident_originals", originalRows); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "incidents", 0, map[string]any{
			"source": importer, "file": file, "first_line": batch[0].line, "last_line": batch[len(batch)-1].line,
			"read": len(batch), "new": nNew, "updated": nUpdated, "unchanged": nUnchanged})
	}()
	if err != nil {
		return err
	}
	res.Read += len(batch)
	res.New += nNew
	res.Updated += nUpdated
	res.Unchanged += nUnchanged
	return nil
}
