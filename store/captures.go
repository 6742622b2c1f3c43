package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// Exchange is a captured HTTP exchange of an article's page, to keep as
// evidence (see SavePoll and SaveRevision).
type Exchange struct {
	ArticleID string
	Revision  int // the revision the page showed; 0 for the first fetch
	Hops      []news.RawHop

	sealed *sealedCapture // set by Seal
}

// sealedCapture is an exchange compressed ahead of its save: its
// manifest, without the seq the save assigns, and the compressed bytes.
type sealedCapture struct {
	manifest news.Capture
	z        []byte
}

// Seal compresses the exchange now, outside any transaction, and lets go
// of its hops (their bytes are no longer read): a poll then holds the
// pages it keeps compressed, about a fifth of their size, until it is
// saved, and the write transaction that saves it, which other saves wait
// for, only copies them. Sealing a sealed exchange does nothing.
func (ex *Exchange) Seal() {
	if ex.sealed != nil || len(ex.Hops) == 0 {
		return
	}
	c, z := compressExchange(*ex)
	ex.sealed, ex.Hops = &sealedCapture{manifest: c, z: z}, nil
}

// compressExchange returns ex's manifest and its bytes as stored.
func compressExchange(ex Exchange) (news.Capture, []byte) {
	c, data := manifest(ex)
	z := captureEncoder.EncodeAll(data, make([]byte, 0, len(data)+len(data)/64+64)) // seldom smaller (see codec.go)
	c.Stored = len(z)
	return c, z
}

// Where a capture is kept (schema 7, see keys.go): its record, the
// manifest (news.Capture, JSON) followed by the bytes of every hop
// (request, response header block, body) one after the other as one zstd
// frame, is appended to capture_log under the next log key; captures maps
// captureKey(article ID, seq) to that log key. A poll's captures thus land
// at the end of the file's largest bucket instead of all over it: bbolt
// rewrites the leaf a value goes into, with every value already there, and
// a leaf of large values at a random place had to be read back through the
// memory map (resident memory) and written again for each capture.
//
// Captures made before schema 7 stay where they were (an older layout,
// read as it is; moving them would have to fit one migration
// transaction): in captures, the manifest itself (JSON, always longer
// than a log key), and the bytes under the same key in capture_data.

// putCapture stores ex as the article's next capture and returns its
// manifest.
func putCapture(tx *bolt.Tx, ex Exchange) (news.Capture, error) {
	bs, err := buckets(tx, bucketCaptures, bucketCaptureLog)
	if err != nil {
		return news.Capture{}, err
	}
	var c news.Capture
	var z []byte
	switch {
	case ex.sealed != nil:
		c, z = ex.sealed.manifest, ex.sealed.z
		c.ArticleID, c.Revision = ex.ArticleID, ex.Revision // they may be set after Seal, as SaveRefetch does
	case len(ex.Hops) == 0:
		return news.Capture{}, fmt.Errorf("capture of %s: no hops", ex.ArticleID)
	default:
		c, z = compressExchange(ex)
	}
	c.Seq = lastSeq(bs[0], ex.ArticleID) + 1
	m, err := encode(c)
	if err != nil {
		return news.Capture{}, err
	}
	rec := binary.AppendUvarint(make([]byte, 0, binary.MaxVarintLen64+len(m)+len(z)), uint64(len(m)))
	rec = append(append(rec, m...), z...)
	log := bs[1]
	log.FillPercent = 1 // appended to, never inserted into
	lk := nextLogKey(log)
	if err := log.Put(lk, rec); err != nil {
		return news.Capture{}, fmt.Errorf("capture of %s: %w", ex.ArticleID, err)
	}
	if err := bs[0].Put(captureKey(ex.ArticleID, c.Seq), lk); err != nil {
		return news.Capture{}, fmt.Errorf("capture of %s: %w", ex.ArticleID, err)
	}
	return c, nil
}

// nextLogKey returns the key after the last one of the capture log. It
// reads the log's last key rather than the bucket's sequence, so that it
// holds whatever copied the file (compact, backup) and never reuses a key.
func nextLogKey(log *bolt.Bucket) []byte {
	var n uint64
	if k, _ := log.Cursor().Last(); len(k) == logKeyLen {
		n = binary.BigEndian.Uint64(k)
	}
	return logKey(n + 1)
}

// captureRecord is where one capture is kept: the manifest's bytes (JSON)
// and the compressed exchange. For a capture of the older layout, z is
// read from capture_data only when asked for (withData).
type captureRecord struct {
	manifest, z []byte
}

// readCapture finds the record of the capture whose captures entry is v:
// a log key (schema 7) or the manifest itself (older captures, JSON and
// always longer than a log key). The slices point into the transaction's
// memory map.
func readCapture(tx *bolt.Tx, key, v []byte, withData bool) (captureRecord, error) {
	if len(v) != logKeyLen { // the older layout, a manifest: see above
		r := captureRecord{manifest: v}
		if withData {
			b, err := bucket(tx, bucketCaptureData)
			if err != nil {
				return r, err
			}
			if r.z = b.Get(key); r.z == nil {
				return r, ErrNotFound
			}
		}
		return r, nil
	}
	b, err := bucket(tx, bucketCaptureLog)
	if err != nil {
		return captureRecord{}, err
	}
	rec := b.Get(v)
	if rec == nil {
		return captureRecord{}, fmt.Errorf("capture log entry %x is missing: %w", v, ErrCaptureDamaged)
	}
	n, w := binary.Uvarint(rec)
	if w <= 0 || n > uint64(len(rec)-w) {
		return captureRecord{}, fmt.Errorf("capture log entry %x: manifest length: %w", v, ErrCaptureDamaged)
	}
	return captureRecord{manifest: rec[w : w+int(n)], z: rec[w+int(n):]}, nil
}

