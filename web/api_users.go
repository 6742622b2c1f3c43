package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newswatch/newswatch/store"
)

// UserRequest creates a user: a name, a role (default viewer) and a
// password, which the server hashes.
type UserRequest struct {
	Name     string `json:"name"`
	Role     Role   `json:"role"`
	Password string `json:"password"`
}

// UserRow is a user as listed: never the password hash nor the feed key,
// only whether there is one.
type UserRow struct {
	Name            string     `json:"name"`
	Role            Role       `json:"role"`
	Created         time.Time  `json:"created"`
	PasswordChanged *time.Time `json:"password_changed"`
	FeedKey         bool       `json:"feed_key"`
}

func userRow(u store.User) UserRow {
	return UserRow{Name: u.Name, Role: Role(u.Role), Created: u.Created, PasswordChanged: timePtr(u.PasswordChanged), FeedKey: u.FeedKey != ""}
}

// PasswordRequest sets a user's password.
type PasswordRequest struct {
	Password string `json:"password"`
}

// PasswordResult says how many of the user's sessions the change ended.
type PasswordResult struct {
	User          string `json:"user"`
	SessionsEnded int    `json:"sessions_ended"`
}

// FeedKeyResult is a user's new feed key, shown once; "" once revoked.
type FeedKeyResult struct {
	User    string `json:"user"`
	FeedKey string `json:"feed_key"`
}

// CheckUserName reports what is wrong with a user name, or nil: 1 to 64
// letters (any script), digits, '.', '-', '_' and '@', starting with a
// letter or digit, so a name reads the same in a log line, a URL path
// and the page that shows it.
func CheckUserName(name string) error {
	n := utf8.RuneCountInString(name)
	first, _ := utf8.DecodeRuneInString(name)
	ok := n >= 1 && n <= 64 && utf8.ValidString(name) && (unicode.IsLetter(first) || unicode.IsDigit(first))
	for _, c := range name {
		ok = ok && (unicode.IsLetter(c) || unicode.IsDigit(c) || c == '.' || c == '-' || c == '_' || c == '@')
	}
	if !ok {
		return fmt.Errorf("user name %q: use 1 to 64 letters, digits, '.', '-', '_' and '@', starting with a letter or digit", name)
	}
	return nil
}

// listUsers serves GET /api/users.
func (a *api) listUsers(w http.ResponseWriter, r *http.Request) {
	if !checkParams(w, r.URL.Query()) {
		return
	}
	list, err := a.o.Store.Users()
	if err != nil {
		writeError(w, err)
		return
	}
	rows := make([]UserRow, len(list))
	for i, u := range list {
		rows[i] = userRow(u)
	}
	writeJSON(w, http.StatusOK, rows)
}

// createUser serves POST /api/users.
func (a *api) createUser(w http.ResponseWriter, r *http.Request) {
	var req UserRequest
	if !checkParams(w, r.URL.Query()) || !readJSON(w, r, &req) {
		return
	}
	if req.Role == "" {
		req.Role = RoleViewer
	}
	if _, err := ParseRole(string(req.Role)); err != nil {
		badRequest(w, "%v", err)
		return
	}
	if err := errors.Join(CheckUserName(req.Name), CheckPassword(req.Password, req.Name)); err != nil {
		badRequest(w, "%v", err)
		return
	}
	phc, err := a.auth.hasher.hash(r.Context(), req.Password)
	if err != nil {
		return // the client went away
	}
	now := a.now().UTC()
	u := store.User{Name: req.Name, Role: string(req.Role), PasswordHash: phc, Created: now, PasswordChanged: now}
	if err := a.o.Store.CreateUser(u); err != nil {
		if errors.Is(err, store.ErrExists) {
			err = fmt.Errorf("a user named %q exists (newswatch user passwd %s sets a new password): %w", req.Name, req.Name, ErrConflict)
		}
		writeError(w, err)
		return
	}
	a.o.Logger.Info("user added", "user", u.Name, "role", u.Role)
	writeJSON(w, http.StatusCreated, userRow(u))
}

// noUser names an unknown user in an error.
func noUser(name string, err error) error {
	if errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("no user named %q (newswatch user list shows them): %w", name, store.ErrNotFound)
	}
	return err
}

// removeUser serves DELETE /api/users/{name}: the user and their
// sessions go; their relevance labels stay.
func (a *api) removeUser(w http.ResponseWriter, r *http.Request) {
	if !checkParams(w, r.URL.Query()) {
		return
	}
	name := r.PathValue("name")
	if err := a.o.Store.DeleteUser(name); err != nil {
		writeError(w, noUser(name, err))
		return
	}
	a.o.Logger.Info("user removed", "user", name)
	writeJSON(w, http.StatusOK, map[string]string{"removed": name})
}

// setPassword serves PUT /api/users/{name}/password: an admin sets a new
// password, and every session of the user ends.
func (a *api) setPassword(w http.ResponseWriter, r *http.Request) {
	var req PasswordRequest
	if !checkParams(w, r.URL.Query()) || !readJSON(w, r, &req) {
		return
	}
	name := r.PathValue("name")
	if _, err := a.o.Store.User(name); err != nil {
		writeError(w, noUser(name, err))
		return
	}
	if err := CheckPassword(req.Password, name); err != nil {
		badRequest(w, "%v", err)
		return
	}
	n, err := a.changePassword(r, name, req.Password, "")
	if err != nil {
		writeError(w, noUser(name, err))
		return
	}
	a.o.Logger.Info("password set", "user", name, "sessions_ended", n)
	writeJSON(w, http.StatusOK, PasswordResult{User: name, SessionsEnded: n})
}

// newFeedKey serves POST /api/users/{name}/feedkey: a new feed key,
// shown once here; the old one stops working.
func (a *api) newFeedKey(w http.ResponseWriter, r *http.Request) {
	a.setFeedKey(w, r, randomSecret())
}

// revokeFeedKey serves DELETE /api/users/{name}/feedkey.
func (a *api) revokeFeedKey(w http.ResponseWriter, r *http.Request) {
	a.setFeedKey(w, r, "")
}

func (a *api) setFeedKey(w http.ResponseWriter, r *http.Request, key string) {
	if !checkParams(w, r.URL.Query()) {
		return
	}
	name := r.PathValue("name")
	if err := a.o.Store.UpdateUser(name, func(u *store.User) error { u.FeedKey = key; return nil }); err != nil {
		writeError(w, noUser(name, err))
		return
	}
	a.o.Logger.Info("feed key changed", "user", name, "revoked", key == "")
	writeJSON(w, http.StatusOK, FeedKeyResult{User: name, FeedKey: key})
}
