package web

import (
	"cmp"
	"unicode/utf8"

	"golang.org/x/text/unicode/bidi"
)

// Bracketed runs in the other direction. An Arabic wire story opens with
// "(TTXVN/Vietnam+)": in a right-to-left paragraph the bidi algorithm
// gives the closing bracket and the "+" before it the paragraph's
// direction, and the browser draws "(+TTXVN/Vietnam)", as the source site
// does. A bracketed run whose letters are all of the other direction is
// shown isolated in its own direction (a <bdi dir>), which draws it as
// written. Runs in the paragraph's own direction are left alone, so
// English text gets no extra markup.

// isolate is the byte range of a bracketed run, brackets included, shown
// isolated in dir.
type isolate struct {
	start, end int
	dir        string
}

// closing maps an opening bracket to its closing one.
var closing = map[rune]rune{'(': ')', '[': ']', '{': '}', '«': '»'}

// isolates returns the bracketed runs of s[from:to] to show isolated, in
// order and not nested. The paragraph's direction is that of its first
// letter outside brackets (of its first letter if all are inside), as a
// reader would take it.
func isolates(s string, from, to int) []isolate {
	type open struct {
		at    int
		close rune
	}
	var (
		stack        []open
		out          []isolate
		para, inside string
	)
	for i := from; i < to; {
		r, n := utf8.DecodeRuneInString(s[i:to])
		switch {
		case closing[r] != 0:
			stack = append(stack, open{i, closing[r]})
		case len(stack) > 0 && r == stack[len(stack)-1].close:
			o := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if d := runDir(s[o.at:i]); d != "" {
				for len(out) > 0 && out[len(out)-1].start > o.at {
					out = out[:len(out)-1] // an inner run, inside this one
				}
				out = append(out, isolate{o.at, i + n, d})
			}
		case para == "" && len(stack) == 0:
			para = strong(r)
		case inside == "":
			inside = strong(r)
		}
		i += n
	}
	para = cmp.Or(para, inside, "ltr")
	kept := out[:0]
	for _, iso := range out {
		if iso.dir != para {
			kept = append(kept, iso)
		}
	}
	return kept
}

// runDir returns the direction of the letters of s when they all have
// one, else "".
func runDir(s string) string {
	dir := ""
	for _, r := range s {
		switch d := strong(r); {
		case d == "":
		case dir == "":
			dir = d
		case d != dir:
			return ""
		}
	}
	return dir
}

// strong returns the direction of a strongly directional character, ""
// for the others (digits, punctuation, spaces).
func strong(r rune) string {
	p, _ := bidi.LookupRune(r)
	switch p.Class() {
	case bidi.L:
		return "ltr"
	case bidi.R, bidi.AL:
		return "rtl"
	}
	return ""
}
