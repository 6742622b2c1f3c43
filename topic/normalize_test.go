package topic

import (
	"testing"

	"golang.org/x/text/unicode/norm"

	"github.com/newswatch/newswatch/news"
)

func TestNormalizeVietnameseTone(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"gìn giữ hoà bình", "gìn giữ hòa bình"},
		{"gìn giữ hòa bình", "gìn giữ hòa bình"},
		{"Cao uỷ, thoả thuận", "cao ủy thỏa thuận"},
		{"HOÀ GIẢI", "hòa giải"},
		{"khoẻ mạnh", "khỏe mạnh"},
		{"Hoàng Thuý", "hoàng thúy"}, // a final consonant keeps the tone on the second vowel
		{"quý", "qúy"},               // folded the same way in text and terms
		{"à", "à"},
		{"Noé", "nóe"},
	} {
		for _, form := range []norm.Form{norm.NFC, norm.NFD} {
			if got := Normalize(form.String(tc.in)); got != tc.want {
				t.Errorf("Normalize(%q) = %q, want %q", form.String(tc.in), got, tc.want)
			}
		}
	}
}

// TestMatchToneStyles checks that either tone placement matches a term
// written in the other, and that hit offsets point into the original.
func TestMatchToneStyles(t *testing.T) {
	m, err := Compile([]Topic{{Name: "pk", Query: `"gìn giữ hòa bình" OR "Cao uỷ"`}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ text, hit string }{
		{"Lực lượng gìn giữ hoà bình", "gìn giữ hoà bình"},
		{"Lực lượng gìn giữ hòa bình", "gìn giữ hòa bình"},
		{"Văn phòng Cao ủy nhân quyền", "Cao ủy"},
		{"Văn phòng Cao uỷ nhân quyền", "Cao uỷ"},
	} {
		for _, form := range []norm.Form{norm.NFC, norm.NFD} {
			s := form.String(tc.text)
			hits := m.Match(&news.Article{Text: s})
			if len(hits) != 1 {
				t.Fatalf("Match(%q) = %v, want one hit", s, hits)
			}
			if got, want := s[hits[0].Start:hits[0].End], form.String(tc.hit); got != want {
				t.Errorf("Match(%q) hit = %q, want %q", s, got, want)
			}
		}
	}
}
