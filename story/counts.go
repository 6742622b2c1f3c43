package story

import (
	"maps"
	"slices"
)

// counts are document frequencies over the window, of terms (uint32
// keys: half the bytes of a map slot) or of evidence keys. A day leaving the window is subtracted whole, without
// remembering every article's terms: the total is one map, and each
// earlier day's own counts are packed, sorted, when the next day begins
// (today's are the total less the earlier days').
type counts[K uint32 | uint64] struct {
	total  map[K]int32
	today  int64 // the day of the latest counts; 0 when there are none
	before []dayCounts[K]
}

// dayCounts are one earlier day's counts, sorted by key.
type dayCounts[K uint32 | uint64] struct {
	day  int64
	keys []K
	ns   []int32
}

func newCounts[K uint32 | uint64]() counts[K] { return counts[K]{total: map[K]int32{}} }

// add counts k once on day. A day before today (a clock set back) counts
// as today: it leaves the window a little late.
func (c *counts[K]) add(day int64, k K) {
	if day > c.today {
		c.close(day)
	}
	c.total[k]++
}

func (c *counts[K]) get(k K) int32 { return c.total[k] }

// close packs today's counts away and starts day.
func (c *counts[K]) close(day int64) {
	if len(c.total) > 0 && c.today != 0 {
		keys := slices.Sorted(maps.Keys(c.total))
		ns := make([]int32, len(keys))
		for i, k := range keys {
			ns[i] = c.total[k]
		}
		for _, b := range c.before { // less what earlier days counted
			i := 0
			for j, k := range b.keys {
				for i < len(keys) && keys[i] < k {
					i++
				}
				if i < len(keys) && keys[i] == k {
					ns[i] -= b.ns[j]
				}
			}
		}
		d := dayCounts[K]{day: c.today}
		for i, k := range keys {
			if ns[i] > 0 {
				d.keys, d.ns = append(d.keys, k), append(d.ns, ns[i])
			}
		}
		c.before = append(c.before, d)
	}
	c.today = day
}

// expire subtracts the days before day.
func (c *counts[K]) expire(day int64) {
	if c.today != 0 && c.today < day { // every day left
		clear(c.total)
		c.before, c.today = nil, 0
		return
	}
	n := 0
	for n < len(c.before) && c.before[n].day < day {
		b := c.before[n]
		for j, k := range b.keys {
			if c.total[k] -= b.ns[j]; c.total[k] <= 0 {
				delete(c.total, k)
			}
		}
		c.before[n] = dayCounts[K]{}
		n++
	}
	c.before = c.before[n:]
}
