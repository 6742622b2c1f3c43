package parser

import (
	"strings"
)

// Hint classes: the word lists a class or id value is matched against.
const (
	hUnlikely uint8 = 1 << iota
	hMaybe
	hPositive
	hNegative
	hByline
	hBoiler
	hRelated // a box of related links (relatedHints), "_" read as "-"
	hCaption // an image caption or credit (captionHints), "_" read as "-"
)

// hintWord is one word of the hint lists with the classes it belongs to.
type hintWord struct {
	word  string
	class uint8
}

// hintTable indexes every hint word by its first byte, so one scan of a
// class value finds all the lists it matches: the element walk does this
// for every element with a class or id, and testing each list with
// strings.Contains cost a sixth of the extraction time.
type hintIndex struct {
	words [256][]hintWord
	pairs [256][4]uint64 // bit b1 of pairs[b0]: some word starts with b0 b1
}

var hintTable = func() *hintIndex {
	x := &hintIndex{}
	t := &x.words
	add := func(words []string, c uint8) {
	next:
		for _, w := range words {
			for i := range t[w[0]] {
				if t[w[0]][i].word == w {
					t[w[0]][i].class |= c
					continue next
				}
			}
			t[w[0]] = append(t[w[0]], hintWord{w, c})
			x.pairs[w[0]][w[1]>>6] |= 1 << (w[1] & 63)
		}
	}
	add(unlikelyHints, hUnlikely)
	add(maybeHints, hMaybe)
	add(positiveHints, hPositive)
	add(negativeHints, hNegative)
	add(bylineHints, hByline)
	add(boilerHints, hBoiler)
	add(dashVariants(relatedHints), hRelated)
	add(dashVariants(captionHints), hCaption)
	return x
}()

// dashVariants returns words with each "-" also spelled "_", every way:
// matched against a class value they find what the words find in it with
// its "_" read as "-".
func dashVariants(words []string) []string {
	var out []string
	for _, w := range words {
		vs := []string{""}
		for _, part := range strings.SplitAfter(w, "-") {
			var next []string
			for _, v := range vs {
				next = append(next, v+part)
				if under, ok := strings.CutSuffix(part, "-"); ok {
					next = append(next, v+under+"_")
				}
			}
			vs = next
		}
		out = append(out, vs...)
	}
	return out
}

// hintClasses returns the hint classes whose words occur in s, which is
// lower case.
func hintClasses(s string) uint8 {
	x := hintTable
	var m uint8
	for i := 0; i+1 < len(s); i++ {
		if x.pairs[s[i]][s[i+1]>>6]&(1<<(s[i+1]&63)) == 0 {
			continue
		}
		for _, h := range x.words[s[i]] {
			if m&h.class != h.class && strings.HasPrefix(s[i:], h.word) {
				m |= h.class
			}
		}
	}
	return m
}
