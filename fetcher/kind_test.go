package fetcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newswatch/newswatch/internal/newstest"
)

// kinds records the kinds a Client counts.
type kinds struct {
	mu  sync.Mutex
	got []string
}

func (k *kinds) CountFetchError(kind string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.got = append(k.got, kind)
}

func (k *kinds) counted() []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return slices.Clone(k.got)
}

// TestErrorKind fetches from servers that fail each way and checks the
// error's kind and that the client counted it once.
func TestErrorKind(t *testing.T) {
	t.Parallel()
	site := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/robots.txt":
			fmt.Fprint(w, "User-agent: *\nDisallow: /private/\n")
		case "/gone":
			http.Error(w, "gone", http.StatusGone)
		case "/busy":
			http.Error(w, "busy", http.StatusTooManyRequests)
		case "/broken":
			http.Error(w, "broken", http.StatusInternalServerError)
		case "/big":
			fmt.Fprint(w, strings.Repeat("x", 4096))
		case "/silent":
			<-r.Context().Done() // never answers: only the client's timeout ends it
		case "/loop":
			http.Redirect(w, r, "/loop", http.StatusFound)
		case "/cut":
			w.Header().Set("Content-Length", "1000")
			fmt.Fprint(w, "short") // the connection closes 995 bytes early
		default:
			fmt.Fprint(w, "ok")
		}
	}))
	robotsDown := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "down", http.StatusServiceUnavailable)
	}))
	tlsSite := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	tlsSite.Config.ErrorLog = log.New(io.Discard, "", 0) // the handshake our client refuses
	tlsSite.StartTLS()
	t.Cleanup(tlsSite.Close)
	closed := closedPort(t)

	tests := []struct {
		name string
		url  string
		page bool // FetchPage instead of Fetch
		want string
	}{
		{"410", site.URL + "/gone", false, KindHTTP4xx},
		{"429", site.URL + "/busy", false, KindHTTP4xx},
		{"500", site.URL + "/broken", false, KindHTTP5xx},
		{"body over the cap", site.URL + "/big", false, KindTooLarge},
		{"robots.txt disallows", site.URL + "/private/a", true, KindRobots},
		{"robots.txt unreachable", robotsDown.URL + "/a", true, KindRobots},
		{"server never answers", site.URL + "/silent", false, KindTimeout},
		{"connection refused", "http://" + closed + "/feed", false, KindConnect},
		{"body cut short", site.URL + "/cut", false, KindConnect},
		{"certificate not trusted", tlsSite.URL + "/feed", false, KindTLS},
		{"redirect loop", site.URL + "/loop", false, KindOther},
		{"bad scheme", "ftp://127.0.0.1/feed", false, KindOther},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k := &kinds{}
			o := Options{MaxBodySize: 1024, ErrorCounter: k}
			if tt.want == KindTimeout {
				o.Timeout = 100 * time.Millisecond // the only case a timeout may end
			}
			c := newTestClient(t, o)
			fetch := c.Fetch
			if tt.page {
				fetch = c.FetchPage
			}
			_, err := fetch(t.Context(), tt.url, Validators{})
			if got := ErrorKind(err); got != tt.want {
				t.Errorf("ErrorKind(%v) = %q, want %q", err, got, tt.want)
			}
			if got := k.counted(); !slices.Equal(got, []string{tt.want}) {
				t.Errorf("counted %q, want [%s]", got, tt.want)
			}
		})
	}
}

// TestErrorKindWrapped classifies errors no loopback server can cause.
func TestErrorKindWrapped(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("fetch http://x.invalid/: %w", &net.DNSError{Err: "no such host", Name: "x.invalid", IsNotFound: true}), KindDNS},
		{fmt.Errorf("fetch http://x.invalid/: %w", &net.DNSError{Err: "i/o timeout", Name: "x.invalid", IsTimeout: true}), KindDNS},
		{fmt.Errorf("fetch http://10.0.0.1/: %w", ErrBlocked), KindOther},
		{&HostBackoffError{Host: "example.org", RetryAfter: time.Hour}, KindOther},
		{fmt.Errorf("fetch: %w", context.DeadlineExceeded), KindTimeout},
		{fmt.Errorf("fetch: %w", &net.OpError{Op: "remote error", Err: errors.New("tls: handshake failure")}), KindTLS},
	}
	for _, tt := range tests {
		if got := ErrorKind(tt.err); got != tt.want {
			t.Errorf("ErrorKind(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}

// TestCanceledFetchNotCounted: a fetch the caller canceled is no failure
// of the site.
func TestCanceledFetchNotCounted(t *testing.T) {
	t.Parallel()
	site := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	k := &kinds{}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := newTestClient(t, Options{ErrorCounter: k}).Fetch(ctx, site.URL, Validators{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Fetch with a canceled context = %v, want context.Canceled", err)
	}
	if got := k.counted(); len(got) != 0 {
		t.Errorf("a canceled fetch counted as %q, want nothing", got)
	}
}

// closedPort returns a loopback address nothing listens on while t runs.
func closedPort(t *testing.T) string {
	t.Helper()
	addr, release, err := newstest.RefusingAddr()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { release() })
	return addr
}
