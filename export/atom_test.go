package export

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/mmcdole/gofeed"

	"github.com/newswatch/newswatch/news"
)

// atomDoc is what RFC 4287 requires of a feed and its entries, read with
// encoding/xml independently of gofeed, xml:lang included.
type atomDoc struct {
	XMLName xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	ID      string   `xml:"id"`
	Title   string   `xml:"title"`
	Updated string   `xml:"updated"`
	Entries []struct {
		ID    string `xml:"id"`
		Title struct {
			Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
			Text string `xml:",chardata"`
		} `xml:"title"`
		Updated   string `xml:"updated"`
		Published string `xml:"published"`
		Author    string `xml:"author>name"`
		Links     []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Summary struct {
			Lang string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
			Type string `xml:"type,attr"`
			Text string `xml:",chardata"`
		} `xml:"summary"`
		Content *struct {
			Text string `xml:",chardata"`
		} `xml:"content"`
	} `xml:"entry"`
}

// checkAtom parses data with gofeed and with encoding/xml, checks RFC
// 4287's essentials (id, title and an RFC 3339 updated on the feed and
// every entry) and returns both readings.
func checkAtom(t *testing.T, data []byte) (*gofeed.Feed, atomDoc) {
	t.Helper()
	f, err := gofeed.NewParser().ParseString(string(data))
	if err != nil {
		t.Fatalf("gofeed cannot parse the Atom: %v\n%s", err, data)
	}
	if f.FeedType != "atom" {
		t.Errorf("gofeed reads a %q feed, want atom", f.FeedType)
	}
	var doc atomDoc
	if err := xml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("encoding/xml cannot read the Atom: %v", err)
	}
	rfc3339 := func(what, v string) {
		if _, err := time.Parse(time.RFC3339, v); err != nil {
			t.Errorf("%s updated = %q, want an RFC 3339 date-time", what, v)
		}
	}
	if doc.ID == "" || doc.Title == "" {
		t.Errorf("feed id %q, title %q: want both", doc.ID, doc.Title)
	}
	rfc3339("feed", doc.Updated)
	for _, e := range doc.Entries {
		if e.ID == "" || e.Title.Text == "" || e.Author == "" {
			t.Errorf("entry id %q, title %q, author %q: want all three", e.ID, e.Title.Text, e.Author)
		}
		rfc3339("entry "+e.ID, e.Updated)
	}
	return f, doc
}

func TestWriteAtomMultilingual(t *testing.T) {
	t.Parallel()
	articles := sampleArticles()
	feed := AtomFeed{
		ID: "https://news.example.org/topics/trafficking/feed.atom", Title: "newswatch: trafficking",
		Self: "https://news.example.org/topics/trafficking/feed.atom?key=K", Page: "https://news.example.org/topics/trafficking",
		Dashboard: "https://news.example.org/",
	}
	var b bytes.Buffer
	if err := WriteAtom(&b, feed, "trafficking", articles); err != nil {
		t.Fatal(err)
	}
	f, doc := checkAtom(t, b.Bytes())
	if f.Title != feed.Title || f.Link != feed.Page || f.FeedLink != feed.Self {
		t.Errorf("feed title %q link %q self %q; want %q %q %q", f.Title, f.Link, f.FeedLink, feed.Title, feed.Page, feed.Self)
	}
	if want := "2026-11-05T09:00:00Z"; doc.Updated != want { // fetched an hour after it was published
		t.Errorf("feed updated = %s, want the newest entry's, %s", doc.Updated, want)
	}
	var titles, langs, ids, links []string
	for _, e := range doc.Entries {
		titles, langs, ids = append(titles, e.Title.Text), append(langs, e.Title.Lang), append(ids, e.ID)
		for _, l := range e.Links {
			links = append(links, l.Rel+" "+l.Href)
		}
	}
	var wantTitles, wantLangs, wantIDs, wantLinks, gotTitles []string
	for _, a := range articles {
		wantTitles, wantLangs, wantIDs = append(wantTitles, a.Title), append(wantLangs, a.Lang), append(wantIDs, EntryID(a.ID))
		wantLinks = append(wantLinks, "alternate "+a.URL, "related https://news.example.org/articles/"+a.ID)
	}
	for _, it := range f.Items {
		gotTitles = append(gotTitles, it.Title)
	}
	for _, c := range []struct {
		what      string
		want, got []string
	}{
		{"titles (gofeed)", wantTitles, gotTitles},
		{"titles", wantTitles, titles},
		{"title xml:lang", wantLangs, langs},
		{"ids", wantIDs, ids},
		{"links", wantLinks, links},
	} {
		if diff := cmp.Diff(c.want, c.got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.what, diff)
		}
	}
	ar := doc.Entries[0]
	if ar.Author != "أخبار الأمم المتحدة" || ar.Summary.Lang != "ar" || ar.Summary.Type != "html" {
		t.Errorf("Arabic entry: author %q, summary lang %q type %q", ar.Author, ar.Summary.Lang, ar.Summary.Type)
	}
	if want := `<p dir="rtl">تصاعد <mark>الاتجار بالبشر</mark></p>`; !strings.HasPrefix(ar.Summary.Text, want) {
		t.Errorf("Arabic summary = %q, want it to start %q", ar.Summary.Text, want)
	}
	if !strings.Contains(ar.Summary.Text, `<a href="https://news.example.org/articles/`+articles[0].ID+`">`) {
		t.Errorf("Arabic summary = %q, want a link to the article's page on the dashboard", ar.Summary.Text)
	}
	if strings.Contains(ar.Summary.Text, "الأمم المتحدة تحذر") {
		t.Errorf("Arabic summary in the trafficking feed shows the un topic's evidence: %q", ar.Summary.Text)
	}
	if ar.Content != nil {
		t.Errorf("a topic feed's entry carries the text as content; want the summary only")
	}
	if it := f.Items[0]; it.PublishedParsed == nil || !it.PublishedParsed.Equal(articles[0].Published) || it.Categories[0] != "trafficking" {
		t.Errorf("Arabic item: published %v, categories %v", it.PublishedParsed, it.Categories)
	}
	if ru := doc.Entries[3]; ru.Published != "" || ru.Updated != "2026-11-04T09:00:00Z" {
		t.Errorf("undated Russian entry: published %q, updated %q; want none and the fetch time", ru.Published, ru.Updated)
	}
}

