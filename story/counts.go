package story

// counts are document frequencies over the window, kept per day of
// fetching so that a day leaving the window is subtracted whole, without
// remembering every article's terms.
type counts[K comparable] struct {
	total map[K]int32
	days  map[int64]map[K]int32
}

func newCounts[K comparable]() counts[K] {
	return counts[K]{total: map[K]int32{}, days: map[int64]map[K]int32{}}
}

func (c *counts[K]) add(day int64, k K) {
	m := c.days[day]
	if m == nil {
		m = map[K]int32{}
		c.days[day] = m
	}
	m[k]++
	c.total[k]++
}

func (c *counts[K]) get(k K) int32 { return c.total[k] }

// expire subtracts the days before day.
func (c *counts[K]) expire(day int64) {
	for d, m := range c.days {
		if d >= day {
			continue
		}
		for k, n := range m {
			if c.total[k] -= n; c.total[k] <= 0 {
				delete(c.total, k)
			}
		}
		delete(c.days, d)
	}
}
