package newstest

import (
	"bytes"
	"cmp"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"
)

// BasePlaceholder is replaced in every served body by the site's base URL
// (such as "http://127.0.0.1:41234"), so feeds can carry absolute links.
const BasePlaceholder = "{{base}}"

// Route is what the site serves at one path.
type Route struct {
	Body []byte // served after BasePlaceholder is replaced
	// ContentType overrides the type derived from the path's extension;
	// use it to put a charset only in the HTTP header.
	ContentType string
	Status      int         // default 200
	Header      http.Header // extra response headers (Retry-After, Cache-Control...)
	Gzip        bool        // gzip the body when the request accepts it
	// NoValidators turns off the automatic ETag and Last-Modified, and so
	// the 304 answers.
	NoValidators bool
	// Handler, when set, serves the route instead of everything above;
	// counters are still kept. See the hostile handlers.
	Handler http.HandlerFunc
	// ModTime is the Last-Modified time; zero means when the route was set.
	ModTime time.Time
}

// Site is a news site on an HTTP server on 127.0.0.1. Its methods are safe
// for concurrent use, also while it serves.
type Site struct {
	srv    *http.Server
	url    string
	served chan struct{} // closed when the server's Serve returns

	// closeMu guards closed and the Add of inflight, so that no request
	// starts once Close waits.
	closeMu  sync.Mutex
	closed   bool
	inflight sync.WaitGroup // requests being served

	mu     sync.Mutex
	routes map[string]Route
	count  map[string]*Counts
}

// Counts are the requests one path received.
type Counts struct {
	Requests    int // every request
	Conditional int // requests with If-None-Match or If-Modified-Since
	NotModified int // answered 304
	Gzipped     int // answered with a gzip body
}

// NewSite serves every file of files at "/" + its path and starts the
// server on 127.0.0.1. files may be nil for an empty site.
func NewSite(files fs.FS) (*Site, error) {
	s := newSite()
	if files != nil {
		err := fs.WalkDir(files, ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			body, err := fs.ReadFile(files, p)
			if err != nil {
				return err
			}
			s.routes["/"+p] = Route{Body: body, ModTime: siteEpoch}
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("load site files: %w", err)
		}
	}
	return s, s.start()
}

// NewSiteMap serves the given bodies at their paths (which start with "/").
func NewSiteMap(files map[string]string) (*Site, error) {
	s := newSite()
	for p, body := range files {
		s.routes[p] = Route{Body: []byte(body), ModTime: siteEpoch}
	}
	return s, s.start()
}

// siteEpoch is the Last-Modified time of files loaded at start.
var siteEpoch = time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)

func newSite() *Site {
	return &Site{routes: map[string]Route{}, count: map[string]*Counts{}}
}

// start serves the site on a new 127.0.0.1 listener. It is a plain
// http.Server rather than net/http/httptest, which would be linked into
// the newswatch binary (for the demo) and register its flag at start-up.
func (s *Site) start() error {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("listen on 127.0.0.1: %w", err)
	}
	s.url = "http://" + l.Addr().String()
	s.srv = &http.Server{Handler: http.HandlerFunc(s.serve), ReadHeaderTimeout: 10 * time.Second}
	s.served = make(chan struct{})
	go func() {
		defer close(s.served)
		s.srv.Serve(l) //nolint:errcheck // always http.ErrServerClosed, after Close
	}()
	return nil
}

// URL returns the base URL, such as "http://127.0.0.1:41234", without a
// trailing slash.
func (s *Site) URL() string { return s.url }

// Close shuts the server down: it closes every connection, so hostile
// handlers, which return when their request's context ends, do not hang
// it, and waits for the requests in flight. Requests after Close are
// refused.
func (s *Site) Close() {
	s.closeMu.Lock()
	s.closed = true
	s.closeMu.Unlock()
	s.srv.Close() //nolint:errcheck // only the listener's close error, of no use here
	<-s.served
	s.inflight.Wait()
}

// serve counts the request in flight for Close and serves it.
func (s *Site) serve(w http.ResponseWriter, r *http.Request) {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		http.Error(w, "newstest: site closed", http.StatusServiceUnavailable)
		return
	}
	s.inflight.Add(1)
	s.closeMu.Unlock()
	defer s.inflight.Done()
	s.ServeHTTP(w, r)
}

// Set adds or replaces the route at p; items can appear while serving.
// A replaced route's Last-Modified moves forward by at least a second.
func (s *Site) Set(p string, r Route) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if r.ModTime.IsZero() {
		r.ModTime = time.Now().UTC().Truncate(time.Second)
		if old, ok := s.routes[p]; ok && !r.ModTime.After(old.ModTime) {
			r.ModTime = old.ModTime.Add(time.Second)
		}
	}
	s.routes[p] = r
}

// SetBody replaces the body at p, keeping the route's other settings.
func (s *Site) SetBody(p string, body []byte) {
	r, _ := s.Route(p)
	r.Body, r.ModTime = body, time.Time{}
	s.Set(p, r)
}

