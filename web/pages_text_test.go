package web

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

// render writes parts as the template does, marks in brackets and
// isolated runs in <dir:…>.
func render(ps []textPart) string {
	var b strings.Builder
	for _, p := range ps {
		if p.Open != "" {
			b.WriteString("<" + p.Open + ":")
		}
		switch {
		case p.Context:
			b.WriteString("{" + p.Text + "}")
		case p.Mark:
			b.WriteString("[" + p.Text + "]")
		default:
			b.WriteString(p.Text)
		}
		if p.Close {
			b.WriteString(">")
		}
	}
	return b.String()
}

// hitAt is a text hit on the first occurrence of term in s.
func hitAt(s, term string, context bool) news.Hit {
	i := strings.Index(s, term)
	return news.Hit{Field: news.FieldText, Start: i, End: i + len(term), Context: context}
}

func TestHitSpans(t *testing.T) {
	t.Parallel()
	s := "bị bán sang Campuchia làm việc"
	tests := []struct {
		name string
		hits []news.Hit
		want string
	}{
		{"one", []news.Hit{hitAt(s, "bị bán", false)}, "[bị bán] sang Campuchia làm việc"},
		{"context", []news.Hit{hitAt(s, "bị bán", false), hitAt(s, "Campuchia", true)}, "[bị bán] sang {Campuchia} làm việc"},
		{"overlapping merge, decisive wins", []news.Hit{hitAt(s, "bán sang", true), hitAt(s, "bị bán", false)}, "[bị bán sang] Campuchia làm việc"},
		{"another field", []news.Hit{{Field: news.FieldTitle, Start: 0, End: 3}}, s},
		{"out of range", []news.Hit{{Field: news.FieldText, Start: 10, End: 500}}, s},
		{"empty", []news.Hit{{Field: news.FieldText, Start: 4, End: 4}}, s},
		{"cuts a character", []news.Hit{{Field: news.FieldText, Start: 0, End: 2}}, s}, // "bị" is b + 3 bytes
		{"starts inside a character", []news.Hit{{Field: news.FieldText, Start: 2, End: 5}}, s},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := render(parts(s, 0, len(s), hitSpans(s, tt.hits, news.FieldText))); got != tt.want {
				t.Errorf("parts = %q, want %q", got, tt.want)
			}
		})
	}
}

