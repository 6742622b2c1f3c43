package alerts

import (
	"errors"
	"net/http"
	"strconv"
	"testing"
	"time"
)

func TestSignReferenceVector(t *testing.T) {
	t.Parallel()
	key, err := DecodeSecret(testSecret)
	if err != nil {
		t.Fatal(err)
	}
	got := Sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", time.Unix(1614265330, 0), []byte(`{"test": 2432232314}`))
	// The vector of the Standard Webhooks test suite (libraries/go/webhook_test.go).
	if want := "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="; got != want {
		t.Errorf("Sign(reference) = %q, want %q", got, want)
	}
}

func header(id string, ts int64, sig string) http.Header {
	h := http.Header{}
	h.Set(HeaderWebhookID, id)
	h.Set(HeaderWebhookTimestamp, strconv.FormatInt(ts, 10))
	h.Set(HeaderWebhookSignature, sig)
	return h
}

func TestVerify(t *testing.T) {
	t.Parallel()
	key, _ := DecodeSecret(testSecret)
	const id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
	body := []byte(`{"test": 2432232314}`)
	now := time.Unix(1614265330, 0)
	good := Sign(key, id, now, body)
	other := Sign([]byte("another key"), id, now, body)
	tests := []struct {
		name string
		h    http.Header
		body []byte
		now  time.Time
		want error
	}{
		{"valid", header(id, now.Unix(), good), body, now, nil},
		{"valid among several", header(id, now.Unix(), "v1a,abc "+other+" "+good), body, now, nil},
		{"within tolerance", header(id, now.Unix(), good), body, now.Add(4 * time.Minute), nil},
		{"tampered body", header(id, now.Unix(), good), []byte(`{"test": 2432232315}`), now, ErrSignatureMismatch},
		{"other id", header("msg_other", now.Unix(), good), body, now, ErrSignatureMismatch},
		{"wrong key", header(id, now.Unix(), other), body, now, ErrSignatureMismatch},
		{"no version", header(id, now.Unix(), good[3:]), body, now, ErrSignatureMismatch},
		{"too old", header(id, now.Unix(), good), body, now.Add(6 * time.Minute), ErrTimestampTooOld},
		{"too new", header(id, now.Unix(), good), body, now.Add(-6 * time.Minute), ErrTimestampTooNew},
		{"bad timestamp", func() http.Header { h := header(id, 0, good); h.Set(HeaderWebhookTimestamp, "1e9"); return h }(), body, now, ErrBadTimestamp},
		{"missing", http.Header{}, body, now, ErrNoSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := Verify(key, tt.h, tt.body, tt.now); !errors.Is(err, tt.want) {
				t.Errorf("Verify(%s) = %v, want %v", tt.name, err, tt.want)
			}
		})
	}
}

func FuzzVerify(f *testing.F) {
	f.Add("msg_p5jXN8AQM9LWM0D4loKWxJek", int64(1614265330), []byte(`{"test": 2432232314}`), "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
	f.Add("alt_1", int64(0), []byte("{}"), "v1, v1a,x v2,==")
	f.Add("", int64(-1), []byte(nil), "")
	key, _ := DecodeSecret(testSecret)
	f.Fuzz(func(t *testing.T, id string, ts int64, body []byte, sig string) {
		now := time.Unix(ts, 0)
		_ = Verify(key, header(id, ts, sig), body, now) // must not panic
		if id == "" {
			return
		}
		signed := Sign(key, id, now, body)
		if err := Verify(key, header(id, ts, sig+" "+signed), body, now); err != nil {
			t.Errorf("Verify(Sign(%q, %d)) = %v, want nil", id, ts, err)
		}
		if len(body) > 0 {
			flipped := append([]byte(nil), body...)
			flipped[0] ^= 1
			if err := Verify(key, header(id, ts, signed), flipped, now); err == nil {
				t.Errorf("Verify(flipped body %q) = nil, want an error", flipped)
			}
		}
	})
}
