package story

import (
	"cmp"
	"math"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/newswatch/newswatch/news"
)

// Sizes of an article's term vector: the terms kept for similarity, and
// those of them indexed and queried to find candidates.
const (
	vectorTerms = 40
	indexTerms  = 12
)

// term is one weighted term of a vector.
type term struct {
	h uint32
	w float32
}

// doc is an article of the window, kept compact: what scoring, the
// indexes and expiry need, a few hundred bytes and no maps. What only
// the article's own membership needs (title, URL, the evidence as
// people read it) stays with the article and the member the store
// keeps.
type doc struct {
	// What scoring reads of every candidate first, in its first two
	// cache lines.
	lang     string
	terms    []term   // sorted by hash, unit length
	sketch   sketch   // of the body's shingles
	evidence []uint64 // keys (see evKey), sorted
	classes  uint8    // the conflict classes of evidence (see classMask)
	langID   uint16   // see Tracker.intern

	id, dupOf   string
	with        string // the article whose story it joined
	fetched, at int64  // Unix nanoseconds; at: published, else fetched, its time in the story
	seq         uint32 // position in the window
	score       float32
	open        *open // its story (and its id), once in the window
}

// features is what Assign computes of a new article beyond its doc,
// valid until the next Assign: the evidence as people read it, and the
// terms counted in the document frequencies.
type features struct {
	shows    []string // by index of doc.evidence
	distinct []uint32
	rar      []float64 // rarity of doc.evidence, by index
	evMax    float64   // what sharing all of doc.evidence but the transliterations would weigh
	evMaxZ   float64   // and what its transliterations would add (see zhMix)
}

// articleTime is the time of a in its story: published if known and not
// after it was fetched (with an hour of clock skew), else fetched.
func articleTime(a *news.Article, now time.Time) time.Time {
	fetched := cmp.Or(a.Fetched, now)
	if a.Published.IsZero() || a.Published.After(fetched.Add(time.Hour)) {
		return fetched
	}
	return a.Published
}

// newDoc computes the features of a; the term frequencies are left in
// sc.tf for weigh.
func newDoc(a *news.Article, now time.Time, sc *scratch) *doc {
	tf := analyse(a, sc)
	d := &doc{id: a.ID, lang: a.Lang, fetched: cmp.Or(a.Fetched, now).UnixNano(), at: articleTime(a, now).UnixNano()}
	d.setSketch(tf.sketch)
	d.evidence = evidenceOf(a, tf, sc)
	d.classes = classMask(d.evidence)
	return d
}

// evidenceOf collects the language-independent evidence of a: its keys,
// sorted, and what people read of each in sc.feat.shows.
func evidenceOf(a *news.Article, tf textFeatures, sc *scratch) []uint64 {
	f := &sc.facts
	f.reset()
	sc.side = sideOf(a.Lang)
	extract(a.Title, f, sc) // apart: no copy of the text, and nothing read across the two
	extract(cmp.Or(a.Text, a.Summary), f, sc)
	dict().lookup(&sc.title, f, sc)
	dict().lookup(&sc.body, f, sc)
	if img := imageKey(a.Image); img != "" {
		f.add('i', img, a.Image)
	}
	var keys []uint64
	keys, sc.feat.shows = f.keys(sc.feat.shows[:0])
	return keys
}

// setSketch makes d's sketch a copy of s, of its own size: an article
// of a few lines has a sketch of a few hashes.
func (d *doc) setSketch(s sketch) {
	d.sketch = sketch{h: slices.Clone(s.h), max: s.max}
}

// imageKey identifies an image by host and path: resized copies that
// differ in their query still compare equal.
func imageKey(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" || p.Path == "" || p.Path == "/" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(p.Host), "www.") + p.Path
}

// weigh turns term frequencies into the doc's vector, weighting each term
// by tf·idf with the window's document frequencies, and picks the terms
// to index.
func (d *doc) weigh(tf *termCounts, idf func(uint32) float64, keys *[]uint64) {
	// Sort packed keys, heaviest first, then by hash: integers sort much
	// faster than structs through a comparison function.
	ks := (*keys)[:0]
	for _, i := range tf.used {
		s := tf.slots[i]
		ks = append(ks, uint64(^orderedBits(float32(tfWeight(s.n)*idf(s.h))))<<32|uint64(s.h))
	}
	*keys = ks
	ks = leastK(ks, vectorTerms)
	all := make([]term, len(ks))
	for i := range all {
		all[i] = term{h: uint32(ks[i]), w: fromOrderedBits(^uint32(ks[i] >> 32))}
	}
	var norm float64
	for _, t := range all {
		norm += float64(t.w) * float64(t.w)
	}
	norm = math.Sqrt(norm)
	// By hash, through packed integers again (the hashes are distinct).
	ks = ks[:0]
	for _, t := range all {
		w := t.w
		if norm > 0 {
			w = float32(float64(w) / norm)
		}
		ks = append(ks, uint64(t.h)<<32|uint64(math.Float32bits(w)))
	}
	slices.Sort(ks)
	for i, k := range ks {
		all[i] = term{h: uint32(k >> 32), w: math.Float32frombits(uint32(k))}
	}
	d.terms = all
}

// tfWeight is the weight of a term counted n times: 1 + ln n, from a
// table for the small counts of nearly every term.
func tfWeight(n int32) float64 {
	if n > 0 && int(n) < len(tfWeights) {
		return tfWeights[n]
	}
	return 1 + math.Log(float64(n))
}

var tfWeights = func() (t [64]float64) {
	for n := 1; n < len(t); n++ {
		t[n] = 1 + math.Log(float64(n))
	}
	return t
}()

// indexed returns the terms of d's vector that the index holds: the
// indexTerms heaviest, heaviest first, then by hash, in buf.
func (d *doc) indexed(buf []uint64) []uint64 {
	ks := buf[:0]
	for _, t := range d.terms {
		ks = append(ks, uint64(^orderedBits(t.w))<<32|uint64(t.h))
	}
	slices.Sort(ks)
	ks = ks[:min(len(ks), indexTerms)]
	for i, k := range ks {
		ks[i] = uint64(uint32(k))
	}
	return ks
}

// weight returns the weight of term h in d's vector, 0 if it has none.
func (d *doc) weight(h uint32) float32 {
	if i, ok := slices.BinarySearchFunc(d.terms, h, func(t term, h uint32) int { return cmp.Compare(t.h, h) }); ok {
		return d.terms[i].w
	}
	return 0
}

// orderedBits maps a float32 to a uint32 in the same order (-0 before
// +0; the weights are never NaN).
func orderedBits(f float32) uint32 {
	b := math.Float32bits(f)
	if b>>31 != 0 {
		return ^b
	}
	return b | 1<<31
}

func fromOrderedBits(b uint32) float32 {
	if b>>31 != 0 {
		return math.Float32frombits(b &^ (1 << 31))
	}
	return math.Float32frombits(^b)
}
