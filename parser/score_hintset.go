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
	// Not hint lists: what hintWeight must look at more closely.
	hUtility // "text-", maybe a utility-CSS token (see dropUtilityClasses)
	hHid     // "hid", maybe the word hid (see isHid)

	hintLists = hUnlikely | hMaybe | hPositive | hNegative | hByline | hBoiler
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
	add([]string{"text-"}, hUtility)
	add([]string{"hid"}, hHid)
	return x
}()

// scanHints returns the hint classes whose words occur in s, which is
// lower case, with hUtility and hHid.
func scanHints(s string) uint8 {
	x := hintTable
	var m uint8
	for i := 0; i+1 < len(s); i++ {
		c0, c1 := s[i], s[i+1]
		if x.pairs[c0][c1>>6]&(1<<(c1&63)) == 0 {
			continue
		}
		for _, h := range x.words[c0] {
			// The second byte first: most words of a first byte
			// differ in it, and it is cheaper than HasPrefix.
			if h.word[1] == c1 && m&h.class != h.class && strings.HasPrefix(s[i:], h.word) {
				m |= h.class
			}
		}
	}
	return m
}
