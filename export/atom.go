package export

import (
	"bufio"
	"cmp"
	"encoding/xml"
	"html"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
)

// An Atom export (RFC 4287) has one entry per article:
//
//	id         EntryID(article id): the same in every feed and export
//	title      the article's title, with its xml:lang
//	link       rel="alternate" to the article, with hreflang; and
//	           rel="related" to its page on the dashboard, when
//	           AtomFeed.Dashboard is known
//	updated    the later of published and fetched
//	published  when the source published it, if it said
//	author     the source (the feed's name)
//	category   one per matched topic
//	summary    HTML, with xml:lang: the snippet of the first decisive hit
//	           with the matched words marked, and the matched terms
//	content    the article's text, with xml:lang, when AtomFeed.Content
//	           (an export of the archive, not a topic's feed, which
//	           shows why articles matched and links to them)
//
// The feed itself has an id, a title, updated, and the links it is given.
// The package writes Atom with encoding/xml rather than a feed library:
// gorilla/feeds, the maintained Go generator, can set neither xml:lang
// nor a second link on an entry, and builds the whole feed in memory,
// where an export of the archive must stream.

// TagPrefix starts the atom:id of every entry and feed newswatch writes: a
// tag URI (RFC 4151), stable whatever address the feed is read at.
const TagPrefix = "tag:newswatch,2026:"

// EntryID is the atom:id of an article's entry.
func EntryID(articleID string) string { return TagPrefix + "article/" + articleID }

const (
	atomNS = "http://www.w3.org/2005/Atom"
	xmlNS  = "http://www.w3.org/XML/1998/namespace" // the xml: prefix, never declared
)

// AtomFeed describes the feed document around the entries.
type AtomFeed struct {
	ID       string // default: TagPrefix+"export"
	Title    string // default: "newswatch export"
	Subtitle string
	Self     string // the URL of the document itself (rel="self")
	Page     string // the feed's page on the dashboard (rel="alternate")
	// Dashboard is the base URL of the dashboard ("https://news.example.org"):
	// each entry links to Dashboard/articles/ID. Empty: no such link.
	Dashboard string
	// Content puts each article's text in its entry; Write, an export
	// of the archive, always does.
	Content bool
	// Updated is when the feed last changed. Zero: the newest entry's
	// (WriteAtom), or the time of the export (Write, which cannot know
	// the newest entry before the end).
	Updated time.Time
}

type atomText struct {
	Type string `xml:"type,attr,omitempty"`
	Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	Text string `xml:",chardata"`
}

