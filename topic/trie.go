package topic

import "slices"

// trie is a deterministic automaton over the bytes of the normalised keys,
// run anchored at the positions where a term may start (word starts, Han
// characters, after Arabic proclitics). Anchored runs need no failure
// links: a run stops at the first byte no key continues with and reports
// every key that ends on the way, so a key and its prefixes are found in
// one walk. (coregx's Aho-Corasick automaton, anchored with FindAt, keeps
// following failure links until it is back at its start state and reports
// only the longest key; this automaton measured about 8% faster over whole
// articles.)
//
// Most states have one or two successors (the middle of a key), so a state
// keeps its transitions as a short sorted edge list; only states with many
// successors (the root, word starts) get a dense row indexed by byte
// class. A vocabulary of thousands of terms in seven scripts then takes a
// few hundred kilobytes instead of a table of states by classes of tens of
// megabytes, which no cache holds.
type trie struct {
	class  [256]uint16 // byte -> class in dense rows; 0 for bytes in no key
	stride int         // number of classes
	dense  []uint32    // row*stride + class -> state; 0 is the dead state
	row    []int32     // state -> its dense row, or -1
	edge   []uint32    // state -> its first edge; edges of s are edge[s]:edge[s+1]
	on     []byte      // edge -> the byte it reads
	to     []uint32    // edge -> the state it leads to
	key    []int32     // state -> the key ending there, or -1
}

// trieRoot is the start state.
const trieRoot = 1

// denseFrom is the number of successors from which a state gets a dense row.
const denseFrom = 6

// next returns the state after reading c in state s, or 0.
func (t *trie) next(s int, c byte) int {
	if r := t.row[s]; r >= 0 {
		return int(t.dense[int(r)*t.stride+int(t.class[c])])
	}
	for e := t.edge[s]; e < t.edge[s+1]; e++ {
		if b := t.on[e]; b >= c {
			if b == c {
				return int(t.to[e])
			}
			return 0
		}
	}
	return 0
}

// newTrie builds the automaton of keys; key i is reported as i.
func newTrie(keys []string) *trie {
	type edge struct {
		on byte
		to uint32
	}
	kids := [][]edge{nil, nil} // dead state, root
	t := &trie{stride: 1, key: []int32{-1, -1}}
	for ki, k := range keys {
		s := trieRoot
		for i := range len(k) {
			if t.class[k[i]] == 0 {
				t.class[k[i]] = uint16(t.stride)
				t.stride++
			}
			j := slices.IndexFunc(kids[s], func(e edge) bool { return e.on == k[i] })
			if j < 0 {
				kids[s] = append(kids[s], edge{k[i], uint32(len(kids))})
				kids = append(kids, nil)
				t.key = append(t.key, -1)
				j = len(kids[s]) - 1
			}
			s = int(kids[s][j].to)
		}
		t.key[s] = int32(ki)
	}
	t.row = make([]int32, len(kids))
	t.edge = make([]uint32, len(kids)+1)
	for s, es := range kids {
		t.row[s] = -1
		t.edge[s] = uint32(len(t.on))
		if len(es) >= denseFrom {
			t.row[s] = int32(len(t.dense) / t.stride)
			row := make([]uint32, t.stride)
			for _, e := range es {
				row[t.class[e.on]] = e.to
			}
			t.dense = append(t.dense, row...)
			continue
		}
		slices.SortFunc(es, func(a, b edge) int { return int(a.on) - int(b.on) })
		for _, e := range es {
			t.on = append(t.on, e.on)
			t.to = append(t.to, e.to)
		}
	}
	t.edge[len(kids)] = uint32(len(t.on))
	return t
}
