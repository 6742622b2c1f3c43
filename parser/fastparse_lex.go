package parser

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// The lexer of the fast tree builder (see fastparse.go). It follows the
// tokenizer of golang.org/x/net/html byte for byte, but reads from one
// string and returns substrings of it, so a token costs no allocation.

// tokKind is the kind of a token.
type tokKind uint8

const (
	tEOF tokKind = iota
	tText
	tStart
	tEnd
	tComment
	tDoctype
)

// token is one token; data is the text, or the lower-case tag name.
type token struct {
	kind        tokKind
	data        string
	atom        atom.Atom
	attr        []html.Attribute
	selfClosing bool
}

// lexer splits a page into tokens.
type lexer struct {
	s   string
	pos int
	cr  bool // s holds a "\r": most pages hold none, and their text needs no search for one
}

// next reads the next token into t. It returns errFallback on input it does
// not handle exactly like x/net/html.
func (z *lexer) next(t *token) error {
	*t = token{attr: t.attr[:0]}
	s, start := z.s, z.pos
	if start >= len(s) {
		return nil
	}
	for i := start; ; {
		j := strings.IndexByte(s[i:], '<')
		if j < 0 || i+j+1 >= len(s) {
			return z.text(t, start, len(s))
		}
		i += j
		c := s[i+1]
		if !(isASCIILetter(c) || c == '/' || c == '!' || c == '?') {
			i++
			continue
		}
		if i > start {
			return z.text(t, start, i)
		}
		z.pos = i
		switch {
		case isASCIILetter(c):
			return z.tag(t, i+1, tStart)
		case c == '/':
			return z.endTag(t, i)
		case c == '!':
			return z.declaration(t, i)
		}
		return z.bogusComment(t, i+1)
	}
}

// text makes the text token s[start:end].
func (z *lexer) text(t *token, start, end int) error {
	z.pos = end
	t.kind, t.data = tText, textData(z.s[start:end], true, z.cr)
	return nil
}

// textData returns raw page text as x/net/html's tokenizer does: carriage
// returns converted and, unless the text is raw, character references
// decoded. cr reports whether the page holds a carriage return at all. The
// page holds no NUL byte (fastParse falls back on one), so the text needs
// no check for it.
func textData(s string, unescape, cr bool) string {
	if cr && strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(strings.ReplaceAll(s, "\r\n", "\n"), "\r", "\n")
	}
	if unescape && strings.IndexByte(s, '&') >= 0 {
		s = html.UnescapeString(s)
	}
	return s
}

// endTag reads "</...".
func (z *lexer) endTag(t *token, i int) error {
	s := z.s
	if i+2 >= len(s) {
		return errFallback
	}
	switch c := s[i+2]; {
	case c == '>':
		z.pos = i + 3 // "</>": x/net/html makes it an empty comment
		t.kind = tComment
		return nil
	case isASCIILetter(c):
		return z.tag(t, i+2, tEnd)
	}
	return z.bogusComment(t, i+2)
}

// declaration reads "<!": a comment, a doctype or a bogus comment.
func (z *lexer) declaration(t *token, i int) error {
	s := z.s
	if strings.HasPrefix(s[i+2:], "--") {
		end, dataEnd, ok := commentSpan(s, i+4)
		if !ok {
			return errFallback
		}
		z.pos = end
		t.kind, t.data = tComment, textData(s[i+4:max(dataEnd, i+4)], true, z.cr)
		return nil
	}
	if len(s) >= i+9 && eqFoldASCII(s[i+2:i+9], "doctype") {
		k := strings.IndexByte(s[i+9:], '>')
		if k < 0 {
			return errFallback
		}
		z.pos = i + 9 + k + 1
		// Only the name is kept: nothing reads the public and system ids.
		name := strings.TrimLeft(s[i+9:i+9+k], " \t\n\r\f")
		if e := strings.IndexAny(name, " \t\n\r\f"); e >= 0 {
			name = name[:e]
		}
		t.kind, t.data = tDoctype, asciiLower(name)
		return nil
	}
	if strings.HasPrefix(s[i+2:], "[CDATA[") {
		return errFallback // CDATA in foreign content
	}
	return z.bogusComment(t, i+2)
}

