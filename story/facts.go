package story

import (
	"slices"
	"strconv"
	"sync"
)

// facts collects the evidence of an article as it is found: each key
// hashed at once (see evKey) from bytes built in a buffer, never a
// string of its own, with what people read of it, which is cut from the
// text or a table wherever it can be. Only the winning pair's evidence is
// ever read (see Tracker.evidence), so the shows cost nothing until then.
type facts struct {
	list  []fact  // the distinct keys, in the order found
	slots []int32 // a hash set of list's keys: the number of their fact plus one, or 0
	key   []byte  // the key being built: kind, ':', value
	arena []byte  // shows made up rather than cut from the text (numbers)
	// names, when not nil, records the string of every key: for tests.
	names map[uint64]string

	// buffers of the name finders (see names)
	latin, skel, whole, parts []byte
	ends                      []int
}

// fact is one piece of evidence: its key and what people read of it,
// either show or, when to > 0, arena[from:to].
type fact struct {
	key      uint64
	show     string
	from, to int32
}

// reset empties f for the next article.
func (f *facts) reset() {
	f.list, f.arena = f.list[:0], f.arena[:0]
	clear(f.slots)
}

// push adds ft unless a fact of its key is there already (the first found
// is shown), and reports whether it did.
func (f *facts) push(ft fact) bool {
	if 2*len(f.list) >= len(f.slots) {
		f.grow()
	}
	i := f.slot(ft.key)
	if f.slots[i] != 0 {
		return false
	}
	f.list = append(f.list, ft)
	f.slots[i] = int32(len(f.list))
	return true
}

// slot returns where key k is in the set, or where it would go.
func (f *facts) slot(k uint64) int {
	mask := len(f.slots) - 1
	i := int(k) & mask // the hash's low bits: the kind is in the top ones
	for f.slots[i] != 0 && f.list[f.slots[i]-1].key != k {
		i = (i + 1) & mask
	}
	return i
}

// grow doubles the set.
func (f *facts) grow() {
	f.slots = make([]int32, max(256, 2*len(f.slots)))
	for n, ft := range f.list {
		f.slots[f.slot(ft.key)] = int32(n + 1)
	}
}

// begin starts a key of the given kind in f.key.
func (f *facts) begin(kind byte) {
	f.key = append(f.key[:0], kind, ':')
}

// addKey adds the key built in f.key, shown as show.
func (f *facts) addKey(show string) {
	f.push(fact{key: f.record(f.key), show: show})
}

// add adds the key kind ':' value, shown as show.
func (f *facts) add(kind byte, value, show string) {
	f.begin(kind)
	f.key = append(f.key, value...)
	f.addKey(show)
}

// addEntry adds a key whose hash is known (a dictionary's or a table's).
func (f *facts) addEntry(e entry) {
	if f.names != nil {
		f.names[e.k] = e.key
	}
	f.push(fact{key: e.k, show: e.show})
}

// addMadeUp adds the key built in f.key, shown as its value, which is
// kept in the arena.
func (f *facts) addMadeUp() {
	from := len(f.arena)
	f.arena = append(f.arena, f.key[2:]...)
	if !f.push(fact{key: f.record(f.key), from: int32(from), to: int32(len(f.arena))}) {
		f.arena = f.arena[:from]
	}
}

func (f *facts) record(k []byte) uint64 {
	h := evKey(k)
	if f.names != nil {
		f.names[h] = string(k)
	}
	return h
}

// keys returns the keys, sorted, and appends what people read of each
// to shows.
func (f *facts) keys(shows []string) ([]uint64, []string) {
	out := make([]uint64, len(f.list))
	for i, ft := range f.list {
		out[i] = ft.key
	}
	slices.Sort(out)
	arena := string(f.arena)
	for _, k := range out {
		ft := f.list[f.slots[f.slot(k)]-1]
		if ft.to > 0 {
			ft.show = arena[ft.from:ft.to]
		}
		shows = append(shows, ft.show)
	}
	return out, shows
}

// has reports whether f holds the key k (a test's question).
func (f *facts) has(k string) bool {
	h := evKey(k)
	return slices.ContainsFunc(f.list, func(ft fact) bool { return ft.key == h })
}

// dateEntries and yearEntries are the keys of every day of the year and
// of the years evidence counts, made once.
var (
	dateEntries = sync.OnceValue(func() *[13][32]entry {
		var t [13][32]entry
		for m := 1; m <= 12; m++ {
			for d := 0; d <= 31; d++ {
				v := pad2(m) + "-" + pad2(d)
				t[m][d] = newEntry("d:"+v, v)
			}
		}
		return &t
	})
	yearEntries = sync.OnceValue(func() []entry {
		t := make([]entry, maxYear-minYear+1)
		for y := range t {
			v := strconv.Itoa(minYear + y)
			t[y] = newEntry("y:"+v, v)
		}
		return t
	})
)

// The years that year evidence counts.
const minYear, maxYear = 1900, 2100

func newEntry(key, show string) entry { return entry{key: key, show: show, k: evKey(key)} }

func pad2(n int) string {
	if n < 10 {
		return "0" + strconv.Itoa(n)
	}
	return strconv.Itoa(n)
}
