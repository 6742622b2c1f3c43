package parser

import (
	"bytes"
	"unicode/utf8"

	"github.com/gogs/chardet"
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

// metaCharset finds a charset declared in a <meta> tag anywhere in b.
func metaCharset(b []byte) string {
	lower := bytes.ToLower(b)
	for off := 0; ; {
		i := bytes.Index(lower[off:], []byte("charset="))
		if i < 0 {
			return ""
		}
		i += off + len("charset=")
		off = i
		j := i
		for j < len(lower) && (lower[j] == '"' || lower[j] == '\'' || lower[j] == ' ') {
			j++
		}
		k := j
		for k < len(lower) && (lower[k] == '-' || lower[k] == '_' || lower[k] == '.' || lower[k] == ':' ||
			lower[k] >= 'a' && lower[k] <= 'z' || lower[k] >= '0' && lower[k] <= '9') {
			k++
		}
		if k > j {
			if _, err := htmlindex.Get(string(lower[j:k])); err == nil {
				return string(lower[j:k])
			}
		}
	}
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
