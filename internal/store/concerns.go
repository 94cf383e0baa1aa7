package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/exportctl/exportctl"
	"github.com/exportctl/exportctl/internal/concern"
)

// Receipt-code rate limits. Per code id, in the database so that every
// server counts the same; across all codes, per server, in memory. Neither
// knows who tried: no address or browser detail is kept.
const (
	codeFailuresPerID     = 5
	codeFailureWindow     = time.Hour
	codeFailuresGlobal    = 60
	codeGlobalWindow      = time.Minute
	concurrentCodeChecks  = 2 // each Argon2id check holds 64 MiB
	concernMinReasonWords = 4
)

// concernChannel is the store's part of the concerns channel.
type concernChannel struct {
	keys    *concern.Keyring
	limiter *concern.Limiter
	dummy   struct {
		once sync.Once
		hash string
	}
}

// SetConcernKeys gives the store the concerns keyring (--concerns-key).
// Without it the channel answers conflict: nothing is stored in clear.
func (s *Store) SetConcernKeys(k *concern.Keyring) { s.concerns.keys = k }

func (s *Store) concernKeys(op string) (*concern.Keyring, error) {
	if s.concerns.keys == nil {
		return nil, &exportctl.Error{Code: exportctl.EConflict, Op: op, Message: "the concerns channel has no keys: start the server with --concerns-key FILE"}
	}
	return s.concerns.keys, nil
}

// reporterActor is how the record names a reporter, named or not: the
// audit trail never links an account to a concern.
var reporterActor = exportctl.Actor{Username: "reporter", Name: "Reporter", Role: "reporter"}

// concernRow is a concerns row: the clear columns and the sealed ones.
type concernRow struct {
	exportctl.Concern
	content, identity []byte
	codeHash          string
	reporterTag       sql.NullString
}

const concernColumns = `c.id, c.reference, c.status, c.level, c.anonymous, COALESCE(c.application_id, 0), COALESCE(c.licence_id, 0),
	COALESCE(c.assessment_id, 0), COALESCE(c.review_id, 0), COALESCE(c.handler_id, 0), COALESCE(u.name, ''), c.code_hash, c.reporter_tag,
	c.content, c.identity, c.received_at, c.ack_due, c.acknowledged_at, c.response_due, c.answered_at, c.closed_at,
	c.ack_missed, c.response_missed, c.escalations, c.identity_revealed_at`

const concernFrom = ` FROM concerns c LEFT JOIN users u ON u.id = c.handler_id`

func scanConcern(row interface{ Scan(...any) error }) (*concernRow, error) {
	var c concernRow
	var anon, ackMissed, respMissed int
	var received, ackDue, respDue string
	var acked, answered, closed, revealed sql.NullString
	if err := row.Scan(&c.ID, &c.Reference, &c.Status, &c.Level, &anon, &c.ApplicationID, &c.LicenceID, &c.AssessmentID, &c.ReviewID,
		&c.HandlerID, &c.Handler, &c.codeHash, &c.reporterTag, &c.content, &c.identity, &received, &ackDue, &acked, &respDue,
		&answered, &closed, &ackMissed, &respMissed, &c.Escalations, &revealed); err != nil {
		return nil, err
	}
	c.Anonymous, c.AckMissed, c.ResponseMissed = anon == 1, ackMissed == 1, respMissed == 1
	c.ReceivedAt, c.AckDue, c.ResponseDue = parseTS(received), parseTS(ackDue), parseTS(respDue)
	c.AcknowledgedAt, c.AnsweredAt, c.ClosedAt = parseTSPtr(acked), parseTSPtr(answered), parseTSPtr(closed)
	c.IdentityRevealed = revealed.Valid
	return &c, nil
}

