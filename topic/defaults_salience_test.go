package topic

import (
	"slices"
	"testing"

	"github.com/newswatch/newswatch/news"
)

// TestDefaultTopicSalience checks the built-in trafficking topic on what
// issue 10 asks of it: a single mention of human trafficking in a list of
// other crimes does not match; one sentence about a trafficking case, in
// an article about something else, does.
func TestDefaultTopicSalience(t *testing.T) {
	m, err := Compile(defaultTopics(t))
	if err != nil {
		t.Fatal(err)
	}
	filler := "The council also discussed the budget, school repairs and the new bus routes, which will start in March. "
	for _, tc := range []struct {
		name, lang, text string
		want             bool
	}{
		{"en list", "en", filler + "The ministers agreed to fight terrorism, drug trafficking, human trafficking, arms smuggling and cybercrime together.", false},
		{"en case", "en", filler + "In a separate case, a man was jailed for human trafficking after he sold two girls to a brothel.", true},
		{"fr list", "fr", "Les deux pays coopéreront contre le terrorisme, le trafic de stupéfiants, la traite des êtres humains et la cybercriminalité.", false},
		{"fr case", "fr", "Le conseil a voté le budget. Par ailleurs, un homme a été condamné pour traite des êtres humains : il avait vendu deux jeunes femmes à un réseau.", true},
		{"es list", "es", "Acordaron cooperar contra el narcotráfico, la trata de personas, el contrabando y el lavado de dinero.", false},
		{"es case", "es", "El pleno aprobó el presupuesto. Además, un hombre fue condenado por trata de personas tras vender a dos jóvenes a un prostíbulo.", true},
		{"ru list", "ru", "Стороны договорились бороться с терроризмом, наркотрафиком, торговлей людьми и отмыванием денег.", false},
		{"ru case", "ru", "Совет утвердил бюджет. Кроме того, суд приговорил мужчину за торговлю людьми: он продал двух девушек в бордель.", true},
		{"vi list", "vi", "Hai bên phối hợp đấu tranh với tội phạm ma túy, mua bán người, buôn lậu và khủng bố trên tuyến biên giới.", false},
		{"vi case", "vi", "Hội đồng thông qua ngân sách. Ngoài ra, một bị cáo nhận 10 năm tù về tội mua bán người vì đã bán hai phụ nữ sang Trung Quốc.", true},
		{"ar list", "ar", "اتفق الوزيران على التعاون في مكافحة الإرهاب وتهريب المخدرات والاتجار بالبشر وغسل الأموال.", false},
		{"ar case", "ar", "أقر المجلس الميزانية. ومن جهة أخرى، حكم على متهم بالسجن بتهمة الاتجار بالبشر لبيعه فتاتين لشبكة دعارة.", true},
		{"zh list", "zh", "双方同意在打击毒品犯罪、电信诈骗、拐卖人口、走私和恐怖主义等方面深化合作。", false},
		{"zh case", "zh", "会议审议了预算。另外，一名男子因拐卖妇女罪被判刑，他曾将两名女子卖给外地男子。", true},
	} {
		a := &news.Article{Title: "Weekly round-up", Text: tc.text, Lang: tc.lang}
		a.SetHits(m.Match(a))
		if got := slices.Contains(a.Topics, "trafficking"); got != tc.want {
			t.Errorf("%s: trafficking = %v, want %v (%s)", tc.name, got, tc.want, tc.text)
		}
	}
}
