package store

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/ledger"
)

// DefaultLogOrigin names the log in checkpoints unless configured.
const DefaultLogOrigin = "exportctl/log"

// publish appends the leaf for a published event inside the caller's
// transaction: the change and its leaf commit together or not at all.
func (s *Store) publish(ctx context.Context, tx *sql.Tx, kind, subjectType string, subjectID int64) error {
	return s.publishMany(ctx, tx, kind, subjectType, []int64{subjectID})
}

// publishMany appends the leaves of several events of one kind, in order,
// with one move of the log head and bulk inserts (a review's outcome
// changes hundreds of licences at once).
func (s *Store) publishMany(ctx context.Context, tx *sql.Tx, kind, subjectType string, subjectIDs []int64) error {
	if len(subjectIDs) == 0 {
		return nil
	}
	leaves := make([]pendingLeaf, len(subjectIDs))
	for i, id := range subjectIDs {
		leaf, fields, err := s.buildLeaf(ctx, tx, kind, id)
		if err != nil {
			return fmt.Errorf("log leaf for %s %d: %w", subjectType, id, err)
		}
		leaves[i] = pendingLeaf{leaf: leaf, restricted: fields}
	}
	return s.appendLeaves(ctx, tx, leaves)
}

// pendingLeaf is a leaf to append with its restricted fields (nil: none).
type pendingLeaf struct {
	leaf       exportctl.LogLeaf
	restricted []byte
}

// appendLeaves appends leaves in one go: one move of the log head, one
// read of the tree's frontier, multi-row inserts. Commands append one leaf;
// a command that publishes many events at once appends them together.
func (s *Store) appendLeaves(ctx context.Context, tx *sql.Tx, leaves []pendingLeaf) error {
	if len(leaves) == 0 {
		return nil
	}
	data := make([][]byte, len(leaves))
	var restricted [][]any
	for i := range leaves {
		l := &leaves[i]
		var salt []byte
		if l.restricted != nil {
			salt = make([]byte, 16)
			rand.Read(salt)
			l.leaf.Commitment = commitment(salt, l.restricted)
		}
		b, err := json.Marshal(l.leaf)
		if err != nil {
			return err
		}
		data[i] = b
		if l.restricted != nil {
			restricted = append(restricted, []any{i, salt, string(l.restricted)}) // index fixed below
		}
	}
	// The row lock on log_head serialises appends across servers.
	var size int64
	if err := tx.QueryRowContext(ctx, `UPDATE log_head SET size = size + $1 WHERE id = 1 RETURNING size`, len(leaves)).Scan(&size); err != nil {
		return err
	}
	n := size - int64(len(leaves))
	hashes, err := ledger.AppendBatch(ctx, n, data, txHashes{tx})
	if err != nil {
		return err
	}
	now := ts(s.now())
	entries := make([][]any, len(leaves))
	for i, l := range leaves {
		entries[i] = []any{n + int64(i), l.leaf.Kind, l.leaf.SubjectType, l.leaf.SubjectID, data[i], now}
	}
	if err := s.insertMany(ctx, tx, "log_entries", []string{"idx", "kind", "subject_type", "subject_id", "data", "created_at"}, entries, "", nil); err != nil {
		return err
	}
	first := tlog.StoredHashIndex(0, n)
	rows := make([][]any, len(hashes))
	for i, h := range hashes {
		rows[i] = []any{first + int64(i), h[:]}
	}
	if err := s.insertMany(ctx, tx, "log_hashes", []string{"idx", "hash"}, rows, "", nil); err != nil {
		return err
	}
	for _, r := range restricted {
		r[0] = n + int64(r[0].(int))
	}
	if err := s.insertMany(ctx, tx, "log_restricted", []string{"idx", "salt", "fields"}, restricted, "", nil); err != nil {
		return err
	}
	return s.project(ctx, tx, n, leaves)
}

func commitment(salt, fields []byte) string {
	h := sha256.New()
	h.Write(salt)
	h.Write(fields)
	return hex.EncodeToString(h.Sum(nil))
}

