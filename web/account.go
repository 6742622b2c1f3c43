package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/newswatch/newswatch/store"
)

// accountData is what account.html shows.
type accountData struct {
	Name     string
	Role     Role
	Created  time.Time
	Changed  time.Time // the password's last change; zero if never
	FeedKey  string
	Feeds    []topicFeed // the feed of each topic, with the key
	Sessions []sessionRow
	Notice   string          // what the last change did
	Fields   []passwordField // of the password form
}

// passwordField is an input of the password form.
type passwordField struct {
	ID, Label, Autocomplete string
	Error                   string // what is wrong with it, after a try
}

// passwordFields are the inputs of the password form, with errs, the
// errors of the last try by ID.
func passwordFields(errs map[string]string) []passwordField {
	fs := []passwordField{
		{ID: "current", Label: "Current password", Autocomplete: "current-password"},
		{ID: "new", Label: "New password", Autocomplete: "new-password"},
		{ID: "confirm", Label: "New password again", Autocomplete: "new-password"},
	}
	for i := range fs {
		fs[i].Error = errs[fs[i].ID]
	}
	return fs
}

// topicFeed is a topic's Atom feed URL with the user's key.
type topicFeed struct {
	Topic, URL string
}

// sessionRow is a session as the account page lists it.
type sessionRow struct {
	Created, LastSeen time.Time
	Current           bool
}

// account serves GET /account: the user's own password, feed key and
// sessions.
func (a *api) account(w http.ResponseWriter, r *http.Request) {
	a.renderAccount(w, r, http.StatusOK, accountNotice(r.URL.Query()), nil)
}

// renderAccount renders the account page with a notice or the password
// form's errors.
func (a *api) renderAccount(w http.ResponseWriter, r *http.Request, status int, note string, errs map[string]string) {
	c := callerOf(r)
	u, err := a.o.Store.User(c.name)
	if err != nil {
		writeError(w, err)
		return
	}
	list, err := a.o.Store.Sessions(c.name)
	if err != nil {
		writeError(w, err)
		return
	}
	d := accountData{Name: u.Name, Role: Role(u.Role), Created: u.Created, Changed: u.PasswordChanged, FeedKey: u.FeedKey, Notice: note, Fields: passwordFields(errs)}
	current := store.SessionID(c.secret)
	for _, x := range list {
		d.Sessions = append(d.Sessions, sessionRow{Created: x.Created, LastSeen: x.LastSeen, Current: x.ID == current})
	}
	if u.FeedKey != "" {
		scheme := "http"
		if overTLS(r) {
			scheme = "https"
		}
		for _, t := range a.o.topics() {
			u := url.URL{Scheme: scheme, Host: r.Host, Path: "/topics/" + t + "/feed.atom", RawQuery: url.Values{"key": {d.FeedKey}}.Encode()}
			d.Feeds = append(d.Feeds, topicFeed{Topic: t, URL: u.String()})
		}
	}
	a.render(w, r, status, "account", "account", d)
}

// accountNotice is the message for what the last change did, from the query of
// the redirect that followed it.
func accountNotice(q url.Values) string {
	ended, _ := strconv.Atoi(q.Get("ended"))
	switch q.Get("done") {
	case "password":
		return "Your password was changed." + endedText(ended)
	case "feedkey":
		return "You have a new feed key: the feed URLs with the old one no longer work."
	case "nofeedkey":
		return "Your feed key was revoked: the feed URLs with it no longer work."
	case "sessions":
		return "You were logged out everywhere else." + endedText(ended)
	}
	return ""
}

func endedText(n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return " 1 other session was ended."
	}
	return fmt.Sprintf(" %d other sessions were ended.", n)
}

// doneRedirect sends the browser back to the account page after a change
// (so that reloading it does not repeat the change).
func doneRedirect(w http.ResponseWriter, r *http.Request, done string, ended int) {
	q := url.Values{"done": {done}}
	if ended > 0 {
		q.Set("ended", strconv.Itoa(ended))
	}
	http.Redirect(w, r, "/account?"+q.Encode(), http.StatusSeeOther)
}

