package store

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

// TestCodecCompressed: a large value is stored as a zstd frame and read
// back equal; a value stored as plain JSON before compression came reads
// as well; a small value stays plain.
func TestCodecCompressed(t *testing.T) {
	t.Parallel()
	a := &news.Article{ID: "a1", URL: "https://example.org/a", Title: "Tin",
		Text: strings.Repeat("Triệt phá đường dây mua bán người qua biên giới. ", 40), Lang: "vi"}
	z, err := encodeCompressed(a)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := encode(a)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(z, zstdMagic) || len(z) >= len(plain) {
		t.Fatalf("encodeCompressed: %d bytes starting %x, want a zstd frame smaller than the %d bytes of JSON", len(z), z[:4], len(plain))
	}
	for name, v := range map[string][]byte{"compressed": z, "plain": plain} {
		var got news.Article
		if err := decode(v, &got); err != nil {
			t.Fatalf("decode(%s) = %v", name, err)
		}
		if diff := cmp.Diff(*a, got); diff != "" {
			t.Errorf("decode(%s) (-want +got):\n%s", name, diff)
		}
	}
	small, err := encodeCompressed(map[string]string{"id": "b"})
	if err != nil {
		t.Fatal(err)
	}
	if small[0] != '{' {
		t.Errorf("encodeCompressed(small) = %q, want plain JSON", small)
	}
	bad := append(bytes.Clone(zstdMagic), "not a frame"...)
	if err := decode(bad, &news.Article{}); err == nil {
		t.Error("decode(damaged frame) = nil, want an error")
	}
}
