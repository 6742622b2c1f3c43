package fetcher

import (
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// newTestClient returns a client allowed to reach httptest servers on
// 127.0.0.1, without a rate limit unless o sets one.
func newTestClient(t testing.TB, o Options) *Client {
	t.Helper()
	o.AllowPrivateNetworks = true
	if o.PerHostRate == 0 {
		o.PerHostRate = -1
	}
	c := New(o)
	t.Cleanup(c.hc.CloseIdleConnections)
	return c
}

func newServer(t testing.TB, h http.Handler) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func compress(t testing.TB, encoding string, b []byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	var w interface {
		Write([]byte) (int, error)
		Close() error
	}
	switch encoding {
	case "gzip":
		w = gzip.NewWriter(&buf)
	case "zlib":
		w = zlib.NewWriter(&buf)
	case "flate":
		fw, err := flate.NewWriter(&buf, flate.BestCompression)
		if err != nil {
			t.Fatal(err)
		}
		w = fw
	default:
		return b
	}
	if _, err := w.Write(b); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var testdataFiles = []struct{ name, contentType string }{
	{"vietnamplus_vi.rss", "application/rss+xml; charset=utf-8"},
	{"un_news_ar.rss", "application/rss+xml"},
	{"xinhua_zh_gb18030.html", "text/html; charset=gb18030"},
	{"un_ru_windows1251.html", "text/html; charset=windows-1251"},
}

// TestFetchEncodings checks that every transfer encoding yields the exact
// bytes of the file, charset untouched, in every script we monitor.
func TestFetchEncodings(t *testing.T) {
	t.Parallel()
	encodings := []struct{ name, header, algo string }{
		{"plain", "", ""},
		{"gzip", "gzip", "gzip"},
		{"x-gzip", "x-gzip", "gzip"},
		{"deflate-zlib", "deflate", "zlib"},
		{"deflate-raw", "deflate", "flate"},
		{"unannounced-gzip", "", "gzip"},
	}
	c := newTestClient(t, Options{})
	for _, f := range testdataFiles {
		want := readTestdata(t, f.name)
		for _, enc := range encodings {
			t.Run(f.name+"/"+enc.name, func(t *testing.T) {
				payload := compress(t, enc.algo, want)
				srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					if got := r.Header.Get("Accept-Encoding"); got != "gzip, deflate" {
						t.Errorf("Accept-Encoding = %q, want %q", got, "gzip, deflate")
					}
					w.Header().Set("Content-Type", f.contentType)
					if enc.header != "" {
						w.Header().Set("Content-Encoding", enc.header)
					}
					w.Write(payload)
				}))
				resp, err := c.Fetch(t.Context(), srv.URL+"/feed", Validators{})
				if err != nil {
					t.Fatalf("Fetch(%q) error = %v", srv.URL, err)
				}
				if !bytes.Equal(resp.Body, want) {
					t.Errorf("Fetch(%q).Body = %q, want %q", srv.URL, resp.Body, want)
				}
				if resp.ContentType != f.contentType {
					t.Errorf("Fetch(%q).ContentType = %q, want %q", srv.URL, resp.ContentType, f.contentType)
				}
			})
		}
	}
}