// TestAtomExportOfTheArchive: Write in the atom format streams a valid
// feed of every selected article, with its text.
func TestAtomExportOfTheArchive(t *testing.T) {
	t.Parallel()
	articles := sampleArticles()
	st := openStore(t, articles)
	var b bytes.Buffer
	n, err := Write(t.Context(), &b, st, Options{Format: FormatAtom})
	if err != nil || n != len(articles) {
		t.Fatalf("Write(atom) = %d, %v; want %d", n, err, len(articles))
	}
	f, doc := checkAtom(t, b.Bytes())
	if len(f.Items) != len(articles) || f.Title != "newswatch export" {
		t.Errorf("atom export: %d items, title %q; want %d, newswatch export", len(f.Items), f.Title, len(articles))
	}
	for i, e := range doc.Entries {
		if e.Content == nil || e.Content.Text != articles[i].Text {
			t.Errorf("entry %d content = %v, want the article text", i, e.Content)
		}
	}

	b.Reset()
	if _, err := Write(t.Context(), &b, openStore(t, nil), Options{Format: FormatAtom}); err != nil {
		t.Fatal(err)
	}
	if f, _ := checkAtom(t, b.Bytes()); len(f.Items) != 0 {
		t.Errorf("atom export of an empty store: %d items", len(f.Items))
	}
}

// TestAtomEscapes: markup and characters XML cannot hold in titles and
// texts leave a well-formed feed.
func TestAtomEscapes(t *testing.T) {
	t.Parallel()
	a := sampleArticles()[4]
	a.Title = `<script>alert("x")</script> & ]]> "quoted"`
	a.Text = "bell \a and NUL \x00 in a scraped page"
	a.Hits = []news.Hit{{Topic: "trafficking", Term: "trafficking", Field: news.FieldTitle, Start: 1, End: 400, Snippet: "offsets the title does not have"}}
	var b bytes.Buffer
	if err := WriteAtom(&b, AtomFeed{Content: true}, "", []*news.Article{a}); err != nil {
		t.Fatal(err)
	}
	f, doc := checkAtom(t, b.Bytes())
	if f.Items[0].Title != a.Title {
		t.Errorf("title read back = %q, want %q", f.Items[0].Title, a.Title)
	}
	if got := doc.Entries[0].Summary.Text; !strings.Contains(got, ">offsets the title does not have<") {
		t.Errorf("summary of a hit with bad offsets = %q, want its snippet unmarked", got)
	}
	if got := doc.Entries[0].Content.Text; strings.ContainsAny(got, "\a\x00") {
		t.Errorf("content keeps characters XML 1.0 forbids: %q", got)
	}
}
