package story

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/newswatch/newswatch/news"
)

// Thresholds and weights of the decision, tuned on the development set in
// testdata (see dev_test.go).
const (
	// A pair in one language joins when cosine + evidenceWeight·E -
	// conflicts reaches sameLang.
	sameLang       = 0.40
	evidenceWeight = 0.12
	// A pair across languages joins when E - conflicts (plus half the
	// cosine of what their words share: names, acronyms, cognates)
	// reaches crossLang, from at least crossKinds kinds of evidence.
	crossLang  = 2.2
	crossKinds = 2
	// A near-duplicate shares dupShare of the smaller text's shingles,
	// and at least dupMin of them.
	dupShare = 0.7
	dupMin   = 8
	// candidates scored in full, of those the indexes find.
	maxCandidates = 60
	// A term or evidence key of more articles than this is too common
	// to look candidates up by (see postings).
	maxPostings = 1000
)

// kindWeights is what sharing one key of each kind is worth, before its
// rarity in the window, by the key's first byte: an array, since every
// shared key of every candidate looks it up.
var kindWeights = [256]float64{
	's': 3,   // a UN document symbol
	'i': 3,   // the same image
	'l': 2,   // the same outbound link
	'd': 1.2, // the same day of the year
	'n': 1.1, // the same number or amount
	'm': 1.2, // the same name
	'z': 1.2, // a name and its Chinese transliteration (see zhMix)
	'p': 1.0, // the same place (a country counts a third)
	'o': 0.7, // the same agency
	'y': 0.3, // the same year
}

// candidate is a scored pair of the new article and one of the window.
type candidate struct {
	doc     *doc
	score   float64
	dup     bool
	reasons []news.Evidence
}

// best returns the window's article whose story d should join, or none.
func (t *Tracker) best(d *doc) candidate {
	var best candidate
	cands, unindexed := t.candidates(d)
	for _, cd := range cands {
		// The dense meta decides many candidates in another language
		// without a load of their doc, a miss in a window of tens of
		// megabytes.
		i := cd.seq - t.base
		if m := t.meta[i]; m.lang != d.langID && m.lang != 0 && d.langID != 0 {
			if floor, copyOnly := best.bar(); crossHopeless(t.maxShared(d, t.langNames[m.lang-1], cd.evidence+unindexed), floor, copyOnly) {
				continue
			}
		}
		c := t.docs[i]
		score, dup, ok := t.pair(d, c, nil, cd.evidence+unindexed, &best)
		if !ok || !(best.doc == nil || score > best.score || dup && !best.dup) || best.dup && !dup {
			continue
		}
		// Only then its story's time (another load, which most
		// candidates, given up by pair, are spared).
		if s := c.open; s == nil || d.at < s.first-int64(t.window) || d.at > s.last+int64(t.window) {
			continue
		}
		best = candidate{doc: c, score: score, dup: dup}
	}
	if best.doc != nil { // the reasons of the winner only: most candidates fail
		t.pair(d, best.doc, &best.reasons, math.Inf(1), nil)
	}
	return best
}

// acc is what candidates sums of an article of the window: its score as
// a candidate, and what the evidence keys it was found by weigh.
type acc struct{ score, evidence float32 }

// found is an article of the window that the indexes found for a new
// one, with what the evidence keys that led to it weigh at most.
type found struct {
	seq      uint32
	evidence float64
}

