package newstest

import (
	"bytes"
	"cmp"
	"fmt"
	"html"
	"time"
)

// Channel describes a feed.
type Channel struct {
	Title       string
	Link        string // site URL; may use BasePlaceholder
	Description string
	Lang        string
	// Encoding, when set, is written in the XML declaration.
	Encoding string
}

// FeedItem is one entry of a feed.
type FeedItem struct {
	Title       string
	Link        string // absolute; may use BasePlaceholder
	GUID        string // default Link
	Description string
	Published   time.Time
	Category    string
}

// Item returns the feed entry of the page: its title, absolute link and
// Summary (or Sapo) as description.
func (p Page) Item() FeedItem {
	return FeedItem{
		Title: p.Title, Link: BasePlaceholder + p.Path(), Description: cmp.Or(p.Summary, p.Sapo),
		Published: p.Published, Category: p.Section,
	}
}

// RSS renders an RSS 2.0 feed as VietnamPlus writes it: dates in +0700.
func RSS(ch Channel, items []FeedItem) []byte {
	var b bytes.Buffer
	e := html.EscapeString
	b.WriteString("<?xml version=\"1.0\"")
	if ch.Encoding != "" {
		fmt.Fprintf(&b, " encoding=%q", ch.Encoding)
	}
	b.WriteString("?>\n<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\">\n<channel>\n")
	fmt.Fprintf(&b, "<title>%s</title>\n<link>%s</link>\n<description>%s</description>\n<language>%s</language>\n",
		e(ch.Title), e(ch.Link), e(ch.Description), ch.Lang)
	if len(items) > 0 {
		fmt.Fprintf(&b, "<lastBuildDate>%s</lastBuildDate>\n", items[0].Published.In(ict).Format(time.RFC1123Z))
	}
	for _, it := range items {
		b.WriteString("<item>\n")
		fmt.Fprintf(&b, "<title>%s</title>\n<link>%s</link>\n<guid isPermaLink=\"true\">%s</guid>\n",
			e(it.Title), e(it.Link), e(cmp.Or(it.GUID, it.Link)))
		fmt.Fprintf(&b, "<description><![CDATA[%s]]></description>\n", it.Description)
		if it.Category != "" {
			fmt.Fprintf(&b, "<category>%s</category>\n", e(it.Category))
		}
		fmt.Fprintf(&b, "<pubDate>%s</pubDate>\n</item>\n", it.Published.In(ict).Format(time.RFC1123Z))
	}
	b.WriteString("</channel>\n</rss>\n")
	return b.Bytes()
}

// Atom renders an Atom 1.0 feed.
func Atom(ch Channel, items []FeedItem) []byte {
	var b bytes.Buffer
	e := html.EscapeString
	b.WriteString("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n")
	fmt.Fprintf(&b, "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=%q>\n<title>%s</title>\n<subtitle>%s</subtitle>\n", ch.Lang, e(ch.Title), e(ch.Description))
	fmt.Fprintf(&b, "<link rel=\"alternate\" href=\"%s\"/>\n<id>%s</id>\n", e(ch.Link), e(ch.Link))
	if len(items) > 0 {
		fmt.Fprintf(&b, "<updated>%s</updated>\n", items[0].Published.UTC().Format(time.RFC3339))
	}
	for _, it := range items {
		fmt.Fprintf(&b, "<entry>\n<title>%s</title>\n<link rel=\"alternate\" href=\"%s\"/>\n<id>%s</id>\n",
			e(it.Title), e(it.Link), e(cmp.Or(it.GUID, it.Link)))
		fmt.Fprintf(&b, "<published>%s</published>\n<updated>%s</updated>\n",
			it.Published.In(ict).Format(time.RFC3339), it.Published.In(ict).Format(time.RFC3339))
		fmt.Fprintf(&b, "<summary type=\"html\">%s</summary>\n</entry>\n", e(it.Description))
	}
	b.WriteString("</feed>\n")
	return b.Bytes()
}
