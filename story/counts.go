package story

import "slices"

// counts are document frequencies over the window, of terms (uint32
// keys) or of evidence keys, in a hash table of their own: each slot
// holds a key, its count over the window and its count today, in one
// cache line, where a map would look in a control word first and keep
// today's counts in another lookup. A day leaving the window is
// subtracted whole, without remembering every article's terms: each
// earlier day's own counts are packed when the next day begins, from the
// slots that counted today, and the table is read in sequence, not
// sorted.
type counts[K uint32 | uint64] struct {
	slots  []countSlot[K] // a power of two of them, at most 3/4 used
	used   int
	shift  uint8 // 64 minus log2(len(slots))
	today  int64 // the day of the latest counts; 0 when there are none
	before []dayCounts[K]
}

// countSlot is one key's counts; total 0 marks a free slot.
type countSlot[K uint32 | uint64] struct {
	k            K
	total, today int32
}

// dayCounts are one earlier day's counts.
type dayCounts[K uint32 | uint64] struct {
	day  int64
	keys []K
	ns   []int32
}

func newCounts[K uint32 | uint64]() counts[K] {
	return counts[K]{slots: make([]countSlot[K], 64), shift: 58}
}

func (c *counts[K]) home(k K) int { return int(uint64(k) * 0x9E3779B97F4A7C15 >> c.shift) }

// find returns the slot of k, or the free slot where it would go.
func (c *counts[K]) find(k K) int {
	mask := len(c.slots) - 1
	i := c.home(k)
	for c.slots[i].total != 0 && c.slots[i].k != k {
		i = (i + 1) & mask
	}
	return i
}

// add counts k once on day. A day before today (a clock set back) counts
// as today: it leaves the window a little late.
func (c *counts[K]) add(day int64, k K) {
	if day > c.today {
		c.close(day)
	}
	i := c.find(k)
	if c.slots[i].total == 0 {
		if 4*(c.used+1) > 3*len(c.slots) {
			c.grow()
			i = c.find(k)
		}
		c.slots[i].k = k
		c.used++
	}
	c.slots[i].total++
	c.slots[i].today++
}

func (c *counts[K]) get(k K) int32 { return c.slots[c.find(k)].total }

// grow doubles the table.
func (c *counts[K]) grow() {
	old := c.slots
	c.slots, c.shift = make([]countSlot[K], 2*len(old)), c.shift-1
	for _, s := range old {
		if s.total != 0 {
			c.slots[c.find(s.k)] = s
		}
	}
}

// close packs today's counts away and starts day.
func (c *counts[K]) close(day int64) {
	if c.used > 0 && c.today != 0 {
		d := dayCounts[K]{day: c.today}
		for i := range c.slots {
			if s := &c.slots[i]; s.today > 0 {
				d.keys, d.ns = append(d.keys, s.k), append(d.ns, s.today)
				s.today = 0
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
		clear(c.slots)
		c.used, c.before, c.today = 0, nil, 0
		return
	}
	n := 0
	for n < len(c.before) && c.before[n].day < day {
		b := c.before[n]
		for j, k := range b.keys {
			i := c.find(k)
			if c.slots[i].total -= b.ns[j]; c.slots[i].total <= 0 {
				c.remove(i)
			}
		}
		c.before[n] = dayCounts[K]{}
		n++
	}
	c.before = c.before[n:]
}

// remove frees slot i, moving back the keys after it that would no
// longer be found past the gap (deletion without tombstones).
func (c *counts[K]) remove(i int) {
	mask := len(c.slots) - 1
	c.used--
	for j := i; ; {
		c.slots[i] = countSlot[K]{}
		for {
			j = (j + 1) & mask
			if c.slots[j].total == 0 {
				return
			}
			// The key at j stays where it is if its home lies cyclically
			// in (i, j]; else it moves into the gap.
			h := c.home(c.slots[j].k)
			if i <= j && (i < h && h <= j) || i > j && (i < h || h <= j) {
				continue
			}
			c.slots[i] = c.slots[j]
			i = j
			break
		}
	}
}
