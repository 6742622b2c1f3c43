package web

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

func TestHealthz(t *testing.T) {
	t.Parallel()
	h, st, _ := fixtureHandler(t)
	rec := get(t, h, "/healthz")
	if rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 \"ok\\n\"", rec.Code, rec.Body.String())
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	rec = get(t, h, "/healthz")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "store") {
		t.Errorf("GET /healthz on a closed store = %d %q, want 503 naming the store", rec.Code, rec.Body.String())
	}
}

func TestRoutes(t *testing.T) {
	t.Parallel()
	h, _, _ := fixtureHandler(t)
	tests := []struct {
		method, target string
		want           int
	}{
		{http.MethodGet, "/", http.StatusOK},
		{http.MethodGet, "/api/", http.StatusOK},
		{http.MethodPost, "/", http.StatusMethodNotAllowed},
		{http.MethodHead, "/healthz", http.StatusOK},
		{http.MethodPost, "/export", http.StatusMethodNotAllowed},
		{http.MethodDelete, "/feeds", http.StatusMethodNotAllowed},
		{http.MethodGet, "/items", http.StatusNotFound},
		{http.MethodGet, "/healthz/", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), tt.method, tt.target, nil))
			if rec.Code != tt.want {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.target, rec.Code, tt.want)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("%s %s: X-Content-Type-Options = %q, want nosniff", tt.method, tt.target, got)
			}
		})
	}
}

// TestIndexListsEndpoints: the list of endpoints moved to /api/ when /
// became the dashboard's overview, which links to the other pages.
func TestIndexListsEndpoints(t *testing.T) {
	t.Parallel()
	h, _, _ := fixtureHandler(t)
	body := get(t, h, "/api/").Body.String()
	for _, p := range []string{"/healthz", "/metrics", "/api/feeds", "/api/export", "/api/alerts"} {
		if !strings.Contains(body, p) {
			t.Errorf("GET /api/ lacks %s:\n%s", p, body)
		}
	}
	body = get(t, h, "/").Body.String()
	for _, p := range []string{`href="/search"`, `href="/sources"`, `href="/alerts"`, `href="/topics/trafficking"`} {
		if !strings.Contains(body, p) {
			t.Errorf("GET / lacks %s:\n%s", p, body)
		}
	}
}

func TestNoStore(t *testing.T) {
	t.Parallel()
	h := New(Options{})
	for _, p := range []string{"/healthz", "/metrics", "/feeds", "/export"} {
		if rec := get(t, h, p); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("GET %s without a store = %d, want 503", p, rec.Code)
		}
	}
}

// TestHealthzStoreCannotSave fills a store to its size limit: /healthz
// answers 503 naming the cause while polls cannot be saved, /metrics
// counts the failures, and a save that succeeds makes it healthy again.
func TestHealthzStoreCannotSave(t *testing.T) {
	t.Parallel()
	st, err := store.Open(filepath.Join(t.TempDir(), "small.db"), store.Options{MaxSize: 1 << 20})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	h := New(Options{Store: st, Control: staticControl{feeds: fixtureFeeds[:1]}, Auth: AuthLocal})
	feed := fixtureState(0)
	// Random digits: the store compresses articles, and a repeated text
	// would never fill it.
	rnd := rand.New(rand.NewPCG(1, 2))
	var saveErr error
	for i := 0; saveErr == nil && i < 1000; i++ {
		text := loadArticles(t)[0].Text + strconv.FormatUint(rnd.Uint64(), 36)
		for len(text) < 40<<10 {
			text += strconv.FormatUint(rnd.Uint64(), 36)
		}
		a := &news.Article{URL: fmt.Sprintf("https://www.vietnamplus.vn/bai-%d.vnp", i), Text: text, Fetched: t0}
		_, saveErr = st.SavePoll(store.Poll{Feed: feed, Articles: []*news.Article{a}})
	}
	if !errors.Is(saveErr, store.ErrWrite) {
		t.Fatalf("SavePoll beyond MaxSize = %v, want store.ErrWrite", saveErr)
	}
	rec := get(t, h, "/healthz")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "cannot save") || !strings.Contains(rec.Body.String(), "maximum size") {
		t.Errorf("GET /healthz while saves fail = %d %q, want 503 naming the cause", rec.Code, rec.Body)
	}
	fams := scrape(t, h)
	lastSave := values(fams, "newswatch_store_last_save_timestamp_seconds")[""]
	if n := values(fams, "newswatch_store_write_errors_total")[""]; n != 1 || lastSave <= 0 {
		t.Errorf("/metrics: %v write errors, last save %v; want 1 and the time of the last good save", n, lastSave)
	}

	if _, err := st.SavePoll(store.Poll{Feed: feed}); err != nil { // space for a poll without articles
		t.Fatal(err)
	}
	if rec := get(t, h, "/healthz"); rec.Code != http.StatusOK {
		t.Errorf("GET /healthz after a save succeeded = %d %q, want 200", rec.Code, rec.Body)
	}
	if got := values(scrape(t, h), "newswatch_store_last_save_timestamp_seconds")[""]; got < lastSave {
		t.Errorf("last save after a good save = %v, want at least %v", got, lastSave)
	}
}
