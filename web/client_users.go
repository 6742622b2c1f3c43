package web

import (
	"context"
	"net/http"
	"net/url"
)

// Users lists the dashboard's users.
func (c *Client) Users(ctx context.Context) ([]UserRow, error) {
	var rows []UserRow
	return rows, c.call(ctx, http.MethodGet, "/api/users", nil, nil, &rows)
}

// CreateUser adds a user.
func (c *Client) CreateUser(ctx context.Context, req UserRequest) (UserRow, error) {
	var row UserRow
	return row, c.call(ctx, http.MethodPost, "/api/users", nil, req, &row)
}

// RemoveUser removes a user and ends their sessions.
func (c *Client) RemoveUser(ctx context.Context, name string) error {
	var res map[string]string
	return c.call(ctx, http.MethodDelete, userPath(name), nil, nil, &res)
}

// SetPassword sets a user's password, which ends their sessions.
func (c *Client) SetPassword(ctx context.Context, name, password string) (PasswordResult, error) {
	var res PasswordResult
	return res, c.call(ctx, http.MethodPut, userPath(name)+"/password", nil, PasswordRequest{Password: password}, &res)
}

// NewFeedKey gives a user a new feed key and returns it (shown once).
func (c *Client) NewFeedKey(ctx context.Context, name string) (FeedKeyResult, error) {
	var res FeedKeyResult
	return res, c.call(ctx, http.MethodPost, userPath(name)+"/feedkey", nil, nil, &res)
}

// RevokeFeedKey takes a user's feed key away.
func (c *Client) RevokeFeedKey(ctx context.Context, name string) error {
	var res FeedKeyResult
	return c.call(ctx, http.MethodDelete, userPath(name)+"/feedkey", nil, nil, &res)
}

func userPath(name string) string { return "/api/users/" + url.PathEscape(name) }
