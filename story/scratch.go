package story

import (
	"strings"
	"sync"

	"github.com/newswatch/newswatch/topic"
)

// scratch holds the buffers one article's features are computed in,
// reused from article to article (the Tracker's lock guards them).
type scratch struct {
	hashes []uint32         // the body's shingle hashes, with repeats
	set    []uint32         // an open-addressing set counting distinct shingles
	toks   []token          // the evidence scanner's tokens
	words  []string         // the words of a normalised text
	keys   []uint64         // terms packed with their weight or count, to sort
	tf     map[uint32]int32 // term frequencies, until the doc is weighed
}

// normWord returns word w in the form the topic engine normalises it
// to, in buf: a word of ASCII letters only folds to lower case without
// going through the normaliser.
func normWord(buf []byte, w string) []byte {
	buf = buf[:0]
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= 'a' && c <= 'z':
			buf = append(buf, c)
		case c >= 'A' && c <= 'Z':
			buf = append(buf, c+'a'-'A')
		default:
			return append(buf[:0], normalized(w)...)
		}
	}
	return buf
}

// normCache remembers the normalised form of the last few thousand
// words looked up that are not plain ASCII: the same month and scale
// words and their neighbours recur from article to article.
var normCache = struct {
	sync.Mutex
	m map[string]string
}{m: map[string]string{}}

const normCacheSize = 4096

func normalized(w string) string {
	normCache.Lock()
	defer normCache.Unlock()
	if n, ok := normCache.m[w]; ok {
		return n
	}
	n := topic.Normalize(w)
	if len(normCache.m) >= normCacheSize {
		clear(normCache.m)
	}
	normCache.m[strings.Clone(w)] = n // a copy: w is part of an article's text
	return n
}

// atLeastDistinct reports whether hs holds at least n distinct values,
// stopping as soon as it has seen n: a long text need not be sorted
// whole to know it is long.
func (sc *scratch) atLeastDistinct(hs []uint32, n int) bool {
	if len(hs) < n {
		return false
	}
	size := 4
	for size < 4*n {
		size *= 2
	}
	if len(sc.set) != size {
		sc.set = make([]uint32, size)
	}
	defer clear(sc.set)
	mask := uint32(size - 1)
	distinct, zero := 0, false // 0 marks a free slot; the value 0 apart
	for _, h := range hs {
		if h == 0 {
			if !zero {
				zero = true
				distinct++
			}
		} else {
			for i := (h * 0x9E3779B1) >> 16 & mask; ; i = (i + 1) & mask {
				if sc.set[i] == h {
					break
				}
				if sc.set[i] == 0 {
					sc.set[i] = h
					distinct++
					break
				}
			}
		}
		if distinct >= n {
			return true
		}
	}
	return false
}
