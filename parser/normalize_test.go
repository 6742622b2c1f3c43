package parser

import (
	"errors"
	"fmt"
	"testing"
)

func TestCanonicalURL(t *testing.T) {
	const base = "https://www.vietnamplus.vn/rss/thoisu.rss"
	tests := []struct {
		name, raw, base, want string
	}{
		{"already canonical", "https://www.vietnamplus.vn/a-post1.vnp", "", "https://www.vietnamplus.vn/a-post1.vnp"},
		{"scheme and host case", "HTTPS://WWW.VietnamPlus.VN/A-Post1.vnp", "", "https://www.vietnamplus.vn/A-Post1.vnp"},
		{"default https port", "https://example.com:443/x", "", "https://example.com/x"},
		{"default http port", "http://example.com:80/x", "", "http://example.com/x"},
		{"other port kept", "http://example.com:8080/x", "", "http://example.com:8080/x"},
		{"fragment dropped", "https://example.com/x#comments", "", "https://example.com/x"},
		{"hash-bang kept", "https://example.com/#!/story/1", "", "https://example.com/#!/story/1"},
		{"empty path", "https://example.com", "", "https://example.com/"},
		{"trailing dot host", "https://example.com./x", "", "https://example.com/x"},
		{"utm stripped", "https://example.com/x?utm_source=rss&utm_medium=feed&UTM_Campaign=a", "", "https://example.com/x"},
		{"click ids stripped, order kept", "https://example.com/x?b=2&fbclid=IwAR&a=1&gclid=x&dclid=y&msclkid=z&c=3", "", "https://example.com/x?b=2&a=1&c=3"},
		{"more trackers", "https://example.com/x?mc_cid=1&mc_eid=2&yclid=3&_ga=4&igshid=5&ref_src=twsrc&id=7", "", "https://example.com/x?id=7"},
		{"ordinary params kept", "https://example.com/search?q=mua+b%C3%A1n+ng%C6%B0%E1%BB%9Di&page=2", "", "https://example.com/search?q=mua+b%C3%A1n+ng%C6%B0%E1%BB%9Di&page=2"},
		{"empty params dropped", "https://example.com/x?&a=1&&", "", "https://example.com/x?a=1"},
		{"only tracking leaves no ?", "https://example.com/x?utm_source=a", "", "https://example.com/x"},
		{"relative path", "ha-noi-post2.vnp", base, "https://www.vietnamplus.vn/rss/ha-noi-post2.vnp"},
		{"relative root", "/ha-noi-post2.vnp?utm_source=rss", base, "https://www.vietnamplus.vn/ha-noi-post2.vnp"},
		{"dot segments", "../a/./b/../c.html", "https://example.com/x/y/z.html", "https://example.com/x/a/c.html"},
		{"dot segments absolute", "https://example.com/x/../y", "", "https://example.com/y"},
		{"scheme relative", "//CDN.example.com/img", base, "https://cdn.example.com/img"},
		{"whitespace and newlines", "  https://example.com/a\n/b\t ", "", "https://example.com/a/b"},
		{"IDN host lower-cased to punycode", "https://BÁO.Example.VN/tin", "", "https://xn--bo-mia.example.vn/tin"},
		{"IDN host already punycode", "https://xn--bo-mia.example.vn/tin", "", "https://xn--bo-mia.example.vn/tin"},
		{"Arabic IDN", "http://مثال.إختبار/", "", "http://xn--mgbh0fb.xn--kgbechtv/"},
		{"unicode path escaped", "https://vi.wikipedia.org/wiki/Hà_Nội", "", "https://vi.wikipedia.org/wiki/H%C3%A0_N%E1%BB%99i"},
		{"lower-case escapes upper-cased", "https://vi.wikipedia.org/wiki/H%c3%a0", "", "https://vi.wikipedia.org/wiki/H%C3%A0"},
		{"space in query escaped", "https://example.com/s?q=a b", "", "https://example.com/s?q=a%20b"},
		{"ipv6 with default port", "http://[::1]:80/x", "", "http://[::1]/x"},
		{"ipv6 with port", "http://[::1]:8080/x", "", "http://[::1]:8080/x"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := CanonicalURL(tt.raw, tt.base)
			if err != nil || got != tt.want {
				t.Errorf("CanonicalURL(%q, %q) = %q, %v, want %q", tt.raw, tt.base, got, err, tt.want)
			}
		})
	}
}

func TestCanonicalURLRejects(t *testing.T) {
	tests := []struct{ raw, base string }{
		{"", "https://example.com/"},
		{"   ", "https://example.com/"},
		{"javascript:alert(1)", "https://example.com/"},
		{"mailto:news@example.com", ""},
		{"ftp://example.com/file", ""},
		{"data:text/html,hi", ""},
		{"relative/only", ""},
		{"relative/only", "also/relative"},
		{"http://", ""},
		{"http:///path", ""},
		{"https://exa mple.com/", ""},
		{"http://[::1", ""},
	}
	for _, tt := range tests {
		got, err := CanonicalURL(tt.raw, tt.base)
		if !errors.Is(err, ErrBadURL) {
			t.Errorf("CanonicalURL(%q, %q) = %q, %v, want ErrBadURL", tt.raw, tt.base, got, err)
		}
	}
}

func ExampleCanonicalURL() {
	u, _ := CanonicalURL("/Triet-pha-post1.vnp?utm_source=rss&page=2#top", "HTTPS://www.VietnamPlus.vn:443/rss/home.rss")
	fmt.Println(u)
	// Output: https://www.vietnamplus.vn/Triet-pha-post1.vnp?page=2
}

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://example.com/x?utm_source=a&b=1#f", "/rel/path", "//host/x", "HTTPS://BÁO.VN:443/", "javascript:x", "http://[::1]:80/"} {
		f.Add(s, "https://base.example.com/dir/feed.xml")
	}
	f.Fuzz(func(t *testing.T, raw, base string) {
		got, err := CanonicalURL(raw, base)
		if err != nil {
			return
		}
		again, err := CanonicalURL(got, "")
		if err != nil || again != got {
			t.Errorf("CanonicalURL(%q, %q) = %q, not stable: CanonicalURL again = %q, %v", raw, base, got, again, err)
		}
	})
}

func TestFeedHTMLText(t *testing.T) {
	tests := []struct {
		in         string
		paragraphs bool
		want       string
	}{
		{"plain   text\n with  spaces ", false, "plain text with spaces"},
		{"AT&amp;T &lt;b&gt; &#7871;", false, "AT&T <b> ế"},
		{"<p>Một</p><p>Hai <b>ba</b></p>", true, "Một\nHai ba"},
		{"<p>Một</p><p>Hai</p>", false, "Một Hai"},
		{"人口<em>贩运</em>受害者", false, "人口贩运受害者"},
		{"<p>نص عربي</p><script>var x = 1;</script><style>p{}</style>", true, "نص عربي"},
		{"line<br>break<br/>again", true, "line\nbreak\nagain"},
		{"Vie\u0323\u0302t Nam", false, "Việt Nam"}, // NFD to NFC
		{"", false, ""},
		{"<img src=x>", true, ""},
	}
	for _, tt := range tests {
		if got := feedHTMLText(tt.in, tt.paragraphs); got != tt.want {
			t.Errorf("feedHTMLText(%q, %v) = %q, want %q", tt.in, tt.paragraphs, got, tt.want)
		}
	}
}
