package parser

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// dropDatelines removes datelines and bylines ("By Anna Smith", "Автор:
// Ольга Смирнова") from the first three and the last two lines of the text: "Aktualisiert: 11.04.2020, 10:27", "Verfasst von: Anna | 31.
// Dezember 2008", "2021-10-16 | Politik". A dateline is metadata printed
// above or below the article (the extractor reads the date from the page's
// metadata), not part of its text.
func dropDatelines(text string) string {
	lines := strings.Split(text, "\n")
	if len(lines) < 3 {
		return text // too little text to tell a dateline from the article
	}
	keep := lines[:0]
	for i, l := range lines {
		if (i < 3 || i >= len(lines)-2) && (isDateline(l) || isBylineLine(l)) {
			continue
		}
		keep = append(keep, l)
	}
	if len(keep) == len(lines) {
		return text // most articles have none: no copy of the whole text
	}
	return strings.Join(keep, "\n")
}

// runesOver reports whether s has more than n runes, without counting the
// runes of a long paragraph: a rune takes 1 to 4 bytes (an invalid byte
// counts as one rune).
func runesOver(s string, n int) bool {
	switch {
	case len(s) <= n:
		return false
	case len(s) > 4*n:
		return true
	}
	return utf8.RuneCountInString(s) > n
}

// isDateline reports a short line that holds one date and at most three
// other words (a label, a name, a section), and is not a sentence.
func isDateline(l string) bool {
	l = strings.TrimSpace(l)
	if runesOver(l, 60) || strings.ContainsAny(l[max(0, len(l)-3):], ".!?。！？") {
		return false
	}
	words, dates := 0, 0
	for _, f := range strings.FieldsFunc(l, func(r rune) bool {
		return unicode.IsSpace(r) || strings.ContainsRune(",|:·•/–—()[]", r)
	}) {
		f = strings.TrimRight(f, ".")
		switch {
		case f == "" || f == "-":
		case isDateToken(f):
			dates++
		case isNumberToken(f) || monthNames[strings.ToLower(f)]:
		default:
			words++
		}
	}
	return dates == 1 && words <= 3 // two dates make a period: an event's, say
}

// bylinePrefixes start an author's line, in the languages we watch and
// those of the evaluation pages.
var bylinePrefixes = []string{"By ", "Por ", "Par ", "Von ", "Written by ", "Reporting by ", "Escrito por ",
	"Author:", "Autor:", "Autora:", "Auteur :", "Auteur:", "Texte :", "Texto:", "Redacción:", "Bởi ", "Tác giả:", "Bài:",
	"Bài và ảnh:", "Автор:", "Авторы:", "Автор материала:", "Текст:", "作者：", "作者:", "记者：", "记者:", "文／", "文/",
	"بقلم:", "بقلم ", "كتب:", "تقرير:"}

// isBylineLine reports a short line that names the article's author: a
// byline prefix followed by a name of at most six words, not a sentence.
func isBylineLine(l string) bool {
	l = strings.TrimSpace(l)
	if runesOver(l, 80) || strings.ContainsAny(l[max(0, len(l)-3):], ".!?。！？") {
		return false
	}
	for _, p := range bylinePrefixes {
		rest, ok := strings.CutPrefix(l, p)
		if !ok {
			continue
		}
		n := len(strings.Fields(rest))
		r, _ := utf8.DecodeRuneInString(strings.TrimSpace(rest))
		if strings.HasSuffix(p, " ") && p != "بقلم " && !unicode.IsUpper(r) {
			return false // "By the river ...", "Par ailleurs ..."
		}
		return n >= 1 && n <= 6
	}
	return false
}

// isDateToken reports a token that is a date by itself: a year, 11.04.2020,
// 2021-10-16, 2020年4月3日.
func isDateToken(f string) bool {
	digits, seps, cjk := 0, 0, false
	for _, r := range f {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' || r == '-':
			seps++
		case r == '年' || r == '月' || r == '日':
			cjk = true
		default:
			return false
		}
	}
	switch {
	case cjk:
		return digits >= 3
	case seps == 0:
		return digits == 4 && (f[:2] == "19" || f[:2] == "20")
	}
	return seps == 2 && digits >= 6 && digits <= 8
}

// isNumberToken reports a day number or a time ("31", "10:27" is split at
// the colon, "19h30").
func isNumberToken(f string) bool {
	for _, r := range f {
		if (r < '0' || r > '9') && r != 'h' {
			return false
		}
	}
	return len(f) <= 5
}

// monthNames are month names in the languages of the pages we watch and
// of the evaluation pages, with common abbreviations and the genitive
// forms dates use in Polish and Russian.
var monthNames = func() map[string]bool {
	m := map[string]bool{}
	for _, list := range []string{
		"january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec",
		"januar jänner februar märz april mai juni juli august september oktober november dezember okt dez",
		"janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
		"enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre diciembre",
		"gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
		"janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
		"januari februari maart april mei juni juli augustus september oktober november december",
		"stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
		"января февраля марта апреля мая июня июля августа сентября октября ноября декабря",
		"tháng ngày năm", // Vietnamese dates name the month, day and year
	} {
		for _, w := range strings.Fields(list) {
			m[w] = true
		}
	}
	return m
}()