func (s *Store) loadConcern(ctx context.Context, q queryer, id int64) (*concernRow, error) {
	c, err := scanConcern(q.QueryRowContext(ctx, `SELECT `+concernColumns+concernFrom+` WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, exportctl.NotFound("concern", id)
	}
	return c, err
}

// SubmitConcern raises a concern: content, identity and files are sealed
// before the transaction, the handler is chosen impartially inside it, and
// the receipt is signed over the submission time and the content's hash.
func (s *Store) SubmitConcern(ctx context.Context, a exportctl.Actor, in exportctl.ConcernInput) (*exportctl.ConcernReceipt, error) {
	const op = "concern.submit"
	k, err := s.concernKeys(op)
	if err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	identity := in.Identity
	if in.Named {
		if a.UserID == 0 {
			return nil, exportctl.Invalid("named", "sign in to give your account's name, or write your name and contact details under identity")
		}
		identity = fmt.Sprintf("%s (account %s, %s)", a.Name, a.Username, exportctl.RoleTitles[a.Role])
		if in.Identity != "" {
			identity += "; " + in.Identity
		}
	}
	content := exportctl.ConcernContent{Summary: in.Summary, Details: in.Details, Points: in.Points, Files: []exportctl.ConcernFileRef{}}
	var sealedFiles [][]byte
	for _, f := range in.Files {
		ct := f.ContentType
		if ct == "" {
			ct = "application/octet-stream"
		}
		content.Files = append(content.Files, exportctl.ConcernFileRef{Name: strings.TrimSpace(f.Name), ContentType: ct, Size: len(f.Data), SHA256: concern.ContentHash(f.Data)})
		sf, err := k.Seal(f.Data)
		if err != nil {
			return nil, exportctl.Internal(op, err)
		}
		sealedFiles = append(sealedFiles, sf)
	}
	contentJSON, err := json.MarshalIndent(content, "", "  ")
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	sealedContent, err := k.Seal(contentJSON)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	var sealedIdentity []byte
	if identity != "" {
		if sealedIdentity, err = k.SealIdentity([]byte(identity)); err != nil {
			return nil, exportctl.Internal(op, err)
		}
	}
	var tag any
	if in.Named {
		tag = k.ReporterTag(a.UserID)
	}
	code, codeID, secret := concern.NewCode()
	// Slow on purpose, so outside the transaction, and in one of the few
	// slots for Argon2id (64 MiB each), so a burst cannot exhaust memory.
	release := s.concerns.limiter.Acquire()
	codeHash, err := hashPassword(s.ReceiptParams, secret)
	release()
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	// Reporters' actions are recorded to the minute: enough for the clocks,
	// too coarse to match against other records of network traffic.
	now := reporterTime(s.now())
	out := &exportctl.ConcernReceipt{Code: code, Content: string(contentJSON), SubmittedAt: now, VerifierKey: k.ReceiptVerifierKey()}
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		if err := s.checkConcernLinks(ctx, tx, in.ConcernLinks); err != nil {
			return err
		}
		seq, err := s.nextSeq(ctx, tx, fmt.Sprintf("concern/%d", now.Year()))
		if err != nil {
			return err
		}
		out.Reference = fmt.Sprintf("CN/%d/%05d", now.Year(), seq)
		ackDue := exportctl.ConcernAckDue(now)
		if err := tx.QueryRowContext(ctx, `INSERT INTO concerns (reference, status, level, anonymous, application_id, licence_id, assessment_id, review_id,
			code_id, code_hash, reporter_tag, content, identity, received_at, ack_due, response_due)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) RETURNING id`,
			out.Reference, exportctl.ConcernReceived, exportctl.LevelHandler, boolInt(identity == ""), nullID(in.ApplicationID), nullID(in.LicenceID),
			nullID(in.AssessmentID), nullID(in.ReviewID), codeID, codeHash, tag, sealedContent, sealedIdentity, ts(now), ts(ackDue),
			ts(exportctl.ConcernResponseDue(now, nil))).Scan(&out.ID); err != nil {
			return err
		}
		for _, f := range sealedFiles {
			if _, err := tx.ExecContext(ctx, `INSERT INTO concern_files (concern_id, data) VALUES ($1, $2)`, out.ID, f); err != nil {
				return err
			}
		}
		if err := s.concernEvent(ctx, tx, out.ID, now, exportctl.EventReceived, exportctl.LevelHandler, reporterActor, "", nil); err != nil {
			return err
		}
		c, err := s.loadConcern(ctx, tx, out.ID)
		if err != nil {
			return err
		}
		if err := s.assignHandler(ctx, tx, c, now); err != nil {
			return err
		}
		return s.audit(ctx, tx, reporterActor, now, op, "concern", out.ID, map[string]any{"reference": out.Reference, "anonymous": identity == "", "files": len(sealedFiles)})
	})
	if err != nil {
		return nil, err
	}
	out.Receipt, err = k.SignReceipt(concern.Receipt{Reference: out.Reference, SubmittedAt: now, ContentSHA256: concern.ContentHash(contentJSON)})
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	return out, nil
}

// checkConcernLinks refuses links to cases, licences or assessments that do not exist.
func (s *Store) checkConcernLinks(ctx context.Context, q queryer, l exportctl.ConcernLinks) error {
	var errs exportctl.Errors
	for _, c := range []struct {
		field, table, what string
		id                 int64
	}{{"application_id", "applications", "case", l.ApplicationID}, {"licence_id", "licences", "licence", l.LicenceID}, {"assessment_id", "assessments", "assessment", l.AssessmentID}} {
		if c.id == 0 {
			continue
		}
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+c.table+` WHERE id = $1`, c.id).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			errs = append(errs, exportctl.Invalid(c.field, "there is no %s with id %d", c.what, c.id))
		}
	}
	return errs.Err()
}

// concernEvent appends to a concern's record; text, if any, is sealed.
func (s *Store) concernEvent(ctx context.Context, tx *sql.Tx, id int64, at time.Time, kind, level string, a exportctl.Actor, note string, text *string) error {
	var body []byte
	if text != nil {
		var err error
		if body, err = s.concerns.keys.Seal([]byte(*text)); err != nil {
			return err
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO concern_events (concern_id, at, kind, level, actor_id, actor_role, note, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
		id, ts(at), kind, level, nullID(a.UserID), string(a.Role), note, body)
	return err
}

// exclusions lists who may not handle a concern, and why: everyone who
// authored advice, a resolution, an assessment, final advice, a
// countersignature, a decision or a departure on the case it concerns (also
// through its licence or assessment), who changed the licence's status,
// who led, opened, determined, found, approved or published the review it
// concerns, or who declared a conflict on it.
func (s *Store) exclusions(ctx context.Context, q queryer, c *concernRow) (map[int64]string, error) {
	out := map[int64]string{}
	collect := func(query string, args ...any) error {
		rows, err := q.QueryContext(ctx, query, args...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var why string
			if err := rows.Scan(&id, &why); err != nil {
				return err
			}
			if _, seen := out[id]; !seen {
				out[id] = why
			}
		}
		return rows.Err()
	}
	apps := []int64{}
	if c.ApplicationID != 0 {
		apps = append(apps, c.ApplicationID)
	}
	for _, link := range []struct {
		query string
		id    int64
	}{{`SELECT COALESCE(application_id, 0) FROM licences WHERE id = $1`, c.LicenceID}, {`SELECT application_id FROM assessments WHERE id = $1`, c.AssessmentID}} {
		if link.id == 0 {
			continue
		}
		var app int64
		if err := q.QueryRowContext(ctx, link.query, link.id).Scan(&app); err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, err
		}
		if app != 0 && !slices.Contains(apps, app) {
			apps = append(apps, app)
		}
	}
	for _, app := range apps {
		if err := collect(`SELECT adviser_id, 'gave advice on the case' FROM advice WHERE application_id = $1 AND adviser_id IS NOT NULL
			UNION ALL SELECT resolved_by, 'resolved advice on the case' FROM advice_resolutions WHERE application_id = $1 AND resolved_by IS NOT NULL
			UNION ALL SELECT author_id, 'wrote an assessment of the case' FROM assessments WHERE application_id = $1 AND author_id IS NOT NULL
			UNION ALL SELECT author_id, 'wrote final advice on the case' FROM final_advice WHERE application_id = $1 AND author_id IS NOT NULL
			UNION ALL SELECT signer_id, 'countersigned the case' FROM countersignatures WHERE application_id = $1 AND signer_id IS NOT NULL
			UNION ALL SELECT decided_by, 'decided the case' FROM decisions WHERE application_id = $1 AND decided_by IS NOT NULL
			UNION ALL SELECT decided_by, 'recorded a departure on the case' FROM departures WHERE application_id = $1 AND decided_by IS NOT NULL`, app); err != nil {
			return nil, err
		}
	}
	if c.LicenceID != 0 {
		if err := collect(`SELECT actor_id, 'changed the licence''s status' FROM licence_transitions WHERE licence_id = $1 AND actor_id IS NOT NULL`, c.LicenceID); err != nil {
			return nil, err
		}
	}
	if c.ReviewID != 0 {
		if err := collect(`SELECT lead_id, 'leads the review' FROM reviews WHERE id = $1
			UNION ALL SELECT opened_by, 'opened the review' FROM reviews WHERE id = $1 AND opened_by IS NOT NULL
			UNION ALL SELECT recorded_by, 'recorded a determination in the review' FROM review_determinations WHERE review_id = $1 AND recorded_by IS NOT NULL
			UNION ALL SELECT recorded_by, 'recorded the review''s findings' FROM review_findings WHERE review_id = $1 AND recorded_by IS NOT NULL
			UNION ALL SELECT decided_by, 'approved the review''s outcome' FROM review_approvals WHERE review_id = $1 AND decided_by IS NOT NULL
			UNION ALL SELECT published_by, 'published the review''s statement' FROM review_statements WHERE review_id = $1 AND published_by IS NOT NULL`, c.ReviewID); err != nil {
			return nil, err
		}
	}
	if err := collect(`SELECT actor_id, 'declared a conflict of interest' FROM concern_events WHERE concern_id = $1 AND kind = $2 AND actor_id IS NOT NULL`,
		c.ID, exportctl.EventConflictDeclared); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return out, nil
	}
	// One person has one account per role, so the same person's other
	// accounts (same full name) are excluded too: over-exclusion is the
	// safe error.
	rows, err := q.QueryContext(ctx, `SELECT h.id, a.id FROM users h JOIN users a ON LOWER(a.name) = LOWER(h.name) AND a.id <> h.id
		WHERE h.role IN ($1, $2, $3, $4)`, string(exportctl.RoleConcernsHandler), string(exportctl.RoleNominatedOfficer),
		string(exportctl.RoleOversight), string(exportctl.RoleCustodian))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var staff, author int64
		if err := rows.Scan(&staff, &author); err != nil {
			return nil, err
		}
		if why, ok := out[author]; ok {
			if _, seen := out[staff]; !seen {
				out[staff] = why + " (under another account)"
			}
		}
	}
	return out, rows.Err()
}

// assignHandler gives the concern to the impartial handler with the
// fewest open concerns; when nobody is impartial it goes to the nominated
// officer.
func (s *Store) assignHandler(ctx context.Context, tx *sql.Tx, c *concernRow, now time.Time) error {
	excluded, err := s.exclusions(ctx, tx, c)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT u.id, u.name FROM users u
		WHERE u.role = $1 AND u.disabled = 0
		ORDER BY (SELECT COUNT(*) FROM concerns c WHERE c.handler_id = u.id AND c.status <> $2), u.id`,
		string(exportctl.RoleConcernsHandler), exportctl.ConcernClosed)
	if err != nil {
		return err
	}
	var pick int64
	var name string
	for rows.Next() {
		var id int64
		var n string
		if err := rows.Scan(&id, &n); err != nil {
			rows.Close()
			return err
		}
		if _, ex := excluded[id]; !ex && id != c.HandlerID && pick == 0 {
			pick, name = id, n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if pick == 0 {
		level := c.Level
		if level == exportctl.LevelHandler {
			level = exportctl.LevelNominatedOfficer
		}
		if _, err := tx.ExecContext(ctx, `UPDATE concerns SET handler_id = NULL, level = $1 WHERE id = $2`, level, c.ID); err != nil {
			return err
		}
		return s.concernEvent(ctx, tx, c.ID, now, exportctl.EventNoImpartialHolder, level, exportctl.System,
			"no impartial concerns handler is available: the nominated officer holds the concern", nil)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE concerns SET handler_id = $1 WHERE id = $2`, pick, c.ID); err != nil {
		return err
	}
	return s.concernEvent(ctx, tx, c.ID, now, exportctl.EventAssigned, c.Level, exportctl.System, "assigned to "+name, nil)
}

// impartialOfRole counts the enabled users of a role not excluded from the concern.
func (s *Store) impartialOfRole(ctx context.Context, tx *sql.Tx, c *concernRow, role exportctl.Role) (int, error) {
	excluded, err := s.exclusions(ctx, tx, c)
	if err != nil {
		return 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM users WHERE role = $1 AND disabled = 0`, string(role))
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return 0, err
		}
		if _, ex := excluded[id]; !ex {
			n++
		}
	}
	return n, rows.Err()
}

