package web

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/newswatch/newswatch/store"
)

// login posts the login form from addr and returns the answer.
func (e *authEnv) login(t *testing.T, user, password, next, addr string) *httptest.ResponseRecorder {
	t.Helper()
	return e.do(t, req{method: "POST", target: "/login", addr: addr, form: url.Values{"username": {user}, "password": {password}, "next": {next}}})
}

// sessionCookieOf returns the session cookie a response sets, or nil.
func sessionCookieOf(rec *httptest.ResponseRecorder) *http.Cookie {
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie {
			return c
		}
	}
	return nil
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// loggedIn logs user in and returns the session as the browser holds it,
// its CSRF token read from the account page.
func (e *authEnv) loggedIn(t *testing.T, user string) session {
	t.Helper()
	rec := e.login(t, user, goodPassword, "/account", "")
	c := sessionCookieOf(rec)
	if rec.Code != http.StatusSeeOther || c == nil {
		t.Fatalf("login of %s = %d %s, want 303 with a cookie", user, rec.Code, rec.Body)
	}
	s := session{cookie: c.Value}
	page := e.do(t, req{method: "GET", target: "/account", sess: s})
	m := csrfInput.FindStringSubmatch(page.Body.String())
	if page.Code != http.StatusOK || m == nil {
		t.Fatalf("GET /account after login = %d, no CSRF token in\n%s", page.Code, page.Body)
	}
	s.csrf = m[1]
	return s
}

func TestLoginSuccess(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	rec := e.login(t, viewerUser, goodPassword, "/topics/un?lang=ar", "")
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/topics/un?lang=ar" {
		t.Fatalf("POST /login = %d, Location %q; want 303 to /topics/un?lang=ar", rec.Code, rec.Header().Get("Location"))
	}
	c := sessionCookieOf(rec)
	if c == nil {
		t.Fatal("no session cookie")
	}
	if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.Secure || c.MaxAge != int(DefaultSessionLifetime/time.Second) {
		t.Errorf("session cookie %+v: want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP, Max-Age a week", c)
	}
	x, err := e.st.Session(c.Value, t0, store.SessionLimits{Idle: time.Hour, Lifetime: time.Hour})
	if err != nil || x.User != viewerUser || len(x.CSRF) < 32 || !x.Created.Equal(t0) {
		t.Errorf("stored session = %+v, %v", x, err)
	}
	page := e.do(t, req{method: "GET", target: "/account", sess: session{cookie: c.Value}})
	body := page.Body.String()
	if page.Code != http.StatusOK || !strings.Contains(body, `name="csrf" value="`+x.CSRF+`"`) || !strings.Contains(body, "an (viewer)") {
		t.Errorf("GET /account with the cookie = %d; want the page with the session's CSRF token and the user:\n%s", page.Code, body)
	}
	// Logged in, the login form sends the user on.
	if rec := e.do(t, req{method: "GET", target: "/login?next=/account", sess: session{cookie: c.Value}}); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account" {
		t.Errorf("GET /login when logged in = %d %q, want 303 to /account", rec.Code, rec.Header().Get("Location"))
	}
}

