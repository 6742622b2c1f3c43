package web

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// blockingStore is the fixture store whose exports wait, once started,
// until release is closed.
type blockingStore struct {
	*store.Store
	entered chan struct{}
	release chan struct{}
}

func (b *blockingStore) ForEachArticle(ctx context.Context, q store.Query, fn func(*news.Article) error) error {
	b.entered <- struct{}{}
	select {
	case <-b.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return b.Store.ForEachArticle(ctx, q, fn)
}

// TestExportLimit: with MaxExports 2, a third concurrent export gets 503
// with Retry-After at once, and is served again once one has finished.
func TestExportLimit(t *testing.T) {
	t.Parallel()
	st, _ := openFixture(t)
	bs := &blockingStore{Store: st, entered: make(chan struct{}), release: make(chan struct{})}
	h := New(Options{Store: bs, Control: staticControl{feeds: fixtureFeeds}, Auth: AuthLocal, MaxExports: 2})
	base, _, _ := startServe(t, h, ServeOptions{})
	codes := make(chan int, 2)
	for range 2 {
		go func() {
			resp, err := http.Get(base + "/export?all=1")
			if err != nil {
				codes <- 0
				return
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			codes <- resp.StatusCode
		}()
		<-bs.entered
	}
	resp, err := http.Get(base + "/export?all=1")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") != "10" {
		t.Errorf("third export = %d, Retry-After %q, want 503 with Retry-After 10", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	if !strings.Contains(string(body), "2 already running") {
		t.Errorf("third export body = %q, want it to say 2 are running", body)
	}
	if rec := get(t, h, "/healthz"); rec.Code != http.StatusOK {
		t.Errorf("GET /healthz during the exports = %d, want 200: the limit is for exports only", rec.Code)
	}
	close(bs.release)
	for range 2 {
		if code := <-codes; code != http.StatusOK {
			t.Errorf("export within the limit = %d, want 200", code)
		}
	}
	go func() { <-bs.entered }() // the next export enters at once
	resp, err = http.Get(base + "/export?all=1")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("export after the others finished = %d, want 200", resp.StatusCode)
	}
}
