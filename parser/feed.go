package parser

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	gofeedjson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
	"golang.org/x/net/html"
)

// Feed is a parsed feed.
type Feed struct {
	Title, Link, Lang string
	TTL               time.Duration // RSS <ttl> (minutes) or sy:updatePeriod/updateFrequency; 0 if none
	Items             []news.Item

	// Sitemaps are the child sitemaps a sitemap index lists (ParseSitemap);
	// nil for any other source.
	Sitemaps []SitemapRef `json:",omitempty"`
	// Notes say what ParseSitemap or ParsePage left out, and why: a bound
	// reached, links to other hosts, XML broken after some entries.
	Notes []string `json:",omitempty"`
}

// ErrNotFeed reports a body that is not a feed at all: an HTML page, an
// empty body, or garbage. Errors wrapping it carry the detail.
var ErrNotFeed = errors.New("not a feed")

// feedSniffSize bounds how much of a body is searched for its root element.
const feedSniffSize = 64 << 10

// ParseFeed parses an RSS 0.9x/1.0/2.0, Atom or JSON Feed document. body is
// the raw bytes as fetched, contentType the HTTP Content-Type header (its
// charset wins over the XML declaration), and feedURL the final URL of the
// feed, against which relative links are resolved. Item text is plain,
// NFC-normalised text and item times are UTC. A body that is no feed gives
// an error wrapping ErrNotFeed; a broken feed gives another error.
func ParseFeed(body []byte, contentType, feedURL string) (f *Feed, err error) {
	defer func() {
		if r := recover(); r != nil {
			f, err = nil, fmt.Errorf("parse feed %s: parser panic: %v", feedURL, r)
		}
	}()
	gf, ttl, permalink, err := feedParse(body, contentType)
	if err != nil {
		return nil, fmt.Errorf("parse feed %s: %w", feedURL, err)
	}
	return feedConvert(gf, ttl, permalink, feedURL), nil
}

// feedParse decodes body and runs the matching gofeed parser. permalink[i]
// is false when item i's RSS guid says isPermaLink="false".
func feedParse(body []byte, contentType string) (*gofeed.Feed, time.Duration, []bool, error) {
	data := DecodeXML(body, contentType)
	start := bytes.TrimLeft(data, " \t\r\n\x00")
	if len(start) == 0 {
		return nil, 0, nil, fmt.Errorf("%w: empty body", ErrNotFeed)
	}
	if err := feedCheckDTD(start); err != nil {
		return nil, 0, nil, err
	}
	switch gofeed.DetectFeedType(bytes.NewReader(head(start, feedSniffSize))) {
	case gofeed.FeedTypeRSS:
		return feedParseRSS(data)
	case gofeed.FeedTypeAtom:
		af, err := (&atom.Parser{}).Parse(bytes.NewReader(data))
		if err != nil {
			return feedSalvage(data, err)
		}
		gf, err := (&gofeed.DefaultAtomTranslator{}).Translate(af)
		return gf, feedSyTTL(gf), nil, err
	case gofeed.FeedTypeJSON:
		jf, err := (&gofeedjson.Parser{}).Parse(bytes.NewReader(data))
		if err != nil {
			return nil, 0, nil, fmt.Errorf("json feed: %v", err)
		}
		gf, err := (&gofeed.DefaultJSONTranslator{}).Translate(jf)
		return gf, 0, nil, err
	}
	return nil, 0, nil, fmt.Errorf("%w: %s", ErrNotFeed, feedDescribe(start))
}

// feedParseRSS parses RSS 0.9x/1.0/2.0 and keeps what the universal
// translation drops: <ttl> and guid isPermaLink.
func feedParseRSS(data []byte) (*gofeed.Feed, time.Duration, []bool, error) {
	rf, err := (&rss.Parser{}).Parse(bytes.NewReader(data))
	if err != nil {
		return feedSalvage(data, err)
	}
	permalink := make([]bool, len(rf.Items))
	for i, it := range rf.Items {
		permalink[i] = it.GUID == nil || !strings.EqualFold(strings.TrimSpace(it.GUID.IsPermalink), "false")
	}
	gf, err := rssTranslate(rf)
	if err != nil {
		return nil, 0, nil, fmt.Errorf("rss: %v", err)
	}
	ttl := time.Duration(0)
	if n, err := strconv.Atoi(strings.TrimSpace(rf.TTL)); err == nil && n > 0 && n <= 7*24*60 {
		ttl = time.Duration(n) * time.Minute
	} else {
		ttl = feedSyTTL(gf)
	}
	return gf, ttl, permalink, nil
}

