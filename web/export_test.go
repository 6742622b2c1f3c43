package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

func TestExportFilters(t *testing.T) {
	t.Parallel()
	h, _, articles := fixtureHandler(t)
	in := func(from, to string) func(*news.Article) bool {
		return func(a *news.Article) bool {
			et := exportTime(a)
			return (from == "" || !et.Before(mustDate(t, from))) && (to == "" || et.Before(mustDate(t, to)))
		}
	}
	hasTopic := func(topic string) func(*news.Article) bool {
		return func(a *news.Article) bool { return slices.Contains(a.Topics, topic) }
	}
	and := func(fs ...func(*news.Article) bool) func(*news.Article) bool {
		return func(a *news.Article) bool {
			for _, f := range fs {
				if !f(a) {
					return false
				}
			}
			return true
		}
	}
	tests := []struct {
		query string
		keep  func(*news.Article) bool
	}{
		{"", (*news.Article).Matched},
		{"all=1", func(*news.Article) bool { return true }},
		{"all", func(*news.Article) bool { return true }},
		{"all=false", (*news.Article).Matched},
		{"topic=trafficking", hasTopic("trafficking")},
		{"topic=un", hasTopic("un")},
		{"topic=migration", hasTopic("migration")},
		{"topic=trafficking&all=1", hasTopic("trafficking")},
		{"since=2026-11-10", and((*news.Article).Matched, in("2026-11-10", ""))},
		{"until=2026-11-10", and((*news.Article).Matched, in("", "2026-11-10"))},
		{"all=true&since=2026-11-03&until=2026-11-16", in("2026-11-03", "2026-11-16")},
		{"topic=trafficking&since=2026-11-10T12:00:00Z", and(hasTopic("trafficking"), in("2026-11-10", ""))},
		{"since=2026-11-10T12:00:01Z&topic=trafficking", and(hasTopic("trafficking"), in("2026-11-10T12:00:01Z", ""))},
		{"format=jsonl&since=2026-11-02T08:15:00%2B07:00&until=2026-11-02T08:15:01%2B07:00", in("2026-11-02T01:15:00Z", "2026-11-02T01:15:01Z")},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rec := get(t, h, "/export?"+tt.query)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /export?%s = %d %s, want 200", tt.query, rec.Code, rec.Body)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/x-ndjson" {
				t.Errorf("GET /export?%s: Content-Type = %q, want application/x-ndjson", tt.query, ct)
			}
			got := recordURLs(t, decodeRecords(t, rec.Body))
			if diff := cmp.Diff(urlsWhere(articles, tt.keep), got); diff != "" {
				t.Errorf("GET /export?%s: URLs differ (-want +got):\n%s", tt.query, diff)
			}
		})
	}
}

// TestExportSameAsWrite checks that the endpoint serves export.Write's
// bytes: the records researchers get from the CLI.
func TestExportSameAsWrite(t *testing.T) {
	t.Parallel()
	h, st, _ := fixtureHandler(t)
	var want bytes.Buffer
	if _, err := export.Write(t.Context(), &want, st, export.Options{All: true}); err != nil {
		t.Fatal(err)
	}
	got := get(t, h, "/export?all=1").Body.String()
	if diff := cmp.Diff(want.String(), got); diff != "" {
		t.Errorf("GET /export?all=1 differs from export.Write (-want +got):\n%s", diff)
	}
	for _, script := range []string{"mua bán người", "الاتجار بالبشر", "联合国", "Торговля людьми"} {
		if !strings.Contains(got, script) {
			t.Errorf("GET /export?all=1 lacks %q unescaped", script)
		}
	}
}

func TestExportBadParameters(t *testing.T) {
	t.Parallel()
	h, _, _ := fixtureHandler(t)
	tests := []struct{ query, want string }{
		{"since=yesterday", `since "yesterday": want RFC 3339`},
		{"until=2026-13-01", `until "2026-13-01"`},
		{"since=2026-12-01&until=2026-11-01", "is not before until"},
		{"since=2026-12-01&until=2026-12-01", "is not before until"},
		{"all=maybe", `all "maybe"`},
		{"format=xml", `format "xml": want jsonl, csv, atom`},
		{"bom=1", "bom: a byte-order mark is for the csv format only"},
		{"format=atom&bom=1", "not atom"},
		{"format=csv&bom=yes", `bom "yes"`},
		{"topics=un", `unknown parameter "topics"`},
		{"topic=un%00x", `topic "un\x00x"`},
		{"topic=human+trafficking", `topic "human trafficking"`},
		{"sinse=2026-01-01&format=csv", `unknown parameter "sinse"`},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			rec := get(t, h, "/export?"+tt.query)
			var eb errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil {
				t.Fatalf("GET /export?%s: body %q is not a JSON error: %v", tt.query, rec.Body, err)
			}
			if rec.Code != http.StatusBadRequest || !strings.Contains(eb.Error, tt.want) {
				t.Errorf("GET /export?%s = %d %q, want 400 containing %q", tt.query, rec.Code, eb.Error, tt.want)
			}
		})
	}
}

