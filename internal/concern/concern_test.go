package concern

import (
	"strings"
	"testing"
	"time"

	"filippo.io/age"
)

func TestCodes(t *testing.T) {
	code, id, secret := NewCode()
	if len(code) != 34 || len(id) != 8 || len(secret) != 20 || SecretBits < 80 {
		t.Fatalf("code %q id %q secret %q", code, id, secret)
	}
	typed := strings.ToLower(strings.ReplaceAll(code, "-", " "))
	typed = strings.ReplaceAll(strings.ReplaceAll(typed, "0", "o"), "1", "l") // confusables forgiven
	gotID, gotSecret, err := SplitCode(typed)
	if err != nil || gotID != id || gotSecret != secret {
		t.Errorf("split %q: %q %q %v", typed, gotID, gotSecret, err)
	}
	for _, bad := range []string{"", code[:20], code + "A", strings.Replace(code, code[:1], "U", 1)} {
		if _, _, err := SplitCode(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	a, _, _ := NewCode()
	b, _, _ := NewCode()
	if a == b {
		t.Error("two codes alike")
	}
}

func TestKeyringSeparatesContentAndIdentity(t *testing.T) {
	text, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	// A custodian's own offline key, listed in the file, also opens identities.
	offline, _ := age.GenerateX25519Identity()
	k, err := Parse([]byte(text + offline.Recipient().String() + "\n"))
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := k.SealIdentity([]byte("Riley Reporter"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := k.Open(sealed); err == nil {
		t.Error("the handling key opens an identity")
	}
	if got, err := k.OpenIdentity(sealed); err != nil || string(got) != "Riley Reporter" {
		t.Errorf("custody: %q %v", got, err)
	}
	if got, err := open(sealed, offline); err != nil || string(got) != "Riley Reporter" {
		t.Errorf("offline custodian: %q %v", got, err)
	}
	content, _ := k.Seal([]byte("the content"))
	if _, err := k.OpenIdentity(content); err == nil {
		t.Error("the custody key opens content")
	}
	if first, again := k.ReporterTag(1), k.ReporterTag(1); first == k.ReporterTag(2) || first != again {
		t.Error("reporter tags")
	}
	for _, bad := range []string{"", "AGE-SECRET-KEY-1XYZ\n", "hello\n", strings.Replace(text, "PRIVATE+KEY+", "# ", 1)} {
		if _, err := Parse([]byte(bad)); err == nil {
			t.Errorf("keyring %q accepted", bad)
		}
	}
}

func TestLimiter(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	l := NewLimiter(3, time.Minute, 1)
	for range 3 {
		if !l.Allow(now) {
			t.Fatal("refused under the limit")
		}
		l.Fail(now)
	}
	if l.Allow(now.Add(59 * time.Second)) {
		t.Error("allowed over the limit")
	}
	if !l.Allow(now.Add(time.Minute)) {
		t.Error("still refused after the window")
	}
}
