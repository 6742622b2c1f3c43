package parser

import (
	"bytes"

	"golang.org/x/net/html"
)

// maxDepth is how deeply nested elements are kept when a page nests deeper
// than the HTML parser accepts (512 open elements).
const maxDepth = 400

// parsePage parses a UTF-8 page, with the fast builder when it follows the
// page's markup and with x/net/html otherwise. Scripting is off, so <noscript> content
// is parsed as elements and a page that shows its text only without
// JavaScript can still be read. A page nested too deeply for the parser is
// flattened below maxDepth and parsed again: its text survives.
//
// The fast builder takes its first blocks of nodes from s (nil allocates
// them); the tree must not be used once s is put back.
func parsePage(page []byte, s *slab) (*html.Node, error) {
	if root, err := fastParse(page, s); err == nil {
		return root, nil
	}
	root, err := html.ParseWithOptions(bytes.NewReader(page), html.ParseOptionEnableScripting(false))
	if err == nil {
		return root, nil
	}
	return html.ParseWithOptions(bytes.NewReader(flatten(page)), html.ParseOptionEnableScripting(false))
}

// flatten drops the start and end tags of elements nested deeper than
// maxDepth, keeping their text.
func flatten(page []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(page))
	z := html.NewTokenizer(bytes.NewReader(page))
	depth, skipped := 0, 0
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return out.Bytes()
		case html.StartTagToken:
			if isVoid(z.Raw()[1:min(len(z.Raw()), 1+tagLen(z.Raw()[1:]))]) {
				break
			}
			if depth >= maxDepth {
				skipped++
				continue
			}
			depth++
		case html.EndTagToken:
			if skipped > 0 {
				skipped--
				continue
			}
			if depth > 0 {
				depth--
			}
		}
		out.Write(z.Raw())
	}
}

// tagLen returns the length of the tag name at the start of b.
func tagLen(b []byte) int {
	for i, c := range b {
		if c == ' ' || c == '>' || c == '/' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			return i
		}
	}
	return len(b)
}

// isVoid reports the names of elements that have no end tag.
func isVoid(name []byte) bool {
	switch string(bytes.ToLower(name)) {
	case "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr":
		return true
	}
	return false
}
