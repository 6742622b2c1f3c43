package story

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

// synthetic writes a stream of news-like articles for the benchmarks, in
// the seven languages of the development set, grouped in events as news
// is:
//
//   - story sizes: about 62 % of events have one article, 37 % have 2 to
//     10 (most of them 2 to 4), 1 % have 20 to 60 articles in 3 to 6
//     languages; a quarter of the middle ones are reported in a second
//     language too. An event's articles follow its first over about two
//     days (at most three days apart), so the window holds them together
//     as a daemon's does.
//   - wire copies: a quarter of the later articles of an event in a
//     language it was already reported in are a copy of that report
//     under a new headline, with a few words changed (near-duplicates).
//   - evidence: each event has its own numbers, a date, people's names
//     (Latin; Cyrillic in Russian, Chinese articles keep them in Latin as
//     in parentheses) and a place of the gazetteer, which its articles
//     mention in part, as reports of one event do.
//   - text: the words of the development set with their frequencies
//     (the language's common words), a long tail of rarer words made of
//     pieces of its words (characters in Chinese) drawn with Zipf
//     frequencies from 200,000 per language, and the event's own dozen
//     terms from that tail, repeated in each of its articles.
type synthetic struct {
	rng     *rand.Rand
	zipf    *rand.Zipf
	langs   []string
	words   map[string][]string // by language, with repeats: frequent words come often
	pieces  map[string][]string // by language: what tail words are made of
	places  [][]string          // the gazetteer's names of each place
	start   time.Time
	pending []pending // later articles of the events, by time
	events  int
}

// pending is the next article of an event, due at.
type pending struct {
	at time.Time
	e  *event
}

// event is what the articles of one story share.
type event struct {
	id     int
	langs  []string
	size   int                 // its articles
	left   int                 // articles still to come
	terms  map[string][]string // its own words, by language
	names  []string
	nums   []string
	day    [2]int // day, month
	place  []string
	wrote  map[string]string // the last body written in each language
	copies int
}

// tailWords is the size of each language's vocabulary beyond the
// development set's words.
const tailWords = 200_000

func newSynthetic(tb testing.TB) *synthetic {
	s := &synthetic{
		rng: rand.New(rand.NewPCG(1, 2)), words: map[string][]string{}, pieces: map[string][]string{},
		start: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC),
	}
	s.zipf = rand.NewZipf(s.rng, 1.1, 1, tailWords-1)
	for _, l := range readLabelled(tb, "testdata/dev.jsonl") {
		if s.words[l.Lang] == nil {
			s.langs = append(s.langs, l.Lang)
		}
		words := strings.Fields(l.Title + " " + l.Text)
		if l.Lang == "zh" { // written without spaces: a "word" would be a whole clause
			words = hanWords(words)
		}
		s.words[l.Lang] = append(s.words[l.Lang], words...)
	}
	for l, words := range s.words {
		s.words[l] = plainWords(l, words)
		s.pieces[l] = wordPieces(l, s.words[l])
	}
	for line := range strings.Lines(placesTSV) {
		if f := strings.Split(strings.TrimSpace(line), "\t"); len(f) == 3 && !strings.HasPrefix(line, "#") {
			s.places = append(s.places, strings.Split(f[2], "|"))
		}
	}
	return s
}

// hanWords cuts Chinese text into words of two characters, about the
// length of a Chinese word, so that a Chinese article is as long as the
// others (not ten times longer) and its terms as many.
func hanWords(fields []string) []string {
	var out []string
	for _, f := range fields {
		r := []rune(f)
		for i := 0; i < len(r); i += 2 {
			out = append(out, string(r[i:min(i+2, len(r))]))
		}
	}
	return out
}

// plainWords returns the words that are no evidence by themselves:
// not numbers, names, places or agencies, which belong to the events
// that mention them, not to every article of the language.
func plainWords(lang string, words []string) []string {
	var sc scratch
	plain := map[string]bool{}
	for _, w := range words {
		if _, ok := plain[w]; !ok {
			a := &news.Article{Text: "and " + w + " and", Lang: lang} // not a capital that starts a sentence
			plain[w] = len(newDoc(a, time.Time{}, &sc).evidence) == 0
		}
	}
	return slices.DeleteFunc(words, func(w string) bool { return !plain[w] })
}

