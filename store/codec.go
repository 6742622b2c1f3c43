package store

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Values are JSON: readable with `bbolt get`, tolerant of added fields, and
// fast enough (see BenchmarkSavePoll). Strings must be valid UTF-8, which
// the parser guarantees; JSON would replace invalid bytes with U+FFFD.
//
// The large values, articles and revisions, are compressed with zstd
// (encodeCompressed): such a value starts with the zstd frame magic
// 28 b5 2f fd, which no JSON text starts with, so decode tells the two
// apart by their first bytes and reads a value stored before compression
// came (plain JSON) as it reads a new one. Old values are not rewritten:
// that would free pages without shrinking the file. Captured exchanges
// are zstd as well (see captures.go).

// zstdMagic starts every zstd frame (RFC 8878, section 3.1.1).
var zstdMagic = []byte{0x28, 0xb5, 0x2f, 0xfd}

// minCompressed is the size below which a value is stored as plain JSON:
// a frame's header and checksum cost more than compression saves.
const minCompressed = 128

// The zstd encoder and decoder are shared: EncodeAll and DecodeAll are
// safe for concurrent use. Default level (zstd 3): in BenchmarkCompression
// it keeps a third of an article's bytes at well over 100 MB/s. They are
// made at package init, not on first use: their channels would otherwise
// belong to whatever made the first store value, and a synctest bubble
// (the monitor's tests) makes channels no code outside it may use. The
// encoder makes its channels on first use, so init uses both once.
//
// Captured exchanges use the fastest level (captureEncoder): their bodies
// are mostly compressed already as transferred (gzip), and on the pages
// of the 1,000 x 20 poll the default level kept 99.7 % of their bytes at
// 19 µs a page, the fastest 100.1 % at 10 µs. For articles the fastest
// level would keep 31.9 % instead of 31.0 % for 22 µs instead of 31 µs
// an article: not worth 3 % more archive.
var (
	sharedEncoder  = newZstdEncoder(zstd.SpeedDefault)
	captureEncoder = newZstdEncoder(zstd.SpeedFastest)
	sharedDecoder  = newZstdDecoder()
)

func init() {
	for _, e := range []*zstd.Encoder{sharedEncoder, captureEncoder} {
		frame := e.EncodeAll([]byte("newswatch"), nil)
		if _, err := sharedDecoder.DecodeAll(frame, nil); err != nil {
			panic(fmt.Sprintf("zstd round trip: %v", err))
		}
	}
}

func zstdEncoder() *zstd.Encoder { return sharedEncoder }
func zstdDecoder() *zstd.Decoder { return sharedDecoder }

func newZstdEncoder(level zstd.EncoderLevel) *zstd.Encoder {
	e, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1), zstd.WithEncoderLevel(level))
	if err != nil {
		panic(fmt.Sprintf("zstd encoder: %v", err)) // only for invalid options
	}
	return e
}

func newZstdDecoder() *zstd.Decoder {
	d, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(0), zstd.WithDecoderMaxMemory(maxDecoded))
	if err != nil {
		panic(fmt.Sprintf("zstd decoder: %v", err)) // only for invalid options
	}
	return d
}

// maxDecoded bounds what one stored value may decompress to, so a damaged
// value cannot exhaust memory: far above any article or capture (the
// fetcher caps bodies at 15 MiB by default).
const maxDecoded = 256 << 20

// encode marshals v without HTML escaping (so "<" stays one byte) and
// without the trailing newline of json.Encoder.
func encode(v any) ([]byte, error) { return marshal(v, bytes.Clone) }

// encodeCompressed is encode followed by compress.
func encodeCompressed(v any) ([]byte, error) {
	return marshal(v, func(b []byte) []byte {
		if z := compress(b); len(z) < len(b) {
			return z
		}
		return bytes.Clone(b)
	})
}

// jsonEncoder is a JSON encoder with its buffer, kept for reuse: an
// article's JSON grew a fresh buffer a dozen times.
type jsonEncoder struct {
	buf bytes.Buffer
	enc *json.Encoder
}

var jsonEncoders = sync.Pool{New: func() any {
	e := new(jsonEncoder)
	e.enc = json.NewEncoder(&e.buf)
	e.enc.SetEscapeHTML(false)
	return e
}}

// maxPooledJSON is the largest buffer kept for reuse: a rare huge value
// must not stay allocated.
const maxPooledJSON = 1 << 20

// marshal encodes v with a pooled encoder and returns out(its bytes); the
// bytes are valid only during the call.
func marshal(v any, out func([]byte) []byte) ([]byte, error) {
	e := jsonEncoders.Get().(*jsonEncoder)
	defer func() {
		if e.buf.Cap() <= maxPooledJSON {
			jsonEncoders.Put(e)
		}
	}()
	e.buf.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode %T: %v", v, err)
	}
	return out(bytes.TrimSuffix(e.buf.Bytes(), []byte("\n"))), nil
}

// compress returns b as one zstd frame, or b itself when it is small or
// would not shrink.
func compress(b []byte) []byte {
	if len(b) < minCompressed {
		return b
	}
	z := zstdEncoder().EncodeAll(b, make([]byte, 0, len(b)/2))
	if len(z) >= len(b) {
		return b
	}
	return z
}

// compressed reports whether a stored value is a zstd frame.
func compressed(b []byte) bool { return bytes.HasPrefix(b, zstdMagic) }

// decompress returns the bytes of a stored value: b itself unless it is a
// zstd frame. The result never aliases a compressed b.
func decompress(b []byte) ([]byte, error) {
	if !compressed(b) {
		return b, nil
	}
	out, err := zstdDecoder().DecodeAll(b, nil)
	if err != nil {
		return nil, fmt.Errorf("decompress: %v", err)
	}
	return out, nil
}

// decode unmarshals a stored value, plain or compressed JSON.
// json.Unmarshal copies every string, so the result stays valid after the
// transaction that read data ends.
func decode(data []byte, v any) error {
	data, err := decompress(data)
	if err != nil {
		return fmt.Errorf("decode %T: %v", v, err)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %T: %v", v, err)
	}
	return nil
}
