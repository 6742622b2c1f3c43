package story

import "slices"

// counts are document frequencies over the window, of terms (uint32
// keys) or of evidence keys, in a hash table of their own: each slot
// holds a key, its count over the window and its count today, in one
// cache line. A day leaving the window is subtracted whole, without
// remembering every article's terms: each earlier day's own counts are
// packed when the next day begins, from the slots that counted today,
// and the table is read in sequence, not sorted.
type counts[K uint32 | uint64] struct {
	table  hashTable[K, dayCount]
	today  int64 // the day of the latest counts; 0 when there are none
	before []dayCounts[K]
}

// dayCount is a key's count over the window and today's; today <= total,
// and a key counted nowhere has no slot.
type dayCount struct{ total, today int32 }

// dayCounts are one earlier day's counts.
type dayCounts[K uint32 | uint64] struct {
	day  int64
	keys []K
	ns   []int32
}

func newCounts[K uint32 | uint64]() counts[K] { return counts[K]{table: newHashTable[K, dayCount]()} }

// add counts k once on day. A day before today (a clock set back) counts
// as today: it leaves the window a little late.
func (c *counts[K]) add(day int64, k K) {
	if day > c.today {
		c.close(day)
	}
	i := c.table.find(k)
	n := *c.table.at(i)
	c.table.put(i, k, dayCount{n.total + 1, n.today + 1})
}

func (c *counts[K]) get(k K) int32 { return c.table.get(k).total }

// close packs today's counts away and starts day.
func (c *counts[K]) close(day int64) {
	if c.table.used > 0 && c.today != 0 {
		d := dayCounts[K]{day: c.today}
		for i := range c.table.slots {
			if s := &c.table.slots[i]; s.v.today > 0 {
				d.keys, d.ns = append(d.keys, s.k), append(d.ns, s.v.today)
				s.v.today = 0
			}
		}
		d.keys, d.ns = slices.Clip(d.keys), slices.Clip(d.ns)
		c.before = append(c.before, d)
	}
	c.today = day
}

// expire subtracts the days before day.
func (c *counts[K]) expire(day int64) {
	if c.today != 0 && c.today < day { // every day left
		c.table.reset()
		c.before, c.today = nil, 0
		return
	}
	n := 0
	for n < len(c.before) && c.before[n].day < day {
		b := c.before[n]
		for j, k := range b.keys {
			i := c.table.find(k)
			if v := c.table.at(i); v.total-b.ns[j] <= 0 {
				c.table.remove(i)
			} else {
				v.total -= b.ns[j]
			}
		}
		c.before[n] = dayCounts[K]{}
		n++
	}
	c.before = c.before[n:]
}
