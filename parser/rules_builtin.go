package parser

import (
	"regexp"
	"strings"
)

// builtinRules returns the rules that are always present, compiled once.
var builtinRules = func() []*siteRule {
	return []*siteRule{vietnamPlusRule()}
}()

// vietnamPlusRule is the rule for every edition of VietnamPlus (vi, en,
// fr, es, ru, zh, ar). It is bound to the site's hosts: its class names
// (.article__title, .article__body) are common to many CMSs, and on
// another site its removals would cut that site's article.
func vietnamPlusRule() *siteRule {
	vnp, err := compileRule(Rule{
		Name:  "vietnamplus",
		Hosts: []string{"vietnamplus.vn"},
		Title: "h1.article__title, .article__title.cms-title, h1.cms-title",
		Body:  ".article__sapo, .cms-title ~ .cms-desc, .article__title ~ .cms-desc, .article__header .cms-desc, .article__body, .cms-body",
		Date:  ".article__meta time[datetime], .article__header time[datetime], time[datetime]",
		Remove: []string{
			".article__social", ".social", ".share", ".sharing", ".article__share",
			".ads", ".ad", ".adv", ".advertisement", "[class*=banner]", "[id^=ads]", "[class*=ads-]", "[class^=ad-]",
			".article__related", ".related", ".related-news", ".box-related", ".article-relate",
			".cms-related", ".story--related", "[class*=relate]", ".article__tag", ".article__tags", ".tags",
			".comment", ".comments", ".article__comment", "[class*=comment]",
			"script", "style", "figure figcaption.ads",
		},
	})
	if err != nil {
		panic(err) // a bug in a constant, caught by every test
	}
	vnp.clean = cleanVietnamPlus
	vnp.zone = 7 * 3600
	vnp.boxes = true
	return vnp
}

// vnpCredit matches the agency credit VietnamPlus appends to articles,
// such as "(TTXVN/Vietnam+)" or "(VNA/VNP)", at the end of a line; a
// dateline such as "Hanoi (VNA) –" is text and stays.
var vnpCredit = regexp.MustCompile(`\s*[(（]\s*(?:TTXVN|VNA|越通社|Vietnam\+|VNP|Vietnam News Agency)(?:\s*[/–-]\s*(?:Vietnam\+|VNP|TTXVN|VNA|越通社))*\s*[)）]\s*$`)

// cleanVietnamPlus drops the agency credit and the end marker "（完）".
func cleanVietnamPlus(line string) string {
	line = vnpCredit.ReplaceAllString(line, " ")
	line = strings.TrimSpace(line)
	line = strings.TrimSuffix(line, "（完）")
	return strings.TrimSpace(line)
}
