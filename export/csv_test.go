package export

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// sampleArticles are matched articles in five languages and four
// scripts, oldest first, with a title that would be a formula.
func sampleArticles() []*news.Article {
	day := func(d int) time.Time { return time.Date(2026, 11, d, 8, 0, 0, 0, time.UTC) }
	as := []*news.Article{
		{URL: "https://news.un.org/ar/story/1", Source: "أخبار الأمم المتحدة", Lang: "ar", Dir: "rtl",
			Title: "الأمم المتحدة تحذر من تصاعد الاتجار بالبشر", Text: "حذر مكتب الأمم المتحدة من تصاعد الاتجار بالبشر.\nالنساء والأطفال هم الأكثر عرضة.",
			Published: day(1), Hits: []news.Hit{
				titleHit("trafficking", `"الاتجار بالبشر"`, "الأمم المتحدة تحذر من تصاعد الاتجار بالبشر", "الاتجار بالبشر", "تصاعد الاتجار بالبشر"),
				titleHit("un", `"الأمم المتحدة"`, "الأمم المتحدة تحذر من تصاعد الاتجار بالبشر", "الأمم المتحدة", "الأمم المتحدة تحذر"),
			}},
		{URL: "https://www.vietnamplus.vn/a-1.vnp", Source: "VietnamPlus", Lang: "vi",
			Title: "Triệt phá đường dây mua bán người qua biên giới", Text: "Công an tỉnh Lào Cai đã triệt phá một đường dây mua bán người.",
			Published: day(2), Hits: []news.Hit{titleHit("trafficking", `"mua bán người"`, "Triệt phá đường dây mua bán người qua biên giới", "mua bán người", "đường dây mua bán người qua")}},
		{URL: "https://news.un.org/zh/story/2", Source: "联合国新闻", Lang: "zh",
			Title: "联合国秘书长赞扬越南维和人员", Text: "联合国秘书长古特雷斯赞扬越南维和人员。",
			Published: day(3), Hits: []news.Hit{titleHit("un", "联合国", "联合国秘书长赞扬越南维和人员", "联合国", "联合国秘书长赞扬")}},
		{URL: "https://news.un.org/ru/story/3", Source: "Новости ООН", Lang: "ru",
			Title: "Торговля людьми: жертвами всё чаще становятся дети", Text: "Доля детей среди жертв торговли людьми растёт.",
			Hits: []news.Hit{titleHit("trafficking", `"торговл* людьми"`, "Торговля людьми: жертвами всё чаще становятся дети", "Торговля людьми", "Торговля людьми: жертвами")}},
		{URL: "https://example.org/formula", Source: "Example", Lang: "en",
			Title: `=HYPERLINK("https://evil.example","click")`, Text: "-1 trafficking victims +2 @all",
			Published: day(5), Hits: []news.Hit{{Topic: "trafficking", Term: "trafficking", Field: news.FieldText, Start: 3, End: 14, Snippet: "-1 trafficking victims"}}},
	}
	for i, a := range as {
		a.ID = news.ArticleID(a.URL)
		a.FeedURL = "https://user:secret@feeds.example.org/rss"
		a.Fetched = day(1 + i).Add(time.Hour)
		a.SetHits(a.Hits)
	}
	return as
}

// titleHit is the hit of term on the words matched in title.
func titleHit(topic, term, title, matched, snippet string) news.Hit {
	i := strings.Index(title, matched)
	return news.Hit{Topic: topic, Term: term, Field: news.FieldTitle, Start: i, End: i + len(matched), Snippet: snippet}
}

// openStore returns a store in a temporary directory holding articles.
func openStore(t testing.TB, articles []*news.Article) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "newswatch.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	p := store.Poll{Feed: store.FeedState{URL: "https://feeds.example.org/rss"}, Articles: articles}
	if _, err := st.SavePoll(p); err != nil {
		t.Fatal(err)
	}
	return st
}

// exportCSV exports src as CSV and returns the raw bytes.
func exportCSV(t *testing.T, src Source, opts Options) []byte {
	t.Helper()
	opts.Format = FormatCSV
	var b bytes.Buffer
	if _, err := Write(t.Context(), &b, src, opts); err != nil {
		t.Fatalf("Write(csv) = %v", err)
	}
	return b.Bytes()
}

