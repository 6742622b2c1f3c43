// Package web is newswatch's HTTP API: health, Prometheus metrics, feeds
// (listed, added, removed, imported and exported as OPML), the archive as
// JSON Lines, the alert outbox, rematch, reload, store check, backup and
// API tokens; and the dashboard's pages over the same store and Control
// (pages.go lists them).
//
// New returns the http.Handler; Serve runs it on a listener until its
// context is done and then shuts it down gracefully, so the caller can
// close the store once Serve has returned. The daemon serves the same
// handler on its control socket (the CLI's way in while the daemon holds
// the store) and on web.listen; a command with no daemon to talk to serves
// it to itself through a PipeListener. Client speaks to any of them.
//
// The handler reaches the daemon through Control, which cmd implements;
// who may call what is set per listener (Auth): the socket trusts its file
// permissions, the network asks for API tokens. Serve adds, on network
// listeners, the Host check against DNS rebinding and a write deadline
// that cuts off clients that stop reading.
package web