// candidates returns the window's articles that share an indexed term or
// an evidence key with d, the most promising first, each with what the
// evidence keys it was found by weigh; and what d's evidence keys that
// find nothing (too common, or transliterations looked up from the
// Chinese side) weigh. The two sums bound what the pair's shared
// evidence can weigh (see Tracker.evidence).
func (t *Tracker) candidates(d *doc) ([]found, float64) {
	n := len(t.docs)
	if n == 0 {
		return nil, 0
	}
	if len(t.acc) < n {
		t.acc = make([]acc, n+n/4)
	}
	accs := t.acc[:n]
	t.touched = t.touched[:0]
	zh := isZh(d.lang)
	// add adds w to the score of every article in list l, and ew to its
	// evidence; z: only those in the other script.
	add := func(l plist, w, ew float32, z bool) {
		p := &t.post
		if i := l.ref.long(); i >= 0 {
			for _, seq := range p.long[i] {
				a := &accs[seq-t.base]
				if a.score == 0 {
					t.touched = append(t.touched, seq-t.base)
				}
				a.score += w
				a.evidence += ew
			}
			return
		}
		for e := uint32(l.ref); e > p.base; {
			en := p.ents[e-1-p.base]
			e = en.prev
			i := en.seq - t.base
			if z && t.meta[i].zh == zh {
				continue
			}
			a := &accs[i]
			if a.score == 0 {
				t.touched = append(t.touched, i)
			}
			a.score += w
			a.evidence += ew
		}
	}
	for _, h := range d.indexed(t.scratch.keys) {
		if l := t.post.lists.get(h); l.ref != saturated {
			add(l, d.weight(uint32(h)), 0, false)
		}
	}
	var unindexed float64
	for i, e := range d.evidence {
		rar := t.scratch.feat.rar[i]
		if evKind(e) != 'z' || zh {
			if l := t.post.lists.get(e); l.ref != saturated {
				add(l, float32(kindWeights[evKind(e)]*rar*0.1), float32(evWeight(e, rar)), evKind(e) == 'z')
				continue
			}
		}
		unindexed += evWeight(e, rar) // too common; or a transliteration, which a Chinese article finds the others by, not the reverse: its lists are short
	}
	// Most promising first: the highest score, then the oldest; packed
	// in integers, which sort much faster than through a comparison.
	ks := t.scratch.keys[:0]
	for _, i := range t.touched {
		ks = append(ks, uint64(^orderedBits(accs[i].score))<<32|uint64(i))
	}
	t.scratch.keys = ks
	out := t.found[:0]
	for _, k := range leastK(ks, maxCandidates) {
		i := uint32(k)
		// float32 sums of a few hundred weights: a margin for their rounding
		out = append(out, found{seq: i + t.base, evidence: float64(accs[i].evidence)*(1+1e-4) + 1e-6})
	}
	t.found = out
	for _, i := range t.touched {
		accs[i] = acc{}
	}
	return out, unindexed
}

// leastK returns the k smallest of ks, sorted, reusing ks: a bounded
// heap, so that the thousands of articles a common term touches cost
// about one comparison each (a selection such as smallest moves them
// several times).
func leastK(ks []uint64, k int) []uint64 {
	if len(ks) <= k {
		slices.Sort(ks)
		return ks
	}
	h := ks[:k] // a heap whose root is the largest of the k smallest so far
	for i := k/2 - 1; i >= 0; i-- {
		siftDown(h, i)
	}
	for _, x := range ks[k:] {
		if x < h[0] {
			h[0] = x
			siftDown(h, 0)
		}
	}
	slices.Sort(h)
	return h
}

// siftDown restores the heap below i: every parent larger than its
// children.
func siftDown(h []uint64, i int) {
	for {
		top, l, r := i, 2*i+1, 2*i+2
		if l < len(h) && h[l] > h[top] {
			top = l
		}
		if r < len(h) && h[r] > h[top] {
			top = r
		}
		if top == i {
			return
		}
		h[i], h[top] = h[top], h[i]
		i = top
	}
}

// pair scores new article d against c of the window. ok reports whether
// d may join c's story. With reasons non-nil it sets the evidence that
// explains a join; else it gives up when even maxE of shared evidence
// (or all of d's) could not make it, or could not make c beat the best
// candidate so far, over (nil: none).
func (t *Tracker) pair(d, c *doc, reasons *[]news.Evidence, maxE float64, over *candidate) (score float64, dup bool, ok bool) {
	same := d.lang == c.lang && d.lang != ""
	floor, copyOnly := math.Inf(-1), false
	if reasons == nil {
		maxE = t.maxShared(d, c.lang, maxE)
		floor, copyOnly = over.bar()
		if d.lang != c.lang && crossHopeless(maxE, floor, copyOnly) {
			return 0, false, false
		}
	}
	if share, n := t.scratch.probe.duplicate(d, c); n >= dupMin && share >= dupShare {
		if reasons != nil {
			*reasons = []news.Evidence{{Kind: news.EvidenceDuplicate, Value: strconv.FormatFloat(share, 'f', 2, 64)}}
		}
		return 10 + share, true, true
	}
	if copyOnly || reasons == nil && same && 1+1e-6+evidenceWeight*maxE < floor {
		return 0, false, false // a cosine is at most 1
	}
	cos := t.scratch.probe.cosine(d, c)
	if reasons == nil && (same && cos+evidenceWeight*maxE < max(sameLang, floor) || !same && maxE+cos/2 < max(crossLang, floor)) {
		return 0, false, false // even maxE of shared evidence could not make it: most candidates stop here
	}
	e, kinds, conflict := t.evidence(d, c, nil)
	if same {
		score = cos + evidenceWeight*e - conflict
		ok = score >= sameLang
	} else {
		score = e + cos/2 - conflict
		ok = score >= crossLang && kinds >= crossKinds
	}
	if ok && reasons != nil {
		var shared []news.Evidence
		t.evidence(d, c, &shared)
		*reasons = append([]news.Evidence{{Kind: news.EvidenceSimilarity, Value: strconv.FormatFloat(cos, 'f', 2, 64)}}, shared...)
	}
	return score, false, ok
}

