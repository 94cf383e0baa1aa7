package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/crypto/argon2"

	"github.com/exportctl/exportctl"
)

// SessionLifetime is how long a browser session lasts.
const SessionLifetime = 12 * time.Hour

// ArgonParams are Argon2id cost parameters.
type ArgonParams struct {
	Memory  uint32 // KiB
	Time    uint32
	Threads uint8
}

// DefaultArgonParams follow RFC 9106's second recommended option (64 MiB,
// 3 passes) with 2 lanes for a 2-core server.
var DefaultArgonParams = ArgonParams{Memory: 64 * 1024, Time: 3, Threads: 2}

func hashPassword(p ArgonParams, password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// checkPassword verifies a PHC-format Argon2id hash in constant time.
func checkPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var p ArgonParams
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.Memory, &p.Time, &p.Threads); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if err1 != nil || err2 != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// newSecret returns a random token with a readable prefix. Tokens carry 256
// bits, so a fast hash is enough to store them.
func newSecret(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

func secretHash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

// CreateOrganisation adds an organisation. Admin only.
func (s *Store) CreateOrganisation(ctx context.Context, a exportctl.Actor, name, kind string) (*exportctl.Organisation, error) {
	const op = "organisation.create"
	if err := a.Require(op, exportctl.RoleAdmin, "system"); err != nil {
		return nil, err
	}
	name = strings.TrimSpace(name)
	if name == "" || len(name) > 200 {
		return nil, exportctl.Invalid("name", "an organisation name of 1-200 characters is required")
	}
	if kind == "" {
		kind = "exporter"
	}
	if kind != "exporter" && kind != "government" {
		return nil, exportctl.Invalid("kind", "must be exporter or government")
	}
	o := &exportctl.Organisation{Name: name, Kind: kind, CreatedAt: s.now().UTC()}
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `INSERT INTO organisations (name, kind, created_at) VALUES ($1, $2, $3) RETURNING id`,
			name, kind, ts(o.CreatedAt)).Scan(&o.ID); err != nil {
			if isUniqueViolation(err) {
				return &exportctl.Error{Code: exportctl.EConflict, Field: "name", Message: fmt.Sprintf("an organisation named %q already exists", name)}
			}
			return err
		}
		return s.audit(ctx, tx, a, o.CreatedAt, op, "organisation", o.ID, map[string]string{"name": name, "kind": kind})
	})
	if err != nil {
		return nil, err
	}
	return o, nil
}

