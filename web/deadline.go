package web

import (
	"net/http"
	"time"
)

// Defaults of ServeOptions, and the fixed limits of every request.
const (
	// DefaultStallTimeout is how long a response may make no progress, its
	// client reading nothing, before the connection is closed.
	DefaultStallTimeout = 30 * time.Second
	// DefaultReadTimeout bounds reading a request, headers and body.
	DefaultReadTimeout = 30 * time.Second

	readHeaderTimeout = 10 * time.Second
	maxHeaderBytes    = 64 << 10
	// progressChunk is the most a response writes under one write deadline:
	// a client that reads at least progressChunk per StallTimeout (about
	// 270 bytes/s at the default) keeps even a long export going.
	progressChunk = 8 << 10
)

// writeProgress gives each response a write deadline that moves on with
// every chunk written, so a slow client is served to the end and one that
// stops reading is cut off after stall. http.Server's WriteTimeout would
// be one deadline for the whole response, and cut off every long export.
func writeProgress(stall time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(&progressWriter{ResponseWriter: w, rc: http.NewResponseController(w), stall: stall}, r)
	})
}

// progressWriter writes a response in chunks of at most progressChunk,
// each with a write deadline stall from its start.
type progressWriter struct {
	http.ResponseWriter
	rc    *http.ResponseController
	stall time.Duration
}

func (pw *progressWriter) Write(p []byte) (int, error) {
	n := 0
	for len(p) > 0 {
		pw.extend()
		m, err := pw.ResponseWriter.Write(p[:min(len(p), progressChunk)])
		n += m
		if err != nil {
			return n, err
		}
		p = p[m:]
	}
	return n, nil
}

// Flush sends what is buffered, under a fresh deadline.
func (pw *progressWriter) Flush() {
	pw.extend()
	_ = pw.rc.Flush() // an error means the client went away; the next Write says so
}

var _ http.Flusher = (*progressWriter)(nil)

// Unwrap lets http.ResponseController reach the connection.
func (pw *progressWriter) Unwrap() http.ResponseWriter { return pw.ResponseWriter }

func (pw *progressWriter) extend() {
	_ = pw.rc.SetWriteDeadline(time.Now().Add(pw.stall)) // ErrNotSupported: nothing to extend
}
