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