func TestExportOptions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		query string
		want  export.Options
	}{
		{"", export.Options{Format: export.FormatJSONL}},
		{"topic=un&all=1", export.Options{Format: export.FormatJSONL, Topic: "un", All: true}},
		{"topic=buôn_bán_người", export.Options{Format: export.FormatJSONL, Topic: "buôn_bán_người"}},
		{"since=2026-11-27&until=2026-11-28T07:00:00%2B07:00", export.Options{
			Format: export.FormatJSONL, Since: time.Date(2026, 11, 27, 0, 0, 0, 0, time.UTC),
			Until: time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)}},
		{"since=2026-11-27T08:30:00", export.Options{Format: export.FormatJSONL, Since: time.Date(2026, 11, 27, 8, 30, 0, 0, time.UTC)}},
	}
	for _, tt := range tests {
		q, err := url.ParseQuery(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		got, err := ExportOptions(q)
		if err != nil {
			t.Errorf("ExportOptions(%q) error %v", tt.query, err)
			continue
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("ExportOptions(%q) differs (-want +got):\n%s", tt.query, diff)
		}
	}
}

// TestExportReportsEveryProblem checks that one answer names every bad
// parameter, so a researcher fixes the URL once.
func TestExportReportsEveryProblem(t *testing.T) {
	t.Parallel()
	q, _ := url.ParseQuery("since=soon&until=later&all=often")
	_, err := ExportOptions(q)
	for _, want := range []string{"since", "until", "all"} {
		if err == nil || !strings.Contains(err.Error(), want+` "`) {
			t.Errorf("ExportOptions(%v) = %v, want a problem with %s", q, err, want)
		}
	}
}

// failingSource serves the real store's articles, then fails: a disk
// error half-way through an export.
type failingSource struct {
	Store
	after int
}

var errDisk = errors.New("read articles: input/output error")

func (f failingSource) ForEachArticle(ctx context.Context, q store.Query, fn func(*news.Article) error) error {
	n := 0
	return f.Store.ForEachArticle(ctx, q, func(a *news.Article) error {
		if n == f.after {
			return errDisk
		}
		n++
		return fn(a)
	})
}

func TestExportFailureBeforeFirstByteIs500(t *testing.T) {
	t.Parallel()
	st, _ := openFixture(t)
	h := New(Options{Store: failingSource{Store: st, after: 0}, Auth: AuthLocal})
	rec := get(t, h, "/export?all=1")
	if rec.Code != http.StatusInternalServerError || !strings.Contains(rec.Body.String(), errDisk.Error()) {
		t.Errorf("GET /export with a failing store = %d %q, want 500 with the error", rec.Code, rec.Body.String())
	}
}

// TestExportFailureHalfWayBreaksTheStream checks that a client can tell an
// incomplete export from a complete one: the stream is cut, not ended.
func TestExportFailureHalfWayBreaksTheStream(t *testing.T) {
	t.Parallel()
	st, _ := openFixture(t)
	big := &news.Article{
		URL: "https://www.vietnamplus.vn/bao-cao-dai-post9999.vnp", FeedURL: fixtureFeeds[0].URL, Title: "Báo cáo dài",
		Text: strings.Repeat("Nạn nhân của nạn mua bán người cần được hỗ trợ. ", 4000), Lang: "vi",
		Published: t0.Add(-90 * 24 * time.Hour), Fetched: t0, Topics: []string{"trafficking"},
	}
	if _, err := st.SavePoll(store.Poll{Feed: fixtureState(0), Articles: []*news.Article{big}}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(New(Options{Store: failingSource{Store: st, after: 1}, Auth: AuthLocal}))
	defer srv.Close()
	resp, err := srv.Client().Get(srv.URL + "/export?all=1")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || err == nil {
		t.Errorf("GET /export failing half-way = %d, read error %v after %d bytes; want 200 and a broken body", resp.StatusCode, err, len(body))
	}
}

// decodeRecords reads JSON Lines.
func decodeRecords(t *testing.T, r io.Reader) []export.Record {
	t.Helper()
	var recs []export.Record
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 1<<22)
	for sc.Scan() {
		var rec export.Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			t.Fatalf("line %q: %v", sc.Text(), err)
		}
		recs = append(recs, rec)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return recs
}

func recordURLs(t *testing.T, recs []export.Record) []string {
	t.Helper()
	var out []string
	for _, r := range recs {
		out = append(out, r.URL)
	}
	return out
}

func mustDate(t *testing.T, v string) time.Time {
	t.Helper()
	tm, err := export.ParseTime("test", v)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

func ExampleExportOptions() {
	q, _ := url.ParseQuery("topic=trafficking&since=2026-11-01&all=1")
	o, err := ExportOptions(q)
	fmt.Println(o.Topic, o.Since.Format(time.RFC3339), o.All, err)
	_, err = ExportOptions(url.Values{"sinse": {"2026-11-01"}})
	fmt.Println(err)
	// Output:
	// trafficking 2026-11-01T00:00:00Z true <nil>
	// unknown parameter "sinse" (want topic, since, until, all, format, bom)
}

func FuzzExportOptions(f *testing.F) {
	for _, s := range []string{"", "all=1", "topic=trafficking&since=2026-11-10&until=2026-12-01T00:00:00Z",
		"topic=buôn_bán&all", "since=2026-11-02T08:15:00%2B07:00", "topic=الاتجار", "topic=%E8%B4%A9%E5%8D%96", "a=%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		o, err := ExportOptions(q)
		if err != nil {
			return
		}
		if o.Format != export.FormatJSONL || (o.Topic != "" && !news.ValidTopicName(o.Topic)) {
			t.Errorf("ExportOptions(%q) = %+v, accepted a format or topic it should refuse", raw, o)
		}
		if !o.Since.IsZero() && !o.Until.IsZero() && !o.Since.Before(o.Until) {
			t.Errorf("ExportOptions(%q) = %+v, accepted an empty time range", raw, o)
		}
	})
}
