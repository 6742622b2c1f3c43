// Package topic decides which topics a news article is about, in any of
// the languages newswatch monitors.
//
// A topic is a query. All queries are compiled into one [Matcher]: every
// term of every topic goes into one automaton (a byte trie as a DFA table),
// run over the normalised article, anchored, at each place a term may start: word
// starts, Han characters and the ends of Arabic proclitics. The boolean and proximity
// operators are then evaluated once, on the positions found, looking only
// at the parts of each query the article touches. [Matcher.Match] reports,
// for each topic that matches as a whole, the terms that matched with
// their byte offsets in the original field text and a snippet of about
// 120 characters cut at word boundaries. A proximity match is one hit from
// its first to its last word, named after both terms: "bị bán … sang".
// [Matcher.MatchNormalized] also returns the text it normalised and the
// article's search index terms (a [news.Normalized]), so that the stages
// after matching do not normalise the article again.
//
// # Normalisation
//
// Text and query terms go through the same pipeline ([Normalize]): Unicode
// NFKC (so NFD Vietnamese, full-width Latin and ligatures match), case
// folding, and every run of whitespace and punctuation turned into one
// space (so "anti-trafficking", "trafic d’êtres" and "U.N." match however
// they are punctuated). On top of that:
//
//   - Arabic: أ إ آ ٱ → ا, ة → ه, ى → ي; harakat, superscript alef and
//     tatweel are removed. A term starting with an Arabic word also matches
//     after a proclitic group (و ف, then ب ك ل, then ال, or لل): the term
//     "الأمم المتحدة" matches "للأمم المتحدة" and "وبالأمم المتحدة", and
//     multi-word Arabic terms also match with the spaces lost
//     ("الأممالمتحدة").
//   - Vietnamese: Ð/ð (U+00D0/U+00F0) fold to Đ/đ. Matching is exact on
//     diacritics, except that terms of three or more words also match their
//     diacritic-free form in fields that are themselves almost unaccented
//     (URL slugs, "mua ban nguoi"): short unaccented words are ambiguous
//     (bán, ban, bạn).
//   - Chinese and other scripts written without spaces (Japanese, Thai,
//     Lao, Khmer, Myanmar) match as substrings. Traditional characters fold
//     to Simplified (聯合國 = 联合国), and bracketed romanisation after Han
//     characters is skipped: 聯(lián)合國.
//   - Russian: ё folds to е; a suffix wildcard covers inflection:
//     "торговл* людьми" matches торговля, торговли, торговле, торговлей людьми.
//
// # Query language
//
// The syntax follows Lucene and the media-monitoring tools users know.
// Operators are upper case; lower-case and, or, not are ordinary words.
//
//	trafficking                   a word (case- and accent-folded, whole word)
//	"human trafficking"           a phrase: the words in this order
//	traffick*                     suffix wildcard, at least 3 letters before *
//	"торговл* людьми"             wildcards inside phrases too
//	=UN  ="U.N."                  exact, case-sensitive token(s): UN, not "un"
//	a AND b   a b                 both (juxtaposition means AND)
//	a OR b                        either
//	NOT a   a AND NOT b           not
//	( ... )                       grouping; NOT binds tighter than AND, AND than OR
//	a NEAR/5 b                    a and b at most 5 words apart, in any order
//	a ONEAR/5 b                   a before b, at most 5 words between them
//	a NOT NEAR/3 b                the places of a with no b within 3 words
//	a NOT ONEAR/0 b               ... with no b right after it
//	title:a  text:a  url:a  source:a   search one field (default: title and text)
//	lead:a                        the title and the first 50 words of the text
//	title:(a OR "b c")            a scope applies to a whole group
//	lang:vi  lang:(ar OR fr)      the article's language (primary subtag)
//	MIN/2(a, b, c)                at least 2 of the operands
//	MIN/3/40(a, b, c, d)          at least 3 of them within 40 words (the
//	                              title reads as the words before the text)
//	SCORE(a^3, b, c^-1) >= 4      each hit of an operand scores its weight
//	                              (default 1); the sum must reach 4
//	SCORE(a, b) >= 0.5%           ... 0.5 points per 100 words of title and text
//	SCORE(+a^3, b) >= 4           +a must hit (Lucene's required clause)
//	a^0                           weight 0: a's hits are context
//	# a comment                   to the end of the line ("#MeToo" is a word)
//	LET g = (a OR b) ... $g       a named group, defined before the query
//
// NEAR counts words; in Chinese and other unspaced scripts it counts
// characters. Its operands are terms, phrases, OR groups of them or other
// NEARs, within one field. An AND of NOT-only terms is rejected, since it
// would match nearly every article.
//
// A LET group is compiled once and shared by every rule that uses it, so
// a vocabulary written as groups costs memory for each group, not for
// each use; a use that scopes or weights the group differently shares
// all but what it changes.
//
// Salience. SCORE and MIN let a topic require evidence that an article is
// about it rather than mentions it in passing, as weighted keyword lists
// with a threshold do in EMM's category definitions and
// minimum_should_match does in Elasticsearch. A hit of a SCORE operand is
// a distinct place: an occurrence of a term (overlapping occurrences of an
// OR's terms are one place), an occurrence of a NEAR's first operand with
// the others near it, a window of MIN/k/w, or 1 for an operand without
// position (AND, NOT, MIN without a window, SCORE) that is true. MIN/k/w
// finds the parts of a story told within a sentence or two, in any order. Negative weights, allowed only on SCORE operands, count against
// the topic: the other crimes of a list in which "human trafficking"
// appears once.
//
// Decisive and context hits. A NEAR's first operand is what it is about;
// its other operands only qualify it, and their hits are reported with
// Context set. A weight changes that: ^0 makes an operand context, any
// other weight decisive.
//
// Errors give the line, the column and what was expected:
//
//	topic "un": 1:25: expected ")" after "(united"
//
// Some examples:
//
//	"human trafficking" OR (trafficking NEAR/3 (women OR children)) AND NOT "drug trafficking"
//	"mua bán người" OR "buôn bán người" OR (lang:vi AND "bị bán" ONEAR/2 sang)
//	"الاتجار بالبشر" OR 拐卖 OR 人口贩运 OR "trata de personas"
//	=UN OR =ONU OR =ООН OR "United Nations" OR "Liên hợp quốc" OR 联合国
//	("Security Council" OR "General Assembly") NEAR/25 (=UN OR resolution)
//	url:"mua-ban-nguoi" OR source:"UN News"
//
// The default topics "trafficking" and "un" (in the embedded configuration
// of cmd/newswatch) are written in this language.
package topic