// manifest describes ex and returns its bytes as stored, uncompressed.
func manifest(ex Exchange) (news.Capture, []byte) {
	first, last := ex.Hops[0], ex.Hops[len(ex.Hops)-1]
	c := news.Capture{
		ArticleID: ex.ArticleID, Revision: ex.Revision, Time: first.Time.UTC(),
		URL: first.URL, FinalURL: last.URL, Status: last.Status,
	}
	var data bytes.Buffer
	for _, h := range ex.Hops {
		c.Hops = append(c.Hops, news.CaptureHop{URL: h.URL, Time: h.Time.UTC(), Status: h.Status,
			RequestSize: len(h.Request), ResponseSize: len(h.Response), BodySize: len(h.Body)})
		data.Write(h.Request)
		data.Write(h.Response)
		data.Write(h.Body)
	}
	sum := sha256.Sum256(data.Bytes())
	c.SHA256 = hex.EncodeToString(sum[:])
	payload := sha256.Sum256(last.Body)
	c.PayloadSHA256 = hex.EncodeToString(payload[:])
	c.Size = data.Len()
	return c, data.Bytes()
}

// eachOfArticle calls fn with the seq and value of every entry of the
// article id in b (captures, capture_data or revisions), in order.
func eachOfArticle(b *bolt.Bucket, id string, fn func(seq int, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.Seek(captureKey(id, 0)); k != nil && bytes.HasPrefix(k, []byte(id)); k, v = c.Next() {
		kid, seq, err := splitCaptureKey(k)
		if err != nil || kid != id {
			continue // another article whose ID starts with id
		}
		if err := fn(seq, v); err != nil {
			return fmt.Errorf("key %x: %w", k, err)
		}
	}
	return nil
}

// lastSeq returns the seq of the article's last entry in b, or 0.
func lastSeq(b *bolt.Bucket, id string) int {
	last := 0
	_ = eachOfArticle(b, id, func(seq int, _ []byte) error { last = seq; return nil })
	return last
}

// Captures returns the manifests of the article's captures, oldest first:
// none when it has none, ErrNotFound when no such article is stored.
func (s *Store) Captures(id string) ([]news.Capture, error) {
	var out []news.Capture
	err := s.view(func(tx *bolt.Tx) error {
		bs, err := buckets(tx, bucketArticles, bucketCaptures)
		if err != nil {
			return err
		}
		if bs[0].Get([]byte(id)) == nil {
			return ErrNotFound
		}
		return eachOfArticle(bs[1], id, func(seq int, v []byte) error {
			r, err := readCapture(tx, captureKey(id, seq), v, false)
			if err != nil {
				return err
			}
			var m news.Capture
			if err := decode(r.manifest, &m); err != nil {
				return err
			}
			out = append(out, m)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("captures of %s: %w", id, err)
	}
	return out, nil
}

// CaptureData returns the bytes of the capture c (a manifest Captures
// returned), checked against its SHA-256.
func (s *Store) CaptureData(c news.Capture) ([]news.RawHop, error) {
	var hops []news.RawHop
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketCaptures)
		if err != nil {
			return err
		}
		k := captureKey(c.ArticleID, c.Seq)
		v := b.Get(k)
		if v == nil {
			return ErrNotFound
		}
		r, err := readCapture(tx, k, v, true)
		if err != nil {
			return err
		}
		hops, err = splitCapture(c, r.z) // decompressed: valid after tx
		return err
	})
	if err == nil {
		return hops, nil
	}
	return nil, fmt.Errorf("capture %d of %s: %w", c.Seq, c.ArticleID, err)
}

// splitCapture decompresses z, checks it against c's digest and cuts it
// into c's hops.
func splitCapture(c news.Capture, z []byte) ([]news.RawHop, error) {
	data, err := zstdDecoder().DecodeAll(z, nil)
	if err != nil {
		return nil, fmt.Errorf("decompress: %v", err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != c.SHA256 {
		return nil, fmt.Errorf("bytes do not match their SHA-256 %s: %w", c.SHA256, ErrCaptureDamaged)
	}
	hops := make([]news.RawHop, 0, len(c.Hops))
	for _, h := range c.Hops {
		n := h.RequestSize + h.ResponseSize + h.BodySize
		if n > len(data) {
			return nil, fmt.Errorf("hop %s: %d bytes left, want %d: %w", h.URL, len(data), n, ErrCaptureDamaged)
		}
		req, resp, body := data[:h.RequestSize], data[h.RequestSize:h.RequestSize+h.ResponseSize], data[h.RequestSize+h.ResponseSize:n]
		hops = append(hops, news.RawHop{URL: h.URL, Time: h.Time, Status: h.Status, Request: req, Response: resp, Body: body})
		data = data[n:]
	}
	return hops, nil
}

// ErrCaptureDamaged means a capture's kept bytes no longer match its
// manifest: the evidence cannot be trusted.
var ErrCaptureDamaged = errors.New("capture damaged")
