package store

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Token is an API token as stored: everything but the secret, of which
// only the SHA-256 is kept (the key). Tokens are long random strings, so a
// fast hash is enough: there is nothing to guess.
type Token struct {
	Name     string
	Role     string // "admin" or "viewer"
	Created  time.Time
	LastUsed time.Time // zero if never; updated at most once per TokenTouchEvery
}

// TokenTouchEvery is how often Authenticate records a token's use: often
// enough to tell a live token from a forgotten one, seldom enough that
// reads do not turn into writes.
const TokenTouchEvery = time.Hour

// tokenKey is the bucket key of a secret.
func tokenKey(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// CreateToken stores a token for secret, which the caller generated and
// shows once. A name already in use gives ErrExists.
func (s *Store) CreateToken(secret string, t Token) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketTokens)
		if err != nil {
			return err
		}
		if _, _, found, err := findToken(b, t.Name); err != nil {
			return err
		} else if found {
			return ErrExists
		}
		v, err := encode(t)
		if err != nil {
			return err
		}
		return b.Put(tokenKey(secret), v)
	})
	if err != nil {
		return fmt.Errorf("create token %q: %w", t.Name, err)
	}
	return nil
}

// findToken looks a token up by name; the returned key is a copy.
func findToken(b *bolt.Bucket, name string) (key []byte, t Token, found bool, err error) {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		var cur Token
		if err := decode(v, &cur); err != nil {
			return nil, Token{}, false, err
		}
		if cur.Name == name {
			return slices.Clone(k), cur, true, nil
		}
	}
	return nil, Token{}, false, nil
}

// Tokens returns every token, sorted by name.
func (s *Store) Tokens() ([]Token, error) {
	var out []Token
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketTokens)
		if err != nil {
			return err
		}
		return b.ForEach(func(_, v []byte) error {
			var t Token
			if err := decode(v, &t); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("tokens: %w", err)
	}
	slices.SortFunc(out, func(a, b Token) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}

// RevokeToken deletes the token called name, or returns ErrNotFound.
func (s *Store) RevokeToken(name string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketTokens)
		if err != nil {
			return err
		}
		k, _, found, err := findToken(b, name)
		if err != nil {
			return err
		}
		if !found {
			return ErrNotFound
		}
		return b.Delete(k)
	})
	if err != nil {
		return fmt.Errorf("revoke token %q: %w", name, err)
	}
	return nil
}

// Authenticate returns the token whose secret this is, or ErrNotFound.
// It records the use when the last one is older than TokenTouchEvery.
func (s *Store) Authenticate(secret string, now time.Time) (Token, error) {
	key := tokenKey(secret)
	var t Token
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketTokens)
		if err != nil {
			return err
		}
		v := b.Get(key)
		if v == nil {
			return ErrNotFound
		}
		return decode(v, &t)
	})
	if err != nil {
		return Token{}, fmt.Errorf("authenticate: %w", err)
	}
	if now.Sub(t.LastUsed) < TokenTouchEvery {
		return t, nil
	}
	t.LastUsed = now
	err = s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketTokens)
		if err != nil {
			return err
		}
		if b.Get(key) == nil {
			return ErrNotFound // revoked meanwhile
		}
		v, err := encode(t)
		if err != nil {
			return err
		}
		return b.Put(key, v)
	})
	if err != nil && !errors.Is(err, ErrReadOnly) {
		return Token{}, fmt.Errorf("authenticate: %w", err)
	}
	return t, nil
}
