package fetcher

import (
	"bufio"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"compress/zlib"
	"fmt"
	"io"
	"strings"
)

// drainLimit is how much of an unwanted body (redirect, error page) is read
// so the connection can be reused.
const drainLimit = 64 << 10

// typicalBody is the initial buffer for a body of unknown size: most feeds
// and article pages fit, larger ones grow by doubling.
const typicalBody = 64 << 10

// readBody decodes the Content-Encoding of r and reads at most limit bytes
// of the decoded stream. A longer stream yields ErrTooLarge: the reader stops
// at limit+1 bytes, so a compression bomb costs little memory or time.
func readBody(r io.Reader, encoding string, contentLength, limit int64) ([]byte, error) {
	encoding = strings.ToLower(strings.TrimSpace(encoding))
	if (encoding == "" || encoding == "identity") && contentLength > limit {
		return nil, fmt.Errorf("%w: Content-Length %d > %d", ErrTooLarge, contentLength, limit)
	}
	body, over, err := readUpTo(r, encoding, contentLength, limit)
	if over {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, limit)
	}
	return body, err
}

// readPrefix is readBody for a body of which only the first limit bytes
// matter (robots.txt): it returns them and drops the rest.
func readPrefix(r io.Reader, encoding string, contentLength, limit int64) ([]byte, error) {
	encoding = strings.ToLower(strings.TrimSpace(encoding))
	body, over, err := readUpTo(r, encoding, contentLength, limit)
	if over {
		return body[:limit], nil
	}
	return body, err
}

// readUpTo reads at most limit+1 decoded bytes and reports whether there
// were more than limit.
func readUpTo(r io.Reader, encoding string, contentLength, limit int64) (body []byte, over bool, err error) {
	dec, err := decoder(bufio.NewReader(r), encoding)
	if err != nil {
		return nil, false, err
	}
	var buf bytes.Buffer
	buf.Grow(int(min(sizeHint(encoding, contentLength), limit)) + bytes.MinRead)
	n, err := buf.ReadFrom(io.LimitReader(dec, limit+1))
	if n > limit {
		return buf.Bytes(), true, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("read body: %w", err)
	}
	return buf.Bytes(), false, nil
}

// sizeHint guesses the decoded size to allocate once: the Content-Length of
// an unencoded body, else typicalBody.
func sizeHint(encoding string, contentLength int64) int64 {
	if (encoding == "" || encoding == "identity") && contentLength >= 0 {
		return contentLength
	}
	return typicalBody
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

func gunzip(br *bufio.Reader) (io.Reader, error) {
	zr, err := gzip.NewReader(br)
	if err != nil {
		return nil, fmt.Errorf("decompress gzip: %w", err)
	}
	return zr, nil
}

// isZlibHeader reports whether b starts with a zlib header (RFC 1950):
// compression method 8 and a header checksum divisible by 31.
func isZlibHeader(b []byte) bool {
	return len(b) >= 2 && b[0]&0x0f == 8 && (uint16(b[0])<<8|uint16(b[1]))%31 == 0
}
