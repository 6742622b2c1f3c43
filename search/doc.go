// Package search maps articles and topic queries onto the terms of the
// archive's inverted index, which the store keeps: the terms an article
// is filed under ([Terms]), and for a query the plan of posting-list
// operations whose result holds every article the query matches
// ([Compile]). The terms come from the topic engine's normaliser
// ([topic.IndexTerms]; the pipeline hands them over from matching in
// [news.Article.Norm]), so search and topics fold Arabic, Vietnamese,
// Chinese and Russian text the same way; the candidates a plan finds are
// then checked with the query's [topic.Matcher], so a search answers
// exactly what a full scan with the matcher would.
package search
