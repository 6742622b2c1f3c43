package fetcher

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultContact is where a site's operator learns about newswatch when the
// operator of this instance has set no contact of their own.
const DefaultContact = "https://github.com/newswatch/newswatch"

// robotsAgent is the product token matched against robots.txt groups and
// sent first in the User-Agent.
const robotsAgent = "newswatch"

// accept lists what newswatch fetches: feeds first, then pages.
const accept = "application/rss+xml, application/atom+xml, application/feed+json, " +
	"application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"

// Options configures a Client. The zero value means sensible defaults.
type Options struct {
	UserAgent             string        // the whole header; default "newswatch/<Version> (+<Contact>)"
	Version               string        // newswatch's version, for the default User-Agent; default "devel"
	Contact               string        // URL or mailto: where sites can reach the operator; default DefaultContact
	Timeout               time.Duration // overall per Fetch, redirects and body read included; default 30s
	DialTimeout           time.Duration // default 10s
	TLSHandshakeTimeout   time.Duration // default 10s
	ResponseHeaderTimeout time.Duration // default 15s
	MaxBodySize           int64         // decompressed bytes; larger bodies fail with ErrTooLarge; default 15 MiB
	MaxRedirects          int           // default 5; negative means none
	AllowPrivateNetworks  bool          // disables the SSRF guard (tests, intranet feeds)
	PerHostConcurrency    int           // concurrent requests per host; default 2
	PerHostRate           float64       // requests per second per host; default 2; negative means unlimited
	PerHostBurst          int           // requests allowed at once before the rate applies; default PerHostRate
	IgnoreRobots          bool          // FetchPage fetches without reading robots.txt
	CaptureExchange       bool          // FetchPage's Response carries the raw Exchange (see exchange.go)
	ErrorCounter          ErrorCounter  // if set, counts failed fetches by kind (metrics)
}

func (o Options) withDefaults() Options {
	def := func(v *time.Duration, d time.Duration) {
		if *v <= 0 {
			*v = d
		}
	}
	if o.UserAgent == "" {
		o.UserAgent = fmt.Sprintf("%s/%s (+%s)", robotsAgent, cmp.Or(o.Version, "devel"), cmp.Or(o.Contact, DefaultContact))
	}
	def(&o.Timeout, 30*time.Second)
	def(&o.DialTimeout, 10*time.Second)
	def(&o.TLSHandshakeTimeout, 10*time.Second)
	def(&o.ResponseHeaderTimeout, 15*time.Second)
	if o.MaxBodySize <= 0 {
		o.MaxBodySize = 15 << 20
	}
	if o.MaxRedirects == 0 {
		o.MaxRedirects = 5
	}
	if o.PerHostConcurrency <= 0 {
		o.PerHostConcurrency = 2
	}
	if o.PerHostRate == 0 {
		o.PerHostRate = 2
	}
	if o.PerHostBurst <= 0 {
		o.PerHostBurst = max(int(o.PerHostRate), 1)
	}
	return o
}

// Validators are the cache validators of a previous response, sent back to
// make the request conditional.
type Validators struct{ ETag, LastModified string }

// Response is a successful (2xx) or not-modified (304) answer.
type Response struct {
	URL         string        // final URL after redirects
	StatusCode  int           // 2xx or 304
	Header      http.Header   // of the final response
	ContentType string        // the Content-Type header as sent, possibly empty
	Body        []byte        // decompressed; charset not decoded
	NotModified bool          // 304: Body is empty
	Validators  Validators    // of this response; on 304 the ones sent unless the server sent new ones
	MaxAge      time.Duration // freshness from Cache-Control max-age, else Expires-Date; 0 if none
	Duration    time.Duration // from the first request sent to the body read, redirects included
	// Exchange is the raw exchange, redirects included, of a FetchPage
	// with Options.CaptureExchange; nil otherwise, and when a body as
	// transferred was over MaxBodySize.
	Exchange *Exchange
}

// Client fetches feeds and pages. It is safe for concurrent use; share one.
type Client struct {
	opts   Options
	hc     *http.Client
	hosts  *hostLimits
	robots *robotsCache
	check  checkFunc
}

// New returns a Client configured by o.
func New(o Options) *Client {
	var check checkFunc
	if !o.AllowPrivateNetworks {
		check = CheckAddr
	}
	return newClient(o, check)
}

func newClient(o Options, check checkFunc) *Client {
	o = o.withDefaults()
	c := &Client{
		opts: o,
		hc: &http.Client{
			Transport:     newTransport(o, check),
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		},
		hosts: newHostLimits(o),
		check: check,
	}
	c.robots = newRobotsCache(c)
	return c
}

