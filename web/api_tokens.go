package web

import (
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

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
