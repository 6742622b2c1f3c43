package parser

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/rss"
)

// rssItem wraps item elements in an RSS 2.0 channel.
func rssItems(channelExtra string, items ...string) string {
	return `<?xml version="1.0"?><rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel><title>T</title><link>http://127.0.0.1/</link>` +
		channelExtra + "<item>" + strings.Join(items, "</item><item>") + "</item></channel></rss>"
}

// TestRSSTranslateImages: rssTranslate finds the images gofeed's default
// translator finds, in the same order of preference, although it parses
// an item's HTML only when it has an <img> tag.
func TestRSSTranslateImages(t *testing.T) {
	feed := rssItems(`<description>&lt;p&gt;Logo &lt;IMG SRC="/logo.png"&gt;&lt;/p&gt;</description>`,
		`<title>a</title><description>&lt;p&gt;Text &lt;img src="http://127.0.0.1/a.jpg"&gt;&lt;/p&gt;</description>`,
		`<title>b</title><description><![CDATA[<p>No picture here, only a &lt;img&gt; written out.</p>]]></description>`,
		`<title>c</title><description><![CDATA[<IMG alt="no src"><Img Src="http://127.0.0.1/c.png">]]></description>`,
		`<title>d</title><description><![CDATA[<image src="http://127.0.0.1/d.gif">]]></description>`,
		`<title>e</title><content:encoded><![CDATA[<img src="http://127.0.0.1/e-content.jpg">]]></content:encoded><description><![CDATA[<img src="http://127.0.0.1/e-description.jpg">]]></description>`,
		`<title>f</title><enclosure url="http://127.0.0.1/f-enclosure.jpg" type="image/jpeg" length="1"/><description><![CDATA[<img src="http://127.0.0.1/f-description.jpg">]]></description>`,
		`<title>g</title><media:content url="http://127.0.0.1/g-media.jpg" medium="image"/><description>plain text</description>`,
		`<title>h</title><description>plain text, no markup</description>`,
	)
	want := map[string]string{
		"":  "/logo.png", // the channel's
		"a": "http://127.0.0.1/a.jpg", "b": "", "c": "http://127.0.0.1/c.png", "d": "http://127.0.0.1/d.gif",
		"e": "http://127.0.0.1/e-content.jpg", "f": "http://127.0.0.1/f-enclosure.jpg",
		"g": "http://127.0.0.1/g-media.jpg", "h": "",
	}
	got, ref := translateBoth(t, []byte(feed))
	if got == nil {
		t.Fatal("feed did not parse")
	}
	if u := imageURL(got.Image); u != want[""] {
		t.Errorf("channel image = %q, want %q", u, want[""])
	}
	for _, it := range got.Items {
		if u := imageURL(it.Image); u != want[it.Title] {
			t.Errorf("item %s: image = %q, want %q", it.Title, u, want[it.Title])
		}
	}
	sameImages(t, "inline feed", got, ref)
}

// TestRSSTranslateImagesCorpus compares rssTranslate's images with gofeed's
// default translator's on every RSS file of the package's testdata and,
// with NEWSWATCH_SHARED set (CI), of the shared feed corpora.
func TestRSSTranslateImagesCorpus(t *testing.T) {
	roots := []string{"testdata"}
	if shared := os.Getenv("NEWSWATCH_SHARED"); shared != "" {
		roots = append(roots, filepath.Join(shared, "feeds"))
	}
	files, withImage := 0, 0
	for _, root := range roots {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || filepath.Ext(path) != ".xml" {
				return err
			}
			body, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			got, ref := translateBoth(t, body)
			if got == nil {
				return nil // not RSS, or not parsable: nothing to compare
			}
			files++
			for _, it := range ref.Items {
				if it.Image != nil {
					withImage++
				}
			}
			sameImages(t, path, got, ref)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files == 0 {
		t.Fatal("no RSS file parsed: the comparison compared nothing")
	}
	t.Logf("%d RSS files, %d items with an image", files, withImage)
}

// translateBoth parses body as RSS and translates it with rssTranslate
// and with gofeed's default translator; nil, nil when it is not RSS.
func translateBoth(t *testing.T, body []byte) (got, ref *gofeed.Feed) {
	t.Helper()
	data := DecodeXML(body, "")
	if gofeed.DetectFeedType(bytes.NewReader(data)) != gofeed.FeedTypeRSS {
		return nil, nil
	}
	parse := func() *rss.Feed {
		rf, err := (&rss.Parser{}).Parse(bytes.NewReader(data))
		if err != nil {
			return nil
		}
		return rf
	}
	rf := parse()
	if rf == nil {
		return nil, nil
	}
	got, err := rssTranslate(rf)
	if err != nil {
		return nil, nil
	}
	ref, err = (&gofeed.DefaultRSSTranslator{}).Translate(parse())
	if err != nil {
		t.Fatalf("gofeed translated what rssTranslate refused: %v", err)
	}
	return got, ref
}

func sameImages(t *testing.T, name string, got, ref *gofeed.Feed) {
	t.Helper()
	if g, r := imageURL(got.Image), imageURL(ref.Image); g != r {
		t.Errorf("%s: channel image %q, gofeed %q", name, g, r)
	}
	if len(got.Items) != len(ref.Items) {
		t.Fatalf("%s: %d items, gofeed %d", name, len(got.Items), len(ref.Items))
	}
	for i := range got.Items {
		if g, r := imageURL(got.Items[i].Image), imageURL(ref.Items[i].Image); g != r {
			t.Errorf("%s: item %d image %q, gofeed %q", name, i, g, r)
		}
	}
}

func imageURL(img *gofeed.Image) string {
	if img == nil {
		return ""
	}
	return img.URL
}

func TestMayHaveImage(t *testing.T) {
	for s, want := range map[string]bool{
		"": false, "<": false, "<i": false, "a < b <p>": false, "<im": true, "x <IMG src=a>": true,
		"<p><Image href=b>": true, "<p>&lt;img": false, "<<img": true,
	} {
		if got := mayHaveImage(s); got != want {
			t.Errorf("mayHaveImage(%q) = %v, want %v", s, got, want)
		}
	}
}
