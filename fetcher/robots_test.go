package fetcher

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jimsmart/grobotstxt"
	"golang.org/x/time/rate"
)

// robotsSite is a test site: /robots.txt is served by robots, every other
// path by a small page. It counts the requests of each path.
type robotsSite struct {
	*httptest.Server
	mu     sync.Mutex
	hits   map[string]int
	robots http.HandlerFunc
}

func newRobotsSite(t *testing.T, robots http.HandlerFunc) *robotsSite {
	t.Helper()
	s := &robotsSite{hits: map[string]int{}, robots: robots}
	s.Server = newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.hits[r.URL.RequestURI()]++
		robots := s.robots
		s.mu.Unlock()
		if r.URL.Path == "/robots.txt" {
			robots(w, r)
			return
		}
		fmt.Fprint(w, "<html><body><p>page</p></body></html>")
	}))
	return s
}

// serveRobots answers with status and body.
func serveRobots(status int, body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(status)
		fmt.Fprint(w, body)
	}
}

func (s *robotsSite) setRobots(h http.HandlerFunc) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.robots = h
}

func (s *robotsSite) requests(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[path]
}

// fakeClock is the robots cache's clock in tests.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// withClock gives c's robots cache a fake clock.
func withClock(c *Client) *fakeClock {
	clk := &fakeClock{now: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}
	c.robots.now = clk.Now
	return clk
}

// checkPage fetches path as a page and checks whether it was allowed: an
// allowed page is fetched, a disallowed one fails with ErrDisallowed and is
// never requested.
func checkPage(t *testing.T, c *Client, site *robotsSite, path string, allowed bool) {
	t.Helper()
	before := site.requests(path)
	_, err := c.FetchPage(t.Context(), site.URL+path, Validators{})
	requested := site.requests(path) - before
	if allowed {
		if err != nil || requested != 1 {
			t.Errorf("FetchPage(%s) error = %v, requested %d times; want fetched once", path, err, requested)
		}
		return
	}
	if !errors.Is(err, ErrDisallowed) || requested != 0 {
		t.Errorf("FetchPage(%s) error = %v, requested %d times; want ErrDisallowed, not requested", path, err, requested)
	}
	if Temporary(err) {
		t.Errorf("Temporary(%v) = true, want false", err)
	}
}

func TestFetchPageRobotsRules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		robots string
		pages  map[string]bool // path → allowed
	}{
		{
			name: "own group wins over star",
			robots: "User-agent: *\nDisallow: /\n\nUser-agent: otherbot\nDisallow: /news/\n\n" +
				"User-agent: NewsWatch\nDisallow: /private/\nAllow: /private/open/\n" +
				"Disallow: /*.pdf$\nDisallow: /*?print=\n",
			pages: map[string]bool{
				"/news/story-1.html":      true,
				"/private/memo.html":      false,
				"/private/open/note.html": true,
				"/files/report.pdf":       false,
				"/files/report.pdf?v=2":   true, // "$" anchors the end
				"/files/report.pdfx":      true,
				"/news/story-1?print=1":   false,
				"/news/story-1?page=2":    true,
			},
		},
		{
			name:   "star group applies without our own",
			robots: "# comment\nUser-agent: *\nDisallow: /search\nDisallow: /*/amp/\n\nUser-agent: GPTBot\nDisallow: /\n",
			pages: map[string]bool{
				"/search?q=x":       false,
				"/world/amp/a.html": false,
				"/world/a.html":     true,
			},
		},
		{
			name:   "allow wins a tie",
			robots: "User-agent: *\nDisallow: /page\nAllow: /page\n",
			pages:  map[string]bool{"/page": true},
		},
		{
			name:   "percent-encoding normalised",
			robots: "User-agent: *\nDisallow: /%E4%B8%AD/\n",
			pages:  map[string]bool{"/中/a.html": false, "/%e4%b8%ad/b.html": false, "/x/a.html": true},
		},
		{
			name:   "empty file",
			robots: "",
			pages:  map[string]bool{"/a": true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := newRobotsSite(t, serveRobots(http.StatusOK, tt.robots))
			c := newTestClient(t, Options{})
			for path, allowed := range tt.pages {
				checkPage(t, c, site, path, allowed)
			}
			if n := site.requests("/robots.txt"); n != 1 {
				t.Errorf("robots.txt requested %d times, want 1 (cached)", n)
			}
		})
	}
}

