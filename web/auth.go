package web

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// Auth says who may use a handler built by New.
type Auth int

const (
	// AuthTokens asks an API token of every request but /healthz: the
	// zero value, for a server reachable from other machines.
	AuthTokens Auth = iota
	// AuthLoopback lets requests without a token read (GET) and asks a
	// token for changes and admin reads (backup, tokens): for a server
	// bound to loopback, where the machine's users are trusted to read.
	AuthLoopback
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
	return r == RoleAdmin || r == need
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

// newTokenSecret returns a new random token: the prefix and 32 random
// bytes, base64url.
func newTokenSecret() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(b)
}

// caller is who made a request, as authenticate found.
type caller struct {
	name string // token or user name; "" for the socket or an anonymous loopback read
	role Role   // "" when unauthenticated
	csrf string // the session's CSRF token, for the forms of a page; "" without a session
}

type callerKey struct{}

// callerOf returns the request's caller.
func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}

// authenticate finds the caller of each request: the socket's admin, a
// token's bearer, or (on loopback) an anonymous viewer. A bad token is
// refused at once, whatever the route.
func (a *api) authenticate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var c caller
		switch {
		case a.o.Auth == AuthLocal:
			c.role = RoleAdmin
		case bearer(r) != "":
			tok, err := a.o.Store.Authenticate(bearer(r), a.now())
			if err != nil {
				if err != nil && !errors.Is(err, store.ErrNotFound) {
					a.o.Logger.Warn("token check failed", "error", err)
				}
				unauthorized(w, "invalid API token")
				return
			}
			c = caller{name: tok.Name, role: Role(tok.Role)}
		case a.o.Auth == AuthLoopback && (r.Method == http.MethodGet || r.Method == http.MethodHead) && direct(r):
			c.role = RoleViewer
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), callerKey{}, c)))
	})
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

// direct reports whether r came straight from this machine rather than
// through a reverse proxy: a loopback Host and no forwarding header. A
// proxy on the same machine connects from loopback too, but what it relays
// comes from elsewhere and needs a token.
func direct(r *http.Request) bool {
	for _, h := range []string{"Forwarded", "X-Forwarded-For", "X-Forwarded-Host", "X-Real-Ip"} {
		if r.Header.Get(h) != "" {
			return false
		}
	}
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// require wraps h so that only callers with role need reach it.
func (a *api) require(need Role, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c := callerOf(r)
		switch {
		case c.role == "":
			unauthorized(w, "this endpoint needs an API token: Authorization: Bearer TOKEN (newswatch token create NAME)")
		case !c.role.allows(need):
			writeErrorStatus(w, http.StatusForbidden, fmt.Sprintf("token %q is a %s token; this endpoint needs %s", c.name, c.role, need))
		default:
			h.ServeHTTP(w, r)
		}
	})
}

func unauthorized(w http.ResponseWriter, msg string) {
	w.Header().Set("WWW-Authenticate", `Bearer realm="newswatch"`)
	writeErrorStatus(w, http.StatusUnauthorized, msg)
}

// TokenRequest creates a token.
type TokenRequest struct {
	Name string `json:"name"`
	Role Role   `json:"role"` // default admin
}

// TokenRow is a token as listed; Secret is set only in the answer that
// created it.
type TokenRow struct {
	Name     string     `json:"name"`
	Role     Role       `json:"role"`
	Created  time.Time  `json:"created"`
	LastUsed *time.Time `json:"last_used"`
	Secret   string     `json:"token,omitempty"`
}

func tokenRow(t store.Token) TokenRow {
	return TokenRow{Name: t.Name, Role: Role(t.Role), Created: t.Created, LastUsed: timePtr(t.LastUsed)}
}

func (a *api) createToken(w http.ResponseWriter, r *http.Request) {
	var req TokenRequest
	if !checkParams(w, r.URL.Query()) || !readJSON(w, r, &req) {
		return
	}
	if req.Role == "" {
		req.Role = RoleAdmin
	}
	if _, err := ParseRole(string(req.Role)); err != nil {
		badRequest(w, "%v", err)
		return
	}
	if !news.ValidTopicName(req.Name) { // the same rule: letters, digits, - and _
		badRequest(w, "token name %q: use 1 to 64 letters, digits, '-' and '_'", req.Name)
		return
	}
	secret := newTokenSecret()
	t := store.Token{Name: req.Name, Role: string(req.Role), Created: a.now().UTC()}
	if err := a.o.Store.CreateToken(secret, t); err != nil {
		if errors.Is(err, store.ErrExists) {
			err = fmt.Errorf("a token named %q exists; revoke it first (newswatch token revoke %s): %w", req.Name, req.Name, ErrConflict)
		}
		writeError(w, err)
		return
	}
	row := tokenRow(t)
	row.Secret = secret
	writeJSON(w, http.StatusCreated, row)
}

func (a *api) listTokens(w http.ResponseWriter, r *http.Request) {
	if !checkParams(w, r.URL.Query()) {
		return
	}
	list, err := a.o.Store.Tokens()
	if err != nil {
		writeError(w, err)
		return
	}
	rows := make([]TokenRow, len(list))
	for i, t := range list {
		rows[i] = tokenRow(t)
	}
	writeJSON(w, http.StatusOK, rows)
}

func (a *api) revokeToken(w http.ResponseWriter, r *http.Request) {
	if !checkParams(w, r.URL.Query()) {
		return
	}
	name := r.PathValue("name")
	if err := a.o.Store.RevokeToken(name); err != nil {
		if errors.Is(err, store.ErrNotFound) {
			err = fmt.Errorf("no token named %q: %w", name, store.ErrNotFound)
		}
		writeError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"revoked": name})
}