// wordPieces returns what the tail words of a language are made of: the
// halves of its words of letters, or its Han characters.
func wordPieces(lang string, words []string) []string {
	seen := map[string]bool{}
	for _, w := range words {
		r := []rune(strings.ToLower(w))
		if !unicode.IsLetter(r[0]) || !unicode.IsLetter(r[len(r)-1]) {
			continue
		}
		if lang == "zh" {
			for _, c := range r {
				seen[string(c)] = true
			}
		} else if len(r) >= 4 {
			seen[string(r[:len(r)/2])], seen[string(r[len(r)/2:])] = true, true
		}
	}
	out := make([]string, 0, len(seen))
	for p := range seen {
		out = append(out, p)
	}
	slices.Sort(out)
	return out
}

// tail returns word k of the language's tail: the same word for the same
// k, two pieces, or three in Chinese, so that most differ.
func (s *synthetic) tail(lang string, k uint64) string {
	p := s.pieces[lang]
	h := k*0x9E3779B97F4A7C15 + 1
	w := p[h%uint64(len(p))] + p[h>>20%uint64(len(p))]
	if lang == "zh" {
		w += p[h>>40%uint64(len(p))]
	}
	return w
}

// article returns the next article of the stream, fetched at, with its
// text normalised; i numbers it.
func (s *synthetic) article(i int, at time.Time) *news.Article {
	e, l := s.next(at)
	body := ""
	if prev, ok := e.wrote[l]; ok && s.rng.IntN(4) == 0 {
		body = s.edit(prev, l) // a wire copy
		e.copies++
	} else {
		body = s.body(e, l)
	}
	e.wrote[l] = body
	a := &news.Article{
		ID: fmt.Sprintf("a%07d-e%d", i, e.id), URL: fmt.Sprintf("https://news%d.example/%d", i%40, i), Source: fmt.Sprintf("Source %d", i%40),
		Title: s.title(e, l), Text: body, Lang: l, Published: at.Add(-time.Hour), Fetched: at,
	}
	a.Norm = topic.NormalizeArticle(a) // as topic matching hands it on in the pipeline
	return a
}

// next returns the event the article at belongs to, and its language:
// the event of the earliest article due, else a new one.
func (s *synthetic) next(at time.Time) (*event, string) {
	var e *event
	if len(s.pending) > 0 && !s.pending[0].at.After(at) {
		e = s.pending[0].e
		s.pending = s.pending[1:]
	} else {
		e = s.newEvent()
	}
	if e.left--; e.left > 0 { // its next article: an event's articles span about two days
		due := at.Add(min(time.Duration(s.rng.ExpFloat64()*float64(48*time.Hour)/float64(e.size)), 72*time.Hour))
		i, _ := slices.BinarySearchFunc(s.pending, due, func(p pending, t time.Time) int { return p.at.Compare(t) })
		s.pending = slices.Insert(s.pending, i, pending{due, e})
	}
	if len(e.wrote) == 0 {
		return e, e.langs[0]
	}
	return e, e.langs[s.rng.IntN(len(e.langs))]
}

// newEvent returns a new event and draws how many articles it gets, in
// which languages.
func (s *synthetic) newEvent() *event {
	s.events++
	e := &event{id: s.events, langs: []string{s.langs[s.rng.IntN(len(s.langs))]}, terms: map[string][]string{}, wrote: map[string]string{}}
	langs := 1
	switch r := s.rng.Float64(); {
	case r < 0.62:
		e.left = 1
	case r < 0.99:
		e.left = 2
		for e.left < 10 && s.rng.Float64() < 0.6 {
			e.left++
		}
		if s.rng.IntN(4) == 0 {
			langs = 2
		}
	default:
		e.left, langs = 20+s.rng.IntN(41), 3+s.rng.IntN(4)
	}
	e.size = e.left
	for len(e.langs) < langs {
		if l := s.langs[s.rng.IntN(len(s.langs))]; !slices.Contains(e.langs, l) {
			e.langs = append(e.langs, l)
		}
	}
	for _, l := range e.langs {
		for range 12 { // from the rarer part of the tail
			e.terms[l] = append(e.terms[l], s.tail(l, 1000+s.rng.Uint64N(tailWords-1000)))
		}
	}
	for range 3 {
		e.names = append(e.names, s.name())
		e.nums = append(e.nums, s.number())
	}
	e.day = [2]int{1 + s.rng.IntN(28), 1 + s.rng.IntN(12)}
	e.place = s.places[s.rng.IntN(len(s.places))]
	return e
}

// name returns a made-up name: a given name and a family name.
func (s *synthetic) name() string {
	const cons, vows = "bdfgklmnprstvz", "aeiou"
	word := func(syl int) string {
		var b []byte
		for range syl {
			b = append(b, cons[s.rng.IntN(len(cons))], vows[s.rng.IntN(len(vows))])
		}
		b = append(b, cons[s.rng.IntN(len(cons))])
		b[0] -= 'a' - 'A'
		return string(b)
	}
	return word(2) + " " + word(3)
}

