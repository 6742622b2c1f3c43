package story

import (
	"math/rand/v2"
	"testing"
)

// TestTermCounts checks the table against a map, through growth and
// reuse: the same counts, and the terms in the order they first came.
func TestTermCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var tc termCounts
	for _, n := range []int{0, 10, 3000, 40, 20000} { // grows, then shrinks back
		tc.reset()
		want := map[uint32]int32{}
		var order []uint32
		for range n {
			h := rng.Uint32N(uint32(n/2 + 1)) // repeats; 0 among the terms
			w := int32(1 + rng.IntN(2))
			if want[h] == 0 {
				order = append(order, h)
			}
			want[h] += w
			tc.add(h, w)
		}
		if tc.len() != len(want) {
			t.Fatalf("%d words: %d terms, want %d", n, tc.len(), len(want))
		}
		for i, s := range tc.used {
			got := tc.slots[s]
			if got.h != order[i] || got.n != want[got.h] {
				t.Fatalf("%d words: term %d = %d×%d, want %d×%d", n, i, got.h, got.n, order[i], want[order[i]])
			}
		}
	}
}