// holds reports whether the actor holds the concern at its level and may act on it.
func holds(a exportctl.Actor, c *concernRow) bool {
	switch c.Level {
	case exportctl.LevelHandler:
		return a.Role == exportctl.RoleConcernsHandler && a.UserID == c.HandlerID
	case exportctl.LevelNominatedOfficer:
		return a.Role == exportctl.RoleNominatedOfficer
	}
	return a.Role == exportctl.RoleOversight
}

// mayRead reports whether the actor may read the concern: its handler, a
// nominated officer once it reached them, oversight and custodians always.
func mayRead(a exportctl.Actor, c *concernRow) bool {
	switch a.Role {
	case exportctl.RoleOversight, exportctl.RoleCustodian:
		return true
	case exportctl.RoleNominatedOfficer:
		return c.Level != exportctl.LevelHandler || c.HandlerID == 0
	case exportctl.RoleConcernsHandler:
		return a.UserID == c.HandlerID
	}
	return false
}

// handling loads a concern for a handling command: not_found unless the
// actor may read it, forbidden if they are excluded or (hold) do not hold it.
func (s *Store) handling(ctx context.Context, tx *sql.Tx, a exportctl.Actor, op string, id int64, hold bool) (*concernRow, error) {
	if err := a.Require(op, exportctl.RoleConcernsHandler, exportctl.RoleNominatedOfficer, exportctl.RoleOversight, exportctl.RoleCustodian); err != nil {
		return nil, err
	}
	c, err := s.loadConcern(ctx, tx, id)
	if err != nil {
		return nil, err
	}
	if !mayRead(a, c) {
		return nil, exportctl.NotFound("concern", id)
	}
	excluded, err := s.exclusions(ctx, tx, c)
	if err != nil {
		return nil, err
	}
	if why, ex := excluded[a.UserID]; ex {
		return nil, &exportctl.Error{Code: exportctl.EForbidden, Op: op, Message: "you are excluded from this concern: you " + why}
	}
	if hold && !holds(a, c) {
		return nil, &exportctl.Error{Code: exportctl.EForbidden, Op: op,
			Message: fmt.Sprintf("the concern is held by the %s: only they may act on it", exportctl.Humanise(c.Level))}
	}
	return c, nil
}

func requireOpen(c *concernRow, op string) error {
	if c.Status == exportctl.ConcernClosed {
		return &exportctl.Error{Code: exportctl.EConflict, Op: op, Message: "the concern is closed"}
	}
	return nil
}

func requireReasons(field, text string) error {
	if len(strings.Fields(text)) < concernMinReasonWords {
		return exportctl.Invalid(field, "give your reasons in at least a sentence")
	}
	return nil
}

// AcknowledgeConcern acknowledges receipt; the response clock then runs
// three months from now.
func (s *Store) AcknowledgeConcern(ctx context.Context, a exportctl.Actor, id int64, message string) error {
	const op = "concern.acknowledge"
	if _, err := s.concernKeys(op); err != nil {
		return err
	}
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		c, err := s.handling(ctx, tx, a, op, id, true)
		if err != nil {
			return err
		}
		if c.Status != exportctl.ConcernReceived {
			return &exportctl.Error{Code: exportctl.EConflict, Op: op, Message: "the concern was already acknowledged"}
		}
		now := s.now().UTC()
		if err := s.acknowledge(ctx, tx, c, now); err != nil {
			return err
		}
		var text *string
		if m := strings.TrimSpace(message); m != "" {
			text = &m
		}
		if err := s.concernEvent(ctx, tx, id, now, exportctl.EventAcknowledged, c.Level, a, "", text); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "concern", id, "acknowledged")
	})
}

