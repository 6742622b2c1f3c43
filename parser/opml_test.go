package parser

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

func TestParseOPML(t *testing.T) {
	tests := []struct {
		file string
		want []news.Feed
	}{
		{"miniflux.opml", []news.Feed{
			{URL: "https://www.vietnamplus.vn/rss/home.rss", Name: "VietnamPlus"},
			{URL: "https://news.un.org/feed/subscribe/ar/news/all/rss.xml", Name: "أخبار الأمم المتحدة"},
			{URL: "https://news.un.org/feed/subscribe/zh/news/all/rss.xml", Name: "联合国新闻"},
		}},
		{"freshrss.opml", []news.Feed{
			{URL: "https://news.un.org/feed/subscribe/ru/news/all/rss.xml", Name: "UN News (ru)", Lang: "ru"},
			{URL: "https://example.org/deep.xml", Name: "Deep"},
			{URL: "https://example.org/top.xml", Name: "Top level feed"},
		}},
		{"inoreader-latin1.opml", []news.Feed{
			{URL: "https://news.un.org/feed/subscribe/fr/news/all/rss.xml", Name: "ONU Info à la une"},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", "opml", tt.file))
			if err != nil {
				t.Fatal(err)
			}
			got, err := ParseOPML(data)
			if err != nil {
				t.Fatalf("ParseOPML(%s) = %v", tt.file, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("ParseOPML(%s) mismatch (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

func TestParseOPMLErrors(t *testing.T) {
	deep := strings.Repeat(`<outline text="f">`, maxOPMLDepth+2) + strings.Repeat(`</outline>`, maxOPMLDepth+2)
	tests := []struct {
		name, doc string
		want      string
		is        error
	}{
		{"broken XML names the line", mustRead(t, "broken.opml"), "line 3", nil},
		{"an RSS feed", mustRead(t, "rss.opml"), "<opml>", ErrNotOPML},
		{"empty", "", "opml", nil},
		{"too deep", `<opml version="2.0"><body>` + deep + `</body></opml>`, "deeper", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseOPML([]byte(tt.doc))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("ParseOPML = %v, want an error containing %q", err, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("ParseOPML = %v, want errors.Is %v", err, tt.is)
			}
		})
	}
}

func mustRead(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "opml", name))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func FuzzParseOPML(f *testing.F) {
	for _, name := range []string{"miniflux.opml", "freshrss.opml", "inoreader-latin1.opml", "broken.opml", "rss.opml"} {
		data, err := os.ReadFile(filepath.Join("testdata", "opml", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		feeds, err := ParseOPML(data)
		if err != nil && feeds != nil {
			t.Errorf("ParseOPML returned feeds with error %v", err)
		}
		for _, fd := range feeds {
			if fd.URL == "" || strings.TrimSpace(fd.URL) != fd.URL {
				t.Errorf("ParseOPML returned an untrimmed or empty URL %q", fd.URL)
			}
		}
	})
}
