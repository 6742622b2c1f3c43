package acceptance

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// browser is an HTTP client that keeps one session cookie by hand and
// follows no redirects, so each answer can be checked.
type browser struct {
	base   string
	cookie *http.Cookie
}

// send sends a request with the session cookie (if any) and returns the
// status, the Location and the body; a session cookie it sets is kept.
func (b *browser) send(t *testing.T, method, path string, form url.Values) (int, string, string) {
	t.Helper()
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(t.Context(), method, b.base+path, body)
	if err != nil {
		t.Fatal(err)
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	req.Header.Set("Accept", "text/html")
	if b.cookie != nil {
		req.AddCookie(b.cookie)
	}
	c := &http.Client{Timeout: time.Minute, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	for _, ck := range resp.Cookies() {
		if ck.Name == "newswatch_session" && ck.MaxAge >= 0 {
			b.cookie = ck
		}
	}
	return resp.StatusCode, resp.Header.Get("Location"), string(data)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// TestDashboardLogin is issue 9's acceptance of users and sessions with
// the real binary: a daemon polling an unseen site, a user added with
// `user add` (the password on stdin) while it runs; POST /login gives a
// session cookie that opens the account page, without which pages
// redirect to /login; a POST without the session's CSRF token is refused.
func TestDashboardLogin(t *testing.T) {
	t.Parallel()
	const password = "a long passphrase for the desk"
	site, feeds := newsSite(t, unseenStories[:4])
	dir := t.TempDir()
	cfg := stableConfig(t, dir, true, []string{site.URL() + feeds[0].path}, []string{feeds[0].name})
	appendFile(t, cfg, "log:\n  format: json\nweb:\n  listen: \"127.0.0.1:0\"\n")
	d := startWebDaemon(t, cfg)

	r := exeIn(t, time.Minute, false, nil, password+"\n", "user", "add", "mai", "--role", "admin", "--config", cfg)
	if r.code != 0 || !strings.Contains(r.stdout, "added admin mai") {
		t.Fatalf("user add (through the daemon): exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}

	anonymous := &browser{base: "http://" + d.addr}
	for path, want := range map[string]string{"/account": "/login?next=%2Faccount", "/": "/login", "/topics/trafficking": "/login?next=%2Ftopics%2Ftrafficking"} {
		if code, loc, _ := anonymous.send(t, "GET", path, nil); code != http.StatusSeeOther || loc != want {
			t.Errorf("GET %s without a session = %d to %q, want 303 to %s", path, code, loc, want)
		}
	}
	if code, _, body := anonymous.send(t, "GET", "/login?next=/account", nil); code != http.StatusOK || !strings.Contains(body, `name="username"`) || !strings.Contains(body, `name="password"`) {
		t.Errorf("GET /login = %d, want the form with username and password", code)
	}

	b := &browser{base: "http://" + d.addr}
	if code, _, body := b.send(t, "POST", "/login", url.Values{"username": {"mai"}, "password": {"not the password, sorry"}}); code != http.StatusUnprocessableEntity || b.cookie != nil {
		t.Errorf("POST /login with a wrong password = %d, cookie %v; want 422 and none\n%s", code, b.cookie, body)
	}
	code, loc, _ := b.send(t, "POST", "/login", url.Values{"username": {"mai"}, "password": {password}, "next": {"/account"}})
	if code != http.StatusSeeOther || loc != "/account" || b.cookie == nil || !b.cookie.HttpOnly {
		t.Fatalf("POST /login = %d to %q, cookie %+v; want 303 to /account with an HttpOnly session cookie", code, loc, b.cookie)
	}
	code, _, page := b.send(t, "GET", "/account", nil)
	m := csrfField.FindStringSubmatch(page)
	if code != http.StatusOK || !strings.Contains(page, "mai (admin)") || m == nil {
		t.Fatalf("GET /account with the session = %d, want 200 naming mai with a CSRF token\n%s", code, tail(page, 2000))
	}
	csrf := m[1]

	if code, _, body := b.send(t, "POST", "/account/feedkey", url.Values{"action": {"new"}}); code != http.StatusForbidden {
		t.Errorf("POST /account/feedkey without the CSRF token = %d, want 403\n%s", code, body)
	}
	if code, _, _ := b.send(t, "POST", "/account/feedkey", url.Values{"action": {"new"}, "csrf": {"forged"}}); code != http.StatusForbidden {
		t.Errorf("POST /account/feedkey with a wrong CSRF token = %d, want 403", code)
	}
	if r := newswatch(t, time.Minute, "user", "list", "--config", cfg); !regexp.MustCompile(`(?m)^mai\s+admin\s.*\sno$`).MatchString(r.stdout) {
		t.Errorf("after refused POSTs, user list shows a feed key:\n%s", r.stdout)
	}
	if code, loc, _ := b.send(t, "POST", "/account/feedkey", url.Values{"action": {"new"}, "csrf": {csrf}}); code != http.StatusSeeOther || loc != "/account?done=feedkey" {
		t.Errorf("POST /account/feedkey with the CSRF token = %d to %q, want 303 to /account?done=feedkey", code, loc)
	}
	if r := newswatch(t, time.Minute, "user", "list", "--config", cfg); !regexp.MustCompile(`(?m)^mai\s+admin\s.*\syes$`).MatchString(r.stdout) {
		t.Errorf("after a new feed key from the account page, user list shows none:\n%s", r.stdout)
	}

	if code, loc, _ := b.send(t, "POST", "/logout", url.Values{"csrf": {csrf}}); code != http.StatusSeeOther || loc != "/login" {
		t.Errorf("POST /logout = %d to %q, want 303 to /login", code, loc)
	}
	if code, _, _ := b.send(t, "GET", "/account", nil); code != http.StatusSeeOther {
		t.Errorf("GET /account after logout = %d, want 303", code)
	}
	d.stop(t)
}
