package story

import (
	"math/rand/v2"
	"testing"
)

// TestTable checks lookups in a probe table against the list it was
// built from, for keys it has and keys it lacks, at several sizes.
func TestTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	var tb table[uint64]
	for _, n := range []int{0, 1, 7, 64, 500} {
		keys := map[uint64]int{}
		var list []uint64
		for len(list) < n {
			k := rng.Uint64() >> rng.IntN(64) // small keys too, and 0
			if _, ok := keys[k]; !ok {
				keys[k] = len(list)
				list = append(list, k)
			}
		}
		tb.reset(len(list))
		for i, k := range list {
			tb.put(k, i)
		}
		for i, k := range list {
			if got := tb.find(k); got != i {
				t.Fatalf("%d keys: find(%d) = %d, want %d", n, k, got, i)
			}
		}
		for range 1000 {
			k := rng.Uint64() >> rng.IntN(64)
			want, ok := keys[k]
			if !ok {
				want = -1
			}
			if got := tb.find(k); got != want {
				t.Fatalf("%d keys: find(%d) = %d, want %d", n, k, got, want)
			}
		}
	}
}
