package story

import (
	"strings"

	"github.com/newswatch/newswatch/topic"
)

// stopwords are frequent function words of the languages newswatch reads,
// in normalised form. They carry no story, and the window is often too
// small for their document frequency to say so.
var stopwords = func() map[string]bool {
	m := map[string]bool{}
	for _, list := range []string{
		// en
		"the of and to in a is that for on it with as was were be by at this from are an have has had not but or its which their they he she his her who will would been also said says after over more than about into new one two three last year years",
		// fr
		"le la les de des du un une et en est que qui dans pour par sur au aux avec ce cette ces se sa son ses ont été a pas plus ne il elle ils elles selon lors après",
		// es
		"el la los las de del un una y en es que por para con se su sus al lo como más fue han ha ser este esta según tras sobre entre",
		// pt, de, id
		"o os da do das dos em um uma com não der die das und ist im ein eine zu mit von den für auf yang dan di dari ini itu untuk dengan pada",
		// vi
		"và của các là có được cho trong với đã này những một người không khi từ theo đến tại về như cũng để sẽ đó nhiều ra vào rằng thì bị do hơn năm ngày nay",
		// ru
		"и в во не что он на я с со как а то все она так его но да ты к у же вы за бы по только ее мне было вот от меня еще нет о из ему также это этот года году который которые были был была",
		// ar
		"في من على إلى الى عن مع أن ان التي الذي هذا هذه كان قد وقال قال كما بين أو او ما لا لم وفي ومن عام",
	} {
		for _, w := range strings.Fields(topic.Normalize(list)) {
			m[w] = true
		}
	}
	return m
}()

func stopword(w string) bool { return stopwords[w] }

// stopHashes holds the hashes of the stop words.
var stopHashes = func() *hashFilter {
	var hf hashFilter
	for w := range stopwords {
		hf.add(termHash(w))
	}
	return &hf
}()
