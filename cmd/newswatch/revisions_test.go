package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/newswatch/newswatch/web"
)

// changingSite is a news site whose article pages can be edited, taken
// down (404) or redirected to the home page between polls.
type changingSite struct {
	*httptest.Server
	mu    sync.Mutex
	pages map[string]string // path -> body paragraph; "" answers 404
	moved map[string]bool   // path -> redirected to /
}

func newChangingSite(t *testing.T) *changingSite {
	s := &changingSite{pages: map[string]string{}, moved: map[string]bool{}}
	for _, p := range []string{"/news/edited-1", "/news/removed-2", "/news/moved-3", "/news/kept-4"} {
		s.pages[p] = "Police in the province broke up a human trafficking ring that sold workers abroad; three suspects were arrested."
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *changingSite) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case r.URL.Path == "/rss":
		w.Header().Set("Content-Type", "application/rss+xml")
		fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>Changing</title><link>`+s.URL+`/</link>`)
		for _, p := range []string{"/news/edited-1", "/news/removed-2", "/news/moved-3", "/news/kept-4"} {
			fmt.Fprintf(w, `<item><title>Trafficking ring %s</title><link>%s%s</link><guid>%s%s</guid><pubDate>Mon, 07 Dec 2026 08:00:00 GMT</pubDate></item>`, p, s.URL, p, s.URL, p)
		}
		fmt.Fprint(w, `</channel></rss>`)
	case r.URL.Path == "/" || r.URL.Path == "/robots.txt":
		fmt.Fprint(w, "<html><body><h1>Home</h1></body></html>")
	case s.moved[r.URL.Path]:
		http.Redirect(w, r, "/", http.StatusMovedPermanently)
	case s.pages[r.URL.Path] == "":
		http.NotFound(w, r)
	default:
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, "<html><head><title>Trafficking ring</title></head><body><article><h1>Trafficking ring</h1><p>%s</p><p>The investigation goes on, the provincial police said on Monday.</p></article></body></html>", s.pages[r.URL.Path])
	}
}

// change edits, removes and redirects three of the four pages.
func (s *changingSite) change() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pages["/news/edited-1"] = "Police in the province broke up a human trafficking ring that sold workers abroad; five suspects were arrested."
	s.pages["/news/removed-2"] = ""
	s.moved["/news/moved-3"] = true
}

// TestRevisionsDetected: a page edited, one removed (404) and one
// redirected to the home page between two polls show in export as an edit
// with its diff size and two removals; the unchanged page shows none. The
// refetch delays are shortened so the second poll finds them due.
func TestRevisionsDetected(t *testing.T) {
	t.Parallel()
	site := newChangingSite(t)
	dir := t.TempDir()
	cfg := filepath.Join(dir, "newswatch.yaml")
	body := fmt.Sprintf("store: %s\nfetch:\n  allow_private_networks: true\n  per_host_rate: -1\n  refetch: [1ns, 2ns]\nlog:\n  level: warn\nfeeds:\n  - url: %s/rss\n", filepath.Join(dir, "nw.db"), site.URL)
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("poll = %v; stderr:\n%s", err, stderr)
	}
	for _, r := range exportRecords(t, "export", "--config", cfg) {
		if r["revisions"] != nil {
			t.Errorf("after the first poll %v has revisions %v, want none", r["url"], r["revisions"])
		}
	}
	site.change()
	if _, stderr, err := exec(t, "poll", "--config", cfg); err != nil {
		t.Fatalf("second poll = %v; stderr:\n%s", err, stderr)
	}
	got := map[string]string{}
	for _, r := range exportRecords(t, "export", "--config", cfg) {
		var kinds []string
		revs, _ := r["revisions"].([]any)
		for _, rv := range revs {
			m := rv.(map[string]any)
			k := fmt.Sprint(m["kind"])
			if m["kind"] == "edited" && m["diff_size"].(float64) <= 0 {
				k += " without a diff"
			}
			if m["kind"] == "removed" {
				k += fmt.Sprintf(" %v", m["status"])
			}
			kinds = append(kinds, k)
		}
		u := strings.TrimPrefix(r["url"].(string), site.URL)
		got[u] = strings.Join(kinds, ",")
		if u == "/news/edited-1" {
			checkRevisionCapture(t, cfg, r["id"].(string))
		}
	}
	want := map[string]string{"/news/edited-1": "edited", "/news/removed-2": "removed 404", "/news/moved-3": "removed 301", "/news/kept-4": ""}
	for u, w := range want {
		if got[u] != w {
			t.Errorf("revisions of %s = %q, want %q", u, got[u], w)
		}
	}
}

// checkRevisionCapture checks that the edited article id kept the page
// of its edit as a second capture, marked with the revision.
func checkRevisionCapture(t *testing.T, cfg, id string) {
	t.Helper()
	out, _, err := exec(t, "evidence", "--config", cfg, "--format", "json", id)
	var ev web.Evidence
	if err != nil || json.Unmarshal([]byte(out), &ev) != nil {
		t.Fatalf("evidence %s = %v:\n%s", id, err, out)
	}
	if len(ev.Captures) != 2 || ev.Captures[1].Revision != 1 || ev.Captures[0].PayloadSHA256 == ev.Captures[1].PayloadSHA256 {
		t.Errorf("evidence of the edited article: %+v, want its first page and the edited one (revision 1)", ev.Captures)
	}
	text, _, err := exec(t, "evidence", "--config", cfg, id)
	if err != nil || !strings.Contains(text, "revision 1") || !strings.Contains(text, "edited (") {
		t.Errorf("evidence %s (text) = %v:\n%s\nwant the edit listed", id, err, text)
	}
}
