// Package web is the optional HTTP server of the running daemon: health,
// Prometheus metrics, feed status and the JSON Lines export, read from the
// store while the daemon holds its file lock.
//
// New returns the http.Handler; Serve runs it on a listener until its
// context is done and then shuts it down gracefully, so the caller can close
// the store once Serve has returned.
//
// The server has no authentication. Bind it to loopback, or put it behind a
// reverse proxy that authenticates: /export serves the whole archive.
package web
