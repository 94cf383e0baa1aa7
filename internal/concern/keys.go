// Package concern holds the cryptography of the concerns channel: the
// keyring that seals reporters' identities and concerns' content at rest
// with age, the receipt codes anonymous reporters come back with, and the
// signed receipts they can check offline.
package concern

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"filippo.io/age"
	"golang.org/x/mod/sumdb/note"
)

// ReceiptKeyName names the receipt-signing key in signed receipts.
const ReceiptKeyName = "exportctl-concerns"

// Keyring holds the channel's keys. It lives in a file given to the server
// (--concerns-key), never in the database, so that a dump or backup of the
// database alone holds no plaintext of a concern or of who raised it.
//
//   - handling: content, responses, messages and evidence are sealed to it;
//     the server opens them for the handlers, nominated officers, oversight
//     and custodians its role checks entitle.
//   - custody: reporters' identities are sealed to it alone (stored apart
//     from the content), plus to any custodian's own offline recipient
//     listed in the file; the server opens it only for a custodian's
//     recorded decision to reveal.
//   - the receipt signer (Ed25519, signed-note format) signs receipts.
type Keyring struct {
	handling  *age.X25519Identity
	custody   *age.X25519Identity
	offline   []age.Recipient // custodians' own keys, e.g. for recovery from a backup
	signer    note.Signer
	verifier  string
	tagSecret []byte
}

// Generate makes a new keyring file's text.
func Generate() (string, error) {
	h, err := age.GenerateX25519Identity()
	if err != nil {
		return "", err
	}
	c, err := age.GenerateX25519Identity()
	if err != nil {
		return "", err
	}
	skey, vkey, err := note.GenerateKey(rand.Reader, ReceiptKeyName)
	if err != nil {
		return "", err
	}
	var b strings.Builder
	b.WriteString("# exportctl concerns keyring. Keep it apart from the database and its backups:\n")
	b.WriteString("# whoever holds both can read every concern.\n")
	fmt.Fprintf(&b, "# handling (content), public key %s\n%s\n", h.Recipient(), h)
	fmt.Fprintf(&b, "# custody (reporters' identities), public key %s\n%s\n", c.Recipient(), c)
	fmt.Fprintf(&b, "# receipt signer; verifier key %s\n%s\n", vkey, skey)
	b.WriteString("# Custodians' own age recipients (age1...), one a line, also receive every identity.\n")
	return b.String(), nil
}

// LoadFile reads a keyring file.
func LoadFile(path string) (*Keyring, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("concerns key: %w", err)
	}
	k, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("concerns key %s: %w", path, err)
	}
	return k, nil
}

// LoadOrCreate reads the keyring file, creating it (mode 0600) if missing.
func LoadOrCreate(path string) (k *Keyring, created bool, err error) {
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		text, err := Generate()
		if err != nil {
			return nil, false, err
		}
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if err != nil {
			return nil, false, fmt.Errorf("create concerns key: %w", err)
		}
		_, werr := f.WriteString(text)
		if err := errors.Join(werr, f.Close()); err != nil {
			return nil, false, fmt.Errorf("write concerns key: %w", err)
		}
		created = true
	}
	k, err = LoadFile(path)
	return k, created, err
}

// Parse reads a keyring: two age identities (handling, then custody), one
// signed-note private key, and any number of custodian recipients.
func Parse(data []byte) (*Keyring, error) {
	k := &Keyring{}
	var ids []*age.X25519Identity
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "AGE-SECRET-KEY-"):
			id, err := age.ParseX25519Identity(line)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", n, err)
			}
			ids = append(ids, id)
		case strings.HasPrefix(line, "age1"):
			r, err := age.ParseX25519Recipient(line)
			if err != nil {
				return nil, fmt.Errorf("line %d: %v", n, err)
			}
			k.offline = append(k.offline, r)
		case strings.HasPrefix(line, "PRIVATE+KEY+"):
			s, err := note.NewSigner(line)
			if err != nil {
				return nil, fmt.Errorf("line %d: receipt signer: %v", n, err)
			}
			k.signer = s
		default:
			return nil, fmt.Errorf("line %d: not a key, recipient or comment", n)
		}
	}
	if len(ids) != 2 {
		return nil, fmt.Errorf("want two age identities (handling, then custody), found %d", len(ids))
	}
	if k.signer == nil {
		return nil, errors.New("no receipt signer (a PRIVATE+KEY+ line)")
	}
	k.handling, k.custody = ids[0], ids[1]
	vkey, err := verifierKeyOf(data)
	if err != nil {
		return nil, err
	}
	k.verifier = vkey
	// The reporter tag key is derived from the handling identity, so that
	// the file stays the one secret to keep.
	m := hmac.New(sha256.New, []byte(k.handling.String()))
	m.Write([]byte("exportctl reporter tag v1"))
	k.tagSecret = m.Sum(nil)
	return k, nil
}

// verifierKeyOf recomputes the receipt verifier key from the signer line.
func verifierKeyOf(data []byte) (string, error) {
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSpace(line)
		if !strings.HasPrefix(line, "PRIVATE+KEY+") {
			continue
		}
		// PRIVATE+KEY+name+hash+base64(alg||seed): the public key follows from the seed.
		parts := strings.SplitN(line, "+", 5) // the base64 key may itself hold "+"
		if len(parts) != 5 {
			return "", errors.New("malformed receipt signer")
		}
		raw, err := base64.StdEncoding.DecodeString(parts[4])
		if err != nil || len(raw) != 1+ed25519.SeedSize || raw[0] != 1 {
			return "", errors.New("malformed receipt signer: want an Ed25519 key")
		}
		pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
		return note.NewEd25519VerifierKey(parts[2], pub)
	}
	return "", errors.New("no receipt signer")
}

// ReceiptVerifierKey is the published key that checks receipts.
func (k *Keyring) ReceiptVerifierKey() string { return k.verifier }

// Seal encrypts content to the handling key.
func (k *Keyring) Seal(plain []byte) ([]byte, error) {
	return seal(plain, k.handling.Recipient())
}

// SealIdentity encrypts a reporter's identity to the custody key and to
// every custodian's own recipient.
func (k *Keyring) SealIdentity(plain []byte) ([]byte, error) {
	return seal(plain, append([]age.Recipient{k.custody.Recipient()}, k.offline...)...)
}

func seal(plain []byte, to ...age.Recipient) ([]byte, error) {
	var buf bytes.Buffer
	w, err := age.Encrypt(&buf, to...)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(plain); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Open decrypts content sealed with Seal.
func (k *Keyring) Open(sealed []byte) ([]byte, error) { return open(sealed, k.handling) }

// OpenIdentity decrypts an identity sealed with SealIdentity. Callers
// must have recorded a custodian's decision first.
func (k *Keyring) OpenIdentity(sealed []byte) ([]byte, error) { return open(sealed, k.custody) }

func open(sealed []byte, id age.Identity) ([]byte, error) {
	r, err := age.Decrypt(bytes.NewReader(sealed), id)
	if err != nil {
		return nil, err
	}
	return io.ReadAll(r)
}

// ReporterTag links a named reporter's account to their concerns without
// storing the account id in clear: HMAC-SHA256 under a key from the file.
func (k *Keyring) ReporterTag(userID int64) string {
	m := hmac.New(sha256.New, k.tagSecret)
	fmt.Fprintf(m, "user:%d", userID)
	return hex.EncodeToString(m.Sum(nil))
}
