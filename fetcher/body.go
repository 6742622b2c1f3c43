package fetcher

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/klauspost/compress/flate"
	"github.com/klauspost/compress/gzip"
	"github.com/klauspost/compress/zlib"
)

// drainLimit is how much of an unwanted body (redirect, error page) is read
// so the connection can be reused.
const drainLimit = 64 << 10

// Reading a body reuses its buffers: a body is read into a pooled buffer
// and copied out at its exact size, through a pooled bufio.Reader and, for
// gzip, a pooled decompressor with its 32 KB window. Read into a fresh
// doubling buffer, a 50 KB page cost about 100 KB of garbage plus 45 KB
// for the decompressor; now it costs its own size. Buffers that a large
// body grew past maxPooled are dropped, so a compression bomb's buffer is
// not kept.
var (
	bodyBufs   = sync.Pool{New: func() any { return new(bytes.Buffer) }}
	bufReaders = sync.Pool{New: func() any { return bufio.NewReaderSize(nil, 16<<10) }}
	gzReaders  sync.Pool // *gzip.Reader
)

// maxPooled is the largest buffer put back in bodyBufs.
const maxPooled = 1 << 20

// readBody decodes the Content-Encoding of r and reads at most limit bytes
// of the decoded stream. A longer stream yields ErrTooLarge: the reader stops
// at limit+1 bytes, so a compression bomb costs little memory or time.
func readBody(r io.Reader, encoding string, contentLength, limit int64) ([]byte, error) {
	encoding = strings.ToLower(strings.TrimSpace(encoding))
	if (encoding == "" || encoding == "identity") && contentLength > limit {
		return nil, fmt.Errorf("%w: Content-Length %d > %d", ErrTooLarge, contentLength, limit)
	}
	body, over, err := readUpTo(r, encoding, contentLength, limit, false)
	if over {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	return body, err
}

// readPrefix is readBody for a body of which only the first limit bytes
// matter (robots.txt): it returns them and drops the rest.
func readPrefix(r io.Reader, encoding string, contentLength, limit int64) ([]byte, error) {
	encoding = strings.ToLower(strings.TrimSpace(encoding))
	body, _, err := readUpTo(r, encoding, contentLength, limit, true)
	return body, err
}

// readUpTo reads at most limit+1 decoded bytes and reports whether there
// were more than limit. Over the limit, it returns the first limit bytes
// if prefix is set, else no body.
func readUpTo(r io.Reader, encoding string, contentLength, limit int64, prefix bool) (body []byte, over bool, err error) {
	br := bufReaders.Get().(*bufio.Reader)
	br.Reset(r)
	defer func() { br.Reset(nil); bufReaders.Put(br) }()
	dec, err := decoder(br, encoding)
	if err != nil {
		return nil, false, err
	}
	if zr, ok := dec.(*gzip.Reader); ok {
		defer gzReaders.Put(zr)
	}
	buf := bodyBufs.Get().(*bytes.Buffer)
	buf.Reset()
	defer func() {
		if buf.Cap() <= maxPooled {
			bodyBufs.Put(buf)
		}
	}()
	if (encoding == "" || encoding == "identity") && contentLength >= 0 {
		buf.Grow(int(min(contentLength, limit)) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(dec, limit+1))
	if n > limit {
		if !prefix {
			return nil, true, nil
		}
		return bytes.Clone(buf.Bytes()[:limit]), true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read body: %w", err)
	}
	return bytes.Clone(buf.Bytes()), false, nil
}

// decoder wraps br in the decompressor the encoding names. The gzip magic
// bytes win over the header, because some servers send gzip (or serve
// .xml.gz files) without saying so or label it deflate, and 1f 8b can start
// neither a zlib nor a valid raw deflate stream. Announced gzip that is not
// gzip (a misconfigured server or proxy) is passed through as is.
func decoder(br *bufio.Reader, encoding string) (io.Reader, error) {
	switch encoding {
	case "", "identity", "gzip", "x-gzip", "deflate":
	default:
		return nil, fmt.Errorf("unsupported Content-Encoding %q", encoding)
	}
	head, _ := br.Peek(2)
	switch {
	case bytes.Equal(head, []byte{0x1f, 0x8b}):
		return gunzip(br)
	case encoding != "deflate" || len(head) == 0:
		return br, nil
	case isZlibHeader(head):
		zr, err := zlib.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("decompress deflate: %w", err)
		}
		return zr, nil
	}
	return flate.NewReader(br), nil // raw deflate, as some servers send
}

// gunzip returns a pooled gzip reader of br; the caller puts it back.
func gunzip(br *bufio.Reader) (io.Reader, error) {
	zr, _ := gzReaders.Get().(*gzip.Reader)
	if zr == nil {
		zr = new(gzip.Reader)
	}
	if err := zr.Reset(br); err != nil {
		gzReaders.Put(zr)
		return nil, fmt.Errorf("decompress gzip: %w", err)
	}
	return zr, nil
}

// isZlibHeader reports whether b starts with a zlib header (RFC 1950):
// compression method 8 and a header checksum divisible by 31.
func isZlibHeader(b []byte) bool {
	return len(b) >= 2 && b[0]&0x0f == 8 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}
