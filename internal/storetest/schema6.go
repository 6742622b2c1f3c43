// Package storetest makes store files as older versions of newswatch
// left them, for the tests of schema migrations. It works on the bbolt
// file directly, by the bucket names of store/keys.go, and never imports
// the store package, so the store's own tests can use it too.
package storetest

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"
)

// ToSchema6 rewrites the closed store file at path (schema 7) as schema 6
// kept it: each capture's manifest in captures and its bytes in
// capture_data under the same key, and no capture_log.
func ToSchema6(path string) error {
	db, err := bolt.Open(path, 0o600, nil)
	if err != nil {
		return err
	}
	err = db.Update(func(tx *bolt.Tx) error {
		caps, data, log, meta := tx.Bucket([]byte("captures")), tx.Bucket([]byte("capture_data")),
			tx.Bucket([]byte("capture_log")), tx.Bucket([]byte("meta"))
		if caps == nil || data == nil || log == nil || meta == nil {
			return errors.New("not a schema-7 store")
		}
		type entry struct{ k, manifest, z []byte }
		var old []entry
		err := caps.ForEach(func(k, v []byte) error {
			rec := log.Get(v)
			n, w := binary.Uvarint(rec)
			if rec == nil || w <= 0 || n > uint64(len(rec)-w) {
				return fmt.Errorf("capture %x: no log record %x", k, v)
			}
			old = append(old, entry{bytes.Clone(k), bytes.Clone(rec[w : w+int(n)]), bytes.Clone(rec[w+int(n):])})
			return nil
		})
		if err != nil {
			return err
		}
		for _, e := range old {
			if err := errors.Join(caps.Put(e.k, e.manifest), data.Put(e.k, e.z)); err != nil {
				return err
			}
		}
		if err := tx.DeleteBucket([]byte("capture_log")); err != nil {
			return err
		}
		return meta.Put([]byte("schema_version"), binary.BigEndian.AppendUint64(nil, 6))
	})
	return errors.Join(err, db.Close())
}
