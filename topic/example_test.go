package topic_test

import (
	"fmt"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

func ExampleParse() {
	q, err := topic.Parse(`"human trafficking" OR (traffick* NEAR/3 (women OR children)) NOT title:drugs`)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(q)
	_, err = topic.Parse(`"United Nations" (united`)
	fmt.Println(err)
	// Output:
	// ("human trafficking" OR ((traffick* NEAR/3 (women OR children)) AND NOT title:drugs))
	// 1:25: expected ")" after "(united"
}

func ExampleNormalize() {
	fmt.Println(topic.Normalize("Ｈuman  TRAFFICKING\n(U.N.)"))
	fmt.Println(topic.Normalize("الإتجار بالبشر"))
	fmt.Println(topic.Normalize("聯(lián)合國"))
	fmt.Println(topic.Normalize("Организация Объединённых Наций"))
	// Output:
	// human trafficking u n
	// الاتجار بالبشر
	// 联合国
	// организация объединенных наций
}

func ExampleMatcher_Match() {
	m, err := topic.Compile([]topic.Topic{
		{Name: "un", Query: `"United Nations" OR =UN OR =ONU OR "الأمم المتحدة" OR 联合国`},
		{Name: "trafficking", Query: `"human trafficking" OR "торговл* людьми" OR "mua bán người"`},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, text := range []string{
		"The UN warns of human trafficking",
		"Un homme arrêté à Paris",   // French article, not the ONU
		"دعم للأمم المتحدة",         // clitic ل + ال
		"聯合國報告",                     // Traditional Chinese
		"Борьба с торговлей людьми", // inflected head noun
	} {
		for _, h := range m.Match(&news.Article{Text: text}) {
			fmt.Printf("%s: %s %q\n", h.Topic, h.Term, text[h.Start:h.End])
		}
	}
	// Output:
	// un: UN "UN"
	// trafficking: human trafficking "human trafficking"
	// un: الأمم المتحدة "للأمم المتحدة"
	// un: 联合国 "聯合國"
	// trafficking: торговл* людьми "торговлей людьми"
}

// A topic that counts a named crime only when the article is about it,
// and what Explain says about a passing mention and about a case.
func ExampleMatcher_Explain() {
	m, err := topic.Compile([]topic.Topic{{Name: "trafficking", Query: `
		LET named = ("human trafficking" OR "trafficking in persons")
		SCORE(+$named^3, title:$named, (victims OR sold OR rescued OR brothel),
		      (terrorism OR "drug trafficking" OR cybercrime)^-1) >= 4`}})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, text := range []string{
		"They agreed to fight terrorism, drug trafficking, human trafficking and cybercrime.",
		"A man was jailed for human trafficking after he sold two girls to a brothel.",
	} {
		for _, e := range m.Explain(&news.Article{Text: text}) {
			s := e.Salience[0]
			fmt.Printf("matched %v: %s %g of %g\n", e.Matched, s.Rule, s.Score, s.Threshold)
			for _, h := range e.Hits {
				fmt.Printf("  %s\n", h.Term)
			}
		}
	}
	// Output:
	// matched false: SCORE 0 of 4
	// matched true: SCORE 5 of 4
	//   human trafficking
	//   sold
	//   brothel
}
