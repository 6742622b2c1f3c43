package export

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base32"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nlnwa/gowarc/v3"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// warcSite serves /old, a redirect to /new, a gzip-compressed page; it
// returns the site and the body of /new as transferred.
func warcSite(t *testing.T) (*httptest.Server, []byte) {
	t.Helper()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	fmt.Fprint(zw, "<html><head><title>Đường dây</title></head><body><article><p>Triệt phá đường dây mua bán người qua biên giới.</p></article></body></html>")
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusMovedPermanently) })
	mux.HandleFunc("/new", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Encoding", "gzip")
		_, _ = w.Write(gz.Bytes())
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, gz.Bytes()
}

// capturedStore fetches the site's /old as the pipeline does, with the
// exchange captured, and stores it as the capture of a matched article.
func capturedStore(t *testing.T, srv *httptest.Server) (*store.Store, *news.Article) {
	t.Helper()
	fc := fetcher.New(fetcher.Options{AllowPrivateNetworks: true, IgnoreRobots: true, CaptureExchange: true, PerHostRate: -1})
	resp, err := fc.FetchPage(t.Context(), srv.URL+"/old", fetcher.Validators{})
	if err != nil || resp.Exchange == nil {
		t.Fatalf("FetchPage = %v, exchange %v", err, resp)
	}
	a := &news.Article{ID: "a1", URL: srv.URL + "/old", Title: "Đường dây", Text: "Triệt phá", Fetched: time.Now().UTC()}
	a.SetHits([]news.Hit{{Topic: "trafficking", Term: "mua bán người"}})
	ex := store.Exchange{ArticleID: a.ID}
	for _, h := range resp.Exchange.Hops {
		ex.Hops = append(ex.Hops, news.RawHop{URL: h.URL, Time: h.Time, Status: h.Status, Request: h.Request, Response: h.Response, Body: h.Body})
	}
	st := openStore(t, nil)
	if _, err := st.SavePoll(store.Poll{Feed: store.FeedState{URL: srv.URL + "/rss"}, Articles: []*news.Article{a}, Exchanges: []store.Exchange{ex}}); err != nil {
		t.Fatal(err)
	}
	return st, a
}