// TestIsolates checks that a bracketed run whose letters all go the other
// way from its paragraph's is isolated, hits inside or across it still
// marked, and that nothing else is.
func TestIsolates(t *testing.T) {
	const wire = "(TTXVN/Vietnam+) قال مكتب الأمم المتحدة (UNODC) إن الضحايا"
	tests := []struct {
		name, s string
		hits    []string
		want    string
	}{
		{"Latin in Arabic", wire, nil, "<ltr:(TTXVN/Vietnam+)> قال مكتب الأمم المتحدة <ltr:(UNODC)> إن الضحايا"},
		{"a hit inside", wire, []string{"UNODC"}, "<ltr:(TTXVN/Vietnam+)> قال مكتب الأمم المتحدة <ltr:([UNODC])> إن الضحايا"},
		{"a hit across the bracket", wire, []string{"Vietnam+) قال"}, "<ltr:(TTXVN/[Vietnam+)]>[ قال] مكتب الأمم المتحدة <ltr:(UNODC)> إن الضحايا"},
		{"Arabic in English", "The UN office (مكتب الأمم المتحدة) said", nil, "The UN office <rtl:(مكتب الأمم المتحدة)> said"},
		{"same direction", "The office (UNODC) said [sic] (2026)", nil, "The office (UNODC) said [sic] (2026)"},
		{"mixed inside", "قال (UN مكتب) إن", nil, "قال (UN مكتب) إن"},
		{"nested: the outer run", "قال ((UN) office) إن الضحايا", nil, "قال <ltr:((UN) office)> إن الضحايا"},
		{"unclosed", "(TTXVN قال مكتب الأمم المتحدة", nil, "(TTXVN قال مكتب الأمم المتحدة"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var hits []news.Hit
			for _, h := range tt.hits {
				hits = append(hits, hitAt(tt.s, h, false))
			}
			if got := render(parts(tt.s, 0, len(tt.s), hitSpans(tt.s, hits, news.FieldText))); got != tt.want {
				t.Errorf("parts =\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestExcerpts(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("lorem ipsum dolor ", 20)
	zh := strings.Repeat("越南自2014年以来向联合国维和行动派遣人员", 6)
	tests := []struct {
		name string
		s    string
		hits []news.Hit
		want []string
	}{
		{"short text, whole", "Nạn nhân bị bán sang Campuchia.", []news.Hit{hitAt("Nạn nhân bị bán sang Campuchia.", "bị bán", false)},
			[]string{"Nạn nhân [bị bán] sang Campuchia."}},
		{"cut at spaces either side", long + "TRAFFICKING " + long, []news.Hit{hitAt(long+"TRAFFICKING "+long, "TRAFFICKING", false)},
			[]string{"… ipsum dolor lorem ipsum dolor lorem ipsum dolor lorem ipsum dolor lorem ipsum dolor [TRAFFICKING] lorem ipsum dolor lorem ipsum dolor lorem ipsum dolor lorem ipsum dolor lorem ipsum …"}},
		{"within the paragraph", "First paragraph.\nA hit here.\nLast one.", []news.Hit{hitAt("First paragraph.\nA hit here.\nLast one.", "hit", false)},
			[]string{"A [hit] here."}},
		{"two hits share an excerpt, a third far away gets its own", "one hit two hit " + long + "three", []news.Hit{
			hitAt("one hit two hit "+long+"three", "one", false), hitAt("one hit two hit "+long+"three", "two", false), hitAt("one hit two hit "+long+"three", "three", false)},
			[]string{"[one] hit [two] hit lorem ipsum dolor lorem ipsum dolor lorem ipsum dolor lorem ipsum dolor lorem ipsum …",
				"… ipsum dolor lorem ipsum dolor lorem ipsum dolor lorem ipsum dolor lorem ipsum dolor [three]"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, ex := range excerpts(tt.s, hitSpans(tt.s, tt.hits, news.FieldText), 2) {
				got = append(got, render(ex))
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("excerpts differ (-want +got):\n%s", diff)
			}
		})
	}
	// Chinese has no spaces: the excerpt is cut between characters.
	h := news.Hit{Field: news.FieldText, Start: len(zh) / 2, End: len(zh)/2 + len("联合国")}
	h.Start = strings.Index(zh[h.Start:], "联合国") + h.Start
	h.End = h.Start + len("联合国")
	ex := excerpts(zh, hitSpans(zh, []news.Hit{h}, news.FieldText), 2)
	if len(ex) != 1 || !utf8.ValidString(render(ex[0])) || !strings.Contains(render(ex[0]), "[联合国]") || len(render(ex[0])) > 2*excerptReach+20 {
		t.Errorf("Chinese excerpt = %q", render(ex[0]))
	}
}

func TestParagraphs(t *testing.T) {
	t.Parallel()
	s := "Một.\n\n  \nHai [x]."
	ps, cut := paragraphs(s, nil)
	if len(ps) != 2 || render(ps[0]) != "Một." || render(ps[1]) != "Hai [x]." || cut != 0 {
		t.Errorf("paragraphs(%q) = %v, cut %d", s, ps, cut)
	}
	long := strings.Repeat("Đây là một câu dài.\n", maxShownText/10)
	ps, cut = paragraphs(long, nil)
	shown := -1 // the paragraphs' newlines, the last one cut
	for _, p := range ps {
		shown += len(render(p)) + 1
	}
	if cut == 0 || shown+cut != len(long) || shown > maxShownText {
		t.Errorf("a long text shows %d bytes and cuts %d of %d", shown, cut, len(long))
	}
}

func TestLocalPath(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"/topics/un?lang=ar#a-1": "/topics/un?lang=ar#a-1",
		"":                       "/fallback",
		"topics":                 "/fallback",
		"//evil.example/x":       "/fallback",
		"/\\evil.example":        "/fallback",
		"https://evil.example/":  "/fallback",
		"/a\r\nSet-Cookie: x=1":  "/fallback",
	} {
		if got := localPath(in, "/fallback"); got != want {
			t.Errorf("localPath(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestChart(t *testing.T) {
	t.Parallel()
	c := newChart([]int{0, 2, 4}, t0, "matches")
	if c.Width != 15 || c.Height != 28 || c.Path != "M5 28h4v-13h-4zM10 28h4v-26h-4z" {
		t.Errorf("chart = %+v", c)
	}
	if want := "matches per day from 2026-11-29 to 2026-12-01: 6 in all, most on 2026-12-01 (4); the last 3 days: 0, 2, 4"; c.Label != want {
		t.Errorf("label = %q, want %q", c.Label, want)
	}
}
