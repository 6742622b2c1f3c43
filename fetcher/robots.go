package fetcher

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"

	"github.com/jimsmart/grobotstxt"
	"golang.org/x/sync/singleflight"
)

// Limits of the robots.txt handling (RFC 9309).
const (
	// maxRobotsSize is how much of a robots.txt is read; the rest is
	// ignored, as RFC 9309 section 2.5 allows past 500 KiB.
	maxRobotsSize = 500 << 10
	// robotsRedirects is how many redirects are followed to robots.txt;
	// past them the file counts as unavailable (section 2.3.1.2).
	robotsRedirects = 5
	// robotsTTL is how long a robots.txt is used without asking again
	// (section 2.4); a Cache-Control max-age may shorten it, to no less
	// than minRobotsTTL.
	robotsTTL    = 24 * time.Hour
	minRobotsTTL = time.Hour
	// robotsRetry is the first wait after robots.txt was unreachable; it
	// doubles with each failure in a row, up to maxRobotsRetry.
	robotsRetry    = time.Minute
	maxRobotsRetry = time.Hour
	// maxCrawlDelay bounds the Crawl-delay obeyed: a site asking for an
	// hour between requests would keep a feed's first poll going for days.
	maxCrawlDelay = time.Minute
)

// robotsCache holds what the client knows of each site's robots.txt,
// keyed by scheme, host and port. Concurrent first requests to one site
// share a single fetch of its robots.txt.
type robotsCache struct {
	c     *Client
	now   func() time.Time
	group singleflight.Group

	mu        sync.Mutex
	sites     map[string]*robotsEntry
	nextPrune int
}

// robotsEntry is what is known of one site's robots.txt until expires.
type robotsEntry struct {
	url      string       // of the robots.txt, for messages
	rules    *robotsRules // nil while unreachable with no earlier copy
	expires  time.Time    // ask again from then on
	failures int          // unreachable answers in a row
	err      error        // the last failure, while unreachable
}

// robotsRules is a parsed robots.txt as it applies to newswatch.
type robotsRules struct {
	body  string        // the file (at most maxRobotsSize); empty allows everything
	delay time.Duration // Crawl-delay of newswatch's group; 0 if none
}

func newRobotsCache(c *Client) *robotsCache {
	return &robotsCache{c: c, now: time.Now, sites: make(map[string]*robotsEntry), nextPrune: 64}
}

// check returns nil if the robots.txt of u's site allows newswatch to
// fetch u, an error wrapping ErrDisallowed if it does not, and a
// *RobotsUnreachableError while the file cannot be read.
func (rc *robotsCache) check(ctx context.Context, u *url.URL) error {
	e, err := rc.entry(ctx, u)
	if err != nil {
		return err
	}
	if e.rules == nil {
		return &RobotsUnreachableError{URL: e.url, RetryAfter: max(e.expires.Sub(rc.now()), 0), Err: e.err}
	}
	if !e.rules.allows(u) {
		return fmt.Errorf("%w (%s)", ErrDisallowed, e.url)
	}
	return nil
}

