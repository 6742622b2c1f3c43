package story

import (
	"cmp"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestOrderedBits: packed weights sort as the weights do and unpack to
// the same weights, negative ones too (a term commoner than the window).
func TestOrderedBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	fs := []float32{0, -1, 1, math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, -math.SmallestNonzeroFloat32}
	for range 1000 {
		fs = append(fs, float32(rng.NormFloat64()*10))
	}
	for _, x := range fs {
		if got := fromOrderedBits(orderedBits(x)); got != x {
			t.Fatalf("fromOrderedBits(orderedBits(%v)) = %v", x, got)
		}
		for _, y := range fs[:50] {
			if got, want := cmp.Compare(orderedBits(x), orderedBits(y)), cmp.Compare(x, y); got != want {
				t.Fatalf("orderedBits(%v) against orderedBits(%v): %d, want %d", x, y, got, want)
			}
		}
	}
}

// TestSmallest: the k smallest, sorted, as a full sort gives them, with
// repeats among the values.
func TestSmallest(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for range 500 {
		n, k := rng.IntN(2000), 1+rng.IntN(300)
		ks := make([]uint64, n)
		for i := range ks {
			ks[i] = rng.Uint64N(uint64(1 + rng.IntN(3000)))
		}
		want := slices.Sorted(slices.Values(ks))[:min(k, n)]
		if got := smallest(ks, k); !slices.Equal(got, want) {
			t.Fatalf("smallest(%d of %d) = %v, want %v", k, n, got, want)
		}
	}
}
