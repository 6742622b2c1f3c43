package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/newswatch/newswatch/store"
)

// Client calls the API that New serves: a daemon's control socket, its
// web.listen address, or a command's own in-process server.
type Client struct {
	hc    *http.Client
	base  string
	token string
}

// NewClient returns a client of the API at base (e.g.
// "http://127.0.0.1:8080") through rt (nil: a default transport), sending
// token when it is not empty.
func NewClient(base, token string, rt http.RoundTripper) *Client {
	if rt == nil {
		rt = http.DefaultTransport
	}
	return &Client{hc: &http.Client{Transport: rt}, base: strings.TrimSuffix(base, "/"), token: token}
}

// socketDialTimeout bounds connecting to a control socket: the daemon
// accepts at once or not at all.
const socketDialTimeout = 3 * time.Second

// NewSocketClient returns a client of the control socket at path.
func NewSocketClient(path string) *Client {
	d := net.Dialer{Timeout: socketDialTimeout}
	rt := &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			return d.DialContext(ctx, "unix", path)
		},
		DisableCompression: true, // nothing to save on a local socket
	}
	return NewClient("http://localhost", "", rt)
}

// APIError is an error answer of the API.
type APIError struct {
	Status  int
	Message string
	body    []byte // the whole answer, for callers that read more from it
}

func (e *APIError) Error() string { return e.Message }

// Usage reports whether the error is the request's fault (exit status 2).
func (e *APIError) Usage() bool {
	return e.Status == http.StatusBadRequest || e.Status == http.StatusUnsupportedMediaType
}

// request sends one request and returns the response of a 2xx answer; any
// other answer becomes an *APIError, its body read and closed.
func (c *Client) request(ctx context.Context, method, path string, q url.Values, body io.Reader, contentType string) (*http.Response, error) {
	u := c.base + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return nil, decodeError(resp.StatusCode, resp.Header.Get("Content-Type"), data)
}

// decodeError turns an error answer into an *APIError: the JSON error of
// the API, or the text of another server's page.
func decodeError(status int, contentType string, data []byte) *APIError {
	e := &APIError{Status: status, body: data}
	var eb errorBody
	if strings.HasPrefix(contentType, "application/json") && json.Unmarshal(data, &eb) == nil && eb.Error != "" {
		e.Message = eb.Error
	} else {
		e.Message = strings.TrimSpace(string(data))
	}
	if e.Message == "" {
		e.Message = fmt.Sprintf("%d %s", status, http.StatusText(status))
	}
	return e
}

// call sends in as JSON (nil: no body) and decodes a 2xx answer into out.
func (c *Client) call(ctx context.Context, method, path string, q url.Values, in, out any) error {
	var body io.Reader
	ct := ""
	if in != nil {
		data, err := json.Marshal(in)
		if err != nil {
			return err
		}
		body, ct = bytes.NewReader(data), "application/json"
	}
	resp, err := c.request(ctx, method, path, q, body, ct)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		return fmt.Errorf("%s %s: answer: %w", method, path, err)
	}
	return nil
}

// Status describes the server.
func (c *Client) Status(ctx context.Context) (Status, error) {
	var s Status
	return s, c.call(ctx, http.MethodGet, "/api/status", nil, nil, &s)
}

// Feeds lists the feeds in force with their health.
func (c *Client) Feeds(ctx context.Context) ([]FeedHealth, error) {
	var rows []FeedHealth
	return rows, c.call(ctx, http.MethodGet, "/api/feeds", nil, nil, &rows)
}

// AddFeed adds a run-time feed.
func (c *Client) AddFeed(ctx context.Context, spec FeedSpec, via string) (AddFeedsResult, error) {
	var res AddFeedsResult
	return res, c.call(ctx, http.MethodPost, "/api/feeds", url.Values{"via": {via}}, spec, &res)
}

// RemoveFeed removes a run-time feed.
func (c *Client) RemoveFeed(ctx context.Context, feedURL string) ([]FeedHealth, error) {
	var res struct {
		Removed []FeedHealth `json:"removed"`
	}
	return res.Removed, c.call(ctx, http.MethodDelete, "/api/feeds", url.Values{"url": {feedURL}}, nil, &res)
}

// ImportFeeds adds the feeds of an OPML document; via names it.
func (c *Client) ImportFeeds(ctx context.Context, opml io.Reader, via string) (AddFeedsResult, error) {
	var res AddFeedsResult
	resp, err := c.request(ctx, http.MethodPost, "/api/feeds/import", url.Values{"via": {via}}, opml, "text/x-opml")
	if err != nil {
		return res, err
	}
	defer resp.Body.Close()
	return res, json.NewDecoder(resp.Body).Decode(&res)
}

// ExportFeeds writes the feeds in force as OPML to w.
func (c *Client) ExportFeeds(ctx context.Context, w io.Writer) error {
	_, _, err := c.download(ctx, "/api/feeds/export", nil, w)
	return err
}

// Topics lists the topics in force.
func (c *Client) Topics(ctx context.Context) ([]TopicInfo, error) {
	var rows []TopicInfo
	return rows, c.call(ctx, http.MethodGet, "/api/topics", nil, nil, &rows)
}

