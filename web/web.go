package web

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/newswatch/newswatch/export"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Store is the web server's view of the archive.
type Store interface {
	export.Source
	AlertSource
	Feeds() ([]store.FeedState, error)
	Stats() (store.Stats, error)
	RetryAlert(id string, now time.Time) error
	Check(ctx context.Context) (store.CheckReport, error)
	Damage() error
	Backup(ctx context.Context, w io.Writer) (int64, error)
	TokenStore
	UserStore
	WriteHealth() store.WriteHealth
	PageStore
	LabelStore
	StorySource
	EvidenceStore
}

var _ Store = (*store.Store)(nil)

// Options configure New. Store is required; the rest may be empty.
type Options struct {
	Store Store
	// Control reaches the rest of newswatch: the feeds and topics in force
	// (the rows of /feeds, the series of /metrics) and the changes that
	// need the configuration. Nil serves the store alone: no feeds, no
	// topics, and changes answer 503.
	Control Control
	// Auth says who may use the handler; the zero value asks a login
	// session or an API token of every request but /login, /healthz and
	// /static/.
	Auth Auth
	// SessionIdle and SessionLifetime say when a login session ends:
	// unused for SessionIdle, or SessionLifetime after the login. Zero
	// means DefaultSessionIdle and DefaultSessionLifetime.
	SessionIdle, SessionLifetime time.Duration
	// Logger receives errors that cannot reach the client (an export
	// that fails half-way). Nil discards them.
	Logger *slog.Logger
	// MaxExports is how many /export requests run at once; more get 503
	// with Retry-After. Zero means DefaultMaxExports.
	MaxExports int
	// Now is the clock of the pages (the last 24 hours, 30 days); nil
	// means time.Now.
	Now func() time.Time
	// Events are the event metrics /metrics serves beside the store's;
	// nil serves the store's alone.
	Events *Events
}

// feeds returns the feeds in force.
func (o Options) feeds() []news.Feed {
	if o.Control == nil {
		return nil
	}
	return o.Control.Feeds()
}

// topics returns the topics in force.
func (o Options) topics() []string {
	if o.Control == nil {
		return nil
	}
	return o.Control.Topics()
}

