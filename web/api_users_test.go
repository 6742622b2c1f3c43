package web

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestUsersAPI(t *testing.T) {
	t.Parallel()
	st, _ := openFixture(t)
	h := New(Options{Store: st, Auth: AuthLocal})
	const js = "application/json"
	rec := serve(t, h, "POST", "/api/users", "", "", js, `{"name":"mai","role":"admin","password":"`+goodPassword+`"}`)
	var row UserRow
	if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &row) != nil || row.Name != "mai" || row.Role != RoleAdmin || row.FeedKey {
		t.Fatalf("POST /api/users = %d %s, want 201 with the admin mai", rec.Code, rec.Body)
	}
	u, err := st.User("mai")
	if err != nil || !strings.HasPrefix(u.PasswordHash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(u.PasswordHash, goodPassword) {
		t.Fatalf("stored user = %+v, %v; want an argon2id PHC hash", u, err)
	}
	rec = serve(t, h, "POST", "/api/users", "", "", js, `{"name":"an","password":"`+goodPassword+`"}`)
	if rec.Code != 201 || !strings.Contains(rec.Body.String(), `"role": "viewer"`) {
		t.Errorf("POST /api/users without a role = %d %s, want a viewer", rec.Code, rec.Body)
	}
	var key FeedKeyResult
	rec = serve(t, h, "POST", "/api/users/an/feedkey", "", "", "", "")
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &key) != nil || len(key.FeedKey) < 40 {
		t.Errorf("POST /api/users/an/feedkey = %d %s, want a key", rec.Code, rec.Body)
	}
	rec = serve(t, h, "GET", "/api/users", "", "", "", "")
	for _, secret := range []string{"argon2", key.FeedKey, goodPassword} {
		if strings.Contains(rec.Body.String(), secret) {
			t.Errorf("GET /api/users shows %q:\n%s", secret, rec.Body)
		}
	}
	var rows []UserRow
	if err := json.Unmarshal(rec.Body.Bytes(), &rows); err != nil || len(rows) != 2 || rows[0].Name != "an" || !rows[0].FeedKey || rows[1].FeedKey {
		t.Errorf("GET /api/users = %s, want an (with a feed key) and mai", rec.Body)
	}
	tests := []struct {
		name, method, path, body string
		want                     int
		says                     string
	}{
		{"same name again", "POST", "/api/users", `{"name":"mai","password":"` + goodPassword + `"}`, 409, "exists"},
		{"bad name", "POST", "/api/users", `{"name":"a b","password":"` + goodPassword + `"}`, 400, "user name"},
		{"a name of dots", "POST", "/api/users", `{"name":"..","password":"` + goodPassword + `"}`, 400, "user name"},
		{"bad role", "POST", "/api/users", `{"name":"bao","role":"root","password":"` + goodPassword + `"}`, 400, "role"},
		{"short password", "POST", "/api/users", `{"name":"bao","password":"hunter2"}`, 400, "at least 15"},
		{"no password", "POST", "/api/users", `{"name":"bao"}`, 400, "at least 15"},
		{"a hash given", "POST", "/api/users", `{"name":"bao","password_hash":"x"}`, 400, "unknown field"},
		{"password of nobody", "PUT", "/api/users/nobody/password", `{"password":"` + goodPassword + `"}`, 404, "no user"},
		{"short new password", "PUT", "/api/users/an/password", `{"password":"short"}`, 400, "at least 15"},
		{"feed key of nobody", "POST", "/api/users/nobody/feedkey", "", 404, "no user"},
		{"revoke the feed key", "DELETE", "/api/users/an/feedkey", "", 200, `"feed_key": ""`},
		{"new password", "PUT", "/api/users/an/password", `{"password":"another long passphrase"}`, 200, `"sessions_ended": 0`},
		{"remove", "DELETE", "/api/users/an", "", 200, "removed"},
		{"remove again", "DELETE", "/api/users/an", "", 404, "no user"},
	}
	for _, tt := range tests {
		rec := serve(t, h, tt.method, tt.path, "", "", js, tt.body)
		if rec.Code != tt.want || !strings.Contains(rec.Body.String(), tt.says) {
			t.Errorf("%s: %s %s = %d %s, want %d saying %q", tt.name, tt.method, tt.path, rec.Code, rec.Body, tt.want, tt.says)
		}
	}
	if _, err := st.User("bao"); err == nil {
		t.Error("a refused request created bao")
	}
}

// TestAdminPasswordEndsSessions: an admin setting a user's password ends
// every session of that user.
func TestAdminPasswordEndsSessions(t *testing.T) {
	t.Parallel()
	e := newAuthEnv(t)
	a, b := e.loggedIn(t, viewerUser), e.loggedIn(t, viewerUser)
	rec := e.do(t, req{method: "PUT", target: "/api/users/an/password", token: e.adminToken, hdr: []string{"Content-Type", "application/json"}})
	if rec.Code != 400 {
		t.Errorf("PUT without a body = %d, want 400", rec.Code)
	}
	srv := httptest.NewServer(e.h)
	defer srv.Close()
	c := NewClient(srv.URL, e.adminToken, nil)
	res, err := c.SetPassword(t.Context(), viewerUser, "a new horse and battery")
	if err != nil || res.SessionsEnded != 2 {
		t.Fatalf("SetPassword = %+v, %v; want 2 sessions ended", res, err)
	}
	for _, s := range []session{a, b} {
		if rec := e.do(t, req{method: "GET", target: "/account", sess: s}); rec.Code != 303 {
			t.Errorf("GET /account after an admin set the password = %d, want 303", rec.Code)
		}
	}
	if n, _ := e.st.Sessions(viewerUser); len(n) != 0 {
		t.Errorf("%d sessions left", len(n))
	}
}
