// Package story groups articles into stories: the same event reported by
// several sources, in several languages, within a few days.
//
// A [Tracker] keeps the open window of recent articles in memory, each as
// compact features computed from its text once:
//
//   - a bottom-k sketch of the hashed character shingles of its
//     topic-normalised body (5-grams, 3-grams in Chinese and Japanese):
//     the 64 smallest hashes, for near-duplicates: the same text at
//     another URL, under another headline, trimmed or lightly edited;
//   - its most telling terms, weighted by tf·idf over the window (words,
//     and character bigrams in scripts written without spaces), for
//     articles in the same language;
//   - language-independent evidence, for articles in different
//     languages: numbers and amounts, dates and years, UN document
//     symbols, agency acronyms and their names in other languages, Latin
//     and Cyrillic names reduced to a consonant skeleton that survives
//     transliteration, foreign names in Chinese characters (古特雷斯)
//     meeting their Latin form through a coarser skeleton of their
//     transliteration syllables (see translit.go), image URLs, and places
//     from a small embedded gazetteer (see places.tsv and
//     organisations.tsv).
//
// Each open article costs about 2.0 KB (BenchmarkWindowMemory, on
// news-like text): the record keeps hashes, not strings, and no maps;
// what best asks of every candidate first, its language, sits in a dense
// array beside the window; document frequencies and posting lists sit
// in open-addressing tables (see hashTable). [Tracker.Assign] finds the
// article's candidates through an inverted index of its heaviest terms and its evidence (a
// feature of more than 1,000 open articles is too common to look up
// by), scores each pair, and puts the article in the story of its best
// candidate when the score clears the threshold of same-language or
// cross-language pairs; otherwise it opens a new story named after it. Evidence that contradicts (other
// document symbols, other dates, other places) keeps different events on
// the same subject apart. Stories never merge, so a story id, once given,
// is stable.
//
// Articles leave the window, and stories close, after Options.Window of
// processing time; an article joins a story only if its publication time
// lies within the window of the story's. Work and memory per article
// stay bounded by the window, whatever the size of the archive.
//
// The package is pure: no I/O, no logging. The store keeps what Assign
// returns (Member) and hands it back to Load after a restart.
package story