type atomLink struct {
	Rel      string `xml:"rel,attr"`
	Href     string `xml:"href,attr"`
	Type     string `xml:"type,attr,omitempty"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
	Title    string `xml:"title,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

type atomEntry struct {
	XMLName    xml.Name       `xml:"entry"`
	ID         string         `xml:"id"`
	Title      atomText       `xml:"title"`
	Links      []atomLink     `xml:"link"`
	Updated    string         `xml:"updated"`
	Published  string         `xml:"published,omitempty"`
	Author     atomPerson     `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary"`
	Content    *atomText      `xml:"content"`
}

type atomGenerator struct {
	URI  string `xml:"uri,attr"`
	Name string `xml:",chardata"`
}

// atomWriter streams an Atom feed.
type atomWriter struct {
	bw        *bufio.Writer
	enc       *xml.Encoder
	topic     string
	dashboard string
	content   bool
}

// newAtomWriter writes the XML declaration and the feed's head to w;
// updated is used when feed.Updated is zero. Summaries show the hits of
// topic, or of every topic when it is empty.
func newAtomWriter(w io.Writer, feed AtomFeed, topic string, updated time.Time) (*atomWriter, error) {
	bw := bufio.NewWriterSize(w, bufferSize)
	if _, err := bw.WriteString(xml.Header); err != nil {
		return nil, err
	}
	enc := xml.NewEncoder(bw)
	enc.Indent("", "  ")
	feedStart := xml.StartElement{Name: xml.Name{Space: atomNS, Local: "feed"}}
	if err := enc.EncodeToken(feedStart); err != nil {
		return nil, err
	}
	if err := writeHead(enc, feed, cmp.Or(feed.Updated, updated)); err != nil {
		return nil, err
	}
	return &atomWriter{bw: bw, enc: enc, topic: topic, dashboard: strings.TrimSuffix(feed.Dashboard, "/"), content: feed.Content}, nil
}

// writeHead writes the feed's elements that come before the entries.
func writeHead(enc *xml.Encoder, feed AtomFeed, updated time.Time) error {
	type elem struct {
		name string
		v    any
	}
	elems := []elem{
		{"id", cmp.Or(feed.ID, TagPrefix+"export")},
		{"title", atomText{Type: "text", Text: cmp.Or(feed.Title, "newswatch export")}},
	}
	if feed.Subtitle != "" {
		elems = append(elems, elem{"subtitle", atomText{Type: "text", Text: feed.Subtitle}})
	}
	if feed.Self != "" {
		elems = append(elems, elem{"link", atomLink{Rel: "self", Href: feed.Self, Type: "application/atom+xml"}})
	}
	if feed.Page != "" {
		elems = append(elems, elem{"link", atomLink{Rel: "alternate", Href: feed.Page, Type: "text/html"}})
	}
	elems = append(elems,
		elem{"updated", atomTime(updated)},
		elem{"generator", atomGenerator{URI: "https://github.com/newswatch/newswatch", Name: "newswatch"}})
	for _, e := range elems {
		if err := enc.EncodeElement(e.v, xml.StartElement{Name: xml.Name{Local: e.name}}); err != nil {
			return err
		}
	}
	return nil
}

func (aw *atomWriter) Write(a *news.Article) error {
	e := newAtomEntry(a, aw.topic, aw.dashboard)
	if aw.content && a.Text != "" {
		e.Content = &atomText{Type: "text", Lang: a.Lang, Text: a.Text}
	}
	return aw.enc.Encode(e)
}

// Close ends the feed element and flushes.
func (aw *atomWriter) Close() error {
	if err := aw.enc.EncodeToken(xml.EndElement{Name: xml.Name{Space: atomNS, Local: "feed"}}); err != nil {
		return err
	}
	if err := aw.enc.Flush(); err != nil {
		return err
	}
	if _, err := aw.bw.WriteString("\n"); err != nil {
		return err
	}
	return aw.bw.Flush()
}

// WriteAtom writes articles, in the order given, as one Atom feed. Their
// summaries show the hits of topic, or of every topic when it is empty.
func WriteAtom(w io.Writer, feed AtomFeed, topic string, articles []*news.Article) error {
	if feed.Updated.IsZero() {
		for _, a := range articles {
			feed.Updated = latest(feed.Updated, entryUpdated(a))
		}
	}
	aw, err := newAtomWriter(w, feed, topic, time.Now())
	if err != nil {
		return err
	}
	for _, a := range articles {
		if err := aw.Write(a); err != nil {
			return err
		}
	}
	return aw.Close()
}

// newAtomEntry makes the entry of a; dashboard is the dashboard's base
// URL, or "".
func newAtomEntry(a *news.Article, topic, dashboard string) atomEntry {
	e := atomEntry{
		ID:      EntryID(a.ID),
		Title:   atomText{Type: "text", Lang: a.Lang, Text: a.Title},
		Links:   []atomLink{{Rel: "alternate", Href: a.URL, Type: "text/html", HrefLang: a.Lang}},
		Updated: atomTime(entryUpdated(a)),
		Author:  atomPerson{Name: cmp.Or(a.Source, hostOf(a.URL), "unknown")},
	}
	page := ""
	if dashboard != "" {
		page = dashboard + "/articles/" + a.ID
		e.Links = append(e.Links, atomLink{Rel: "related", Href: page, Type: "text/html", Title: "newswatch"})
	}
	if !a.Published.IsZero() {
		e.Published = atomTime(a.Published)
	}
	for _, t := range a.Topics {
		e.Categories = append(e.Categories, atomCategory{Term: t})
	}
	if s := summaryHTML(a, decisiveHits(a, topic), page); s != "" {
		e.Summary = &atomText{Type: "html", Lang: a.Lang, Text: s}
	}
	return e
}

// entryUpdated is when an article's entry last changed: the later of its
// publication (a feed may date it after we fetched it) and its fetch.
func entryUpdated(a *news.Article) time.Time {
	return latest(a.Published, a.Fetched)
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// atomTime formats t as an RFC 3339 date-time in UTC.
func atomTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// hostOf returns the host of u, or "".
func hostOf(u string) string {
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	return host
}

// summaryHTML shows why a matched: the snippet of the first hit in the
// article's direction with the matched words marked, then the terms (for
// an article without hits, its feed summary), then a link to page, the
// article's page on the dashboard, when known: few feed readers show an
// entry's related links.
func summaryHTML(a *news.Article, hits []news.Hit, page string) string {
	var b strings.Builder
	dir := cmp.Or(a.Dir, lang.Dir(a.Lang))
	switch {
	case len(hits) > 0:
		b.WriteString(`<p dir="` + dir + `">` + markedSnippet(a, hits[0]) + `</p><p dir="ltr">Matched: `)
		for i, t := range terms(hits) {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("<bdi><b>" + html.EscapeString(t) + "</b></bdi>")
		}
		b.WriteString("</p>")
	case a.Summary != "":
		b.WriteString(`<p dir="` + dir + `">` + html.EscapeString(a.Summary) + "</p>")
	}
	if page != "" {
		b.WriteString(`<p dir="ltr"><a href="` + html.EscapeString(page) + `">Open in newswatch</a></p>`)
	}
	return b.String()
}

// markedSnippet returns h's snippet as HTML, with the words h matched
// (the field's text between its offsets) in <mark>.
func markedSnippet(a *news.Article, h news.Hit) string {
	field := map[string]string{news.FieldTitle: a.Title, news.FieldText: a.Text, news.FieldURL: a.URL}[h.Field]
	if h.Start < 0 || h.End > len(field) || h.Start >= h.End || !utf8.ValidString(field[h.Start:h.End]) {
		return html.EscapeString(h.Snippet)
	}
	before, after, found := strings.Cut(h.Snippet, field[h.Start:h.End])
	if !found {
		return html.EscapeString(h.Snippet)
	}
	return html.EscapeString(before) + "<mark>" + html.EscapeString(field[h.Start:h.End]) + "</mark>" + html.EscapeString(after)
}
