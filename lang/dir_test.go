package lang

import "testing"

func TestDir(t *testing.T) {
	for tag, want := range map[string]string{
		"ar": "rtl", "ar-EG": "rtl", "fa_IR": "rtl", "he": "rtl", "iw": "rtl", "ur": "rtl", "ckb": "rtl",
		"en": "ltr", "vi": "ltr", "zh-Hant": "ltr", "ru": "ltr", "": "ltr", "x": "ltr",
	} {
		if got := Dir(tag); got != want {
			t.Errorf("Dir(%q) = %q, want %q", tag, got, want)
		}
	}
}
