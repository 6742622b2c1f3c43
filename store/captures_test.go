package store

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/internal/storetest"
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
	t.Parallel()
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
		lk := tx.Bucket(bucketCaptures).Get(captureKey("a1", 1))
		r, err := readCapture(tx, captureKey("a1", 1), lk, true)
		if err != nil {
			return err
		}
		z := zstdEncoder().EncodeAll([]byte("something else"), nil)
		return tx.Bucket(bucketCaptureLog).Put(lk, append(binary.AppendUvarint(nil, uint64(len(r.manifest))), append(bytes.Clone(r.manifest), z...)...))
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CaptureData(c); !errors.Is(err, ErrCaptureDamaged) {
		t.Errorf("CaptureData(damaged) = %v, want ErrCaptureDamaged", err)
	}
}

// TestSealedCapture: an exchange sealed before the save (compressed, its
// hops let go) is stored as the same capture as one compressed in the
// save, and can be stored again, taking the next seq.
func TestSealedCapture(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	plain, sealed := testExchange("a1"), testExchange("not yet known")
	sealed.Seal()
	sealed.ArticleID = "a2" // set after Seal, as SaveRefetch sets it
	if sealed.Hops != nil {
		t.Errorf("Seal kept the hops: %d", len(sealed.Hops))
	}
	sealed.Seal() // a second Seal changes nothing
	arts := []*news.Article{{ID: "a1", URL: "http://127.0.0.1/1", Text: "x", Fetched: t0}, {ID: "a2", URL: "http://127.0.0.1/2", Text: "x", Fetched: t0}}
	if res, err := s.SavePoll(Poll{Feed: FeedState{URL: "http://127.0.0.1/feed"}, Articles: arts, Exchanges: []Exchange{plain, sealed}}); err != nil || res.Captures != 2 {
		t.Fatalf("SavePoll = %+v, %v, want 2 captures", res, err)
	}
	// The same sealed exchange stored again, as when a group commit runs
	// a save a second time, is whole again.
	if err := s.update(func(tx *bolt.Tx) error { _, err := putCapture(tx, sealed); return err }); err != nil {
		t.Fatal(err)
	}
	want, err := s.Captures("a1")
	if err != nil || len(want) != 1 {
		t.Fatalf("Captures(a1) = %v, %v", want, err)
	}
	got, err := s.Captures("a2")
	if err != nil || len(got) != 2 {
		t.Fatalf("Captures(a2) = %v, %v, want two", got, err)
	}
	for i, c := range got {
		w := want[0]
		w.ArticleID, w.Seq = "a2", i+1
		if diff := cmp.Diff(w, c); diff != "" {
			t.Errorf("sealed capture %d (-as if compressed in the save +got):\n%s", i+1, diff)
		}
		hops, err := s.CaptureData(c)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(testExchange("a2").Hops, hops, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("CaptureData of sealed capture %d (-want +got):\n%s", i+1, diff)
		}
	}
}

// TestCapturesAppend: captures are appended to capture_log in the order
// they are made, whatever their articles' IDs, and each article's
// captures stay listed in order.
func TestCapturesAppend(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ids := []string{"ffff", "0000", "8888"}
	for i, id := range ids {
		a := &news.Article{ID: id, URL: "http://127.0.0.1/" + id, Text: "x", Fetched: t0}
		if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "http://127.0.0.1/feed"}, Articles: []*news.Article{a}, Exchanges: []Exchange{testExchange(id)}}); err != nil {
			t.Fatalf("SavePoll(%d) = %v", i, err)
		}
	}
	err := s.view(func(tx *bolt.Tx) error {
		for i, id := range ids {
			if got, want := tx.Bucket(bucketCaptures).Get(captureKey(id, 1)), logKey(uint64(i+1)); !bytes.Equal(got, want) {
				t.Errorf("captures[%s, 1] = %x, want log key %x", id, got, want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n := bucketLen(t, s, bucketCaptureData); n != 0 {
		t.Errorf("capture_data holds %d entries, want none (the older layout)", n)
	}
	mustCheck(t, s)

	// Check finds a capture without its log entry and an orphan entry.
	err = s.update(func(tx *bolt.Tx) error {
		log := tx.Bucket(bucketCaptureLog)
		return errors.Join(log.Delete(logKey(2)), log.Put(logKey(9), []byte{0}))
	})
	if err != nil {
		t.Fatal(err)
	}
	rep, err := s.Check(t.Context())
	if want := []string{"capture 1 of 0000: capture log entry 0000000000000002 is missing: capture damaged",
		"capture log entry 0000000000000009 belongs to no capture"}; !errors.Is(err, ErrCorrupt) || !cmp.Equal(rep.Problems, want) {
		t.Errorf("Check(damaged captures) = %q, %v, want %q", rep.Problems, err, want)
	}
}

// TestMigrateCaptures: a schema-6 store keeps its captures through the
// migration to 7, readable and checked as before; the article's next
// capture goes to the log and both are listed in order.
func TestMigrateCaptures(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	a := &news.Article{ID: "a1", URL: "http://127.0.0.1/new", Text: "x", Fetched: t0, Hits: []news.Hit{{Topic: "t"}}}
	ex := testExchange("a1")
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "http://127.0.0.1/feed"}, Articles: []*news.Article{a}, Exchanges: []Exchange{ex}}); err != nil {
		t.Fatal(err)
	}
	want, err := s.Captures("a1")
	if err != nil {
		t.Fatal(err)
	}
	path := s.Path()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := storetest.ToSchema6(path); err != nil {
		t.Fatal(err)
	}

	s, err = Open(path, Options{})
	if err != nil {
		t.Fatalf("Open(schema 6) = %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	got, err := s.Captures("a1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Captures after migration (-want +got):\n%s", diff)
	}
	hops, err := s.CaptureData(got[0])
	if err != nil {
		t.Fatalf("CaptureData(migrated) = %v", err)
	}
	if diff := cmp.Diff(ex.Hops, hops, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("CaptureData after migration (-want +got):\n%s", diff)
	}

	// A revision's capture after the migration: the log, seq 2.
	rev := RevisionRecord{Revision: news.Revision{Kind: news.RevisionEdited, Time: t0}, Text: "y"}
	if _, err := s.SaveRefetch(RefetchDone{Done: Refetch{ArticleID: "a1", Due: t0}, Revision: &rev, Exchange: &ex}); err != nil {
		t.Fatal(err)
	}
	got, err = s.Captures("a1")
	if err != nil || len(got) != 2 || got[0].Seq != 1 || got[1].Seq != 2 {
		t.Fatalf("Captures after a new one = %+v, %v, want seq 1 and 2", got, err)
	}
	for _, c := range got {
		if _, err := s.CaptureData(c); err != nil {
			t.Errorf("CaptureData(seq %d) = %v", c.Seq, err)
		}
	}
	rep, err := s.Check(context.Background())
	if err != nil || len(rep.Problems) > 0 {
		t.Errorf("Check after migration = %+v, %v", rep, err)
	}
}
