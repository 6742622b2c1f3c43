package lang

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"vi-VN", "vi"}, {"zh-Hant-TW", "zh"}, {"", ""}, {"EN_us", "en"}, {"ar", "ar"},
		{" fr ", "fr"}, {"iw", "he"}, {"x", ""}, {"12", ""}, {"und", "und"},
		{"zh_CN", "zh"}, {"fil", "fil"}, {"english", ""}, {"en, fr", "en"}, {"vi;q=0.9", "vi"},
	} {
		if got := Normalize(tc.in); got != tc.want {
			t.Errorf("Normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"Bộ Công an tổ chức hội nghị về công tác phòng, chống mua bán người và hỗ trợ nạn nhân.", "vi"},
		{"Police said on Tuesday that they had freed 40 people who had been trafficked to work in bars.", "en"},
		{"أعلنت وزارة الداخلية ضبط شبكة تعمل في الاتجار بالبشر واستغلال الفتيات.", "ar"},
		{"La police a démantelé un réseau qui exploitait des jeunes femmes, victimes de la traite.", "fr"},
		{"La Policía Nacional liberó a 15 mujeres víctimas de trata con fines de explotación sexual.", "es"},
		{"公安机关成功解救被拐妇女12名、儿童5名，抓获人贩子20余人。", "zh"},
		{"Полиция задержала группу, занимавшуюся торговлей людьми и сексуальной эксплуатацией.", "ru"},
		{"Объявленный в розыск подъезд: полиция объяснила, что съезд отменён.", "ru"},
		{"Поліція затримала групу, яка займалася торгівлею людьми та сексуальною експлуатацією.", "uk"},
		{"Ґрунтовне розслідування: їх завербували через соціальні мережі, кажуть у поліції.", "uk"},
		{"Полицията задържа група, която се занимаваше с трафик на хора и сексуална експлоатация във Варна.", "bg"},
		{"Полиција је ухапсила групу која се бавила трговином људима, саопштио је ђачки центар у Ћуприји.", "sr"},
		{"Влада је усвојила нови закон о азилу и најавила заједничке патроле на граници.", "sr"},
		{"Полицијата уапси група која се занимавала со трговија со луѓе, соопшти Министерството за внатрешни работи на ќерката.", "mk"},
		{"Міліцыя затрымала групу, якая займалася гандлем людзьмі ў Мінску і Брэсце, паведамілі ўлады.", "be"},
		{"警察は人身取引の被害者を保護したと発表した。", "ja"},
		{"경찰은 인신매매 피해자들을 구조했다고 밝혔다.", "ko"},
		{"ตำรวจช่วยเหลือเหยื่อการค้ามนุษย์ได้หลายคน", "th"},
		{"Die Polizei hat am Dienstag mehrere Opfer von Menschenhandel befreit und die Täter sind nicht gefasst.", "de"},
		{"La polizia ha liberato diverse vittime della tratta di esseri umani che sono state sfruttate per anni.", "it"},
		{"Polisi menyelamatkan korban perdagangan orang yang dibawa ke luar negeri dengan janji pekerjaan untuk mereka.", "id"},
		{"OK", ""},
		{"", ""},
	} {
		if got := Detect(tc.text); got != tc.want {
			t.Errorf("Detect(%q) = %q, want %q", tc.text, got, tc.want)
		}
		if got := Detect(norm.NFD.String(tc.text)); got != tc.want {
			t.Errorf("Detect(NFD %q) = %q, want %q", tc.text, got, tc.want)
		}
	}
}

// TestDetectDevset checks Detect on the topic engine's labelled snippets.
func TestDetectDevset(t *testing.T) {
	f, err := os.Open("../topic/testdata/devset.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n, wrong := 0, 0
	for sc.Scan() {
		var d struct{ ID, Lang, Title, Text string }
		if err := json.Unmarshal(sc.Bytes(), &d); err != nil {
			t.Fatal(err)
		}
		n++
		if got := Detect(d.Title + "\n" + d.Text); got != d.Lang {
			wrong++
			t.Logf("Detect(%s %q) = %q, want %q", d.ID, d.Title, got, d.Lang)
		}
	}
	if wrong*20 > n {
		t.Errorf("Detect wrong on %d of %d snippets, want at most 5%%", wrong, n)
	}
}

func TestDetectLongTextIsCut(t *testing.T) {
	text := strings.Repeat("Liên hợp quốc và Việt Nam ", 1000)
	if got := Detect(text); got != "vi" {
		t.Errorf("Detect(long) = %q, want vi", got)
	}
}

func FuzzDetect(f *testing.F) {
	f.Add("Bộ Công an tổ chức hội nghị")
	f.Add("公安机关成功解救被拐妇女")
	f.Fuzz(func(t *testing.T, s string) {
		if got := Detect(s); got != "" && Normalize(got) != got {
			t.Errorf("Detect(%q) = %q, not a normalised code", s, got)
		}
	})
}

func BenchmarkDetect(b *testing.B) {
	text := strings.Repeat("La police a démantelé un réseau qui exploitait des jeunes femmes. ", 100)
	b.SetBytes(int64(min(len(text), sampleSize)))
	for b.Loop() {
		Detect(text)
	}
}
