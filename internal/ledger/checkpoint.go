package ledger

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// A Checkpoint is a C2SP tlog-checkpoint: the log's origin (its name, which is
// also the name of the key that signs it), the tree size and the root hash.
type Checkpoint struct {
	Origin string
	Size   int64
	Hash   tlog.Hash
}

// Marshal returns the checkpoint body: the origin, the decimal size and the
// base64 (standard encoding) root hash, each on its own line ending in "\n".
func (c Checkpoint) Marshal() []byte {
	var b bytes.Buffer
	b.WriteString(c.Origin)
	b.WriteByte('\n')
	b.WriteString(strconv.FormatInt(c.Size, 10))
	b.WriteByte('\n')
	b.WriteString(base64.StdEncoding.EncodeToString(c.Hash[:]))
	b.WriteByte('\n')
	return b.Bytes()
}

// String returns the checkpoint body.
func (c Checkpoint) String() string { return string(c.Marshal()) }

// ErrMalformedCheckpoint is wrapped by every checkpoint parsing error.
var ErrMalformedCheckpoint = errors.New("ledger: malformed checkpoint")

// ParseCheckpoint parses a checkpoint body (the text of the signed note,
// without signatures). Extension lines after the root hash are allowed by
// C2SP tlog-checkpoint; they are checked to be non-empty and then ignored.
func ParseCheckpoint(text []byte) (Checkpoint, error) {
	bad := func(why string) (Checkpoint, error) {
		return Checkpoint{}, fmt.Errorf("%w: %s", ErrMalformedCheckpoint, why)
	}
	if len(text) == 0 || text[len(text)-1] != '\n' {
		return bad("does not end in a newline")
	}
	lines := strings.Split(string(text[:len(text)-1]), "\n")
	if len(lines) < 3 {
		return bad("fewer than three lines")
	}
	for _, l := range lines {
		if l == "" {
			return bad("empty line")
		}
	}
	var c Checkpoint
	c.Origin = lines[0]
	size, err := strconv.ParseInt(lines[1], 10, 64)
	if err != nil || size < 0 || strconv.FormatInt(size, 10) != lines[1] {
		return bad("invalid tree size")
	}
	c.Size = size
	h, err := base64.StdEncoding.Strict().DecodeString(lines[2])
	if err != nil || len(h) != tlog.HashSize {
		return bad("invalid root hash")
	}
	copy(c.Hash[:], h)
	return c, nil
}

// Sign returns c as a C2SP signed note signed by signer. The signer's name
// must be the checkpoint's origin.
func Sign(c Checkpoint, signer note.Signer) ([]byte, error) {
	if c.Origin == "" || strings.ContainsAny(c.Origin, "\n") {
		return nil, fmt.Errorf("%w: invalid origin %q", ErrMalformedCheckpoint, c.Origin)
	}
	if c.Size < 0 {
		return nil, fmt.Errorf("%w: negative size", ErrMalformedCheckpoint)
	}
	if signer.Name() != c.Origin {
		return nil, fmt.Errorf("ledger: signer %q does not match checkpoint origin %q", signer.Name(), c.Origin)
	}
	return note.Sign(&note.Note{Text: string(c.Marshal())}, signer)
}

// OpenCheckpoint verifies a signed checkpoint with any of the verifiers (a
// log's current key and its retired keys, which share the log's name) and
// parses it. The note must carry a valid signature by one of them (other
// signatures, such as witness cosignatures, are ignored) and its origin
// must be the verifiers' name.
func OpenCheckpoint(msg []byte, verifiers ...note.Verifier) (Checkpoint, error) {
	if len(verifiers) == 0 {
		return Checkpoint{}, errors.New("ledger: no verifier key")
	}
	n, err := note.Open(msg, note.VerifierList(verifiers...))
	if err != nil {
		return Checkpoint{}, fmt.Errorf("ledger: checkpoint signature: %w", err)
	}
	c, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		return Checkpoint{}, err
	}
	if name := n.Sigs[0].Name; c.Origin != name {
		return Checkpoint{}, fmt.Errorf("ledger: checkpoint origin %q is not the key's name %q", c.Origin, name)
	}
	return c, nil
}

// NewCheckpoint returns the checkpoint of the tree of the first size records.
func NewCheckpoint(ctx context.Context, origin string, size int64, r HashStore) (Checkpoint, error) {
	h, err := TreeHash(ctx, size, r)
	if err != nil {
		return Checkpoint{}, err
	}
	return Checkpoint{Origin: origin, Size: size, Hash: h}, nil
}

// SignLatest signs a checkpoint of s at its current size, with the signer's
// name as origin.
func SignLatest(ctx context.Context, s Store, signer note.Signer) ([]byte, error) {
	size, err := s.Size(ctx)
	if err != nil {
		return nil, err
	}
	c, err := NewCheckpoint(ctx, signer.Name(), size, s)
	if err != nil {
		return nil, err
	}
	return Sign(c, signer)
}

// GenerateKey returns a new Ed25519 signed-note key pair named origin. skey is
// the secret "PRIVATE+KEY+name+hash+key" string; vkey is the public
// "name+hash+key" line that /log/key serves and verifiers are configured with.
func GenerateKey(origin string) (skey, vkey string, err error) {
	return note.GenerateKey(rand.Reader, origin)
}

// NewSigner parses a secret key made by GenerateKey.
func NewSigner(skey string) (note.Signer, error) {
	return note.NewSigner(strings.TrimSpace(skey))
}

// NewVerifier parses a public key made by GenerateKey.
func NewVerifier(vkey string) (note.Verifier, error) {
	return note.NewVerifier(strings.TrimSpace(vkey))
}
