package topic

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
)

// TestTermKeyOrder checks that ordering terms by termKey is ordering them
// as strings, where their first eight bytes tie or one is a prefix of the
// other.
func TestTermKeyOrder(t *testing.T) {
	terms := []string{"", "a", "a\x00", "a\x00b", "ab", "abcdefgh", "abcdefgh\x00", "abcdefghi", "abcdefgha",
		"abcdefg", "\x02UN", "\x01vi", "liên hiệp", "liên", "联合国", "联合", "trafficking", "traffick", "zz"}
	var keys []termKey
	for _, s := range terms {
		keys = append(keys, termKey{prefix: prefixKey(s), term: s})
	}
	slices.SortFunc(keys, termKey.compare)
	want := slices.Clone(terms)
	slices.Sort(want)
	for i, k := range keys {
		if k.term != want[i] {
			t.Fatalf("sorted by termKey: %q at %d, want %q (order %q)", k.term, i, want[i], strings.Join(want, "|"))
		}
	}
}

// BenchmarkMatchNormalized measures matching plus what the pipeline keeps
// for the search index and the story tracker, on the dev set's snippets
// packed into 4 KB documents; compare with BenchmarkMatch/dev/topic.
func BenchmarkMatchNormalized(b *testing.B) {
	benchMatchNormalized(b, benchCorpus(b))
}

// TestSortTermKeys checks the radix sort of normalized against sorting
// the terms as strings, on terms with shared prefixes of eight bytes and
// more, zero bytes, several scripts and every length.
func TestSortTermKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	alphabet := []string{"a", "b", "\x00", "\x02", "é", "联", "ж", " "}
	for _, n := range []int{0, 1, 5, shortRun, shortRun + 1, 300, 5000} {
		seen := map[string]bool{}
		var keys []termKey
		var want []string
		for range n {
			var b strings.Builder
			if rng.IntN(2) == 0 {
				b.WriteString("abcdefgh"[:rng.IntN(9)])
			}
			for range rng.IntN(12) {
				b.WriteString(alphabet[rng.IntN(len(alphabet))])
			}
			if s := b.String(); !seen[s] { // distinct, as normalized gives them
				seen[s] = true
				keys = append(keys, termKey{prefix: prefixKey(s), term: s})
				want = append(want, s)
			}
		}
		sortTermKeys(keys, make([]termKey, len(keys)), 56)
		slices.Sort(want)
		got := make([]string, len(keys))
		for i, k := range keys {
			got[i] = k.term
		}
		if !slices.Equal(got, want) {
			t.Fatalf("sortTermKeys of %d terms = %q, want %q", len(keys), got, want)
		}
	}
}

// TestTermSet checks the set normalized collects terms in against a map,
// through growth and reuse: each distinct term once, in the order it
// first came.
func TestTermSet(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	var ts termSet
	for _, n := range []int{0, 10, 20000, 50, 100000} { // grows, then back to size
		ts.reset(nil)
		seen := map[string]bool{}
		var want []string
		for range n {
			s := fmt.Sprintf("%x", rng.IntN(n/2+1))
			if rng.IntN(2) == 0 {
				s = "longer than eight bytes " + s // prefixes alike
			}
			if !seen[s] {
				seen[s] = true
				want = append(want, s)
			}
			ts.add(s)
		}
		got := make([]string, len(ts.keys))
		for i, k := range ts.keys {
			got[i] = k.term
			if k.prefix != prefixKey(k.term) {
				t.Fatalf("%d terms: key of %q has prefix %x, want %x", n, k.term, k.prefix, prefixKey(k.term))
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%d terms: the set holds %d, want %d distinct", n, len(got), len(want))
		}
	}
}
