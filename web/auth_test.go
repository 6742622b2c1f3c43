package web

import (
	"bytes"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/newswatch/newswatch/store"
)

// testClock is a clock the test moves.
type testClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// Users of authEnv, whose password is goodPassword.
const adminUser, viewerUser = "mai", "an"

// authEnv is the fixture store with an admin and a viewer user (both
// with goodPassword) and token, served under the network rules with a
// clock the test moves.
type authEnv struct {
	st                      *store.Store
	h                       http.Handler
	clock                   *testClock
	adminToken, viewerToken string
}

// goodPasswordHash is goodPassword hashed as new hashes are, once for
// all the tests' users: a hash costs tens of milliseconds by design.
var goodPasswordHash = sync.OnceValue(func() string { return hashPassword(goodPassword, passwordParams) })

func newAuthEnv(t *testing.T) *authEnv {
	t.Helper()
	st, admin, viewer := authFixture(t)
	e := &authEnv{st: st, clock: &testClock{now: t0}, adminToken: admin, viewerToken: viewer}
	phc := goodPasswordHash()
	for name, role := range map[string]Role{adminUser: RoleAdmin, viewerUser: RoleViewer} {
		if err := st.CreateUser(store.User{Name: name, Role: string(role), PasswordHash: phc, Created: t0.Add(-time.Hour)}); err != nil {
			t.Fatal(err)
		}
	}
	e.h = New(Options{Store: st, Control: staticControl{feeds: fixtureFeeds, topics: fixtureTopics}, Now: e.clock.Now})
	return e
}

// session is a login session as the browser holds it.
type session struct {
	cookie, csrf string
}

// session stores a session of user made now, without a login.
func (e *authEnv) session(t *testing.T, user string) session {
	t.Helper()
	s := session{cookie: randomSecret(), csrf: randomSecret()}
	now := e.clock.Now()
	if err := e.st.CreateSession(s.cookie, store.Session{User: user, CSRF: s.csrf, Created: now, LastSeen: now}); err != nil {
		t.Fatal(err)
	}
	return s
}

// req is one request to send through authEnv.
type req struct {
	method, target string
	token          string  // a bearer token
	sess           session // its cookie, if set
	csrf           string  // sent in the header
	form           url.Values
	hdr            []string // more headers: name, value, ...
	addr           string   // RemoteAddr; default 192.0.2.10:40000
}

// do sends r through e's handler.
func (e *authEnv) do(t *testing.T, r req) *httptest.ResponseRecorder {
	t.Helper()
	var body *strings.Reader
	if r.form != nil {
		body = strings.NewReader(r.form.Encode())
	} else {
		body = strings.NewReader("")
	}
	hr := httptest.NewRequestWithContext(t.Context(), r.method, r.target, body)
	hr.RemoteAddr = "192.0.2.10:40000"
	if r.addr != "" {
		hr.RemoteAddr = r.addr
	}
	if r.form != nil {
		hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if r.token != "" {
		hr.Header.Set("Authorization", "Bearer "+r.token)
	}
	if r.sess.cookie != "" {
		hr.AddCookie(&http.Cookie{Name: sessionCookie, Value: r.sess.cookie})
	}
	if r.csrf != "" {
		hr.Header.Set(CSRFHeader, r.csrf)
	}
	for i := 0; i+1 < len(r.hdr); i += 2 {
		hr.Header.Set(r.hdr[i], r.hdr[i+1])
	}
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, hr)
	return rec
}

// through is the status of a request that the auth rules let through to
// a route this branch does not serve.
const through = -1