func (s *Store) acknowledge(ctx context.Context, tx *sql.Tx, c *concernRow, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE concerns SET status = $1, acknowledged_at = $2, response_due = $3 WHERE id = $4`,
		exportctl.ConcernAcknowledged, ts(now), ts(exportctl.ConcernResponseDue(c.ReceivedAt, &now)), c.ID)
	return err
}

// openContent opens a concern's sealed content.
func (s *Store) openContent(c *concernRow) (*exportctl.ConcernContent, error) {
	plain, err := s.concerns.keys.Open(c.content)
	if err != nil {
		return nil, fmt.Errorf("open concern %d: %w", c.ID, err)
	}
	var out exportctl.ConcernContent
	if err := json.Unmarshal(plain, &out); err != nil {
		return nil, err
	}
	for i := range out.Files {
		out.Files[i].ID = int64(i + 1)
	}
	return &out, nil
}

// sealedResponse is what a response's sealed body holds.
type sealedResponse struct {
	Findings []string `json:"findings"`
	Action   string   `json:"action"`
	Grounds  string   `json:"grounds"`
}

// RespondToConcern sends a substantive response. It is refused, saying
// what is missing, unless it has a finding on every point raised, the
// action taken and the grounds. Sent responses are frozen.
func (s *Store) RespondToConcern(ctx context.Context, a exportctl.Actor, id int64, in exportctl.ConcernResponseInput) (*exportctl.ConcernResponse, error) {
	const op = "concern.respond"
	k, err := s.concernKeys(op)
	if err != nil {
		return nil, err
	}
	var out *exportctl.ConcernResponse
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		c, err := s.handling(ctx, tx, a, op, id, true)
		if err != nil {
			return err
		}
		if err := requireOpen(c, op); err != nil {
			return err
		}
		if c.Status == exportctl.ConcernAnswered && in.Corrects == 0 {
			return &exportctl.Error{Code: exportctl.EConflict, Op: op, Message: "the concern has a response the reporter has not contested: to correct it, name it under corrects"}
		}
		if in.Corrects != 0 {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM concern_responses WHERE id = $1 AND concern_id = $2`, in.Corrects, id).Scan(&n); err != nil {
				return err
			}
			if n == 0 {
				return exportctl.Invalid("corrects", "response %d is not a response to this concern", in.Corrects)
			}
		}
		content, err := s.openContent(c)
		if err != nil {
			return err
		}
		if err := in.CheckSubstantive(content.Points); err != nil {
			return err
		}
		now := s.now().UTC()
		body, err := json.Marshal(sealedResponse{in.Findings, in.Action, in.Grounds})
		if err != nil {
			return err
		}
		sealed, err := k.Seal(body)
		if err != nil {
			return err
		}
		out = &exportctl.ConcernResponse{Level: c.Level, Author: a.Label(), Findings: in.Findings, Action: in.Action, Grounds: in.Grounds, Corrects: in.Corrects, SentAt: now}
		if err := tx.QueryRowContext(ctx, `INSERT INTO concern_responses (concern_id, level, author_id, author, body, corrects, sent_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, id, c.Level, nullID(a.UserID), out.Author, sealed, nullID(in.Corrects), ts(now)).Scan(&out.ID); err != nil {
			return err
		}
		if c.AcknowledgedAt == nil {
			// A response is also an acknowledgement.
			if err := s.acknowledge(ctx, tx, c, now); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE concerns SET status = $1, answered_at = $2, first_answered_at = COALESCE(first_answered_at, $2) WHERE id = $3`,
			exportctl.ConcernAnswered, ts(now), id); err != nil {
			return err
		}
		note := fmt.Sprintf("response %d sent", out.ID)
		if in.Corrects != 0 {
			note = fmt.Sprintf("response %d sent, correcting response %d", out.ID, in.Corrects)
		}
		if err := s.concernEvent(ctx, tx, id, now, exportctl.EventResponded, c.Level, a, note, nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "concern", id, map[string]any{"response_id": out.ID, "corrects": in.Corrects})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// DeclareConcernConflict records a declared conflict of interest. The
// declarant is excluded from then on; a handler's concern is reassigned.
func (s *Store) DeclareConcernConflict(ctx context.Context, a exportctl.Actor, id int64, reasons string) error {
	const op = "concern.conflict"
	if _, err := s.concernKeys(op); err != nil {
		return err
	}
	reasons = strings.TrimSpace(reasons)
	if err := requireReasons("reasons", reasons); err != nil {
		return err
	}
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		c, err := s.handling(ctx, tx, a, op, id, false)
		if err != nil {
			return err
		}
		now := s.now().UTC()
		if err := s.concernEvent(ctx, tx, id, now, exportctl.EventConflictDeclared, c.Level, a, a.Label()+" declared a conflict of interest", &reasons); err != nil {
			return err
		}
		switch {
		case a.UserID == c.HandlerID:
			if err := s.assignHandler(ctx, tx, c, now); err != nil {
				return err
			}
		case c.Level != exportctl.LevelHandler && a.Role == exportctl.LevelRole(c.Level):
			// Whoever holds it at this level must be impartial too: if nobody
			// of the role is left, the concern goes up at once.
			left, err := s.impartialOfRole(ctx, tx, c, a.Role)
			if err != nil {
				return err
			}
			if left == 0 {
				if err := s.escalate(ctx, tx, c, now, "no impartial "+exportctl.Humanise(c.Level)+" is left"); err != nil {
					return err
				}
			}
		}
		return s.audit(ctx, tx, a, now, op, "concern", id, "declared a conflict of interest")
	})
}

// RevealConcernIdentity records a custodian's decision to reveal the
// reporter's identity, with reasons, and returns it. The reporter sees the
// decision and its reasons with their code.
func (s *Store) RevealConcernIdentity(ctx context.Context, a exportctl.Actor, id int64, reasons string) (string, error) {
	const op = "concern.reveal"
	k, err := s.concernKeys(op)
	if err != nil {
		return "", err
	}
	if err := a.Require(op, exportctl.RoleCustodian); err != nil {
		return "", err
	}
	reasons = strings.TrimSpace(reasons)
	if err := requireReasons("reasons", reasons); err != nil {
		return "", err
	}
	var identity string
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		c, err := s.handling(ctx, tx, a, op, id, false)
		if err != nil {
			return err
		}
		if len(c.identity) == 0 {
			return &exportctl.Error{Code: exportctl.EConflict, Op: op, Message: "the reporter is anonymous: there is no identity to reveal"}
		}
		plain, err := k.OpenIdentity(c.identity)
		if err != nil {
			return err
		}
		identity = string(plain)
		now := s.now().UTC()
		if _, err := tx.ExecContext(ctx, `UPDATE concerns SET identity_revealed_at = COALESCE(identity_revealed_at, $1) WHERE id = $2`, ts(now), id); err != nil {
			return err
		}
		if err := s.concernEvent(ctx, tx, id, now, exportctl.EventIdentityRevealed, c.Level, a, "a custodian decided to reveal the reporter's identity", &reasons); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "concern", id, "revealed the reporter's identity to those handling the concern")
	})
	return identity, err
}

// AnswerProtection records the protective action taken on a retaliation report.
func (s *Store) AnswerProtection(ctx context.Context, a exportctl.Actor, id, protectionID int64, text string) error {
	const op = "concern.protection"
	if _, err := s.concernKeys(op); err != nil {
		return err
	}
	text = strings.TrimSpace(text)
	if err := requireReasons("text", text); err != nil {
		return err
	}
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		c, err := s.handling(ctx, tx, a, op, id, false)
		if err != nil {
			return err
		}
		if a.Role == exportctl.RoleCustodian {
			return &exportctl.Error{Code: exportctl.EForbidden, Op: op, Message: "custodians decide on identities, not on protection"}
		}
		now := s.now().UTC()
		res, err := tx.ExecContext(ctx, `UPDATE concern_protection SET answered_at = $1 WHERE id = $2 AND concern_id = $3 AND answered_at IS NULL`, ts(now), protectionID, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return exportctl.NotFound("open protection case", protectionID)
		}
		if err := s.concernEvent(ctx, tx, id, now, exportctl.EventProtectionAnswer, c.Level, a, fmt.Sprintf("protection case %d answered", protectionID), &text); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "concern", id, map[string]any{"protection_id": protectionID})
	})
}

// CloseConcern is the oversight body's decision to close a concern. A
// concern nobody has answered cannot be closed: that would bury it.
func (s *Store) CloseConcern(ctx context.Context, a exportctl.Actor, id int64, reasons string) error {
	const op = "concern.close"
	if _, err := s.concernKeys(op); err != nil {
		return err
	}
	if err := a.Require(op, exportctl.RoleOversight); err != nil {
		return err
	}
	reasons = strings.TrimSpace(reasons)
	if err := requireReasons("reasons", reasons); err != nil {
		return err
	}
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		c, err := s.handling(ctx, tx, a, op, id, false)
		if err != nil {
			return err
		}
		if err := requireOpen(c, op); err != nil {
			return err
		}
		if c.AnsweredAt == nil {
			return &exportctl.Error{Code: exportctl.EConflict, Op: op, Message: "the concern has had no substantive response: it cannot be closed before one is sent"}
		}
		now := s.now().UTC()
		if err := s.closeConcern(ctx, tx, id, now); err != nil {
			return err
		}
		if err := s.concernEvent(ctx, tx, id, now, exportctl.EventClosed, c.Level, a, "closed by the oversight body's decision", &reasons); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, now, op, "concern", id, "closed by decision")
	})
}

