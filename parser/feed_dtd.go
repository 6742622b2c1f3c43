package parser

import (
	"bytes"
	"errors"
	"regexp"
)

// ErrEntityAttack reports a feed whose document type declares entities
// that expand into other entities: the "billion laughs" bomb. Our XML
// parsers expand neither these nor external entities, so such a feed could
// only be parsed into literal "&lol9;" text; it is refused instead, so the
// user sees why it fails. External entity sets (the XHTML Latin-1 set some
// feeds declare) are harmless, as they are never loaded, and are accepted.
var ErrEntityAttack = errors.New("the feed's DTD declares nested entities (an entity-expansion attack?); refused")

// feedDTDEntities finds <!ENTITY name ...> declarations; the first group is
// the name, the second what follows it up to the closing '>'.
var feedDTDEntities = regexp.MustCompile(`<!ENTITY\s+(?:%\s+)?([^\s>]+)\s+([^>]*)>`)

// feedCheckDTD returns ErrEntityAttack when the document's internal DTD
// subset declares an internal entity whose value references another
// entity. It looks only at the prolog: the part before the root element.
func feedCheckDTD(data []byte) error {
	i := bytes.Index(head(data, 1<<16), []byte("<!DOCTYPE"))
	if i < 0 {
		return nil
	}
	prolog := data[i:]
	if end := bytes.Index(prolog, []byte("]>")); end >= 0 {
		prolog = prolog[:end]
	} else {
		prolog = head(prolog, 1<<16)
	}
	for _, m := range feedDTDEntities.FindAllSubmatch(prolog, -1) {
		def := bytes.TrimSpace(m[2])
		if bytes.HasPrefix(def, []byte("SYSTEM")) || bytes.HasPrefix(def, []byte("PUBLIC")) {
			continue // external: never loaded
		}
		if bytes.Contains(def, []byte("&")) && !bytes.Contains(def, []byte("&#")) {
			return ErrEntityAttack
		}
	}
	return nil
}