// TestAuthRules: method × path × credential × role × CSRF token.
func TestAuthRules(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	adminS, viewerS := e.session(t, adminUser), e.session(t, viewerUser)
	if err := e.st.UpdateUser(adminUser, func(u *store.User) error { u.FeedKey = "feed-key-of-mai"; return nil }); err != nil {
		t.Fatal(err)
	}
	csrfForm := func(csrf string) url.Values { return url.Values{"csrf": {csrf}, "action": {"new"}} }
	html := []string{"Accept", "text/html,application/xhtml+xml"}
	tests := []struct {
		name string
		r    req
		want int
		loc  string // the Location of a redirect
	}{
		// Public paths need nothing.
		{"healthz", req{method: "GET", target: "/healthz"}, 200, ""},
		{"login form", req{method: "GET", target: "/login"}, 200, ""},
		{"stylesheet", req{method: "GET", target: "/static/style.css"}, 200, ""},
		// Without credentials: pages go to the login form, API calls get 401.
		{"API read without credentials", req{method: "GET", target: "/api/feeds"}, 401, ""},
		{"metrics without credentials", req{method: "GET", target: "/metrics"}, 401, ""},
		{"legacy /export without credentials", req{method: "GET", target: "/export"}, 401, ""},
		{"API read from a browser", req{method: "GET", target: "/api/feeds", hdr: html}, 303, "/login?next=%2Fapi%2Ffeeds"},
		{"overview", req{method: "GET", target: "/"}, 303, "/login"},
		{"a page with a query", req{method: "GET", target: "/topics/un?lang=ar"}, 303, "/login?next=%2Ftopics%2Fun%3Flang%3Dar"},
		{"account page", req{method: "GET", target: "/account"}, 303, "/login?next=%2Faccount"},
		{"a form post", req{method: "POST", target: "/account/feedkey", form: csrfForm("x")}, 303, "/login"},
		{"logout", req{method: "POST", target: "/logout"}, 303, "/login"},
		{"an unknown path", req{method: "GET", target: "/wp-admin"}, 303, "/login?next=%2Fwp-admin"},
		// Tokens: a bad one is refused whatever the path; no CSRF needed.
		{"bad token", req{method: "GET", target: "/healthz", token: "nw_wrong"}, 401, ""},
		{"viewer token reads", req{method: "GET", target: "/api/feeds", token: e.viewerToken}, 200, ""},
		{"viewer token reads metrics", req{method: "GET", target: "/metrics", token: e.viewerToken}, 200, ""},
		{"viewer token cannot change", req{method: "DELETE", target: "/api/tokens/nobody", token: e.viewerToken}, 403, ""},
		{"viewer token cannot list users", req{method: "GET", target: "/api/users", token: e.viewerToken}, 403, ""},
		{"admin token changes without CSRF", req{method: "DELETE", target: "/api/tokens/nobody", token: e.adminToken}, 404, ""},
		{"admin token lists users", req{method: "GET", target: "/api/users", token: e.adminToken}, 200, ""},
		{"a token has no account page", req{method: "GET", target: "/account", token: e.adminToken}, 403, ""},
		// Sessions: reads need nothing more; changes need the CSRF token.
		{"viewer session reads", req{method: "GET", target: "/api/feeds", sess: viewerS}, 200, ""},
		{"viewer session opens the account page", req{method: "GET", target: "/account", sess: viewerS}, 200, ""},
		{"admin session reads", req{method: "GET", target: "/api/feeds", sess: adminS}, 200, ""},
		{"admin session change without CSRF", req{method: "DELETE", target: "/api/tokens/nobody", sess: adminS}, 403, ""},
		{"admin session change with a wrong CSRF", req{method: "DELETE", target: "/api/tokens/nobody", sess: adminS, csrf: viewerS.csrf}, 403, ""},
		{"admin session change with CSRF", req{method: "DELETE", target: "/api/tokens/nobody", sess: adminS, csrf: adminS.csrf}, 404, ""},
		{"viewer session change with CSRF", req{method: "DELETE", target: "/api/tokens/nobody", sess: viewerS, csrf: viewerS.csrf}, 403, ""},
		{"viewer session lists users", req{method: "GET", target: "/api/users", sess: viewerS}, 403, ""},
		{"form without CSRF", req{method: "POST", target: "/account/feedkey", sess: viewerS, form: url.Values{"action": {"new"}}}, 403, ""},
		{"form with a wrong CSRF", req{method: "POST", target: "/account/feedkey", sess: viewerS, form: csrfForm(adminS.csrf)}, 403, ""},
		{"form with CSRF", req{method: "POST", target: "/account/feedkey", sess: viewerS, form: csrfForm(viewerS.csrf)}, 303, "/account?done=feedkey"},
		{"CSRF in the query is not enough", req{method: "POST", target: "/account/feedkey?csrf=" + viewerS.csrf, sess: viewerS, form: url.Values{"action": {"new"}}}, 403, ""},
		{"logout without CSRF", req{method: "POST", target: "/logout", sess: adminS}, 403, ""},
		{"a token and a session: the token counts", req{method: "DELETE", target: "/api/tokens/nobody", token: e.adminToken, sess: viewerS}, 404, ""},
		{"an unknown cookie", req{method: "GET", target: "/api/feeds", sess: session{cookie: "forged"}}, 401, ""},
		// Cross-site changes are refused before anything else.
		{"cross-site login", req{method: "POST", target: "/login", form: url.Values{"username": {adminUser}, "password": {goodPassword}}, hdr: []string{"Sec-Fetch-Site", "cross-site"}}, 403, ""},
		{"cross-site change with CSRF", req{method: "DELETE", target: "/api/tokens/nobody", sess: adminS, csrf: adminS.csrf, hdr: []string{"Origin", "https://evil.example"}}, 403, ""},
		// Feed keys open feeds, and nothing else.
		{"feed with a key", req{method: "GET", target: "/topics/un/feed.atom?key=feed-key-of-mai"}, through, ""},
		{"feed with a wrong key", req{method: "GET", target: "/topics/un/feed.atom?key=guess"}, 403, ""},
		{"feed without a key", req{method: "GET", target: "/topics/un/feed.atom"}, 303, "/login?next=%2Ftopics%2Fun%2Ffeed.atom"},
		{"a feed key elsewhere", req{method: "GET", target: "/api/feeds?key=feed-key-of-mai"}, 401, ""},
		{"a feed key on a page", req{method: "GET", target: "/account?key=feed-key-of-mai"}, 303, "/login?next=%2Faccount%3Fkey%3Dfeed-key-of-mai"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(t, tt.r)
			switch {
			case tt.want == through:
				if rec.Code == 401 || rec.Code == 403 || rec.Code == 303 {
					t.Errorf("%s %s = %d %s, want it let through", tt.r.method, tt.r.target, rec.Code, rec.Body)
				}
			case rec.Code != tt.want:
				t.Errorf("%s %s = %d %s, want %d", tt.r.method, tt.r.target, rec.Code, rec.Body, tt.want)
			}
			if loc := rec.Header().Get("Location"); tt.loc != "" && loc != tt.loc {
				t.Errorf("%s %s: Location %q, want %q", tt.r.method, tt.r.target, loc, tt.loc)
			}
			if rec.Code == 401 && rec.Header().Get("WWW-Authenticate") == "" {
				t.Errorf("401 without WWW-Authenticate")
			}
		})
	}
}

