package parser

import "strings"

// Raw text as x/net/html's tokenizer ends it.

// rawTextEnd returns the index of the "</name" that ends the raw text
// starting at s[i], or -1.
func rawTextEnd(s string, i int, name string) int {
	for {
		j := strings.Index(s[i:], "</")
		if j < 0 {
			return -1
		}
		i += j
		if isRawEndTag(s, i, name) {
			return i
		}
		i += 2
	}
}

// isRawEndTag reports whether s[i:] starts with "</name" followed by white
// space, "/" or ">", the end tag of a raw-text element.
func isRawEndTag(s string, i int, name string) bool {
	e := i + 2 + len(name)
	if e >= len(s) || s[i] != '<' || s[i+1] != '/' || !eqFoldASCII(s[i+2:e], name) {
		return false
	}
	return isHTMLSpace(s[e]) || s[e] == '/' || s[e] == '>'
}

// Script data states of the tokenizer.
const (
	scriptData = iota
	scriptEscaped
	scriptEscapedDash
	scriptEscapedDashDash
	scriptDoubleEscaped
	scriptDoubleEscapedDash
	scriptDoubleEscapedDashDash
)

// scriptEnd returns the index of the "</script" that ends the script data
// starting at s[i], following the tokenizer through "<!--" escapes and
// nested "<script" in them; -1 when the page ends first.
func scriptEnd(s string, i int) int {
	state := scriptData
	for i < len(s) {
		c := s[i]
		i++
		switch state {
		case scriptData:
			if c != '<' {
				// Most of a script is plain script data: skip to its next "<".
				k := strings.IndexByte(s[i:], '<')
				if k < 0 {
					return -1
				}
				i += k
				continue
			}
			switch {
			case isRawEndTag(s, i-1, "script"):
				return i - 1
			case strings.HasPrefix(s[i:], "!--"):
				i += 3
				state = scriptEscapedDashDash
			}
		case scriptEscaped, scriptEscapedDash, scriptEscapedDashDash:
			switch {
			case c == '-':
				state = min(state+1, scriptEscapedDashDash)
			case c == '>' && state == scriptEscapedDashDash:
				state = scriptData
			case c == '<':
				state = escapedLessThan(s, i)
				if state < 0 {
					return i - 1 // the end tag
				}
				if state == scriptDoubleEscaped {
					i += len("script") + 1
				}
			default:
				state = scriptEscaped
			}
		default: // double escaped
			switch {
			case c == '-':
				state = min(state+1, scriptDoubleEscapedDashDash)
			case c == '>' && state == scriptDoubleEscapedDashDash:
				state = scriptData
			case c == '<' && isRawEndTag(s, i-1, "script"):
				i += len("/script") + 1
				state = scriptEscaped
			default:
				state = scriptDoubleEscaped
			}
		}
	}
	return -1
}

// escapedLessThan returns the state after the "<" before s[i] in escaped
// script data, or -1 when it starts the end tag. Like x/net/html, a "<"
// followed by neither "/" nor a letter returns to plain script data.
func escapedLessThan(s string, i int) int {
	switch {
	case isRawEndTag(s, i-1, "script"):
		return -1
	case i >= len(s), s[i] == '/':
		return scriptEscaped
	case isASCIILetter(s[i]):
		e := i + len("script")
		if e < len(s) && eqFoldASCII(s[i:e], "script") && (isHTMLSpace(s[e]) || s[e] == '/' || s[e] == '>') {
			return scriptDoubleEscaped
		}
		return scriptEscaped
	}
	return scriptData
}

// isHTMLSpace reports the white space of the HTML tokenizer.
func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f'
}

// The bytes that end a tag name, an attribute name and an unquoted
// attribute value in the tokenizer, as bits of lexClass: one table load
// per byte in the lexer's loops instead of five or six comparisons.
const (
	endsName     = 1 << iota // white space, "/", ">"
	endsAttrName             // white space, "/", ">", "="
	endsValue                // white space, ">"
	upperASCII               // "A" to "Z": an attribute name holding one needs lower-casing
)

var lexClass = func() (t [256]uint8) {
	for c := range 256 {
		b := byte(c)
		if isHTMLSpace(b) || b == '>' {
			t[c] = endsName | endsAttrName | endsValue
		}
	}
	t['/'] = endsName | endsAttrName
	t['='] = endsAttrName
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = upperASCII
	}
	return t
}()

func isASCIILetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// eqFoldASCII reports whether s equals the lower-case word w, ignoring
// ASCII case only, as the tokenizer compares tag names.
func eqFoldASCII(s, w string) bool {
	if len(s) != len(w) {
		return false
	}
	for i := 0; i < len(w); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != w[i] {
			return false
		}
	}
	return true
}
