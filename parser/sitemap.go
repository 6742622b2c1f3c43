package parser

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
)

// MaxSitemapEntries is how many <url> or <sitemap> entries ParseSitemap
// reads, the protocol's limit for one file; a longer sitemap is cut there
// with a note.
const MaxSitemapEntries = 50_000

// maxSitemapText bounds the text of one element (a <loc> is at most 2,048
// characters by the protocol; titles are short).
const maxSitemapText = 4 << 10

// ErrNotSitemap reports a body that is no sitemap: a feed, an HTML page,
// XML of another kind, garbage. Errors wrapping it carry the detail.
var ErrNotSitemap = errors.New("not a sitemap")

// SitemapRef is a child sitemap listed by a sitemap index.
type SitemapRef struct {
	URL      string    // absolute, canonical
	Modified time.Time // <lastmod>, UTC; zero when not given
}

// ParseSitemap parses a sitemap (sitemaps.org 0.9, with Google News
// entries) fetched from sitemapURL. A <urlset> gives an item per <url>:
// its <loc>, <news:title>, <news:publication_date> as Published,
// <lastmod> as Updated and <news:language>, in document order. A
// <sitemapindex> gives no items but its children in Feed.Sitemaps.
//
// Links to other sites are left out unless o.Hosts allows them, and at
// most MaxSitemapEntries entries are read; Feed.Notes says what was left
// out. XML that breaks after some entries keeps them, with a note; a body
// that is no sitemap, or breaks before any entry, is an error (wrapping
// ErrNotSitemap when it is no sitemap at all).
func ParseSitemap(body []byte, contentType, sitemapURL string, o SourceOptions) (*Feed, error) {
	data := DecodeXML(body, contentType)
	if err := feedCheckDTD(data); err != nil {
		return nil, fmt.Errorf("parse sitemap %s: %w", sitemapURL, err)
	}
	r := sitemapReader{d: xml.NewDecoder(bytes.NewReader(data)), base: sitemapURL, o: o, hosts: newHostFilter(sitemapURL, o.Hosts)}
	r.d.Strict = false
	r.d.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil } // already UTF-8
	f, err := r.read()
	if err != nil {
		return nil, fmt.Errorf("parse sitemap %s: %w", sitemapURL, err)
	}
	return f, nil
}

// sitemapReader streams a sitemap's tokens into a Feed.
type sitemapReader struct {
	d     *xml.Decoder
	base  string
	o     SourceOptions
	hosts *hostFilter

	feed    Feed
	root    string   // urlset or sitemapindex
	stack   []string // local names of the open elements
	text    []byte   // text of the element being read
	long    bool     // that text is longer than maxSitemapText: dropped
	entry   sitemapEntry
	entries int // <url> or <sitemap> entries read
	offHost int
	badLoc  int
}

// sitemapEntry holds the fields of one <url> or <sitemap> as written.
type sitemapEntry struct {
	loc, lastmod, title, published, language string
}

// read reads every token and returns the feed.
func (r *sitemapReader) read() (*Feed, error) {
	for {
		tok, err := r.d.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return r.broken(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if err := r.start(t.Name.Local); err != nil {
				return nil, err
			}
		case xml.CharData:
			r.addText(t)
		case xml.EndElement:
			if r.end(t.Name.Local) {
				r.feed.Notes = append(r.feed.Notes, fmt.Sprintf("the sitemap lists more than %d entries; read the first %d", MaxSitemapEntries, MaxSitemapEntries))
				return r.finish()
			}
		}
	}
	if r.root == "" {
		return nil, fmt.Errorf("%w: %s", ErrNotSitemap, sitemapDescribe(r.d, nil))
	}
	if len(r.stack) > 0 { // cut off: a truncated download
		return r.broken(fmt.Errorf("the body ends inside <%s>", r.stack[len(r.stack)-1]))
	}
	return r.finish()
}

// addText adds the text of an element inside an entry, up to maxSitemapText.
func (r *sitemapReader) addText(t []byte) {
	switch {
	case len(r.stack) < 3 || r.long:
	case len(r.text)+len(t) > maxSitemapText:
		r.long = true
	default:
		r.text = append(r.text, t...)
	}
}

