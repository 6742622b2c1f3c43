package story

import (
	"math/rand/v2"
	"testing"
)

// TestHashTable: a table that keys come into and leave at random agrees
// with a map, through growth and the keys moved back on removal
// (including around the end of the slots).
func TestHashTable(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	tab := newHashTable[uint32, int32]()
	want := map[uint32]int32{}
	for step := range 20_000 {
		k := uint32(rng.IntN(3000))
		i := tab.find(k)
		if v := *tab.at(i); rng.IntN(3) == 0 {
			if v != 0 {
				tab.remove(i)
				delete(want, k)
			}
		} else {
			tab.put(i, k, v+1)
			want[k]++
		}
		if step%1000 == 0 || step == 19_999 {
			for k := range uint32(3000) {
				if got := tab.get(k); got != want[k] {
					t.Fatalf("step %d: get(%d) = %d, want %d", step, k, got, want[k])
				}
			}
			if tab.used != len(want) {
				t.Fatalf("step %d: %d keys used, want %d", step, tab.used, len(want))
			}
		}
	}
}
