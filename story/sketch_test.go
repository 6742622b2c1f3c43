package story

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestSketchOf: a sketch holds the sketchSize smallest distinct hashes
// and says up to where it speaks for the set, or all of a small set.
func TestSketchOf(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var buf []uint32
	for round := range 300 {
		n := rng.IntN(3000)
		span := uint32(1 + rng.IntN(5000)) // few values: repeats
		hs := make([]uint32, n)
		for i := range hs {
			hs[i] = rng.Uint32N(span) * 858_993 // spread over the hash space
		}
		distinct := slices.Compact(slices.Sorted(slices.Values(hs)))
		sk := sketchOf(hs, &buf)
		if len(distinct) < sketchSize {
			if !slices.Equal(sk.h, distinct) || sk.max != math.MaxUint32 {
				t.Fatalf("round %d: sketchOf(%d distinct) = %d hashes up to %d, want all of them up to MaxUint32", round, len(distinct), len(sk.h), sk.max)
			}
			continue
		}
		if want := distinct[:sketchSize]; !slices.Equal(sk.h, want) || sk.max != want[sketchSize-1] {
			t.Fatalf("round %d: sketchOf(%d distinct) = %v up to %d, want the %d smallest", round, len(distinct), sk.h, sk.max, sketchSize)
		}
	}
}

// TestDuplicateShare: the share of the smaller text that the other holds,
// estimated from two sketches, is near the true share, for texts of
// different lengths (a copy with a cut body).
func TestDuplicateShare(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	var buf []uint32
	for _, tc := range []struct {
		name         string
		a, b, shared int
	}{
		{"same text", 2000, 2000, 2000},
		{"a third cut", 3000, 1000, 1000},
		{"lightly edited", 2000, 2000, 1800},
		{"other texts", 2000, 2500, 100},
		{"short texts", 40, 50, 40},
	} {
		common := randHashes(rng, tc.shared)
		a := append(randHashes(rng, tc.a-tc.shared), common...)
		b := append(randHashes(rng, tc.b-tc.shared), common...)
		da := &doc{lang: "en", sketch: sketchOf(a, &buf)}
		db := &doc{lang: "en", sketch: sketchOf(b, &buf)}
		got, n := (&probe{}).duplicate(da, db)
		want := float64(tc.shared) / float64(min(tc.a, tc.b))
		if want >= dupShare && (n < dupMin || math.Abs(got-want) > 0.2) {
			t.Errorf("%s: duplicate() = %.2f of %d, want about %.2f", tc.name, got, n, want)
		}
		if want < dupShare/2 && got >= dupShare {
			t.Errorf("%s: duplicate() = %.2f of %d, want below %.2f", tc.name, got, n, dupShare)
		}
	}
}

func randHashes(rng *rand.Rand, n int) []uint32 {
	out := make([]uint32, n)
	for i := range out {
		out[i] = rng.Uint32()
	}
	return out
}
