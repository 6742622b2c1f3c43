package newstest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Hostile handlers. Each returns when the client goes away or the request's
// context ends, so a Site with them closes promptly.

// GzipBomb serves a gzip-encoded body that inflates to size bytes of
// zeros (rounded up to a whole MiB), whatever the request's
// Accept-Encoding. The body is one small
// gzip member (1 MiB of zeros in about a kilobyte), compressed once and
// sent again and again as a multi-member stream, so serving the bomb costs
// the server nothing and the client meets the inflated bytes at once: a
// test under load sees the client's size cap, never the server's pace.
func GzipBomb(contentType string, size int64) http.HandlerFunc {
	member := bombMember()
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Header().Set("Content-Encoding", "gzip")
		for n := int64(0); n < size && r.Context().Err() == nil; n += bombMemberSize {
			if _, err := w.Write(member); err != nil {
				return
			}
		}
	}
}

// bombMemberSize is how many zeros one member of GzipBomb inflates to.
const bombMemberSize = 1 << 20

// bombMember is one gzip member of bombMemberSize zeros, compressed once.
var bombMember = sync.OnceValue(func() []byte {
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	zw.Write(make([]byte, bombMemberSize)) //nolint:errcheck // a bytes.Buffer does not fail
	zw.Close()                             //nolint:errcheck
	return buf.Bytes()
})

// EndlessBody streams prefix and then filler forever, until the client
// hangs up.
func EndlessBody(contentType, prefix, filler string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		if _, err := w.Write([]byte(prefix)); err != nil {
			return
		}
		chunk := bytes.Repeat([]byte(filler), max(1, (32<<10)/max(1, len(filler))))
		for r.Context().Err() == nil {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

// Trickle sends body a few bytes at a time, one chunk every interval, so
// the whole body takes len(body)/chunk*interval.
func Trickle(contentType string, body []byte, chunk int, interval time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(http.StatusOK)
		rc := http.NewResponseController(w)
		t := time.NewTicker(interval)
		defer t.Stop()
		for len(body) > 0 {
			n := min(chunk, len(body))
			if _, err := w.Write(body[:n]); err != nil {
				return
			}
			rc.Flush() //nolint:errcheck
			body = body[n:]
			select {
			case <-t.C:
			case <-r.Context().Done():
				return
			}
		}
	}
}

// RedirectLoop redirects every request to the same path with an ever
// larger hop counter, so the chain never ends.
func RedirectLoop() http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("hop"))
		http.Redirect(w, r, fmt.Sprintf("%s?hop=%d", r.URL.Path, n+1), http.StatusFound)
	}
}

// RedirectTo answers with a 302 to target.
func RedirectTo(target string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, target, http.StatusFound)
	}
}

// TooManyRequests answers 429 with Retry-After in whole seconds.
func TooManyRequests(retryAfter time.Duration) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", strconv.Itoa(int(retryAfter/time.Second)))
		http.Error(w, "slow down", http.StatusTooManyRequests)
	}
}

// Status answers with the given status code and a short text body.
func Status(code int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, http.StatusText(code), code)
	}
}

// SlowHeaders waits d (or until the client hangs up) before answering
// with next.
func SlowHeaders(d time.Duration, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-t.C:
			next(w, r)
		case <-r.Context().Done():
		}
	}
}

// Body answers 200 with a fixed body and content type, without validators.
func Body(contentType string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.Write(body) //nolint:errcheck // the client went away
	}
}

// EntityBomb returns an RSS document with a "billion laughs" internal
// entity expansion: ten levels of ten references each. Its one item links
// to a relative path, so a client stays on the serving host.
func EntityBomb() []byte {
	var b bytes.Buffer
	b.WriteString("<?xml version=\"1.0\"?>\n<!DOCTYPE rss [\n <!ENTITY lol0 \"lol\">\n")
	for i := 1; i <= 10; i++ {
		fmt.Fprintf(&b, " <!ENTITY lol%d \"", i)
		for range 10 {
			fmt.Fprintf(&b, "&lol%d;", i-1)
		}
		b.WriteString("\">\n")
	}
	b.WriteString("]>\n<rss version=\"2.0\"><channel><title>&lol10;</title><link>/</link>" +
		"<description>entity bomb</description><item><title>&lol10;</title><link>/entity/a-post1.vnp</link>" +
		"<description>&lol10;</description></item></channel></rss>\n")
	return b.Bytes()
}

// HugeFeed streams a valid RSS feed of about size bytes (36 MB in the
// acceptance checks), generated as it is sent: thousands of items whose
// links point back at the requested host.
func HugeFeed(size int64) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		base := "http://" + r.Host
		n, err := fmt.Fprintf(w, "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<rss version=\"2.0\"><channel><title>Huge</title><link>%s/</link><description>huge feed</description>\n", base)
		written := int64(n)
		desc := bytes.Repeat([]byte("Tin tức tổng hợp trong ngày. "), 60)
		for i := 0; err == nil && written < size && r.Context().Err() == nil; i++ {
			n, err = fmt.Fprintf(w, "<item><title>Bản tin số %d</title><link>%s/huge/item-post%d.vnp</link><description>%s</description><pubDate>Thu, 26 Nov 2026 08:15:00 +0700</pubDate></item>\n", i, base, i, desc)
			written += int64(n)
		}
		if err == nil {
			fmt.Fprint(w, "</channel></rss>\n")
		}
	}
}