// New returns the handler of the daemon's HTTP API. The same routes serve
// the control socket (Auth: AuthLocal) and web.listen:
//
//	GET    /                     the dashboard's overview; its pages are listed in pages.go
//	GET    /api/                 the list of endpoints
//	GET    /healthz              "ok" when the store answers and saves polls, else 503
//	GET    /metrics              Prometheus metrics: the store's, read at scrape time, and Options.Events
//	GET    /api/feeds            every feed in force with its health (also /feeds)
//	POST   /api/feeds            add a feed: a FeedSpec as JSON
//	DELETE /api/feeds?url=URL    remove a feed added at run time
//	POST   /api/feeds/import     add the feeds of an OPML file (the body)
//	GET    /api/feeds/export     the feeds in force as OPML 2.0
//	GET    /api/topics           the topics in force, with their queries and origin
//	POST   /api/topics           save a topic: {"name","query"}
//	DELETE /api/topics/{name}    delete a topic saved at run time
//	GET    /api/topics/{name}/matches  a page of a topic's matches with their stories, as /topics/{name} shows them (JSON)
//	GET    /api/search?q=QUERY   articles a query matches, newest first, through the search index (JSON)
//	GET    /api/export           the archive as JSON Lines, CSV, Atom or Parquet (also /export)
//	GET    /topics/{name}/matches.csv  a topic's matches as CSV
//	GET    /topics/{name}/feed.atom?key=KEY  a topic's newest matches as Atom, for feed readers (the key, no session)
//	GET    /api/labels/export    the judged articles with their relevance labels, as JSON Lines
//	GET    /api/articles/{id}/captures  the manifest of an article's kept HTTP exchanges (evidence)
//	GET    /api/alerts           the alert outbox (/alerts is its page)
//	GET    /api/stories          stories updated since (?since=&topic=&limit=), the latest first
//	GET    /api/stories/{id}     a story with its articles and the evidence of each (/stories/{id} is its page)
//	POST   /api/alerts/retry     send failed alerts again: {"id"} or {"all_failed":true}
//	POST   /api/rematch          run the topics again over the archive
//	POST   /api/reload           re-read the config file and apply it
//	GET    /api/status           version, config, store, pid of the server
//	GET    /api/store/check      verify the store file and count its records
//	GET    /api/backup           a consistent copy of the store file
//	GET    /api/tokens           API tokens (names and roles, never secrets)
//	POST   /api/tokens           create a token: {"name","role"}; its secret is shown once
//	DELETE /api/tokens/{name}    revoke a token
//	GET    /login, POST /login   the login form; POST /logout ends the session
//	GET    /account              the user's own password, feed key and sessions
//	GET    /api/users            users (names and roles, never hashes)
//	POST   /api/users            add a user: {"name","role","password"}
//	DELETE /api/users/{name}     remove a user and end their sessions
//	PUT    /api/users/{name}/password  set a password: {"password"}
//	POST   /api/users/{name}/feedkey   a new feed key, shown once (DELETE revokes)
//
// Who may use which is said in auth.go.
//
// Errors are JSON {"error": "..."} with a status that says whose fault
// they are: 4xx the request's, 5xx newswatch's.
func New(o Options) http.Handler {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Store == nil {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			http.Error(w, "web: no store configured", http.StatusServiceUnavailable)
		})
	}
	a := &api{o: o, now: time.Now, auth: newAuthState(o)}
	if o.Now != nil {
		a.now = o.Now
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", healthz(o.Store))
	mux.Handle("GET /static/", staticHandler())
	read := func(pattern string, h http.Handler) { mux.Handle(pattern, a.require(RoleViewer, h)) }
	admin := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, a.require(RoleAdmin, h)) }
	read("GET /metrics", metricsHandler(o))
	exports := limit(cmp.Or(max(o.MaxExports, 0), DefaultMaxExports), exportRetryAfter, "export", exportRoutes(o))
	for _, prefix := range []string{"", "/api"} {
		read("GET "+prefix+"/feeds", feedsHandler(o))
		read("GET "+prefix+"/export", exports)
	}
	read("GET /api/alerts", alertsHandler(o.Store))
	read("GET /api/search", http.HandlerFunc(a.apiSearch))
	read("GET /api/stories", http.HandlerFunc(a.listStories))
	read("GET /api/stories/{id}", http.HandlerFunc(a.showStory))
	read("GET /api/articles/{id}/captures", http.HandlerFunc(a.evidence))
	read("GET /topics/{name}/matches.csv", exports)
	read("GET /api/labels/export", http.HandlerFunc(a.exportLabels))
	a.routePages(mux)
	read("GET /api/status", http.HandlerFunc(a.status))
	read("GET /api/feeds/export", http.HandlerFunc(a.exportFeeds))
	read("GET /api/topics", http.HandlerFunc(a.listTopics))
	read("GET /api/topics/{name}/matches", http.HandlerFunc(a.topicMatches))
	admin("POST /api/topics", a.saveTopic)
	admin("DELETE /api/topics/{name}", a.deleteTopic)
	admin("POST /api/feeds", a.addFeed)
	admin("DELETE /api/feeds", a.removeFeed)
	admin("POST /api/feeds/import", a.importFeeds)
	admin("POST /api/alerts/retry", a.retryAlerts)
	admin("POST /api/rematch", a.rematch)
	admin("POST /api/reload", a.reload)
	admin("GET /api/store/check", a.checkStore)
	admin("GET /api/backup", a.backup)
	admin("GET /api/tokens", a.listTokens)
	admin("POST /api/tokens", a.createToken)
	admin("DELETE /api/tokens/{name}", a.revokeToken)
	read("GET /topics/{name}/feed.atom", http.HandlerFunc(a.topicFeed))
	a.sessionRoutes(mux)
	return secureHeaders(a.authenticate(mux))
}

// api holds the handlers that need more than the store.
type api struct {
	o    Options
	now  func() time.Time
	auth *authState
}

// index lists the endpoints, for an operator trying the API in a
// browser: GET /api/ (/ is the dashboard's overview).
func (a *api) index(w http.ResponseWriter, r *http.Request) {
	a.render(w, r, http.StatusOK, "index", "", nil)
}

// healthz answers 200 "ok" when the store can be read, has met no
// damaged page and the last poll save succeeded, 503 naming the error
// otherwise: a daemon whose disk is full or whose file is damaged still
// answers, but archives nothing.
func healthz(st Store) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if _, err := st.Feeds(); err != nil {
			http.Error(w, fmt.Sprintf("store: %v", err), http.StatusServiceUnavailable)
			return
		}
		if err := st.Damage(); err != nil { // writes stopped until a restart
			http.Error(w, fmt.Sprintf("store: %v", err), http.StatusServiceUnavailable)
			return
		}
		if h := st.WriteHealth(); !h.OK() {
			http.Error(w, fmt.Sprintf("store cannot save polls since %s: %s", h.FailingSince.UTC().Format(time.RFC3339), h.SaveError),
				http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	}
}

// secureHeaders stops browsers from sniffing our plain text and JSON as
// something else.
func secureHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Content-Type-Options", "nosniff")
		h.ServeHTTP(w, r)
	})
}
