package topic

// letterRun normalises the run of common non-ASCII letters starting at
// s[i] (Cyrillic, Arabic, Latin with diacritics, Vietnamese, Han) in one
// loop, and returns where it stopped: at ASCII or at anything else (marks,
// punctuation, runes NFKC changes, a change between spaced and unspaced
// script), which the general path handles. It is emit without the calls,
// for the letters that make up most non-ASCII text.
func (t *text) letterRun(s string, i int) int {
	r, n := decodeCommon(s, i)
	if n == 0 {
		return i
	}
	e := runeEntry(r)
	if e&entryStable == 0 {
		return i
	}
	buf, offs, units := t.buf, t.offs, t.units
	last, letters, accented := t.last, 0, 0
	for {
		// The next rune must not combine with r: decode it now, and
		// carry it to the next round.
		j, e2, n2 := i+n, uint32(0), 0
		if j < len(s) && s[j] >= 0x80 {
			var r2 rune
			if r2, n2 = decodeCommon(s, j); n2 == 0 {
				break
			}
			if e2 = runeEntry(r2); e2&entryStable == 0 {
				break
			}
		}
		f, k := entryRune(e), entryKind(e)
		switch {
		case k == kindWord && last != kindCont:
			if last != kindWord {
				units = append(units, int32(len(buf)))
				last = kindWord
			}
			if e&entryLetter != 0 {
				letters++
				if e&entryAccented != 0 {
					accented++
				}
			}
		case k == kindCont && last != kindWord:
			units = append(units, int32(len(buf)))
			last = kindCont
		default:
			goto done
		}
		o := int32(i)
		switch {
		case f < 0x80:
			buf = append(buf, byte(f))
			offs = append(offs, o)
		case f < 0x800:
			buf = append(buf, 0xC0|byte(f>>6), 0x80|byte(f)&0x3F)
			offs = append(offs, o, o)
		default: // decodeCommon returns no surrogates and nothing above U+FFFF
			buf = append(buf, 0xE0|byte(f>>12), 0x80|byte(f>>6)&0x3F, 0x80|byte(f)&0x3F)
			offs = append(offs, o, o, o)
		}
		i = j
		if n2 == 0 {
			break
		}
		e, n = e2, n2
	}
done:
	t.buf, t.offs, t.units = buf, offs, units
	t.last = last
	t.seg.letters += letters
	t.seg.accented += accented
	return i
}

// decodeCommon decodes a valid two- or three-byte UTF-8 sequence at s[i]
// (not a surrogate), or returns n == 0.
func decodeCommon(s string, i int) (r rune, n int) {
	c := s[i]
	switch {
	case c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80:
		return rune(c&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	case c > 0xE0 && c < 0xF0 && c != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80:
		return rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), 3
	}
	return 0, 0
}
