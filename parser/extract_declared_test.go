package parser

import (
	"strings"
	"testing"
)

func TestWithDeclaredBody(t *testing.T) {
	para := "Agentes de la Policía Federal liberaron el sábado a once mujeres que eran explotadas en dos locales nocturnos. "
	long := strings.Repeat(para, 8)                 // ~900 characters
	teaser := "Once mujeres liberadas en Misiones." // what a JavaScript page shows
	standfirst := "La policía liberó a once mujeres retenidas en dos locales nocturnos de Misiones."
	tests := []struct {
		name  string
		found string
		ld    ldInfo
		want  string
	}{
		{"no metadata", teaser, ldInfo{}, teaser},
		{"declared body taken when the page shows a teaser", teaser, ldInfo{body: long}, strings.TrimSpace(long)},
		{"a short declared body is a summary", long, ldInfo{body: para}, long},
		{"a declared body not clearly longer leaves the page's text", long[:600], ldInfo{body: long}, long[:600]},
		{"paragraphs kept, blank lines and spaces folded", teaser, ldInfo{body: "  " + long + "\n\n\n" + long + "  "},
			strings.TrimSpace(long) + "\n" + strings.TrimSpace(long)},
		{"HTML in the body is rendered as text", teaser, ldInfo{body: "<p>" + long + "</p><p>Fin &amp; cierre.</p>"},
			strings.TrimSpace(long) + "\nFin & cierre."},
		{"entities in plain text are decoded", teaser, ldInfo{body: long + " &quot;Fin&quot;"}, strings.TrimSpace(long) + ` "Fin"`},
		{"the standfirst the page shows leads", teaser + "\n" + standfirst, ldInfo{body: long, summary: standfirst},
			standfirst + "\n" + strings.TrimSpace(long)},
		{"a standfirst the page does not show is left out", teaser, ldInfo{body: long, summary: standfirst}, strings.TrimSpace(long)},
		{"a standfirst the body holds is not repeated", para + "\n" + teaser, ldInfo{body: long, summary: para}, strings.TrimSpace(long)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := withDeclaredBody(tt.found, tt.ld); got != tt.want {
				t.Errorf("withDeclaredBody() =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

// TestExtractDecodesJSONLDWhenItCounts: the JSON-LD blocks are decoded
// only when they can change the article; a page whose meta tags give the
// title, author and date still has its declared body taken, its key
// spelled plainly or with \u escapes.
func TestExtractDecodesJSONLDWhenItCounts(t *testing.T) {
	body := strings.Repeat("Agentes de la Policía Federal liberaron el sábado a once mujeres explotadas en dos locales. ", 8)
	for _, key := range []string{"articleBody", `article\u0042ody`} {
		page := `<html><head><meta property="og:title" content="Once mujeres liberadas">` +
			`<meta property="article:author" content="Redacción"><meta property="article:published_time" content="2026-11-20T10:00:00Z">` +
			`<script type="application/ld+json">{"@type":"NewsArticle","headline":"Otro título","` + key + `":"` + body + `"}</script>` +
			`</head><body><article><p>Once mujeres liberadas en Misiones.</p></article></body></html>`
		a, err := ExtractArticle([]byte(page), "text/html; charset=utf-8", "https://example.org/a")
		if err != nil {
			t.Fatal(err)
		}
		if a.Text != strings.TrimSpace(body) || a.Title != "Once mujeres liberadas" || a.Byline != "Redacción" {
			t.Errorf("key %s: ExtractArticle = title %q, byline %q, text %.80q, want the meta tags' title and author and the declared body", key, a.Title, a.Byline, a.Text)
		}
	}
}