func TestFetchIgnoresRobots(t *testing.T) {
	t.Parallel()
	site := newRobotsSite(t, serveRobots(http.StatusOK, "User-agent: *\nDisallow: /\n"))
	c := newTestClient(t, Options{})
	// Feeds a user subscribed to are fetched as feed readers do.
	if _, err := c.Fetch(t.Context(), site.URL+"/feed.rss", Validators{}); err != nil {
		t.Errorf("Fetch(feed) error = %v", err)
	}
	off := newTestClient(t, Options{IgnoreRobots: true})
	if _, err := off.FetchPage(t.Context(), site.URL+"/a.html", Validators{}); err != nil {
		t.Errorf("FetchPage with IgnoreRobots error = %v", err)
	}
	if n := site.requests("/robots.txt"); n != 0 {
		t.Errorf("robots.txt requested %d times, want 0", n)
	}
}

func TestFetchPageRobotsStatus(t *testing.T) {
	t.Parallel()
	tests := []struct {
		status    int
		reachable bool // false: the host's pages wait
	}{
		{http.StatusNotFound, true},
		{http.StatusGone, true},
		{http.StatusUnauthorized, true},
		{http.StatusForbidden, true},
		{http.StatusTooManyRequests, false},
		{http.StatusInternalServerError, false},
		{http.StatusServiceUnavailable, false},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			site := newRobotsSite(t, serveRobots(tt.status, "User-agent: *\nDisallow: /\n"))
			c := newTestClient(t, Options{})
			if tt.reachable {
				checkPage(t, c, site, "/a.html", true)
				return
			}
			_, err := c.FetchPage(t.Context(), site.URL+"/a.html", Validators{})
			var re *RobotsUnreachableError
			if !errors.As(err, &re) || !Temporary(err) || errors.Is(err, ErrDisallowed) {
				t.Errorf("FetchPage error = %v, want a temporary *RobotsUnreachableError", err)
			}
			if n := site.requests("/a.html"); n != 0 {
				t.Errorf("page requested %d times while robots.txt answers %d, want 0", n, tt.status)
			}
		})
	}
}

func TestRobotsUnreachableRetried(t *testing.T) {
	t.Parallel()
	site := newRobotsSite(t, serveRobots(http.StatusInternalServerError, ""))
	c := newTestClient(t, Options{})
	clk := withClock(c)
	unreachable := func(wantWait time.Duration, wantRobots int) {
		t.Helper()
		_, err := c.FetchPage(t.Context(), site.URL+"/a.html", Validators{})
		var re *RobotsUnreachableError
		if !errors.As(err, &re) || re.RetryAfter != wantWait || RetryAfter(err) != wantWait {
			t.Fatalf("FetchPage error = %v, want *RobotsUnreachableError with RetryAfter %v", err, wantWait)
		}
		if n := site.requests("/robots.txt"); n != wantRobots {
			t.Errorf("robots.txt requested %d times, want %d", n, wantRobots)
		}
	}
	unreachable(time.Minute, 1)
	clk.Advance(30 * time.Second)
	unreachable(30*time.Second, 1) // within the back-off: not asked again
	clk.Advance(30 * time.Second)
	unreachable(2*time.Minute, 2) // asked again, failed again: the wait doubles

	site.setRobots(serveRobots(http.StatusOK, "User-agent: *\nDisallow: /private/\n"))
	clk.Advance(2 * time.Minute)
	checkPage(t, c, site, "/a.html", true)
	if n := site.requests("/robots.txt"); n != 3 {
		t.Errorf("robots.txt requested %d times, want 3", n)
	}

	// A day later the file is unreachable again: its last copy stays in force.
	site.setRobots(serveRobots(http.StatusBadGateway, ""))
	clk.Advance(robotsTTL)
	checkPage(t, c, site, "/private/x.html", false)
	checkPage(t, c, site, "/b.html", true)
	if n := site.requests("/robots.txt"); n != 4 {
		t.Errorf("robots.txt requested %d times, want 4", n)
	}
}

