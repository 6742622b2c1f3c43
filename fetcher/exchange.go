package fetcher

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// Exchange is the raw HTTP exchange of a page fetch, kept as evidence of
// what a site served: every hop of the redirect chain, the last one being
// the answer Response describes. FetchPage returns it when
// Options.CaptureExchange is set.
//
// The bytes are those of the wire as far as Go's HTTP client lets them be
// seen. Request is the request line and header block the client sent.
// Response is the status line and header block received, with header
// names in Go's canonical case and the Transfer-Encoding header dropped
// (HTTP/2 answers are written as HTTP/1.1, as WARC readers expect). Body
// is the entity body as transferred: chunking removed, content coding
// (gzip, deflate) kept, so that a digest of it is the WARC payload digest
// of the response and Response's Content-Encoding still describes it.
type Exchange struct {
	Hops []Hop
}

// Hop is one request and its response within an Exchange.
type Hop struct {
	URL      string    // the URL requested
	Time     time.Time // when the request was sent
	Status   int       // the response's status code
	Request  []byte    // request line and headers, ending in an empty line
	Response []byte    // status line and headers, ending in an empty line
	Body     []byte    // entity body as transferred (see Exchange)
}

// Final returns the last hop: the response that ended the chain.
func (e *Exchange) Final() *Hop {
	if e == nil || len(e.Hops) == 0 {
		return nil
	}
	return &e.Hops[len(e.Hops)-1]
}

// Size returns the bytes of every hop's request, response headers and body.
func (e *Exchange) Size() int {
	n := 0
	for _, h := range e.Hops {
		n += len(h.Request) + len(h.Response) + len(h.Body)
	}
	return n
}

// requestBytes writes the request line and header block of a GET of u as
// the client sends it: Host first, then the headers in sorted order.
func requestBytes(u *url.URL, h http.Header) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "GET %s HTTP/1.1\r\nHost: %s\r\n", u.RequestURI(), u.Host)
	_ = h.Write(&b) // a bytes.Buffer does not fail
	b.WriteString("\r\n")
	return b.Bytes()
}

// responseBytes writes the status line and header block of hr.
func responseBytes(hr *http.Response) []byte {
	var b bytes.Buffer
	proto := hr.Proto
	if hr.ProtoMajor != 1 {
		proto = "HTTP/1.1"
	}
	status := hr.Status
	if status == "" {
		status = fmt.Sprintf("%d %s", hr.StatusCode, http.StatusText(hr.StatusCode))
	}
	fmt.Fprintf(&b, "%s %s\r\n", proto, status)
	_ = hr.Header.WriteSubset(&b, map[string]bool{"Transfer-Encoding": true})
	b.WriteString("\r\n")
	return b.Bytes()
}

// capture is the body of one hop being captured while it is read: the
// first limit bytes as transferred. A longer body is not evidence of
// what was served and is dropped (over).
type capture struct {
	buf   bytes.Buffer
	limit int64
	over  bool
}

func (c *capture) Write(p []byte) (int, error) {
	if !c.over && int64(c.buf.Len()+len(p)) > c.limit {
		c.over = true
		c.buf = bytes.Buffer{}
	}
	if !c.over {
		c.buf.Write(p)
	}
	return len(p), nil
}

// finish reads what the decoder left of the transferred body (a gzip
// trailer, say) into c when whole is set, bounded by its limit, and
// returns the body, or nil when it was over the limit.
func (c *capture) finish(rest io.Reader, whole bool) []byte {
	if whole && !c.over {
		_, _ = io.Copy(io.Discard, io.LimitReader(rest, c.limit-int64(c.buf.Len())+1))
	}
	if c.over {
		return nil
	}
	return c.buf.Bytes()
}

// startHop begins capturing the exchange with hr: it records the hop and
// returns the reader of hr's body through which the body is captured,
// and a function that ends the capture once the body was read. The body
// of a final 2xx answer is captured whole (end(true)); that of a
// redirect, a 304 or an error is what was read of it to reuse the
// connection (at most 64 KiB).
func (st *fetchState) startHop(req *http.Request, hr *http.Response, sent time.Time) (body io.Reader, end func(whole bool)) {
	if !st.capture {
		return hr.Body, func(bool) {}
	}
	st.hops = append(st.hops, Hop{
		URL: req.URL.String(), Time: sent.UTC(), Status: hr.StatusCode,
		Request: requestBytes(req.URL, req.Header), Response: responseBytes(hr),
	})
	i := len(st.hops) - 1
	c := &capture{limit: st.limit}
	if n := hr.ContentLength; n > 0 && n <= st.limit {
		c.buf.Grow(int(n)) // one block of the body's size, not a doubling series
	}
	tee := io.TeeReader(hr.Body, c)
	return tee, func(whole bool) {
		st.hops[i].Body = c.finish(tee, whole)
		if c.over {
			st.truncated = true
		}
	}
}

// exchange returns the captured exchange, or nil when none was asked for
// or a body was over the size cap.
func (st *fetchState) exchange() *Exchange {
	if !st.capture || st.truncated || len(st.hops) == 0 {
		return nil
	}
	return &Exchange{Hops: st.hops}
}