func TestFetchConditional(t *testing.T) {
	t.Parallel()
	const etag, lastMod = `"v1-abc"`, "Mon, 03 Mar 2025 01:15:00 GMT"
	body := readTestdata(t, "vietnamplus_vi.rss")
	tests := []struct {
		name   string
		header string // validator header the server checks
		sent   Validators
	}{
		{"etag", "If-None-Match", Validators{ETag: etag}},
		{"last-modified", "If-Modified-Since", Validators{LastModified: lastMod}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("ETag", etag)
				w.Header().Set("Last-Modified", lastMod)
				w.Header().Set("Cache-Control", "public, max-age=300")
				if r.Header.Get("If-None-Match") == etag || r.Header.Get("If-Modified-Since") == lastMod {
					w.WriteHeader(http.StatusNotModified)
					return
				}
				w.Write(body)
			}))
			c := newTestClient(t, Options{})
			first, err := c.Fetch(t.Context(), srv.URL, Validators{})
			if err != nil {
				t.Fatalf("Fetch(%q) error = %v", srv.URL, err)
			}
			if first.NotModified || !bytes.Equal(first.Body, body) {
				t.Fatalf("first Fetch: NotModified = %v, body %d bytes; want full body", first.NotModified, len(first.Body))
			}
			if diff := cmp.Diff(Validators{ETag: etag, LastModified: lastMod}, first.Validators); diff != "" {
				t.Errorf("first Fetch validators (-want +got):\n%s", diff)
			}
			second, err := c.Fetch(t.Context(), srv.URL, tt.sent)
			if err != nil {
				t.Fatalf("Fetch(%q, %+v) error = %v", srv.URL, tt.sent, err)
			}
			want := &Response{URL: srv.URL, StatusCode: http.StatusNotModified, NotModified: true,
				Validators: Validators{ETag: etag, LastModified: lastMod}, MaxAge: 300 * time.Second}
			opts := cmp.FilterPath(func(p cmp.Path) bool {
				n := p.Last().String()
				return n == ".Header" || n == ".Duration"
			}, cmp.Ignore())
			if diff := cmp.Diff(want, second, opts); diff != "" {
				t.Errorf("conditional Fetch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFetch304KeepsSentValidators covers servers that answer 304 without
// repeating the validators.
func TestFetch304KeepsSentValidators(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotModified)
	}))
	sent := Validators{ETag: `W/"42"`, LastModified: "Tue, 04 Mar 2025 09:00:00 GMT"}
	resp, err := newTestClient(t, Options{}).Fetch(t.Context(), srv.URL, sent)
	if err != nil {
		t.Fatalf("Fetch(%q) error = %v", srv.URL, err)
	}
	if diff := cmp.Diff(sent, resp.Validators); !resp.NotModified || diff != "" {
		t.Errorf("Fetch(%q) NotModified = %v, validators (-want +got):\n%s", srv.URL, resp.NotModified, diff)
	}
}

func TestFetchSendsUserAgent(t *testing.T) {
	t.Parallel()
	got := make(chan string, 1)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got <- r.UserAgent()
	}))
	tests := []struct {
		name string
		o    Options
		want string
	}{
		{"defaults", Options{}, "newswatch/devel (+https://github.com/newswatch/newswatch)"},
		{"version and contact", Options{Version: "v1.4.0", Contact: "mailto:ops@ngo.example"}, "newswatch/v1.4.0 (+mailto:ops@ngo.example)"},
		{"explicit header wins", Options{UserAgent: "MyMonitor/2", Version: "v1.4.0", Contact: "https://ngo.example/"}, "MyMonitor/2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := newTestClient(t, tt.o).Fetch(t.Context(), srv.URL, Validators{}); err != nil {
				t.Fatalf("Fetch(%q) error = %v", srv.URL, err)
			}
			if ua := <-got; ua != tt.want {
				t.Errorf("User-Agent = %q, want %q", ua, tt.want)
			}
		})
	}
}

// redirectServer serves /r/N, which redirects to /r/N-1, down to /r/0 (200),
// and /loop/a <-> /loop/b forever.
func redirectServer(t *testing.T) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/r/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		if n == 0 {
			w.Write([]byte("arrived"))
			return
		}
		http.Redirect(w, r, fmt.Sprintf("/r/%d", n-1), http.StatusFound)
	})
	mux.HandleFunc("/loop/a", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/loop/b", http.StatusMovedPermanently)
	})
	mux.HandleFunc("/loop/b", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "a", http.StatusTemporaryRedirect)
	})
	mux.HandleFunc("/ftp", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "ftp://example.org/feed.xml", http.StatusFound)
	})
	return newServer(t, mux)
}

func TestFetchRedirects(t *testing.T) {
	t.Parallel()
	srv := redirectServer(t)
	tests := []struct {
		path    string
		wantErr error
	}{
		{"/r/0", nil},
		{"/r/1", nil},
		{"/r/5", nil},
		{"/r/6", ErrTooManyRedirects},
		{"/loop/a", ErrTooManyRedirects},
		{"/ftp", ErrInvalidURL},
	}
	c := newTestClient(t, Options{})
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, err := c.Fetch(t.Context(), srv.URL+tt.path, Validators{})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Fetch(%q) error = %v, want %v", tt.path, err, tt.wantErr)
			}
			if err != nil {
				return
			}
			if want := srv.URL + "/r/0"; resp.URL != want || string(resp.Body) != "arrived" {
				t.Errorf("Fetch(%q) = URL %q body %q, want URL %q body %q", tt.path, resp.URL, resp.Body, want, "arrived")
			}
		})
	}
}

