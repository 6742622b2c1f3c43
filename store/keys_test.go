package store

import (
	"bytes"
	"math"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
)

func TestEncodeTimeOrder(t *testing.T) {
	t.Parallel()
	// Ascending; each must encode strictly below the next.
	times := []time.Time{
		{},
		time.Date(1500, 1, 1, 0, 0, 0, 0, time.UTC), // clamped to 1677
		time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Unix(0, 0),
		time.Unix(0, 1),
		time.Date(2026, 11, 20, 8, 15, 0, 0, time.FixedZone("ICT", 7*3600)),
		time.Date(2026, 11, 20, 1, 15, 0, 1, time.UTC),
		time.Date(2262, 4, 11, 23, 47, 16, 854775807, time.UTC), // the last representable time
	}
	for i := 1; i < len(times); i++ {
		a, b := encodeTime(times[i-1]), encodeTime(times[i])
		if bytes.Compare(a, b) >= 0 {
			t.Errorf("encodeTime(%v) = %x, not below encodeTime(%v) = %x", times[i-1], a, times[i], b)
		}
	}
	if far := encodeTime(time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)); !bytes.Equal(far, encodeTime(times[len(times)-1])) {
		t.Errorf("encodeTime(9999) = %x, want clamped to %x", far, encodeTime(times[len(times)-1]))
	}
	for _, tm := range times[2:] {
		got, err := decodeTime(encodeTime(tm))
		if err != nil || !got.Equal(tm) {
			t.Errorf("decodeTime(encodeTime(%v)) = %v, %v", tm, got, err)
		}
	}
	if got, err := decodeTime(encodeTime(time.Time{})); err != nil || !got.IsZero() {
		t.Errorf("decodeTime(encodeTime(zero)) = %v, %v, want zero", got, err)
	}
}

func TestTopicKeyRejects(t *testing.T) {
	t.Parallel()
	for _, topic := range []string{"", "a\x00b"} {
		if _, err := topicKey(topic, t0, "id"); err == nil {
			t.Errorf("topicKey(%q) = nil error, want error", topic)
		}
	}
}

// fuzzTime turns fuzzer input into a time a key can hold.
func fuzzTime(nanos int64) time.Time {
	if nanos == math.MinInt64 {
		return time.Time{}
	}
	return time.Unix(0, nanos)
}

func FuzzTimeIDKey(f *testing.F) {
	for _, a := range []string{"https://www.vietnamplus.vn/a.vnp", "https://news.un.org/ar/story/2026/11/1120001", ""} {
		f.Add(t0.UnixNano(), news.ArticleID(a), int64(0), news.AlertID("s", news.ChannelEmail, a))
	}
	f.Add(int64(math.MinInt64), "", int64(math.MaxInt64), "\xff")
	f.Fuzz(func(t *testing.T, n1 int64, id1 string, n2 int64, id2 string) {
		t1, t2 := fuzzTime(n1), fuzzTime(n2)
		k1, k2 := timeIDKey(t1, id1), timeIDKey(t2, id2)
		gotT, gotID, err := splitTimeIDKey(k1)
		if err != nil || !gotT.Equal(t1) || gotID != id1 {
			t.Fatalf("splitTimeIDKey(timeIDKey(%v, %q)) = %v, %q, %v", t1, id1, gotT, gotID, err)
		}
		// Byte order is time order, then ID order.
		if t1.Before(t2) && bytes.Compare(k1, k2) >= 0 {
			t.Errorf("timeIDKey(%v, %q) = %x sorts after timeIDKey(%v, %q) = %x", t1, id1, k1, t2, id2, k2)
		}
		if t1.Equal(t2) && (bytes.Compare(k1, k2) < 0) != (id1 < id2) {
			t.Errorf("keys at equal times sort %x vs %x, want by ID %q vs %q", k1, k2, id1, id2)
		}
	})
}

func FuzzTopicKey(f *testing.F) {
	for _, topic := range []string{"trafficking", "mua bán người", "الاتجار بالبشر", "人口贩运", "a\x00b"} {
		f.Add(topic, t0.UnixNano(), news.ArticleID(topic))
	}
	f.Fuzz(func(t *testing.T, topic string, nanos int64, id string) {
		tm := fuzzTime(nanos)
		k, err := topicKey(topic, tm, id)
		if err != nil {
			if checkTopic(topic) == nil {
				t.Fatalf("topicKey(%q) = %v for a valid topic", topic, err)
			}
			return
		}
		if !bytes.HasPrefix(k, topicPrefix(topic)) {
			t.Fatalf("topicKey(%q) = %x lacks prefix %x", topic, k, topicPrefix(topic))
		}
		gotTopic, gotT, gotID, err := splitTopicKey(k)
		if err != nil || gotTopic != topic || !gotT.Equal(tm) || gotID != id {
			t.Fatalf("splitTopicKey(topicKey(%q, %v, %q)) = %q, %v, %q, %v", topic, tm, id, gotTopic, gotT, gotID, err)
		}
	})
}

// FuzzSplitKey feeds arbitrary bytes (a damaged file) to the decoders:
// they may fail but must not panic.
func FuzzSplitKey(f *testing.F) {
	k, _ := topicKey("trafficking", t0, news.ArticleID("x"))
	f.Add(k)
	f.Add(timeIDKey(t0, "alt_1"))
	f.Add([]byte{0})
	f.Fuzz(func(t *testing.T, b []byte) {
		_, _, _, _ = splitTopicKey(b)
		_, _, _ = splitTimeIDKey(b)
		_, _ = decodeTime(b)
		_, _ = decodeUint(b)
	})
}
