package web

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// checkForm checks the inputs of a page as axe-core would, in part: every
// visible input has an id and a <label for> it; those in autocomplete
// (by id) carry that autocomplete value; an input marked invalid says
// which element describes its error, and that element exists.
func checkForm(t *testing.T, where, page string, autocomplete map[string]string) {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	labels, ids := map[string]bool{}, map[string]bool{}
	var inputs []map[string]string
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode {
			continue
		}
		attrs := map[string]string{}
		for _, a := range n.Attr {
			attrs[a.Key] = a.Val
		}
		if id := attrs["id"]; id != "" {
			ids[id] = true
		}
		switch n.Data {
		case "label":
			labels[attrs["for"]] = true
		case "input":
			_, hidden := attrs["hidden"]
			if attrs["type"] != "hidden" && !hidden {
				inputs = append(inputs, attrs)
			}
		}
	}
	for _, in := range inputs {
		if in["id"] == "" || !labels[in["id"]] {
			t.Errorf("%s: input %q has no label", where, in["name"])
		}
		if want, ok := autocomplete[in["id"]]; ok && in["autocomplete"] != want {
			t.Errorf("%s: input %q has autocomplete %q, want %q", where, in["id"], in["autocomplete"], want)
		}
		if in["aria-invalid"] == "true" && !ids[in["aria-describedby"]] {
			t.Errorf("%s: invalid input %q does not point to its error (aria-describedby %q)", where, in["id"], in["aria-describedby"])
		}
	}
	for id := range autocomplete {
		found := false
		for _, in := range inputs {
			found = found || in["id"] == id
		}
		if !found {
			t.Errorf("%s: no input %q", where, id)
		}
	}
}

var passwordInputs = map[string]string{"current": "current-password", "new": "new-password", "confirm": "new-password"}

// passwordForm is a password change as the account page posts it.
func passwordForm(s session, cur, next, confirm string) req {
	return req{method: "POST", target: "/account/password", sess: s, form: url.Values{
		"csrf": {s.csrf}, "current": {cur}, "new": {next}, "confirm": {confirm},
	}}
}

// TestPasswordChangeEndsOtherSessions: the user's other sessions end,
// the one that made the change stays, and only the new password works.
func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	here, there := e.loggedIn(t, viewerUser), e.loggedIn(t, viewerUser)
	page := e.do(t, req{method: "GET", target: "/account", sess: here})
	checkForm(t, "GET /account", page.Body.String(), passwordInputs)
	if !strings.Contains(page.Body.String(), "Log out everywhere else") {
		t.Errorf("the account page of a user with 2 sessions does not offer to end the other")
	}
	const newPassword = "a different horse, same battery"
	rec := e.do(t, passwordForm(here, goodPassword, newPassword, newPassword))
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account?done=password&ended=1" {
		t.Fatalf("password change = %d %q %s, want 303 to /account?done=password&ended=1", rec.Code, rec.Header().Get("Location"), rec.Body)
	}
	page = e.do(t, req{method: "GET", target: "/account?done=password&ended=1", sess: here})
	if page.Code != http.StatusOK || !strings.Contains(page.Body.String(), "1 other session was ended") {
		t.Errorf("the session that changed the password: GET /account = %d, want 200 with the notice", page.Code)
	}
	if rec := e.do(t, req{method: "GET", target: "/account", sess: there}); rec.Code != http.StatusSeeOther {
		t.Errorf("the other session: GET /account = %d, want 303 to /login", rec.Code)
	}
	if rec := e.login(t, viewerUser, goodPassword, "/", ""); rec.Code != http.StatusUnprocessableEntity {
		t.Errorf("login with the old password = %d, want 422", rec.Code)
	}
	if rec := e.login(t, viewerUser, newPassword, "/", ""); rec.Code != http.StatusSeeOther {
		t.Errorf("login with the new password = %d, want 303", rec.Code)
	}
}