// Organisations lists organisations. Internal roles only.
func (s *Store) Organisations(ctx context.Context, a exportctl.Actor) ([]exportctl.Organisation, error) {
	if !a.Role.Internal() {
		return nil, exportctl.Forbidden("only government staff may list organisations")
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, name, kind, created_at FROM organisations ORDER BY name`)
	if err != nil {
		return nil, exportctl.Internal("organisation.list", err)
	}
	defer rows.Close()
	var out []exportctl.Organisation
	for rows.Next() {
		var o exportctl.Organisation
		var at string
		if err := rows.Scan(&o.ID, &o.Name, &o.Kind, &at); err != nil {
			return nil, exportctl.Internal("organisation.list", err)
		}
		o.CreatedAt = parseTS(at)
		out = append(out, o)
	}
	return out, rows.Err()
}

// OrganisationByName finds an organisation (for the CLI's --org flag).
func (s *Store) OrganisationByName(ctx context.Context, name string) (*exportctl.Organisation, error) {
	var o exportctl.Organisation
	var at string
	err := s.read.QueryRowContext(ctx, `SELECT id, name, kind, created_at FROM organisations WHERE name = $1`, name).Scan(&o.ID, &o.Name, &o.Kind, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, exportctl.NotFound("organisation", name)
	}
	if err != nil {
		return nil, exportctl.Internal("organisation.get", err)
	}
	o.CreatedAt = parseTS(at)
	return &o, nil
}

// CreateUser adds a user and returns a new API token, shown only now.
func (s *Store) CreateUser(ctx context.Context, a exportctl.Actor, in exportctl.UserInput) (*exportctl.User, string, error) {
	const op = "user.create"
	if err := a.Require(op, exportctl.RoleAdmin, "system"); err != nil {
		return nil, "", err
	}
	if err := in.Validate(); err != nil {
		return nil, "", err
	}
	var pwHash string
	if in.Password != "" {
		var err error
		if pwHash, err = hashPassword(s.PasswordParams, in.Password); err != nil {
			return nil, "", exportctl.Internal(op, err)
		}
	}
	u := &exportctl.User{Username: in.Username, Name: in.Name, Role: in.Role, Team: in.Team, OrgID: in.OrgID, CreatedAt: s.now().UTC()}
	token := newSecret("ectl_")
	err := s.tx(ctx, op, func(tx *sql.Tx) error {
		var orgID any
		if in.OrgID != 0 {
			var kind string
			err := tx.QueryRowContext(ctx, `SELECT name, kind FROM organisations WHERE id = $1`, in.OrgID).Scan(&u.OrgName, &kind)
			if errors.Is(err, sql.ErrNoRows) {
				return exportctl.Invalid("org", "no organisation with id %d", in.OrgID)
			}
			if err != nil {
				return err
			}
			if in.Role == exportctl.RoleExporter && kind != "exporter" {
				return exportctl.Invalid("org", "an exporter must belong to an exporter organisation, not %q", u.OrgName)
			}
			orgID = in.OrgID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO users (username, name, role, team, org_id, password_hash, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			u.Username, u.Name, string(u.Role), u.Team, orgID, pwHash, ts(u.CreatedAt)).Scan(&u.ID)
		if isUniqueViolation(err) {
			return &exportctl.Error{Code: exportctl.EConflict, Field: "username", Message: fmt.Sprintf("the username %q is taken", u.Username)}
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES ($1, $2, $3)`,
			u.ID, secretHash(token), ts(u.CreatedAt)); err != nil {
			return err
		}
		return s.audit(ctx, tx, a, u.CreatedAt, op, "user", u.ID,
			map[string]any{"username": u.Username, "role": u.Role, "team": u.Team, "org_id": u.OrgID})
	})
	if err != nil {
		return nil, "", err
	}
	return u, token, nil
}

const userColumns = `u.id, u.username, u.name, u.role, u.team, COALESCE(u.org_id, 0), COALESCE(o.name, ''), u.disabled, u.created_at`

func scanUser(row interface{ Scan(...any) error }) (exportctl.User, error) {
	var u exportctl.User
	var role, at string
	var disabled int
	err := row.Scan(&u.ID, &u.Username, &u.Name, &role, &u.Team, &u.OrgID, &u.OrgName, &disabled, &at)
	u.Role, u.Disabled, u.CreatedAt = exportctl.Role(role), disabled != 0, parseTS(at)
	return u, err
}

// Users lists users. Admin only.
func (s *Store) Users(ctx context.Context, a exportctl.Actor) ([]exportctl.User, error) {
	if err := a.Require("user.list", exportctl.RoleAdmin, "system"); err != nil {
		return nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT `+userColumns+` FROM users u LEFT JOIN organisations o ON o.id = u.org_id ORDER BY u.username`)
	if err != nil {
		return nil, exportctl.Internal("user.list", err)
	}
	defer rows.Close()
	var out []exportctl.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, exportctl.Internal("user.list", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// SetUserDisabled disables or re-enables a user. Admin only.
func (s *Store) SetUserDisabled(ctx context.Context, a exportctl.Actor, userID int64, disabled bool) error {
	const op = "user.disable"
	if err := a.Require(op, exportctl.RoleAdmin, "system"); err != nil {
		return err
	}
	if userID == a.UserID && disabled {
		return exportctl.Conflict("you cannot disable your own account")
	}
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET disabled = $1 WHERE id = $2`, boolInt(disabled), userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return exportctl.NotFound("user", userID)
		}
		return s.audit(ctx, tx, a, s.now(), op, "user", userID, map[string]bool{"disabled": disabled})
	})
}

