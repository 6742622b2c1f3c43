package story

import (
	"math/rand/v2"
	"testing"
)

// TestCounts: document frequencies packed by day agree with counting
// what is left in the window, as days begin and leave.
func TestCounts(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	c := newCounts[uint64]()
	const keys = 500 // enough to grow the table, and move keys back as others leave
	type added struct {
		day int64
		k   uint64
	}
	var log []added
	day, cut := int64(20_000), int64(0)
	for step := range 3000 {
		if rng.IntN(200) == 0 {
			day += int64(1 + rng.IntN(2))
		}
		k := uint64(rng.IntN(keys))
		c.add(day, k)
		log = append(log, added{day, k})
		if step%97 == 0 {
			cut = max(cut, day-int64(rng.IntN(4))) // the window only moves on
			c.expire(cut)
			want := map[uint64]int32{}
			for _, a := range log {
				if a.day >= cut {
					want[a.k]++
				}
			}
			for k := range uint64(keys) {
				if got := c.get(k); got != want[k] {
					t.Fatalf("step %d, window from day %d: get(%d) = %d, want %d", step, cut, k, got, want[k])
				}
			}
		}
	}
}
