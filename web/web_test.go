package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHealthz(t *testing.T) {
	h, st, _ := fixtureHandler(t)
	rec := get(t, h, "/healthz")
	if rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Errorf("GET /healthz = %d %q, want 200 \"ok\\n\"", rec.Code, rec.Body.String())
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	rec = get(t, h, "/healthz")
	if rec.Code != http.StatusServiceUnavailable || !strings.Contains(rec.Body.String(), "store") {
		t.Errorf("GET /healthz on a closed store = %d %q, want 503 naming the store", rec.Code, rec.Body.String())
	}
}

func TestRoutes(t *testing.T) {
	h, _, _ := fixtureHandler(t)
	tests := []struct {
		method, target string
		want           int
	}{
		{http.MethodGet, "/", http.StatusOK},
		{http.MethodHead, "/healthz", http.StatusOK},
		{http.MethodPost, "/export", http.StatusMethodNotAllowed},
		{http.MethodDelete, "/feeds", http.StatusMethodNotAllowed},
		{http.MethodGet, "/items", http.StatusNotFound},
		{http.MethodGet, "/healthz/", http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.target, func(t *testing.T) {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), tt.method, tt.target, nil))
			if rec.Code != tt.want {
				t.Errorf("%s %s = %d, want %d", tt.method, tt.target, rec.Code, tt.want)
			}
			if got := rec.Header().Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("%s %s: X-Content-Type-Options = %q, want nosniff", tt.method, tt.target, got)
			}
		})
	}
}

func TestIndexListsEndpoints(t *testing.T) {
	h, _, _ := fixtureHandler(t)
	body := get(t, h, "/").Body.String()
	for _, p := range []string{"/healthz", "/metrics", "/feeds", "/export"} {
		if !strings.Contains(body, p) {
			t.Errorf("GET / lacks %s:\n%s", p, body)
		}
	}
}

func TestNoStore(t *testing.T) {
	h := New(Options{})
	for _, p := range []string{"/healthz", "/metrics", "/feeds", "/export"} {
		if rec := get(t, h, p); rec.Code != http.StatusServiceUnavailable {
			t.Errorf("GET %s without a store = %d, want 503", p, rec.Code)
		}
	}
}
