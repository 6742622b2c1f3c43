package export

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"

	"github.com/newswatch/newswatch/news"
)

// exportParquet exports src as Parquet and returns the file's bytes.
func exportParquet(t *testing.T, src Source, opts Options) []byte {
	t.Helper()
	opts.Format = FormatParquet
	var b bytes.Buffer
	n, err := Write(t.Context(), &b, src, opts)
	if err != nil {
		t.Fatalf("Write(parquet) = %d, %v", n, err)
	}
	return b.Bytes()
}

// TestParquetRoundTrip reads an export back with the library and checks
// every field of every article and the columns' logical types.
func TestParquetRoundTrip(t *testing.T) {
	t.Parallel()
	articles := sampleArticles()
	data := exportParquet(t, openStore(t, articles), Options{})
	rows, err := parquet.Read[parquetRow](bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatalf("reading the Parquet export back: %v", err)
	}
	if len(rows) != len(articles) {
		t.Fatalf("%d rows, want %d", len(rows), len(articles))
	}
	for i, a := range articles { // both oldest first; the Russian article has no date, so it sorts by fetch time
		want := NewRecord(a)
		var got parquetRow
		for _, r := range rows {
			if r.ID == a.ID {
				got = r
			}
		}
		if got.Title != want.Title || got.Text != want.Text || got.Source != want.Source || got.Lang != want.Lang ||
			got.FeedURL != want.FeedURL || !got.Fetched.Equal(want.Fetched) || !cmp.Equal(got.Topics, want.Topics) {
			t.Errorf("row %d = %+v, want %+v", i, got, want)
		}
		if (got.Published == nil) != (want.Published == nil) || got.Published != nil && !got.Published.Equal(*want.Published) {
			t.Errorf("row %d published = %v, want %v", i, got.Published, want.Published)
		}
		if len(got.Matches) != len(a.Hits) || len(a.Hits) > 0 && (got.Matches[0].Term != a.Hits[0].Term || got.Matches[0].Start != int64(a.Hits[0].Start) || got.Matches[0].Snippet != a.Hits[0].Snippet) {
			t.Errorf("row %d matches = %+v, want %+v", i, got.Matches, a.Hits)
		}
	}
	if strings.Contains(string(data), "secret") {
		t.Error("the export holds the feed URL's password")
	}

	f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	types := map[string]string{}
	for _, c := range f.Schema().Fields() {
		types[c.Name()] = fmt.Sprint(c.Type().LogicalType(), " optional=", c.Optional())
	}
	want := map[string]string{
		"published": "TIMESTAMP(isAdjustedToUTC=true,unit=MILLIS) optional=true",
		"fetched":   "TIMESTAMP(isAdjustedToUTC=true,unit=MILLIS) optional=false",
		"topics":    "LIST optional=false",
		"matches":   "LIST optional=false",
		"title":     "STRING optional=false",
	}
	for col, w := range want {
		if types[col] != w {
			t.Errorf("column %s: %s, want %s", col, types[col], w)
		}
	}
	if f.Metadata().RowGroups[0].Columns[0].MetaData.Codec != format.Zstd {
		t.Errorf("codec %v, want zstd", f.Metadata().RowGroups[0].Columns[0].MetaData.Codec)
	}
}

// TestParquetRowGroups: a large export is cut into row groups, by rows
// or by bytes of text, whichever comes first, so its writer never holds
// the whole archive.
func TestParquetRowGroups(t *testing.T) {
	t.Parallel()
	short := "Lực lượng chức năng giải cứu nạn nhân bị mua bán. "
	long := strings.Repeat(short, 100)
	for _, tt := range []struct {
		name     string
		n        int
		text     string
		maxGroup int // rows
	}{
		{"rows", parquetGroupRows + 10, short, parquetGroupRows},
		{"bytes", 2*parquetGroupBytes/len(long) + 10, long, parquetGroupBytes/len(long) + 1},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var articles []*news.Article
			for i := range tt.n {
				a := &news.Article{URL: fmt.Sprintf("https://example.org/%d", i), Title: fmt.Sprint("Tin ", i), Text: tt.text, Lang: "vi",
					Published: time.Date(2026, 1, 1, 0, 0, i, 0, time.UTC), Fetched: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
				a.ID = news.ArticleID(a.URL)
				articles = append(articles, a)
			}
			data := exportParquet(t, openStore(t, articles), Options{All: true})
			f, err := parquet.OpenFile(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Fatal(err)
			}
			groups := f.RowGroups()
			if f.NumRows() != int64(len(articles)) || len(groups) < 2 {
				t.Fatalf("%d rows in %d row groups, want %d rows in several groups", f.NumRows(), len(groups), len(articles))
			}
			for _, g := range groups {
				if g.NumRows() > int64(tt.maxGroup) {
					t.Errorf("a row group of %d rows, more than %d", g.NumRows(), tt.maxGroup)
				}
			}
		})
	}
}