// bogusComment reads a comment that runs from s[i] to the next ">".
func (z *lexer) bogusComment(t *token, i int) error {
	k := strings.IndexByte(z.s[i:], '>')
	if k < 0 {
		return errFallback
	}
	z.pos = i + k + 1
	t.kind, t.data = tComment, textData(z.s[i:i+k], true, z.cr)
	return nil
}

// commentSpan returns the end of the comment whose data starts at s[i] and
// the end of its data, as the tokenizer ends it: at "-->", "--!>", or a
// ">" right at the start ("<!-->", "<!--->").
func commentSpan(s string, i int) (end, dataEnd int, ok bool) {
	dashes, beginning := 0, true
	for ; i < len(s); i++ {
		switch s[i] {
		case '-':
			dashes++
			continue
		case '>':
			if dashes >= 2 || beginning {
				return i + 1, i - 2, true
			}
		case '!':
			if dashes >= 2 && i+1 < len(s) {
				if s[i+1] == '>' {
					return i + 2, i - 2, true
				}
				if s[i+1] == '-' {
					i++
					dashes, beginning = 1, false
					continue
				}
			}
		}
		dashes, beginning = 0, false
	}
	return 0, 0, false
}

// tag reads a start or end tag whose name starts at s[i].
func (z *lexer) tag(t *token, i int, kind tokKind) error {
	s := z.s
	j := i + 1
	for j < len(s) && lexClass[s[j]]&endsName == 0 {
		j++
	}
	t.kind = kind
	t.data, t.atom = tagName(s[i:j])
	lastVal := -1
	for {
		for j < len(s) && isHTMLSpace(s[j]) {
			j++
		}
		if j >= len(s) {
			return errFallback
		}
		switch s[j] {
		case '>':
			z.pos = j + 1
			t.selfClosing = s[j-1] == '/' && lastVal != j
			return nil
		case '/':
			j++
			continue
		}
		k, class := j+1, lexClass[s[j]]
		for k < len(s) && lexClass[s[k]]&endsAttrName == 0 {
			class |= lexClass[s[k]]
			k++
		}
		key := s[j:k]
		var val string
		var err error
		j, val, lastVal, err = attrValue(s, k, lastVal, z.cr)
		if err != nil {
			return err
		}
		if kind != tEnd { // an end tag's attributes are read and dropped
			t.addAttr(key, val, class&upperASCII != 0)
		}
	}
}

// addAttr adds an attribute unless the tag already has one of that name.
// A lower-case key is kept as the page spells it: only tag names need
// their atom. upper tells whether key holds an upper-case ASCII letter,
// which the lexer noted while reading it.
func (t *token) addAttr(key, val string, upper bool) {
	if upper {
		key, _ = tagName(key)
	}
	for _, a := range t.attr {
		if a.Key == key {
			return
		}
	}
	t.attr = append(t.attr, html.Attribute{Key: key, Val: val})
}