// readCSV parses a CSV export with encoding/csv, as a reader would.
func readCSV(t *testing.T, data []byte) [][]string {
	t.Helper()
	r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte(utf8BOM))))
	rows, err := r.ReadAll()
	if err != nil {
		t.Fatalf("reading the CSV back: %v", err)
	}
	return rows
}

func TestCSVRoundTrip(t *testing.T) {
	t.Parallel()
	articles := sampleArticles()
	st := openStore(t, articles)
	data := exportCSV(t, st, Options{})
	rows := readCSV(t, data)
	if diff := cmp.Diff(CSVHeader, rows[0]); diff != "" {
		t.Fatalf("header (-want +got):\n%s", diff)
	}
	got := map[string][]string{}
	for _, row := range rows[1:] {
		got[row[0]] = row
	}
	if len(got) != len(articles) {
		t.Fatalf("CSV has %d rows, want %d", len(got), len(articles))
	}
	ar := articles[0]
	want := []string{
		ar.ID, ar.URL, "أخبار الأمم المتحدة", "https://user:xxxxx@feeds.example.org/rss", "ar",
		"2026-11-01T08:00:00Z", "2026-11-01T09:00:00Z", ar.Title, "trafficking;un",
		`"الاتجار بالبشر";"الأمم المتحدة"`, "تصاعد الاتجار بالبشر", ar.Text,
	}
	if diff := cmp.Diff(want, got[ar.ID]); diff != "" {
		t.Errorf("Arabic row (-want +got):\n%s", diff)
	}
	for _, a := range articles[1:4] {
		row := got[a.ID]
		if row[7] != a.Title || row[11] != a.Text || row[4] != a.Lang {
			t.Errorf("row of %s: title %q text %q lang %q; want %q %q %q", a.Lang, row[7], row[11], row[4], a.Title, a.Text, a.Lang)
		}
	}
	if ru := got[articles[3].ID]; ru[5] != "" {
		t.Errorf("published of an undated article = %q, want empty", ru[5])
	}
	if f := got[articles[4].ID]; f[7] != `'=HYPERLINK("https://evil.example","click")` || f[11] != "'-1 trafficking victims +2 @all" || f[10] != "'-1 trafficking victims" {
		t.Errorf("formula-like cells = %q, %q, %q; want each with a leading apostrophe", f[7], f[10], f[11])
	}
	lines := strings.SplitAfter(string(data), "\n")
	for i, l := range lines[:len(lines)-1] {
		if !strings.HasSuffix(l, "\r\n") {
			t.Errorf("line %d = %q, want it to end in CRLF", i+1, l)
		}
	}
}

// TestCSVTopic: with a topic, the rows are its articles and the matched
// terms and snippet are that topic's.
func TestCSVTopic(t *testing.T) {
	t.Parallel()
	articles := sampleArticles()
	rows := readCSV(t, exportCSV(t, openStore(t, articles), Options{Topic: "un"}))
	var ids []string
	for _, row := range rows[1:] {
		ids = append(ids, row[0])
	}
	if diff := cmp.Diff([]string{articles[0].ID, articles[2].ID}, ids); diff != "" {
		t.Errorf("topic un: ids (-want +got):\n%s", diff)
	}
	if row := rows[1]; row[9] != `"الأمم المتحدة"` || row[10] != "الأمم المتحدة تحذر" {
		t.Errorf("topic un: Arabic row terms %q snippet %q, want un's only", row[9], row[10])
	}
}

func TestCSVByteOrderMark(t *testing.T) {
	t.Parallel()
	st := openStore(t, sampleArticles())
	for _, bom := range []bool{false, true} {
		data := exportCSV(t, st, Options{BOM: bom})
		if got := bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}); got != bom {
			t.Errorf("CSV with BOM %v starts %q: has the mark = %v", bom, data[:6], got)
		}
		if !bytes.HasPrefix(bytes.TrimPrefix(data, []byte(utf8BOM)), []byte("id,url,")) {
			t.Errorf("CSV with BOM %v starts %q, want the header", bom, data[:10])
		}
		if bytes.Count(data, []byte(utf8BOM)) != map[bool]int{false: 0, true: 1}[bom] {
			t.Errorf("CSV with BOM %v holds %d marks", bom, bytes.Count(data, []byte(utf8BOM)))
		}
	}
	for _, format := range []string{"", FormatJSONL, FormatAtom} {
		if _, err := Write(t.Context(), io.Discard, st, Options{Format: format, BOM: true}); err == nil || !strings.Contains(err.Error(), "csv") {
			t.Errorf("Write(format %q, BOM) = %v, want an error: the mark is for csv", format, err)
		}
	}
}

