package story

import (
	"slices"
	"strings"
	"testing"
)

// zKeys returns the transliteration keys that extract finds in s.
func zKeys(s string) []string {
	f := facts{}
	extract(s, f, &scratch{})
	var out []string
	for k := range f {
		if strings.HasPrefix(k, "z:") {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}

// TestTranslitMeets checks that a foreign name written in Latin or
// Cyrillic letters and its Chinese transliteration share a key.
func TestTranslitMeets(t *testing.T) {
	for _, c := range []struct{ latin, han string }{
		{"said Antonio Guterres.", "秘书长安东尼奥·古特雷斯表示"},
		{"said Guterres.", "秘书长古特雷斯表示"},
		{"said Ghada Waly.", "执行主任加达·瓦利指出"},
		{"by Donald Trump.", "美国总统特朗普表示"},
		{"said Volker Türk.", "人权高专福尔克尔·蒂尔克说"},
		{"said Zelensky.", "泽连斯基说"},
		{"said Lavrov.", "外长拉夫罗夫说"},
		{"said Blinken.", "国务卿布林肯表示"},
		{"said Macron.", "总统馬克龍表示"},
		{"заявил Гутерриш.", "古特雷斯表示"},
	} {
		l, h := zKeys(c.latin), zKeys(c.han)
		shared := false
		for _, k := range l {
			shared = shared || slices.Contains(h, k)
		}
		if !shared {
			t.Errorf("%q %v and %q %v share no key", c.latin, l, c.han, h)
		}
	}
}

// TestTranslitStaysApart checks names that must not meet, and Chinese
// words that are no names.
func TestTranslitStaysApart(t *testing.T) {
	for _, c := range []struct{ latin, han string }{
		{"said Guterres.", "特朗普表示"},
		{"said Ghada Waly.", "凯瑟琳·拉塞尔说"},
		{"said Blinken.", "拉夫罗夫说"},
	} {
		l, h := zKeys(c.latin), zKeys(c.han)
		for _, k := range l {
			if slices.Contains(h, k) {
				t.Errorf("%q and %q share %s", c.latin, c.han, k)
			}
		}
	}
	for _, s := range []string{
		"越南和东南亚多国代表在大会上发言", // common words and places: 东南亚, 代表
		"马来西亚警方解救了多名受害者",   // a place of the gazetteer
		"特别报告员说",           // 特 alone
	} {
		if k := zKeys(s); len(k) > 0 {
			t.Errorf("%q gives keys %v", s, k)
		}
	}
}
