package export

import (
	"encoding/xml"
	"fmt"
	"io"

	"github.com/gilliek/go-opml/opml"

	"github.com/newswatch/newswatch/news"
)

// WriteOPML writes feeds as an OPML 2.0 subscription list that feed
// readers import (Miniflux, FreshRSS, Inoreader) and that
// parser.ParseOPML reads back: one rss outline per feed, with its name as
// text and title and its language when known. The same feeds give the
// same bytes (no creation date), so exports can be compared and diffed.
func WriteOPML(w io.Writer, feeds []news.Feed) error {
	doc := opml.OPML{Version: "2.0", Head: opml.Head{Title: "newswatch feeds"}}
	for _, f := range feeds {
		name := f.Name
		if name == "" {
			name = f.URL
		}
		doc.Body.Outlines = append(doc.Body.Outlines, opml.Outline{
			Type: "rss", Text: name, Title: name, XMLURL: f.URL, Language: f.Lang,
		})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	if _, err := io.WriteString(w, "\n"); err != nil {
		return fmt.Errorf("write opml: %w", err)
	}
	return nil
}
