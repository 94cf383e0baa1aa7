// Package store implements the exportctl services on database/sql, for
// SQLite (modernc.org/sqlite, the default) and PostgreSQL (pgx). One SQL
// text serves both; dialect.go holds the differences.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/concern"
	"github.com/exportctl/exportctl/internal/workdays"
)

// Store is the database behind every service.
type Store struct {
	write   *sql.DB    // SQLite: one connection, so writers queue instead of failing
	readDB  *sql.DB    // a pool for readers; the same as write on PostgreSQL
	read    *stmtCache // readDB through cached prepared statements
	dialect dialect
	now     exportctl.Clock
	// PasswordParams are the Argon2id parameters for new password hashes.
	PasswordParams ArgonParams
	// Sensitivity decides which cases need a second countersignature.
	Sensitivity exportctl.SensitivityRules
	// Evidence answers the evidence guard; nil until an evidence register is wired.
	Evidence exportctl.EvidenceProvider
	// Reassessment is the threshold at which tick opens a reassessment task
	// (exportctl.DefaultReassessment when zero).
	Reassessment exportctl.ReassessmentRule
	// calendar counts working days for the service clocks (SetCalendar).
	calendar *workdays.Calendar
	// LogOrigin names the transparency log in its checkpoints (DefaultLogOrigin if empty).
	LogOrigin string
	keys      logKeys
	// ReceiptParams are the Argon2id parameters of receipt codes' secrets.
	ReceiptParams ArgonParams
	concerns      concernChannel
	register      registerCopy // the public register, for searches
	// loadBatch, when not 0, replaces LoadBatchSize (tests of loads
	// stopped part-way use files smaller than one batch).
	loadBatch int
	// exposure keeps recently prepared exposure indexes (exposure.go).
	exposure exposureCache
}

// Options configure Open.
type Options struct {
	Clock exportctl.Clock // defaults to time.Now
	// NoMigrate skips applying migrations at open (for `exportctl migrate --status`).
	NoMigrate bool
}

// IsPostgres reports whether a DSN names a PostgreSQL database.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to SQLite (a file path) or PostgreSQL (a postgres:// URL)
// and applies pending migrations.
func Open(ctx context.Context, dsn string, opt Options) (*Store, error) {
	s := &Store{now: opt.Clock, PasswordParams: DefaultArgonParams, ReceiptParams: DefaultArgonParams, Sensitivity: exportctl.DefaultSensitivity}
	s.concerns.limiter = concern.NewLimiter(codeFailuresGlobal, codeGlobalWindow, concurrentCodeChecks)
	if s.now == nil {
		s.now = time.Now
	}
	var err error
	if IsPostgres(dsn) {
		s.dialect = postgresDialect
		s.write, err = sql.Open("pgx", dsn)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		s.write.SetMaxOpenConns(20)
		s.write.SetMaxIdleConns(20)
		s.readDB = s.write
	} else {
		s.dialect = sqliteDialect
		if err := s.openSQLite(dsn); err != nil {
			return nil, err
		}
	}
	s.read = newStmtCache(s.readDB)
	if err := s.write.PingContext(ctx); err != nil {
		s.Close()
		return nil, fmt.Errorf("connect to %s database: %w", s.dialect.name, err)
	}
	if !opt.NoMigrate {
		if _, err := s.migrateAndSeed(ctx); err != nil {
			s.Close()
			return nil, err
		}
	}
	return s, nil
}

