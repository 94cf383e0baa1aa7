package concern

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/mod/sumdb/note"
)

// Receipt is what a signed receipt proves: that the concern with this
// reference and content was received at this time.
type Receipt struct {
	Reference     string
	SubmittedAt   time.Time
	ContentSHA256 string // hex SHA-256 of the content document given with the receipt
}

const receiptHeader = "exportctl concern receipt"

// ContentHash is the hex SHA-256 a receipt commits to.
func ContentHash(content []byte) string {
	h := sha256.Sum256(content)
	return hex.EncodeToString(h[:])
}

// SignReceipt returns the receipt as a signed note (C2SP signed-note, the
// format of the transparency log's checkpoints): text, a blank line, and an
// Ed25519 signature line anyone can check with the published verifier key.
func (k *Keyring) SignReceipt(r Receipt) (string, error) {
	text := fmt.Sprintf("%s\nreference %s\nsubmitted %s\ncontent-sha256 %s\n",
		receiptHeader, r.Reference, r.SubmittedAt.UTC().Format(time.RFC3339Nano), r.ContentSHA256)
	signed, err := note.Sign(&note.Note{Text: text}, k.signer)
	if err != nil {
		return "", err
	}
	return string(signed), nil
}

// VerifyReceipt checks a signed receipt against a verifier key and returns
// what it says. content, if not nil, must hash to the receipt's hash.
func VerifyReceipt(verifierKey string, signed, content []byte) (*Receipt, error) {
	v, err := note.NewVerifier(strings.TrimSpace(verifierKey))
	if err != nil {
		return nil, fmt.Errorf("verifier key: %v", err)
	}
	n, err := note.Open(normaliseNote(signed), note.VerifierList(v))
	if err != nil {
		return nil, fmt.Errorf("the receipt's signature does not verify with this key: %v", err)
	}
	lines := strings.Split(strings.TrimSuffix(n.Text, "\n"), "\n")
	if len(lines) != 4 || lines[0] != receiptHeader {
		return nil, errors.New("not an exportctl concern receipt")
	}
	var r Receipt
	for _, l := range lines[1:] {
		k, v, _ := strings.Cut(l, " ")
		switch k {
		case "reference":
			r.Reference = v
		case "submitted":
			if r.SubmittedAt, err = time.Parse(time.RFC3339Nano, v); err != nil {
				return nil, fmt.Errorf("submission time: %v", err)
			}
		case "content-sha256":
			r.ContentSHA256 = v
		}
	}
	if content != nil && ContentHash(content) != r.ContentSHA256 {
		return nil, fmt.Errorf("the content does not match the receipt: its SHA-256 is %s, the receipt says %s", ContentHash(content), r.ContentSHA256)
	}
	return &r, nil
}

// normaliseNote accepts receipts pasted with CRLF line ends or without the
// final newline.
func normaliseNote(b []byte) []byte {
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	if !strings.HasSuffix(s, "\n") {
		s += "\n"
	}
	return []byte(s)
}
