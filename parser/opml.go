package parser

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/gilliek/go-opml/opml"

	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
)

// ErrNotOPML means a document is not an OPML subscription list.
var ErrNotOPML = errors.New("not an OPML document")

// maxOPMLDepth bounds the nesting of outlines ParseOPML follows; real
// subscription lists use one or two levels of folders.
const maxOPMLDepth = 32

// ParseOPML reads the feeds of an OPML 1.0 or 2.0 subscription list, as
// feed readers (Miniflux, FreshRSS, Inoreader, NetNewsWire) export it:
// every outline with an xmlUrl, in document order, folders (outlines
// without one) flattened. A feed's Name is its title or text attribute and
// its Lang its language attribute, if any. URLs are returned as written:
// validating them is the caller's job, so that it can report each one.
// The text is decoded to UTF-8 from its declared or sniffed charset.
func ParseOPML(body []byte) ([]news.Feed, error) {
	var doc opml.OPML
	dec := xml.NewDecoder(bytes.NewReader(DecodeXML(body, "")))
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil } // DecodeXML made it UTF-8
	if err := dec.Decode(&doc); err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, fmt.Errorf("opml: line %d: %s", se.Line, se.Msg)
		}
		if strings.Contains(err.Error(), "expected element type <opml>") {
			return nil, fmt.Errorf("opml: the root element is not <opml>: %w", ErrNotOPML)
		}
		return nil, fmt.Errorf("opml: %v", err)
	}
	var feeds []news.Feed
	var walk func(outlines []opml.Outline, depth int) error
	walk = func(outlines []opml.Outline, depth int) error {
		if depth > maxOPMLDepth {
			return fmt.Errorf("opml: outlines nested deeper than %d levels", maxOPMLDepth)
		}
		for _, o := range outlines {
			if u := strings.TrimSpace(o.XMLURL); u != "" {
				name := strings.TrimSpace(o.Title)
				if name == "" {
					name = strings.TrimSpace(o.Text)
				}
				feeds = append(feeds, news.Feed{URL: u, Name: name, Lang: lang.Normalize(o.Language)})
			}
			if err := walk(o.Outlines, depth+1); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(doc.Body.Outlines, 0); err != nil {
		return nil, err
	}
	return feeds, nil
}