func TestRobotsTTL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name         string
		cacheControl string
		want         time.Duration
	}{
		{"no header", "", robotsTTL},
		{"max-age shortens", "max-age=7200", 2 * time.Hour},
		{"max-age bounded below", "max-age=60", minRobotsTTL},
		{"max-age bounded above", "max-age=864000", robotsTTL},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := newRobotsSite(t, func(w http.ResponseWriter, _ *http.Request) {
				if tt.cacheControl != "" {
					w.Header().Set("Cache-Control", tt.cacheControl)
				}
				fmt.Fprint(w, "User-agent: *\nDisallow: /p/\n")
			})
			c := newTestClient(t, Options{})
			clk := withClock(c)
			checkPage(t, c, site, "/a", true)
			clk.Advance(tt.want - time.Second)
			checkPage(t, c, site, "/b", true)
			if n := site.requests("/robots.txt"); n != 1 {
				t.Errorf("robots.txt requested %d times before %v, want 1", n, tt.want)
			}
			clk.Advance(time.Second)
			checkPage(t, c, site, "/c", true)
			if n := site.requests("/robots.txt"); n != 2 {
				t.Errorf("robots.txt requested %d times after %v, want 2", n, tt.want)
			}
		})
	}
}

func TestRobotsOversized(t *testing.T) {
	t.Parallel()
	// The rules that count come first; past 500 KiB the rest is ignored,
	// and the line cut at the limit ("Disallow: /" of "Disallow: /late/")
	// must not disallow everything.
	head := "User-agent: *\nDisallow: /private/\n"
	pad := strings.Repeat("# "+strings.Repeat("x", 60)+"\n", maxRobotsSize/63)
	body := head + pad
	body += strings.Repeat("#", maxRobotsSize-len("Disallow: /")-len(body)-1) + "\n"
	body += "Disallow: /late/\n" + strings.Repeat("# more\n", 20000)
	if len(body) <= maxRobotsSize+100_000 {
		t.Fatalf("test body is %d bytes, want well past %d", len(body), maxRobotsSize)
	}
	site := newRobotsSite(t, serveRobots(http.StatusOK, body))
	c := newTestClient(t, Options{MaxBodySize: 1 << 20})
	checkPage(t, c, site, "/private/a.html", false)
	checkPage(t, c, site, "/late/a.html", true)
	checkPage(t, c, site, "/news/a.html", true)
}

func TestRobotsRedirectToOtherHost(t *testing.T) {
	t.Parallel()
	other := newRobotsSite(t, serveRobots(http.StatusOK, "User-agent: *\nDisallow: /private/\n"))
	site := newRobotsSite(t, func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/robots.txt", http.StatusMovedPermanently)
	})
	c := newTestClient(t, Options{})
	checkPage(t, c, site, "/private/a.html", false)
	checkPage(t, c, site, "/news/a.html", true)
	if a, b := site.requests("/robots.txt"), other.requests("/robots.txt"); a != 1 || b != 1 {
		t.Errorf("robots.txt requested %d times on the site and %d on the target, want 1 and 1", a, b)
	}

	// More than 5 redirects: robots.txt counts as unavailable, so all is allowed.
	loop := newRobotsSite(t, nil)
	loop.setRobots(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/robots.txt", http.StatusFound)
	})
	checkPage(t, c, loop, "/private/a.html", true)
	if n := loop.requests("/robots.txt"); n != robotsRedirects+1 {
		t.Errorf("robots.txt requested %d times in a redirect loop, want %d", n, robotsRedirects+1)
	}
}

