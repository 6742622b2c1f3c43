package parser

import (
	"bytes"
	"mime"
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
	"golang.org/x/text/transform"
)

// xmlDecl matches an XML declaration's encoding attribute.
var xmlDecl = regexp.MustCompile(`^\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:\-]+)["']`)

// DecodeXML converts a feed body to UTF-8. The charset comes from, in
// order: a byte-order mark, the HTTP Content-Type header, the XML
// declaration; without any, UTF-8 is assumed when the bytes are valid UTF-8
// and windows-1252 otherwise. The XML declaration of the result says UTF-8,
// so an XML decoder does not convert it twice.
func DecodeXML(body []byte, contentType string) []byte {
	enc, _ := bomEncoding(body)
	if enc == nil {
		enc = wideEncoding(body)
	}
	if enc == nil {
		name := headerCharset(contentType)
		if name == "" {
			if m := xmlDecl.FindSubmatch(head(utf16Sniff(body), 1024)); m != nil {
				name = string(m[1])
			}
		}
		enc = lookup(name, body)
	}
	out := decodeWith(enc, body)
	return rewriteXMLDecl(out)
}

// DecodeHTML converts an HTML page to UTF-8, using a byte-order mark, the
// HTTP Content-Type header, then <meta charset> or <meta http-equiv>.
// A page labelled with a legacy charset whose bytes are valid, non-ASCII
// UTF-8 is taken as UTF-8: mislabelling is far more common than legacy text
// that happens to be valid UTF-8. It returns the text and the charset used.
func DecodeHTML(body []byte, contentType string) ([]byte, string) {
	if enc, name := bomEncoding(body); enc != nil {
		return decodeWith(enc, body), name
	}
	enc, name, _ := charset.DetermineEncoding(head(body, 4096), contentType)
	if name != "utf-8" && isUTF8(body) {
		return body, "utf-8"
	}
	if name == "utf-8" || enc == nil {
		return body, "utf-8"
	}
	return decodeWith(enc, body), name
}

// wideEncoding recognises BOM-less UTF-16 and UTF-32 XML from the zero
// bytes around its leading "<": the bytes themselves are authoritative,
// whatever a header or declaration says about the byte order.
func wideEncoding(b []byte) encoding.Encoding {
	switch {
	case bytes.HasPrefix(b, []byte{0, 0, 0, '<'}):
		return utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM)
	case bytes.HasPrefix(b, []byte{'<', 0, 0, 0}):
		return utf32.UTF32(utf32.LittleEndian, utf32.IgnoreBOM)
	case bytes.HasPrefix(b, []byte{0, '<'}):
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM)
	case bytes.HasPrefix(b, []byte{'<', 0}):
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM)
	}
	return nil
}

// bomEncoding returns the encoding named by a leading byte-order mark.
func bomEncoding(b []byte) (encoding.Encoding, string) {
	switch {
	case bytes.HasPrefix(b, []byte{0x00, 0x00, 0xFE, 0xFF}):
		return utf32.UTF32(utf32.BigEndian, utf32.ExpectBOM), "utf-32be"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE, 0x00, 0x00}):
		return utf32.UTF32(utf32.LittleEndian, utf32.ExpectBOM), "utf-32le"
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		return unicode.UTF8BOM, "utf-8"
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		return unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM), "utf-16le"
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM), "utf-16be"
	}
	return nil, ""
}

// headerCharset returns the charset parameter of a Content-Type value.
func headerCharset(contentType string) string {
	if contentType == "" {
		return ""
	}
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return strings.TrimSpace(params["charset"])
}

// lookup resolves a charset label for body. Unknown or empty labels fall
// back to UTF-8 when body is valid UTF-8 and windows-1252 otherwise; a legacy
// single-byte label on valid multi-byte UTF-8 is treated as mislabelled.
func lookup(name string, body []byte) encoding.Encoding {
	if name != "" {
		if enc, canonical := charset.Lookup(name); enc != nil {
			if canonical == "utf-8" || (isSingleByte(canonical) && isUTF8(body)) {
				return nil
			}
			if strings.HasPrefix(canonical, "utf-16") && utf16Sniff(body)[0] == '<' && !isUTF16(body) {
				return nil // declared UTF-16 but the bytes are 8-bit
			}
			return enc
		}
	}
	if utf8.Valid(body) {
		return nil
	}
	enc, _ := charset.Lookup("windows-1252")
	return enc
}

// isSingleByte reports whether a canonical charset name is a single-byte
// Latin-ish encoding that UTF-8 text is commonly mislabelled as.
func isSingleByte(name string) bool {
	return strings.HasPrefix(name, "windows-125") || strings.HasPrefix(name, "iso-8859") || name == "us-ascii"
}

// isUTF8 reports whether b is valid UTF-8 with at least one multi-byte rune.
func isUTF8(b []byte) bool {
	if !utf8.Valid(b) {
		return false
	}
	for _, c := range b {
		if c >= 0x80 {
			return true
		}
	}
	return false
}

// isUTF16 reports whether b looks like UTF-16 without a BOM ("<\x00" or "\x00<").
func isUTF16(b []byte) bool {
	return len(b) >= 2 && (b[0] == 0 || b[1] == 0)
}

// utf16Sniff returns b with NUL bytes dropped from its head when it looks
// like BOM-less UTF-16, so the XML declaration can be read.
func utf16Sniff(b []byte) []byte {
	if !isUTF16(b) {
		return b
	}
	h := head(b, 2048)
	return bytes.ReplaceAll(h, []byte{0}, nil)
}

func head(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}

// decodeWith converts b with enc; nil means b is already UTF-8. Invalid
// UTF-8 sequences are replaced so that downstream parsers see valid text.
func decodeWith(enc encoding.Encoding, b []byte) []byte {
	if enc == nil {
		if utf8.Valid(b) {
			return b
		}
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	out, _, err := transform.Bytes(enc.NewDecoder(), b)
	if err != nil {
		return bytes.ToValidUTF8(b, []byte("\uFFFD"))
	}
	return out
}

// rewriteXMLDecl makes the XML declaration of an already-decoded document
// say UTF-8.
func rewriteXMLDecl(b []byte) []byte {
	b = bytes.TrimPrefix(b, []byte{0xEF, 0xBB, 0xBF})
	loc := xmlDecl.FindSubmatchIndex(head(b, 1024))
	if loc == nil || strings.EqualFold(string(b[loc[2]:loc[3]]), "utf-8") {
		return b
	}
	out := make([]byte, 0, len(b))
	out = append(out, b[:loc[2]]...)
	out = append(out, "utf-8"...)
	return append(out, b[loc[3]:]...)
}
