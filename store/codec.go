package store

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// Values are JSON: readable with `bbolt get`, tolerant of added fields, and
// fast enough (see BenchmarkSavePoll). Strings must be valid UTF-8, which
// the parser guarantees; JSON would replace invalid bytes with U+FFFD.

// encode marshals v without HTML escaping (so "<" stays one byte) and
// without the trailing newline of json.Encoder.
func encode(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, fmt.Errorf("encode %T: %v", v, err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// decode unmarshals a stored value. json.Unmarshal copies every string, so
// the result stays valid after the transaction that read data ends.
func decode(data []byte, v any) error {
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("decode %T: %v", v, err)
	}
	return nil
}