// TestWARCExport: the export of a captured redirect and page reads back,
// record for record, with gowarc's strict reader and with the small
// independent reader below, and every digest matches the bytes the site
// sent.
func TestWARCExport(t *testing.T) {
	t.Parallel()
	srv, served := warcSite(t)
	st, _ := capturedStore(t, srv)
	var b bytes.Buffer
	if n, err := Write(t.Context(), &b, st, Options{Format: FormatWARC}); err != nil || n != 1 {
		t.Fatalf("Write(warc) = %d, %v, want 1 article", n, err)
	}
	// .ci/run reads the file with warcio, a third, Python reader.
	if out := os.Getenv("NEWSWATCH_WARC_OUT"); out != "" {
		if err := os.WriteFile(out, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}

	recs := readWARC(t, b.Bytes())
	var types []string
	for _, r := range recs {
		types = append(types, r.header["WARC-Type"]+" "+r.header["WARC-Target-URI"])
		if got, want := r.header["WARC-Block-Digest"], digestOf(r.header["WARC-Block-Digest"], r.block); got != want {
			t.Errorf("%s record: block digest %s, computed %s", r.header["WARC-Type"], got, want)
		}
		if _, err := time.Parse(time.RFC3339, r.header["WARC-Date"]); err != nil {
			t.Errorf("%s record: WARC-Date %q: %v", r.header["WARC-Type"], r.header["WARC-Date"], err)
		}
	}
	want := []string{"warcinfo ", "response " + srv.URL + "/old", "request " + srv.URL + "/old", "response " + srv.URL + "/new", "request " + srv.URL + "/new"}
	if strings.Join(types, "\n") != strings.Join(want, "\n") {
		t.Fatalf("records:\n%s\nwant:\n%s", strings.Join(types, "\n"), strings.Join(want, "\n"))
	}
	final := recs[3]
	_, payload, _ := bytes.Cut(final.block, []byte("\r\n\r\n"))
	if !bytes.Equal(payload, served) {
		t.Errorf("final response payload = %d bytes, want the %d gzip bytes the site sent", len(payload), len(served))
	}
	sum := sha256.Sum256(served)
	if got, want := final.header["WARC-Payload-Digest"], "sha256:"+hex.EncodeToString(sum[:]); got != want {
		t.Errorf("WARC-Payload-Digest = %q, want %q (SHA-256 of the body as sent)", got, want)
	}

	// gowarc, strict: every record valid, digests checked.
	r, err := gowarc.NewWarcFileReaderFromStream(bytes.NewReader(b.Bytes()), 0, gowarc.WithStrictValidation())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rec, err := range r.Records() {
		if err != nil {
			t.Fatalf("gowarc: record %d: %v", n, err)
		}
		if len(rec.Validation) > 0 {
			t.Errorf("gowarc: record %d: %v", n, rec.Validation)
		}
		if err := rec.Close(); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != len(recs) {
		t.Errorf("gowarc read %d records, the independent reader %d", n, len(recs))
	}
}

// TestWARCExportNeedsCaptures: a source without captures is refused.
func TestWARCExportNeedsCaptures(t *testing.T) {
	t.Parallel()
	src := sliceSource{}
	if _, err := Write(t.Context(), io.Discard, src, Options{Format: FormatWARC}); !errors.Is(err, ErrNoCaptures) {
		t.Errorf("Write(warc) of a source without captures = %v, want ErrNoCaptures", err)
	}
}

// sliceSource is a Source of no captures.
type sliceSource struct{}

func (sliceSource) ForEachArticle(_ context.Context, _ store.Query, _ func(*news.Article) error) error {
	return nil
}

// warcRecord is one record as the independent reader sees it.
type warcRecord struct {
	header map[string]string
	block  []byte
}

// readWARC is a WARC 1.1 reader written from the spec, independent of
// gowarc: version line, header fields to an empty line, Content-Length
// bytes of block, two CRLFs.
func readWARC(t *testing.T, data []byte) []warcRecord {
	t.Helper()
	br := bufio.NewReader(bytes.NewReader(data))
	var out []warcRecord
	for {
		line, err := br.ReadString('\n')
		if err == io.EOF && line == "" {
			return out
		}
		if line != "WARC/1.1\r\n" {
			t.Fatalf("record %d starts %q, want WARC/1.1", len(out), line)
		}
		r := warcRecord{header: map[string]string{}}
		for {
			line, err = br.ReadString('\n')
			if err != nil {
				t.Fatalf("record %d header: %v", len(out), err)
			}
			if line == "\r\n" {
				break
			}
			k, v, ok := strings.Cut(strings.TrimSuffix(line, "\r\n"), ":")
			if !ok {
				t.Fatalf("record %d: header line %q", len(out), line)
			}
			r.header[k] = strings.TrimSpace(v)
		}
		n, err := strconv.Atoi(r.header["Content-Length"])
		if err != nil {
			t.Fatalf("record %d: Content-Length %q", len(out), r.header["Content-Length"])
		}
		r.block = make([]byte, n)
		if _, err := io.ReadFull(br, r.block); err != nil {
			t.Fatalf("record %d block: %v", len(out), err)
		}
		end := make([]byte, 4)
		if _, err := io.ReadFull(br, end); err != nil || string(end) != "\r\n\r\n" {
			t.Fatalf("record %d ends %q, %v, want CRLF CRLF", len(out), end, err)
		}
		out = append(out, r)
	}
}

// digestOf computes b's digest in the algorithm and encoding of like
// ("sha256:hex" or "sha1:BASE32").
func digestOf(like string, b []byte) string {
	algo, v, _ := strings.Cut(like, ":")
	var sum []byte
	switch algo {
	case "sha256":
		s := sha256.Sum256(b)
		sum = s[:]
	case "sha1":
		s := sha1.Sum(b)
		sum = s[:]
	default:
		return "unknown algorithm " + algo
	}
	if len(v) == 2*len(sum) {
		return algo + ":" + hex.EncodeToString(sum)
	}
	return algo + ":" + base32.StdEncoding.EncodeToString(sum)
}
