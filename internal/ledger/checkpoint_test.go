package ledger

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func testKey(t testing.TB, origin string) (note.Signer, note.Verifier, string) {
	t.Helper()
	skey, vkey, err := GenerateKey(origin)
	if err != nil {
		t.Fatal(err)
	}
	signer, err := NewSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	verifier, err := NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return signer, verifier, vkey
}

func TestCheckpointMarshal(t *testing.T) {
	c := Checkpoint{Origin: "example.com/behind-the-sofa", Size: 20852163}
	h, err := tlog.ParseHash("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=")
	if err != nil {
		t.Fatal(err)
	}
	c.Hash = h
	want := "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n"
	if got := string(c.Marshal()); got != want {
		t.Errorf("Marshal = %q, want %q", got, want)
	}
	back, err := ParseCheckpoint([]byte(want))
	if err != nil || back != c {
		t.Errorf("ParseCheckpoint = %+v, %v", back, err)
	}
	// Extension lines are allowed and ignored.
	if back, err := ParseCheckpoint([]byte(want + "ext\n")); err != nil || back != c {
		t.Errorf("with extension line: %+v, %v", back, err)
	}
	// The empty tree.
	empty := Checkpoint{Origin: "o", Size: 0, Hash: sha256.Sum256(nil)}
	if back, err := ParseCheckpoint(empty.Marshal()); err != nil || back != empty {
		t.Errorf("empty tree: %+v, %v", back, err)
	}
	for _, bad := range []string{
		"",
		"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=", // no final newline
		"o\n1\n", // too few lines
		"\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",      // empty origin
		"o\n01\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",    // leading zero
		"o\n-1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",    // negative
		"o\n+1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",    // sign
		"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I\n",      // no padding
		"o\n1\nCsUYapGGPo4dkMgIAUqom_Xajj7h2fB2MPA3j2jxq2I=\n",     // URL encoding
		"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n",   // empty extension line
		"o\n1\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2IAAA==\n", // 34 bytes
		"o\n18446744073709551616\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
	} {
		if _, err := ParseCheckpoint([]byte(bad)); !errors.Is(err, ErrMalformedCheckpoint) {
			t.Errorf("ParseCheckpoint(%q) = %v", bad, err)
		}
	}
}

func TestCheckpointSignOpen(t *testing.T) {
	ctx := context.Background()
	const origin = "exportctl.example.gov/log"
	signer, verifier, vkey := testKey(t, origin)
	if !strings.HasPrefix(vkey, origin+"+") {
		t.Errorf("vkey %q does not start with the origin", vkey)
	}
	m := NewMemoryStore()
	m.Append(ctx, []byte("a"), []byte("b"), []byte("c"))
	msg, err := SignLatest(ctx, m, signer)
	if err != nil {
		t.Fatal(err)
	}
	// Any signed-note implementation accepts it.
	n, err := note.Open(msg, note.VerifierList(verifier))
	if err != nil {
		t.Fatalf("note.Open: %v", err)
	}
	c, err := ParseCheckpoint([]byte(n.Text))
	if err != nil {
		t.Fatal(err)
	}
	want, _ := NewCheckpoint(ctx, origin, 3, m)
	if c != want {
		t.Errorf("signed %+v, want %+v", c, want)
	}
	if !bytes.Equal([]byte(n.Text), want.Marshal()) {
		t.Errorf("note text %q", n.Text)
	}
	got, err := OpenCheckpoint(msg, verifier)
	if err != nil || got != want {
		t.Errorf("OpenCheckpoint = %+v, %v", got, err)
	}

	// Another key with the same name does not verify it.
	_, other, _ := testKey(t, origin)
	if _, err := OpenCheckpoint(msg, other); err == nil {
		t.Error("OpenCheckpoint accepted another key")
	}
	// A tampered body does not verify.
	bad := bytes.Replace(msg, []byte("\n3\n"), []byte("\n4\n"), 1)
	if _, err := OpenCheckpoint(bad, verifier); err == nil {
		t.Error("OpenCheckpoint accepted a tampered checkpoint")
	}
	// The signer must be named after the origin...
	if _, err := Sign(Checkpoint{Origin: "elsewhere", Size: 3, Hash: want.Hash}, signer); err == nil {
		t.Error("Sign accepted a checkpoint for another origin")
	}
	// ... and a note whose origin is not the key's name is refused.
	forged, err := note.Sign(&note.Note{Text: string(Checkpoint{Origin: "elsewhere", Size: 3, Hash: want.Hash}.Marshal())}, signer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenCheckpoint(forged, verifier); err == nil {
		t.Error("OpenCheckpoint accepted a checkpoint whose origin is not the key name")
	}
	// Cosignatures by other keys are ignored.
	witness, _, _ := testKey(t, "witness.example")
	cosigned, err := note.Sign(n, signer, witness)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := OpenCheckpoint(cosigned, verifier); err != nil || got != want {
		t.Errorf("cosigned: %+v, %v", got, err)
	}
}