func TestCellNeutralisesFormulas(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"equals", "=1+1", "'=1+1"},
		{"plus", "+33 6 12", "'+33 6 12"},
		{"minus", "-2+3", "'-2+3"},
		{"at", "@SUM(A1)", "'@SUM(A1)"},
		{"tab", "\t=1", "'\t=1"},
		{"carriage return", "\r=1", "'\r=1"},
		{"empty", "", ""},
		{"plain", "Trafficking ring broken", "Trafficking ring broken"},
		{"inside", "a=b+c-d@e", "a=b+c-d@e"},
		{"space first", " =1", " =1"},
		{"apostrophe", "'quoted", "'quoted"},
		{"arabic", "الأمم المتحدة", "الأمم المتحدة"},
		{"full-width equals", "＝1", "＝1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Cell(tt.in); got != tt.want {
				t.Errorf("Cell(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestCellLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		in        string
		truncated bool
	}{
		{"at the limit", strings.Repeat("a", CellLimit), false},
		{"one over", strings.Repeat("a", CellLimit+1), true},
		{"vietnamese under the limit in characters, over in bytes", strings.Repeat("ệ", CellLimit), false},
		{"vietnamese over", strings.Repeat("ệ", CellLimit+1), true},
		{"astral characters count twice", strings.Repeat("𠀋", CellLimit/2+1), true},
		{"astral at the limit", strings.Repeat("𠀋", CellLimit/2) + "a", false},
		{"long arabic text", strings.Repeat("الاتجار بالبشر ", 3000), true},
		{"formula over the limit", "=" + strings.Repeat("1", CellLimit), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Cell(tt.in)
			n := len(utf16.Encode([]rune(got)))
			if n > CellLimit {
				t.Errorf("Cell(%d units) is %d UTF-16 units, over %d", utf16Len(tt.in), n, CellLimit)
			}
			if has := strings.HasSuffix(got, TruncatedMarker); has != tt.truncated {
				t.Errorf("Cell(%d units) ends with the marker = %v, want %v", utf16Len(tt.in), has, tt.truncated)
			}
			if tt.truncated && !strings.HasPrefix(tt.in, strings.TrimPrefix(strings.TrimSuffix(got, TruncatedMarker), "'")) {
				t.Errorf("Cell(%d units) is not a prefix of its input and the marker", utf16Len(tt.in))
			}
			if tt.truncated && n < CellLimit-1 {
				t.Errorf("Cell(%d units) = %d units: cut more than needed", utf16Len(tt.in), n)
			}
		})
	}
}

// TestCSVLongTextTruncated: through the writer, a text over the limit is
// cut with the marker; the rest of the row is whole.
func TestCSVLongTextTruncated(t *testing.T) {
	t.Parallel()
	as := sampleArticles()[:1]
	as[0].Text = strings.Repeat("Tiếng Việt có dấu. ", 4000) // 76,000 characters
	rows := readCSV(t, exportCSV(t, openStore(t, as), Options{BOM: true}))
	text := rows[1][11]
	if !strings.HasSuffix(text, TruncatedMarker) || utf16Len(text) > CellLimit || !strings.HasPrefix(as[0].Text, strings.TrimSuffix(text, TruncatedMarker)) {
		t.Errorf("long text: %d units, ends %q; want at most %d, a prefix of the text and the marker", utf16Len(text), text[len(text)-40:], CellLimit)
	}
	if rows[1][7] != as[0].Title {
		t.Errorf("title next to a long text = %q, want %q", rows[1][7], as[0].Title)
	}
}

// generated is a Source of n articles made on the fly, each with a text
// of size bytes: an archive larger than memory should hold.
type generated struct{ n, size int }

