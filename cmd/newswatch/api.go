package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswatch/newswatch/store"
	"github.com/newswatch/newswatch/web"
)

// Every command that reads or changes the store goes through the API that
// the daemon serves on its control socket. When no daemon runs, the
// command opens the store itself and serves the same API to itself in
// memory, so both ways give the same output and exit codes.

// storeAccess says how a command opens the store when no daemon runs.
type storeAccess int

const (
	readOnly  storeAccess = iota // reads: several commands may share the file
	readWrite                    // changes: creates the store if missing
)

// socketPath is the control socket of the store at storePath: beside it,
// named after it ("newswatch.db" -> "newswatch.sock").
func socketPath(storePath string) string {
	base := filepath.Base(storePath)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	return filepath.Join(filepath.Dir(storePath), base+".sock")
}

// session is a command's connection to the API.
type session struct {
	*web.Client
	daemon bool // a running daemon answers
	close  func() error
}

// Close ends the session; without a daemon it stops the in-process server
// and closes the store.
func (s *session) Close() error { return s.close() }

// connect returns a session with the daemon of cfg's store, or, when none
// runs, with an in-process server over the store opened for access.
func (a *app) connect(ctx context.Context, cfg *Config, access storeAccess) (*session, error) {
	path, err := cfg.StorePath()
	if err != nil {
		return nil, usageError{err}
	}
	sock := socketPath(path)
	switch ok, err := daemonAnswers(sock); {
	case err != nil:
		return nil, err
	case ok:
		return &session{Client: web.NewSocketClient(sock), daemon: true, close: func() error { return nil }}, nil
	}
	st, err := a.openStoreMode(cfg, access == readOnly)
	if errors.Is(err, store.ErrLocked) {
		return nil, fmt.Errorf("%w, but its control socket %s does not answer: if a daemon is starting, try again in a moment", err, sock)
	}
	if err != nil {
		return nil, err
	}
	log := a.logger(cfg)
	ctl, err := newControl(cfg, a.configPath, st, nil, log)
	if err != nil {
		return nil, errors.Join(err, st.Close())
	}
	h := web.New(web.Options{Store: st, Control: ctl, Auth: web.AuthLocal, Logger: log})
	ln := web.NewPipeListener()
	sctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	served := make(chan error, 1)
	go func() { served <- web.Serve(sctx, ln, h, web.ServeOptions{Logger: log}) }()
	closeFn := func() error {
		cancel()
		return errors.Join(<-served, st.Close())
	}
	return &session{Client: ln.Client(), close: closeFn}, nil
}

// daemonAnswers reports whether a daemon accepts connections on the
// control socket at sock. No socket, or a stale one left by a daemon that
// was killed, means no daemon; a socket we may not use is an error that
// says what to do.
func daemonAnswers(sock string) (bool, error) {
	conn, err := net.DialTimeout("unix", sock, time.Second)
	switch {
	case err == nil:
		return true, conn.Close()
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, syscall.ECONNREFUSED):
		return false, nil
	case errors.Is(err, fs.ErrPermission):
		return false, fmt.Errorf("control socket %s: permission denied: run the command as the daemon's user (e.g. sudo -u newswatch newswatch ...)", sock)
	}
	return false, fmt.Errorf("control socket %s: %v", sock, err)
}

// apiError turns an API error into the command's error: a usage error
// (exit status 2) when the request was at fault.
func apiError(err error) error {
	var ae *web.APIError
	if errors.As(err, &ae) && ae.Usage() {
		return usageError{err}
	}
	return err
}

// withAPI runs f with a session of the API (see connect) for cmd's
// config, closes it after, and turns an API error into the command's.
func (a *app) withAPI(cmd *cobra.Command, access storeAccess, f func(s *session) error) (err error) {
	s, err := a.connectConfig(cmd, access)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, s.Close()) }()
	return apiError(f(s))
}

// checkFormat refuses a --format other than text and json.
func checkFormat(format string) error {
	if format != "text" && format != "json" {
		return usageError{fmt.Errorf("--format %q: want text or json", format)}
	}
	return nil
}

// writeIndented writes v as indented JSON: the --format json of the
// listing commands.
func writeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