func (s *Store) closeConcern(ctx context.Context, tx *sql.Tx, id int64, now time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE concerns SET status = $1, closed_at = $2 WHERE id = $3`, exportctl.ConcernClosed, ts(now), id)
	return err
}

// escalate moves a concern one level up and records why.
func (s *Store) escalate(ctx context.Context, tx *sql.Tx, c *concernRow, now time.Time, why string) error {
	to := exportctl.NextLevel(c.Level)
	if _, err := tx.ExecContext(ctx, `UPDATE concerns SET level = $1, escalations = escalations + 1 WHERE id = $2`, to, c.ID); err != nil {
		return err
	}
	c.Level = to
	if err := s.concernEvent(ctx, tx, c.ID, now, exportctl.EventEscalated, to, exportctl.System, why+": escalated to the "+exportctl.Humanise(to), nil); err != nil {
		return err
	}
	return s.audit(ctx, tx, exportctl.System, now, "concern.escalate", "concern", c.ID, map[string]any{"to": to, "why": why})
}

// tickConcerns applies the clocks: a missed acknowledgement, a missed
// response or an unanswered protection case escalates, once per deadline.
func (s *Store) tickConcerns(ctx context.Context, tx *sql.Tx, now time.Time) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT `+concernColumns+concernFrom+`
		WHERE c.status <> $1 AND ((c.acknowledged_at IS NULL AND c.ack_missed = 0 AND c.ack_due < $2)
		OR (c.status IN ($3, $4, $5) AND c.response_missed = 0 AND c.response_due < $2)) ORDER BY c.id`,
		exportctl.ConcernClosed, ts(now), exportctl.ConcernReceived, exportctl.ConcernAcknowledged, exportctl.ConcernContested)
	if err != nil {
		return 0, err
	}
	var due []*concernRow
	for rows.Next() {
		c, err := scanConcern(rows)
		if err != nil {
			rows.Close()
			return 0, err
		}
		due = append(due, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	n := 0
	for _, c := range due {
		if c.AcknowledgedAt == nil && !c.AckMissed && c.AckDue.Before(now) {
			if _, err := tx.ExecContext(ctx, `UPDATE concerns SET ack_missed = 1 WHERE id = $1`, c.ID); err != nil {
				return n, err
			}
			if err := s.escalate(ctx, tx, c, now, "not acknowledged by "+c.AckDue.Format(time.DateOnly)); err != nil {
				return n, err
			}
			n++
		}
		awaiting := c.Status == exportctl.ConcernReceived || c.Status == exportctl.ConcernAcknowledged || c.Status == exportctl.ConcernContested
		if awaiting && !c.ResponseMissed && c.ResponseDue.Before(now) {
			if _, err := tx.ExecContext(ctx, `UPDATE concerns SET response_missed = 1 WHERE id = $1`, c.ID); err != nil {
				return n, err
			}
			if err := s.escalate(ctx, tx, c, now, "no substantive response by "+c.ResponseDue.Format(time.DateOnly)); err != nil {
				return n, err
			}
			n++
		}
	}
	// Protection cases past their clock go straight to the oversight body.
	prows, err := tx.QueryContext(ctx, `SELECT p.id, p.concern_id, p.due FROM concern_protection p
		WHERE p.answered_at IS NULL AND p.escalated = 0 AND p.due < $1 ORDER BY p.id`, ts(now))
	if err != nil {
		return n, err
	}
	type late struct {
		id, concern int64
		due         string
	}
	var lates []late
	for prows.Next() {
		var l late
		if err := prows.Scan(&l.id, &l.concern, &l.due); err != nil {
			prows.Close()
			return n, err
		}
		lates = append(lates, l)
	}
	prows.Close()
	if err := prows.Err(); err != nil {
		return n, err
	}
	for _, l := range lates {
		if _, err := tx.ExecContext(ctx, `UPDATE concern_protection SET escalated = 1 WHERE id = $1`, l.id); err != nil {
			return n, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE concerns SET level = $1, escalations = escalations + 1 WHERE id = $2`, exportctl.LevelOversight, l.concern); err != nil {
			return n, err
		}
		why := fmt.Sprintf("protection case %d not answered by %s: escalated to the oversight body", l.id, parseTS(l.due).Format(time.DateOnly))
		if err := s.concernEvent(ctx, tx, l.concern, now, exportctl.EventEscalated, exportctl.LevelOversight, exportctl.System, why, nil); err != nil {
			return n, err
		}
		if err := s.audit(ctx, tx, exportctl.System, now, "concern.escalate", "concern", l.concern, why); err != nil {
			return n, err
		}
		n++
	}
	// Failed code attempts matter only within their window.
	if _, err := tx.ExecContext(ctx, `DELETE FROM concern_code_failures WHERE at < $1`, ts(now.Add(-codeFailureWindow))); err != nil {
		return n, err
	}
	return n, nil
}

// --- the reporter's side ---

// reporterConcern resolves a reporter to their concern: by receipt code
// (rate-limited, Argon2id) or as the signed-in named reporter.
func (s *Store) reporterConcern(ctx context.Context, q queryer, r exportctl.ConcernReporter, op string) (*concernRow, error) {
	k, err := s.concernKeys(op)
	if err != nil {
		return nil, err
	}
	if r.Code != "" {
		id, err := s.checkCode(ctx, r.Code)
		if err != nil {
			return nil, err
		}
		return s.loadConcern(ctx, q, id)
	}
	if r.Actor.UserID == 0 {
		return nil, exportctl.Unauthorized("give your receipt code, or sign in if you raised the concern with your name")
	}
	c, err := s.loadConcern(ctx, q, r.ConcernID)
	if err != nil {
		return nil, err
	}
	if !c.reporterTag.Valid || c.reporterTag.String != k.ReporterTag(r.Actor.UserID) {
		return nil, exportctl.NotFound("concern", r.ConcernID)
	}
	return c, nil
}

// checkCode finds the concern a receipt code opens. Wrong codes are
// counted per code id and across all codes; past either limit every check
// is refused until the window passes. Unknown ids cost the same Argon2id
// check as known ones.
func (s *Store) checkCode(ctx context.Context, code string) (int64, error) {
	codeID, secret, err := concern.SplitCode(code)
	if err != nil {
		return 0, exportctl.Invalid("code", "%v", err)
	}
	now := s.now().UTC()
	if !s.concerns.limiter.Allow(now) {
		return 0, exportctl.Unauthorized("too many wrong receipt codes have been tried in the last minute: wait a few minutes and try again")
	}
	var failures int
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM concern_code_failures WHERE code_id = $1 AND at > $2`,
		codeID, ts(now.Add(-codeFailureWindow))).Scan(&failures); err != nil {
		return 0, exportctl.Internal("concern.code", err)
	}
	if failures >= codeFailuresPerID {
		return 0, exportctl.Unauthorized("this receipt code has been mistyped too often: wait an hour and try again")
	}
	var id int64
	hash := s.dummyCodeHash()
	err = s.read.QueryRowContext(ctx, `SELECT id, code_hash FROM concerns WHERE code_id = $1`, codeID).Scan(&id, &hash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, exportctl.Internal("concern.code", err)
	}
	release := s.concerns.limiter.Acquire()
	ok := checkPassword(hash, secret)
	release()
	if !ok || id == 0 {
		s.concerns.limiter.Fail(now)
		if err := s.tx(ctx, "concern.code", func(tx *sql.Tx) error {
			_, err := tx.ExecContext(ctx, `INSERT INTO concern_code_failures (code_id, at) VALUES ($1, $2)`, codeID, ts(reporterTime(now)))
			return err
		}); err != nil {
			return 0, err
		}
		return 0, exportctl.Unauthorized("that receipt code does not open a concern: check it and try again")
	}
	return id, nil
}

func (s *Store) dummyCodeHash() string {
	s.concerns.dummy.once.Do(func() {
		s.concerns.dummy.hash, _ = hashPassword(s.ReceiptParams, "not a receipt code")
	})
	return s.concerns.dummy.hash
}

// ReporterConcern is the reporter's view of their concern.
func (s *Store) ReporterConcern(ctx context.Context, r exportctl.ConcernReporter) (*exportctl.Concern, error) {
	const op = "concern.reporter"
	c, err := s.reporterConcern(ctx, s.read, r, op)
	if err != nil {
		return nil, err
	}
	out, err := s.concernView(ctx, s.read, c, viewReporter)
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	return out, nil
}

// MyConcerns lists the concerns a signed-in reporter raised with their name.
func (s *Store) MyConcerns(ctx context.Context, a exportctl.Actor) ([]exportctl.ConcernSummary, error) {
	const op = "concern.mine"
	k, err := s.concernKeys(op)
	if err != nil {
		return nil, err
	}
	if a.UserID == 0 {
		return nil, exportctl.Unauthorized("sign in to see the concerns you raised with your name")
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+summaryColumns+concernFrom+` WHERE c.reporter_tag = $1 ORDER BY c.id DESC`, k.ReporterTag(a.UserID))
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	defer rows.Close()
	out := []exportctl.ConcernSummary{}
	for rows.Next() {
		r, err := scanSummary(rows)
		if err != nil {
			return nil, exportctl.Internal(op, err)
		}
		r.Handler = "" // the reporter is not told who handles it
		out = append(out, r)
	}
	return out, rows.Err()
}

// reporterCommand runs a reporter's command on their concern.
func (s *Store) reporterCommand(ctx context.Context, r exportctl.ConcernReporter, op string, fn func(tx *sql.Tx, c *concernRow, now time.Time) error) error {
	// The code check is slow and writes its own failures: do it before the transaction.
	if r.Code != "" {
		id, err := s.checkCode(ctx, r.Code)
		if err != nil {
			return err
		}
		r = exportctl.ConcernReporter{ConcernID: id, Actor: r.Actor}
		return s.tx(ctx, op, func(tx *sql.Tx) error {
			c, err := s.loadConcern(ctx, tx, id)
			if err != nil {
				return err
			}
			return fn(tx, c, reporterTime(s.now()))
		})
	}
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		c, err := s.reporterConcern(ctx, tx, r, op)
		if err != nil {
			return err
		}
		return fn(tx, c, reporterTime(s.now()))
	})
}

