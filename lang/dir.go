package lang

// rtl are the languages written right to left, by primary subtag: Arabic
// and the languages written in its script (Persian, Urdu, Pashto, Sorani,
// Sindhi, Uyghur), Hebrew and Yiddish, Dhivehi (Thaana). The one list in
// newswatch: parser, alerts and the dashboard ask Dir.
var rtl = map[string]bool{
	"ar": true, "fa": true, "ur": true, "ps": true, "ckb": true, "sd": true, "ug": true,
	"he": true, "yi": true, "dv": true,
}

// Dir returns the writing direction of a language tag, "rtl" or "ltr";
// any tag Normalize accepts ("ar-EG", "he", "iw").
func Dir(tag string) string {
	if rtl[Normalize(tag)] {
		return "rtl"
	}
	return "ltr"
}
