package export

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/nlnwa/gowarc/v3"

	"github.com/newswatch/newswatch/news"
)

// FormatWARC writes the kept HTTP exchanges of the selected articles as
// WARC 1.1 (see warc.go).
const FormatWARC = "warc"

// CaptureSource is the view of the archive a WARC export reads: the
// articles, and their captured exchanges (store.Store).
type CaptureSource interface {
	Source
	Captures(id string) ([]news.Capture, error)
	CaptureData(c news.Capture) ([]news.RawHop, error)
}

// ErrNoCaptures means a WARC export was asked of a source that keeps no
// captured exchanges.
var ErrNoCaptures = errors.New("this archive keeps no captured exchanges")

// A WARC export is a warcinfo record, then, for every capture of every
// selected article, oldest first, each hop of the exchange (redirects
// first) as a request record and a response record. They are written
// with gowarc, the Go WARC library of the National Library of Norway's
// web archive, which checks each record's fields and computes its
// WARC-Block-Digest. The WARC-Payload-Digest of a response is the SHA-256
// of the body as transferred, the digest `newswatch evidence` shows (hex,
// as the WARC 1.1 spec allows for sha256). Record IDs derive from the
// article, capture, hop and record type, so that exporting twice gives
// the same records.
type warcWriter struct {
	bw  *bufio.Writer
	src CaptureSource
	m   gowarc.Marshaler
}

// recordNS is the namespace of newswatch's name-based (version 5) record
// UUIDs.
var recordNS = uuid.MustParse("6f1c7d4e-2b1a-4c55-9a0e-5e1f3b2d8c70")

func newWARCWriter(w io.Writer, src Source, now time.Time) (*warcWriter, error) {
	cs, ok := src.(CaptureSource)
	if !ok {
		return nil, ErrNoCaptures
	}
	ww := &warcWriter{bw: bufio.NewWriterSize(w, bufferSize), src: cs, m: gowarc.NewMarshaler()}
	info := "software: newswatch\r\nformat: WARC File Format 1.1\r\nconformsTo: http://iipc.github.io/warc-specifications/specifications/warc-format/warc-1.1/\r\n"
	rb := gowarc.NewRecordBuilder(gowarc.Warcinfo, warcOptions()...)
	rb.AddWarcHeader(gowarc.ContentType, "application/warc-fields")
	rb.AddWarcHeaderTime(gowarc.WarcDate, now.UTC())
	rb.AddWarcHeader(gowarc.WarcRecordID, recordID("warcinfo", now.UTC().Format(time.RFC3339Nano)))
	if _, err := rb.WriteString(info); err != nil {
		return nil, err
	}
	return ww, ww.marshal(rb)
}

func warcOptions() []gowarc.WarcRecordOption {
	return []gowarc.WarcRecordOption{gowarc.WithAddMissingDigest(true), gowarc.WithSpecViolationPolicy(gowarc.ErrFail), gowarc.WithSyntaxErrorPolicy(gowarc.ErrFail)}
}

// recordID returns a record ID derived from parts.
func recordID(parts ...string) string {
	return "<urn:uuid:" + uuid.NewSHA1(recordNS, []byte(strings.Join(parts, "\x00"))).String() + ">"
}

// Write writes the records of a's captures.
func (ww *warcWriter) Write(a *news.Article) error {
	cs, err := ww.src.Captures(a.ID)
	if err != nil {
		return err
	}
	for _, c := range cs {
		hops, err := ww.src.CaptureData(c)
		if err != nil {
			return err
		}
		for i, h := range hops {
			if err := ww.hop(c, i, h); err != nil {
				return fmt.Errorf("capture %d of %s, hop %s: %w", c.Seq, a.ID, h.URL, err)
			}
		}
	}
	return nil
}

// hop writes the request and response records of one hop.
func (ww *warcWriter) hop(c news.Capture, i int, h news.RawHop) error {
	key := []string{c.ArticleID, fmt.Sprint(c.Seq), fmt.Sprint(i)}
	reqID, respID := recordID(append(key, "request")...), recordID(append(key, "response")...)

	if err := ww.http(gowarc.Response, respID, reqID, h, h.Response, h.Body); err != nil {
		return err
	}
	return ww.http(gowarc.Request, reqID, respID, h, h.Request)
}

// http writes one request or response record of h, its block the
// concatenation of parts.
func (ww *warcWriter) http(typ gowarc.RecordType, id, concurrent string, h news.RawHop, parts ...[]byte) error {
	rb := gowarc.NewRecordBuilder(typ, warcOptions()...)
	rb.AddWarcHeader(gowarc.WarcRecordID, id)
	rb.AddWarcHeader(gowarc.WarcTargetURI, h.URL)
	rb.AddWarcHeaderTime(gowarc.WarcDate, h.Time.UTC())
	rb.AddWarcHeader(gowarc.ContentType, "application/http;msgtype="+typ.String())
	rb.AddWarcHeader(gowarc.WarcConcurrentTo, concurrent)
	for _, p := range parts {
		if _, err := rb.Write(p); err != nil {
			return err
		}
	}
	return ww.marshal(rb)
}

// marshal builds the record of rb and writes it.
func (ww *warcWriter) marshal(rb gowarc.WarcRecordBuilder) error {
	rec, _, err := rb.Build()
	if err != nil {
		return fmt.Errorf("warc record: %w", err)
	}
	defer rec.Close()
	if _, _, err := ww.m.Marshal(ww.bw, rec, 0); err != nil {
		return fmt.Errorf("warc record: %w", err)
	}
	return nil
}

func (ww *warcWriter) Close() error { return ww.bw.Flush() }