// Handle serves p with h (a hostile handler, for example).
func (s *Site) Handle(p string, h http.HandlerFunc) {
	s.Set(p, Route{Handler: h})
}

// Route returns the route at p.
func (s *Site) Route(p string) (Route, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.routes[p]
	return r, ok
}

// Update changes the route at p in place with fn (a missing route starts
// as the zero Route).
func (s *Site) Update(p string, fn func(*Route)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r := s.routes[p]
	fn(&r)
	s.routes[p] = r
}

// Paths returns every served path.
func (s *Site) Paths() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]string, 0, len(s.routes))
	for p := range s.routes {
		out = append(out, p)
	}
	return out
}

// Counts returns the request counters of path p.
func (s *Site) Counts(p string) Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.count[p]; c != nil {
		return *c
	}
	return Counts{}
}

// Requests returns how many requests path p received.
func (s *Site) Requests(p string) int { return s.Counts(p).Requests }

// AllCounts returns a copy of the counters of every requested path.
func (s *Site) AllCounts() map[string]Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]Counts, len(s.count))
	for p, c := range s.count {
		out[p] = *c
	}
	return out
}

// ResetCounts zeroes every counter.
func (s *Site) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.count = map[string]*Counts{}
}

// record counts a request and returns the route to serve.
func (s *Site) record(r *http.Request) (Route, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.count[r.URL.Path]
	if c == nil {
		c = &Counts{}
		s.count[r.URL.Path] = c
	}
	c.Requests++
	if r.Header.Get("If-None-Match") != "" || r.Header.Get("If-Modified-Since") != "" {
		c.Conditional++
	}
	rt, ok := s.routes[r.URL.Path]
	return rt, ok
}

func (s *Site) bump(p string, f func(*Counts)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c := s.count[p]; c != nil {
		f(c)
	}
}

// ServeHTTP serves the site.
func (s *Site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt, ok := s.record(r)
	switch {
	case !ok:
		http.NotFound(w, r)
		return
	case rt.Handler != nil:
		rt.Handler(w, r)
		return
	}
	body := bytes.ReplaceAll(rt.Body, []byte(BasePlaceholder), []byte(s.URL()))
	h := w.Header()
	for k, vs := range rt.Header {
		h[k] = append([]string(nil), vs...)
	}
	if h.Get("Content-Type") == "" {
		h.Set("Content-Type", cmp.Or(rt.ContentType, TypeByExtension(r.URL.Path)))
	}
	status := rt.Status
	if status == 0 {
		status = http.StatusOK
	}
	if !rt.NoValidators && status == http.StatusOK {
		etag := ETag(body)
		h.Set("ETag", etag)
		h.Set("Last-Modified", rt.ModTime.UTC().Format(http.TimeFormat))
		if notModified(r, etag, rt.ModTime) {
			s.bump(r.URL.Path, func(c *Counts) { c.NotModified++ })
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	if rt.Gzip && acceptsGzip(r) {
		s.bump(r.URL.Path, func(c *Counts) { c.Gzipped++ })
		h.Set("Content-Encoding", "gzip")
		h.Add("Vary", "Accept-Encoding")
		body = gzipBytes(body)
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(body) //nolint:errcheck // the client went away
	}
}

// ETag returns the strong entity tag the site sends for body.
func ETag(body []byte) string {
	sum := sha256.Sum256(body)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}

// notModified applies If-None-Match, else If-Modified-Since.
func notModified(r *http.Request, etag string, mod time.Time) bool {
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		for _, t := range strings.Split(inm, ",") {
			t = strings.TrimPrefix(strings.TrimSpace(t), "W/")
			if t == etag || t == "*" {
				return true
			}
		}
		return false
	}
	ims, err := http.ParseTime(r.Header.Get("If-Modified-Since"))
	return err == nil && !mod.Truncate(time.Second).After(ims)
}

func acceptsGzip(r *http.Request) bool {
	for _, e := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		e, q, _ := strings.Cut(strings.TrimSpace(e), ";")
		if strings.EqualFold(strings.TrimSpace(e), "gzip") && strings.ReplaceAll(q, " ", "") != "q=0" {
			return true
		}
	}
	return false
}

func gzipBytes(b []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	zw.Write(b) //nolint:errcheck // writes to a bytes.Buffer do not fail
	zw.Close()  //nolint:errcheck
	return buf.Bytes()
}

// TypeByExtension returns the Content-Type the site sends for a path.
func TypeByExtension(p string) string {
	switch strings.ToLower(path.Ext(p)) {
	case ".rss", ".xml":
		return "application/rss+xml; charset=utf-8"
	case ".atom":
		return "application/atom+xml; charset=utf-8"
	case ".json":
		return "application/feed+json; charset=utf-8"
	case ".html", ".htm", ".vnp":
		return "text/html; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	}
	return "application/octet-stream"
}
