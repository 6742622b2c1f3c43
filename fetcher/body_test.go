package fetcher

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// gzipBombMember is one gzip member holding 1 MiB of zeros (about 1 KiB
// compressed). Members concatenate into a valid gzip stream, so repeating it
// 1024 times serves 1 GiB without ever building it.
func gzipBombMember(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(make([]byte, 1<<20)); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// Not parallel: it measures the process's allocations, so it runs before
// the parallel tests start.
func TestFetchGzipBomb(t *testing.T) {
	member := gzipBombMember(t)
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		w.Header().Set("Content-Encoding", "gzip")
		for range 1024 { // 1 GiB decompressed
			if _, err := w.Write(member); err != nil {
				return // client hung up, as it should
			}
		}
	}))
	c := newTestClient(t, Options{}) // default 15 MiB cap
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := c.Fetch(t.Context(), srv.URL, Validators{})
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrTooLarge) || Temporary(err) {
		t.Fatalf("Fetch(%q) of a 1 GiB gzip bomb error = %v, want %v (permanent)", srv.URL, err, ErrTooLarge)
	}
	const budget = 128 << 20
	alloc := after.TotalAlloc - before.TotalAlloc
	t.Logf("refusing a 1 GiB gzip bomb allocated %d MiB", alloc>>20)
	if alloc > budget {
		t.Errorf("Fetch of a gzip bomb allocated %d MiB, want at most %d MiB", alloc>>20, budget>>20)
	}
}

func TestFetchTooLarge(t *testing.T) {
	t.Parallel()
	const limit = 64 << 10
	tests := []struct {
		name    string
		handler http.HandlerFunc
	}{
		{"content-length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", strconv.Itoa(limit+1))
			w.Write(make([]byte, limit+1))
		}},
		{"chunked", func(w http.ResponseWriter, r *http.Request) {
			w.Write(make([]byte, limit/2))
			w.(http.Flusher).Flush()
			w.Write(make([]byte, limit/2+1))
		}},
		{"endless", func(w http.ResponseWriter, r *http.Request) {
			chunk := []byte(strings.Repeat("<item>Hà Nội</item>\n", 512))
			for {
				if _, err := w.Write(chunk); err != nil {
					return
				}
			}
		}},
	}
	c := newTestClient(t, Options{MaxBodySize: limit})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := newServer(t, tt.handler)
			if _, err := c.Fetch(t.Context(), srv.URL, Validators{}); !errors.Is(err, ErrTooLarge) {
				t.Errorf("Fetch(%q) error = %v, want %v", srv.URL, err, ErrTooLarge)
			}
		})
	}
	t.Run("exactly-at-limit", func(t *testing.T) {
		srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Write(make([]byte, limit))
		}))
		resp, err := c.Fetch(t.Context(), srv.URL, Validators{})
		if err != nil || len(resp.Body) != limit {
			t.Errorf("Fetch(%q) of %d bytes = %v, want the whole body", srv.URL, limit, err)
		}
	})
}

func TestFetchTricklingBody(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/atom+xml")
		tick := time.NewTicker(10 * time.Millisecond)
		defer tick.Stop()
		for {
			if _, err := w.Write([]byte("<")); err != nil {
				return
			}
			w.(http.Flusher).Flush()
			select {
			case <-tick.C:
			case <-r.Context().Done():
				return
			}
		}
	}))
	c := newTestClient(t, Options{Timeout: 200 * time.Millisecond})
	_, err := c.Fetch(t.Context(), srv.URL, Validators{})
	t.Logf("trickling body: %v", err)
	if !errors.Is(err, context.DeadlineExceeded) || !Temporary(err) {
		t.Errorf("Fetch(%q) of a trickling body error = %v, want context.DeadlineExceeded (temporary)", srv.URL, err)
	}
}

