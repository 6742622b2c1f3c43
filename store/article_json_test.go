package store

import (
	"bytes"
	"reflect"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/newswatch/newswatch/news"
)

// trickyText holds what JSON escapes or replaces: quotes, backslashes,
// control characters, HTML's special characters (kept as they are), the
// line and paragraph separators, invalid and truncated UTF-8.
const trickyText = "a \"quoted\" \\ path\n\r\t\b\f\x00\x1f\x7f <b>&amp;</b> \u2028\u2029 é 中文 عربى \xff\xc3( \xed\xa0\x80 end \xe4\xb8"

// filled sets every exported field of the struct v points to, recursively,
// to a value that is not its zero value, as a new field would be set, so
// that encoding/json writes it. Fields encoding/json skips ("-") stay
// zero.
func filled(t *testing.T, v reflect.Value, seed int) {
	t.Helper()
	for i := range v.NumField() {
		f, sf := v.Field(i), v.Type().Field(i)
		if !sf.IsExported() || sf.Tag.Get("json") == "-" {
			continue
		}
		switch {
		case f.Type() == reflect.TypeFor[time.Time]():
			f.Set(reflect.ValueOf(time.Date(2026, 12, 8, 1, 2, 3, 456000+seed, time.FixedZone("", 5*3600+1800))))
		case f.Kind() == reflect.String:
			f.SetString(sf.Name + " " + trickyText)
		case f.Kind() == reflect.Int:
			f.SetInt(int64(-7 + seed))
		case f.Kind() == reflect.Bool:
			f.SetBool(true)
		case f.Kind() == reflect.Slice:
			s := reflect.MakeSlice(f.Type(), 2, 2)
			for j := range 2 {
				if e := s.Index(j); e.Kind() == reflect.Struct {
					filled(t, e, seed+j)
				} else {
					e.SetString(sf.Name + trickyText[:j*9])
				}
			}
			f.Set(s)
		default:
			t.Fatalf("filled: field %s of kind %s: teach filled (and appendArticleJSON) about it", sf.Name, f.Kind())
		}
	}
}

// TestArticleJSON checks that articles are stored as the bytes
// encoding/json makes of them: every field set, none set, the articles of
// testdata, and those left to encoding/json.
func TestArticleJSON(t *testing.T) {
	full := new(news.Article)
	filled(t, reflect.ValueOf(full).Elem(), 1)
	handWritten := *full
	handWritten.Copies, handWritten.Revisions = nil, nil // left to encoding/json
	loose := handWritten
	loose.Hits = []news.Hit{{Topic: "un"}, {Topic: "un", Context: false}}
	loose.Topics, loose.RuleFellBack = []string{}, false
	loose.Published = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := map[string]*news.Article{
		"every field":       &handWritten,
		"with copies":       full,
		"zero":              {},
		"empty not omitted": &loose,
	}
	for i, a := range loadArticles(t) {
		cases["testdata "+a.Lang+string(rune('a'+i))] = a
	}
	for name, a := range cases {
		t.Run(name, func(t *testing.T) {
			want, err := encode(a)
			if err != nil {
				t.Fatal(err)
			}
			if name != "with copies" {
				got, ok := appendArticleJSON(nil, a)
				if !ok || !bytes.Equal(got, want) {
					t.Errorf("appendArticleJSON() = %v,\n%s\nwant (encoding/json)\n%s", ok, got, want)
				}
			}
			stored, err := encodeArticle(a)
			if err != nil {
				t.Fatal(err)
			}
			if wantStored, _ := encodeCompressed(a); !bytes.Equal(stored, wantStored) {
				t.Errorf("encodeArticle() stores %d bytes unlike encodeCompressed's %d", len(stored), len(wantStored))
			}
			var back news.Article
			if err := decode(stored, &back); err != nil {
				t.Errorf("decode(encodeArticle()) = %v", err)
			}
		})
	}
}

// TestArticleJSONBadTime checks that a time JSON cannot hold fails the
// article as encoding/json fails it.
func TestArticleJSONBadTime(t *testing.T) {
	a := &news.Article{ID: "x", Published: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	if _, err := encode(a); err == nil {
		t.Fatal("encode() of the year 10000 = nil error; the test needs one")
	}
	if v, err := encodeArticle(a); err == nil {
		t.Errorf("encodeArticle() of the year 10000 = %q, nil; want an error", v)
	}
}

// FuzzJSONString checks appendJSONString against encoding/json on any
// string.
func FuzzJSONString(f *testing.F) {
	for _, s := range []string{"", "plain", trickyText, "\u2028x\u2029", "\xf4\x90\x80\x80", "<&>"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := encode(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); !bytes.Equal(got, want) {
			t.Errorf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	})
}

// BenchmarkArticleJSON encodes a ~5 KB article's JSON by hand and with
// encoding/json.
func BenchmarkArticleJSON(b *testing.B) {
	a := benchArticle(1, benchText(b, 5000), "trafficking")
	b.Run("hand", func(b *testing.B) {
		var buf []byte
		for b.Loop() {
			buf, _ = appendArticleJSON(buf[:0], a)
		}
	})
	b.Run("encoding-json", func(b *testing.B) {
		for b.Loop() {
			if _, err := marshal(a, func(v []byte) []byte { return v }); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestSavePollStoresJSON checks that SavePoll stores each article as the
// bytes encoding/json made before (compressed by encodeCompressed).
func TestSavePollStoresJSON(t *testing.T) {
	s := openTest(t)
	as := loadArticles(t)
	if _, err := s.SavePoll(Poll{Feed: FeedState{URL: "https://example.org/feed"}, Articles: as}); err != nil {
		t.Fatal(err)
	}
	err := s.view(func(tx *bolt.Tx) error {
		b := tx.Bucket(bucketArticles)
		for _, a := range as {
			want, err := encodeCompressed(a)
			if err != nil {
				return err
			}
			if got := b.Get([]byte(a.ID)); !bytes.Equal(got, want) {
				t.Errorf("article %s (%s) stored as %d bytes unlike encoding/json's %d", a.ID, a.Lang, len(got), len(want))
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