func (g generated) ForEachArticle(ctx context.Context, _ store.Query, fn func(*news.Article) error) error {
	for i := range g.n {
		a := &news.Article{
			ID: fmt.Sprintf("%020d", i), URL: fmt.Sprintf("https://example.org/%d", i), Source: "Example", Lang: "vi",
			Title: "Triệt phá đường dây mua bán người", Text: strings.Repeat("mua bán người ", g.size/16),
			Fetched: time.Unix(int64(i), 0), Topics: []string{"trafficking"},
		}
		if err := fn(a); err != nil {
			return err
		}
	}
	return ctx.Err()
}

// Captures gives each article one capture of one hop (for WARC).
func (g generated) Captures(id string) ([]news.Capture, error) {
	return []news.Capture{{ArticleID: id, Seq: 1, Hops: []news.CaptureHop{{URL: "https://example.org/" + id}}}}, nil
}

// CaptureData makes a page of size bytes.
func (g generated) CaptureData(c news.Capture) ([]news.RawHop, error) {
	body := strings.Repeat("<p>mua bán người</p>", g.size/20+1)
	return []news.RawHop{{
		URL: c.Hops[0].URL, Time: time.Unix(0, 0), Status: 200,
		Request:  []byte("GET /" + c.ArticleID + " HTTP/1.1\r\nHost: example.org\r\n\r\n"),
		Response: []byte("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n"),
		Body:     []byte(body),
	}}, nil
}

// TestExportMemoryBounded exports 64 MB of articles through a pipe whose
// reader takes small bites, sampling the heap as it reads: what the export
// holds does not grow with the archive.
// It proves something only at size, so -short skips it.
func TestExportMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("exports 64 MB per format to show the heap does not grow with it; skipped with -short")
	}
	src := generated{n: 4000, size: 16 << 10}
	// Parquet last: its encoders' pools stay live after it and raise the
	// GC's goal, so a later format's garbage would read as growth.
	formats := slices.DeleteFunc(slices.Clone(Formats), func(f string) bool { return f == FormatParquet })
	for _, format := range append(formats, FormatParquet) {
		t.Run(format, func(t *testing.T) {
			runtime.GC()
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			base, peak := ms.HeapAlloc, ms.HeapAlloc
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			go func() {
				_, err := Write(t.Context(), pw, src, Options{Format: format})
				pw.CloseWithError(err)
				done <- err
			}()
			buf := make([]byte, 4<<10)
			total, reads := 0, 0
			for {
				n, err := pr.Read(buf)
				total += n
				if reads++; reads%64 == 0 {
					runtime.ReadMemStats(&ms)
					peak = max(peak, ms.HeapAlloc)
				}
				if err != nil {
					break
				}
			}
			if err := <-done; err != nil {
				t.Fatal(err)
			}
			want := src.n * src.size
			if format == FormatParquet {
				want /= 8 // compressed
			}
			if total < want {
				t.Fatalf("exported %d bytes, want at least %d", total, want)
			}
			t.Logf("%s: %d MB exported, heap grew by at most %.1f MB", format, total>>20, float64(int64(peak)-int64(base))/(1<<20))
			bound := int64(24 << 20)
			if format == FormatParquet {
				bound = 128 << 20 // a row group's pages and zstd's encoder state; the same at 4 times the archive
			}
			if grew := int64(peak) - int64(base); grew > bound {
				t.Errorf("%s export of %d MB: the heap grew by %d MB, want under %d MB", format, total>>20, grew>>20, bound>>20)
			}
		})
	}
}

func BenchmarkWriteCSV(b *testing.B) {
	src := generated{n: 1000, size: 4 << 10}
	var n int64
	for b.Loop() {
		cw := &countWriter{}
		if _, err := Write(b.Context(), cw, src, Options{Format: FormatCSV, BOM: true}); err != nil {
			b.Fatal(err)
		}
		n = cw.n
	}
	b.SetBytes(n)
	b.ReportAllocs()
}

// countWriter counts what is written to it.
type countWriter struct{ n int64 }

func (c *countWriter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

func ExampleCell() {
	fmt.Println(Cell(`=HYPERLINK("https://evil.example")`))
	fmt.Println(Cell("-1 victims"))
	fmt.Println(Cell("Trafficking ring broken"))
	// Output:
	// '=HYPERLINK("https://evil.example")
	// '-1 victims
	// Trafficking ring broken
}
