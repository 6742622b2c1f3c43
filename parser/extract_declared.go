package parser

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// withDeclaredBody returns the article text to keep: found, the text the
// extractor found in the page, or the article body the page states in its
// schema.org metadata (JSON-LD articleBody), when that holds clearly more.
// Pages that render their article with JavaScript, and paywalled ones,
// carry only a teaser, captions and an author box in their HTML and the
// whole text in their metadata; taking the teaser would lose the article
// for matching, alerts and the archive. A declared body that is short or
// not clearly longer (a summary, the same text with captions) leaves the
// found text as it is. The standfirst, which sites often keep apart from
// articleBody as the description, leads the declared body when the page
// shows it and the body lacks it.
func withDeclaredBody(found string, ld ldInfo) string {
	if ld.body == "" {
		return found
	}
	declared := declaredText(ld.body)
	n, _ := measure(declared)
	if n < minArticle {
		return found
	}
	if m, _ := measure(found); n < 2*m {
		return found
	}
	if lead := declaredText(ld.summary); len(lead) >= 40 && !strings.Contains(declared, lead[:40]) && strings.Contains(found, lead[:40]) {
		return lead + "\n" + declared
	}
	return declared
}

// declaredText turns a JSON-LD articleBody into plain text with one
// paragraph per line: some sites put HTML in it, others entities or
// blank lines between paragraphs.
func declaredText(s string) string {
	if strings.Contains(s, "</") || strings.Contains(s, "<br") || strings.Contains(s, "<p") {
		nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
		if err == nil {
			var b strings.Builder
			for _, n := range nodes {
				if t := nodeText(n, nil); t != "" {
					b.WriteString(t)
					b.WriteByte('\n')
				}
			}
			s = b.String()
		}
	} else if strings.Contains(s, "&") {
		s = html.UnescapeString(s)
	}
	var b strings.Builder
	for line := range strings.Lines(s) {
		if line = strings.Join(strings.Fields(line), " "); line != "" {
			if b.Len() > 0 {
				b.WriteByte('\n')
			}
			b.WriteString(line)
		}
	}
	return dropInvisible(b.String())
}
