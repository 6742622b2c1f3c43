package web

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/newswatch/newswatch/store"
)

// Who may do what. On the control socket (AuthLocal) every request is an
// admin's. On web.listen (AuthNetwork) every page and endpoint but
// /login, /healthz and /static/ needs one of:
//
//   - an API token, sent as "Authorization: Bearer TOKEN": for scripts
//     and monitoring. A browser never sends one by itself, so requests
//     with one need no CSRF token.
//   - a login session, the cookie that POST /login sets: for people.
//     The browser sends it with every request, so every state-changing
//     request made with it (POST, PUT, DELETE) must also carry the
//     session's CSRF token, in the form field "csrf" or the X-CSRF-Token
//     header; else 403.
//   - a feed key, ?key= on GET /topics/{name}/feed.atom only: for feed
//     readers, which cannot log in.
//
// Without one, a page request is redirected (303) to /login?next=PATH,
// an API request answered 401. A viewer reads; an admin also changes:
// handlers that change things are wrapped in require(RoleAdmin).

// Auth says who may use a handler built by New.
type Auth int

const (
	// AuthNetwork asks a login session or an API token of every request
	// but /login, /healthz and /static/: the zero value, for web.listen.
	AuthNetwork Auth = iota
	// AuthLocal trusts every request as an admin: the control socket,
	// whose file permissions (0600) are the check.
	AuthLocal
)

// Role is what a caller may do: a viewer reads, an admin also changes.
type Role string

// Roles.
const (
	RoleViewer Role = "viewer"
	RoleAdmin  Role = "admin"
)

// ParseRole checks a role name.
func ParseRole(s string) (Role, error) {
	switch r := Role(s); r {
	case RoleViewer, RoleAdmin:
		return r, nil
	}
	return "", fmt.Errorf("role %q: want admin or viewer", s)
}

// allows reports whether r includes what need asks for.
func (r Role) allows(need Role) bool {
	return r == RoleAdmin || r != "" && r == need
}

// TokenStore keeps API tokens (store.Store).
type TokenStore interface {
	CreateToken(secret string, t store.Token) error
	Tokens() ([]store.Token, error)
	RevokeToken(name string) error
	Authenticate(secret string, now time.Time) (store.Token, error)
}

// TokenPrefix starts every API token, so a leaked one is easy to find
// (secret scanners, logs).
const TokenPrefix = "nw_"

// randomSecret returns 32 random bytes, base64url: the secret of a token,
// a session, a CSRF token or a feed key.
func randomSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return base64.RawURLEncoding.EncodeToString(b)
}

// newTokenSecret returns a new random token: the prefix and a secret.
func newTokenSecret() string {
	return TokenPrefix + randomSecret()
}

// credential is how a caller proved who they are.
type credential int

const (
	credNone    credential = iota
	credSocket             // the control socket
	credToken              // an API token
	credSession            // a login session's cookie
	credFeedKey            // a user's feed key, on a feed's URL
)

// caller is who made a request, as authenticate found.
type caller struct {
	name   string // user or token name; "" for the socket or nobody
	role   Role   // "" when unauthenticated
	csrf   string // the session's CSRF token, for the forms of a page; "" without a session
	via    credential
	secret string // the session's secret, to end it; "" without a session
}

// describe names the caller in an error message.
func (c caller) describe() string {
	switch c.via {
	case credToken:
		return fmt.Sprintf("token %q", c.name)
	case credFeedKey:
		return fmt.Sprintf("the feed key of %q", c.name)
	case credSocket:
		return "the control socket"
	}
	return fmt.Sprintf("user %q", c.name)
}

type callerKey struct{}

// callerOf returns the request's caller.
func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}

func withCaller(r *http.Request, c caller) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
}

// CSRFHeader carries a session's CSRF token on requests that a script
// makes; forms send it as the field "csrf".
const CSRFHeader = "X-CSRF-Token"

// csrfField is the form field of the CSRF token.
const csrfField = "csrf"

// authenticate finds the caller of each request and applies the rules
// above: a request without credentials reaches only the public paths, a
// bad token or feed key is refused at once whatever the route, and a
// change made with a session needs its CSRF token.
func (a *api) authenticate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.o.Auth == AuthLocal {
			h.ServeHTTP(w, withCaller(r, caller{role: RoleAdmin, via: credSocket}))
			return
		}
		// Browsers say where a request comes from (Sec-Fetch-Site,
		// Origin): a change sent from another site is refused before
		// anything else, the login form included, which has no
		// session to carry a CSRF token yet.
		if err := a.auth.origins.Check(r); err != nil {
			refuse(w, r, http.StatusForbidden, "cross-origin request refused: send it from this site's own pages")
			return
		}
		c, ok := a.identify(w, r)
		if !ok {
			return
		}
		r = withCaller(r, c)
		switch {
		case c.role == "" && !public(r.URL.Path):
			challenge(w, r)
		case c.via == credSession && !safeMethod(r.Method) && !csrfOK(w, r, c.csrf):
			refuse(w, r, http.StatusForbidden, "missing or wrong CSRF token: reload the page and try again (a form from before your last login no longer works)")
		default:
			h.ServeHTTP(w, r)
		}
	})
}

