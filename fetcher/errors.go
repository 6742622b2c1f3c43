package fetcher

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"syscall"
	"time"
)

// Sentinel errors returned (wrapped with the URL) by Fetch. Test with errors.Is.
var (
	// ErrTooLarge means the body, after decompression, exceeded Options.MaxBodySize.
	// The body is refused, never truncated.
	ErrTooLarge = errors.New("response body exceeds size limit")
	// ErrBlocked means the SSRF guard refused the destination address.
	ErrBlocked = errors.New("destination blocked by SSRF guard")
	// ErrTooManyRedirects means the redirect chain was longer than
	// Options.MaxRedirects (or looped).
	ErrTooManyRedirects = errors.New("too many redirects")
	// ErrInvalidURL means the URL (or a redirect target) is malformed or
	// uses a scheme other than http or https.
	ErrInvalidURL = errors.New("invalid or unsupported URL")
	// ErrDisallowed means the site's robots.txt does not allow newswatch
	// the page, so FetchPage did not request it.
	ErrDisallowed = errors.New("disallowed by robots.txt")
)

// maxRetryAfter bounds the Retry-After a server can make us report.
const maxRetryAfter = 24 * time.Hour

// StatusError reports a final response whose status is neither 2xx nor 304.
type StatusError struct {
	URL        string        // the URL that answered (redacted of credentials)
	Code       int           // HTTP status code
	RetryAfter time.Duration // from the Retry-After header, capped at 24h; 0 if none
	// Exchange is the raw exchange that ended in this answer (the body as
	// far as it was read, at most 64 KiB) when Options.CaptureExchange is
	// set: a 404 or 410 is evidence of a takedown. Nil otherwise.
	Exchange *Exchange
}

// Error returns a message naming the URL and the status.
func (e *StatusError) Error() string {
	s := fmt.Sprintf("fetch %s: HTTP %d %s", e.URL, e.Code, http.StatusText(e.Code))
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %v)", e.RetryAfter)
	}
	return s
}

// Temporary reports whether the status suggests that the same request may
// succeed later: 408, 425, 429 and 5xx other than 501 and 505.
func (e *StatusError) Temporary() bool {
	switch e.Code {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
		return true
	case http.StatusNotImplemented, http.StatusHTTPVersionNotSupported:
		return false
	}
	return e.Code >= 500 && e.Code <= 599
}

// HostBackoffError means the host recently asked us to back off (429 or 503
// with Retry-After) for longer than the request may wait, so Fetch gave up
// without sending anything.
type HostBackoffError struct {
	Host       string
	RetryAfter time.Duration // time left until the host may be asked again
}

// Error returns a message naming the host and the remaining wait.
func (e *HostBackoffError) Error() string {
	return fmt.Sprintf("host %s asked to back off: retry after %v", e.Host, e.RetryAfter.Round(time.Second))
}

// RobotsUnreachableError means the host's robots.txt could not be read (a
// 5xx or 429 answer, a network failure or timeout). As RFC 9309 asks, the
// host's pages are then treated as disallowed, and FetchPage requests none
// of them until robots.txt is asked again after RetryAfter. While an
// earlier copy of the file is at hand, that copy is obeyed instead.
type RobotsUnreachableError struct {
	URL        string        // the robots.txt URL (redacted of credentials)
	RetryAfter time.Duration // until robots.txt is asked again
	Err        error         // the last attempt's failure
}

// Error returns a message naming the robots.txt URL, the failure and the wait.
func (e *RobotsUnreachableError) Error() string {
	return fmt.Sprintf("robots.txt %s unreachable, so the host's pages wait %v: %v",
		e.URL, e.RetryAfter.Round(time.Second), e.Err)
}

// Unwrap returns the failure.
func (e *RobotsUnreachableError) Unwrap() error { return e.Err }

// Temporary reports whether err is worth a retry soon (after RetryAfter(err)
// if that is positive, else after the caller's own short backoff): timeouts,
// connection failures, truncated bodies, 429 and most 5xx answers, host
// back-off, an unreachable robots.txt. It returns false for cancellation,
// SSRF refusals, oversized bodies, redirect loops, bad URLs, 4xx answers,
// robots.txt refusals, TLS and decoding errors: retrying those quickly does
// not help.
func Temporary(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var re *RobotsUnreachableError
	if errors.As(err, &re) {
		return true
	}
	for _, permanent := range []error{ErrBlocked, ErrTooLarge, ErrTooManyRedirects, ErrInvalidURL, ErrDisallowed} {
		if errors.Is(err, permanent) {
			return false
		}
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.Temporary()
	}
	var he *HostBackoffError
	if errors.As(err, &he) || errors.Is(err, context.DeadlineExceeded) {
		return true
	}
	var de *net.DNSError
	if errors.As(err, &de) {
		return de.IsTimeout || de.IsTemporary
	}
	var ne net.Error
	if errors.As(err, &ne) {
		return true
	}
	return errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED)
}

// RetryAfter returns how long the server (or the host's back-off) asked us to
// wait before retrying, or 0 if err carries no such hint.
func RetryAfter(err error) time.Duration {
	var re *RobotsUnreachableError
	if errors.As(err, &re) { // before its cause, a StatusError
		return re.RetryAfter
	}
	var se *StatusError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	var he *HostBackoffError
	if errors.As(err, &he) {
		return he.RetryAfter
	}
	return 0
}
