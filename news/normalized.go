package news

// Normalized is an article's text in the form topics match it (see
// topic.Normalize), made once per article by topic matching and kept for
// the stages after it, so that none of them normalises the text again: the
// search index files the article under Terms, the story tracker compares
// Title and Text. It describes the fields it was made from, Fields; For
// tells whether they are still the article's.
type Normalized struct {
	Title, Text string // the normalised title and text
	// Terms are the distinct index terms of the title, text, URL and
	// source (see topic.IndexTerms), and the title's again after
	// topic.TitlePrefix, sorted.
	Terms []string
	// Fields are the original title, text, URL and source it was made from.
	Fields [4]string
}

// For reports whether n was made from the article's current title, text,
// URL and source. It is false for a nil n.
func (n *Normalized) For(a *Article) bool {
	// Equal strings share their bytes here, which == compares first.
	return n != nil && n.Fields == [4]string{a.Title, a.Text, a.URL, a.Source}
}
