package parser

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/gogs/chardet"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/htmlindex"
)

// decodePage converts a page to UTF-8. DecodeHTML handles a BOM, the
// Content-Type header, <meta> in the first 4 KB and UTF-8 mislabelled as
// a legacy charset. Here we add what pages in the wild need beyond that:
// a <meta charset> further down the head, and statistical detection for
// pages that declare nothing and are not UTF-8 (GBK, Shift_JIS, EUC-KR,
// windows-1256 ... without a declaration).
func decodePage(body []byte, contentType string) []byte {
	if _, _, certain := charset.DetermineEncoding(head(body, 4096), contentType); certain || utf8.Valid(body) {
		out, _ := DecodeHTML(body, contentType)
		return out
	}
	if name := metaCharset(head(body, 64<<10)); name != "" {
		out, _ := DecodeHTML(body, "text/html; charset="+name)
		return out
	}
	if name := detectCharset(body); name != "" {
		out, _ := DecodeHTML(body, "text/html; charset="+name)
		return out
	}
	out, _ := DecodeHTML(body, contentType)
	return out
}

// metaCharset returns the charset a <meta charset> or <meta http-equiv=
// "Content-Type"> tag anywhere in b declares, or "". Only <meta> counts:
// a charset= attribute on <script> or <link> names the charset of the
// file it loads (a cookie banner, an archive's toolbar), not the page's.
func metaCharset(b []byte) string {
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken, html.SelfClosingTagToken:
			name, more := z.TagName()
			if string(name) != "meta" || !more {
				continue
			}
			if cs := metaTagCharset(z); cs != "" {
				return cs
			}
		}
	}
}

// metaTagCharset returns the known charset a <meta> tag's attributes
// declare, or "".
func metaTagCharset(z *html.Tokenizer) string {
	var declared, content string
	httpEquiv := false
	for more := true; more; {
		var k, v []byte
		k, v, more = z.TagAttr()
		switch string(k) {
		case "charset":
			declared = string(v)
		case "http-equiv":
			httpEquiv = strings.EqualFold(strings.TrimSpace(string(v)), "content-type")
		case "content":
			content = string(v)
		}
	}
	if declared == "" && httpEquiv {
		declared = headerCharset(content)
	}
	declared = strings.ToLower(strings.TrimSpace(declared))
	if _, err := htmlindex.Get(declared); declared == "" || err != nil {
		return ""
	}
	return declared
}

// detectCharset guesses the charset of undeclared, non-UTF-8 text from the
// bytes of its text (tags stripped roughly), returning "" when unsure.
func detectCharset(body []byte) string {
	sample := textSample(body, 32<<10)
	r, err := chardet.NewHtmlDetector().DetectBest(sample)
	if err != nil || r.Confidence < 20 {
		return ""
	}
	if _, err := htmlindex.Get(r.Charset); err != nil {
		return ""
	}
	return r.Charset
}

// textSample returns up to max bytes of b outside tags, preferring bytes
// with the high bit set, which carry the signal for detection.
func textSample(b []byte, max int) []byte {
	out := make([]byte, 0, max)
	inTag := false
	for _, c := range b {
		switch {
		case c == '<':
			inTag = true
		case c == '>':
			inTag = false
			out = append(out, ' ')
		case !inTag:
			out = append(out, c)
		}
		if len(out) >= max {
			break
		}
	}
	return out
}
