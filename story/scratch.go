package story

import (
	"strings"
	"sync"

	"github.com/newswatch/newswatch/topic"
)

// scratch holds the buffers one article's features are computed in,
// reused from article to article (the Tracker's lock guards them).
type scratch struct {
	hashes   []uint32     // the body's shingle hashes, with repeats
	starts   []int        // the byte offsets of the body's runes (see shingles)
	sorted   []uint32     // those of them a sketch is chosen from
	toks     []token      // the evidence scanner's tokens
	title    words        // the words of the normalised title
	body     words        // and body
	keys     []uint64     // terms packed with their weight or count, to sort
	tf       termCounts   // term frequencies, until the doc is weighed
	facts    facts        // the evidence found
	phrase   []byte       // a phrase looked up in the dictionary
	variants []string     // an Arabic word's forms without proclitics
	side     byte         // which transliteration keys the article gives (see sideOf)
	feat     features     // of the article being assigned
	probe    probe        // and its tables, to score candidates against
	weighed  []weighed    // the shared evidence of a pair, to sort
	idf      [256]idfMemo // by document frequency
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
