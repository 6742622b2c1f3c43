package story

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestPostings: lists, chained or long, hold the articles of the window
// that have each feature, as articles come and leave in order.
func TestPostings(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	p := newPostings()
	feats := map[uint32][]uint64{} // seq -> its features
	base := uint32(0)
	for seq := range uint32(5000) {
		var fs []uint64
		for f := range uint64(60) {
			if rng.IntN(int(f)+2) == 0 { // feature f in about 1 in f+2 articles
				fs = append(fs, f)
			}
		}
		feats[seq] = fs
		for _, f := range fs {
			p.add(f, seq)
		}
		for seq-base >= 300 || rng.IntN(3) == 0 && base < seq { // the window moves on
			for _, f := range feats[base] {
				p.remove(f, base)
			}
			delete(feats, base)
			base++
			p.drop(base)
		}
		if seq%50 != 0 {
			continue
		}
		for f := range uint64(60) {
			var want []uint32
			for s := base; s <= seq; s++ {
				if slices.Contains(feats[s], f) {
					want = append(want, s)
				}
			}
			got := p.list(f, nil)
			slices.Sort(got)
			if !slices.Equal(got, want) || p.len(f) != len(want) {
				t.Fatalf("after article %d, window from %d: feature %d lists %v (len %d), want %v", seq, base, f, got, p.len(f), want)
			}
		}
	}
}

// TestPostingsCommon: a feature of more than maxPostings articles is
// only counted, until it leaves the window; then it is listed again.
func TestPostingsCommon(t *testing.T) {
	p := newPostings()
	for seq := range uint32(maxPostings + 1) {
		p.add(7, seq)
		p.add(8, seq)
	}
	if !p.common(7) || len(p.list(7, nil)) != 0 || p.len(7) != maxPostings+1 {
		t.Fatalf("after %d articles: common %v, listed %d, len %d; want common, none listed, len %d", maxPostings+1, p.common(7), len(p.list(7, nil)), p.len(7), maxPostings+1)
	}
	for seq := range uint32(maxPostings + 1) {
		p.remove(7, seq)
	}
	p.add(7, maxPostings+1)
	if p.common(7) || !slices.Equal(p.list(7, nil), []uint32{maxPostings + 1}) {
		t.Errorf("feature back in the window: common %v, listed %v; want its one article listed", p.common(7), p.list(7, nil))
	}
}

// TestLeastK: the k smallest, sorted, as a full sort gives them, with
// repeats among the values, for lists shorter and longer than k.
func TestLeastK(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for range 500 {
		n, k := rng.IntN(2000), 1+rng.IntN(300)
		ks := make([]uint64, n)
		for i := range ks {
			ks[i] = rng.Uint64N(uint64(1 + rng.IntN(3000)))
		}
		want := slices.Sorted(slices.Values(ks))[:min(k, n)]
		if got := leastK(ks, k); !slices.Equal(got, want) {
			t.Fatalf("leastK(%d of %d) = %v, want %v", k, n, got, want)
		}
	}
}
