package parser

import (
	"net/url"
	"strings"

	"github.com/aymanbagabas/go-udiff"
)

// TextDiff compares two extracted texts of the same article, an older and
// a newer one, and returns a unified diff of their lines (paragraphs), or
// "" when they are the same text. Whitespace within and around lines is
// not a change: a site re-rendering the same words is no edit.
func TextDiff(older, newer string) string {
	a, b := diffLines(older), diffLines(newer)
	if a == b {
		return ""
	}
	return udiff.Unified("before", "after", a, b)
}

// diffLines normalises text for comparison: one non-empty line per
// paragraph, inner runs of white space as one space, ending in a newline.
func diffLines(text string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(text, "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			b.WriteString(strings.Join(f, " "))
			b.WriteByte('\n')
		}
	}
	return b.String()
}

// RedirectedAway reports whether a request for the article page at
// articleURL that ended at finalURL shows the article taken down: the
// site now sends it to its home page or to a section above it (a path
// that is a proper prefix of the article's, segment by segment, or any
// page of another site's root). A redirect to another article-like page
// (a new slug, a canonical URL) is not a takedown.
func RedirectedAway(articleURL, finalURL string) bool {
	a, err1 := url.Parse(articleURL)
	f, err2 := url.Parse(finalURL)
	if err1 != nil || err2 != nil || articleURL == finalURL {
		return false
	}
	fp := strings.Trim(f.Path, "/")
	if fp == "" {
		return true // the home page, of this site or another
	}
	if !strings.EqualFold(strings.TrimPrefix(a.Hostname(), "www."), strings.TrimPrefix(f.Hostname(), "www.")) {
		return false
	}
	ap := strings.Trim(a.Path, "/")
	return ap != fp && strings.HasPrefix(ap, fp+"/")
}