// buildLeaf computes a leaf from the rows it records. Appending and local
// verification both call it, so a row edited after the fact no longer
// rebuilds to the leaf that was logged.
func (s *Store) buildLeaf(ctx context.Context, q queryer, kind string, id int64) (exportctl.LogLeaf, []byte, error) {
	switch kind {
	case exportctl.LogDecision:
		return s.decisionLeaf(ctx, q, id)
	case exportctl.LogLicenceStatus:
		return s.licenceStatusLeaf(ctx, q, id)
	case exportctl.LogDeparture:
		return s.departureLeaf(ctx, q, id)
	case exportctl.LogStatisticsRelease:
		return s.statisticsReleaseLeaf(ctx, q, id)
	case exportctl.LogReviewOpened, exportctl.LogReviewOutcome, exportctl.LogReviewStatement:
		return s.reviewLeaf(ctx, q, kind, id)
	}
	return exportctl.LogLeaf{}, nil, fmt.Errorf("unknown log kind %q", kind)
}

// canonical marshals a map with sorted keys (encoding/json sorts map keys).
func canonical(m map[string]any) []byte {
	b, _ := json.Marshal(m)
	return b
}

func (s *Store) decisionLeaf(ctx context.Context, q queryer, id int64) (exportctl.LogLeaf, []byte, error) {
	var appID int64
	var outcome, criteria, set, reasons, publicReasons, at, ref, licType, expType, dest, org, endUser, goodsSummary string
	var departure int
	var total int64
	err := q.QueryRowContext(ctx, `SELECT d.application_id, d.outcome, d.criteria, d.criteria_set, d.reasons, d.public_reasons, d.decided_at, d.departure,
		a.reference, a.licence_type, a.export_type, a.destination, o.name, a.end_user_name, a.goods_summary, a.total_value_pence
		FROM decisions d JOIN applications a ON a.id = d.application_id JOIN organisations o ON o.id = a.org_id WHERE d.id = $1`, id).
		Scan(&appID, &outcome, &criteria, &set, &reasons, &publicReasons, &at, &departure, &ref, &licType, &expType, &dest, &org, &endUser, &goodsSummary, &total)
	if err != nil {
		return exportctl.LogLeaf{}, nil, err
	}
	goods, err := s.loadGoods(ctx, q, appID)
	if err != nil {
		return exportctl.LogLeaf{}, nil, err
	}
	parties, err := s.loadParties(ctx, q, appID)
	if err != nil {
		return exportctl.LogLeaf{}, nil, err
	}
	var ratings []string
	military := false
	for _, g := range goods {
		if f := exportctl.RatingFamily(g.Rating); !slices.Contains(ratings, f) {
			ratings = append(ratings, f)
		}
		military = military || exportctl.MilitaryRating(g.Rating)
	}
	slices.Sort(ratings)
	endUserType := ""
	for _, p := range parties {
		if p.Role == exportctl.PartyEndUser {
			endUserType = p.Type
		}
	}
	public := map[string]any{
		"outcome": outcome, "licence_type": licType, "export_type": expType, "destination": dest,
		"criteria": splitList(criteria), "criteria_set": set, "ratings": ratings, "military": military,
		"end_user_type": endUserType, "departure": departure != 0,
	}
	// The published statement of reasons, when the decision maker gave
	// one (absent otherwise, so earlier leaves rebuild as logged).
	if publicReasons != "" {
		public["reasons"] = publicReasons
	}
	restricted := map[string]any{"exporter": org, "end_user": endUser, "goods": goodsSummary, "reasons": reasons}
	// Open licences publish no values (as the official statistics).
	if exportctl.OpenLicence(licType) {
		restricted["value_pence"] = total
	} else {
		public["value_gbp"] = float64(total) / 100
	}
	return exportctl.LogLeaf{Version: 1, Kind: exportctl.LogDecision, At: parseTS(at), SubjectType: "decision", SubjectID: id,
		Reference: ref, Public: canonical(public)}, canonical(restricted), nil
}

func (s *Store) licenceStatusLeaf(ctx context.Context, q queryer, id int64) (exportctl.LogLeaf, []byte, error) {
	var from, action, to, reasons, at, ref, dest, conditions, review string
	err := q.QueryRowContext(ctx, `SELECT t.from_status, t.action, t.to_status, t.reasons, t.at, l.reference, l.destination, t.conditions, COALESCE(r.reference, '')
		FROM licence_transitions t JOIN licences l ON l.id = t.licence_id LEFT JOIN reviews r ON r.id = t.review_id WHERE t.id = $1`, id).
		Scan(&from, &action, &to, &reasons, &at, &ref, &dest, &conditions, &review)
	if err != nil {
		return exportctl.LogLeaf{}, nil, err
	}
	// Suspending, revoking or reinstating a licence is a public act and its
	// reasons are published with it (the register shows them).
	public := map[string]any{"from": from, "action": action, "to": to, "destination": dest, "reasons": reasons}
	// A review's changes name it, and an amendment publishes its conditions
	// (absent keys keep earlier leaves rebuilding as they were logged).
	if review != "" {
		public["review"] = review
	}
	if conditions != "" {
		public["conditions"] = conditions
	}
	return exportctl.LogLeaf{Version: 1, Kind: exportctl.LogLicenceStatus, At: parseTS(at), SubjectType: "licence_transition", SubjectID: id,
		Reference: ref, Public: canonical(public)}, nil, nil
}

