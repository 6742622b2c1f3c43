package story

import (
	"encoding/binary"
	"errors"
	"math"
	"slices"

	"github.com/newswatch/newswatch/news"
)

// featuresVersion starts every encoded doc: a newer newswatch that
// changes the features changes it, and an old window is then rebuilt
// without the articles it cannot read (see decodeDoc).
const featuresVersion = 1

// errFeatures means stored features do not decode.
var errFeatures = errors.New("story features do not decode")

// ErrFeaturesVersion means stored features were written by another
// version of the features: the article is left out of the window.
var ErrFeaturesVersion = errors.New("story features of another version")

// encode returns d's features in a compact binary form: the vector,
// the indexed terms, the shingles (delta-coded), the evidence and the
// terms counted in the document frequencies. The rest of the doc is
// the member's own fields.
func (d *doc) encode() []byte {
	b := make([]byte, 0, 64+len(d.terms)*8+len(d.shingles)*3+len(d.distinct)*4+len(d.evidence)*24)
	b = append(b, featuresVersion)
	b = binary.AppendUvarint(b, uint64(len(d.terms)))
	for _, t := range d.terms {
		b = binary.LittleEndian.AppendUint32(b, t.h)
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(t.w))
	}
	b = appendUint32s(b, d.index)
	if d.full {
		b = append(b, 1)
	} else {
		b = append(b, 0)
	}
	b = binary.AppendUvarint(b, uint64(len(d.shingles)))
	prev := uint32(0)
	for _, h := range d.shingles {
		b = binary.AppendUvarint(b, uint64(h-prev))
		prev = h
	}
	b = binary.AppendUvarint(b, uint64(len(d.evidence)))
	for _, e := range d.evidence {
		b = appendString(b, e.key)
		b = appendString(b, e.show)
	}
	return appendUint32s(b, d.distinct)
}

func appendUint32s(b []byte, v []uint32) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	for _, h := range v {
		b = binary.LittleEndian.AppendUint32(b, h)
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// reader decodes what encode wrote, remembering the first error.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad, r.b = true, nil
		return 0
	}
	r.b = r.b[n:]
	return v
}

// count reads a length that must fit in what is left, each element
// taking at least size bytes.
func (r *reader) count(size int) int {
	n := r.uvarint()
	if n > uint64(len(r.b)/size) {
		r.bad, r.b = true, nil
		return 0
	}
	return int(n)
}

func (r *reader) uint32() uint32 {
	if len(r.b) < 4 {
		r.bad, r.b = true, nil
		return 0
	}
	v := binary.LittleEndian.Uint32(r.b)
	r.b = r.b[4:]
	return v
}

func (r *reader) bytes(n int) []byte {
	if n > len(r.b) {
		r.bad, r.b = true, nil
		return nil
	}
	v := r.b[:n]
	r.b = r.b[n:]
	return v
}

func (r *reader) string() string { return string(r.bytes(r.count(1))) }

func (r *reader) uint32s() []uint32 {
	out := make([]uint32, r.count(4))
	for i := range out {
		out[i] = r.uint32()
	}
	return out
}

// decodeDoc rebuilds a doc from a stored member and its features.
func decodeDoc(m *news.StoryMember) (*doc, []uint32, error) {
	if len(m.Features) == 0 || m.Features[0] != featuresVersion {
		return nil, nil, ErrFeaturesVersion
	}
	r := reader{b: m.Features[1:]}
	d := &doc{
		id: m.ArticleID, lang: m.Lang, source: m.Source, title: m.Title, url: m.URL,
		published: m.Published, fetched: m.Fetched, at: m.Time(), topics: m.Topics,
		story: m.Story, dupOf: m.DuplicateOf, with: m.With, score: m.Score, reasons: m.Evidence,
	}
	d.terms = make([]term, r.count(8))
	for i := range d.terms {
		d.terms[i] = term{h: r.uint32(), w: math.Float32frombits(r.uint32())}
	}
	d.index = r.uint32s()
	fb := r.bytes(1)
	d.full = len(fb) == 1 && fb[0] == 1
	d.shingles = make([]uint32, r.count(1))
	prev := uint32(0)
	for i := range d.shingles {
		prev += uint32(r.uvarint())
		d.shingles[i] = prev
	}
	d.evidence = make([]evidence, r.count(2))
	for i := range d.evidence {
		d.evidence[i] = evidence{key: r.string(), show: r.string()}
	}
	distinct := r.uint32s()
	if r.bad || len(r.b) != 0 || !sortedTerms(d.terms) || !slices.IsSorted(d.shingles) {
		return nil, nil, errFeatures
	}
	return d, distinct, nil
}

func sortedTerms(ts []term) bool {
	return slices.IsSortedFunc(ts, func(x, y term) int {
		switch {
		case x.h < y.h:
			return -1
		case x.h > y.h:
			return 1
		}
		return 0
	})
}