// TestCSRFInMultipartForm: a multipart form (a file upload) carries its
// CSRF token in a field too.
func TestCSRFInMultipartForm(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	s := e.session(t, viewerUser)
	for _, tt := range []struct {
		csrf string
		want int
	}{{s.csrf, 303}, {"wrong", 403}, {"", 403}} {
		var b bytes.Buffer
		mw := multipart.NewWriter(&b)
		if tt.csrf != "" {
			mw.WriteField("csrf", tt.csrf) //nolint:errcheck // a bytes.Buffer
		}
		mw.WriteField("action", "revoke") //nolint:errcheck
		mw.Close()
		r := httptest.NewRequestWithContext(t.Context(), "POST", "/account/feedkey", &b)
		r.Header.Set("Content-Type", mw.FormDataContentType())
		r.AddCookie(&http.Cookie{Name: sessionCookie, Value: s.cookie})
		rec := httptest.NewRecorder()
		e.h.ServeHTTP(rec, r)
		if rec.Code != tt.want {
			t.Errorf("multipart POST with csrf %q = %d %s, want %d", tt.csrf, rec.Code, rec.Body, tt.want)
		}
	}
}

// TestLocalSocketTrusted: the control socket's handler needs nothing.
func TestLocalSocketTrusted(t *testing.T) {
	t.Parallel()
	st, _ := openFixture(t)
	h := New(Options{Store: st, Auth: AuthLocal})
	rec := serve(t, h, "GET", "/api/users", "localhost", "", "", "")
	if rec.Code != 200 {
		t.Errorf("GET /api/users on the socket = %d %s, want 200", rec.Code, rec.Body)
	}
	if rec := serve(t, h, "GET", "/account", "localhost", "", "", ""); rec.Code != 403 {
		t.Errorf("GET /account on the socket = %d, want 403 (no user)", rec.Code)
	}
}

func TestClientAddr(t *testing.T) {
	t.Parallel()
	tests := []struct {
		remote, xff, want string
	}{
		{"203.0.113.5:5000", "", "203.0.113.5"},
		{"203.0.113.5:5000", "198.51.100.1", "203.0.113.5"}, // not from a local proxy: the header is the client's
		{"127.0.0.1:5000", "", "127.0.0.1"},
		{"127.0.0.1:5000", "198.51.100.1", "198.51.100.1"},
		{"[::1]:5000", "10.9.9.9, 198.51.100.1", "198.51.100.1"}, // the client wrote the first one
		{"127.0.0.1:5000", "not-an-address", "127.0.0.1"},
	}
	for _, tt := range tests {
		r := httptest.NewRequest("GET", "/", nil)
		r.RemoteAddr = tt.remote
		if tt.xff != "" {
			r.Header.Set("X-Forwarded-For", tt.xff)
		}
		if got := clientAddr(r); got != tt.want {
			t.Errorf("clientAddr(%s, X-Forwarded-For %q) = %q, want %q", tt.remote, tt.xff, got, tt.want)
		}
	}
}
