package fetcher

import (
	"bufio"
	"bytes"
	"net/http"
	"strings"
	"testing"
)

// exchangeSite redirects /old to /page, which answers gzip, and serves
// /chunked in chunks without a Content-Length.
func exchangeSite(t *testing.T, page []byte) string {
	t.Helper()
	gz := compress(t, "gzip", page)
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/page?x=1", http.StatusFound)
	})
	mux.HandleFunc("/page", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("ETag", `"v1"`)
		_, _ = w.Write(gz)
	})
	mux.HandleFunc("/chunked", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		for part := range bytes.SplitAfterSeq(page, []byte("\n")) {
			_, _ = w.Write(part)
			w.(http.Flusher).Flush()
		}
	})
	return newServer(t, mux).URL
}

func TestFetchPageCapturesExchange(t *testing.T) {
	t.Parallel()
	page := []byte("<html><body><p>Trafficking ring dismantled</p>\n<p>second</p></body></html>")
	base := exchangeSite(t, page)
	c := newTestClient(t, Options{CaptureExchange: true, IgnoreRobots: true})
	resp, err := c.FetchPage(t.Context(), base+"/old", Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(resp.Body, page) {
		t.Fatalf("Body = %q, want the decoded page", resp.Body)
	}
	ex := resp.Exchange
	if ex == nil || len(ex.Hops) != 2 {
		t.Fatalf("Exchange = %+v, want 2 hops", ex)
	}
	redirect, final := ex.Hops[0], ex.Final()
	if redirect.Status != http.StatusFound || redirect.URL != base+"/old" {
		t.Errorf("first hop = %d %s, want 302 %s/old", redirect.Status, redirect.URL, base)
	}
	if final.Status != 200 || final.URL != base+"/page?x=1" || final.URL != resp.URL {
		t.Errorf("final hop = %d %s, want 200 %s (the Response's URL)", final.Status, final.URL, resp.URL)
	}
	if final.Time.IsZero() || final.Time.Before(redirect.Time) {
		t.Errorf("hop times %v then %v, want increasing", redirect.Time, final.Time)
	}
	// The request as sent, readable by Go's own parser.
	req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(final.Request)))
	if err != nil {
		t.Fatalf("ReadRequest(%q): %v", final.Request, err)
	}
	if req.URL.String() != "/page?x=1" || req.Header.Get("User-Agent") == "" || req.Header.Get("Accept-Encoding") != "gzip, deflate" {
		t.Errorf("request = %s %v, want GET /page?x=1 with User-Agent and Accept-Encoding", req.URL, req.Header)
	}
	// The response headers and the body as transferred: still gzip.
	hr, err := http.ReadResponse(bufio.NewReader(bytes.NewReader(append(final.Response, final.Body...))), nil)
	if err != nil {
		t.Fatalf("ReadResponse(%q): %v", final.Response, err)
	}
	if hr.Header.Get("Content-Encoding") != "gzip" || hr.Header.Get("Etag") != `"v1"` {
		t.Errorf("response headers %v, want Content-Encoding gzip and the ETag", hr.Header)
	}
	if !bytes.Equal(final.Body, compress(t, "gzip", page)) {
		t.Errorf("captured body is not the gzip stream as sent")
	}
	if !strings.HasPrefix(string(redirect.Response), "HTTP/1.1 302 Found\r\n") || !strings.Contains(string(redirect.Response), "Location: /page?x=1\r\n") {
		t.Errorf("redirect response = %q, want its status line and Location", redirect.Response)
	}
}

func TestFetchPageCapturesChunkedBody(t *testing.T) {
	t.Parallel()
	page := []byte(strings.Repeat("<p>línea de texto</p>\n", 500))
	base := exchangeSite(t, page)
	c := newTestClient(t, Options{CaptureExchange: true, IgnoreRobots: true})
	resp, err := c.FetchPage(t.Context(), base+"/chunked", Validators{})
	if err != nil {
		t.Fatal(err)
	}
	final := resp.Exchange.Final()
	if !bytes.Equal(final.Body, page) {
		t.Errorf("captured body of %d bytes, want the %d bytes without chunking", len(final.Body), len(page))
	}
	if strings.Contains(string(final.Response), "Transfer-Encoding") {
		t.Errorf("response headers %q keep Transfer-Encoding, which no longer describes the body", final.Response)
	}
}

func TestFetchCapturesOnlyWhenAsked(t *testing.T) {
	t.Parallel()
	page := []byte("<p>text</p>")
	base := exchangeSite(t, page)
	for _, tt := range []struct {
		name    string
		capture bool
		page    bool
	}{
		{"FetchPage without the option", false, true},
		{"Fetch of a feed with the option", true, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newTestClient(t, Options{CaptureExchange: tt.capture, IgnoreRobots: true})
			fetch := c.Fetch
			if tt.page {
				fetch = c.FetchPage
			}
			resp, err := fetch(t.Context(), base+"/page", Validators{})
			if err != nil {
				t.Fatal(err)
			}
			if resp.Exchange != nil {
				t.Errorf("Exchange = %+v, want nil", resp.Exchange)
			}
		})
	}
}

func TestFetchPageCaptureOverCap(t *testing.T) {
	t.Parallel()
	page := bytes.Repeat([]byte("x"), 1000)
	base := exchangeSite(t, page)
	// The gzip stream of 1000 'x' is ~30 bytes, the page 1000: a cap
	// between them lets the page through but not an uncompressed one.
	c := newTestClient(t, Options{CaptureExchange: true, IgnoreRobots: true, MaxBodySize: 1000})
	resp, err := c.FetchPage(t.Context(), base+"/page", Validators{})
	if err != nil {
		t.Fatal(err)
	}
	if resp.Exchange == nil || len(resp.Exchange.Final().Body) == 0 {
		t.Fatalf("Exchange = %+v, want the small gzip body", resp.Exchange)
	}
	small := newTestClient(t, Options{CaptureExchange: true, IgnoreRobots: true, MaxBodySize: 10})
	if _, err := small.FetchPage(t.Context(), base+"/page", Validators{}); err == nil {
		t.Fatal("FetchPage over the cap succeeded, want ErrTooLarge")
	}
}
