package parser

import (
	"testing"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/encoding/unicode/utf32"
)

func charsetEncode(t *testing.T, enc encoding.Encoding, s string) []byte {
	t.Helper()
	b, err := enc.NewEncoder().Bytes([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestDecodeXML(t *testing.T) {
	const ar = `<?xml version="1.0"?><rss><title>الاتجار بالبشر</title></rss>`
	const vi = `<?xml version="1.0" encoding="UTF-16"?><rss><title>Mua bán người</title></rss>`
	const viUTF8 = `<?xml version="1.0" encoding="utf-8"?><rss><title>Mua bán người</title></rss>`
	tests := []struct {
		name        string
		body        []byte
		contentType string
		want        string
	}{
		{"windows-1256 from header only", charsetEncode(t, charmap.Windows1256, ar), "application/rss+xml; charset=windows-1256", ar},
		{"utf-8 untouched", []byte(viUTF8), "", viUTF8},
		{"utf-8 mislabelled latin-1 in header", []byte(viUTF8), "text/xml; charset=iso-8859-1", viUTF8},
		{"utf-16le bom", charsetEncode(t, unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), vi), "", viUTF8},
		{"utf-16be bom", charsetEncode(t, unicode.UTF16(unicode.BigEndian, unicode.UseBOM), vi), "", viUTF8},
		{"utf-16be no bom", charsetEncode(t, unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), vi), "", viUTF8},
		{"utf-16le no bom, header says utf-16", charsetEncode(t, unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), vi), "text/xml; charset=utf-16", viUTF8},
		{"utf-32le bom", charsetEncode(t, utf32.UTF32(utf32.LittleEndian, utf32.UseBOM), vi), "", viUTF8},
		{"utf-32be no bom", charsetEncode(t, utf32.UTF32(utf32.BigEndian, utf32.IgnoreBOM), vi), "", viUTF8},
		{"undeclared latin-1 bytes", []byte("<rss><title>caf\xe9</title></rss>"), "", "<rss><title>café</title></rss>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := string(DecodeXML(tt.body, tt.contentType)); got != tt.want {
				t.Errorf("DecodeXML(%q, %q) = %q, want %q", tt.body, tt.contentType, got, tt.want)
			}
		})
	}
}

func TestDecodeHTML(t *testing.T) {
	page := `<html><head><meta charset="windows-1256"></head><body>الأمم المتحدة</body></html>`
	got, name := DecodeHTML(charsetEncode(t, charmap.Windows1256, page), "text/html")
	if string(got) != page || name != "windows-1256" {
		t.Errorf("DecodeHTML(windows-1256 page) = %q, %q, want %q, windows-1256", got, name, page)
	}
}

func TestMetaCharset(t *testing.T) {
	tests := map[string]string{
		`<meta charset="gb2312">`: "gb2312",
		`<meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2">`:  "iso-8859-2",
		`<script charset="utf-8" src="a.js"></script><meta charset="windows-1251">`: "windows-1251",
		`<script charset="utf-8" src="consent.js"></script>`:                        "",
		`<link rel="stylesheet" charset="utf-8" href="a.css">`:                      "",
		`<script>var s = '<meta charset="utf-8">';</script>`:                        "",
		`<meta name="description" content="text/html; charset=koi8-r">`:             "",
		`<meta charset="no-such-charset">`:                                          "",
	}
	for in, want := range tests {
		if got := metaCharset([]byte(in)); got != want {
			t.Errorf("metaCharset(%q) = %q, want %q", in, got, want)
		}
	}
}