// entry returns the current entry of u's site, fetching its robots.txt
// when there is none or it expired.
func (rc *robotsCache) entry(ctx context.Context, u *url.URL) (*robotsEntry, error) {
	key := siteKey(u)
	for {
		if e := rc.fresh(key); e != nil {
			return e, nil
		}
		v, err, _ := rc.group.Do(key, func() (any, error) { return rc.refresh(ctx, key, u) })
		if err == nil {
			return v.(*robotsEntry), nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// The caller that was fetching gave up (its context ended), not
		// this one: fetch again.
	}
}

// fresh returns the unexpired entry of the site key, or nil.
func (rc *robotsCache) fresh(key string) *robotsEntry {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if e := rc.sites[key]; e != nil && rc.now().Before(e.expires) {
		return e
	}
	return nil
}

// refresh fetches the robots.txt of the site key and stores what it
// says. It fails only when ctx ends.
func (rc *robotsCache) refresh(ctx context.Context, key string, u *url.URL) (*robotsEntry, error) {
	if e := rc.fresh(key); e != nil {
		return e, nil // stored by a fetch that ended while this caller waited
	}
	robotsURL := key + "/robots.txt"
	resp, err := rc.c.fetch(ctx, robotsURL, &fetchState{limit: maxRobotsSize, truncate: true, maxRedirects: robotsRedirects})
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	rc.mu.Lock()
	old := rc.sites[key]
	rc.mu.Unlock()
	e := newRobotsEntry(robotsURL, resp, err, old, rc.now())
	rc.store(key, e)
	var delay time.Duration
	if e.rules != nil {
		delay = e.rules.delay
	}
	rc.c.hosts.slowDown(hostKey(u), delay, time.Now().Add(e.expires.Sub(rc.now())))
	return e, nil
}

// newRobotsEntry turns the outcome of a robots.txt fetch into an entry,
// with RFC 9309's semantics: a 2xx file is obeyed; an unavailable one (4xx,
// too many redirects, a refused address) allows everything; an unreachable
// one (5xx, 429, a network failure) disallows everything, or keeps the
// earlier copy in force, until a retry after a growing back-off.
func newRobotsEntry(robotsURL string, resp *Response, err error, old *robotsEntry, now time.Time) *robotsEntry {
	e := &robotsEntry{url: robotsURL}
	switch {
	case err == nil:
		e.rules = parseRobots(resp.Body)
		ttl := robotsTTL
		if resp.MaxAge > 0 {
			ttl = min(max(resp.MaxAge, minRobotsTTL), robotsTTL)
		}
		e.expires = now.Add(ttl)
	case robotsUnavailable(err):
		e.rules = &robotsRules{}
		e.expires = now.Add(robotsTTL)
	default:
		e.err, e.failures = err, 1
		if old != nil {
			e.rules = old.rules
			e.failures = old.failures + 1
		}
		wait := min(robotsRetry<<min(e.failures-1, 16), maxRobotsRetry)
		e.expires = now.Add(max(wait, min(RetryAfter(err), maxRobotsRetry)))
	}
	return e
}

// robotsUnavailable reports whether a failed robots.txt fetch means "no
// robots.txt" (RFC 9309 section 2.3.1.3) rather than "cannot tell now".
func robotsUnavailable(err error) bool {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Code < 500 && se.Code != http.StatusTooManyRequests
	}
	return errors.Is(err, ErrTooManyRedirects) || errors.Is(err, ErrBlocked) || errors.Is(err, ErrInvalidURL)
}

// store records e for key, first dropping expired entries when the map
// has grown.
func (rc *robotsCache) store(key string, e *robotsEntry) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.sites) >= rc.nextPrune {
		now := rc.now()
		for k, old := range rc.sites {
			if !now.Before(old.expires) {
				delete(rc.sites, k)
			}
		}
		rc.nextPrune = max(64, 2*len(rc.sites))
	}
	rc.sites[key] = e
}

// siteKey names the site whose robots.txt applies to u: scheme, host and
// port, the default port left out.
func siteKey(u *url.URL) string {
	host := strings.ToLower(u.Host)
	if p := u.Port(); p == "80" && u.Scheme == "http" || p == "443" && u.Scheme == "https" {
		host = strings.TrimSuffix(host, ":"+p)
	}
	return u.Scheme + "://" + host
}

// parseRobots reads a robots.txt body: the rules of the group that
// applies to newswatch and its Crawl-delay. A body cut at maxRobotsSize
// loses its last, partial line: "Disallow: /private" cut to "Disallow: /"
// would disallow everything.
func parseRobots(body []byte) (r *robotsRules) {
	if len(body) >= maxRobotsSize {
		if i := bytes.LastIndexByte(body, '\n'); i >= 0 {
			body = body[:i+1]
		}
	}
	defer func() {
		if recover() != nil { // the library gave up on this file: stay away
			r = &robotsRules{body: "User-agent: *\nDisallow: /\n"}
		}
	}()
	g := &groupReader{}
	grobotstxt.Parse(string(body), g)
	return g.rules()
}

// allows reports whether the rules let newswatch fetch u. Matching is the
// library's (Google's reference parser, which RFC 9309 describes): the
// group of the product token "newswatch", else "*"; longest match wins,
// Allow on a tie; "*" and "$" patterns; percent-encoding normalised.
func (r *robotsRules) allows(u *url.URL) (ok bool) {
	if r.body == "" {
		return true
	}
	defer func() {
		if recover() != nil {
			ok = false // the library gave up on this file: stay away
		}
	}()
	return grobotstxt.AgentAllowed(r.body, robotsAgent, u.Scheme+"://"+u.Host+upperEscapes(u.RequestURI()))
}

