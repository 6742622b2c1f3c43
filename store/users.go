package store

import (
	"errors"
	"fmt"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// User is a person who logs in to the dashboard. The password is kept only
// as a hash (PasswordHash, in the format of the package that made it); the
// store never sees a password.
type User struct {
	Name         string
	Role         string // "admin" or "viewer"
	PasswordHash string
	// FeedKey is the secret in the URLs of the user's Atom feeds, which
	// feed readers fetch without logging in; "" when none. Revoking it
	// (a new one, or none) breaks the old URLs at once.
	FeedKey         string `json:",omitempty"`
	Created         time.Time
	PasswordChanged time.Time
}

// CreateUser stores a new user; a name in use gives ErrExists.
func (s *Store) CreateUser(u User) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketUsers)
		if err != nil {
			return err
		}
		if u.Name == "" {
			return errors.New("user without a name")
		}
		if b.Get([]byte(u.Name)) != nil {
			return ErrExists
		}
		return putUser(b, u)
	})
	if err != nil {
		return fmt.Errorf("create user %q: %w", u.Name, err)
	}
	return nil
}

func putUser(b *bolt.Bucket, u User) error {
	v, err := encode(u)
	if err != nil {
		return err
	}
	return b.Put([]byte(u.Name), v)
}

// User returns the user called name, or ErrNotFound.
func (s *Store) User(name string) (User, error) {
	u, err := getValue[User](s, bucketUsers, name)
	if err != nil {
		return User{}, fmt.Errorf("user %q: %w", name, err)
	}
	return u, nil
}

// Users returns every user, sorted by name.
func (s *Store) Users() ([]User, error) {
	var out []User
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketUsers)
		if err != nil {
			return err
		}
		return b.ForEach(func(_, v []byte) error {
			var u User
			if err := decode(v, &u); err != nil {
				return err
			}
			out = append(out, u)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("users: %w", err)
	}
	return out, nil // bbolt iterates in key order: by name
}

// UpdateUser changes the user called name with change, in one
// transaction; ErrNotFound if there is none. change may not rename.
func (s *Store) UpdateUser(name string, change func(u *User) error) error {
	err := s.update(func(tx *bolt.Tx) error { return updateUser(tx, name, change) })
	if err != nil {
		return fmt.Errorf("update user %q: %w", name, err)
	}
	return nil
}

// updateUser changes the user called name with change in tx.
func updateUser(tx *bolt.Tx, name string, change func(u *User) error) error {
	b, err := bucket(tx, bucketUsers)
	if err != nil {
		return err
	}
	v := b.Get([]byte(name))
	if v == nil {
		return ErrNotFound
	}
	var u User
	if err := decode(v, &u); err != nil {
		return err
	}
	if err := change(&u); err != nil {
		return err
	}
	if u.Name != name {
		return errors.New("a user cannot be renamed")
	}
	return putUser(b, u)
}

// DeleteUser removes the user called name and ends their sessions, or
// returns ErrNotFound. Their relevance labels stay: they are evidence
// about articles, not the user.
func (s *Store) DeleteUser(name string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketUsers)
		if err != nil {
			return err
		}
		if b.Get([]byte(name)) == nil {
			return ErrNotFound
		}
		if err := b.Delete([]byte(name)); err != nil {
			return err
		}
		_, err = deleteSessions(tx, name, "")
		return err
	})
	if err != nil {
		return fmt.Errorf("delete user %q: %w", name, err)
	}
	return nil
}

// SavedTopic is a topic saved at run time (from a search in the
// dashboard, say) rather than written in the config file. The daemon
// matches new articles against it like any other topic.
type SavedTopic struct {
	Name    string
	Query   string
	Created time.Time
	By      string // who saved it: a user, or how ("topics add")
}

// SaveTopic stores t; a name in use gives ErrExists.
func (s *Store) SaveTopic(t SavedTopic) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketTopics)
		if err != nil {
			return err
		}
		if err := checkTopic(t.Name); err != nil {
			return err
		}
		if strings.TrimSpace(t.Query) == "" {
			return errors.New("empty query")
		}
		if b.Get([]byte(t.Name)) != nil {
			return ErrExists
		}
		v, err := encode(t)
		if err != nil {
			return err
		}
		return b.Put([]byte(t.Name), v)
	})
	if err != nil {
		return fmt.Errorf("save topic %q: %w", t.Name, err)
	}
	return nil
}

// SavedTopics returns the topics saved at run time, sorted by name.
func (s *Store) SavedTopics() ([]SavedTopic, error) {
	var out []SavedTopic
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketTopics)
		if err != nil {
			return err
		}
		return b.ForEach(func(_, v []byte) error {
			var t SavedTopic
			if err := decode(v, &t); err != nil {
				return err
			}
			out = append(out, t)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("saved topics: %w", err)
	}
	return out, nil
}

// DeleteTopic removes a saved topic, or returns ErrNotFound. Articles that
// matched it keep it until a rematch.
func (s *Store) DeleteTopic(name string) error {
	err := s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketTopics)
		if err != nil {
			return err
		}
		if b.Get([]byte(name)) == nil {
			return ErrNotFound
		}
		return b.Delete([]byte(name))
	})
	if err != nil {
		return fmt.Errorf("delete topic %q: %w", name, err)
	}
	return nil
}