// changeOwnPassword serves POST /account/password: the current password,
// and the new one twice. Other sessions of the user end; this one stays.
// Wrong current passwords count as failed logins.
func (a *api) changeOwnPassword(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	cur, next, confirm := postFormValue(w, r, "current"), r.PostForm.Get("new"), r.PostForm.Get("confirm")
	fail := func(status int, field, msg string) {
		a.renderAccount(w, r, status, "", map[string]string{field: msg})
	}
	switch {
	case cur == "":
		fail(http.StatusUnprocessableEntity, "current", "Enter your current password.")
		return
	case next != confirm:
		fail(http.StatusUnprocessableEntity, "confirm", "The two new passwords differ.")
		return
	}
	if err := CheckPassword(next, c.name); err != nil {
		fail(http.StatusUnprocessableEntity, "new", sentence(err))
		return
	}
	succeeded, wait := a.auth.tries.attempt(c.name, clientAddr(r), a.now())
	if wait > 0 {
		setRetryAfter(w, wait)
		fail(http.StatusTooManyRequests, "current", fmt.Sprintf("Too many wrong passwords. Wait %s, then try again.", waitText(wait)))
		return
	}
	u, err := a.o.Store.User(c.name)
	if err != nil {
		writeError(w, err)
		return
	}
	ok, _, err := a.auth.hasher.verify(r.Context(), u.PasswordHash, cur)
	if err != nil {
		return
	}
	if !ok {
		a.o.Logger.Warn("password change: wrong current password", "user", c.name, "client", clientAddr(r))
		fail(http.StatusUnprocessableEntity, "current", "The current password is wrong.")
		return
	}
	succeeded()
	ended, err := a.changePassword(r, c.name, next, c.secret)
	if err != nil {
		writeError(w, err)
		return
	}
	a.o.Logger.Info("password changed", "user", c.name, "sessions_ended", ended)
	doneRedirect(w, r, "password", ended)
}

// changePassword hashes password and sets it for name, ending the user's
// sessions but keep's.
func (a *api) changePassword(r *http.Request, name, password, keep string) (int, error) {
	phc, err := a.auth.hasher.hash(r.Context(), password)
	if err != nil {
		return 0, err
	}
	return a.o.Store.ChangePassword(name, phc, a.now().UTC(), keep)
}

// sentence turns a CheckPassword error into a sentence for a form.
func sentence(err error) string {
	msg := err.Error()
	if errors.Is(err, ErrWeakPassword) {
		msg = "This password is refused" + msg[len(ErrWeakPassword.Error()):]
	}
	return msg + "."
}

// changeOwnFeedKey serves POST /account/feedkey: action=new gives the
// user a new key, action=revoke takes it away.
func (a *api) changeOwnFeedKey(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	key, done := "", "nofeedkey"
	switch postFormValue(w, r, "action") {
	case "new":
		key, done = randomSecret(), "feedkey"
	case "revoke":
	default:
		refuse(w, r, http.StatusBadRequest, "action: want new or revoke")
		return
	}
	if err := a.o.Store.UpdateUser(c.name, func(u *store.User) error { u.FeedKey = key; return nil }); err != nil {
		writeError(w, err)
		return
	}
	a.o.Logger.Info("feed key changed", "user", c.name, "revoked", key == "")
	doneRedirect(w, r, done, 0)
}

// endOtherSessions serves POST /account/sessions: every session of the
// user but this one ends.
func (a *api) endOtherSessions(w http.ResponseWriter, r *http.Request) {
	c := callerOf(r)
	n, err := a.o.Store.DeleteSessions(c.name, c.secret)
	if err != nil {
		writeError(w, err)
		return
	}
	doneRedirect(w, r, "sessions", n)
}
