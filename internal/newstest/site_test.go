package newstest_test

import (
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/internal/newstest"
)

func get(t *testing.T, u string, hdr map[string]string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	tr := &http.Transport{DisableCompression: true}
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var r io.Reader = resp.Body
	if resp.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		r = zr
	}
	b, _ := io.ReadAll(r)
	return resp, string(b)
}

func TestSite(t *testing.T) {
	site, err := newstest.NewSiteMap(map[string]string{
		"/rss/vi.rss":  `<rss><channel><link>{{base}}/</link></channel></rss>`,
		"/a-post1.vnp": "<p>Liên hợp quốc</p>",
	})
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	site.Update("/rss/vi.rss", func(r *newstest.Route) { r.Gzip = true })

	resp, body := get(t, site.URL()+"/rss/vi.rss", map[string]string{"Accept-Encoding": "gzip"})
	if want := "<rss><channel><link>" + site.URL() + "/</link></channel></rss>"; body != want {
		t.Errorf("feed body = %q, want %q", body, want)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/rss+xml; charset=utf-8" {
		t.Errorf("feed Content-Type = %q", ct)
	}
	etag, lm := resp.Header.Get("ETag"), resp.Header.Get("Last-Modified")
	if r, _ := get(t, site.URL()+"/rss/vi.rss", map[string]string{"If-None-Match": etag}); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match %s: status %d, want 304", etag, r.StatusCode)
	}
	if r, _ := get(t, site.URL()+"/rss/vi.rss", map[string]string{"If-Modified-Since": lm}); r.StatusCode != http.StatusNotModified {
		t.Errorf("If-Modified-Since %s: status %d, want 304", lm, r.StatusCode)
	}
	site.SetBody("/rss/vi.rss", []byte("<rss>new</rss>"))
	if r, body := get(t, site.URL()+"/rss/vi.rss", map[string]string{"If-None-Match": etag, "Accept-Encoding": "gzip"}); r.StatusCode != 200 || body != "<rss>new</rss>" {
		t.Errorf("after a change: status %d, body %q; want 200 with the new body", r.StatusCode, body)
	}
	want := newstest.Counts{Requests: 4, Conditional: 3, NotModified: 2, Gzipped: 2}
	if diff := cmp.Diff(want, site.Counts("/rss/vi.rss")); diff != "" {
		t.Errorf("counts differ (-want +got):\n%s", diff)
	}
	if r, _ := get(t, site.URL()+"/missing.rss", nil); r.StatusCode != 404 {
		t.Errorf("missing path: status %d, want 404", r.StatusCode)
	}
}

func TestHostileHandlersStopWithTheClient(t *testing.T) {
	site, err := newstest.NewSiteMap(nil)
	if err != nil {
		t.Fatal(err)
	}
	site.Handle("/endless", newstest.EndlessBody("text/html", "<html>", "x"))
	site.Handle("/bomb", newstest.GzipBomb("application/rss+xml", 1<<40))
	site.Handle("/slow", newstest.SlowHeaders(time.Hour, newstest.Status(200)))
	site.Handle("/trickle", newstest.Trickle("text/html", []byte(strings.Repeat("x", 1000)), 1, time.Second))
	site.Handle("/huge", newstest.HugeFeed(36<<20))
	for _, p := range []string{"/endless", "/bomb", "/huge"} {
		resp, err := http.Get(site.URL() + p)
		if err != nil {
			t.Fatal(err)
		}
		n, _ := io.CopyN(io.Discard, resp.Body, 1<<20)
		resp.Body.Close()
		if n != 1<<20 {
			t.Errorf("%s: read %d bytes, want at least 1 MiB", p, n)
		}
	}
	c := &http.Client{Timeout: 100 * time.Millisecond}
	for _, p := range []string{"/slow", "/trickle"} {
		if resp, err := c.Get(site.URL() + p); err == nil {
			_, err = io.ReadAll(resp.Body)
			resp.Body.Close()
			if err == nil {
				t.Errorf("%s: read the whole body within 100ms", p)
			}
		}
	}
	site.Close() // must not hang on the handlers still running
}

// TestCloseWaitsForRequests checks that Close ends a request that waits
// on its context, returns only after its handler did, and that the site
// is gone afterwards.
func TestCloseWaitsForRequests(t *testing.T) {
	site, err := newstest.NewSiteMap(map[string]string{"/tin-tuc.rss": "<rss/>"})
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{})
	var finished atomic.Bool
	site.Handle("/chờ", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		<-r.Context().Done()
		time.Sleep(50 * time.Millisecond) // a handler slow to return
		finished.Store(true)
	})
	errc := make(chan error, 1)
	go func() {
		resp, err := http.Get(site.URL() + "/ch%E1%BB%9D")
		if err == nil {
			resp.Body.Close()
		}
		errc <- err
	}()
	<-started
	site.Close()
	if !finished.Load() {
		t.Error("Close returned before the request in flight ended")
	}
	<-errc
	if resp, err := http.Get(site.URL() + "/tin-tuc.rss"); err == nil {
		resp.Body.Close()
		t.Errorf("GET after Close = %s, want a connection error", resp.Status)
	}
}

func TestRedirectLoopAndTooManyRequests(t *testing.T) {
	site, err := newstest.NewSiteMap(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer site.Close()
	site.Handle("/loop", newstest.RedirectLoop())
	site.Handle("/busy", newstest.TooManyRequests(2*time.Hour))
	if _, err := http.Get(site.URL() + "/loop"); err == nil || !strings.Contains(err.Error(), "redirects") {
		t.Errorf("GET /loop = %v, want a redirect error", err)
	}
	resp, err := http.Get(site.URL() + "/busy")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") != "7200" {
		t.Errorf("GET /busy = %d, Retry-After %q; want 429, 7200", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
}

func TestFilesRendersEveryPageOfTheLayouts(t *testing.T) {
	for _, layout := range [][]newstest.SiteFeed{newstest.E2ELayout(), newstest.DemoLayout()} {
		files, err := newstest.Files(layout)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := len(files), len(layout)+len(newstest.PagesOf(layout)); got != want {
			t.Errorf("Files: %d files, want %d (feeds and pages)", got, want)
		}
	}
}

func TestBigSitePageSizes(t *testing.T) {
	site := newstest.NewBigSite(3, 20)
	srv, err := newstest.NewSiteMap(nil)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	srv.Handle("/big/feed1.rss", site.ServeHTTP)
	_, feed := get(t, srv.URL()+"/big/feed1.rss", nil)
	links := strings.Count(feed, "<link>") - 1
	if links != 20 {
		t.Fatalf("big feed has %d item links, want 20", links)
	}
	i := strings.Index(feed, "<item>")
	link := feed[strings.Index(feed[i:], "<link>")+i+6 : strings.Index(feed[i:], "</link>")+i]
	path := strings.TrimPrefix(link, srv.URL())
	srv.Handle(path, site.ServeHTTP)
	resp, page := get(t, link, nil)
	if resp.StatusCode != 200 || len(page) < 30<<10 || len(page) > 90<<10 {
		t.Errorf("big page %s: status %d, %d bytes; want 200 and 30–80 KB of page", link, resp.StatusCode, len(page))
	}
}