// fetchState is what the hops of one Fetch share.
type fetchState struct {
	v            Validators
	limit        int64 // body size cap
	truncate     bool  // a longer body is cut to limit instead of refused
	maxRedirects int
	// before, if set, vets each URL of the chain before it is requested.
	before   func(context.Context, *url.URL) error
	start    time.Time
	deadline time.Time // set when the first request is sent
	// capture asks for the raw exchange: its hops so far, and whether a
	// body was over the cap (see exchange.go).
	capture   bool
	hops      []Hop
	truncated bool
}

// Fetch GETs rawURL, following redirects, and returns the final 2xx or 304
// response. Other final statuses are returned as *StatusError.
//
// Before each request Fetch waits for a slot of the host (concurrency,
// rate, Retry-After hold); that wait ends only with ctx, except that a hold
// longer than Options.Timeout or than ctx's deadline fails at once with
// *HostBackoffError. Options.Timeout starts when the first request is sent
// and covers redirects and the body read; it fails with an error wrapping
// context.DeadlineExceeded.
//
// Fetch is for URLs a user asked for, such as subscribed feeds and
// sitemaps, which feed readers fetch without consulting robots.txt; pages
// found in them go through FetchPage.
func (c *Client) Fetch(ctx context.Context, rawURL string, v Validators) (*Response, error) {
	return c.counted(c.fetch(ctx, rawURL, &fetchState{v: v, limit: c.opts.MaxBodySize, maxRedirects: c.opts.MaxRedirects}))
}

// FetchPage is Fetch for a page newswatch crawls on its own, such as the
// article a feed item links to. Unless Options.IgnoreRobots is set, every
// URL of the redirect chain is first checked against its host's
// robots.txt (see doc.go): a URL the rules disallow to newswatch fails with
// an error wrapping ErrDisallowed and is never requested, and while a
// host's robots.txt is unreachable its pages fail with
// *RobotsUnreachableError, which is Temporary.
func (c *Client) FetchPage(ctx context.Context, rawURL string, v Validators) (*Response, error) {
	st := &fetchState{v: v, limit: c.opts.MaxBodySize, maxRedirects: c.opts.MaxRedirects, capture: c.opts.CaptureExchange}
	if !c.opts.IgnoreRobots {
		st.before = c.robots.check
	}
	return c.counted(c.fetch(ctx, rawURL, st))
}

// fetch follows the redirect chain from rawURL as st says.
func (c *Client) fetch(ctx context.Context, rawURL string, st *fetchState) (*Response, error) {
	u, err := c.parseURL(nil, rawURL)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", redactRaw(rawURL), err)
	}
	origin := u.Redacted()
	for redirects := 0; ; redirects++ {
		if st.before != nil {
			if err := st.before(ctx, u); err != nil {
				return nil, fmt.Errorf("fetch %s: %w", u.Redacted(), err)
			}
		}
		resp, next, err := c.exchange(ctx, u, st)
		if err != nil || next == nil {
			return resp, err
		}
		if redirects >= st.maxRedirects {
			return nil, fmt.Errorf("fetch %s: %w (limit %d, next %s)",
				origin, ErrTooManyRedirects, max(st.maxRedirects, 0), next.Redacted())
		}
		u = next
	}
}

// parseURL resolves ref against base (nil for the first URL) and checks
// that the result is an http or https URL with a host we may contact.
func (c *Client) parseURL(base *url.URL, ref string) (*url.URL, error) {
	u, err := url.Parse(ref)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	if base != nil {
		u = base.ResolveReference(u)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("%w: scheme %q", ErrInvalidURL, u.Scheme)
	}
	if u.Hostname() == "" {
		return nil, fmt.Errorf("%w: no host", ErrInvalidURL)
	}
	u.Fragment, u.RawFragment = "", ""
	return u, checkHost(u.Hostname(), c.check)
}

// exchange sends one request to u while holding u's host slot. It returns
// the final response, or the next URL to visit on a redirect.
func (c *Client) exchange(ctx context.Context, u *url.URL, st *fetchState) (*Response, *url.URL, error) {
	host := hostKey(u)
	actx, cancel := ctx, context.CancelFunc(func() {})
	if !st.deadline.IsZero() {
		actx, cancel = context.WithDeadline(ctx, st.deadline)
	}
	defer cancel()
	release, err := c.hosts.acquire(actx, host)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch %s: %w", u.Redacted(), err)
	}
	defer release()
	if st.deadline.IsZero() {
		st.start = time.Now()
		st.deadline = st.start.Add(c.opts.Timeout)
	}
	rctx, rcancel := context.WithDeadline(ctx, st.deadline)
	defer rcancel()
	req, err := c.newRequest(rctx, u, st.v)
	if err != nil {
		return nil, nil, fmt.Errorf("fetch %s: %w", u.Redacted(), err)
	}
	sent := time.Now()
	hr, err := c.hc.Do(req)
	if err != nil {
		return nil, nil, c.wrapErr(ctx, rctx, u, err)
	}
	defer hr.Body.Close()
	body, end := st.startHop(req, hr, sent)
	resp, next, err := c.handle(hr, body, end, u, st)
	if err != nil {
		return nil, nil, c.wrapErr(ctx, rctx, u, err)
	}
	return resp, next, nil
}

