package fetcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"
	"testing"
	"time"
)

func TestTemporary(t *testing.T) {
	t.Parallel()
	wrap := func(err error) error { return fmt.Errorf("fetch https://vietnamplus.vn/rss: %w", err) }
	tests := []struct {
		err  error
		want bool
	}{
		{nil, false},
		{wrap(context.Canceled), false},
		{wrap(context.DeadlineExceeded), true},
		{wrap(ErrBlocked), false},
		{wrap(ErrTooLarge), false},
		{wrap(ErrTooManyRedirects), false},
		{wrap(ErrInvalidURL), false},
		{&StatusError{Code: 404}, false},
		{&StatusError{Code: 410}, false},
		{&StatusError{Code: 403}, false},
		{&StatusError{Code: 408}, true},
		{&StatusError{Code: 429}, true},
		{&StatusError{Code: 500}, true},
		{&StatusError{Code: 501}, false},
		{&StatusError{Code: 503}, true},
		{&StatusError{Code: 522}, true},
		{wrap(&HostBackoffError{Host: "news.un.org", RetryAfter: time.Minute}), true},
		{wrap(&net.DNSError{Err: "no such host", Name: "vietnamplus.invalid", IsNotFound: true}), false},
		{wrap(&net.DNSError{Err: "server misbehaving", Name: "vietnamplus.vn", IsTemporary: true}), true},
		{wrap(&net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}), true},
		{wrap(syscall.ECONNRESET), true},
		{wrap(io.ErrUnexpectedEOF), true},
		{errors.New("gzip: invalid header"), false},
	}
	for _, tt := range tests {
		if got := Temporary(tt.err); got != tt.want {
			t.Errorf("Temporary(%v) = %v, want %v", tt.err, got, tt.want)
		}
	}
}

func TestStatusErrorMessage(t *testing.T) {
	t.Parallel()
	tests := []struct {
		err  *StatusError
		want string
	}{
		{&StatusError{URL: "https://news.un.org/feed/ar", Code: 404},
			"fetch https://news.un.org/feed/ar: HTTP 404 Not Found"},
		{&StatusError{URL: "https://news.un.org/feed/zh", Code: 429, RetryAfter: 2 * time.Minute},
			"fetch https://news.un.org/feed/zh: HTTP 429 Too Many Requests (retry after 2m0s)"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("StatusError.Error() = %q, want %q", got, tt.want)
		}
	}
}