func TestFetchPageRedirectChecked(t *testing.T) {
	t.Parallel()
	site := newRobotsSite(t, serveRobots(http.StatusOK, "User-agent: *\nDisallow: /private/\n"))
	mux := http.NewServeMux()
	mux.HandleFunc("/go", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, site.URL+"/private/a.html", http.StatusFound)
	})
	start := newServer(t, mux)
	c := newTestClient(t, Options{})
	_, err := c.FetchPage(t.Context(), start.URL+"/go", Validators{})
	if !errors.Is(err, ErrDisallowed) || site.requests("/private/a.html") != 0 {
		t.Errorf("FetchPage via redirect error = %v, target requested %d times; want ErrDisallowed, 0",
			err, site.requests("/private/a.html"))
	}
}

func TestRobotsSingleflight(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	site := newRobotsSite(t, func(w http.ResponseWriter, _ *http.Request) {
		<-release
		fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
	})
	c := newTestClient(t, Options{PerHostConcurrency: 64})
	var started, done sync.WaitGroup
	errs := make([]error, 20)
	for i := range errs {
		started.Add(1)
		done.Go(func() {
			started.Done()
			_, errs[i] = c.FetchPage(t.Context(), fmt.Sprintf("%s/a/%d.html", site.URL, i), Validators{})
		})
	}
	started.Wait()
	close(release)
	done.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("FetchPage %d error = %v", i, err)
		}
	}
	if n := site.requests("/robots.txt"); n != 1 {
		t.Errorf("20 concurrent first fetches requested robots.txt %d times, want 1", n)
	}
}

func TestRobotsCanceledCallerDoesNotFailOthers(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var once sync.Once
	arrived := make(chan struct{})
	site := newRobotsSite(t, func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(arrived) })
		select {
		case <-release:
		case <-r.Context().Done():
			return
		}
		fmt.Fprint(w, "User-agent: *\nDisallow:\n")
	})
	c := newTestClient(t, Options{})
	ctx, cancel := context.WithCancel(t.Context())
	first := make(chan error, 1)
	go func() {
		_, err := c.FetchPage(ctx, site.URL+"/a.html", Validators{})
		first <- err
	}()
	<-arrived // the first caller is fetching robots.txt
	second := make(chan error, 1)
	go func() {
		_, err := c.FetchPage(t.Context(), site.URL+"/b.html", Validators{})
		second <- err
	}()
	cancel()
	if err := <-first; !errors.Is(err, context.Canceled) {
		t.Errorf("canceled FetchPage error = %v, want context.Canceled", err)
	}
	close(release)
	if err := <-second; err != nil {
		t.Errorf("FetchPage of a caller that was not canceled: %v", err)
	}
}

func TestCrawlDelayLowersRate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		robots   string
		rate     float64 // configured requests per second; -1 unlimited
		wantRate rate.Limit
		slowed   bool // the page after robots.txt must wait
	}{
		{"no delay", "User-agent: *\nDisallow:\n", -1, rate.Inf, false},
		{"delay lowers the rate", "User-agent: *\nCrawl-delay: 30\n", -1, rate.Every(30 * time.Second), true},
		{"own group's delay", "User-agent: *\nCrawl-delay: 1\n\nUser-agent: newswatch\nCrawl-delay: 20\n", 10, rate.Every(20 * time.Second), true},
		{"other bot's delay ignored", "User-agent: bingbot\nCrawl-delay: 20\n", -1, rate.Inf, false},
		{"delay capped", "User-agent: *\nCrawl-delay: 86400\n", -1, rate.Every(maxCrawlDelay), true},
		{"never faster than configured", "User-agent: *\nCrawl-delay: 0.01\n", 0.5, 0.5, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			site := newRobotsSite(t, serveRobots(http.StatusOK, tt.robots))
			c := newTestClient(t, Options{PerHostRate: tt.rate})
			// robots.txt is the first request to the host; the page is the
			// second. A slowed host must wait seconds for it, so it fails at
			// once against a short deadline; an unslowed one gets no
			// deadline, so a loaded machine cannot fail it.
			ctx := t.Context()
			if tt.slowed {
				var cancel context.CancelFunc
				ctx, cancel = context.WithTimeout(ctx, 300*time.Millisecond)
				defer cancel()
			}
			_, err := c.FetchPage(ctx, site.URL+"/a.html", Validators{})
			if got := site.requests("/a.html"); tt.slowed && (got != 0 || !errors.Is(err, context.DeadlineExceeded)) {
				t.Errorf("page requested %d times, error %v; want 0, deadline exceeded while the host is slowed", got, err)
			} else if !tt.slowed && (got != 1 || err != nil) {
				t.Errorf("page requested %d times, error %v; want 1, nil", got, err)
			}
			u, _ := url.Parse(site.URL)
			c.hosts.mu.Lock()
			got := c.hosts.hosts[hostKey(u)].limiter.Limit()
			c.hosts.mu.Unlock()
			if got != tt.wantRate {
				t.Errorf("host rate = %v, want %v", got, tt.wantRate)
			}
		})
	}
}

