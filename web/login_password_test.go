package web

import (
	"errors"
	"strings"
	"testing"
)

// goodPassword passes CheckPassword.
const goodPassword = "correct horse battery staple"

func TestHashPassword(t *testing.T) {
	t.Parallel()
	phc := hashPassword(goodPassword, passwordParams)
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Count(phc, "$") != 5 {
		t.Fatalf("hashPassword = %q, want a PHC string of argon2id with m=19456,t=2,p=1", phc)
	}
	if phc == hashPassword(goodPassword, passwordParams) {
		t.Error("two hashes of one password are equal: no salt")
	}
	if p, ok := verifyPassword(phc, goodPassword); !ok || p != passwordParams {
		t.Errorf("verifyPassword(right password) = %v, %v", p, ok)
	}
	if _, ok := verifyPassword(phc, goodPassword+" "); ok {
		t.Error("verifyPassword(another password) = true")
	}
	// The same text typed as composed or decomposed characters (macOS and
	// Windows keyboards differ for Vietnamese) is the same password.
	composed, decomposed := "mật khẩu của tôi rất dài", "ma\u0323\u0302t kha\u0302\u0309u cu\u0309a to\u0302i ra\u0302\u0301t da\u0300i"
	if _, ok := verifyPassword(hashPassword(composed, passwordParams), decomposed); !ok {
		t.Error("a decomposed Vietnamese password does not match its composed form")
	}
}

func TestVerifyPasswordBadHashes(t *testing.T) {
	t.Parallel()
	good := hashPassword(goodPassword, argonParams{memory: 64, time: 1, threads: 1})
	parts := strings.Split(good, "$")
	with := func(i int, v string) string {
		p := append([]string(nil), parts...)
		p[i] = v
		return strings.Join(p, "$")
	}
	for name, phc := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2y$10$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
		"argon2i":        with(1, "argon2i"),
		"version 16":     with(2, "v=16"),
		"a gigabyte+":    with(3, "m=2097152,t=2,p=1"),
		"100 passes":     with(3, "m=19456,t=100,p=1"),
		"no lanes":       with(3, "m=19456,t=2,p=0"),
		"bad salt":       with(4, "!!!"),
		"short hash":     with(5, "AAAA"),
		"missing fields": "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ",
	} {
		if _, ok := verifyPassword(phc, goodPassword); ok {
			t.Errorf("%s: verifyPassword(%q) = true", name, phc)
		}
	}
	if _, ok := verifyPassword(good, goodPassword); !ok {
		t.Error("the unaltered hash does not verify")
	}
}

func TestCheckPassword(t *testing.T) {
	t.Parallel()
	tests := []struct {
		password, name string
		want           string // in the error; "" for none
	}{
		{"correct horse battery staple", "mai", ""},
		{"fourteen chars", "mai", "14 characters, want at least 15"},
		{"mười lăm ký tự!", "mai", ""},   // 15 characters, more bytes
		{"كلمة سر طويلة جدا", "mai", ""}, // Arabic
		{"短い", "mai", "2 characters"},    // counted in characters, not bytes
		{strings.Repeat("a", 257), "mai", "at most 256"},
		{"maria's garden gate", "Maria", "user name"}, // any case
		{"newswatch is my password", "mai", "name of this service"},
		{"aaaaaaaaaaaaaaaaaaaa", "mai", "one character repeated"},
		{"éééééééééééééééééé", "mai", "one character repeated"},
		{"\xff\xfe not text at all here", "mai", "UTF-8"},
	}
	for _, tt := range tests {
		err := CheckPassword(tt.password, tt.name)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("CheckPassword(%q, %q) = %v, want nil", tt.password, tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want) || !errors.Is(err, ErrWeakPassword)):
			t.Errorf("CheckPassword(%q, %q) = %v, want ErrWeakPassword saying %q", tt.password, tt.name, err, tt.want)
		}
	}
}

func TestHasherDummy(t *testing.T) {
	t.Parallel()
	h := newHasher()
	ok, rehash, err := h.verify(t.Context(), "", goodPassword)
	if ok || rehash || err != nil {
		t.Errorf("verify(no hash) = %v, %v, %v; want false", ok, rehash, err)
	}
	if !strings.HasPrefix(dummyHash(), "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("the dummy hash %q does not cost what a real one does", dummyHash())
	}
}

// BenchmarkHashPassword measures one argon2id hash with the parameters of
// new passwords: what a login costs the server.
func BenchmarkHashPassword(b *testing.B) {
	for b.Loop() {
		hashPassword(goodPassword, passwordParams)
	}
}
