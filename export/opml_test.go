package export_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/parser"
)

// TestWriteOPMLRoundTrip: what WriteOPML writes, ParseOPML reads back,
// names in every script and characters XML escapes included.
func TestWriteOPMLRoundTrip(t *testing.T) {
	t.Parallel()
	feeds := []news.Feed{
		{URL: "https://www.vietnamplus.vn/rss/home.rss", Name: "VietnamPlus (vi)", Lang: "vi"},
		{URL: "https://news.un.org/feed/subscribe/ar/news/all/rss.xml", Name: "أخبار الأمم المتحدة", Lang: "ar"},
		{URL: "https://example.org/feed?a=1&b=2", Name: `Quotes "and" <angles> & more`},
	}
	var b bytes.Buffer
	if err := export.WriteOPML(&b, feeds); err != nil {
		t.Fatal(err)
	}
	got, err := parser.ParseOPML(b.Bytes())
	if err != nil {
		t.Fatalf("ParseOPML(WriteOPML) = %v\n%s", err, b.String())
	}
	if diff := cmp.Diff(feeds, got); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}

func ExampleWriteOPML() {
	var b bytes.Buffer
	_ = export.WriteOPML(&b, []news.Feed{{URL: "https://news.un.org/feed/subscribe/fr/news/all/rss.xml", Name: "ONU Info", Lang: "fr"}})
	fmt.Print(b.String())
	// Output:
	// <?xml version="1.0" encoding="UTF-8"?>
	// <opml version="2.0">
	//   <head>
	//     <title>newswatch feeds</title>
	//   </head>
	//   <body>
	//     <outline text="ONU Info" type="rss" xmlUrl="https://news.un.org/feed/subscribe/fr/news/all/rss.xml" language="fr" title="ONU Info"></outline>
	//   </body>
	// </opml>
}