func TestFetchStatusErrors(t *testing.T) {
	t.Parallel()
	date := time.Date(2025, 7, 30, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name       string
		code       int
		retryAfter string
		want       *StatusError
		temporary  bool
	}{
		{"404", http.StatusNotFound, "", &StatusError{Code: 404}, false},
		{"410", http.StatusGone, "", &StatusError{Code: 410}, false},
		{"429 seconds", http.StatusTooManyRequests, "120", &StatusError{Code: 429, RetryAfter: 2 * time.Minute}, true},
		{"429 http-date", http.StatusTooManyRequests, date.Add(90 * time.Second).Format(http.TimeFormat),
			&StatusError{Code: 429, RetryAfter: 90 * time.Second}, true},
		{"503 huge", http.StatusServiceUnavailable, "999999999", &StatusError{Code: 503, RetryAfter: maxRetryAfter}, true},
		{"500", http.StatusInternalServerError, "", &StatusError{Code: 500}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Date", date.Format(http.TimeFormat))
				if tt.retryAfter != "" {
					w.Header().Set("Retry-After", tt.retryAfter)
				}
				http.Error(w, "nope", tt.code)
			}))
			_, err := newTestClient(t, Options{}).Fetch(t.Context(), srv.URL+"/x", Validators{})
			var got *StatusError
			if !errors.As(err, &got) {
				t.Fatalf("Fetch(%q) error = %v, want *StatusError", srv.URL, err)
			}
			tt.want.URL = srv.URL + "/x"
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Fetch(%q) StatusError (-want +got):\n%s", srv.URL, diff)
			}
			if Temporary(err) != tt.temporary || RetryAfter(err) != tt.want.RetryAfter {
				t.Errorf("Temporary(%v) = %v, RetryAfter = %v; want %v, %v", err, Temporary(err), RetryAfter(err), tt.temporary, tt.want.RetryAfter)
			}
		})
	}
}

func TestFetchInvalidURL(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, Options{})
	for _, raw := range []string{"", "file:///etc/passwd", "ftp://example.org/", "http://", "::not a url", "gopher://x/"} {
		if _, err := c.Fetch(t.Context(), raw, Validators{}); !errors.Is(err, ErrInvalidURL) {
			t.Errorf("Fetch(%q) error = %v, want %v", raw, err, ErrInvalidURL)
		}
	}
}

func TestFetchContextCanceled(t *testing.T) {
	t.Parallel()
	entered := make(chan struct{})
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-r.Context().Done()
	}))
	ctx, cancel := context.WithCancel(t.Context())
	go func() {
		<-entered
		cancel()
	}()
	_, err := newTestClient(t, Options{}).Fetch(ctx, srv.URL, Validators{})
	if !errors.Is(err, context.Canceled) || Temporary(err) {
		t.Errorf("Fetch(%q) after cancel error = %v (temporary %v), want context.Canceled, not temporary", srv.URL, err, Temporary(err))
	}
}

func TestFetchResponseHeaderTimeout(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-r.Context().Done() // never answers
	}))
	c := newTestClient(t, Options{ResponseHeaderTimeout: 50 * time.Millisecond})
	_, err := c.Fetch(t.Context(), srv.URL, Validators{})
	if err == nil || !Temporary(err) {
		t.Errorf("Fetch(%q) from a silent server error = %v, want a temporary timeout", srv.URL, err)
	}
}

// BenchmarkFetch50KB fetches a 50 KB Vietnamese page as servers send it:
// chunked without a length, with a Content-Length, and gzipped.
func BenchmarkFetch50KB(b *testing.B) {
	para := readTestdata(b, "vietnamplus_vi.rss")
	page := bytes.Repeat(para, 50<<10/len(para)+1)[:50<<10]
	gz := compress(b, "gzip", page)
	for _, bc := range []struct {
		name     string
		encoding string
		body     []byte
		length   bool
	}{
		{"chunked", "", page, false},
		{"content-length", "", page, true},
		{"gzip", "gzip", gz, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			srv := newServer(b, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html; charset=utf-8")
				if bc.encoding != "" {
					w.Header().Set("Content-Encoding", bc.encoding)
				}
				if bc.length {
					w.Header().Set("Content-Length", strconv.Itoa(len(bc.body)))
				}
				w.Write(bc.body)
			}))
			c := newTestClient(b, Options{})
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				resp, err := c.Fetch(b.Context(), srv.URL, Validators{})
				if err != nil || len(resp.Body) != len(page) {
					b.Fatalf("Fetch(%q) = %v", srv.URL, err)
				}
			}
		})
	}
}
