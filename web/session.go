package web

import (
	"cmp"
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/newswatch/newswatch/store"
)

// UserStore keeps the dashboard's users and their login sessions
// (store.Store).
type UserStore interface {
	CreateUser(u store.User) error
	User(name string) (store.User, error)
	Users() ([]store.User, error)
	UpdateUser(name string, change func(u *store.User) error) error
	DeleteUser(name string) error
	ChangePassword(name, hash string, at time.Time, keep string) (int, error)
	CreateSession(secret string, x store.Session) error
	Session(secret string, now time.Time, lim store.SessionLimits) (store.Session, error)
	Sessions(user string) ([]store.Session, error)
	DeleteSession(secret string) error
	DeleteSessions(user, keep string) (int, error)
	PruneSessions(now time.Time, lim store.SessionLimits) (int, error)
}

// How long a login lasts. A session unused for DefaultSessionIdle ends:
// a working day with the tab left open goes through, a night does not, so
// a browser left logged in on a shared computer is closed by the next
// morning. Used or not, it ends DefaultSessionLifetime after the login:
// a stolen cookie works for a week at most.
const (
	DefaultSessionIdle     = 12 * time.Hour
	DefaultSessionLifetime = 7 * 24 * time.Hour
)

// sessionCookie is the name of the session cookie.
const sessionCookie = "newswatch_session"

// authState is what logins need besides the store: the session limits,
// the password hasher, the failed-login limits, the cross-origin check.
type authState struct {
	limits  store.SessionLimits
	hasher  *hasher
	tries   *loginLimits
	origins *http.CrossOriginProtection
}

func newAuthState(o Options) *authState {
	return &authState{
		limits: store.SessionLimits{
			Idle:     cmp.Or(max(o.SessionIdle, 0), DefaultSessionIdle),
			Lifetime: cmp.Or(max(o.SessionLifetime, 0), DefaultSessionLifetime),
		},
		hasher:  newHasher(),
		tries:   newLoginLimits(),
		origins: http.NewCrossOriginProtection(),
	}
}

// sessionCaller returns the user whose session cookie r carries, or
// nobody. A cookie of a session that ended (logout, expiry, a password
// change, the user removed) is cleared.
func (a *api) sessionCaller(w http.ResponseWriter, r *http.Request) caller {
	ck, err := r.Cookie(sessionCookie)
	if err != nil || ck.Value == "" {
		return caller{}
	}
	x, err := a.o.Store.Session(ck.Value, a.now(), a.auth.limits)
	var u store.User
	if err == nil {
		u, err = a.o.Store.User(x.User)
	}
	if err == nil && x.Created.Before(u.Created) {
		err = store.ErrNotFound // a session of an earlier user of that name
	}
	if err != nil {
		if errors.Is(err, store.ErrNotFound) {
			clearSessionCookie(w, r)
		} else {
			a.o.Logger.Warn("session check failed", "error", err)
		}
		return caller{}
	}
	return caller{name: u.Name, role: Role(u.Role), csrf: x.CSRF, via: credSession, secret: ck.Value}
}

// startSession logs user in: a new session (never one the browser came
// with, which is ended), its cookie, and expired sessions pruned.
func (a *api) startSession(w http.ResponseWriter, r *http.Request, user string) error {
	if ck, err := r.Cookie(sessionCookie); err == nil && ck.Value != "" {
		_ = a.o.Store.DeleteSession(ck.Value) // most often gone already
	}
	now := a.now()
	secret := randomSecret()
	x := store.Session{User: user, CSRF: randomSecret(), Created: now.UTC(), LastSeen: now.UTC()}
	if err := a.o.Store.CreateSession(secret, x); err != nil {
		return err
	}
	if n, err := a.o.Store.PruneSessions(now, a.auth.limits); err != nil {
		a.o.Logger.Warn("pruning expired sessions failed", "error", err)
	} else if n > 0 {
		a.o.Logger.Debug("expired sessions pruned", "count", n)
	}
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: secret, Path: "/",
		MaxAge:   int(a.auth.limits.Lifetime / time.Second),
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: overTLS(r),
	})
	return nil
}

// clearSessionCookie tells the browser to forget its session cookie.
func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{
		Name: sessionCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: overTLS(r),
	})
}

// overTLS reports whether the browser reached us over TLS: directly, or
// through a reverse proxy that terminates TLS and says so with
// X-Forwarded-Proto: https (Caddy does by default; the README's nginx
// example sets it). The header is trusted from anyone because it can only
// make the cookie stricter: a client that forges it gets a cookie its
// browser will not send back over plain HTTP, which harms no one else.
func overTLS(r *http.Request) bool {
	proto, _, _ := strings.Cut(r.Header.Get("X-Forwarded-Proto"), ",")
	return r.TLS != nil || strings.EqualFold(strings.TrimSpace(proto), "https")
}

// clientAddr is the address a login attempt counts against: the peer's,
// or, for a request relayed by a reverse proxy on this machine (a
// loopback peer with X-Forwarded-For), the last address of
// X-Forwarded-For: the one that proxy saw, which the client cannot forge.
// (Without the header, everyone behind such a proxy shares one address.)
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !peer.IsLoopback() {
		return host
	}
	xff := r.Header.Values("X-Forwarded-For")
	if len(xff) == 0 {
		return host
	}
	list := xff[len(xff)-1]
	last := strings.TrimSpace(list[strings.LastIndex(list, ",")+1:])
	if a, err := netip.ParseAddr(last); err == nil {
		return a.String()
	}
	return host
}
