package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestTemplatesParse: every page template parses with the layout and the
// partials (a broken template fails here, not in front of a user).
func TestTemplatesParse(t *testing.T) {
	t.Parallel()
	if _, err := pages(); err != nil {
		t.Fatal(err)
	}
}

func TestStaticServed(t *testing.T) {
	t.Parallel()
	h, _, _ := fixtureHandler(t)
	rec := get(t, h, "/static/style.css")
	if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Type"), "text/css") || !strings.Contains(rec.Body.String(), "inset-inline-start") {
		t.Errorf("GET /static/style.css = %d %q", rec.Code, rec.Header().Get("Content-Type"))
	}
	if rec := get(t, h, "/static/nothing.js"); rec.Code != http.StatusNotFound {
		t.Errorf("GET /static/nothing.js = %d, want 404", rec.Code)
	}
}
