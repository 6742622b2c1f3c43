package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/newswatch/newswatch/store"
)

// maxRequestBody caps what an API request may send: a config-sized JSON
// document or an OPML file of thousands of feeds.
const maxRequestBody = 4 << 20

// errorBody is the JSON of every API error.
type errorBody struct {
	Error string `json:"error"`
}

// statusOf maps an error to the HTTP status that reports it.
func statusOf(err error) int {
	switch {
	case errors.Is(err, ErrInvalid):
		return http.StatusBadRequest
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound
	case errors.Is(err, ErrConflict), errors.Is(err, store.ErrExists), errors.Is(err, store.ErrReadOnly):
		return http.StatusConflict
	case errors.Is(err, ErrNoDaemon):
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// writeError answers with err as JSON and the status it maps to.
func writeError(w http.ResponseWriter, err error) {
	writeErrorStatus(w, statusOf(err), err.Error())
}

// writeErrorStatus answers with msg as a JSON error and the given status.
func writeErrorStatus(w http.ResponseWriter, status int, msg string) {
	h := w.Header()
	h.Del("Content-Disposition")
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(errorBody{Error: msg})
}

// badRequest answers 400 with a message naming the problem.
func badRequest(w http.ResponseWriter, format string, args ...any) {
	writeErrorStatus(w, http.StatusBadRequest, fmt.Sprintf(format, args...))
}

// writeJSON answers 200 (or status) with v as indented JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v) // an error means the client went away
}

// readJSON decodes the request's JSON body into v, refusing unknown fields,
// a wrong content type and bodies over maxRequestBody. It answers the
// error itself and returns false.
func readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "application/json" {
		// A browser cannot send this type across origins without a
		// preflight we never answer: a cheap guard against cross-site
		// requests to a server on loopback.
		writeErrorStatus(w, http.StatusUnsupportedMediaType, "request body must be application/json")
		return false
	}
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxRequestBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		badRequest(w, "request body: %v", err)
		return false
	}
	if _, err := dec.Token(); err != io.EOF {
		badRequest(w, "request body: more than one JSON value")
		return false
	}
	return true
}

// checkParams refuses query parameters other than allowed, so a typo does
// not silently change what a request does. It answers the error itself.
func checkParams(w http.ResponseWriter, q url.Values, allowed ...string) bool {
	var unknown []string
	for k := range q {
		if !slices.Contains(allowed, k) {
			unknown = append(unknown, fmt.Sprintf("%q", k))
		}
	}
	if len(unknown) == 0 {
		return true
	}
	slices.Sort(unknown)
	want := "none"
	if len(allowed) > 0 {
		want = strings.Join(allowed, ", ")
	}
	badRequest(w, "unknown parameter %s (want %s)", strings.Join(unknown, ", "), want)
	return false
}
