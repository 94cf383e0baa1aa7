package concern

import (
	"crypto/rand"
	"errors"
	"strings"
	"sync"
	"time"
)

// A receipt code is a public id (8 characters, 40 bits) that finds the
// concern with one indexed lookup, and a secret (20 characters, 100 bits)
// stored only as an Argon2id hash. Both are Crockford base32, shown in
// groups of four.
const (
	codeIDChars     = 8
	codeSecretChars = 20
	// SecretBits is the entropy of the secret part.
	SecretBits = codeSecretChars * 5
)

const crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

// NewCode returns a fresh code, its id and its secret.
func NewCode() (code, id, secret string) {
	raw := make([]byte, codeIDChars+codeSecretChars)
	rand.Read(raw)
	for i := range raw {
		raw[i] = crockford[raw[i]&31] // 256 is a multiple of 32: no bias
	}
	id, secret = string(raw[:codeIDChars]), string(raw[codeIDChars:])
	return FormatCode(id + secret), id, secret
}

// FormatCode groups a code in fours.
func FormatCode(s string) string {
	var b strings.Builder
	for i, c := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte('-')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// ErrCodeFormat says a code is not even shaped like one.
var ErrCodeFormat = errors.New("a receipt code has 28 letters and digits (7 groups of 4)")

// SplitCode reads a code as typed (any case, with or without dashes or
// spaces; O for 0 and I or L for 1 forgiven) into its id and secret.
func SplitCode(s string) (id, secret string, err error) {
	var b strings.Builder
	for _, c := range strings.ToUpper(s) {
		switch {
		case c == '-' || c == ' ' || c == '\t':
			continue
		case c == 'O':
			c = '0'
		case c == 'I' || c == 'L':
			c = '1'
		}
		if !strings.ContainsRune(crockford, c) {
			return "", "", ErrCodeFormat
		}
		b.WriteRune(c)
	}
	norm := b.String()
	if len(norm) != codeIDChars+codeSecretChars {
		return "", "", ErrCodeFormat
	}
	return norm[:codeIDChars], norm[codeIDChars:], nil
}

// Limiter bounds failed receipt-code checks across all codes in a sliding
// window, without knowing who made them (no addresses are kept), and
// bounds how many slow hashes run at once.
type Limiter struct {
	mu       sync.Mutex
	max      int
	window   time.Duration
	failures []time.Time
	slots    chan struct{}
}

// NewLimiter allows max failures per window and concurrent checks at once.
func NewLimiter(max int, window time.Duration, concurrent int) *Limiter {
	return &Limiter{max: max, window: window, slots: make(chan struct{}, concurrent)}
}

// Allow reports whether another check may run now.
func (l *Limiter) Allow(now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.prune(now)
	return len(l.failures) < l.max
}

// Fail records a failed check.
func (l *Limiter) Fail(now time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.failures = append(l.failures, now)
}

func (l *Limiter) prune(now time.Time) {
	cut := 0
	for cut < len(l.failures) && now.Sub(l.failures[cut]) >= l.window {
		cut++
	}
	l.failures = l.failures[cut:]
}

// Acquire waits for a slot for one slow hash; release it when done.
func (l *Limiter) Acquire() (release func()) {
	l.slots <- struct{}{}
	return func() { <-l.slots }
}
