package story

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/newswatch/newswatch/topic"
)

// TestAtLeastDistinct: the set agrees with sorting on lists of few and
// many distinct values, repeats and zeros among them.
func TestAtLeastDistinct(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var sc scratch
	for round := range 200 {
		n := rng.IntN(600)
		span := uint32(1 + rng.IntN(400)) // few values: many repeats
		hs := make([]uint32, n)
		for i := range hs {
			hs[i] = rng.Uint32N(span) * uint32(1+round%3) * 0x01000193
		}
		distinct := len(slices.Compact(slices.Sorted(slices.Values(hs))))
		for _, k := range []int{1, fullShingles, 300} {
			if got, want := sc.atLeastDistinct(hs, k), distinct >= k; got != want {
				t.Fatalf("round %d: %d values, %d distinct: atLeastDistinct(%d) = %v, want %v", round, n, distinct, k, got, want)
			}
		}
	}
}

// TestNormWord: the lookup form of a word is the topic engine's.
func TestNormWord(t *testing.T) {
	for _, w := range []string{"November", "MILLION", "triệu", "миллионов", "مليون", "万", "Août", "bn"} {
		if got, want := string(normWord(nil, w)), topic.Normalize(w); got != want {
			t.Errorf("normWord(%q) = %q, want %q", w, got, want)
		}
	}
}
