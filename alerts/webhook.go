package alerts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/news"
)

// Webhook limits.
const (
	webhookTimeout   = 15 * time.Second
	maxResponseBytes = 64 << 10
	userAgent        = "newswatch (+https://github.com/newswatch/newswatch)"
)

// Webhook posts alerts to one HTTP endpoint in one of the supported formats.
// Every request carries the Standard Webhooks headers; the signature is
// added when the target has a secret.
type Webhook struct {
	url    *url.URL
	format string
	key    []byte // HMAC key; nil when unsigned
	client *http.Client
	now    func() time.Time
}

var _ Sender = (*Webhook)(nil)

// NewWebhookClient returns the HTTP client webhooks share: the fetcher's
// SSRF-guarded transport (unless allowPrivate), a 15 s timeout, and no
// redirects (a 3xx answer is a failure).
func NewWebhookClient(allowPrivate bool) *http.Client {
	return &http.Client{
		Transport: fetcher.NewTransport(fetcher.Options{AllowPrivateNetworks: allowPrivate}),
		Timeout:   webhookTimeout,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}
}

// NewWebhook returns a sender for target t. The secret must already be
// resolved into t.Secret (see Subscriber.Resolve). A nil client means
// NewWebhookClient(false).
func NewWebhook(t WebhookTarget, client *http.Client) (*Webhook, error) {
	u, err := url.Parse(t.URL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, fmt.Errorf("webhook url %s: not an absolute http(s) URL", endpoint(u))
	}
	w := &Webhook{url: u, format: t.Format, client: client, now: time.Now}
	if w.format == "" {
		w.format = FormatStandard
	}
	if t.Secret != "" {
		if w.key, err = DecodeSecret(t.Secret); err != nil {
			return nil, err
		}
	}
	if w.client == nil {
		w.client = NewWebhookClient(false)
	}
	return w, nil
}

// Endpoint returns the scheme and host of the target, safe to log.
func (w *Webhook) Endpoint() string { return endpoint(w.url) }

// Host returns the host:port requests go to; one request at a time goes
// to each host.
func (w *Webhook) Host() string { return w.url.Host }

// endpoint returns scheme://host of u: paths and queries may hold tokens
// (Telegram puts the bot token in the path).
func endpoint(u *url.URL) string {
	if u == nil {
		return "(invalid url)"
	}
	return u.Scheme + "://" + u.Host
}

// Send posts m once. The webhook-id header is m.ID on every attempt; the
// timestamp and signature are fresh.
func (w *Webhook) Send(ctx context.Context, m Message) error {
	r, err := buildRequest(w.format, w.url, m)
	if err != nil {
		return w.fail(0, true, 0, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, r.url, bytes.NewReader(r.body))
	if err != nil {
		return w.fail(0, true, 0, errors.New("bad request url"))
	}
	ts := w.now()
	req.Header.Set("Content-Type", r.contentType)
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set(HeaderWebhookID, m.ID)
	req.Header.Set(HeaderWebhookTimestamp, strconv.FormatInt(ts.Unix(), 10))
	if w.key != nil {
		req.Header.Set(HeaderWebhookSignature, Sign(w.key, m.ID, ts, r.body))
	}
	resp, err := w.client.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // its message repeats the URL, which may hold a token
		}
		return w.fail(0, errors.Is(err, fetcher.ErrBlocked), 0, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	return w.outcome(resp, body)
}

// outcome classifies the response: 2xx succeeds (for Telegram only when
// the reply says ok), 3xx and most 4xx fail for good, the rest is retried.
func (w *Webhook) outcome(resp *http.Response, body []byte) error {
	ra := parseRetryAfter(resp.Header.Get("Retry-After"), w.now())
	if w.format == FormatTelegram {
		var reply struct {
			OK          bool   `json:"ok"`
			Description string `json:"description"`
			Parameters  struct {
				RetryAfter int `json:"retry_after"`
			} `json:"parameters"`
		}
		if json.Unmarshal(body, &reply) == nil {
			if reply.Parameters.RetryAfter > 0 && ra == 0 {
				ra = min(time.Duration(reply.Parameters.RetryAfter)*time.Second, maxRetryAfter)
			}
			if !reply.OK && resp.StatusCode/100 == 2 {
				return w.fail(resp.StatusCode, false, ra, fmt.Errorf("telegram: %s", truncate(reply.Description, 200)))
			}
		}
	}
	if resp.StatusCode/100 == 2 {
		return nil
	}
	return w.fail(resp.StatusCode, permanentStatus(resp.StatusCode), ra, errors.New(http.StatusText(resp.StatusCode)))
}

func (w *Webhook) fail(status int, permanent bool, ra time.Duration, err error) error {
	return &DeliveryError{
		Channel: news.ChannelWebhook, Endpoint: endpoint(w.url), Status: status,
		Permanent: permanent, RetryAfter: ra, Err: err,
	}
}
