package store

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	bolt "go.etcd.io/bbolt"
)

// A migration upgrades a store by one schema version inside the write
// transaction that Open runs; migrations[i] takes version i to i+1. A
// failing migration rolls back and leaves the file at its old version.
type migration struct {
	name string
	run  func(tx *bolt.Tx) error
}

// migrations lists every schema change in order. Append, never edit: a
// file at version v runs migrations[v:] on its next writable Open.
var migrations = []migration{
	{"create buckets", createBuckets},
	{"create sources and tokens buckets", createBuckets},
	{"create users, sessions, labels and topics buckets", createBuckets},
	{"create the search index buckets", createIndex},
	{"create captures, capture_data, revisions and refetch buckets", createBuckets},
	{"create story buckets", createBuckets},
	{"create the capture_log bucket", createBuckets},
}

// SchemaVersion is the schema version this package reads and writes:
// the number of migrations (TestSchemaVersion keeps them in step).
const SchemaVersion uint64 = 7

// createBuckets creates every bucket of the current schema that is missing:
// migration 0 -> 1 (the first schema; version 0 is a new, empty file or one
// without a meta bucket), 1 -> 2 (run-time sources and API tokens),
// 2 -> 3 (the dashboard's users, sessions, relevance labels and topics
// saved at run time), 4 -> 5 (captured exchanges, revisions and the
// refetch queue; 3 -> 4, the search index, is createIndex), 5 -> 6
// (stories) and 6 -> 7 (capture_log: captures made from then on are
// appended there, those made before stay where they are, see
// captures.go). Article values compressed since then need no migration:
// decode reads both forms (see codec.go).
func createBuckets(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return fmt.Errorf("create bucket %s: %v", name, err)
		}
	}
	return nil
}

// schemaVersion reads the recorded version; a missing meta bucket or key
// means version 0.
func schemaVersion(tx *bolt.Tx) (uint64, error) {
	b := tx.Bucket(bucketMeta)
	if b == nil {
		return 0, nil
	}
	v := b.Get(metaSchemaKey)
	if v == nil {
		return 0, nil
	}
	n, err := decodeUint(v)
	if err != nil {
		return 0, fmt.Errorf("schema version: %v", err)
	}
	return n, nil
}

// migrate brings the file to SchemaVersion in one write transaction, so a
// crash during the first start or an upgrade leaves the old state. A file
// at the current version is only read: opening writes nothing.
func (s *Store) migrate() error {
	if err := s.checkSchema(); !errors.Is(err, ErrNeedsMigration) {
		return err
	}
	return s.update(func(tx *bolt.Tx) error {
		v, err := s.version(tx)
		if err != nil {
			return err
		}
		for i := v; i < SchemaVersion; i++ {
			m := migrations[i]
			if err := m.run(tx); err != nil {
				return fmt.Errorf("migrate schema %d -> %d (%s): %w", i, i+1, m.name, err)
			}
		}
		if v < SchemaVersion {
			meta, err := bucket(tx, bucketMeta)
			if err != nil {
				return err
			}
			if err := meta.Put(metaSchemaKey, encodeUint(SchemaVersion)); err != nil {
				return err
			}
		}
		return s.requireBuckets(tx)
	})
}

// checkSchema verifies that the file is at exactly the current version:
// older ones need a writable open to migrate.
func (s *Store) checkSchema() error {
	return s.view(func(tx *bolt.Tx) error {
		v, err := s.version(tx)
		if err != nil {
			return err
		}
		if v < SchemaVersion {
			return fmt.Errorf("schema version %d, current %d: %w", v, SchemaVersion, ErrNeedsMigration)
		}
		return s.requireBuckets(tx)
	})
}

// version reads the file's schema version and refuses what no migration
// can take: an unreadable version, another program's bbolt file (buckets
// but no version), a newer schema.
func (s *Store) version(tx *bolt.Tx) (uint64, error) {
	v, err := schemaVersion(tx)
	switch {
	case err != nil:
		return 0, s.damaged(err.Error())
	case v > SchemaVersion:
		return 0, fmt.Errorf("schema version %d, this newswatch knows up to %d: %w", v, SchemaVersion, ErrNewerSchema)
	case v == 0:
		if names := foreignBuckets(tx); len(names) > 0 {
			return 0, s.damaged("it is a bbolt database of another program (buckets " + strings.Join(names, ", ") + ")")
		}
	}
	return v, nil
}

// foreignBuckets names (up to five of) the root buckets that newswatch's
// schema does not have.
func foreignBuckets(tx *bolt.Tx) []string {
	var names []string
	_ = tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
		if !slices.ContainsFunc(allBuckets, func(b []byte) bool { return bytes.Equal(b, name) }) {
			names = append(names, strconv.Quote(string(name)))
		}
		return nil
	})
	return names[:min(len(names), 5)]
}

// requireBuckets checks that every bucket of the schema is there and that
// its first page reads, so that a file damaged near its root fails at
// Open rather than in the first poll.
func (s *Store) requireBuckets(tx *bolt.Tx) error {
	for _, name := range allBuckets {
		b := tx.Bucket(name)
		if b == nil {
			return s.damaged(fmt.Sprintf("bucket %s is missing", name))
		}
		b.Cursor().First()
	}
	return nil
}
