package parser

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/idna"
	"golang.org/x/text/unicode/norm"
)

// ErrBadURL reports a link that cannot be made into an absolute http(s) URL.
var ErrBadURL = errors.New("not an absolute http(s) url")

// CanonicalURL resolves raw against base and normalises it, so the same
// article reached through different links gets one identity: the scheme
// and host are lower-cased (internationalised hosts in their ASCII,
// punycode form), default ports, fragments and tracking parameters
// (utm_*, fbclid, gclid, ...) are dropped, an empty path becomes "/", and
// the remaining query parameters keep their order and spelling. Links that
// do not resolve to http or https are rejected with ErrBadURL.
func CanonicalURL(raw, base string) (string, error) {
	raw = urlStripSpace(raw)
	if raw == "" {
		return "", fmt.Errorf("canonical url: empty: %w", ErrBadURL)
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("canonical url %q: %w", raw, ErrBadURL)
	}
	if !u.IsAbs() || u.Host == "" {
		b, err := url.Parse(urlStripSpace(base))
		if err != nil || !b.IsAbs() {
			return "", fmt.Errorf("canonical url %q (base %q): %w", raw, base, ErrBadURL)
		}
		u = b.ResolveReference(u)
	} else {
		u = u.ResolveReference(&url.URL{}) // removes dot segments
	}
	u.Scheme = strings.ToLower(u.Scheme)
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("canonical url %q: scheme %q: %w", raw, u.Scheme, ErrBadURL)
	}
	host, err := urlHost(u)
	if err != nil {
		return "", fmt.Errorf("canonical url %q: %w", raw, err)
	}
	u.Host = host
	if u.Path == "" {
		u.Path, u.RawPath = "/", ""
	}
	if strings.HasPrefix(u.Fragment, "!") { // hash-bang pages are identified by their fragment
		u.RawFragment = ""
	} else {
		u.Fragment, u.RawFragment = "", ""
	}
	u.RawQuery = urlCleanQuery(u.RawQuery)
	u.ForceQuery = false
	return urlUpperEscapes(u.String()), nil
}

// urlStripSpace trims raw and drops tabs and newlines inside it, as
// browsers do.
func urlStripSpace(raw string) string {
	raw = strings.TrimSpace(raw)
	if strings.ContainsAny(raw, "\t\r\n") {
		raw = strings.NewReplacer("\t", "", "\r", "", "\n", "").Replace(raw)
	}
	return raw
}

// urlHost returns the lower-case ASCII host[:port] of u without a default
// port.
func urlHost(u *url.URL) (string, error) {
	host, port := u.Hostname(), u.Port()
	if host == "" {
		return "", fmt.Errorf("no host: %w", ErrBadURL)
	}
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if ascii, err := idna.Lookup.ToASCII(host); err == nil {
		host = ascii
	}
	if (u.Scheme == "http" && port == "80") || (u.Scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") { // IPv6 literal
		host = "[" + host + "]"
	}
	if port != "" {
		return net.JoinHostPort(strings.Trim(host, "[]"), port), nil
	}
	return host, nil
}

// urlTrackingParams are query parameters that only identify a campaign or
// click, never the page.
var urlTrackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "gclsrc": true, "dclid": true, "gbraid": true, "wbraid": true,
	"msclkid": true, "mc_cid": true, "mc_eid": true, "yclid": true, "_ga": true, "_gl": true,
	"igshid": true, "ref_src": true, "ref_url": true, "twclid": true, "ttclid": true, "li_fat_id": true,
	"_hsenc": true, "_hsmi": true, "mkt_tok": true, "oly_anon_id": true, "oly_enc_id": true,
	"vero_id": true, "vero_conv": true, "wt.mc_id": true, "s_cid": true, "icid": true,
	"at_medium": true, "at_campaign": true, "at_source": true, "ncid": true, "sr_share": true,
	"fb_action_ids": true, "fb_action_types": true, "fb_source": true, "fb_ref": true,
	"__twitter_impression": true, "pk_campaign": true, "pk_kwd": true, "pk_source": true, "pk_medium": true,
}

