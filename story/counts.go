package story

import (
	"cmp"
	"encoding/binary"
	"slices"
)

// counts are document frequencies over the window, of terms (uint32
// keys) or of evidence keys, in a hash table of their own: each slot
// holds a key, its count over the window and its count today, in one
// cache line. A day leaving the window is subtracted whole, without
// remembering every article's terms: each earlier day's own counts are
// packed when the next day begins, from the slots that counted today,
// and the table is read in sequence. A packed day is its keys in
// ascending order, each as the uvarint of its distance from the one
// before, then its count: about 4 bytes a key where a key and an int32
// take 8 or 12, for the tens of thousands of distinct terms of each day.
type counts[K uint32 | uint64] struct {
	table  hashTable[K, dayCount]
	today  int64 // the day of the latest counts; 0 when there are none
	before []dayCounts
}

// dayCount is a key's count over the window and today's; today <= total,
// and a key counted nowhere has no slot.
type dayCount struct{ total, today int32 }

// dayCounts are one earlier day's counts, packed.
type dayCounts struct {
	day    int64
	packed []byte
}

// keyCount is a key and its count, while a day is packed.
type keyCount[K uint32 | uint64] struct {
	k K
	n int32
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
		var counted []keyCount[K]
		for i := range c.table.slots {
			if s := &c.table.slots[i]; s.v.today > 0 {
				counted = append(counted, keyCount[K]{s.k, s.v.today})
				s.v.today = 0
			}
		}
		c.before = append(c.before, dayCounts{day: c.today, packed: pack(counted)})
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
		for b, k := c.before[n].packed, K(0); len(b) > 0; {
			var kn keyCount[K]
			kn, b = unpack(b, k)
			k = kn.k
			i := c.table.find(k)
			if v := c.table.at(i); v.total-kn.n <= 0 {
				c.table.remove(i)
			} else {
				v.total -= kn.n
			}
		}
		c.before[n] = dayCounts{}
		n++
	}
	c.before = c.before[n:]
}

// pack sorts a day's counts by key and packs them (see counts).
func pack[K uint32 | uint64](day []keyCount[K]) []byte {
	slices.SortFunc(day, func(x, y keyCount[K]) int { return cmp.Compare(x.k, y.k) })
	out := make([]byte, 0, 4*len(day))
	prev := K(0)
	for _, kn := range day {
		out = binary.AppendUvarint(out, uint64(kn.k-prev))
		out = binary.AppendUvarint(out, uint64(kn.n))
		prev = kn.k
	}
	return slices.Clone(out) // of its own size: append leaves up to twice the room
}

// unpack reads the key after prev, and its count, from b, and returns
// the rest of b.
func unpack[K uint32 | uint64](b []byte, prev K) (keyCount[K], []byte) {
	d, i := binary.Uvarint(b)
	n, j := binary.Uvarint(b[i:])
	return keyCount[K]{prev + K(d), int32(n)}, b[i+j:]
}