// identify returns the caller of r: a token's bearer, a feed key's user,
// a session's user, or nobody. A bad token or feed key is answered here
// (false).
func (a *api) identify(w http.ResponseWriter, r *http.Request) (caller, bool) {
	switch {
	case bearer(r) != "":
		tok, err := a.o.Store.Authenticate(bearer(r), a.now())
		if err != nil {
			if !errors.Is(err, store.ErrNotFound) {
				a.o.Logger.Warn("token check failed", "error", err)
			}
			unauthorized(w, "invalid API token")
			return caller{}, false
		}
		return caller{name: tok.Name, role: Role(tok.Role), via: credToken}, true
	case feedPath(r.URL.Path) && safeMethod(r.Method) && r.URL.Query().Has("key"):
		return a.feedKeyCaller(w, r)
	}
	return a.sessionCaller(w, r), true
}

// feedKeyCaller finds the user whose feed key the request carries, a
// viewer for this request only; an unknown key is answered 403.
func (a *api) feedKeyCaller(w http.ResponseWriter, r *http.Request) (caller, bool) {
	key := r.URL.Query().Get("key")
	users, err := a.o.Store.Users()
	if err != nil {
		writeError(w, err)
		return caller{}, false
	}
	for _, u := range users {
		// Every key is compared, in constant time: the answer's timing
		// says nothing about how much of a key was right.
		if u.FeedKey != "" && subtle.ConstantTimeCompare([]byte(u.FeedKey), []byte(key)) == 1 {
			return caller{name: u.Name, role: RoleViewer, via: credFeedKey}, true
		}
	}
	writeErrorStatus(w, http.StatusForbidden, "feed key not valid: it was replaced or revoked; the account page (/account) shows the current one")
	return caller{}, false
}

// feedPath reports whether path is a feed that a feed key opens:
// /topics/{name}/feed.atom.
func feedPath(path string) bool {
	rest, ok := strings.CutPrefix(path, "/topics/")
	name, file, _ := strings.Cut(rest, "/")
	return ok && name != "" && file == "feed.atom"
}

// public reports whether path needs no credentials.
func public(path string) bool {
	return path == "/login" || path == "/healthz" || strings.HasPrefix(path, "/static/")
}

// safeMethod reports whether method only reads.
func safeMethod(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// pageRequest reports whether r wants a page rather than data: a browser
// navigating (it accepts text/html), or any path outside the API.
func pageRequest(r *http.Request) bool {
	if strings.Contains(r.Header.Get("Accept"), "text/html") {
		return true
	}
	p := r.URL.Path
	api := strings.HasPrefix(p, "/api/") || p == "/metrics" || p == "/feeds" || p == "/export"
	return !api
}

// challenge answers a request without credentials: a page request is
// sent to the login form, which brings it back afterwards; an API
// request gets 401.
func challenge(w http.ResponseWriter, r *http.Request) {
	if !pageRequest(r) {
		unauthorized(w, "this endpoint needs an API token: Authorization: Bearer TOKEN (newswatch token create NAME), or a login session")
		return
	}
	target := "/login"
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		if next := r.URL.RequestURI(); next != "/" {
			target += "?next=" + url.QueryEscape(next)
		}
	}
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, target, http.StatusSeeOther)
}

// refuse answers status with msg: plain text for a page request, the
// API's JSON error otherwise.
func refuse(w http.ResponseWriter, r *http.Request, status int, msg string) {
	if pageRequest(r) {
		w.Header().Set("Cache-Control", "no-store")
		http.Error(w, msg, status)
		return
	}
	writeErrorStatus(w, status, msg)
}

// csrfOK reports whether r carries the CSRF token want, in the header or
// in the form field of a form body (which it parses, for the handler to
// read too).
func csrfOK(w http.ResponseWriter, r *http.Request, want string) bool {
	got := r.Header.Get(CSRFHeader)
	if got == "" {
		got = postFormValue(w, r, csrfField)
	}
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// maxFormMemory is how much of a multipart form is kept in memory; the
// rest of its files goes to temporary files, removed after the request.
const maxFormMemory = 1 << 20

// postFormValue returns the field key of a form body (URL-encoded or
// multipart), parsing it at most maxRequestBody long; "" for other
// bodies or a form that does not parse.
func postFormValue(w http.ResponseWriter, r *http.Request, key string) string {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var err error
	switch mt {
	case "application/x-www-form-urlencoded":
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
		err = r.ParseForm()
	case "multipart/form-data":
		r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
		err = r.ParseMultipartForm(maxFormMemory)
	default:
		return ""
	}
	if err != nil {
		return ""
	}
	return r.PostForm.Get(key)
}

// bearer returns the request's bearer token, or "". Another scheme (a
// proxy's Basic credentials) is not ours and is ignored.
func bearer(r *http.Request) string {
	scheme, token, ok := strings.Cut(r.Header.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// require wraps h so that only callers with role need reach it.
func (a *api) require(need Role, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callerOf(r)
		switch {
		case c.role == "":
			challenge(w, r)
		case !c.role.allows(need):
			refuse(w, r, http.StatusForbidden, fmt.Sprintf("%s is a %s; this needs an %s", c.describe(), c.role, need))
		default:
			h.ServeHTTP(w, r)
		}
	})
}

// requireUser wraps h so that only a user logged in with a session
// reaches it: the account pages, which tokens and the socket do not have.
func (a *api) requireUser(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch c := callerOf(r); c.via {
		case credSession:
			h(w, r)
		case credNone:
			challenge(w, r)
		default:
			refuse(w, r, http.StatusForbidden, "this page is for a user who logs in (newswatch user add NAME); "+c.describe()+" has no account")
		}
	})
}

func unauthorized(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="newswatch"`)
	writeErrorStatus(w, http.StatusUnauthorized, msg)
}
