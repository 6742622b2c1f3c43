package alerts

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// maxRetryAfter caps how long a receiver can make us wait.
const maxRetryAfter = 24 * time.Hour

// ErrUnknownSubscriber means no configured subscriber has the name.
var ErrUnknownSubscriber = errors.New("unknown subscriber")

// DeliveryError is a failed attempt to deliver a message. Permanent
// failures go to the dead-letter list at once; others are retried.
type DeliveryError struct {
	Channel    string        // "webhook", "email"
	Endpoint   string        // redacted: scheme://host for webhooks, host:port for SMTP
	Status     int           // HTTP status or SMTP reply code; 0 if none
	Permanent  bool          // retrying the same message will not help
	RetryAfter time.Duration // the receiver's Retry-After, 0 if none
	Err        error
}

// Error describes the failure without secrets.
func (e *DeliveryError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Channel, e.Endpoint)
	if e.Status != 0 {
		fmt.Fprintf(&b, ": status %d", e.Status)
	}
	if e.Err != nil {
		fmt.Fprintf(&b, ": %v", e.Err)
	}
	if e.Permanent {
		b.WriteString(" (permanent)")
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *DeliveryError) Unwrap() error { return e.Err }

// IsPermanent reports whether err says that retrying cannot succeed.
func IsPermanent(err error) bool {
	var de *DeliveryError
	return errors.As(err, &de) && de.Permanent
}

// retryAfterOf returns the Retry-After carried by err, if any.
func retryAfterOf(err error) time.Duration {
	var de *DeliveryError
	if errors.As(err, &de) {
		return de.RetryAfter
	}
	return 0
}

// permanentStatus reports whether an HTTP status means the same request
// will keep failing: every 3xx (redirects are not followed) and 4xx except
// 408 Request Timeout, 425 Too Early and 429 Too Many Requests.
func permanentStatus(code int) bool {
	switch code {
	case http.StatusRequestTimeout, http.StatusTooEarly, http.StatusTooManyRequests:
		return false
	}
	return code >= 300 && code < 500
}

// parseRetryAfter reads a Retry-After header: delay seconds or an HTTP
// date. It returns 0 when absent or malformed, and caps the delay.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs > int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if t, err := http.ParseTime(v); err == nil {
		d = t.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}