// attrValue reads the optional "=value" after an attribute key ending at
// s[j]. It returns where the tag goes on, the value, and the end of the
// last unquoted value (for the self-closing test).
func attrValue(s string, j, lastVal int, cr bool) (int, string, int, error) {
	for j < len(s) && isHTMLSpace(s[j]) {
		j++
	}
	if j >= len(s) {
		return j, "", lastVal, nil
	}
	if s[j] == '/' {
		return j + 1, "", lastVal, nil
	}
	if s[j] != '=' {
		return j, "", lastVal, nil
	}
	j++
	for j < len(s) && isHTMLSpace(s[j]) {
		j++
	}
	if j >= len(s) || s[j] == '>' {
		return j, "", lastVal, nil
	}
	var raw string
	if q := s[j]; q == '"' || q == '\'' {
		k := strings.IndexByte(s[j+1:], q)
		if k < 0 {
			return 0, "", 0, errFallback
		}
		raw, j, lastVal = s[j+1:j+1+k], j+1+k+1, -1
	} else {
		k := j
		for k < len(s) && lexClass[s[k]]&endsValue == 0 {
			k++
		}
		raw = s[j:k]
		if k < len(s) && s[k] == '>' {
			j, lastVal = k, k
		} else {
			j, lastVal = k+1, -1
		}
	}
	return j, attrData(raw, cr), lastVal, nil
}

// attrData decodes an attribute value as x/net/html does: in attributes a
// reference without ";" is decoded only when it is a whole entity name not
// followed by "=".
func attrData(s string, cr bool) string {
	s = textData(s, false, cr)
	if strings.IndexByte(s, '&') < 0 {
		return s
	}
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		s = s[i:]
		n := 1
		if n < len(s) && s[n] == '#' {
			n++
			for n < len(s) && (s[n] >= '0' && s[n] <= '9' || s[n] >= 'a' && s[n] <= 'f' || s[n] >= 'A' && s[n] <= 'F' || s[n] == 'x' || s[n] == 'X') {
				n++
			}
			if n < len(s) && s[n] == ';' {
				n++
			}
			b.WriteString(html.UnescapeString(s[:n]))
			s = s[n:]
			continue
		}
		for n < len(s) && (isASCIILetter(s[n]) || s[n] >= '0' && s[n] <= '9') {
			n++
		}
		switch {
		case n == 1 || n < len(s) && s[n] == '=':
			b.WriteString(s[:n]) // not a reference
		case n < len(s) && s[n] == ';':
			if d := html.UnescapeString(s[:n+1]); d == ";" || !strings.HasSuffix(d, ";") {
				b.WriteString(d)
			} else {
				b.WriteString(s[:n+1])
			}
			n++
		default: // decoded only if it is a whole entity name
			if d := html.UnescapeString(s[:n]); d != s[:n] && utf8.RuneCountInString(d) == 1 {
				b.WriteString(d)
			} else {
				b.WriteString(s[:n])
			}
		}
		s = s[n:]
	}
}

// tagName returns the lower-case form and atom of a tag or attribute name,
// allocating only for upper-case names that are no atom.
func tagName(s string) (string, atom.Atom) {
	if !isLowerASCII(s) {
		var buf [32]byte
		if len(s) <= len(buf) {
			b := buf[:len(s)]
			for i := range b {
				c := s[i]
				if 'A' <= c && c <= 'Z' {
					c += 'a' - 'A'
				}
				b[i] = c
			}
			if a := atom.Lookup(b); a != 0 {
				return a.String(), a
			}
		}
		s = asciiLower(s)
	}
	a := atom.Lookup([]byte(s))
	if a != 0 {
		return a.String(), a
	}
	return s, 0
}

// isLowerASCII reports whether s has no upper-case ASCII letter.
func isLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return false
		}
	}
	return true
}

// rawText returns the text of a raw-text element that ends with the end
// tag "</name", and moves past that end tag; at the end of the page the
// text runs to the end.
func (z *lexer) rawText(name string) (string, error) {
	var e int
	if name == "script" {
		e = scriptEnd(z.s, z.pos)
	} else {
		e = rawTextEnd(z.s, z.pos, name)
	}
	if e < 0 {
		return "", errFallback
	}
	text := z.s[z.pos:e]
	z.pos = e
	var t token
	if err := z.tag(&t, e+2, tEnd); err != nil {
		return "", err
	}
	rcdata := name == "title" || name == "textarea"
	return textData(text, rcdata, z.cr), nil
}

// asciiLower lower-cases the ASCII letters of s, as the tokenizer does.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}
