package web

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/newswatch/newswatch/news"
)

// Highlighting. A hit carries byte offsets into its field; the pages cut
// the field into parts, marked or not, and the templates write each part
// as escaped text: no HTML is ever built from article text.

// textPart is a piece of a title or text: marked when a hit covers it;
// Context when only context words of a NEAR clause do. Open names the
// direction of an isolated run (see isolates) that starts with the part;
// Close ends the run after it.
type textPart struct {
	Text    string
	Mark    bool
	Context bool
	Open    string
	Close   bool
}

// span is a hit's byte range in its field.
type span struct {
	start, end int
	context    bool
}

// hitSpans returns the ranges of the hits in field of s, checked against s (a hit from an older text, or cutting a
// character, is dropped), sorted and merged; where a decisive and a
// context range overlap, the merged range is decisive.
func hitSpans(s string, hits []news.Hit, field string) []span {
	var out []span
	for _, h := range hits {
		if h.Field != field || h.Start < 0 || h.End > len(s) || h.Start >= h.End ||
			!utf8.RuneStart(s[h.Start]) || (h.End < len(s) && !utf8.RuneStart(s[h.End])) {
			continue
		}
		out = append(out, span{h.Start, h.End, h.Context})
	}
	slices.SortFunc(out, func(a, b span) int { return a.start - b.start })
	merged := out[:0]
	for _, sp := range out {
		if n := len(merged); n > 0 && sp.start <= merged[n-1].end {
			last := &merged[n-1]
			last.end = max(last.end, sp.end)
			last.context = last.context && sp.context
			continue
		}
		merged = append(merged, sp)
	}
	return merged
}

// parts cuts s[from:to] into parts at the spans (which may reach outside
// it) and at the bounds of its isolated runs.
func parts(s string, from, to int, spans []span) []textPart {
	var out []textPart
	isos := isolates(s, from, to)
	for at := from; at < to; {
		end, p := to, textPart{}
		for _, iso := range isos {
			switch {
			case iso.start == at:
				p.Open = iso.dir
				end = min(end, iso.end)
			case iso.start > at:
				end = min(end, iso.start)
			case iso.end > at:
				end = min(end, iso.end)
			}
		}
		for _, sp := range spans {
			switch {
			case sp.end <= at:
			case sp.start <= at:
				p.Mark, p.Context = true, sp.context
				end = min(end, sp.end)
			default:
				end = min(end, sp.start)
			}
		}
		for _, iso := range isos {
			p.Close = p.Close || iso.end == end
		}
		p.Text = s[at:end]
		out = append(out, p)
		at = end
	}
	return out
}

// excerptReach is how many bytes of context an excerpt shows on each side
// of its hits, at most.
const excerptReach = 90

// excerpts returns at most n excerpts of s around the spans: each reaches
// up to excerptReach bytes either side, stays within its paragraph, ends
// at a space where there is one (whole words) and at a character boundary
// anyway, and shows an ellipsis where it cuts. Spans close together share
// an excerpt.
func excerpts(s string, spans []span, n int) [][]textPart {
	var out [][]textPart
	for i := 0; i < len(spans) && len(out) < n; {
		from := cutBack(s, spans[i].start)
		to := cutForward(s, spans[i].end)
		j := i + 1
		for ; j < len(spans) && spans[j].start < to && spans[j].end <= paragraphEnd(s, spans[i].end); j++ {
			to = max(to, cutForward(s, spans[j].end))
		}
		ex := parts(s, from, to, spans[i:j])
		if from > 0 && s[from-1] != '\n' {
			ex = slices.Insert(ex, 0, textPart{Text: "… "})
		}
		if to < len(s) && s[to] != '\n' {
			ex = append(ex, textPart{Text: " …"})
		}
		out = append(out, ex)
		i = j
	}
	return out
}

// paragraphEnd returns the end of the paragraph holding byte p.
func paragraphEnd(s string, p int) int {
	if i := strings.IndexByte(s[p:], '\n'); i >= 0 {
		return p + i
	}
	return len(s)
}

// cutBack returns where an excerpt ending its lead-in at p starts.
func cutBack(s string, p int) int {
	from := max(0, p-excerptReach)
	if i := strings.LastIndexByte(s[from:p], '\n'); i >= 0 {
		return from + i + 1
	}
	for from > 0 && from < len(s) && !utf8.RuneStart(s[from]) {
		from++
	}
	if from == 0 {
		return 0
	}
	if i := strings.IndexByte(s[from:p], ' '); i >= 0 {
		return from + i + 1
	}
	return from
}

// cutForward returns where an excerpt whose hits end at p ends.
func cutForward(s string, p int) int {
	to := min(len(s), p+excerptReach)
	if i := strings.IndexByte(s[p:to], '\n'); i >= 0 {
		return p + i
	}
	for to < len(s) && !utf8.RuneStart(s[to]) {
		to--
	}
	if to == len(s) {
		return to
	}
	if i := strings.LastIndexByte(s[p:to], ' '); i >= 0 {
		return p + i
	}
	return to
}

// maxShownText is how much of an article's text its page shows: the
// longest real articles are about 60 KB; a page stays under 150 KB.
const maxShownText = 90 << 10

// paragraphs cuts s into paragraphs (its lines) of parts, at most
// maxShownText bytes of it, and returns how many bytes it left out.
func paragraphs(s string, spans []span) ([][]textPart, int) {
	shown := s
	if len(s) > maxShownText {
		end := maxShownText
		for end > 0 && !utf8.RuneStart(s[end]) {
			end--
		}
		if i := strings.LastIndexByte(s[:end], '\n'); i > end/2 {
			end = i
		}
		shown = s[:end]
	}
	var out [][]textPart
	for at := 0; at < len(shown); {
		end := paragraphEnd(shown, at)
		if strings.TrimSpace(shown[at:end]) != "" {
			out = append(out, parts(shown, at, end, spans))
		}
		at = end + 1
	}
	return out, len(s) - len(shown)
}