func TestPasswordChangeRefused(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	s := e.loggedIn(t, viewerUser)
	before, _ := e.st.User(viewerUser)
	const good = "another long passphrase here"
	tests := []struct {
		name, cur, next, confirm string
		field, msg               string
	}{
		{"wrong current password", "not my password at all", good, good, "current", "The current password is wrong."},
		{"no current password", "", good, good, "current", "Enter your current password."},
		{"new passwords differ", goodPassword, good, good + "!", "confirm", "The two new passwords differ."},
		{"too short", goodPassword, "short one", "short one", "new", "at least 15"},
		{"the service's name in it", goodPassword, "my NewsWatch password", "my NewsWatch password", "new", "name of this service"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := e.do(t, passwordForm(s, tt.cur, tt.next, tt.confirm))
			body := rec.Body.String()
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(body, tt.msg) {
				t.Errorf("= %d, want 422 saying %q:\n%s", rec.Code, tt.msg, body)
			}
			if !strings.Contains(body, `id="`+tt.field+`" name="`+tt.field+`"`) || !strings.Contains(body, `aria-describedby="`+tt.field+`-error"`) {
				t.Errorf("the error is not tied to the field %q", tt.field)
			}
			checkForm(t, tt.name, body, passwordInputs)
		})
	}
	if after, _ := e.st.User(viewerUser); after.PasswordHash != before.PasswordHash {
		t.Error("a refused change changed the password")
	}
}

func TestAccountFeedKey(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	s := e.loggedIn(t, viewerUser)
	page := e.do(t, req{method: "GET", target: "/account", sess: s}).Body.String()
	if !strings.Contains(page, "You have no feed key.") {
		t.Errorf("a user without a feed key is not told so")
	}
	feedkey := func(action string) {
		t.Helper()
		if rec := e.do(t, req{method: "POST", target: "/account/feedkey", sess: s, form: url.Values{"csrf": {s.csrf}, "action": {action}}}); rec.Code != http.StatusSeeOther {
			t.Fatalf("POST /account/feedkey action=%s = %d %s", action, rec.Code, rec.Body)
		}
	}
	feedkey("new")
	u, _ := e.st.User(viewerUser)
	page = e.do(t, req{method: "GET", target: "/account?done=feedkey", sess: s, hdr: []string{"X-Forwarded-Proto", "https"}}).Body.String()
	want := "https://example.com/topics/trafficking/feed.atom?key=" + u.FeedKey
	if len(u.FeedKey) < 40 || !strings.Contains(page, want) || !strings.Contains(page, "You have a new feed key") {
		t.Errorf("after a new key %q, the account page lacks %s and the notice", u.FeedKey, want)
	}
	feedkey("new")
	if u2, _ := e.st.User(viewerUser); u2.FeedKey == u.FeedKey || u2.FeedKey == "" {
		t.Errorf("a second new key = %q, want another one", u2.FeedKey)
	}
	feedkey("revoke")
	if u, _ := e.st.User(viewerUser); u.FeedKey != "" {
		t.Errorf("after revoke the key is %q", u.FeedKey)
	}
	if rec := e.do(t, req{method: "POST", target: "/account/feedkey", sess: s, form: url.Values{"csrf": {s.csrf}, "action": {"steal"}}}); rec.Code != http.StatusBadRequest {
		t.Errorf("action=steal = %d, want 400", rec.Code)
	}
}

func TestEndOtherSessions(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	here := e.loggedIn(t, adminUser)
	others := []session{e.loggedIn(t, adminUser), e.loggedIn(t, adminUser)}
	viewer := e.loggedIn(t, viewerUser)
	rec := e.do(t, req{method: "POST", target: "/account/sessions", sess: here, form: url.Values{"csrf": {here.csrf}}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/account?done=sessions&ended=2" {
		t.Fatalf("POST /account/sessions = %d %q", rec.Code, rec.Header().Get("Location"))
	}
	for _, s := range append(others, here, viewer) {
		want := http.StatusSeeOther
		if s == here || s == viewer {
			want = http.StatusOK
		}
		if rec := e.do(t, req{method: "GET", target: "/account", sess: s}); rec.Code != want {
			t.Errorf("GET /account = %d, want %d", rec.Code, want)
		}
	}
	if list, _ := e.st.Sessions(adminUser); len(list) != 1 {
		t.Errorf("%d sessions of %s left, want 1", len(list), adminUser)
	}
	page := e.do(t, req{method: "GET", target: "/account", sess: here}).Body.String()
	if strings.Count(page, "this browser") != 1 {
		t.Errorf("the account page does not mark this browser's session once")
	}
}