func (c *Client) newRequest(ctx context.Context, u *url.URL, v Validators) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidURL, err)
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)
	req.Header.Set("Accept", accept)
	req.Header.Set("Accept-Encoding", "gzip, deflate")
	if v.ETag != "" {
		req.Header.Set("If-None-Match", v.ETag)
	}
	if v.LastModified != "" {
		req.Header.Set("If-Modified-Since", v.LastModified)
	}
	return req, nil
}

// handle turns one HTTP response, whose body is read from body and its
// capture ended by end, into a Response, a redirect or an error.
func (c *Client) handle(hr *http.Response, body io.Reader, end func(whole bool), u *url.URL, st *fetchState) (*Response, *url.URL, error) {
	now := time.Now()
	resp := &Response{
		URL:         u.String(),
		StatusCode:  hr.StatusCode,
		Header:      hr.Header,
		ContentType: hr.Header.Get("Content-Type"),
		Validators:  Validators{ETag: hr.Header.Get("ETag"), LastModified: hr.Header.Get("Last-Modified")},
		MaxAge:      maxAge(hr.Header, now),
	}
	switch code := hr.StatusCode; {
	case isRedirect(code) && hr.Header.Get("Location") != "":
		drain(body)
		end(false)
		next, err := c.parseURL(u, hr.Header.Get("Location"))
		if err != nil {
			return nil, nil, fmt.Errorf("redirect: %w", err)
		}
		return nil, next, nil
	case code == http.StatusNotModified:
		drain(body)
		end(false)
		resp.NotModified = true
		resp.Validators.ETag = cmp.Or(resp.Validators.ETag, st.v.ETag)
		resp.Validators.LastModified = cmp.Or(resp.Validators.LastModified, st.v.LastModified)
	case code >= 200 && code <= 299:
		read := readBody
		if st.truncate {
			read = readPrefix
		}
		b, err := read(body, hr.Header.Get("Content-Encoding"), hr.ContentLength, st.limit)
		if err != nil {
			return nil, nil, err
		}
		end(true)
		resp.Body = b
	default:
		drain(body)
		end(false)
		ra := retryAfter(hr.Header, now)
		if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
			// The whole host slows down for a while; the full Retry-After
			// applies to this URL, which the caller reschedules from
			// RetryAfter(err). Holding the host for hours would make one
			// rate-limited endpoint fail every other feed on a shared host.
			c.hosts.hold(hostKey(u), min(ra, maxHostHold))
		}
		return nil, nil, &StatusError{URL: u.Redacted(), Code: code, RetryAfter: ra, Exchange: st.exchange()}
	}
	resp.Duration = time.Since(st.start)
	resp.Exchange = st.exchange()
	return resp, nil, nil
}

// wrapErr adds the URL to err and reports timeouts and cancellation as
// context errors, whatever layer noticed them first. A body over the size
// cap stays ErrTooLarge even if the deadline passed while it was read: the
// cap is a count of bytes, and a loaded machine must not turn it into a
// timeout.
func (c *Client) wrapErr(ctx, rctx context.Context, u *url.URL, err error) error {
	var se *StatusError
	if errors.As(err, &se) {
		return err
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err // its message repeats the method and URL
	}
	switch {
	case ctx.Err() != nil:
		return fmt.Errorf("fetch %s: %w", u.Redacted(), ctx.Err())
	case errors.Is(err, ErrTooLarge): // counted in bytes, whatever the clock said meanwhile
		return fmt.Errorf("fetch %s: %w", u.Redacted(), err)
	case rctx.Err() != nil && !errors.Is(err, context.DeadlineExceeded):
		return fmt.Errorf("fetch %s: timed out after %v: %w (%v)", u.Redacted(), c.opts.Timeout, rctx.Err(), err)
	case rctx.Err() != nil:
		return fmt.Errorf("fetch %s: timed out after %v: %w", u.Redacted(), c.opts.Timeout, err)
	}
	return fmt.Errorf("fetch %s: %w", u.Redacted(), err)
}

// hostKey names the host whose limits apply to u.
func hostKey(u *url.URL) string {
	// Host and port: two servers on one address (a shared host's different
	// ports, or test servers on 127.0.0.1) are limited separately.
	return strings.ToLower(u.Host)
}

func isRedirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

func drain(r io.Reader) { _, _ = io.CopyN(io.Discard, r, drainLimit) }

// redactRaw hides credentials in a URL that may not even parse.
func redactRaw(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Redacted()
	}
	return fmt.Sprintf("%q", raw)
}
