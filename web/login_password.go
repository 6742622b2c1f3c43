package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
	"golang.org/x/text/unicode/norm"
)

// Passwords are hashed with argon2id (RFC 9106), memory-hard so that a
// stolen store is slow to attack on GPUs, and kept as a PHC string,
//
//	$argon2id$v=19$m=19456,t=2,p=1$SALT$HASH
//
// which names its own parameters: a hash made today still verifies after
// the parameters change, and is replaced by one with the new parameters
// at the user's next login.

// argonParams are the cost parameters of argon2id.
type argonParams struct {
	memory  uint32 // KiB
	time    uint32 // passes
	threads uint8
}

// passwordParams are those of new hashes: OWASP's first recommendation
// for argon2id (19 MiB, 2 passes, 1 lane). On the 2-core server we aim
// at, one hash takes about 40 ms of one core and 19 MiB (BenchmarkHashPassword),
// cheap for a login, dear for a guesser.
var passwordParams = argonParams{memory: 19 * 1024, time: 2, threads: 1}

// Limits on the parameters a stored hash may name, so that a damaged or
// planted record cannot make a login take a gigabyte or a minute.
const (
	maxArgonMemory = 1 << 20 // KiB: 1 GiB
	maxArgonTime   = 20
)

const (
	saltLen = 16
	hashLen = 32
)

// Password length, counted in characters (Unicode code points), as NIST
// SP 800-63B-4 (2025) asks. A password is the only factor here, for which
// it asks at least 15: long passphrases ("four words I remember") beat
// short complex ones, and no composition rules (a digit, a capital) are
// imposed, since they make passwords harder to remember, not to guess.
// The maximum only bounds the work of one request.
const (
	MinPasswordLen = 15
	MaxPasswordLen = 256
)

// ErrWeakPassword is a password that CheckPassword refuses.
var ErrWeakPassword = errors.New("password refused")

// CheckPassword reports what is wrong with password for the user called
// name, or nil: too short or too long, or easy to guess from the context
// (the name when it has 3 characters or more, "newswatch", one character
// repeated).
func CheckPassword(password, name string) error {
	pw := norm.NFKC.String(password)
	n := utf8.RuneCountInString(pw)
	_, size := utf8.DecodeRuneInString(pw)
	switch lower := strings.ToLower(pw); {
	case !utf8.ValidString(password):
		return fmt.Errorf("%w: not valid UTF-8 text", ErrWeakPassword)
	case n < MinPasswordLen:
		return fmt.Errorf("%w: %d characters, want at least %d (a few words you remember make a good one)", ErrWeakPassword, n, MinPasswordLen)
	case n > MaxPasswordLen:
		return fmt.Errorf("%w: %d characters, want at most %d", ErrWeakPassword, n, MaxPasswordLen)
	case utf8.RuneCountInString(name) >= 3 && strings.Contains(lower, strings.ToLower(name)):
		return fmt.Errorf("%w: it contains the user name", ErrWeakPassword)
	case strings.Contains(lower, "newswatch"):
		return fmt.Errorf("%w: it contains the name of this service", ErrWeakPassword)
	case strings.Trim(pw, pw[:size]) == "":
		return fmt.Errorf("%w: one character repeated", ErrWeakPassword)
	}
	return nil
}

// hasher hashes and verifies passwords, at most one per core at a time:
// each hash holds 19 MiB, so a burst of logins must not hold a gigabyte,
// and more at once than there are cores would not end sooner.
type hasher struct {
	slots chan struct{}
}

// maxConcurrentHashes bounds the hashes at once on a large machine.
const maxConcurrentHashes = 4

func newHasher() *hasher {
	return &hasher{slots: make(chan struct{}, min(runtime.GOMAXPROCS(0), maxConcurrentHashes))}
}

// run calls f once a slot is free, or returns ctx's error.
func (h *hasher) run(ctx context.Context, f func()) error {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-h.slots }()
	f()
	return nil
}

// hash returns the PHC string of password under passwordParams.
func (h *hasher) hash(ctx context.Context, password string) (string, error) {
	var phc string
	err := h.run(ctx, func() { phc = hashPassword(password, passwordParams) })
	return phc, err
}

// verify reports whether password matches the PHC string phc, and whether
// phc should be replaced by a hash with the current parameters. An empty
// phc (no such user) is checked against a dummy hash of the same cost, so
// the answer takes as long for a name that does not exist.
func (h *hasher) verify(ctx context.Context, phc, password string) (ok, rehash bool, err error) {
	err = h.run(ctx, func() {
		if phc == "" {
			_, _ = verifyPassword(dummyHash(), password)
			return
		}
		var p argonParams
		p, ok = verifyPassword(phc, password)
		rehash = ok && p != passwordParams
	})
	return ok, rehash, err
}

// dummyHash is a hash of a random password, made once.
var dummyHash = sync.OnceValue(func() string { return hashPassword(rand.Text(), passwordParams) })

// b64 is the base64 of PHC strings: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// hashPassword returns the PHC string of password (NFKC-normalised, so
// that "é" typed as one code point or as e and a combining accent is the
// same password on every keyboard) under p, with a new random salt.
func hashPassword(password string, p argonParams) string {
	salt := make([]byte, saltLen)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails
	key := argon2.IDKey([]byte(norm.NFKC.String(password)), salt, p.time, p.memory, p.threads, hashLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.memory, p.time, p.threads, b64.EncodeToString(salt), b64.EncodeToString(key))
}

// verifyPassword reports whether password matches phc, comparing in
// constant time, and returns phc's parameters. A string that is not an
// argon2id PHC string matches nothing.
func verifyPassword(phc, password string) (argonParams, bool) {
	p, salt, want, err := parsePHC(phc)
	if err != nil {
		return p, false
	}
	got := argon2.IDKey([]byte(norm.NFKC.String(password)), salt, p.time, p.memory, p.threads, uint32(len(want)))
	return p, subtle.ConstantTimeCompare(got, want) == 1
}

// parsePHC splits an argon2id PHC string.
func parsePHC(phc string) (p argonParams, salt, key []byte, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" {
		return p, nil, nil, errors.New("not an argon2id PHC string")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return p, nil, nil, fmt.Errorf("argon2 version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &p.memory, &p.time, &p.threads); err != nil {
		return p, nil, nil, fmt.Errorf("argon2 parameters %q", parts[3])
	}
	if p.memory > maxArgonMemory || p.time == 0 || p.time > maxArgonTime || p.threads == 0 || p.memory < 8*uint32(p.threads) {
		return p, nil, nil, fmt.Errorf("argon2 parameters %q out of range", parts[3])
	}
	if salt, err = b64.DecodeString(parts[4]); err != nil || len(salt) < 8 {
		return p, nil, nil, errors.New("argon2 salt")
	}
	if key, err = b64.DecodeString(parts[5]); err != nil || len(key) < 16 {
		return p, nil, nil, errors.New("argon2 hash")
	}
	return p, salt, key, nil
}