// start opens an element; the first one must be a sitemap's root.
func (r *sitemapReader) start(local string) error {
	if r.root == "" {
		switch local {
		case "urlset", "sitemapindex":
			r.root = local
		default:
			return fmt.Errorf("%w: %s", ErrNotSitemap, sitemapDescribe(r.d, &local))
		}
	}
	r.stack = append(r.stack, local)
	r.text, r.long = r.text[:0], false
	if len(r.stack) == 2 {
		r.entry = sitemapEntry{}
	}
	return nil
}

// end closes an element, storing its text in the entry by where it
// stands, and reports whether the entry bound is reached.
func (r *sitemapReader) end(local string) bool {
	n := len(r.stack)
	if n == 0 {
		return false
	}
	parent := ""
	if n >= 2 {
		parent = r.stack[n-2]
	}
	r.stack = r.stack[:n-1]
	text := strings.TrimSpace(string(r.text))
	if r.long {
		text = ""
	}
	r.text, r.long = r.text[:0], false
	e := &r.entry
	switch {
	case n == 2 && (local == "url" || local == "sitemap"):
		r.entries++
		r.add()
		return r.entries >= MaxSitemapEntries
	case n == 3 && local == "loc":
		e.loc = text
	case n == 3 && local == "lastmod":
		e.lastmod = text
	case parent == "news" && local == "title":
		e.title = text
	case parent == "news" && local == "publication_date":
		e.published = text
	case parent == "publication" && local == "language":
		e.language = text
	}
	return false
}

// add turns the entry just read into an item or a child sitemap.
func (r *sitemapReader) add() {
	e := r.entry
	u, err := CanonicalURL(e.loc, r.base)
	if err != nil {
		r.badLoc++
		return
	}
	if !r.hosts.allows(u) {
		r.offHost++
		return
	}
	zone := r.o.zone()
	modified, _ := ParseDateIn(e.lastmod, zone)
	if r.root == "sitemapindex" {
		r.feed.Sitemaps = append(r.feed.Sitemaps, SitemapRef{URL: u, Modified: modified})
		return
	}
	it := news.Item{URL: u, Title: feedHTMLText(e.title, false), Updated: modified, Lang: lang.Normalize(e.language)}
	it.Published, _ = ParseDateIn(e.published, zone)
	r.feed.Items = append(r.feed.Items, it)
}

// finish adds the notes of what was left out.
func (r *sitemapReader) finish() (*Feed, error) {
	if r.offHost > 0 {
		r.feed.Notes = append(r.feed.Notes, offHostNote(r.offHost))
	}
	if r.badLoc > 0 {
		r.feed.Notes = append(r.feed.Notes, fmt.Sprintf("ignored %d entr(ies) whose <loc> is no http(s) URL", r.badLoc))
	}
	r.feed.Link = r.base
	return &r.feed, nil
}

// broken handles an XML error: the entries read before it are kept with
// a note; without any, the error is returned.
func (r *sitemapReader) broken(err error) (*Feed, error) {
	msg := err.Error() // a *xml.SyntaxError names its line
	if _, ok := err.(*xml.SyntaxError); !ok {
		line, _ := r.d.InputPos()
		msg = fmt.Sprintf("%s at line %d", msg, line)
	}
	switch {
	case r.root == "":
		return nil, fmt.Errorf("%w: broken xml: %s", ErrNotSitemap, msg)
	case r.entries == 0:
		return nil, fmt.Errorf("broken xml before any entry: %s", msg)
	}
	r.feed.Notes = append(r.feed.Notes, fmt.Sprintf("broken xml (%s): read the %d entries before it", msg, r.entries))
	return r.finish()
}

// sitemapDescribe says what a body that is no sitemap looks like, from
// its root element (nil when there is none).
func sitemapDescribe(d *xml.Decoder, root *string) string {
	if root == nil {
		return "no root element"
	}
	switch strings.ToLower(*root) {
	case "rss", "rdf", "feed":
		return fmt.Sprintf("a feed (root <%s>): use type: feed", *root)
	case "html":
		return "an HTML page: use type: page for a section page"
	}
	line, _ := d.InputPos()
	return fmt.Sprintf("root element <%s> at line %d, not <urlset> or <sitemapindex>", *root, line)
}
