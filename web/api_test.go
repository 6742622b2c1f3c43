package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// serve sends one request through h and returns the recorder.
func serve(t *testing.T, h http.Handler, method, target, host, token, contentType string, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequestWithContext(t.Context(), method, target, strings.NewReader(body))
	if host != "" {
		req.Host = host
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// authFixture returns a store with an admin and a viewer token.
func authFixture(t *testing.T) (*store.Store, string, string) {
	t.Helper()
	st, _ := openFixture(t)
	admin, viewer := newTokenSecret(), newTokenSecret()
	if err := st.CreateToken(admin, store.Token{Name: "ops", Role: string(RoleAdmin)}); err != nil {
		t.Fatal(err)
	}
	if err := st.CreateToken(viewer, store.Token{Name: "grafana", Role: string(RoleViewer)}); err != nil {
		t.Fatal(err)
	}
	return st, admin, viewer
}

func TestTokensAPI(t *testing.T) {
	t.Parallel()
	st, _ := openFixture(t)
	h := New(Options{Store: st, Auth: AuthLocal})
	const js = "application/json"
	rec := serve(t, h, "POST", "/api/tokens", "", "", js, `{"name":"grafana","role":"viewer"}`)
	var row TokenRow
	if rec.Code != 201 || json.Unmarshal(rec.Body.Bytes(), &row) != nil || !strings.HasPrefix(row.Secret, TokenPrefix) || row.Role != RoleViewer {
		t.Fatalf("POST /api/tokens = %d %s, want 201 with a viewer token", rec.Code, rec.Body)
	}
	if tok, err := st.Authenticate(row.Secret, t0); err != nil || tok.Name != "grafana" {
		t.Errorf("the created token does not authenticate: %+v, %v", tok, err)
	}
	for _, tt := range []struct {
		name, method, path, body string
		want                     int
	}{
		{"same name again", "POST", "/api/tokens", `{"name":"grafana"}`, 409},
		{"bad role", "POST", "/api/tokens", `{"name":"x","role":"root"}`, 400},
		{"bad name", "POST", "/api/tokens", `{"name":"a b"}`, 400},
		{"unknown field", "POST", "/api/tokens", `{"name":"x","secret":"mine"}`, 400},
		{"list", "GET", "/api/tokens", "", 200},
		{"revoke", "DELETE", "/api/tokens/grafana", "", 200},
		{"revoke again", "DELETE", "/api/tokens/grafana", "", 404},
	} {
		rec := serve(t, h, tt.method, tt.path, "", "", js, tt.body)
		if rec.Code != tt.want {
			t.Errorf("%s: %s %s = %d %s, want %d", tt.name, tt.method, tt.path, rec.Code, rec.Body, tt.want)
		}
		if tt.name == "list" && strings.Contains(rec.Body.String(), row.Secret) {
			t.Errorf("GET /api/tokens shows a secret: %s", rec.Body)
		}
	}
	if _, err := st.Authenticate(row.Secret, t0); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a revoked token still authenticates: %v", err)
	}
}

func TestAPIRequestErrors(t *testing.T) {
	t.Parallel()
	h, _, _ := fixtureHandler(t)
	tests := []struct {
		name, method, target, ct, body string
		want                           int
	}{
		{"not JSON", "POST", "/api/feeds", "text/plain", `{"url":"https://example.org/rss"}`, 415},
		{"bad JSON", "POST", "/api/feeds", "application/json", `{"url":`, 400},
		{"two values", "POST", "/api/alerts/retry", "application/json", `{"id":"a"} {"id":"b"}`, 400},
		{"unknown parameter", "GET", "/api/feeds?colour=blue", "", "", 400},
		{"retry without id", "POST", "/api/alerts/retry", "application/json", `{}`, 400},
		{"retry unknown id", "POST", "/api/alerts/retry", "application/json", `{"id":"0000"}`, 404},
		{"remove without url", "DELETE", "/api/feeds", "", "", 400},
		{"import of an RSS feed", "POST", "/api/feeds/import", "text/x-opml", `<rss version="2.0"><channel/></rss>`, 400},
		{"export of an unknown topic", "GET", "/api/export?topic=sports", "", "", 400},
		{"reload without a daemon", "POST", "/api/reload", "", "", 503},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := serve(t, h, tt.method, tt.target, "", "", tt.ct, tt.body)
			if rec.Code != tt.want {
				t.Errorf("%s %s = %d %s, want %d", tt.method, tt.target, rec.Code, rec.Body, tt.want)
			}
			var eb errorBody
			if err := json.Unmarshal(rec.Body.Bytes(), &eb); err != nil || eb.Error == "" {
				t.Errorf("%s %s: body %q is not a JSON error", tt.method, tt.target, rec.Body)
			}
		})
	}
}

// TestClientOverHTTP runs the client against a real server: the export's
// count trailer, a backup that opens as a store, an error's status.
func TestClientOverHTTP(t *testing.T) {
	t.Parallel()
	st, admin, _ := authFixture(t)
	srv := httptest.NewServer(New(Options{Store: st, Control: staticControl{feeds: fixtureFeeds, topics: fixtureTopics}}))
	defer srv.Close()
	c := NewClient(srv.URL, admin, nil)
	ctx := t.Context()
	var b bytes.Buffer
	n, err := c.Export(ctx, &b, map[string][]string{"all": {"1"}})
	if lines := strings.Count(b.String(), "\n"); err != nil || n != lines || n == 0 {
		t.Errorf("Export = %d, %v; %d lines written", n, err, lines)
	}
	path := filepath.Join(t.TempDir(), "copy.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	body, err := c.Backup(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(f, body); err != nil {
		t.Fatal(err)
	}
	body.Close()
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	cp, err := store.Open(path, store.Options{ReadOnly: true})
	if err != nil {
		t.Fatalf("the backup does not open: %v", err)
	}
	defer cp.Close()
	if _, err := cp.Check(ctx); err != nil {
		t.Errorf("Check(backup) = %v", err)
	}
	_, err = c.RemoveFeed(ctx, fixtureFeeds[0].URL)
	var ae *APIError
	if !errors.As(err, &ae) || ae.Status != http.StatusServiceUnavailable || ae.Usage() {
		t.Errorf("RemoveFeed without a daemon = %v, want a 503 APIError", err)
	}
	_, err = NewClient(srv.URL, "", nil).Feeds(ctx)
	if !errors.As(err, &ae) || ae.Status != http.StatusUnauthorized {
		t.Errorf("Feeds without a token = %v, want 401", err)
	}
}

// TestPipeListener serves the API in memory, as a command does without a
// daemon, and closes cleanly.
func TestPipeListener(t *testing.T) {
	t.Parallel()
	st, _ := openFixture(t)
	ln := NewPipeListener()
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, ln, New(Options{Store: st, Auth: AuthLocal}), ServeOptions{}) }()
	rows, err := ln.Client().Alerts(t.Context(), string(news.AlertPending))
	if err != nil || len(rows) == 0 {
		t.Errorf("Alerts over a pipe = %d rows, %v", len(rows), err)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("Serve = %v", err)
	}
	if _, err := ln.Dial(t.Context(), "", ""); err == nil {
		t.Error("Dial after close succeeded")
	}
}