// TestLoginFailure: a wrong password and an unknown user get the same
// answer, with no cookie.
func TestLoginFailure(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	wrong := e.login(t, viewerUser, "not the password at all", "/", "")
	unknown := e.login(t, "nobody", goodPassword, "/", "")
	for name, rec := range map[string]*httptest.ResponseRecorder{"wrong password": wrong, "unknown user": unknown} {
		if rec.Code != http.StatusUnprocessableEntity || sessionCookieOf(rec) != nil || !strings.Contains(rec.Body.String(), msgLoginFailed) {
			t.Errorf("%s: POST /login = %d, cookie %v; want 422 saying %q", name, rec.Code, sessionCookieOf(rec), msgLoginFailed)
		}
	}
	if a, b := wrong.Body.String(), strings.ReplaceAll(unknown.Body.String(), "nobody", viewerUser); a != b {
		t.Errorf("the answers for a wrong password and an unknown user differ:\n%s\n---\n%s", a, b)
	}
	body := wrong.Body.String()
	for _, want := range []string{`id="login-error"`, `role="alert"`, `aria-describedby="login-error"`, `aria-invalid="true"`, `value="an"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the form after a failure lacks %s", want)
		}
	}
	if rec := e.login(t, "", "", "/", ""); rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), msgLoginMissing) {
		t.Errorf("POST /login with empty fields = %d, want 422 saying %q", rec.Code, msgLoginMissing)
	}
}

func TestLoginRateLimit(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	const attacker, office = "198.51.100.7:1000", "203.0.113.9:1000"
	for i := range nameLimit.burst {
		if rec := e.login(t, viewerUser, "wrong guess number "+string(rune('a'+i)), "/", attacker); rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("failed login %d = %d, want 422", i+1, rec.Code)
		}
	}
	// Over the limit for the name, even the right password from another
	// address is not checked.
	rec := e.login(t, viewerUser, goodPassword, "/", office)
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "300" || sessionCookieOf(rec) != nil || !strings.Contains(rec.Body.String(), "Wait 5 minutes") {
		t.Fatalf("login past the limit = %d, Retry-After %q:\n%s\nwant 429, Retry-After 300, no cookie, a message to wait 5 minutes", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	// Logging in to an account of one's own gives nothing back.
	if rec := e.login(t, adminUser, goodPassword, "/", attacker); rec.Code != http.StatusSeeOther {
		t.Fatalf("the attacker's own login = %d, want 303", rec.Code)
	}
	if rec := e.login(t, viewerUser, goodPassword, "/", attacker); rec.Code != http.StatusTooManyRequests {
		t.Errorf("after a successful login of another user, login of the locked user = %d, want 429", rec.Code)
	}
	// One attempt comes back every 5 minutes.
	e.clock.Advance(5 * time.Minute)
	if rec := e.login(t, viewerUser, goodPassword, "/", office); rec.Code != http.StatusSeeOther {
		t.Errorf("login 5 minutes later = %d, want 303", rec.Code)
	}
}

func TestLoginRateLimitPerAddress(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	const sprayer = "198.51.100.8:1000"
	for i := range addrLimit.burst {
		if rec := e.login(t, "user"+string(rune('a'+i)), goodPassword, "/", sprayer); rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("failed login %d = %d, want 422", i+1, rec.Code)
		}
	}
	if rec := e.login(t, viewerUser, goodPassword, "/", sprayer); rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "20" {
		t.Errorf("login from an address past its limit = %d, Retry-After %q; want 429, 20", rec.Code, rec.Header().Get("Retry-After"))
	}
	if rec := e.login(t, viewerUser, goodPassword, "/", "203.0.113.20:1000"); rec.Code != http.StatusSeeOther {
		t.Errorf("the same user from another address = %d, want 303", rec.Code)
	}
}

// TestCookieSecureOverTLS: the cookie is Secure over TLS, also when a
// proxy terminates it and says so, and only then.
func TestCookieSecureOverTLS(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	form := url.Values{"username": {viewerUser}, "password": {goodPassword}}.Encode()
	for _, tt := range []struct {
		name   string
		srv    *httptest.Server
		hdr    string
		secure bool
	}{
		{"TLS", httptest.NewTLSServer(e.h), "", true},
		{"plain HTTP", httptest.NewServer(e.h), "", false},
		{"behind a TLS proxy", httptest.NewServer(e.h), "https", true},
		{"behind a plain proxy", httptest.NewServer(e.h), "http", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			defer tt.srv.Close()
			c := tt.srv.Client()
			c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			r, err := http.NewRequestWithContext(t.Context(), "POST", tt.srv.URL+"/login", strings.NewReader(form))
			if err != nil {
				t.Fatal(err)
			}
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if tt.hdr != "" {
				r.Header.Set("X-Forwarded-Proto", tt.hdr)
			}
			resp, err := c.Do(r)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			var got *http.Cookie
			for _, ck := range resp.Cookies() {
				if ck.Name == sessionCookie {
					got = ck
				}
			}
			if resp.StatusCode != http.StatusSeeOther || got == nil || got.Secure != tt.secure || !got.HttpOnly || got.SameSite != http.SameSiteLaxMode {
				t.Errorf("POST /login = %d, cookie %+v; want 303 and a cookie with Secure %v, HttpOnly, SameSite=Lax", resp.StatusCode, got, tt.secure)
			}
		})
	}
}

// TestLoginOpenRedirect: next leads only to a path on this server.
func TestLoginOpenRedirect(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	tests := []struct{ next, want string }{
		{"//evil.example", "/"},
		{"https://evil.example", "/"},
		{`/\evil.example`, "/"},
		{`\\evil.example`, "/"},
		{"/\t/evil.example", "/"},
		{"//evil.example/%2F..", "/"},
		{"javascript:alert(1)", "/"},
		{"evil.example", "/"},
		{"", "/"},
		{"/account", "/account"},
		{"/topics/un?lang=ar&page=2", "/topics/un?lang=ar&page=2"},
		{"/%2F%2Fevil.example", "/%2F%2Fevil.example"}, // a path here, escaped
	}
	for _, tt := range tests {
		rec := e.login(t, adminUser, goodPassword, tt.next, "")
		if loc := rec.Header().Get("Location"); rec.Code != http.StatusSeeOther || loc != tt.want {
			t.Errorf("login with next=%q = %d to %q, want 303 to %q", tt.next, rec.Code, loc, tt.want)
		}
		if got := localPath(tt.next, "/"); got != tt.want {
			t.Errorf("localPath(%q) = %q, want %q", tt.next, got, tt.want)
		}
	}
	page := e.do(t, req{method: "GET", target: "/login?next=" + url.QueryEscape("//evil.example")})
	if !strings.Contains(page.Body.String(), `name="next" value="/"`) {
		t.Errorf("GET /login?next=//evil.example does not reset next to /:\n%s", page.Body)
	}
}

func TestSessionExpiry(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	s := e.loggedIn(t, viewerUser)
	account := req{method: "GET", target: "/account", sess: s}
	e.clock.Advance(11 * time.Hour)
	if rec := e.do(t, account); rec.Code != http.StatusOK {
		t.Fatalf("GET /account 11 h after login = %d, want 200", rec.Code)
	}
	e.clock.Advance(DefaultSessionIdle + time.Minute)
	rec := e.do(t, account)
	if rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
		t.Errorf("GET /account after 12 h idle = %d %q, want 303 to /login", rec.Code, rec.Header().Get("Location"))
	}
	if c := sessionCookieOf(rec); c == nil || c.MaxAge >= 0 {
		t.Errorf("the expired session's cookie was not cleared: %+v", c)
	}

	// Used every 10 hours, a session still ends a week after the login.
	s = e.loggedIn(t, viewerUser)
	account.sess = s
	start := e.clock.Now()
	for e.clock.Now().Sub(start) < DefaultSessionLifetime-10*time.Hour {
		e.clock.Advance(10 * time.Hour)
		if rec := e.do(t, account); rec.Code != http.StatusOK {
			t.Fatalf("GET /account %v after login = %d, want 200", e.clock.Now().Sub(start), rec.Code)
		}
	}
	e.clock.Advance(10 * time.Hour)
	if rec := e.do(t, account); rec.Code != http.StatusSeeOther {
		t.Errorf("GET /account %v after login = %d, want 303 (lifetime over)", e.clock.Now().Sub(start), rec.Code)
	}
	// Logging in prunes what expired.
	e.loggedIn(t, adminUser)
	if list, _ := e.st.Sessions(viewerUser); len(list) != 0 {
		t.Errorf("%d expired sessions of %s left after a login", len(list), viewerUser)
	}
}

func TestLogout(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	s := e.loggedIn(t, viewerUser)
	rec := e.do(t, req{method: "POST", target: "/logout", sess: s, form: url.Values{"csrf": {s.csrf}}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login" {
		t.Fatalf("POST /logout = %d %q, want 303 to /login", rec.Code, rec.Header().Get("Location"))
	}
	if c := sessionCookieOf(rec); c == nil || c.MaxAge >= 0 {
		t.Errorf("logout did not clear the cookie: %+v", c)
	}
	if _, err := e.st.Session(s.cookie, e.clock.Now(), store.SessionLimits{Idle: time.Hour, Lifetime: time.Hour}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the session is still stored after logout: %v", err)
	}
	if rec := e.do(t, req{method: "GET", target: "/account", sess: s}); rec.Code != http.StatusSeeOther {
		t.Errorf("GET /account with the old cookie = %d, want 303", rec.Code)
	}
}

// TestSessionOfRemovedUser: removing a user ends their sessions, also
// when a user of the same name is added again.
func TestSessionOfRemovedUser(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	s := e.loggedIn(t, viewerUser)
	if rec := e.do(t, req{method: "DELETE", target: "/api/users/" + viewerUser, token: e.adminToken}); rec.Code != http.StatusOK {
		t.Fatalf("DELETE /api/users/an = %d %s", rec.Code, rec.Body)
	}
	// A session left behind (restored from a backup, say) of the earlier
	// "an" does not open the new one's account.
	if err := e.st.CreateSession(s.cookie, store.Session{User: viewerUser, CSRF: s.csrf, Created: e.clock.Now(), LastSeen: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	e.clock.Advance(time.Minute)
	if err := e.st.CreateUser(store.User{Name: viewerUser, Role: "admin", PasswordHash: "x", Created: e.clock.Now()}); err != nil {
		t.Fatal(err)
	}
	if rec := e.do(t, req{method: "GET", target: "/account", sess: s}); rec.Code != http.StatusSeeOther {
		t.Errorf("GET /account with a session of the removed user = %d, want 303", rec.Code)
	}
}

// TestLoginRehash: a hash made with older parameters is replaced at
// login by one with the current parameters.
func TestLoginRehash(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	old := hashPassword(goodPassword, argonParams{memory: 8 * 1024, time: 1, threads: 1})
	if err := e.st.UpdateUser(viewerUser, func(u *store.User) error { u.PasswordHash = old; return nil }); err != nil {
		t.Fatal(err)
	}
	if rec := e.login(t, viewerUser, goodPassword, "/", ""); rec.Code != http.StatusSeeOther {
		t.Fatalf("login with an old hash = %d, want 303", rec.Code)
	}
	u, _ := e.st.User(viewerUser)
	if !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Errorf("hash after login = %q, want the current parameters", u.PasswordHash)
	}
}

func TestLoginPageAccessible(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	rec := e.do(t, req{method: "GET", target: "/login?next=/account"})
	checkForm(t, "GET /login", rec.Body.String(), map[string]string{"username": "username", "password": "current-password"})
	if !strings.Contains(rec.Body.String(), `name="next" value="/account"`) {
		t.Errorf("the login form does not carry next")
	}
	if strings.Contains(rec.Body.String(), "<script") {
		t.Errorf("the login page has a script: it must work without")
	}
}