// upperEscapes writes the hex digits of percent-escapes in upper case, as
// the library writes those of the rules, so "%e4" matches "%E4".
func upperEscapes(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' && isHex(b[i+1]) && isHex(b[i+2]) {
			b[i+1], b[i+2] = upperHex(b[i+1]), upperHex(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func isHex(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

func upperHex(c byte) byte {
	if 'a' <= c && c <= 'f' {
		return c - 'a' + 'A'
	}
	return c
}

// groupReader keeps, while the library parses a robots.txt, the records
// of the group that applies to newswatch: its own group if the file has
// one, else the "*" group. It follows the library's matcher record by
// record (user-agent lines in a row form a group, which an Allow or
// Disallow ends), so the compact file it writes gives the matcher the same
// answers as the whole file, without re-reading every other crawler's
// rules at each check (see FuzzRobots).
type groupReader struct {
	inSpecific, inGlobal, separator bool
	everSpecific                    bool
	specific, global                strings.Builder // "Allow: v" and "Disallow: v" lines
	specificDelay, globalDelay      *time.Duration
}

var _ grobotstxt.ParseHandler = (*groupReader)(nil)

// rules returns the compact rules of the group that applies.
func (g *groupReader) rules() *robotsRules {
	agent, lines, delay := "*", g.global.String(), g.globalDelay
	if g.everSpecific {
		agent, lines, delay = robotsAgent, g.specific.String(), g.specificDelay
	}
	r := &robotsRules{}
	if delay != nil {
		r.delay = *delay
	}
	if lines != "" {
		r.body = "User-agent: " + agent + "\n" + lines
	}
	return r
}

func (g *groupReader) HandleRobotsStart()        { *g = groupReader{} }
func (g *groupReader) HandleRobotsEnd()          {}
func (g *groupReader) HandleSitemap(int, string) {}

func (g *groupReader) HandleUserAgent(_ int, agent string) {
	if g.separator {
		g.inSpecific, g.inGlobal, g.separator = false, false, false
	}
	if agent != "" && agent[0] == '*' && (len(agent) == 1 || unicode.IsSpace(rune(agent[1]))) {
		g.inGlobal = true
	} else if strings.EqualFold(productToken(agent), robotsAgent) {
		g.inSpecific, g.everSpecific = true, true
	}
}

func (g *groupReader) HandleAllow(_ int, value string)    { g.rule("Allow: ", value) }
func (g *groupReader) HandleDisallow(_ int, value string) { g.rule("Disallow: ", value) }

func (g *groupReader) rule(key, value string) {
	if !g.inSpecific && !g.inGlobal {
		return
	}
	g.separator = true
	b := &g.global
	if g.inSpecific {
		b = &g.specific
	}
	b.WriteString(key)
	b.WriteString(value)
	b.WriteByte('\n')
}

func (g *groupReader) HandleUnknownAction(_ int, action, value string) {
	if !strings.EqualFold(action, "crawl-delay") {
		return
	}
	d, ok := parseCrawlDelay(value)
	switch {
	case !ok:
	case g.inSpecific && g.specificDelay == nil:
		g.specificDelay = &d
	case g.inGlobal && !g.inSpecific && g.globalDelay == nil:
		g.globalDelay = &d
	}
}

// productToken returns the leading product token of a user-agent value
// ("newswatch/1.0" → "newswatch"), with the token characters of RFC 9110
// as the library reads them.
func productToken(agent string) string {
	end := strings.IndexFunc(agent, func(r rune) bool {
		return !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9' || strings.ContainsRune("~#$%'*+-.^_`|", r))
	})
	if end < 0 {
		return agent
	}
	return agent[:end]
}

// parseCrawlDelay parses a Crawl-delay value in seconds (fractions
// allowed), bounded by maxCrawlDelay.
func parseCrawlDelay(v string) (time.Duration, bool) {
	s, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(s) || s < 0 {
		return 0, false
	}
	if s >= maxCrawlDelay.Seconds() {
		return maxCrawlDelay, true
	}
	return time.Duration(s * float64(time.Second)), true
}