// SetPassword sets a password. Admin, or the user themself.
func (s *Store) SetPassword(ctx context.Context, a exportctl.Actor, userID int64, password string) error {
	const op = "user.set_password"
	if a.UserID != userID {
		if err := a.Require(op, exportctl.RoleAdmin, "system"); err != nil {
			return err
		}
	}
	if len(password) < 10 {
		return exportctl.Invalid("password", "must be at least 10 characters")
	}
	h, err := hashPassword(s.PasswordParams, password)
	if err != nil {
		return exportctl.Internal(op, err)
	}
	return s.tx(ctx, op, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = $1 WHERE id = $2`, h, userID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return exportctl.NotFound("user", userID)
		}
		return s.audit(ctx, tx, a, s.now(), op, "user", userID, "password changed")
	})
}

// Login checks a password and opens a session.
func (s *Store) Login(ctx context.Context, username, password string) (*exportctl.Session, error) {
	const op = "session.login"
	row := s.read.QueryRowContext(ctx, `SELECT `+userColumns+`, u.password_hash FROM users u LEFT JOIN organisations o ON o.id = u.org_id WHERE u.username = $1`, username)
	var u exportctl.User
	var role, at, pwHash string
	var disabled int
	err := row.Scan(&u.ID, &u.Username, &u.Name, &role, &u.Team, &u.OrgID, &u.OrgName, &disabled, &at, &pwHash)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, exportctl.Internal(op, err)
	}
	if errors.Is(err, sql.ErrNoRows) {
		// Spend the same time as a real check so that timing does not
		// reveal which usernames exist.
		checkPassword(dummyHash(), password)
		return nil, exportctl.Unauthorized("wrong username or password")
	}
	if !checkPassword(pwHash, password) || disabled != 0 {
		return nil, exportctl.Unauthorized("wrong username or password")
	}
	u.Role, u.CreatedAt = exportctl.Role(role), parseTS(at)
	now := s.now().UTC()
	sess := &exportctl.Session{Token: newSecret("sess_"), CSRF: newSecret(""), User: u, ExpiresAt: now.Add(SessionLifetime)}
	err = s.tx(ctx, op, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
			secretHash(sess.Token), u.ID, sess.CSRF, ts(now), ts(sess.ExpiresAt)); err != nil {
			return err
		}
		return s.audit(ctx, tx, exportctl.ActorOf(u), now, op, "user", u.ID, "signed in")
	})
	if err != nil {
		return nil, err
	}
	return sess, nil
}

var dummyHash = sync.OnceValue(func() string {
	h, _ := hashPassword(DefaultArgonParams, "not a password")
	return h
})

// Logout ends a session.
func (s *Store) Logout(ctx context.Context, token string) error {
	return s.tx(ctx, "session.logout", func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `UPDATE sessions SET ended_at = $1 WHERE token_hash = $2 AND ended_at IS NULL`, ts(s.now()), secretHash(token))
		return err
	})
}

// SessionActor resolves a session token.
func (s *Store) SessionActor(ctx context.Context, token string) (exportctl.Actor, *exportctl.Session, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+userColumns+`, s.csrf, s.expires_at FROM sessions s
		JOIN users u ON u.id = s.user_id LEFT JOIN organisations o ON o.id = u.org_id
		WHERE s.token_hash = $1 AND s.ended_at IS NULL`, secretHash(token))
	var u exportctl.User
	var role, at, csrf, exp string
	var disabled int
	err := row.Scan(&u.ID, &u.Username, &u.Name, &role, &u.Team, &u.OrgID, &u.OrgName, &disabled, &at, &csrf, &exp)
	if errors.Is(err, sql.ErrNoRows) {
		return exportctl.Actor{}, nil, exportctl.Unauthorized("not signed in")
	}
	if err != nil {
		return exportctl.Actor{}, nil, exportctl.Internal("session.get", err)
	}
	u.Role, u.CreatedAt = exportctl.Role(role), parseTS(at)
	expires := parseTS(exp)
	if disabled != 0 || !s.now().Before(expires) {
		return exportctl.Actor{}, nil, exportctl.Unauthorized("session expired")
	}
	return exportctl.ActorOf(u), &exportctl.Session{Token: token, CSRF: csrf, User: u, ExpiresAt: expires}, nil
}

// TokenActor resolves an API bearer token.
func (s *Store) TokenActor(ctx context.Context, token string) (exportctl.Actor, error) {
	row := s.read.QueryRowContext(ctx, `SELECT `+userColumns+` FROM api_tokens t
		JOIN users u ON u.id = t.user_id LEFT JOIN organisations o ON o.id = u.org_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL`, secretHash(token))
	u, err := scanUser(row)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && u.Disabled) {
		return exportctl.Actor{}, exportctl.Unauthorized("unknown or revoked API token")
	}
	if err != nil {
		return exportctl.Actor{}, exportctl.Internal("token.get", err)
	}
	return exportctl.ActorOf(u), nil
}
