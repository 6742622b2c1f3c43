package story

import (
	"cmp"
	"math"
	"math/rand/v2"
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
