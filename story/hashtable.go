package story

// hashTable maps keys that are hashes already (term hashes, evidence
// keys) to small values, in one slice of slots probed in sequence: a
// lookup reads one cache line where a map reads a control word, then
// the slot. The window's document frequencies and posting lists have
// millions of keys at 100,000 articles, and every article looks up a
// few hundred of them. The zero value marks a free slot: a key whose
// value becomes zero must be removed.
type hashTable[K uint32 | uint64, V comparable] struct {
	slots []tableSlot[K, V] // a power of two of them, at most 3/4 used
	used  int
	shift uint8 // 64 minus log2(len(slots))
}

type tableSlot[K uint32 | uint64, V comparable] struct {
	k K
	v V
}

func newHashTable[K uint32 | uint64, V comparable]() hashTable[K, V] {
	return hashTable[K, V]{slots: make([]tableSlot[K, V], 64), shift: 58}
}

func (t *hashTable[K, V]) home(k K) int { return int(uint64(k) * 0x9E3779B97F4A7C15 >> t.shift) }

// find returns the slot of k, or the free slot where it would go.
func (t *hashTable[K, V]) find(k K) int {
	var free V
	mask := len(t.slots) - 1
	i := t.home(k)
	for t.slots[i].v != free && t.slots[i].k != k {
		i = (i + 1) & mask
	}
	return i
}

// get returns the value of k, zero if it has none.
func (t *hashTable[K, V]) get(k K) V { return t.slots[t.find(k)].v }

// at returns the value in slot i, found by find: k's, or zero.
func (t *hashTable[K, V]) at(i int) *V { return &t.slots[i].v }

// put sets the value of k, found by find in slot i, to v, which is not
// zero, and returns the slot k is in now (the table may have grown).
func (t *hashTable[K, V]) put(i int, k K, v V) int {
	var free V
	if t.slots[i].v == free {
		if 4*(t.used+1) > 3*len(t.slots) {
			t.grow()
			i = t.find(k)
		}
		t.used++
	}
	t.slots[i] = tableSlot[K, V]{k, v}
	return i
}

// grow doubles the table.
func (t *hashTable[K, V]) grow() {
	var free V
	old := t.slots
	t.slots, t.shift = make([]tableSlot[K, V], 2*len(old)), t.shift-1
	for _, s := range old {
		if s.v != free {
			t.slots[t.find(s.k)] = s
		}
	}
}

// remove frees slot i, moving back the keys after it that would no
// longer be found past the gap (deletion without tombstones).
func (t *hashTable[K, V]) remove(i int) {
	var free V
	mask := len(t.slots) - 1
	t.used--
	for j := i; ; {
		t.slots[i] = tableSlot[K, V]{}
		for {
			j = (j + 1) & mask
			if t.slots[j].v == free {
				return
			}
			// The key at j stays where it is if its home lies cyclically
			// in (i, j]; else it moves into the gap.
			h := t.home(t.slots[j].k)
			if i <= j && (i < h && h <= j) || i > j && (i < h || h <= j) {
				continue
			}
			t.slots[i] = t.slots[j]
			i = j
			break
		}
	}
}

// reset empties the table.
func (t *hashTable[K, V]) reset() {
	clear(t.slots)
	t.used = 0
}
