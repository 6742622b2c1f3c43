package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Session is a dashboard login as stored: everything but its secret (the
// browser's cookie), of which only the SHA-256 is kept, as the key. Like
// API tokens, secrets are long random strings, so a fast hash is enough;
// a copy of the store does not hold a usable cookie.
type Session struct {
	// ID names the session in lists without revealing its secret: the
	// first 8 bytes of the key, in hex. Filled in when read, not stored.
	ID       string `json:"-"`
	User     string
	CSRF     string // the token every state-changing request of the session carries
	Created  time.Time
	LastSeen time.Time // updated at most once per SessionTouchEvery
}

// SessionLimits say when a session ends by itself.
type SessionLimits struct {
	Idle     time.Duration // unused for longer than this
	Lifetime time.Duration // older than this, used or not
}

// Expired reports whether x has ended under lim at now.
func (x Session) Expired(now time.Time, lim SessionLimits) bool {
	return now.Sub(x.LastSeen) > lim.Idle || now.Sub(x.Created) > lim.Lifetime
}

// SessionTouchEvery is how often Session records a session's use: the
// idle timeout is exact to this much, and a busy page does not write the
// store on every request.
const SessionTouchEvery = time.Minute

// sessionKey is the bucket key of a secret.
func sessionKey(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// sessionID is the ID of the session stored under key.
func sessionID(key []byte) string { return hex.EncodeToString(key[:8]) }

// SessionID returns the ID of the session whose secret this is.
func SessionID(secret string) string { return sessionID(sessionKey(secret)) }

// CreateSession stores x for secret, which the caller generated and gives
// only to the browser.
func (s *Store) CreateSession(secret string, x Session) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketSessions)
		if err != nil {
			return err
		}
		if x.User == "" {
			return errors.New("session without a user")
		}
		return putSession(b, sessionKey(secret), x)
	})
	if err != nil {
		return fmt.Errorf("create session for %q: %w", x.User, err)
	}
	return nil
}

func putSession(b *bolt.Bucket, key []byte, x Session) error {
	v, err := encode(x)
	if err != nil {
		return err
	}
	return b.Put(key, v)
}

// Session returns the live session whose secret this is, or ErrNotFound
// when there is none or it has expired under lim (an expired one is
// deleted). It records the use when the last one is older than
// SessionTouchEvery.
func (s *Store) Session(secret string, now time.Time, lim SessionLimits) (Session, error) {
	key := sessionKey(secret)
	var x Session
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketSessions)
		if err != nil {
			return err
		}
		v := b.Get(key)
		if v == nil {
			return ErrNotFound
		}
		return decode(v, &x)
	})
	if err != nil {
		return Session{}, fmt.Errorf("session: %w", err)
	}
	x.ID = sessionID(key)
	expired := x.Expired(now, lim)
	if !expired && now.Sub(x.LastSeen) < SessionTouchEvery {
		return x, nil
	}
	x.LastSeen = now
	err = s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketSessions)
		if err != nil {
			return err
		}
		switch {
		case b.Get(key) == nil:
			return ErrNotFound // ended meanwhile
		case expired:
			return b.Delete(key)
		}
		return putSession(b, key, x)
	})
	switch {
	case expired && (err == nil || errors.Is(err, ErrReadOnly)):
		return Session{}, fmt.Errorf("session: expired: %w", ErrNotFound)
	case err != nil && !errors.Is(err, ErrReadOnly):
		return Session{}, fmt.Errorf("session: %w", err)
	}
	return x, nil
}

// Sessions returns the sessions of user, the most recently used first.
func (s *Store) Sessions(user string) ([]Session, error) {
	var out []Session
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketSessions)
		if err != nil {
			return err
		}
		return b.ForEach(func(k, v []byte) error {
			var x Session
			if err := decode(v, &x); err != nil {
				return err
			}
			if x.User == user {
				x.ID = sessionID(k)
				out = append(out, x)
			}
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("sessions of %q: %w", user, err)
	}
	slices.SortFunc(out, func(a, b Session) int { return b.LastSeen.Compare(a.LastSeen) })
	return out, nil
}

// DeleteSession ends the session whose secret this is (a logout), or
// returns ErrNotFound.
func (s *Store) DeleteSession(secret string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketSessions)
		if err != nil {
			return err
		}
		key := sessionKey(secret)
		if b.Get(key) == nil {
			return ErrNotFound
		}
		return b.Delete(key)
	})
	if err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// DeleteSessions ends every session of user but the one whose secret is
// keep ("" keeps none) and returns how many it ended.
func (s *Store) DeleteSessions(user, keep string) (int, error) {
	var n int
	err := s.update(func(tx *bolt.Tx) (err error) {
		n, err = deleteSessions(tx, user, keep)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("delete sessions of %q: %w", user, err)
	}
	return n, nil
}

// deleteSessions deletes, in tx, the sessions of user but keep's.
func deleteSessions(tx *bolt.Tx, user, keep string) (int, error) {
	return deleteSessionsWhere(tx, func(k []byte, x Session) bool {
		return x.User == user && (keep == "" || string(k) != string(sessionKey(keep)))
	})
}

// deleteSessionsWhere deletes, in tx, the sessions for which drop is true.
// The keys are collected first: bbolt's cursor may skip entries when
// deleting as it goes.
func deleteSessionsWhere(tx *bolt.Tx, drop func(key []byte, x Session) bool) (int, error) {
	b, err := bucket(tx, bucketSessions)
	if err != nil {
		return 0, err
	}
	var doomed [][]byte
	err = b.ForEach(func(k, v []byte) error {
		var x Session
		if err := decode(v, &x); err != nil {
			return err
		}
		if drop(k, x) {
			doomed = append(doomed, slices.Clone(k))
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range doomed {
		if err := b.Delete(k); err != nil {
			return 0, err
		}
	}
	return len(doomed), nil
}

// PruneSessions deletes the sessions expired under lim at now and returns
// how many.
func (s *Store) PruneSessions(now time.Time, lim SessionLimits) (int, error) {
	var n int
	err := s.update(func(tx *bolt.Tx) (err error) {
		n, err = deleteSessionsWhere(tx, func(_ []byte, x Session) bool { return x.Expired(now, lim) })
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("prune sessions: %w", err)
	}
	return n, nil
}

// ChangePassword sets the password hash of the user called name, records
// when, and ends their sessions but keep's ("" ends all), in one
// transaction: a password changed because it leaked also logs out whoever
// used it. It returns how many sessions it ended, or ErrNotFound.
func (s *Store) ChangePassword(name, hash string, at time.Time, keep string) (int, error) {
	var n int
	err := s.update(func(tx *bolt.Tx) (err error) {
		err = updateUser(tx, name, func(u *User) error {
			u.PasswordHash, u.PasswordChanged = hash, at
			return nil
		})
		if err != nil {
			return err
		}
		n, err = deleteSessions(tx, name, keep)
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("change password of %q: %w", name, err)
	}
	return n, nil
}