// number returns a count or an amount, of 2 to 6 digits, never a year.
func (s *synthetic) number() string {
	for {
		n := 10 + s.rng.IntN(999_990)
		if n < 1900 || n > 2100 {
			return fmt.Sprint(n)
		}
	}
}

// title returns a headline of the event in lang.
func (s *synthetic) title(e *event, l string) string {
	var b strings.Builder
	for range 3 {
		b.WriteString(e.terms[l][s.rng.IntN(len(e.terms[l]))] + " ")
	}
	s.background(&b, l, 6)
	return b.String()
}

// body returns an article of the event in lang: paragraphs of the
// language's words and the tail, the event's terms, and sentences of its
// facts.
func (s *synthetic) body(e *event, l string) string {
	var b strings.Builder
	for p := range 5 {
		s.background(&b, l, 50)
		for range 6 {
			b.WriteString(e.terms[l][s.rng.IntN(len(e.terms[l]))] + " ")
		}
		if p%2 == 0 {
			s.fact(&b, e, l)
		}
		b.WriteString(".\n")
	}
	return b.String()
}

// background writes n words of the language: two in three from the
// development set's words, the others from the tail.
func (s *synthetic) background(b *strings.Builder, l string, n int) {
	words := s.words[l]
	for range n {
		if s.rng.IntN(3) == 0 {
			b.WriteString(s.tail(l, s.zipf.Uint64()))
		} else {
			b.WriteString(words[s.rng.IntN(len(words))])
		}
		b.WriteByte(' ')
	}
}

// fact writes a sentence of some of the event's facts.
func (s *synthetic) fact(b *strings.Builder, e *event, l string) {
	b.WriteString(". ")
	if s.rng.IntN(3) > 0 {
		fmt.Fprintf(b, "%s %s ", inScript(l, e.names[s.rng.IntN(len(e.names))]), s.words[l][s.rng.IntN(len(s.words[l]))])
	}
	fmt.Fprintf(b, "%s %s ", e.nums[s.rng.IntN(len(e.nums))], s.words[l][s.rng.IntN(len(s.words[l]))])
	if s.rng.IntN(3) > 0 {
		if l == "zh" {
			fmt.Fprintf(b, "%d月%d日 ", e.day[1], e.day[0])
		} else {
			fmt.Fprintf(b, "%d/%d ", e.day[0], e.day[1])
		}
	}
	if s.rng.IntN(2) == 0 {
		b.WriteString(placeIn(l, e.place) + " ")
	}
}

// edit returns a wire copy of text: one word in thirty replaced.
func (s *synthetic) edit(text, lang string) string {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		ws := strings.Split(line, " ")
		for j := range ws {
			if s.rng.IntN(30) == 0 && ws[j] != "" {
				ws[j] = s.tail(lang, s.zipf.Uint64())
			}
		}
		lines[i] = strings.Join(ws, " ")
	}
	return strings.Join(lines, "\n")
}

// inScript writes a Latin name as a Russian article would, in Cyrillic.
func inScript(lang, name string) string {
	if lang != "ru" {
		return name
	}
	cyr := strings.NewReplacer("b", "б", "d", "д", "f", "ф", "g", "г", "k", "к", "l", "л", "m", "м", "n", "н", "p", "п",
		"r", "р", "s", "с", "t", "т", "v", "в", "z", "з", "a", "а", "e", "е", "i", "и", "o", "о", "u", "у")
	out := []rune(cyr.Replace(strings.ToLower(name)))
	out[0] = unicode.ToUpper(out[0])
	for i := 1; i < len(out); i++ {
		if out[i-1] == ' ' {
			out[i] = unicode.ToUpper(out[i])
		}
	}
	return string(out)
}

// placeIn returns the place's name in the script of lang, else its first.
func placeIn(lang string, names []string) string {
	want := map[string]func(rune) bool{
		"ru": func(r rune) bool { return unicode.Is(unicode.Cyrillic, r) },
		"zh": func(r rune) bool { return unicode.Is(unicode.Han, r) },
		"ar": func(r rune) bool { return unicode.Is(unicode.Arabic, r) },
	}[lang]
	for _, n := range names {
		r, _ := utf8.DecodeRuneInString(n)
		if want != nil && want(r) || want == nil && r < 0x250 {
			return n
		}
	}
	return names[0]
}
