package topic

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Long texts for snippets: the hit is in the middle, far from both ends.
const (
	snipEN = "The government of the province announced on Tuesday that a regional task force will coordinate shelters, hotlines and legal aid. Police said several human trafficking networks have launched a three-year campaign of recruitment through social media, promising jobs abroad to young people from rural districts, according to the report published by the ministry."
	snipAR = "أعلنت الحكومة يوم الثلاثاء عن خطة وطنية جديدة لتعزيز التعاون بين الوزارات والمنظمات غير الحكومية في مجال الحماية، وقالت إن مكافحة الاتجار بالبشر تتطلب تنسيقا أكبر بين الدول المجاورة وتبادلا منتظما للمعلومات حول الشبكات الإجرامية التي تستغل النساء والأطفال عبر الحدود في المنطقة."
	snipVI = "Theo báo cáo của Bộ Công an, trong năm qua các lực lượng chức năng đã phối hợp chặt chẽ với chính quyền địa phương để phòng chống mua bán người tại các tỉnh biên giới phía Bắc, đồng thời Đại hội đồng các tổ chức xã hội đã thông qua nhiều chương trình hỗ trợ nạn nhân trở về tái hòa nhập cộng đồng."
	snipZH = "据新华社报道，公安部近日召开新闻发布会，通报了近年来全国公安机关开展打击拐卖妇女儿童犯罪专项行动的情况。发布会上介绍，各地公安机关坚持以人民为中心的发展思想，持续加大打击力度，依法严惩人贩子，全力解救被拐卖的妇女儿童，切实维护人民群众合法权益，取得了显著成效，社会各界给予高度评价。"
)

func TestSnippet(t *testing.T) {
	for _, tc := range []struct {
		name, text, hit string
		want            string // "" to check only the properties
	}{
		{"short field whole", "UN: Human\nTrafficking", "Human\nTrafficking", "UN: Human\nTrafficking"},
		{"en", snipEN, "human trafficking", "…and legal aid. Police said several human trafficking networks have launched a three-year campaign of recruitment…"},
		{"ar", snipAR, "الاتجار بالبشر", "…الحكومية في مجال الحماية، وقالت إن مكافحة الاتجار بالبشر تتطلب تنسيقا أكبر بين الدول المجاورة وتبادلا منتظما…"},
		{"vi", snipVI, "mua bán người", "…với chính quyền địa phương để phòng chống mua bán người tại các tỉnh biên giới phía Bắc, đồng thời Đại hội đồng các…"},
		{"vi NFD", norm.NFD.String(snipVI), norm.NFD.String("mua bán người"), ""},
		{"zh", snipZH, "拐卖", ""},
		{"zh near the end", snipZH, "人贩子", "…专项行动的情况。发布会上介绍，各地公安机关坚持以人民为中心的发展思想，持续加大打击力度，依法严惩人贩子，全力解救被拐卖的妇女儿童，切实维护人民群众合法权益，取得了显著成效，社会各界给予高度评价。"},
		{"long word", strings.Repeat("x", 300) + " UN " + strings.Repeat("y", 300), "UN", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := strings.Index(tc.text, tc.hit)
			end := start + len(tc.hit)
			got := snippet(tc.text, start, end)
			if tc.want != "" && got != tc.want {
				t.Errorf("snippet(%q) = %q, want %q", tc.hit, got, tc.want)
			}
			checkSnippet(t, tc.text, start, end, got)
		})
	}
}

// checkSnippet checks what every snippet must be: valid text that holds
// the hit, about snippetRunes long, cut only between words (or anywhere
// in Han text) and never before a combining mark, "…" where cut.
func checkSnippet(t *testing.T, text string, start, end int, got string) {
	t.Helper()
	if !strings.Contains(got, text[start:end]) {
		t.Errorf("snippet %q does not contain the hit %q", got, text[start:end])
	}
	body, cutL := strings.CutPrefix(got, ellipsis)
	body, cutR := strings.CutSuffix(body, ellipsis)
	i := strings.Index(text, body)
	if i < 0 {
		t.Fatalf("snippet %q is not a piece of the text", got)
	}
	if cutL != (i > 0) || cutR != (i+len(body) < len(text)) {
		t.Errorf("snippet %q: ellipses %v %v, want them exactly where the text was cut", got, cutL, cutR)
	}
	if n := utf8.RuneCountInString(body); n > snippetRunes+2*boundarySlack+utf8.RuneCountInString(text[start:end]) {
		t.Errorf("snippet %q has %d characters", got, n)
	}
	if cutL {
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		first, _ := utf8.DecodeRuneInString(body)
		if !separator(before) && !continuous(first) || unicode.Is(unicode.Mn, first) {
			t.Errorf("snippet %q starts inside a word (after %q)", got, before)
		}
	}
	if cutR {
		after, _ := utf8.DecodeRuneInString(text[i+len(body):])
		last, _ := utf8.DecodeLastRuneInString(body)
		if !separator(after) && !continuous(last) && !separator(last) || unicode.Is(unicode.Mn, after) {
			t.Errorf("snippet %q ends inside a word (before %q)", got, after)
		}
	}
}

func FuzzSnippet(f *testing.F) {
	for _, s := range []string{snipEN, snipAR, snipVI, norm.NFD.String(snipVI), snipZH} {
		f.Add(s, len(s)/2, len(s)/2+10)
	}
	f.Fuzz(func(t *testing.T, s string, start, end int) {
		if !utf8.ValidString(s) || start < 0 || end > len(s) || start >= end || !utf8.RuneStart(s[start]) || end < len(s) && !utf8.RuneStart(s[end]) {
			return
		}
		got := snippet(s, start, end)
		if !utf8.ValidString(got) || !strings.Contains(got, s[start:end]) {
			t.Errorf("snippet(%q, %d, %d) = %q", s, start, end, got)
		}
	})
}