// urlIsTracking reports whether the query key names a tracking parameter.
func urlIsTracking(key string) bool {
	if k, err := url.QueryUnescape(key); err == nil {
		key = k
	}
	key = strings.ToLower(key)
	return strings.HasPrefix(key, "utm_") || urlTrackingParams[key]
}

// urlCleanQuery drops tracking and empty parameters from a raw query,
// keeping the others in order, and escapes bytes not allowed in a query.
func urlCleanQuery(q string) string {
	if q == "" {
		return ""
	}
	var kept []string
	for part := range strings.SplitSeq(q, "&") {
		if part == "" {
			continue
		}
		key, _, _ := strings.Cut(part, "=")
		if urlIsTracking(key) {
			continue
		}
		kept = append(kept, urlEscapeQuery(part))
	}
	return strings.Join(kept, "&")
}

// urlEscapeQuery percent-encodes spaces, controls, non-ASCII bytes and the
// characters a URL never carries raw.
func urlEscapeQuery(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"<>\^{|}`+"`", c) >= 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// urlUpperEscapes upper-cases the hex digits of percent escapes, so "%c3"
// and "%C3" give one URL.
func urlUpperEscapes(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' && urlIsHex(b[i+1]) && urlIsHex(b[i+2]) {
			b[i+1], b[i+2] = urlUpperHex(b[i+1]), urlUpperHex(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func urlIsHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func urlUpperHex(c byte) byte {
	if 'a' <= c && c <= 'f' {
		return c - 'a' + 'A'
	}
	return c
}

// feedBlockTags break paragraphs when converting HTML to text.
var feedBlockTags = map[string]bool{
	"p": true, "div": true, "br": true, "li": true, "ul": true, "ol": true, "dl": true, "dt": true, "dd": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "tr": true, "table": true,
	"blockquote": true, "section": true, "article": true, "header": true, "footer": true, "aside": true,
	"figure": true, "figcaption": true, "pre": true, "hr": true, "address": true, "main": true, "nav": true,
}

// feedSkipTags have content that is never text.
var feedSkipTags = map[string]bool{"script": true, "style": true, "noscript": true, "template": true, "iframe": true, "object": true, "svg": true, "head": true}

// feedHTMLText converts an HTML fragment (or plain text with entities) to
// NFC plain text: tags are dropped, entities decoded, whitespace collapsed.
// Paragraphs are joined with "\n" when paragraphs is set, else with a space.
func feedHTMLText(s string, paragraphs bool) string {
	if !strings.Contains(s, "<") {
		if strings.Contains(s, "&") {
			s = html.UnescapeString(s)
		}
		return feedJoin([]string{s}, paragraphs)
	}
	var paras []string
	var cur strings.Builder
	skip := 0
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			return feedJoin(append(paras, cur.String()), paragraphs)
		case html.TextToken:
			if skip == 0 {
				cur.Write(z.Text())
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			if feedSkipTags[string(name)] && tt != html.SelfClosingTagToken {
				if tt == html.StartTagToken {
					skip++
				} else if skip > 0 {
					skip--
				}
			}
			if feedBlockTags[string(name)] {
				paras = append(paras, cur.String())
				cur.Reset()
			}
		}
	}
}

// feedJoin collapses the whitespace of each paragraph, drops empty ones,
// joins them with "\n" (paragraphs) or a space, and normalises to NFC.
func feedJoin(paras []string, paragraphs bool) string {
	sep := " "
	if paragraphs {
		sep = "\n"
	}
	var b strings.Builder
	for _, p := range paras {
		words := strings.Fields(p)
		if len(words) == 0 {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(sep)
		}
		for i, w := range words {
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
	}
	return norm.NFC.String(b.String())
}