// rssTranslate translates an RSS feed as gofeed's default translator
// does, and finds the same images, but parses an item's HTML for an image
// (the translator's last resort, when the item names none) only when the
// HTML has an <img> (or <image>) tag: the translator parses every item's content and
// description with x/net/html to look, which cost a quarter of a feed's
// parse and allocated as much as the rest of it.
func rssTranslate(rf *rss.Feed) (*gofeed.Feed, error) {
	gf, err := (&gofeed.DefaultRSSTranslator{DisableContentImageScan: true}).Translate(rf)
	if err != nil {
		return nil, err
	}
	if gf.Image == nil {
		gf.Image = firstImage(rf.Description)
	}
	for i, it := range gf.Items { // one item per RSS item, in order
		if it.Image == nil {
			it.Image = cmp.Or(firstImage(rf.Items[i].Content), firstImage(rf.Items[i].Description))
		}
	}
	return gf, nil
}

// firstImage is the first <img> with a src in the HTML fragment s, as
// gofeed's translator finds it, or nil. Only a fragment with "<im" in it,
// in any case, is parsed: the start of <img> and of <image>, which HTML
// parses as an img.
func firstImage(s string) *gofeed.Image {
	if !mayHaveImage(s) {
		return nil
	}
	doc, err := html.Parse(strings.NewReader(s))
	if err != nil {
		return nil
	}
	for n := range doc.Descendants() {
		if n.Type == html.ElementNode && n.Data == "img" {
			for _, a := range n.Attr {
				if a.Key == "src" {
					return &gofeed.Image{URL: a.Val}
				}
			}
		}
	}
	return nil
}

// mayHaveImage reports whether the HTML s has "<im" in any case: the
// start of <img> and of <image>.
func mayHaveImage(s string) bool {
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 || len(s)-i < 3 {
			return false
		}
		if strings.EqualFold(s[i+1:i+3], "im") {
			return true
		}
		s = s[i+1:]
	}
}

// feedSalvage recovers what precedes the break in a feed whose XML is
// broken (a truncated download, a stray byte late in the file, a missing
// end tag): feedRepair cuts the body there and closes the open elements,
// and the result is parsed again. Without anything to recover it returns
// the original error.
func feedSalvage(data []byte, cause error) (*gofeed.Feed, time.Duration, []bool, error) {
	broken := fmt.Errorf("broken xml: %v", cause)
	fixed, ok := feedRepair(data)
	if !ok {
		return nil, 0, nil, broken
	}
	var gf *gofeed.Feed
	var err error
	switch gofeed.DetectFeedType(bytes.NewReader(head(fixed, feedSniffSize))) {
	case gofeed.FeedTypeRSS:
		var rf *rss.Feed
		if rf, err = (&rss.Parser{}).Parse(bytes.NewReader(fixed)); err == nil {
			gf, err = rssTranslate(rf)
		}
	case gofeed.FeedTypeAtom:
		var af *atom.Feed
		if af, err = (&atom.Parser{}).Parse(bytes.NewReader(fixed)); err == nil {
			gf, err = (&gofeed.DefaultAtomTranslator{}).Translate(af)
		}
	default:
		return nil, 0, nil, broken
	}
	if err != nil || gf == nil || len(gf.Items) == 0 {
		return nil, 0, nil, broken
	}
	return gf, feedSyTTL(gf), nil, nil
}

// feedRepair tokenises data up to its first XML error, cuts it there
// (before the item or entry still open, if any: a partial item is worse
// than none) and appends end tags for the elements left open. It reports
// false when there is nothing before the break.
func feedRepair(data []byte) ([]byte, bool) {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = false
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // already UTF-8
	var stack, itemStack []string
	cut, itemCut, inItem := 0, 0, 0
	for {
		before := int(d.InputOffset())
		tok, err := d.RawToken()
		if err != nil {
			break
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if feedIsItem(t.Name) {
				if inItem == 0 {
					itemCut, itemStack = before, slices.Clone(stack)
				}
				inItem++
			}
			stack = append(stack, feedRawName(t.Name))
		case xml.EndElement:
			if i := slices.Index(stack, feedRawName(t.Name)); i >= 0 {
				stack = slices.Delete(stack, i, len(stack))
			}
			if feedIsItem(t.Name) && inItem > 0 {
				inItem--
			}
		}
		cut = int(d.InputOffset())
	}
	if inItem > 0 {
		cut, stack = itemCut, itemStack
	}
	if cut == 0 || len(stack) == 0 {
		return nil, false
	}
	out := bytes.Clone(data[:cut])
	for i := len(stack) - 1; i >= 0; i-- {
		out = append(out, "</"+stack[i]+">"...)
	}
	return out, true
}

func feedIsItem(n xml.Name) bool {
	l := strings.ToLower(n.Local)
	return l == "item" || l == "entry"
}

// feedRawName spells an element name as written, prefix included.
func feedRawName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

// feedDescribe says what a body that is not a feed looks like.
func feedDescribe(b []byte) string {
	h := bytes.ToLower(head(b, 2048))
	switch {
	case bytes.Contains(h, []byte("<html")) || bytes.Contains(h, []byte("<!doctype html")):
		return "an HTML page"
	case h[0] == '<':
		return "XML without an rss, rdf:RDF or feed root element"
	}
	return fmt.Sprintf("starts with %q", head(b, 16))
}

