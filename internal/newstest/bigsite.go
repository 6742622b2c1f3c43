package newstest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// BigSite is a generated news site for benchmarks: Feeds feeds of Items
// items each, whose article pages (30–80 KB, most of it page chrome as on
// real news sites: menus of headlines, a consent dialog, comments, boxes
// of other stories, inline CSS, SVG and scripts; see Page.Chrome) are
// rendered from the corpus in seven languages when requested, so the site
// costs little memory. Feed n is at /big/feed{n}.rss.
type BigSite struct {
	Feeds, Items int
	// Gzip serves pages and feeds gzipped to clients that accept it, as
	// news sites do. Each is then rendered once and kept compressed
	// (about 10 KB a page), so the site spends little CPU beside the
	// client it measures.
	Gzip   bool
	corpus []CorpusPage
	cache  sync.Map // Gzip: path -> gzipped body served for a host
}

// gzipped is a compressed response kept by a BigSite with Gzip on.
type gzipped struct {
	host string
	body []byte
}

// NewBigSite returns a site of feeds × items articles.
func NewBigSite(feeds, items int) *BigSite {
	return &BigSite{Feeds: feeds, Items: items, corpus: Corpus()}
}

// FeedPath returns the path of feed n.
func (s *BigSite) FeedPath(n int) string { return fmt.Sprintf("/big/feed%d.rss", n) }

// Articles returns how many articles the site has.
func (s *BigSite) Articles() int { return s.Feeds * s.Items }

// Page returns article i of feed n, as the site serves it.
func (s *BigSite) Page(n, i int) Page {
	k := n*s.Items + i
	p := s.corpus[k%len(s.corpus)].Page
	p.ID = 1_000_000 + k
	p.Slug = fmt.Sprintf("big/%d/%s", n, p.Slug)
	p.Published = p.Published.Add(-time.Duration(k) * time.Minute)
	p.Padding = 30<<10 + (k*7919)%(50<<10)
	p.Chrome = true
	return p
}

// ServeHTTP serves feeds and pages, 404 for anything else.
func (s *BigSite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := r.URL.Path
	if rest, ok := strings.CutPrefix(path, "/big/feed"); ok {
		n, err := strconv.Atoi(strings.TrimSuffix(rest, ".rss"))
		if err != nil || n < 0 || n >= s.Feeds {
			http.NotFound(w, r)
			return
		}
		s.serveFeed(w, r, n)
		return
	}
	var n, id int
	if _, err := fmt.Sscanf(path, "/big/%d/", &n); err == nil {
		if i := strings.LastIndex(path, "-post"); i > 0 {
			id, _ = strconv.Atoi(strings.TrimSuffix(path[i+5:], ".vnp"))
		}
	}
	k := id - 1_000_000
	if k < 0 || k >= s.Articles() || k/s.Items != n {
		http.NotFound(w, r)
		return
	}
	p := s.Page(n, k%s.Items)
	if p.Path() != path {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	s.write(w, r, func() []byte { return []byte(strings.ReplaceAll(string(p.HTML()), BasePlaceholder, "http://"+r.Host)) })
}

// write writes the body render returns, gzipped from the cache when the
// site and the client agree on gzip.
func (s *BigSite) write(w http.ResponseWriter, r *http.Request, render func() []byte) {
	var body []byte
	if s.Gzip && acceptsGzip(r) {
		if c, ok := s.cache.Load(r.URL.Path); ok && c.(gzipped).host == r.Host {
			body = c.(gzipped).body
		} else {
			body = gzipBytes(render())
			s.cache.Store(r.URL.Path, gzipped{r.Host, body})
		}
		w.Header().Set("Content-Encoding", "gzip")
	} else {
		body = render()
	}
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.Write(body) //nolint:errcheck // the client went away
}

func (s *BigSite) serveFeed(w http.ResponseWriter, r *http.Request, n int) {
	items := make([]FeedItem, 0, s.Items)
	for i := range s.Items {
		items = append(items, s.Page(n, i).Item())
	}
	c := Channel{Title: fmt.Sprintf("Big feed %d", n), Link: BasePlaceholder + "/", Description: "generated", Lang: ""}
	w.Header().Set("Content-Type", TypeByExtension(".rss"))
	s.write(w, r, func() []byte {
		return []byte(strings.ReplaceAll(string(RSS(c, items)), BasePlaceholder, "http://"+r.Host))
	})
}
