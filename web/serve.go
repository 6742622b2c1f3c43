package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"
)

// DefaultShutdownTimeout is how long Serve lets requests in flight finish
// when ServeOptions.ShutdownTimeout is zero.
const DefaultShutdownTimeout = 10 * time.Second

// ServeOptions tune Serve. The zero value is usable.
type ServeOptions struct {
	// ShutdownTimeout is how long requests in flight (a long export) may
	// take to finish once the context is done; then they are cancelled.
	ShutdownTimeout time.Duration
	// Hosts are the names, with an optional port, that a TCP listener
	// answers for besides IP addresses and localhost (see host.go):
	// web.hosts, and the host of web.listen when it is a name. Requests
	// for other Hosts get 421. Each entry must pass CheckHost.
	Hosts []string
	// StallTimeout is how long a response may make no progress, its client
	// reading nothing, before its connection is closed. Zero means
	// DefaultStallTimeout.
	StallTimeout time.Duration
	// ReadTimeout bounds reading a request, headers and body; zero means
	// DefaultReadTimeout. Headers have at most 10 s of it and 64 KiB. (The
	// server lifts the read deadline once the body is read, so a handler
	// may run for longer.)
	ReadTimeout time.Duration
	// Logger receives the server's own errors (bad requests, TLS noise).
	Logger *slog.Logger
}

// Serve serves h on ln until ctx is done, then shuts down gracefully: it
// stops accepting, lets requests in flight finish for up to
// ShutdownTimeout, cancels those still running, and returns once every
// handler has returned, so the caller may then close the store. It closes
// ln. It returns nil after a shutdown, or the error that stopped serving.
//
// On a network listener only the Hosts of o are answered, and every
// response gets a write deadline StallTimeout ahead, moved on with each
// chunk written (a long export to a slow reader is fine; a handler that
// writes nothing for long is not cut off by it). A local listener (the
// control socket, a PipeListener) serves this machine's own commands, which
// may pause at will (newswatch export | less): neither applies there.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, o ServeOptions) error {
	o.ShutdownTimeout = cmp.Or(max(o.ShutdownTimeout, 0), DefaultShutdownTimeout)
	o.StallTimeout = cmp.Or(max(o.StallTimeout, 0), DefaultStallTimeout)
	o.ReadTimeout = cmp.Or(max(o.ReadTimeout, 0), DefaultReadTimeout)
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if !local(ln) {
		hr, err := newHostRules(o.Hosts)
		if err != nil {
			return errors.Join(err, ln.Close())
		}
		h = writeProgress(o.StallTimeout, checkHost(hr, o.Logger, h))
	}
	// Requests get a context of their own, cancelled only when the grace
	// period is over: a shutdown must not cut short an export that can finish.
	reqCtx, cancelRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelRequests()
	var inflight handlers
	srv := &http.Server{
		Handler:           inflight.track(h),
		ReadHeaderTimeout: min(readHeaderTimeout, o.ReadTimeout),
		ReadTimeout:       o.ReadTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		IdleTimeout:       2 * time.Minute,
		BaseContext:       func(net.Listener) context.Context { return reqCtx },
		ErrorLog:          slog.NewLogLogger(o.Logger.Handler(), slog.LevelWarn),
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }() // Serve receives from served before it returns

	var err error
	select {
	case err = <-served:
		err = fmt.Errorf("web server: %w", err)
		cancelRequests()
		srv.Close()
	case <-ctx.Done():
		err = shutdown(srv, o.ShutdownTimeout, cancelRequests)
		<-served // http.ErrServerClosed, now that Shutdown or Close has run
	}
	inflight.closeAndWait()
	return err
}

// local reports whether ln serves only this machine's processes: a unix
// socket or a PipeListener.
func local(ln net.Listener) bool {
	switch ln.Addr().(type) {
	case *net.UnixAddr, pipeAddr:
		return true
	}
	return false
}

// shutdown stops srv, waiting up to timeout for requests in flight; then
// it cancels them and closes their connections.
func shutdown(srv *http.Server, timeout time.Duration, cancelRequests context.CancelFunc) error {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	err := srv.Shutdown(ctx)
	if err == nil {
		return nil
	}
	cancelRequests()
	if errors.Is(err, context.DeadlineExceeded) {
		err = nil // requests that outlived the grace period are cancelled, as designed
	}
	return errors.Join(err, srv.Close())
}

// handlers counts the handlers running, so Serve can wait for them after
// http.Server.Close, which does not.
type handlers struct {
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// track wraps h so every call is counted; after closeAndWait, requests are
// refused with 503.
func (hs *handlers) track(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !hs.enter() {
			http.Error(w, "shutting down", http.StatusServiceUnavailable)
			return
		}
		defer hs.wg.Done()
		h.ServeHTTP(w, r)
	})
}

func (hs *handlers) enter() bool {
	hs.mu.Lock()
	defer hs.mu.Unlock()
	if hs.closed {
		return false
	}
	hs.wg.Add(1)
	return true
}

// closeAndWait refuses new handlers and waits for the running ones.
func (hs *handlers) closeAndWait() {
	hs.mu.Lock()
	hs.closed = true
	hs.mu.Unlock()
	hs.wg.Wait()
}