func (s *Store) departureLeaf(ctx context.Context, q queryer, id int64) (exportctl.LogLeaf, []byte, error) {
	var kind, scope, reasons, criteria, at, ref, dest string
	err := q.QueryRowContext(ctx, `SELECT d.kind, d.scope, d.reasons, d.criteria, d.decided_at, a.reference, a.destination
		FROM departures d JOIN applications a ON a.id = d.application_id WHERE d.id = $1`, id).Scan(&kind, &scope, &reasons, &criteria, &at, &ref, &dest)
	if err != nil {
		return exportctl.LogLeaf{}, nil, err
	}
	// A departure is published whole, reasons included: that is the point.
	public := map[string]any{"kind": kind, "scope": scope, "reasons": reasons, "criteria": splitList(criteria), "destination": dest}
	return exportctl.LogLeaf{Version: 1, Kind: exportctl.LogDeparture, At: parseTS(at), SubjectType: "departure", SubjectID: id,
		Reference: ref, Public: canonical(public)}, nil, nil
}

// txHashes reads stored hashes inside a transaction.
type txHashes struct{ q queryer }

func (t txHashes) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return readHashes(ctx, t.q, indexes)
}

func readHashes(ctx context.Context, q queryer, indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	if len(indexes) == 0 {
		return out, nil
	}
	lo, hi := slices.Min(indexes), slices.Max(indexes)
	// A tile's hashes lie in one index range: one range scan reads them. A
	// proof's are few and spread over the whole table: look each one up.
	var rows *sql.Rows
	var err error
	if hi-lo < 4*int64(len(indexes)) {
		rows, err = q.QueryContext(ctx, `SELECT idx, hash FROM log_hashes WHERE idx >= $1 AND idx <= $2`, lo, hi)
	} else {
		args := make([]any, len(indexes))
		for i, x := range indexes {
			args[i] = x
		}
		rows, err = q.QueryContext(ctx, `SELECT idx, hash FROM log_hashes WHERE idx IN (`+placeholders(1, len(indexes))+`)`, args...)
	}
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	want := make(map[int64][]int, len(indexes))
	for i, idx := range indexes {
		want[idx] = append(want[idx], i)
	}
	found := 0
	for rows.Next() {
		var idx int64
		var h []byte
		if err := rows.Scan(&idx, &h); err != nil {
			return nil, err
		}
		for _, i := range want[idx] {
			copy(out[i][:], h)
			found++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if found != len(indexes) {
		return nil, fmt.Errorf("log_hashes: %d of %d hashes missing", len(indexes)-found, len(indexes))
	}
	return out, nil
}

// The store serves the log: it implements ledger.Store.

// ReadHashes reads stored hashes for the tile server and proofs.
func (s *Store) ReadHashes(ctx context.Context, indexes []int64) ([]tlog.Hash, error) {
	return readHashes(ctx, s.read, indexes)
}

// Size is the number of leaves in the log.
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	err := s.read.QueryRowContext(ctx, `SELECT size FROM log_head WHERE id = 1`).Scan(&n)
	return n, err
}

// Entries returns the leaves [from, to).
func (s *Store) Entries(ctx context.Context, from, to int64) ([][]byte, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT idx, data FROM log_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx`, from, to)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][]byte
	for rows.Next() {
		var idx int64
		var data []byte
		if err := rows.Scan(&idx, &data); err != nil {
			return nil, err
		}
		if idx != from+int64(len(out)) {
			return nil, fmt.Errorf("log_entries: entry %d missing", from+int64(len(out)))
		}
		out = append(out, data)
	}
	return out, rows.Err()
}

// LogEntryFor finds the leaf that recorded a subject (decision, licence
// transition or departure), for the public pages' proofs.
func (s *Store) LogEntryFor(ctx context.Context, subjectType string, subjectID int64) (*exportctl.LogEntry, error) {
	var idx int64
	var data []byte
	err := s.read.QueryRowContext(ctx, `SELECT idx, data FROM log_entries WHERE subject_type = $1 AND subject_id = $2 ORDER BY idx LIMIT 1`,
		subjectType, subjectID).Scan(&idx, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, exportctl.NotFound("log entry for "+subjectType, subjectID)
	}
	if err != nil {
		return nil, exportctl.Internal("log.entry", err)
	}
	e := &exportctl.LogEntry{Index: idx}
	if err := json.Unmarshal(data, &e.Leaf); err != nil {
		return nil, exportctl.Internal("log.entry", err)
	}
	return e, nil
}

// logKeys holds the signing key, created on first use and kept in the
// settings table so that every server of one database signs as one log.
type logKeys struct {
	mu     sync.Mutex
	signer note.Signer
	vkey   string
	last   []byte // the latest signed checkpoint
	size   int64
}

// LogOrigin is the origin line of checkpoints; set before first use.
func (s *Store) logOrigin() string {
	if s.LogOrigin != "" {
		return s.LogOrigin
	}
	return DefaultLogOrigin
}

func (s *Store) loadLogKey(ctx context.Context) (note.Signer, string, error) {
	// The current key is read on every call: another server (or exportctl
	// ledger rotate-key) may have rotated it since.
	var vkey string
	err := s.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'log.verifier_key'`).Scan(&vkey)
	if errors.Is(err, sql.ErrNoRows) {
		if err := s.createLogKey(ctx); err != nil {
			return nil, "", err
		}
		err = s.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'log.verifier_key'`).Scan(&vkey)
	}
	if err != nil {
		return nil, "", err
	}
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if s.keys.signer != nil && s.keys.vkey == vkey {
		return s.keys.signer, s.keys.vkey, nil
	}
	var skey string
	if err := s.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'log.signer_key'`).Scan(&skey); err != nil {
		return nil, "", err
	}
	signer, err := ledger.NewSigner(skey)
	if err != nil {
		return nil, "", fmt.Errorf("log signing key: %w", err)
	}
	s.keys.signer, s.keys.vkey, s.keys.last = signer, vkey, nil
	return signer, vkey, nil
}

