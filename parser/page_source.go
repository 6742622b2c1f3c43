package parser

import (
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/andybalholm/cascadia"
	"golang.org/x/net/publicsuffix"
)

// SourceOptions say how ParseSitemap and ParsePage read a source. The zero
// value reads a sitemap, or a section page by link discovery, taking only
// links to the source's own site and dates without a zone as UTC.
type SourceOptions struct {
	// Items, Title and Date are CSS selectors of a section page (ParsePage):
	// Items the article links, or the elements that hold one each; Title
	// and Date are looked up inside each item (inside the link's parent
	// when Items selects links). Without Items the page's links are found
	// by the generic rule (see ParsePage).
	Items, Title, Date string
	// Hosts are other hosts whose links are taken (a host also allows its
	// subdomains). By default only links to the source's own site are:
	// its host, and hosts of the same registrable domain.
	Hosts []string
	// Zone is the zone of dates that name none; nil means UTC. The site
	// rule's zone is (*Extractor).Zone.
	Zone *time.Location
}

// Check reports a selector that does not compile, or Title or Date
// without Items.
func (o SourceOptions) Check() error {
	_, err := o.selectors()
	return err
}

// pageSelectors are the compiled selectors of SourceOptions; nil when not set.
type pageSelectors struct {
	items, title, date goquery.Matcher
}

// selectors compiles the options' selectors. goquery would compile a bad
// selector to one that matches nothing; cascadia says what is wrong.
func (o SourceOptions) selectors() (pageSelectors, error) {
	var s pageSelectors
	for _, f := range []struct {
		name, sel string
		dst       *goquery.Matcher
	}{{"items", o.Items, &s.items}, {"title", o.Title, &s.title}, {"date", o.Date, &s.date}} {
		if strings.TrimSpace(f.sel) == "" {
			continue
		}
		c, err := cascadia.Compile(f.sel) // a group: "a.title, h2 a"
		if err != nil {
			return s, fmt.Errorf("%s selector %q: %v", f.name, f.sel, err)
		}
		*f.dst = c
	}
	if s.items == nil && (s.title != nil || s.date != nil) {
		return s, fmt.Errorf("title and date selectors need an items selector: they are looked up inside each item")
	}
	return s, nil
}

// zone returns the location of zone-less dates.
func (o SourceOptions) zone() *time.Location {
	if o.Zone == nil {
		return time.UTC
	}
	return o.Zone
}

// Zone returns the zone of dates that name none on the pages at u: the
// site rule's (UTC+7 for VietnamPlus), else UTC. Sitemaps and section
// pages take it for their dates as article pages do.
func (e *Extractor) Zone(u string) *time.Location {
	if e == nil {
		return time.UTC
	}
	if r := e.ruleFor(u); r != nil && r.zone != 0 {
		return time.FixedZone("", r.zone)
	}
	return time.UTC
}

// hostFilter decides which links of a source are taken: those of the
// source's own site and of the allowed hosts. It remembers its answer per
// host, since a sitemap or page links to few hosts, many times.
type hostFilter struct {
	site    string   // registrable domain of the source, or its host (an IP, localhost)
	allowed []string // lower-case hosts from SourceOptions.Hosts
	seen    map[string]bool
}

func newHostFilter(sourceURL string, hosts []string) *hostFilter {
	h := &hostFilter{allowed: compileHosts(hosts), seen: map[string]bool{}}
	if u, err := url.Parse(sourceURL); err == nil {
		h.site = siteOf(u.Hostname())
	}
	return h
}

// allows reports whether links to the canonical URL u are taken.
func (h *hostFilter) allows(u string) bool {
	host := canonicalHost(u)
	ok, seen := h.seen[host]
	if !seen {
		ok = h.decide(host)
		h.seen[host] = ok
	}
	return ok
}

func (h *hostFilter) decide(host string) bool {
	if host == "" {
		return false
	}
	if siteOf(host) == h.site {
		return true
	}
	for _, a := range h.allowed {
		if host == a || strings.HasSuffix(host, "."+a) {
			return true
		}
	}
	return false
}

// canonicalHost returns the host name of a URL in CanonicalURL's form
// (scheme://host[:port]/...), without the port.
func canonicalHost(u string) string {
	_, rest, ok := strings.Cut(u, "://")
	if !ok {
		return ""
	}
	if i := strings.IndexAny(rest, "/?#"); i >= 0 {
		rest = rest[:i]
	}
	if strings.HasPrefix(rest, "[") { // an IPv6 literal
		if i := strings.IndexByte(rest, ']'); i > 0 {
			return rest[1:i]
		}
	}
	if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		rest = rest[:i]
	}
	return strings.ToLower(strings.TrimSuffix(rest, "."))
}

// siteOf returns the registrable domain of host (news.example.co.uk ->
// example.co.uk), or host itself for an IP address, a single label or a
// public suffix.
func siteOf(host string) string {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	if net.ParseIP(host) != nil || !strings.Contains(host, ".") {
		return host
	}
	if d, err := publicsuffix.EffectiveTLDPlusOne(host); err == nil {
		return d
	}
	return host
}

// offHostNote says how many links a bound or the host filter left out.
func offHostNote(n int) string {
	return fmt.Sprintf("ignored %d link(s) to other sites (list their hosts under hosts: to take them)", n)
}