// SaveTopic saves a topic at run time; by says who, when the server does
// not know (the control socket).
func (c *Client) SaveTopic(ctx context.Context, req TopicRequest, by string) (TopicInfo, error) {
	var info TopicInfo
	return info, c.call(ctx, http.MethodPost, "/api/topics", url.Values{"by": {by}}, req, &info)
}

// DeleteTopic deletes a topic saved at run time.
func (c *Client) DeleteTopic(ctx context.Context, name string) error {
	var res map[string]string
	return c.call(ctx, http.MethodDelete, "/api/topics/"+url.PathEscape(name), nil, nil, &res)
}

// Alerts lists the outbox ("" for every state).
func (c *Client) Alerts(ctx context.Context, state string) ([]AlertRow, error) {
	var rows []AlertRow
	q := url.Values{}
	if state != "" {
		q.Set("state", state)
	}
	return rows, c.call(ctx, http.MethodGet, "/api/alerts", q, nil, &rows)
}

// RetryAlerts queues failed alerts for delivery again.
func (c *Client) RetryAlerts(ctx context.Context, req RetryRequest) (RetryResult, error) {
	var res RetryResult
	return res, c.call(ctx, http.MethodPost, "/api/alerts/retry", nil, req, &res)
}

// Rematch runs the topics again over the archive. When the server refuses
// because topics would be removed (req.AllowRemovals unset), the error
// wraps store.ErrWouldRemove and the report says what would have changed.
func (c *Client) Rematch(ctx context.Context, req RematchRequest) (*store.RematchReport, error) {
	var rep store.RematchReport
	err := c.call(ctx, http.MethodPost, "/api/rematch", nil, req, &rep)
	var ae *APIError
	if errors.As(err, &ae) && ae.Status == http.StatusConflict {
		var refusal rematchRefusal
		if json.Unmarshal(ae.body, &refusal) == nil && refusal.Report != nil {
			return refusal.Report, store.ErrWouldRemove
		}
	}
	if err != nil {
		return nil, err
	}
	return &rep, nil
}

// Reload asks the daemon to re-read its config file.
func (c *Client) Reload(ctx context.Context) (ReloadResult, error) {
	var res ReloadResult
	return res, c.call(ctx, http.MethodPost, "/api/reload", nil, nil, &res)
}

// CheckStore verifies the store file.
func (c *Client) CheckStore(ctx context.Context) (CheckResult, error) {
	var res CheckResult
	return res, c.call(ctx, http.MethodGet, "/api/store/check", nil, nil, &res)
}

// Backup returns a consistent copy of the store file as a stream, to be
// closed; a copy cut off by the server fails when read.
func (c *Client) Backup(ctx context.Context) (io.ReadCloser, error) {
	resp, err := c.request(ctx, http.MethodGet, "/api/backup", nil, nil, "")
	if err != nil {
		return nil, err
	}
	return resp.Body, nil
}

// Export writes the archive as selected by q (the parameters of
// /api/export) to w and returns how many articles the server wrote.
func (c *Client) Export(ctx context.Context, w io.Writer, q url.Values) (int, error) {
	_, tr, err := c.download(ctx, "/api/export", q, w)
	if err != nil {
		return 0, err
	}
	n, err := strconv.Atoi(tr.Get(CountTrailer))
	if err != nil {
		return 0, fmt.Errorf("export: the server sent no article count")
	}
	return n, nil
}

// CountTrailer is the HTTP trailer in which /api/export sends how many
// articles it wrote: known only at the end of a streamed body.
const CountTrailer = "Newswatch-Count"

// download copies a streamed answer to w and returns its size and
// trailers. A body cut off by the server (which aborts a response that
// fails half-way) is an error.
func (c *Client) download(ctx context.Context, path string, q url.Values, w io.Writer) (int64, http.Header, error) {
	resp, err := c.request(ctx, http.MethodGet, path, q, nil, "")
	if err != nil {
		return 0, nil, err
	}
	defer resp.Body.Close()
	n, err := io.Copy(w, resp.Body)
	if err != nil {
		return n, nil, fmt.Errorf("%s: transfer cut off after %d bytes: %w", path, n, err)
	}
	return n, resp.Trailer, nil
}

// Tokens lists the API tokens.
func (c *Client) Tokens(ctx context.Context) ([]TokenRow, error) {
	var rows []TokenRow
	return rows, c.call(ctx, http.MethodGet, "/api/tokens", nil, nil, &rows)
}

// CreateToken creates a token; the answer carries its secret, once.
func (c *Client) CreateToken(ctx context.Context, req TokenRequest) (TokenRow, error) {
	var row TokenRow
	return row, c.call(ctx, http.MethodPost, "/api/tokens", nil, req, &row)
}

// RevokeToken deletes a token.
func (c *Client) RevokeToken(ctx context.Context, name string) error {
	var res map[string]string
	return c.call(ctx, http.MethodDelete, "/api/tokens/"+url.PathEscape(name), nil, nil, &res)
}
