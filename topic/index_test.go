package topic

import (
	"testing"
	"unicode"

	"github.com/google/go-cmp/cmp"
)

func TestIndexTerms(t *testing.T) {
	tests := []struct {
		name, text string
		want       []string
	}{
		{"latin", "Human-Trafficking, U.N.", []string{"human", "trafficking", "u", "n", "human trafficking", "trafficking u", "u n"}},
		{"arabic pairs", "لمكافحة وبالأمم المتحدة", []string{"امم المتحده", "بالامم المتحده", "وبالامم المتحده", "لمكافحه وبالامم"}},
		{"vietnamese old tone", "Hoà bình", []string{"hòa", "bình"}},
		{"arabic proclitics", "وبالأمم", []string{"وبالامم", "بالامم", "الامم", "امم"}},
		{"han pairs", "聯合國X", []string{"联合", "合国", "联合国", "国", "x"}},
		{"one han", "国", []string{"国"}},
		{"exact case", "The UN-backed ONU, Onu", []string{ExactPrefix + "UN", ExactPrefix + "ONU", ExactPrefix + "Onu", ExactPrefix + "The", "un"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			IndexTerms(tt.text, func(s string) bool { got = append(got, s); return true })
			seen := map[string]bool{}
			for _, g := range got {
				seen[g] = true
			}
			for _, w := range tt.want {
				if !seen[w] {
					t.Errorf("IndexTerms(%q) = %q, want it to hold %q", tt.text, got, w)
				}
			}
		})
	}
}

func TestClauseForms(t *testing.T) {
	tests := []struct {
		query string
		want  [][]IndexTerm
	}{
		{`"human trafficking"`, [][]IndexTerm{{{Text: "human trafficking"}}}},
		{`"trafficking in persons"`, [][]IndexTerm{{{Text: "trafficking in"}, {Text: "in persons"}}}},
		{`"forced labo*"`, [][]IndexTerm{{{Text: "forced labo", Prefix: true}}}},
		{`"торговл* людьми"`, [][]IndexTerm{{{Text: "торговл", Prefix: true}, {Text: "людьми"}}}},
		{`联合国`, [][]IndexTerm{{{Text: "联合国"}}}},
		{`贩卖妇女`, [][]IndexTerm{{{Text: "贩卖妇"}, {Text: "卖妇女"}}}},
		{`维和`, [][]IndexTerm{{{Text: "维和"}}}},
		{`拐`, [][]IndexTerm{{{Text: "拐", Prefix: true}}}},
		{`=UN`, [][]IndexTerm{{{Text: ExactPrefix + "UN"}}}},
		{`="U.N."`, [][]IndexTerm{{{Text: "u n"}}}},
		{`"الأمم المتحدة"`, [][]IndexTerm{{{Text: "امم المتحده"}}, {{Text: "اممالمتحده"}}}},
		{`"mua bán người"`, [][]IndexTerm{{{Text: "mua bán"}, {Text: "bán người"}}, {{Text: "mua ban"}, {Text: "ban nguoi"}}}},
		{`"联合国 UN"`, [][]IndexTerm{{{Text: "联合国"}, {Text: "un"}}}},
	}
	for _, tt := range tests {
		q, err := Parse(tt.query)
		if err != nil {
			t.Fatal(err)
		}
		c := q.Clause()
		if c.Op != OpTerm {
			t.Fatalf("Parse(%q).Clause().Op = %v, want OpTerm", tt.query, c.Op)
		}
		if diff := cmp.Diff(c.Forms, tt.want); diff != "" {
			t.Errorf("Parse(%q).Clause().Forms: (-got +want)\n%s", tt.query, diff)
		}
	}
}

// TestIsUpper checks isUpper's shortcuts against unicode.IsUpper on
// every code point, and hasUpper on words in several scripts.
func TestIsUpper(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := isUpper(r), unicode.IsUpper(r); got != want {
			t.Fatalf("isUpper(%U) = %v, want %v", r, got, want)
		}
	}
	for _, tc := range []struct {
		word string
		want bool
	}{{"un", false}, {"UN", true}, {"uN", true}, {"Москва", true}, {"москва", false}, {"ООН", true}, {"الأمم", false}, {"联合国", false}, {"Việt", true}, {"việt", false}, {"\xff\xfe", false}} {
		if got := hasUpper(tc.word); got != tc.want {
			t.Errorf("hasUpper(%q) = %v, want %v", tc.word, got, tc.want)
		}
	}
}