// createLogKey makes the log's first key. Two servers starting at once:
// the first insert wins, both read it back.
func (s *Store) createLogKey(ctx context.Context) error {
	sk, vk, err := ledger.GenerateKey(s.logOrigin())
	if err != nil {
		return err
	}
	return s.tx(ctx, "log.key", func(tx *sql.Tx) error {
		for _, kv := range [][2]string{{"log.signer_key", sk}, {"log.verifier_key", vk}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, kv[0], kv[1]); err != nil {
				return err
			}
		}
		return nil
	})
}

// RotateLogKey replaces the log's signing key (admins and the system):
// checkpoints are signed by the new key from now on, and the old key's
// verifier stays published among the log's keys, so checkpoints it signed
// still verify. Returns the new verifier key. The audit event names both
// public keys; secret keys are never logged.
func (s *Store) RotateLogKey(ctx context.Context, a exportctl.Actor) (string, error) {
	const op = "log.rotate_key"
	if a.Role == "" {
		return "", exportctl.Unauthorized("sign in first")
	}
	if err := a.Require(op, exportctl.RoleAdmin, "system"); err != nil {
		return "", err
	}
	if _, _, err := s.loadLogKey(ctx); err != nil { // makes the first key if there is none
		return "", exportctl.Internal(op, err)
	}
	sk, vk, err := ledger.GenerateKey(s.logOrigin())
	if err != nil {
		return "", exportctl.Internal(op, err)
	}
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		var old, retired string
		// Read under the write lock so two rotations cannot lose a key.
		if err := tx.QueryRowContext(ctx, `UPDATE settings SET value = value WHERE name = 'log.verifier_key' RETURNING value`).Scan(&old); err != nil {
			return err
		}
		err := tx.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'log.retired_verifier_keys'`).Scan(&retired)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		retired = strings.TrimSpace(retired + "\n" + old)
		for _, kv := range [][2]string{{"log.signer_key", sk}, {"log.verifier_key", vk}, {"log.retired_verifier_keys", retired}} {
			if _, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = excluded.value`, kv[0], kv[1]); err != nil {
				return err
			}
		}
		return s.audit(ctx, tx, a, s.now(), op, "log", 0, map[string]string{"retired_key": old, "new_key": vk})
	})
	if err != nil {
		return "", err
	}
	return vk, nil
}

