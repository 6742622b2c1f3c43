package fetcher

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"syscall"
)

// The kinds of fetch failure that ErrorKind tells apart, for metrics.
const (
	KindDNS      = "dns"       // the host name did not resolve
	KindConnect  = "connect"   // the connection was refused, reset or cut short
	KindTimeout  = "timeout"   // a timeout or deadline ran out
	KindTLS      = "tls"       // the TLS handshake failed (certificate, protocol)
	KindHTTP4xx  = "http_4xx"  // the server answered 4xx (429 included)
	KindHTTP5xx  = "http_5xx"  // the server answered 5xx
	KindTooLarge = "too_large" // the body exceeded Options.MaxBodySize (ErrTooLarge)
	KindRobots   = "robots"    // robots.txt disallows the page or could not be read
	KindOther    = "other"     // anything else: SSRF guard, redirects, bad URL, decoding, host back-off
)

// ErrorKinds lists every value ErrorKind returns.
var ErrorKinds = []string{KindDNS, KindConnect, KindTimeout, KindTLS, KindHTTP4xx, KindHTTP5xx, KindTooLarge, KindRobots, KindOther}

// ErrorCounter counts failed fetches by kind, for metrics. It must be
// safe for concurrent use.
type ErrorCounter interface {
	// CountFetchError is called once for each Fetch or FetchPage that
	// fails, with ErrorKind of its error; not for a canceled one.
	CountFetchError(kind string)
}

// ErrorKind classifies an error of Fetch or FetchPage as one of the Kind
// constants. The more specific cause wins: an oversized body is too_large
// even when a deadline passed meanwhile, a refused page robots even when
// robots.txt answered 503.
func ErrorKind(err error) string {
	var (
		re *RobotsUnreachableError
		se *StatusError
		de *net.DNSError
		ne net.Error
	)
	switch {
	case errors.Is(err, ErrTooLarge):
		return KindTooLarge
	case errors.Is(err, ErrDisallowed) || errors.As(err, &re):
		return KindRobots
	case errors.As(err, &se) && se.Code >= 400 && se.Code <= 499:
		return KindHTTP4xx
	case errors.As(err, &se) && se.Code >= 500 && se.Code <= 599:
		return KindHTTP5xx
	case errors.As(err, &de):
		return KindDNS
	case tlsFailure(err):
		return KindTLS
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return KindTimeout
	case connectFailure(err):
		return KindConnect
	}
	return KindOther
}

// tlsFailure reports whether err comes from a TLS handshake: a certificate
// that does not verify, a peer that does not speak TLS, or a TLS alert.
func tlsFailure(err error) bool {
	var (
		cv  *tls.CertificateVerificationError
		rh  tls.RecordHeaderError
		ua  x509.UnknownAuthorityError
		hn  x509.HostnameError
		ci  x509.CertificateInvalidError
		ae  tls.AlertError
		ope *net.OpError
	)
	if errors.As(err, &cv) || errors.As(err, &rh) || errors.As(err, &ua) || errors.As(err, &hn) || errors.As(err, &ci) || errors.As(err, &ae) {
		return true
	}
	// crypto/tls reports the alerts of a TCP connection as these operations.
	return errors.As(err, &ope) && (ope.Op == "remote error" || ope.Op == "local error")
}

// connectFailure reports whether err says the connection could not be made
// or broke off: refused, reset, unreachable, or the body cut short.
func connectFailure(err error) bool {
	for _, e := range []error{syscall.ECONNREFUSED, syscall.ECONNRESET, syscall.EHOSTUNREACH, syscall.ENETUNREACH,
		syscall.EPIPE, io.ErrUnexpectedEOF, io.EOF} {
		if errors.Is(err, e) {
			return true
		}
	}
	var ope *net.OpError
	return errors.As(err, &ope) && ope.Op == "dial"
}

// counted passes a Fetch's outcome through, counting its error.
func (c *Client) counted(resp *Response, err error) (*Response, error) {
	if err != nil && c.opts.ErrorCounter != nil && !errors.Is(err, context.Canceled) {
		c.opts.ErrorCounter.CountFetchError(ErrorKind(err))
	}
	return resp, err
}
