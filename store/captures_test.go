package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

func testExchange(id string) Exchange {
	return Exchange{ArticleID: id, Hops: []news.RawHop{
		{URL: "http://127.0.0.1/old", Time: t0, Status: 301,
			Request:  []byte("GET /old HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
			Response: []byte("HTTP/1.1 301 Moved Permanently\r\nLocation: /new\r\n\r\n")},
		{URL: "http://127.0.0.1/new", Time: t0, Status: 200,
			Request:  []byte("GET /new HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
			Response: []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"),
			Body:     []byte("<html><body><p>Triệt phá đường dây mua bán người</p></body></html>")},
	}}
}

// TestCaptures: a poll keeps the exchange of the article it adds, not of
// one stored before; the manifest describes it and the bytes read back
// equal, checked against their digest.
func TestCaptures(t *testing.T) {
	s := openTest(t)
	a := &news.Article{ID: "a1", URL: "http://127.0.0.1/new", Text: "x", Fetched: t0}
	ex := testExchange("a1")
	res, err := s.SavePoll(Poll{Feed: FeedState{URL: "http://127.0.0.1/feed"}, Articles: []*news.Article{a}, Exchanges: []Exchange{ex}})
	if err != nil || res.Captures != 1 {
		t.Fatalf("SavePoll = %+v, %v, want 1 capture", res, err)
	}
	// The same article through a second feed keeps no second capture.
	if res, err := s.SavePoll(Poll{Feed: FeedState{URL: "http://127.0.0.1/feed2"}, Articles: []*news.Article{a}, Exchanges: []Exchange{ex}}); err != nil || res.Captures != 0 {
		t.Fatalf("SavePoll(stored article) = %+v, %v, want no capture", res, err)
	}
	cs, err := s.Captures("a1")
	if err != nil || len(cs) != 1 {
		t.Fatalf("Captures = %v, %v, want one", cs, err)
	}
	c := cs[0]
	payload := sha256.Sum256(ex.Hops[1].Body)
	if c.Seq != 1 || c.URL != "http://127.0.0.1/old" || c.FinalURL != "http://127.0.0.1/new" || c.Status != 200 ||
		c.PayloadSHA256 != hex.EncodeToString(payload[:]) || len(c.Hops) != 2 || c.Stored == 0 {
		t.Errorf("capture manifest = %+v", c)
	}
	hops, err := s.CaptureData(c)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ex.Hops, hops, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("CaptureData (-want +got):\n%s", diff)
	}
	if _, err := s.Captures("nosuch"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Captures(nosuch) = %v, want ErrNotFound", err)
	}

	// Damage the kept bytes: reading them says so.
	err = s.update(func(tx *bolt.Tx) error {
		z := zstdEncoder().EncodeAll([]byte("something else"), nil)
		return tx.Bucket(bucketCaptureData).Put(captureKey("a1", 1), z)
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CaptureData(c); !errors.Is(err, ErrCaptureDamaged) {
		t.Errorf("CaptureData(damaged) = %v, want ErrCaptureDamaged", err)
	}
}