func (s *Store) openSQLite(path string) error {
	if path == "" {
		path = "exportctl.db"
	}
	q := url.Values{}
	q.Add("_pragma", "page_size(16384)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Add("_time_format", "sqlite")
	base := "file:" + path + "?" + q.Encode()
	var err error
	// The writer takes its lock when the transaction begins, so two
	// writers never deadlock upgrading read locks. Its page cache is 64 MB
	// rather than SQLite's 2 MB: a bulk import touches the pages of six
	// incident indexes per batch, and with the small cache it spent a
	// third of its time reading back pages it had just written.
	if s.write, err = sql.Open("sqlite", base+"&_txlock=immediate&_pragma=cache_size("+writerDefaults["cache_size"]+")&_pragma=temp_store("+writerDefaults["temp_store"]+")"); err != nil {
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	s.write.SetMaxOpenConns(1)
	if s.readDB, err = sql.Open("sqlite", base+"&_pragma=mmap_size(268435456)"); err != nil {
		return fmt.Errorf("open sqlite %s: %w", path, err)
	}
	s.readDB.SetMaxOpenConns(8)
	s.readDB.SetMaxIdleConns(8)
	return nil
}

// writerDefaults are the SQLite writer connection's settings that
// writerPragmas changes for a while: a 64 MB page cache, temporary files
// in memory, no sorter threads, a checkpoint after commits that leave
// 1,000 pages in the write-ahead log (SQLite's default).
var writerDefaults = map[string]string{"cache_size": "-65536", "temp_store": "MEMORY", "threads": "0", "wal_autocheckpoint": "1000"}

// writerPragmas sets pragmas on the SQLite writer (one connection) and
// returns the function that puts back the writer's usual settings.
func (s *Store) writerPragmas(ctx context.Context, set map[string]string) (restore func()) {
	for name, value := range set {
		s.write.ExecContext(ctx, `PRAGMA `+name+` = `+value)
	}
	return func() {
		ctx := context.WithoutCancel(ctx)
		for name := range set {
			s.write.ExecContext(ctx, `PRAGMA `+name+` = `+writerDefaults[name])
		}
	}
}

// Close closes the database.
func (s *Store) Close() error {
	s.read.close()
	err := s.write.Close()
	if s.readDB != s.write {
		err = errors.Join(err, s.readDB.Close())
	}
	return err
}

// SetClock replaces the store's clock and returns the previous one: for
// the demo, which records a history of concerns as of days past. Not for
// use while serving.
func (s *Store) SetClock(c exportctl.Clock) (previous exportctl.Clock) {
	previous, s.now = s.now, c
	return previous
}

// Now is the store's clock: tests that inject a clock read it back here.
func (s *Store) Now() time.Time { return s.now() }

// Engine names the database engine: "sqlite" or "postgres".
func (s *Store) Engine() string { return s.dialect.name }

// DB exposes the writer connection, for tests and tools that inspect tables.
func (s *Store) DB() *sql.DB { return s.write }

// Migrate applies pending migrations and returns how many ran.
func (s *Store) Migrate(ctx context.Context) (int, error) {
	p, err := s.migrations()
	if err != nil {
		return 0, err
	}
	res, err := p.Up(ctx)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	return len(res), nil
}

// migrations is the goose provider of this engine's migrations.
func (s *Store) migrations() (*goose.Provider, error) {
	fsys, err := s.dialect.migrations()
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithDisableGlobalRegistry(true)}
	if s.dialect.isPostgres() {
		// Several servers may start at once against one database.
		locker, err := lock.NewPostgresSessionLocker()
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(s.dialect.goose, s.write, fsys, opts...)
	if err != nil {
		return nil, fmt.Errorf("migrations: %w", err)
	}
	return p, nil
}

// tx runs fn in one write transaction: everything fn writes, including the
// audit event, commits together or not at all.
func (s *Store) tx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	return s.connTx(ctx, op, func(_ *sql.Conn, tx *sql.Tx) error { return fn(tx) })
}

// connTx is tx for a command that also uses the transaction's connection
// directly (an import's COPY on PostgreSQL).
func (s *Store) connTx(ctx context.Context, op string, fn func(conn *sql.Conn, tx *sql.Tx) error) error {
	conn, err := s.write.Conn(ctx)
	if err != nil {
		return s.wrap(op, err)
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return exportctl.Internal(op, err)
	}
	defer tx.Rollback()
	if err := fn(conn, tx); err != nil {
		return s.wrap(op, err)
	}
	if err := tx.Commit(); err != nil {
		return s.wrap(op, err)
	}
	return nil
}

// wrap turns driver errors into domain errors: unique violations become
// conflicts, everything unexpected becomes internal.
func (s *Store) wrap(op string, err error) error {
	var de *exportctl.Error
	var ve *exportctl.ValidationError
	if errors.As(err, &ve) {
		return err
	}
	if errors.As(err, &de) {
		if de.Op == "" {
			de.Op = op
		}
		return de
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if isUniqueViolation(err) {
		return &exportctl.Error{Code: exportctl.EConflict, Op: op, Message: "already exists", Err: err}
	}
	return exportctl.Internal(op, err)
}

func isUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// Timestamps are stored as fixed-width UTC text, so that they sort and
// compare the same way on both engines.
const timeFormat = "2006-01-02T15:04:05.000000Z"

func ts(t time.Time) string { return t.UTC().Format(timeFormat) }

func parseTS(s string) time.Time {
	t, _ := time.Parse(timeFormat, s)
	return t
}

func parseTSPtr(s sql.NullString) *time.Time {
	if !s.Valid || s.String == "" {
		return nil
	}
	t := parseTS(s.String)
	return &t
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