// feedSyPeriods are the syndication module's update periods.
var feedSyPeriods = map[string]time.Duration{
	"hourly": time.Hour, "daily": 24 * time.Hour, "weekly": 7 * 24 * time.Hour,
	"monthly": 30 * 24 * time.Hour, "yearly": 365 * 24 * time.Hour,
}

// feedSyTTL reads the syndication module's updatePeriod/updateFrequency.
func feedSyTTL(gf *gofeed.Feed) time.Duration {
	first := func(name string) string {
		for k, v := range gf.Extensions["sy"] {
			if strings.EqualFold(k, name) && len(v) > 0 {
				return strings.ToLower(strings.TrimSpace(v[0].Value))
			}
		}
		return ""
	}
	period := feedSyPeriods[first("updatePeriod")]
	if n, err := strconv.Atoi(first("updateFrequency")); err == nil && n > 0 {
		return period / time.Duration(n)
	}
	return period
}

// feedConvert turns the gofeed result into our Feed.
func feedConvert(gf *gofeed.Feed, ttl time.Duration, permalink []bool, feedURL string) *Feed {
	f := &Feed{Title: feedHTMLText(gf.Title, false), TTL: ttl, Lang: lang.Normalize(gf.Language)}
	if f.Lang == "" && gf.DublinCoreExt != nil && len(gf.DublinCoreExt.Language) > 0 {
		f.Lang = lang.Normalize(gf.DublinCoreExt.Language[0])
	}
	base := feedURL
	if link, err := CanonicalURL(gf.Link, feedURL); err == nil {
		f.Link, base = link, link
	}
	f.Items = make([]news.Item, 0, len(gf.Items))
	for i, it := range gf.Items {
		if it == nil {
			continue
		}
		perma := i >= len(permalink) || permalink[i]
		if item, ok := feedItem(it, perma, base, f.Lang); ok {
			f.Items = append(f.Items, item)
		}
	}
	return f
}

// feedImage returns the absolute URL of an item's image (media or
// itunes image, else its first image enclosure), or "": editions of one
// story often share their agency photo.
func feedImage(it *gofeed.Item, base string) string {
	candidates := []string{}
	if it.Image != nil {
		candidates = append(candidates, it.Image.URL)
	}
	for _, e := range it.Enclosures {
		if e != nil && strings.HasPrefix(e.Type, "image/") {
			candidates = append(candidates, e.URL)
		}
	}
	for _, c := range candidates {
		if u, err := CanonicalURL(c, base); err == nil && strings.TrimSpace(c) != "" {
			return u
		}
	}
	return ""
}

// feedItem converts one gofeed item. It reports false for an item with
// neither link, guid nor title.
func feedItem(it *gofeed.Item, permalink bool, base, feedLang string) (news.Item, bool) {
	item := news.Item{
		GUID:    strings.TrimSpace(it.GUID),
		Title:   feedHTMLText(it.Title, false),
		Summary: feedHTMLText(it.Description, false),
		Content: feedHTMLText(it.Content, true),
		Lang:    feedLang,
	}
	links := append([]string{it.Link}, it.Links...)
	for _, l := range links {
		if u, err := CanonicalURL(l, base); err == nil && strings.TrimSpace(l) != "" {
			item.URL = u
			break
		}
	}
	if item.URL == "" && permalink && item.GUID != "" {
		if u, err := CanonicalURL(item.GUID, ""); err == nil {
			item.URL = u
		}
	}
	if item.URL == "" && item.GUID == "" && item.Title == "" {
		return news.Item{}, false
	}
	item.Published = feedTime(it.Published, it.PublishedParsed)
	item.Updated = feedTime(it.Updated, it.UpdatedParsed)
	item.Image = feedImage(it, base)
	if it.DublinCoreExt != nil && len(it.DublinCoreExt.Language) > 0 {
		if l := lang.Normalize(it.DublinCoreExt.Language[0]); l != "" {
			item.Lang = l
		}
	}
	for _, a := range it.Authors {
		if a == nil {
			continue
		}
		name := a.Name
		if strings.TrimSpace(name) == "" {
			name = a.Email
		}
		item.Authors = feedAppendText(item.Authors, name)
	}
	for _, c := range it.Categories {
		item.Categories = feedAppendText(item.Categories, c)
	}
	return item, true
}

// feedTime parses a raw feed date with ParseDate, which knows more zones
// than gofeed, and falls back to gofeed's reading.
func feedTime(raw string, parsed *time.Time) time.Time {
	if t, ok := ParseDate(raw); ok {
		return t
	}
	if parsed != nil && !parsed.IsZero() {
		return parsed.UTC()
	}
	return time.Time{}
}

// feedAppendText appends the plain text of s unless it is empty or present.
func feedAppendText(list []string, s string) []string {
	s = feedHTMLText(s, false)
	if s == "" || slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