// bar returns what a pair must beat to matter, when c is the best
// candidate so far (nil or without a doc: none): only a copy beats a
// copy, and a higher score the others; a pair must also reach the
// threshold of its kind.
func (c *candidate) bar() (floor float64, copyOnly bool) {
	if c == nil || c.doc == nil {
		return math.Inf(-1), false
	}
	return c.score, c.dup
}

// crossHopeless reports whether a pair across languages (no copy then)
// cannot matter with at most maxE of shared evidence: a cosine adds at
// most a half. Most such pairs are given up before the candidate's
// vector is read.
func crossHopeless(maxE, floor float64, copyOnly bool) bool {
	return copyOnly || maxE+0.5+1e-6 < max(crossLang, floor)
}

// maxShared bounds what d and c can share of evidence: all of d's (its
// transliterations only with a Chinese article and one in letters), and
// at most bound; with a margin for rounding.
func (t *Tracker) maxShared(d *doc, cLang string, bound float64) float64 {
	e := t.scratch.feat.evMax
	if zhMix(d.lang, cLang) {
		e += t.scratch.feat.evMaxZ
	}
	return min(e, bound) + 1e-9
}

// evidence sums what d and c share, weighted by kind and rarity, and
// what contradicts: other UN symbols, other days, other places (below
// the country), other years. With shared non-nil it sets the shared
// evidence, the weightiest first, at most 8.
func (t *Tracker) evidence(d, c *doc, shared *[]news.Evidence) (sum float64, kinds int, conflict float64) {
	var kindSeen [256]bool
	found := t.scratch.weighed[:0]
	ce := c.evidence
	mix := zhMix(d.lang, c.lang)
	// Where the transliterations cannot count, they are left out: they
	// sort last, and of no conflict class.
	stop := uint64(math.MaxUint64)
	if !mix {
		stop = uint64('z') << 56
	}
	p := &t.scratch.probe
	p.set(d)
	var both uint8 // the conflict classes of the shared keys (see classMask)
	for j := 0; j < len(ce) && ce[j] < stop; j++ {
		k := ce[j]
		i := p.evidence.find(k)
		if i < 0 {
			continue
		}
		both |= 1 << classOf(k)
		kind := evKind(k)
		if kind == 'z' {
			kind = 'm' // one name, in two scripts
		}
		w := evWeight(k, t.scratch.feat.rar[i])
		sum += w
		if w > 0.1 && !kindSeen[kind] && kind != 'y' {
			kindSeen[kind] = true
			kinds++
		}
		if shared != nil {
			found = append(found, weighed{news.Evidence{Kind: kindOf(k), Value: t.scratch.feat.shows[i]}, w})
		}
	}
	against := d.classes & c.classes &^ both
	for _, cp := range conflicts {
		if against&(1<<cp.class) != 0 {
			conflict += cp.penalty
		}
	}
	if shared != nil {
		slices.SortStableFunc(found, func(x, y weighed) int { return cmp.Compare(y.w, x.w) })
		for _, f := range found[:min(len(found), 8)] {
			*shared = append(*shared, f.ev)
		}
		clear(found) // the scratch keeps no article's strings
		t.scratch.weighed = found[:0]
	}
	return sum, kinds, conflict
}

// weighed is a piece of shared evidence and what it weighs.
type weighed struct {
	ev news.Evidence
	w  float64
}

// classMask returns the conflict classes of keys, a bit each: what
// evidence compares of two articles beyond the keys they share.
func classMask(keys []uint64) uint8 {
	const _ = uint8(1 << (numClasses - 1)) // the classes fit in the mask
	var m uint8
	for _, k := range keys {
		m |= 1 << classOf(k)
	}
	return m
}

// evWeight is what sharing key k of the given rarity weighs.
func evWeight(k uint64, rarity float64) float64 {
	w := kindWeights[evKind(k)] * rarity
	if evKind(k) == 'p' && !belowCountry(k) {
		w /= 3 // a country
	}
	return w
}

// Classes of evidence that contradict when both articles have some and
// share none, with the penalty. Every other kind is classNone.
const (
	classNone = iota
	classSymbol
	classDate
	classPlace // places below the country
	classYear
	classNumber // two reports of one event give the same counts
	numClasses
)

var conflicts = [...]struct {
	class   int
	penalty float64
}{{classSymbol, 2}, {classDate, 0.8}, {classPlace, 0.6}, {classYear, 0.4}, {classNumber, 0.6}}

// classOf returns the conflict class of a key.
func classOf(k uint64) int {
	switch evKind(k) {
	case 's':
		return classSymbol
	case 'd':
		return classDate
	case 'y':
		return classYear
	case 'n':
		return classNumber
	case 'p':
		if belowCountry(k) {
			return classPlace
		}
	}
	return classNone
}