// reporterTime is the time a reporter's action is recorded at: to the minute.
func reporterTime(t time.Time) time.Time { return t.UTC().Truncate(time.Minute) }

// AddConcernInformation adds the reporter's information to an open concern.
func (s *Store) AddConcernInformation(ctx context.Context, r exportctl.ConcernReporter, text string) error {
	const op = "concern.information"
	text = strings.TrimSpace(text)
	if text == "" {
		return exportctl.Invalid("text", "write the information you want to add")
	}
	return s.reporterCommand(ctx, r, op, func(tx *sql.Tx, c *concernRow, now time.Time) error {
		if err := requireOpen(c, op); err != nil {
			return err
		}
		if err := s.concernEvent(ctx, tx, c.ID, now, exportctl.EventInformationAdded, c.Level, reporterActor, "the reporter added information", &text); err != nil {
			return err
		}
		return s.audit(ctx, tx, reporterActor, now, op, "concern", c.ID, "added information")
	})
}

// ContestConcernResponse contests the latest response: the concern
// escalates one level and a new response is due within three months.
func (s *Store) ContestConcernResponse(ctx context.Context, r exportctl.ConcernReporter, reasons string) error {
	const op = "concern.contest"
	reasons = strings.TrimSpace(reasons)
	if reasons == "" {
		return exportctl.Invalid("reasons", "say what is wrong with the response")
	}
	return s.reporterCommand(ctx, r, op, func(tx *sql.Tx, c *concernRow, now time.Time) error {
		if c.Status != exportctl.ConcernAnswered {
			return &exportctl.Error{Code: exportctl.EConflict, Op: op, Message: "there is no response to contest: the concern is " + exportctl.Humanise(c.Status)}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE concerns SET status = $1, response_due = $2, response_missed = 0 WHERE id = $3`,
			exportctl.ConcernContested, ts(exportctl.ContestedResponseDue(now)), c.ID); err != nil {
			return err
		}
		if err := s.concernEvent(ctx, tx, c.ID, now, exportctl.EventContested, c.Level, reporterActor, "the reporter contested the response", &reasons); err != nil {
			return err
		}
		if err := s.escalate(ctx, tx, c, now, "response contested"); err != nil {
			return err
		}
		return s.audit(ctx, tx, reporterActor, now, op, "concern", c.ID, "contested the response")
	})
}

// AcceptConcernResponse accepts the latest response, which closes the concern.
func (s *Store) AcceptConcernResponse(ctx context.Context, r exportctl.ConcernReporter) error {
	const op = "concern.accept"
	return s.reporterCommand(ctx, r, op, func(tx *sql.Tx, c *concernRow, now time.Time) error {
		if c.Status != exportctl.ConcernAnswered {
			return &exportctl.Error{Code: exportctl.EConflict, Op: op, Message: "there is no response to accept: the concern is " + exportctl.Humanise(c.Status)}
		}
		if err := s.closeConcern(ctx, tx, c.ID, now); err != nil {
			return err
		}
		if err := s.concernEvent(ctx, tx, c.ID, now, exportctl.EventAccepted, c.Level, reporterActor, "the reporter accepted the response: closed", nil); err != nil {
			return err
		}
		return s.audit(ctx, tx, reporterActor, now, op, "concern", c.ID, "accepted the response")
	})
}

// FlagRetaliation opens a protection case with its own clock.
func (s *Store) FlagRetaliation(ctx context.Context, r exportctl.ConcernReporter, text string) error {
	const op = "concern.retaliation"
	text = strings.TrimSpace(text)
	if text == "" {
		return exportctl.Invalid("text", "describe what happened to you")
	}
	return s.reporterCommand(ctx, r, op, func(tx *sql.Tx, c *concernRow, now time.Time) error {
		var pid int64
		if err := tx.QueryRowContext(ctx, `INSERT INTO concern_protection (concern_id, opened_at, due) VALUES ($1, $2, $3) RETURNING id`,
			c.ID, ts(now), ts(now.AddDate(0, 0, exportctl.ProtectionResponseDays))).Scan(&pid); err != nil {
			return err
		}
		if err := s.concernEvent(ctx, tx, c.ID, now, exportctl.EventRetaliation, c.Level, reporterActor,
			fmt.Sprintf("the reporter flagged retaliation: protection case %d opened", pid), &text); err != nil {
			return err
		}
		return s.audit(ctx, tx, reporterActor, now, op, "concern", c.ID, map[string]any{"protection_id": pid})
	})
}

// --- reading ---

type concernViewer int

const (
	viewHandling concernViewer = iota
	viewReporter
)

// reporterSees are the event kinds a reporter is shown, with their text.
var reporterSees = map[string]bool{
	exportctl.EventReceived: true, exportctl.EventAcknowledged: true, exportctl.EventResponded: true, exportctl.EventInformationAdded: true,
	exportctl.EventContested: true, exportctl.EventAccepted: true, exportctl.EventEscalated: true, exportctl.EventIdentityRevealed: true,
	exportctl.EventRetaliation: true, exportctl.EventProtectionAnswer: true, exportctl.EventClosed: true,
}

// concernView opens a concern for someone entitled to read it.
func (s *Store) concernView(ctx context.Context, q queryer, c *concernRow, who concernViewer) (*exportctl.Concern, error) {
	out := c.Concern
	content, err := s.openContent(c)
	if err != nil {
		return nil, err
	}
	out.Content = content
	if who == viewHandling && c.IdentityRevealed && len(c.identity) > 0 {
		plain, err := s.concerns.keys.OpenIdentity(c.identity)
		if err != nil {
			return nil, err
		}
		out.Identity = string(plain)
	}
	if who == viewReporter {
		out.HandlerID, out.Handler = 0, ""
	}
	rows, err := q.QueryContext(ctx, `SELECT id, level, author, body, COALESCE(corrects, 0), sent_at FROM concern_responses WHERE concern_id = $1 ORDER BY id`, c.ID)
	if err != nil {
		return nil, err
	}
	out.Responses = []exportctl.ConcernResponse{}
	for rows.Next() {
		var r exportctl.ConcernResponse
		var body []byte
		var sent string
		if err := rows.Scan(&r.ID, &r.Level, &r.Author, &body, &r.Corrects, &sent); err != nil {
			rows.Close()
			return nil, err
		}
		plain, err := s.concerns.keys.Open(body)
		if err != nil {
			rows.Close()
			return nil, err
		}
		var sr sealedResponse
		if err := json.Unmarshal(plain, &sr); err != nil {
			rows.Close()
			return nil, err
		}
		r.Findings, r.Action, r.Grounds, r.SentAt = sr.Findings, sr.Action, sr.Grounds, parseTS(sent)
		if who == viewReporter {
			r.Author = exportctl.RoleTitles[exportctl.LevelRole(r.Level)]
		}
		out.Responses = append(out.Responses, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT e.id, e.at, e.kind, e.level, e.actor_role, COALESCE(u.name, ''), e.note, e.body
		FROM concern_events e LEFT JOIN users u ON u.id = e.actor_id WHERE e.concern_id = $1 ORDER BY e.id`, c.ID)
	if err != nil {
		return nil, err
	}
	out.Events = []exportctl.ConcernEvent{}
	for rows.Next() {
		var e exportctl.ConcernEvent
		var at, role, name string
		var body []byte
		if err := rows.Scan(&e.ID, &at, &e.Kind, &e.Level, &role, &name, &e.Note, &body); err != nil {
			rows.Close()
			return nil, err
		}
		e.At = parseTS(at)
		if who == viewReporter && !reporterSees[e.Kind] {
			continue
		}
		e.Actor = actorTitle(role, name, who)
		if len(body) > 0 {
			plain, err := s.concerns.keys.Open(body)
			if err != nil {
				rows.Close()
				return nil, err
			}
			e.Text = string(plain)
		}
		if who == viewReporter && e.Kind == exportctl.EventIdentityRevealed {
			out.ReporterNotices = append(out.ReporterNotices, fmt.Sprintf("On %s an identity custodian decided to reveal your identity to those handling your concern. Their reasons: %s",
				e.At.Format("2 January 2006"), e.Text))
		}
		out.Events = append(out.Events, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = q.QueryContext(ctx, `SELECT id, opened_at, due, answered_at, escalated FROM concern_protection WHERE concern_id = $1 ORDER BY id`, c.ID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out.Protection = []exportctl.ProtectionCase{}
	for rows.Next() {
		var p exportctl.ProtectionCase
		var opened, due string
		var answered sql.NullString
		var esc int
		if err := rows.Scan(&p.ID, &opened, &due, &answered, &esc); err != nil {
			return nil, err
		}
		p.OpenedAt, p.Due, p.AnsweredAt, p.Escalated = parseTS(opened), parseTS(due), parseTSPtr(answered), esc == 1
		out.Protection = append(out.Protection, p)
	}
	return &out, rows.Err()
}

// actorTitle names who did something: staff by name to staff, by role to
// the reporter; the reporter always as "Reporter".
func actorTitle(role, name string, who concernViewer) string {
	switch role {
	case "reporter":
		return "Reporter"
	case "system":
		return "exportctl"
	}
	title := exportctl.RoleTitles[exportctl.Role(role)]
	if who == viewHandling && name != "" {
		return name + " (" + title + ")"
	}
	return title
}

// Concern is one concern, opened for a handling role entitled to read it.
func (s *Store) Concern(ctx context.Context, a exportctl.Actor, id int64) (*exportctl.Concern, error) {
	const op = "concern.get"
	if _, err := s.concernKeys(op); err != nil {
		return nil, err
	}
	var out *exportctl.Concern
	// A read, but in a transaction so the exclusion check and the view agree.
	err := s.readTx(ctx, op, func(tx *sql.Tx) error {
		c, err := s.handling(ctx, tx, a, op, id, false)
		if err != nil {
			return err
		}
		out, err = s.concernView(ctx, tx, c, viewHandling)
		return err
	})
	return out, err
}

// ConcernFile returns evidence file n (1-based) of a concern, opened.
func (s *Store) ConcernFile(ctx context.Context, a exportctl.Actor, id, n int64) (*exportctl.ConcernFileRef, []byte, error) {
	const op = "concern.file"
	k, err := s.concernKeys(op)
	if err != nil {
		return nil, nil, err
	}
	var ref *exportctl.ConcernFileRef
	var data []byte
	err = s.readTx(ctx, op, func(tx *sql.Tx) error {
		c, err := s.handling(ctx, tx, a, op, id, false)
		if err != nil {
			return err
		}
		content, err := s.openContent(c)
		if err != nil {
			return err
		}
		if n < 1 || int(n) > len(content.Files) {
			return exportctl.NotFound("file", n)
		}
		ref = &content.Files[n-1]
		var sealed []byte
		if err := tx.QueryRowContext(ctx, `SELECT data FROM concern_files WHERE concern_id = $1 ORDER BY id LIMIT 1 OFFSET $2`, id, n-1).Scan(&sealed); err != nil {
			return err
		}
		data, err = k.Open(sealed)
		return err
	})
	return ref, data, err
}

// readTx runs fn in a read-only view: the writer's transaction on SQLite
// would queue behind writers, so reads use a transaction on the read pool.
func (s *Store) readTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	tx, err := s.readDB.BeginTx(ctx, nil)
	if err != nil {
		return exportctl.Internal(op, err)
	}
	defer tx.Rollback()
	if err := fn(tx); err != nil {
		return s.wrap(op, err)
	}
	return nil
}

const summaryColumns = `c.id, c.reference, c.status, c.level, c.anonymous, COALESCE(u.name, ''), c.received_at, c.ack_due, c.acknowledged_at,
	c.response_due, c.answered_at, c.escalations, c.ack_missed, c.response_missed,
	(SELECT COUNT(*) FROM concern_protection p WHERE p.concern_id = c.id AND p.answered_at IS NULL)`

func scanSummary(row interface{ Scan(...any) error }) (exportctl.ConcernSummary, error) {
	var r exportctl.ConcernSummary
	var anon, ackMissed, respMissed int
	var received, ackDue, respDue string
	var acked, answered sql.NullString
	err := row.Scan(&r.ID, &r.Reference, &r.Status, &r.Level, &anon, &r.Handler, &received, &ackDue, &acked, &respDue, &answered,
		&r.Escalations, &ackMissed, &respMissed, &r.OpenProtection)
	r.Anonymous, r.AckMissed, r.ResponseMissed = anon == 1, ackMissed == 1, respMissed == 1
	r.ReceivedAt, r.AckDue, r.ResponseDue = parseTS(received), parseTS(ackDue), parseTS(respDue)
	r.AcknowledgedAt, r.AnsweredAt = parseTSPtr(acked), parseTSPtr(answered)
	return r, err
}

// ConcernList lists concerns with their clocks, never their content.
func (s *Store) ConcernList(ctx context.Context, a exportctl.Actor, f exportctl.ConcernFilter) (exportctl.Page[exportctl.ConcernSummary], error) {
	const op = "concern.list"
	var page exportctl.Page[exportctl.ConcernSummary]
	if err := a.Require(op, exportctl.RoleConcernsHandler, exportctl.RoleNominatedOfficer, exportctl.RoleOversight, exportctl.RoleCustodian); err != nil {
		return page, err
	}
	var w where
	switch a.Role {
	case exportctl.RoleConcernsHandler:
		w.add("c.handler_id = ?", a.UserID)
	case exportctl.RoleNominatedOfficer:
		w.add("(c.level <> ? OR c.handler_id IS NULL)", exportctl.LevelHandler)
	}
	if f.Status != "" {
		if !slices.Contains(exportctl.ConcernStatuses, f.Status) {
			return page, exportctl.Invalid("status", "unknown status %q (one of %s)", f.Status, strings.Join(exportctl.ConcernStatuses, ", "))
		}
		w.add("c.status = ?", f.Status)
	}
	if f.Level != "" {
		if !slices.Contains(exportctl.ConcernLevels, f.Level) {
			return page, exportctl.Invalid("level", "unknown level %q (one of %s)", f.Level, strings.Join(exportctl.ConcernLevels, ", "))
		}
		w.add("c.level = ?", f.Level)
	}
	if err := s.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM concerns c`+w.sql(), w.args...).Scan(&page.Total); err != nil {
		return page, exportctl.Internal(op, err)
	}
	after, err := parseCursor(f.Cursor)
	if err != nil {
		return page, err
	}
	if after > 0 {
		w.add("c.id < ?", after)
	}
	limit := pageLimit(f.Limit)
	rows, err := s.read.QueryContext(ctx, `SELECT `+summaryColumns+concernFrom+w.sql()+` ORDER BY c.id DESC LIMIT `+strconv.Itoa(limit+1), w.args...)
	if err != nil {
		return page, exportctl.Internal(op, err)
	}
	defer rows.Close()
	page.Items = []exportctl.ConcernSummary{}
	for rows.Next() {
		r, err := scanSummary(rows)
		if err != nil {
			return page, exportctl.Internal(op, err)
		}
		page.Items = append(page.Items, r)
	}
	if err := rows.Err(); err != nil {
		return page, exportctl.Internal(op, err)
	}
	endPage(&page, limit, func(x exportctl.ConcernSummary) string { return strconv.FormatInt(x.ID, 10) })
	return page, nil
}

// ConcernReceiptKey is the verifier key of signed receipts.
func (s *Store) ConcernReceiptKey(ctx context.Context) (string, error) {
	k, err := s.concernKeys("concern.key")
	if err != nil {
		return "", err
	}
	return k.ReceiptVerifierKey(), nil
}

// ConcernStatistics are the published aggregates per quarter of receipt.
// Counts below SuppressBelow are withheld, and a quarter with fewer
// concerns than that publishes nothing but the fact.
func (s *Store) ConcernStatistics(ctx context.Context, from, to time.Time) ([]exportctl.ConcernQuarter, error) {
	const op = "concern.statistics"
	if from.IsZero() || to.IsZero() {
		now := s.now().UTC()
		to = quarterStart(now).AddDate(0, 3, 0)
		from = to.AddDate(0, -24, 0)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT received_at, ack_due, acknowledged_at, first_answered_at, escalations
		FROM concerns WHERE received_at >= $1 AND received_at < $2`, ts(from), ts(to))
	if err != nil {
		return nil, exportctl.Internal(op, err)
	}
	defer rows.Close()
	type tally struct {
		received, ackOnTime, answeredOnTime, escalated int
		days                                           []float64
	}
	byQ := map[string]*tally{}
	for rows.Next() {
		var received, ackDue string
		var acked, answered sql.NullString
		var esc int
		if err := rows.Scan(&received, &ackDue, &acked, &answered, &esc); err != nil {
			return nil, exportctl.Internal(op, err)
		}
		rt := parseTS(received)
		q := exportctl.QuarterOf(rt)
		t := byQ[q]
		if t == nil {
			t = &tally{}
			byQ[q] = t
		}
		t.received++
		ackAt := parseTSPtr(acked)
		if ackAt != nil && !ackAt.After(parseTS(ackDue)) {
			t.ackOnTime++
		}
		if ans := parseTSPtr(answered); ans != nil {
			if !ans.After(exportctl.ConcernResponseDue(rt, ackAt)) {
				t.answeredOnTime++
			}
			t.days = append(t.days, ans.Sub(rt).Hours()/24)
		}
		if esc > 0 {
			t.escalated++
		}
	}
	if err := rows.Err(); err != nil {
		return nil, exportctl.Internal(op, err)
	}
	var out []exportctl.ConcernQuarter
	for q := quarterStart(from); q.Before(to); q = q.AddDate(0, 3, 0) {
		label := exportctl.QuarterOf(q)
		t := byQ[label]
		if t == nil {
			t = &tally{}
		}
		cq := exportctl.ConcernQuarter{Quarter: label}
		if t.received > 0 && t.received < exportctl.SuppressBelow {
			cq.Suppressed = true
		} else {
			cq.Received = exportctl.Suppress(t.received)
			cq.AcknowledgedOnTime = exportctl.Suppress(t.ackOnTime)
			cq.AnsweredOnTime = exportctl.Suppress(t.answeredOnTime)
			cq.Escalated = exportctl.Suppress(t.escalated)
			if len(t.days) >= exportctl.SuppressBelow {
				m := medianOf(t.days)
				cq.MedianDays = &m
			}
			cq.Suppressed = cq.AcknowledgedOnTime == nil || cq.AnsweredOnTime == nil || cq.Escalated == nil
		}
		out = append(out, cq)
	}
	return out, nil
}

func quarterStart(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), time.Month((int(t.Month())-1)/3*3+1), 1, 0, 0, 0, 0, time.UTC)
}

func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	sort.Float64s(s)
	n := len(s)
	m := s[n/2]
	if n%2 == 0 {
		m = (s[n/2-1] + s[n/2]) / 2
	}
	return float64(int(m*10+0.5)) / 10 // one decimal place
}
