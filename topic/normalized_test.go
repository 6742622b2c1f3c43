package topic

import (
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
	m, err := Compile(defaultTopics(b))
	if err != nil {
		b.Fatal(err)
	}
	docs := benchCorpus(b)
	b.SetBytes(corpusBytes(docs))
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		for _, d := range docs {
			m.MatchNormalized(d)
		}
	}
	reportCPU(b, cpu, corpusBytes(docs))
}
