package alerts

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Standard Webhooks header names.
const (
	HeaderWebhookID        = "webhook-id"
	HeaderWebhookTimestamp = "webhook-timestamp"
	HeaderWebhookSignature = "webhook-signature"
)

// Errors returned by Verify.
var (
	ErrNoSignature       = errors.New("webhook: missing id, timestamp or signature header")
	ErrBadTimestamp      = errors.New("webhook: malformed timestamp")
	ErrTimestampTooOld   = errors.New("webhook: timestamp too old")
	ErrTimestampTooNew   = errors.New("webhook: timestamp too new")
	ErrSignatureMismatch = errors.New("webhook: no matching signature")
)

// verifyTolerance is how far a timestamp may be from the receiver's clock.
const verifyTolerance = 5 * time.Minute

// Sign returns the Standard Webhooks v1 signature of body sent as message
// id at timestamp ts: "v1," + base64(HMAC-SHA256(key, id.ts.body)).
func Sign(key []byte, id string, ts time.Time, body []byte) string {
	return "v1," + base64.StdEncoding.EncodeToString(mac(key, id, ts.Unix(), body))
}

func mac(key []byte, id string, unix int64, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(id))
	h.Write([]byte{'.'})
	h.Write(strconv.AppendInt(nil, unix, 10))
	h.Write([]byte{'.'})
	h.Write(body)
	return h.Sum(nil)
}

// Verify checks the Standard Webhooks headers of a received body against
// key, as a receiver does: the timestamp must lie within 5 minutes of now
// and one of the space-separated v1 signatures must match (constant time).
func Verify(key []byte, h http.Header, body []byte, now time.Time) error {
	id, tsRaw, sigs := h.Get(HeaderWebhookID), h.Get(HeaderWebhookTimestamp), h.Get(HeaderWebhookSignature)
	if id == "" || tsRaw == "" || sigs == "" {
		return ErrNoSignature
	}
	unix, err := strconv.ParseInt(tsRaw, 10, 64)
	if err != nil {
		return ErrBadTimestamp
	}
	ts := time.Unix(unix, 0)
	switch {
	case now.Sub(ts) > verifyTolerance:
		return ErrTimestampTooOld
	case ts.Sub(now) > verifyTolerance:
		return ErrTimestampTooNew
	}
	want := mac(key, id, unix, body)
	for _, s := range strings.Fields(sigs) {
		version, sig, ok := strings.Cut(s, ",")
		if !ok || version != "v1" {
			continue
		}
		got, err := base64.StdEncoding.DecodeString(sig)
		if err == nil && hmac.Equal(got, want) {
			return nil
		}
	}
	return ErrSignatureMismatch
}