func TestReadBody(t *testing.T) {
	t.Parallel()
	vi := []byte("Chống mua bán người")
	tests := []struct {
		name     string
		encoding string
		in       []byte
		want     []byte
		wantErr  bool
	}{
		{"identity", "identity", vi, vi, false},
		{"gzip upper case", " GZIP ", compress(t, "gzip", vi), vi, false},
		{"empty gzip", "gzip", nil, []byte{}, false},
		{"plain labelled gzip", "gzip", vi, vi, false},
		{"gzip labelled deflate", "deflate", compress(t, "gzip", vi), vi, false},
		{"empty deflate", "deflate", nil, []byte{}, false},
		{"corrupt gzip", "gzip", []byte{0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3}, nil, true},
		{"truncated gzip", "gzip", compress(t, "gzip", vi)[:20], nil, true},
		{"brotli", "br", vi, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := readBody(bytes.NewReader(tt.in), tt.encoding, -1, 1<<20)
			if (err != nil) != tt.wantErr || (err == nil && !bytes.Equal(got, tt.want)) {
				t.Errorf("readBody(%q, %q) = %q, %v; want %q, error %v", tt.in, tt.encoding, got, err, tt.want, tt.wantErr)
			}
		})
	}
}

// TestReadBodyOwnsItsBytes: bodies are read into pooled buffers, so each
// returned body must be a copy that later reads, failed ones included,
// never overwrite.
func TestReadBodyOwnsItsBytes(t *testing.T) {
	t.Parallel()
	first := bytes.Repeat([]byte("Chống mua bán người. "), 4000)
	second := bytes.Repeat([]byte("Противодействие торговле людьми. "), 3000)
	got, err := readBody(bytes.NewReader(compress(t, "gzip", first)), "gzip", -1, 1<<20)
	if err != nil || !bytes.Equal(got, first) {
		t.Fatalf("readBody(first) = %d bytes, %v; want %d bytes", len(got), err, len(first))
	}
	for range 3 {
		if _, err := readBody(bytes.NewReader(compress(t, "gzip", second)[:200]), "gzip", -1, 1<<20); err == nil {
			t.Fatal("readBody(truncated gzip) succeeded, want an error")
		}
		if b, err := readBody(bytes.NewReader(compress(t, "gzip", second)), "gzip", -1, 1<<20); err != nil || !bytes.Equal(b, second) {
			t.Fatalf("readBody(second) = %d bytes, %v; want %d bytes", len(b), err, len(second))
		}
	}
	if !bytes.Equal(got, first) {
		t.Error("the first body changed after later reads: it shares a pooled buffer")
	}
}

// FuzzReadBody feeds arbitrary bytes with each encoding: readBody must never
// panic nor return more than the limit.
func FuzzReadBody(f *testing.F) {
	for _, tf := range testdataFiles {
		b := readTestdata(f, tf.name)
		f.Add(b, "")
		f.Add(compress(f, "gzip", b), "gzip")
		f.Add(compress(f, "zlib", b), "deflate")
		f.Add(compress(f, "flate", b), "deflate")
	}
	const limit = 4 << 10
	f.Fuzz(func(t *testing.T, in []byte, encoding string) {
		got, err := readBody(bytes.NewReader(in), encoding, int64(len(in)), limit)
		if len(got) > limit {
			t.Errorf("readBody returned %d bytes, limit %d", len(got), limit)
		}
		if err == nil && encoding == "" && !bytes.HasPrefix(in, []byte{0x1f, 0x8b}) && !bytes.Equal(got, in) {
			t.Errorf("readBody(%q, identity) = %q, want input unchanged", in, got)
		}
	})
}

// TestTooLargeAfterDeadline: a body found over the cap stays ErrTooLarge
// when the request's deadline passed while it was read, as it may on a
// loaded machine: a bomb is refused by its bytes, not by the clock.
func TestTooLargeAfterDeadline(t *testing.T) {
	t.Parallel()
	c := newTestClient(t, Options{})
	rctx, cancel := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel()
	u, _ := url.Parse("http://127.0.0.1/bomb.rss")
	err := c.wrapErr(t.Context(), rctx, u, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, 1<<20))
	if !errors.Is(err, ErrTooLarge) || errors.Is(err, context.DeadlineExceeded) || Temporary(err) {
		t.Errorf("wrapErr(too large, past the deadline) = %v, want ErrTooLarge alone (permanent)", err)
	}
}