// LogVerifierKeys lists every key the log has signed with: the current one
// first, then retired ones, newest first.
func (s *Store) LogVerifierKeys(ctx context.Context) ([]string, error) {
	_, vkey, err := s.loadLogKey(ctx)
	if err != nil {
		return nil, err
	}
	keys := []string{vkey}
	var retired string
	err = s.read.QueryRowContext(ctx, `SELECT value FROM settings WHERE name = 'log.retired_verifier_keys'`).Scan(&retired)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	old := strings.Fields(retired)
	slices.Reverse(old)
	return append(keys, old...), nil
}

// LogVerifierKey is the log's public key in the signed-note format.
func (s *Store) LogVerifierKey(ctx context.Context) (string, error) {
	_, vkey, err := s.loadLogKey(ctx)
	return vkey, err
}

// LogCheckpoint signs a checkpoint of the log at its current size (cached
// while the size does not change).
func (s *Store) LogCheckpoint(ctx context.Context) ([]byte, error) {
	signer, _, err := s.loadLogKey(ctx)
	if err != nil {
		return nil, err
	}
	size, err := s.Size(ctx)
	if err != nil {
		return nil, err
	}
	s.keys.mu.Lock()
	if s.keys.last != nil && s.keys.size == size {
		defer s.keys.mu.Unlock()
		return s.keys.last, nil
	}
	s.keys.mu.Unlock()
	cp, err := ledger.NewCheckpoint(ctx, signer.Name(), size, s)
	if err != nil {
		return nil, err
	}
	signed, err := ledger.Sign(cp, signer)
	if err != nil {
		return nil, err
	}
	s.keys.mu.Lock()
	s.keys.last, s.keys.size = signed, size
	s.keys.mu.Unlock()
	return signed, nil
}

// VerifyLog checks the log against the database: every leaf rebuilds from
// the rows it recorded, every published row has a leaf, licences' current
// status is their last logged status, and the stored tree hashes are the
// hashes of the leaves. An edit made directly in the database shows up
// here, named.
func (s *Store) VerifyLog(ctx context.Context) (size int64, problems []exportctl.LogMismatch, err error) {
	if size, err = s.Size(ctx); err != nil {
		return 0, nil, err
	}
	mem := ledger.NewMemoryStore()
	logged := map[string]bool{}
	register := map[int64]registerRow{} // what the public register must show
	lastStatus := map[string]string{}   // licence reference -> last logged status
	const batch = 1000
	for from := int64(0); from < size; from += batch {
		entries, err := s.Entries(ctx, from, min(from+batch, size))
		if err != nil {
			return size, nil, err
		}
		for i, data := range entries {
			idx := from + int64(i)
			if _, err := mem.Append(ctx, data); err != nil {
				return size, nil, err
			}
			var leaf exportctl.LogLeaf
			if err := json.Unmarshal(data, &leaf); err != nil {
				problems = append(problems, exportctl.LogMismatch{Index: idx, Subject: "leaf", Detail: "not a log leaf: " + err.Error()})
				continue
			}
			subject := leaf.SubjectType + " " + strconv.FormatInt(leaf.SubjectID, 10)
			logged[subject] = true
			if r, ok, _ := leafRow(idx, leaf); ok {
				register[idx] = r
			}
			if leaf.Kind == exportctl.LogLicenceStatus {
				var p struct{ To string }
				json.Unmarshal(leaf.Public, &p)
				lastStatus[leaf.Reference] = p.To
			}
			problems = append(problems, s.checkLeaf(ctx, idx, subject, leaf)...)
		}
	}
	// The stored tree must be the tree of the stored leaves.
	if size > 0 {
		stored, err := ledger.TreeHash(ctx, size, s)
		if err != nil {
			return size, nil, err
		}
		want, err := ledger.TreeHash(ctx, size, mem)
		if err != nil {
			return size, nil, err
		}
		if stored != want {
			problems = append(problems, exportctl.LogMismatch{Subject: "tree", Detail: "the stored tree hashes are not the hashes of the stored leaves"})
		}
	}
	missing, err := s.unloggedRows(ctx, logged, lastStatus)
	if err != nil {
		return size, nil, err
	}
	problems = append(problems, missing...)
	wrong, err := s.checkRegister(ctx, register)
	if err != nil {
		return size, nil, err
	}
	return size, append(problems, wrong...), nil
}

