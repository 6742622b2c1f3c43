package topic

import "slices"

// trie is the automaton that finds the keys: a byte trie over the
// normalised keys, run anchored at the positions where a term may start
// (word starts, Han characters, after Arabic proclitics). Anchored runs
// need no failure links, stop at the first byte no key continues with, and
// report every key that ends on the way, so a key and its prefixes are
// found in one walk. (An unanchored Aho-Corasick automaton would report
// matches inside words that the start rules then reject, and the
// Aho-Corasick packages we know either find only the longest match at a
// position or allocate their results.)
type trie struct {
	nodes []trieNode
	label []byte  // edge bytes, sorted within a node
	to    []int32 // edge targets
	dense []int32 // 256-entry tables of the nodes with many edges
}

type trieNode struct {
	lo, hi int32 // edges label[lo:hi], to[lo:hi]
	dense  int32 // offset of the node's table in dense, or -1
	key    int32 // the key ending here, or -1
}

// denseEdges is the number of edges from which a node gets a table.
const denseEdges = 6

// newTrie builds the trie of keys; key i is reported as i.
func newTrie(keys []string) *trie {
	type build struct {
		next map[byte]int32
		key  int32
	}
	bs := []build{{next: map[byte]int32{}, key: -1}}
	for ki, k := range keys {
		n := int32(0)
		for i := range len(k) {
			nx, ok := bs[n].next[k[i]]
			if !ok {
				nx = int32(len(bs))
				bs = append(bs, build{next: map[byte]int32{}, key: -1})
				bs[n].next[k[i]] = nx
			}
			n = nx
		}
		bs[n].key = int32(ki)
	}
	t := &trie{nodes: make([]trieNode, len(bs))}
	for i, b := range bs {
		labels := make([]byte, 0, len(b.next))
		for c := range b.next {
			labels = append(labels, c)
		}
		slices.Sort(labels)
		nd := trieNode{lo: int32(len(t.label)), dense: -1, key: b.key}
		for _, c := range labels {
			t.label = append(t.label, c)
			t.to = append(t.to, b.next[c])
		}
		nd.hi = int32(len(t.label))
		if len(labels) >= denseEdges || i == 0 {
			nd.dense = int32(len(t.dense))
			tab := make([]int32, 256)
			for j := range tab {
				tab[j] = -1
			}
			for _, c := range labels {
				tab[c] = b.next[c]
			}
			t.dense = append(t.dense, tab...)
		}
		t.nodes[i] = nd
	}
	return t
}

// next returns the node reached from n by byte c, or -1.
func (t *trie) next(n int32, c byte) int32 {
	nd := &t.nodes[n]
	if nd.dense >= 0 {
		return t.dense[int(nd.dense)+int(c)]
	}
	for i := nd.lo; i < nd.hi; i++ {
		if l := t.label[i]; l >= c {
			if l == c {
				return t.to[i]
			}
			return -1
		}
	}
	return -1
}
