package story

import (
	"cmp"
	"encoding/binary"
	"errors"
	"math"
	"slices"

	"github.com/newswatch/newswatch/news"
)

// featuresVersion starts every encoded doc: a newer newswatch that
// changes the features changes it, and an old window is then rebuilt
// without the articles it cannot read (see decodeDoc). Version 1 kept
// shingle samples and evidence as strings; it still decodes.
const (
	featuresV1      = 1
	featuresVersion = 2
)

// errFeatures means stored features do not decode.
var errFeatures = errors.New("story features do not decode")

// ErrFeaturesVersion means stored features were written by another
// version of the features: the article is left out of the window.
var ErrFeaturesVersion = errors.New("story features of another version")

// encode returns d's features in a compact binary form: the vector,
// the sketch of its shingles (delta-coded), the evidence keys and the
// terms counted in the document frequencies. The rest of the doc is
// the member's own fields.
func (d *doc) encode(distinct []uint32) []byte {
	b := make([]byte, 0, 16+len(d.terms)*8+len(d.sketch.h)*4+len(d.evidence)*8+len(distinct)*4)
	b = append(b, featuresVersion)
	b = binary.AppendUvarint(b, uint64(len(d.terms)))
	for _, t := range d.terms {
		b = binary.LittleEndian.AppendUint32(b, t.h)
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(t.w))
	}
	b = binary.LittleEndian.AppendUint32(b, d.sketch.max)
	b = binary.AppendUvarint(b, uint64(len(d.sketch.h)))
	prev := uint32(0)
	for _, h := range d.sketch.h {
		b = binary.AppendUvarint(b, uint64(h-prev))
		prev = h
	}
	b = binary.AppendUvarint(b, uint64(len(d.evidence)))
	for _, e := range d.evidence {
		b = binary.LittleEndian.AppendUint64(b, e)
	}
	return appendUint32s(b, distinct)
}

func appendUint32s(b []byte, v []uint32) []byte {
	b = binary.AppendUvarint(b, uint64(len(v)))
	for _, h := range v {
		b = binary.LittleEndian.AppendUint32(b, h)
	}
	return b
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

// decodeDoc rebuilds a doc from a stored member and its features,
// sorting in buf.
func decodeDoc(m *news.StoryMember, buf *[]uint32) (*doc, []uint32, error) {
	if len(m.Features) == 0 || m.Features[0] != featuresVersion && m.Features[0] != featuresV1 {
		return nil, nil, ErrFeaturesVersion
	}
	r := reader{b: m.Features[1:]}
	d := &doc{
		id: m.ArticleID, lang: m.Lang, fetched: m.Fetched.UnixNano(), at: m.Time().UnixNano(),
		dupOf: m.DuplicateOf, with: m.With, score: float32(m.Score),
	}
	d.terms = make([]term, r.count(8))
	for i := range d.terms {
		d.terms[i] = term{h: r.uint32(), w: math.Float32frombits(r.uint32())}
	}
	if m.Features[0] == featuresV1 {
		var sk sketch
		sk, d.evidence = decodeV1(&r, buf)
		d.setSketch(sk)
	} else {
		max := r.uint32()
		d.setSketch(sketch{h: r.deltas(), max: max})
		d.evidence = make([]uint64, r.count(8))
		for i := range d.evidence {
			d.evidence[i] = r.uint64()
		}
	}
	d.classes = classMask(d.evidence)
	distinct := r.uint32s()
	if r.bad || len(r.b) != 0 || !sortedTerms(d.terms) || !slices.IsSorted(d.sketch.h) || !slices.IsSorted(d.evidence) {
		return nil, nil, errFeatures
	}
	return d, distinct, nil
}

// decodeV1 reads the rest of version 1's features up to the distinct
// terms: the indexed terms (which the vector gives now), the shingles,
// all of them or the sixteenth below 1<<28, and the evidence as strings.
func decodeV1(r *reader, buf *[]uint32) (sketch, []uint64) {
	r.uint32s()
	fb := r.bytes(1)
	full := len(fb) == 1 && fb[0] == 1
	sh := r.deltas()
	sk := sketchIn(sh, buf)                // the caller copies it
	if !full && sk.max == math.MaxUint32 { // the whole sample: what lies below 1<<28
		sk.max = 1<<28 - 1
	}
	ev := make([]uint64, r.count(2))
	for i := range ev {
		ev[i] = evKey(cmp.Or(r.string(), "?"))
		r.string() // what people read: the member's evidence keeps it
	}
	slices.Sort(ev)
	return sk, slices.Compact(ev)
}

func (r *reader) uint64() uint64 {
	if len(r.b) < 8 {
		r.bad, r.b = true, nil
		return 0
	}
	v := binary.LittleEndian.Uint64(r.b)
	r.b = r.b[8:]
	return v
}

// deltas reads sorted values written as their differences.
func (r *reader) deltas() []uint32 {
	out := make([]uint32, r.count(1))
	prev := uint32(0)
	for i := range out {
		prev += uint32(r.uvarint())
		out[i] = prev
	}
	return out
}

func sortedTerms(ts []term) bool {
	return slices.IsSortedFunc(ts, func(x, y term) int { return cmp.Compare(x.h, y.h) })
}
