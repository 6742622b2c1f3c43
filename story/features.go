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

// doc is an article of the window: its features and its place.
type doc struct {
	seq                uint32 // position in the window
	id, lang, source   string
	title, url         string
	published, fetched time.Time
	at                 time.Time // published, else fetched: its time in the story
	topics             []string
	story, dupOf       string
	terms              []term     // sorted by hash, unit length
	index              []uint32   // the heaviest terms, indexed
	shingles           []uint32   // sorted
	full               bool       // shingles holds all, not the sample
	evidence           []evidence // sorted by key
	with               string
	score              float64
	reasons            []news.Evidence
	rawTF              map[uint32]int32 // term frequencies until weigh; then nil
	distinct           []uint32         // terms counted in the document frequencies, until encoded
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

// newDoc computes the features of a.
func newDoc(a *news.Article, now time.Time, sc *scratch) *doc {
	body := cmp.Or(a.Text, a.Summary)
	tf := analyse(a.Title, body, sc)
	d := &doc{
		id: a.ID, lang: a.Lang, source: a.Source, title: a.Title, url: a.URL,
		published: a.Published, fetched: cmp.Or(a.Fetched, now), at: articleTime(a, now),
		topics: slices.Clone(a.Topics), shingles: tf.shingles, full: tf.full,
	}
	d.evidence = evidenceOf(a, tf, sc)
	d.rawTF = tf.tf
	return d
}

// evidenceOf collects the language-independent evidence of a.
func evidenceOf(a *news.Article, tf textFeatures, sc *scratch) []evidence {
	f := facts{}
	extract(a.Title+"\n"+cmp.Or(a.Text, a.Summary), f, sc)
	dict().lookup(tf.normTitle, f, sc)
	dict().lookup(tf.normBody, f, sc)
	if img := imageKey(a.Image); img != "" {
		f.add("i:"+img, a.Image)
	}
	out := make([]evidence, 0, len(f))
	for k, v := range f {
		out = append(out, evidence{key: k, show: v})
	}
	slices.SortFunc(out, func(x, y evidence) int { return strings.Compare(x.key, y.key) })
	return out
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
func (d *doc) weigh(tf map[uint32]int32, idf func(uint32) float64, keys *[]uint64) {
	// Sort packed keys, heaviest first, then by hash: integers sort much
	// faster than structs through a comparison function.
	ks := (*keys)[:0]
	for h, n := range tf {
		ks = append(ks, uint64(^orderedBits(float32((1+math.Log(float64(n)))*idf(h))))<<32|uint64(h))
	}
	*keys = ks
	slices.Sort(ks)
	all := make([]term, min(len(ks), vectorTerms))
	for i := range all {
		all[i] = term{h: uint32(ks[i]), w: fromOrderedBits(^uint32(ks[i] >> 32))}
	}
	d.index = make([]uint32, 0, indexTerms)
	for _, t := range all[:min(len(all), indexTerms)] {
		d.index = append(d.index, t.h)
	}
	var norm float64
	for _, t := range all {
		norm += float64(t.w) * float64(t.w)
	}
	norm = math.Sqrt(norm)
	d.terms = all
	for i := range d.terms {
		if norm > 0 {
			d.terms[i].w = float32(float64(d.terms[i].w) / norm)
		}
	}
	slices.SortFunc(d.terms, func(x, y term) int { return cmp.Compare(x.h, y.h) })
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

// cosine of two unit vectors sorted by hash.
func cosine(a, b []term) float64 {
	var s float64
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i].h < b[j].h:
			i++
		case a[i].h > b[j].h:
			j++
		default:
			s += float64(a[i].w) * float64(b[j].w)
			i++
			j++
		}
	}
	return s
}
