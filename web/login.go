package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newswatch/newswatch/store"
)

// sessionRoutes adds the login, logout, account and user routes to mux.
func (a *api) sessionRoutes(mux *http.ServeMux) {
	mux.HandleFunc("GET /login", a.loginPage)
	mux.HandleFunc("POST /login", a.login)
	mux.HandleFunc("POST /logout", a.logout)
	mux.Handle("GET /account", a.requireUser(a.account))
	mux.Handle("POST /account/password", a.requireUser(a.changeOwnPassword))
	mux.Handle("POST /account/feedkey", a.requireUser(a.changeOwnFeedKey))
	mux.Handle("POST /account/sessions", a.requireUser(a.endOtherSessions))
	admin := func(pattern string, h http.HandlerFunc) { mux.Handle(pattern, a.require(RoleAdmin, h)) }
	admin("GET /api/users", a.listUsers)
	admin("POST /api/users", a.createUser)
	admin("DELETE /api/users/{name}", a.removeUser)
	admin("PUT /api/users/{name}/password", a.setPassword)
	admin("POST /api/users/{name}/feedkey", a.newFeedKey)
	admin("DELETE /api/users/{name}/feedkey", a.revokeFeedKey)
}

// maxLoginBody caps the login form: two fields and a path.
const maxLoginBody = 16 << 10

// loginData is what login.html shows.
type loginData struct {
	Next     string // where to go once logged in
	Username string // as typed, after a failure
	Error    string // why the last attempt failed
}

// Messages of the login form. A failure never says whether the user
// exists.
const (
	msgLoginFailed  = "Wrong user name or password."
	msgLoginMissing = "Enter your user name and password."
)

// loginPage serves GET /login: the form, or, for a user already logged
// in, where the form would lead.
func (a *api) loginPage(w http.ResponseWriter, r *http.Request) {
	next := localPath(r.URL.Query().Get("next"), "/")
	if callerOf(r).via == credSession {
		http.Redirect(w, r, next, http.StatusSeeOther)
		return
	}
	a.render(w, r, http.StatusOK, "login", "", loginData{Next: next})
}

// login serves POST /login: on success a new session and a 303 to next;
// on failure the form again with one message (422), or, past the limit
// of failures, a message to wait (429 with Retry-After).
func (a *api) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxLoginBody)
	if err := r.ParseForm(); err != nil {
		a.render(w, r, http.StatusBadRequest, "login", "", loginData{Next: "/", Error: "The form could not be read; reload the page and try again."})
		return
	}
	name, password := r.PostForm.Get("username"), r.PostForm.Get("password")
	d := loginData{Next: localPath(r.PostForm.Get("next"), "/"), Username: name}
	if name == "" || password == "" {
		d.Error = msgLoginMissing
		a.render(w, r, http.StatusUnprocessableEntity, "login", "", d)
		return
	}
	addr := clientAddr(r)
	// No user name is longer than 64 characters: a longer one is cut for
	// the log and the limits, which keep it in memory.
	short := clip(name, 64)
	log := a.o.Logger.With("user", short, "client", addr)
	succeeded, wait := a.auth.tries.attempt(short, addr, a.now())
	if wait > 0 {
		log.Warn("login refused: too many failed attempts", "retry_after", setRetryAfter(w, wait))
		d.Error = fmt.Sprintf("Too many failed logins. Wait %s, then try again.", waitText(wait))
		a.render(w, r, http.StatusTooManyRequests, "login", "", d)
		return
	}
	u, err := a.o.Store.User(name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		writeError(w, err)
		return
	}
	ok, rehash, err := a.auth.hasher.verify(r.Context(), u.PasswordHash, password) // "" for no such user
	if err != nil {
		return // the client went away
	}
	if !ok {
		log.Warn("login failed")
		d.Error = msgLoginFailed
		a.render(w, r, http.StatusUnprocessableEntity, "login", "", d)
		return
	}
	succeeded()
	if rehash {
		a.rehash(r, u.Name, password)
	}
	if err := a.startSession(w, r, u.Name); err != nil {
		writeError(w, err)
		return
	}
	log.Info("login")
	http.Redirect(w, r, d.Next, http.StatusSeeOther)
}

// rehash replaces a user's password hash made with older parameters; a
// failure leaves the old one, which still works.
func (a *api) rehash(r *http.Request, name, password string) {
	phc, err := a.auth.hasher.hash(r.Context(), password)
	if err == nil {
		err = a.o.Store.UpdateUser(name, func(u *store.User) error { u.PasswordHash = phc; return nil })
	}
	if err != nil {
		a.o.Logger.Warn("password rehash failed", "user", name, "error", err)
	}
}

// logout serves POST /logout (with the session's CSRF token, as every
// change): the session ends, its cookie is cleared.
func (a *api) logout(w http.ResponseWriter, r *http.Request) {
	if c := callerOf(r); c.via == credSession {
		if err := a.o.Store.DeleteSession(c.secret); err != nil && !errors.Is(err, store.ErrNotFound) {
			writeError(w, err)
			return
		}
		a.o.Logger.Info("logout", "user", c.name)
	}
	clearSessionCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
}

// localPath returns next when it is a path on this server, else
// fallback: a login or a form must not send its user on to another site
// (an open redirect). "//host" and "/\host" are other sites to a browser,
// which also drops tabs and newlines from URLs.
func localPath(next, fallback string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsRune(next, '\\') {
		return fallback
	}
	for _, c := range next {
		if c < 0x20 || c == 0x7f {
			return fallback
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return fallback
	}
	return next
}

// clip returns s cut to at most n characters.
func clip(s string, n int) string {
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// setRetryAfter tells the client to wait d, in whole seconds, which it
// returns.
func setRetryAfter(w http.ResponseWriter, d time.Duration) int {
	secs := int(math.Ceil(d.Seconds()))
	w.Header().Set("Retry-After", strconv.Itoa(secs))
	return secs
}

// waitText says how long to wait, in words: "40 seconds", "5 minutes".
func waitText(d time.Duration) string {
	if d <= time.Minute {
		return plural(int(math.Ceil(d.Seconds())), "second")
	}
	return plural(int(math.Ceil(d.Minutes())), "minute")
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
