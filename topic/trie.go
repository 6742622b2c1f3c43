package topic

// trie is a deterministic automaton over the bytes of the normalised keys,
// run anchored at the positions where a term may start (word starts, Han
// characters, after Arabic proclitics). Anchored runs need no failure
// links: a run stops at the first byte no key continues with and reports
// every key that ends on the way, so a key and its prefixes are found in
// one walk. (coregx's Aho-Corasick automaton, anchored with FindAt, keeps
// following failure links until it is back at its start state and reports
// only the longest key; this table measured about 8% faster over whole
// articles.) Transitions are one table of states by byte class.
type trie struct {
	class  [256]uint16 // byte -> class; 0 for bytes in no key
	stride int         // number of classes
	next   []uint32    // state*stride + class -> state; 0 is the dead state
	key    []int32     // state -> the key ending there, or -1
}

// trieRoot is the start state.
const trieRoot = 1

// newTrie builds the automaton of keys; key i is reported as i.
func newTrie(keys []string) *trie {
	t := &trie{stride: 1}
	for _, k := range keys {
		for i := range len(k) {
			if t.class[k[i]] == 0 {
				t.class[k[i]] = uint16(t.stride)
				t.stride++
			}
		}
	}
	t.next = make([]uint32, 2*t.stride)
	t.key = []int32{-1, -1}
	for ki, k := range keys {
		s := trieRoot
		for i := range len(k) {
			x := s*t.stride + int(t.class[k[i]])
			if t.next[x] == 0 {
				t.next[x] = uint32(len(t.key))
				t.key = append(t.key, -1)
				t.next = append(t.next, make([]uint32, t.stride)...)
			}
			s = int(t.next[x])
		}
		t.key[s] = int32(ki)
	}
	return t
}
