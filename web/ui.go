package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/newswatch/newswatch/lang"
)

// The dashboard: server-rendered pages from the templates under
// ui/templates, with the stylesheet (and any script) under ui/static, all
// embedded in the binary. Every page works with JavaScript off.
//
// A page is one file, ui/templates/NAME.html, that defines "title" and
// "content"; layout.html wraps it (head, navigation, footer). Shared
// pieces are defined in partials.html. Pages render from the same store
// queries the JSON endpoints use.

//go:embed ui/templates/*.html ui/static
var uiFS embed.FS

// staticFS holds the files served under /static/.
var staticFS = func() fs.FS {
	sub, err := fs.Sub(uiFS, "ui/static")
	if err != nil {
		panic(err) // the embed directive guarantees the directory
	}
	return sub
}()

// pages are the parsed templates, one per page, each with the layout and
// the partials; parsed once, on first use.
var pages = sync.OnceValues(parsePages)

// templateFuncs are the functions every template may call.
var templateFuncs = template.FuncMap{
	"dir":      lang.Dir,
	"datetime": func(t time.Time) string { return t.UTC().Format(time.RFC3339) },
	"date":     func(t time.Time) string { return t.UTC().Format("2006-01-02") },
}

func parsePages() (map[string]*template.Template, error) {
	base, err := template.New("layout.html").Funcs(templateFuncs).ParseFS(uiFS, "ui/templates/layout.html", "ui/templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: layout: %w", err)
	}
	files, err := fs.Glob(uiFS, "ui/templates/*.html")
	if err != nil {
		return nil, err
	}
	out := map[string]*template.Template{}
	for _, f := range files {
		name := strings.TrimSuffix(path.Base(f), ".html")
		if name == "layout" || name == "partials" {
			continue
		}
		t, err := template.Must(base.Clone()).ParseFS(uiFS, f)
		if err != nil {
			return nil, fmt.Errorf("web: page %s: %w", name, err)
		}
		out[name] = t
	}
	return out, nil
}

// page is what the layout needs besides the page's own data.
type page struct {
	Title   string
	Nav     string // the navigation entry to mark as current
	User    string // "" when nobody is logged in
	Role    Role
	CSRF    string // the token every POST form of the page carries
	Version string
	Data    any // the page's own data
}

// render writes the page called name with data, as a whole: a template
// error is a 500, never half a page.
func (a *api) render(w http.ResponseWriter, r *http.Request, status int, name, nav string, data any) {
	ts, err := pages()
	t := ts[name]
	if err == nil && t == nil {
		err = fmt.Errorf("web: no page %q", name)
	}
	if err != nil {
		a.o.Logger.Error("page template", "page", name, "error", err)
		http.Error(w, "page template broken: "+err.Error(), http.StatusInternalServerError)
		return
	}
	c := callerOf(r)
	p := page{Nav: nav, User: c.name, Role: c.role, CSRF: c.csrf, Data: data}
	if a.o.Control != nil {
		p.Version = a.o.Control.Status().Version
	}
	var b bytes.Buffer
	if err := t.ExecuteTemplate(&b, "layout.html", p); err != nil {
		a.o.Logger.Error("page render", "page", name, "error", err)
		http.Error(w, "page render failed: "+err.Error(), http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("X-Frame-Options", "DENY")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

// staticHandler serves the embedded stylesheet and scripts, cacheable for
// a day: they change only with the binary.
func staticHandler() http.Handler {
	fsrv := http.StripPrefix("/static/", http.FileServerFS(staticFS))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		fsrv.ServeHTTP(w, r)
	})
}
