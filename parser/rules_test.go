package parser

import (
	"os"
	"strings"
	"testing"
)

func TestNewExtractorErrors(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		want []string // substrings of the error
	}{
		{"bad body", Rule{Name: "x", Hosts: []string{"x.example"}, Body: "div[["}, []string{`"x"`, `div[[`, "body"}},
		{"bad remove", Rule{Hosts: []string{"y.example"}, Body: "article", Remove: []string{".ok", "p:nope(1)"}}, []string{`"y.example"`, "p:nope(1)"}},
		{"no hosts", Rule{Name: "z", Body: "article"}, []string{`"z"`, "no hosts"}},
		{"no body", Rule{Hosts: []string{"w.example"}}, []string{"no body"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := NewExtractor([]Rule{tt.rule})
			if err == nil {
				t.Fatalf("NewExtractor(%+v) error = nil, want one", tt.rule)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("NewExtractor(%+v) error = %q, want it to mention %q", tt.rule, err, w)
				}
			}
		})
	}
}

func TestExtractorRules(t *testing.T) {
	page, err := os.ReadFile("testdata/pages/vnp_en.html")
	if err != nil {
		t.Fatal(err)
	}
	user := Rule{Name: "vnp-en-sapo", Hosts: []string{"en.vietnamplus.vn"}, Title: "title", Body: ".article__sapo"}
	missing := Rule{Name: "gone", Hosts: []string{"news.example"}, Body: ".no-such-class", Remove: []string{"nav"}}
	mirror := Rule{Name: "vietnamplus", Hosts: []string{"Mirror.example."}} // the built-in rule on one more host
	ex, err := NewExtractor([]Rule{user, missing, mirror})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		url, extractor string
		rule           string // Article.Rule
		fellBack       bool   // Article.RuleFellBack
		text           string // the text starts with it
		contains       string
	}{
		{"https://en.vietnamplus.vn/a-post1.vnp", "site:vnp-en-sapo", "vnp-en-sapo", false, "Vietnam and Laos agreed", ""},
		{"https://www.vietnamplus.vn/a-post1.vnp", "site:vietnamplus", "vietnamplus", false, "Vietnam and Laos agreed", "remove obstacles"},
		{"https://sub.news.example/a", "fallback:gone", "gone", true, "", "remove obstacles"},
		{"https://www.mirror.example/a-post1.vnp", "site:vietnamplus", "vietnamplus", false, "Vietnam and Laos agreed", "remove obstacles"},
		// The built-in rule is bound to its hosts, whatever the markup.
		{"https://other.example/a", "generic", "", false, "", "remove obstacles"},
		{"https://notvietnamplus.vn/a", "generic", "", false, "", "remove obstacles"},
	}
	for _, tt := range tests {
		a, err := ex.Extract(page, "", tt.url)
		if err != nil {
			t.Fatalf("Extract(%q) error: %v", tt.url, err)
		}
		if a.Extractor != tt.extractor || a.Rule != tt.rule || a.RuleFellBack != tt.fellBack {
			t.Errorf("Extract(%q) = extractor %q, rule %q, fell back %v; want %q, %q, %v",
				tt.url, a.Extractor, a.Rule, a.RuleFellBack, tt.extractor, tt.rule, tt.fellBack)
		}
		if !strings.HasPrefix(a.Text, tt.text) || !strings.Contains(a.Text, tt.contains) {
			t.Errorf("Extract(%q).Text = %q, want prefix %q containing %q", tt.url, a.Text, tt.text, tt.contains)
		}
		if tt.extractor == "site:vnp-en-sapo" && strings.Contains(a.Text, "two-way trade") {
			t.Errorf("Extract(%q).Text = %q, want only the sapo", tt.url, a.Text)
		}
	}
}

func TestCleanVietnamPlus(t *testing.T) {
	tests := map[string]string{
		"Hà Nội, 30/7 (TTXVN/Vietnam+)": "Hà Nội, 30/7",
		"(VNA/VNP)":                     "",
		"推动两国经济合作迈上新台阶。（完）":                "推动两国经济合作迈上新台阶。",
		"（越通社–VNA）":                        "",
		"Giá vàng (SJC) tăng mạnh.":        "Giá vàng (SJC) tăng mạnh.",
		"The UN (United Nations) said so.": "The UN (United Nations) said so.",
		"Hanoi (VNA) – The ministry said.": "Hanoi (VNA) – The ministry said.",
	}
	for in, want := range tests {
		if got := cleanVietnamPlus(in); got != want {
			t.Errorf("cleanVietnamPlus(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestIsWidgetLine(t *testing.T) {
	tests := map[string]bool{
		"Bình luận (0)":    true,
		"تعليق (0)":        true,
		"评论 (12)":          true,
		"Comments (3)":     true,
		"30/07/2024 08:15": true,
		"Bình luận của chuyên gia rất rõ.": false,
		"Share prices rose 3% on Tuesday.": false,
		"2024":                             true,
	}
	for in, want := range tests {
		if got := isWidgetLine(in); got != want {
			t.Errorf("isWidgetLine(%q) = %v, want %v", in, got, want)
		}
	}
}

// TestRuleRemovalKeepsBody gives a rule removals that match its body and
// the wrapper around it: they must not delete the body, only what lies
// beside it.
func TestRuleRemovalKeepsBody(t *testing.T) {
	page := []byte(`<html><body><div class="wrap"><div class="nota">
<p>La policía rescató a 14 trabajadores retenidos en una obra de Monterrey sin documentos ni salario.</p>
<aside>Lo más leído: Suben los precios</aside>
<p>Los responsables fueron detenidos y serán juzgados por trabajos forzados.</p>
</div></div><div class="ads">Publicidad</div></body></html>`)
	ex, err := NewExtractor([]Rule{{Hosts: []string{"diario.example"}, Body: ".nota", Remove: []string{".wrap", "div.nota", "aside", ".ads"}}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := ex.Extract(page, "", "https://diario.example/n")
	if err != nil {
		t.Fatal(err)
	}
	want := "La policía rescató a 14 trabajadores retenidos en una obra de Monterrey sin documentos ni salario.\n" +
		"Los responsables fueron detenidos y serán juzgados por trabajos forzados."
	if a.Text != want || a.Extractor != "site:diario.example" {
		t.Errorf("Extract() = %q, %q; want %q, site:diario.example", a.Extractor, a.Text, want)
	}
}
