package web

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
)

// PipeListener is a net.Listener whose connections are in-memory pipes,
// made by its Dial: it lets a command serve the API to itself, through
// the same handler, HTTP semantics included (status codes, aborted
// streams, trailers), as a daemon serves its control socket.
type PipeListener struct {
	conns     chan net.Conn
	done      chan struct{}
	closeOnce sync.Once
}

// NewPipeListener returns an open PipeListener.
func NewPipeListener() *PipeListener {
	return &PipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

var errPipeClosed = errors.New("pipe listener closed")

// Accept waits for the next Dial.
func (l *PipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

// Close stops Accept and Dial.
func (l *PipeListener) Close() error {
	l.closeOnce.Do(func() { close(l.done) })
	return nil
}

// Addr returns a placeholder address.
func (l *PipeListener) Addr() net.Addr { return pipeAddr{} }

// Dial connects to the listener; the network and address are ignored.
func (l *PipeListener) Dial(ctx context.Context, _, _ string) (net.Conn, error) {
	client, server := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, errPipeClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Client returns an API client that dials l.
func (l *PipeListener) Client() *Client {
	return NewClient("http://localhost", "", &http.Transport{DialContext: l.Dial, DisableCompression: true})
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "in-process" }