func BenchmarkRobotsCheckCached(b *testing.B) {
	// A news site's robots.txt: rules for everyone, and a group for a bot
	// that is not us; then the same grown to the 500 KiB that is read.
	var typical strings.Builder
	typical.WriteString("User-agent: *\n")
	for i := range 60 {
		fmt.Fprintf(&typical, "Disallow: /section%d/*.pdf$\nAllow: /section%d/public/\n", i, i)
	}
	typical.WriteString("\nUser-agent: GPTBot\nDisallow: /\n\nSitemap: https://example.com/sitemap.xml\n")
	// Many groups for other crawlers, as news sites write to keep AI
	// crawlers out: only the "*" group is kept for the checks.
	var bots strings.Builder
	for i := range 300 {
		fmt.Fprintf(&bots, "User-agent: crawler%d\n", i)
		for j := range 20 {
			fmt.Fprintf(&bots, "Disallow: /archive/%d/%d/\n", i, j)
		}
	}
	bots.WriteString(typical.String())
	// The worst case: 500 KiB of rules that all apply to newswatch.
	largest := strings.Repeat(typical.String(), maxRobotsSize/typical.Len())
	for _, tc := range []struct{ name, body string }{{"typical", typical.String()}, {"other-crawlers", bots.String()}, {"all-ours", largest}} {
		b.Run(fmt.Sprintf("%s-%dKiB", tc.name, len(tc.body)>>10), func(b *testing.B) {
			body := tc.body
			srv := newServer(b, serveRobots(http.StatusOK, body))
			c := newTestClient(b, Options{})
			u, err := c.parseURL(nil, srv.URL+"/world/2026/12/story-123.html")
			if err != nil {
				b.Fatal(err)
			}
			if err := c.robots.check(b.Context(), u); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if err := c.robots.check(b.Context(), u); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func FuzzRobots(f *testing.F) {
	f.Add("User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n", "/private/a?b=c")
	f.Add("User-agent: newswatch\nAllow: /$\nDisallow: /*.pdf$\n", "/x.pdf")
	f.Add("\xef\xbb\xbfuser-agent *\ndisalow /a b\n", "/%e4%b8%ad/")
	f.Add("User-agent: * x\nCrawl-delay: NaN\nCrawl-delay: -1\nCrawl-delay: 1e400\n", "/")
	f.Add("Disallow: /\nUser-agent: a\nUser-agent: NewsWatch/2\nAllow: /p/index.html\nDisallow: /p\n", "/p/")
	f.Add("User-agent: newswatch.bot\nDisallow: /\nUser-agent: *\nUser-agent: newswatch\nDisallow: /中/\n\nUser-agent: x\nDisallow:\n", "/中/a")
	f.Fuzz(func(t *testing.T, body, path string) {
		r := parseRobots([]byte(body))
		if r.delay < 0 || r.delay > maxCrawlDelay {
			t.Errorf("crawl delay %v outside 0..%v", r.delay, maxCrawlDelay)
		}
		u, err := url.Parse("http://example.com/" + strings.TrimPrefix(path, "/"))
		if err != nil {
			return
		}
		// The compact rules answer as the whole file does.
		uri := u.Scheme + "://" + u.Host + upperEscapes(u.RequestURI())
		if got, want := r.allows(u), grobotstxt.AgentAllowed(body, robotsAgent, uri); got != want {
			t.Errorf("robots.txt %q, %s: compact rules %q allow %v, the whole file %v", body, uri, r.body, got, want)
		}
	})
}