func (s *Store) checkLeaf(ctx context.Context, idx int64, subject string, leaf exportctl.LogLeaf) []exportctl.LogMismatch {
	rebuilt, fields, err := s.buildLeaf(ctx, s.read, leaf.Kind, leaf.SubjectID)
	if err != nil {
		return []exportctl.LogMismatch{{Index: idx, Subject: subject, Detail: "the logged row cannot be read: " + err.Error()}}
	}
	var out []exportctl.LogMismatch
	if !bytes.Equal(rebuilt.Public, leaf.Public) || rebuilt.Reference != leaf.Reference || !rebuilt.At.Equal(leaf.At) {
		out = append(out, exportctl.LogMismatch{Index: idx, Subject: subject,
			Detail: "the row no longer matches its leaf: " + diffFields(leaf.Public, rebuilt.Public)})
	}
	if leaf.Commitment != "" {
		var salt []byte
		if err := s.read.QueryRowContext(ctx, `SELECT salt FROM log_restricted WHERE idx = $1`, idx).Scan(&salt); err != nil {
			out = append(out, exportctl.LogMismatch{Index: idx, Subject: subject, Detail: "the salt of its restricted fields is missing"})
		} else if commitment(salt, fields) != leaf.Commitment {
			out = append(out, exportctl.LogMismatch{Index: idx, Subject: subject, Detail: "its restricted fields no longer match the logged commitment"})
		}
	}
	return out
}

// diffFields names the public fields that differ.
func diffFields(logged, now json.RawMessage) string {
	var a, b map[string]any
	json.Unmarshal(logged, &a)
	json.Unmarshal(now, &b)
	var names []string
	for k := range a {
		x, _ := json.Marshal(a[k])
		y, _ := json.Marshal(b[k])
		if !bytes.Equal(x, y) {
			names = append(names, fmt.Sprintf("%s was %s, is %s", k, x, y))
		}
	}
	slices.Sort(names)
	if len(names) == 0 {
		return "reference or time"
	}
	return strings.Join(names, "; ")
}

// unloggedRows finds published rows with no leaf, and licences whose
// status is not their last logged one.
func (s *Store) unloggedRows(ctx context.Context, logged map[string]bool, lastStatus map[string]string) ([]exportctl.LogMismatch, error) {
	var out []exportctl.LogMismatch
	check := func(subjectType, query string) error {
		rows, err := s.read.QueryContext(ctx, query)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return err
			}
			subject := subjectType + " " + strconv.FormatInt(id, 10)
			if !logged[subject] {
				out = append(out, exportctl.LogMismatch{Subject: subject, Detail: "published but not in the log"})
			}
		}
		return rows.Err()
	}
	// Historical records imported from published data (CAAT) were decided
	// outside this system: they are not published through its log.
	if err := check("decision", `SELECT d.id FROM decisions d JOIN applications a ON a.id = d.application_id WHERE a.historical = 0 ORDER BY d.id`); err != nil {
		return nil, err
	}
	if err := check("licence_transition", `SELECT t.id FROM licence_transitions t JOIN licences l ON l.id = t.licence_id
		WHERE t.action <> 'issue' AND l.historical = 0 ORDER BY t.id`); err != nil {
		return nil, err
	}
	if err := check("departure", `SELECT id FROM departures ORDER BY id`); err != nil {
		return nil, err
	}
	if err := check("statistics_release", `SELECT id FROM stats_releases ORDER BY id`); err != nil {
		return nil, err
	}
	for _, table := range []string{"review", "review_approval", "review_statement"} {
		if err := check(table, `SELECT id FROM `+table+`s ORDER BY id`); err != nil {
			return nil, err
		}
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, reference, status FROM licences WHERE historical = 0 ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var ref, status string
		if err := rows.Scan(&id, &ref, &status); err != nil {
			return nil, err
		}
		want, ok := lastStatus[ref]
		if !ok {
			want = exportctl.LicenceIssued
		}
		if status != want && status != exportctl.LicenceExpired {
			out = append(out, exportctl.LogMismatch{Subject: "licence " + strconv.FormatInt(id, 10),
				Detail: fmt.Sprintf("licence %s is %s but the log last recorded %s", ref, status, want)})
		}
	}
	return out, rows.Err()
}

var _ ledger.Store = (*Store)(nil)
