package store

import (
	"bytes"
	"crypto/sha256"
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
}

// A capture is kept in two buckets under the same key (captureKey): its
// manifest (news.Capture, JSON) in captures, which `evidence` lists
// without reading the bytes, and in capture_data the bytes of every hop
// (request, response header block, body) one after the other, as one
// zstd frame. The manifest's hop sizes cut them apart again.

// putCapture stores ex as the article's next capture and returns its
// manifest.
func putCapture(tx *bolt.Tx, ex Exchange) (news.Capture, error) {
	bs, err := buckets(tx, bucketCaptures, bucketCaptureData)
	if err != nil {
		return news.Capture{}, err
	}
	if len(ex.Hops) == 0 {
		return news.Capture{}, fmt.Errorf("capture of %s: no hops", ex.ArticleID)
	}
	c, data := manifest(ex)
	c.Seq = lastSeq(bs[0], ex.ArticleID) + 1
	z := zstdEncoder().EncodeAll(data, make([]byte, 0, len(data)/2))
	c.Stored = len(z)
	v, err := encode(c)
	if err != nil {
		return news.Capture{}, err
	}
	k := captureKey(ex.ArticleID, c.Seq)
	if err := bs[0].Put(k, v); err != nil {
		return news.Capture{}, fmt.Errorf("capture of %s: %w", ex.ArticleID, err)
	}
	if err := bs[1].Put(k, z); err != nil {
		return news.Capture{}, fmt.Errorf("capture of %s: %w", ex.ArticleID, err)
	}
	return c, nil
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
		return eachOfArticle(bs[1], id, func(_ int, v []byte) error {
			var m news.Capture
			if err := decode(v, &m); err != nil {
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
	var z []byte
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketCaptureData)
		if err != nil {
			return err
		}
		v := b.Get(captureKey(c.ArticleID, c.Seq))
		if v == nil {
			return ErrNotFound
		}
		z = bytes.Clone(v)
		return nil
	})
	if err == nil {
		var hops []news.RawHop
		if hops, err = splitCapture(c, z); err == nil {
			return hops, nil
		}
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
