package news

import (
	"maps"
	"slices"
	"time"
)

// Story is a group of articles about one event, across sources and
// languages (see package story). Its ID is that of the article that
// opened it, prefixed "sty_", and never changes.
type Story struct {
	ID string `json:"id"`
	// Titles holds the title of the story's first article in each
	// language, by language ("" for articles of unknown language).
	Titles map[string]string `json:"titles"`
	First  time.Time         `json:"first_seen"` // earliest article (published, else fetched)
	Last   time.Time         `json:"last_seen"`  // latest article
	// Updated is when an article last joined; a story none joined for
	// the window (stories.window) is closed.
	Updated  time.Time `json:"updated"`
	Langs    []string  `json:"languages"` // sorted
	Sources  []string  `json:"sources"`   // sorted
	Topics   []string  `json:"topics"`    // topics its articles matched, sorted
	Articles int       `json:"articles"`  // articles, copies included
	Copies   int       `json:"copies"`    // of which near-duplicates of another article
}

// Title returns the story's title in language l, else in English, else
// the earliest one.
func (s *Story) Title(l string) string {
	_, t := s.TitleLang(l)
	return t
}

// TitleLang returns the title Title(l) chooses with its language, for
// pages that mark a title's language and direction.
func (s *Story) TitleLang(l string) (lang, title string) {
	for _, k := range []string{l, "en"} {
		if t, ok := s.Titles[k]; ok && t != "" {
			return k, t
		}
	}
	if keys := slices.Sorted(maps.Keys(s.Titles)); len(keys) > 0 {
		return keys[0], s.Titles[keys[0]]
	}
	return "", ""
}

// Clone returns a copy of s that shares none of its maps and slices, so
// that Add on one leaves the other as it was.
func (s *Story) Clone() Story {
	c := *s
	c.Titles = maps.Clone(s.Titles)
	c.Langs, c.Sources, c.Topics = slices.Clone(s.Langs), slices.Clone(s.Sources), slices.Clone(s.Topics)
	return c
}

// Add counts member m into the story: times, title of its language,
// languages, sources and topics.
func (s *Story) Add(m *StoryMember) {
	t := m.Time()
	if s.First.IsZero() || t.Before(s.First) {
		s.First = t
	}
	if t.After(s.Last) {
		s.Last = t
	}
	if m.Fetched.After(s.Updated) {
		s.Updated = m.Fetched
	}
	if s.Titles == nil {
		s.Titles = map[string]string{}
	}
	if _, ok := s.Titles[m.Lang]; !ok && m.DuplicateOf == "" {
		s.Titles[m.Lang] = m.Title
	}
	s.Langs = addSorted(s.Langs, m.Lang)
	s.Sources = addSorted(s.Sources, m.Source)
	for _, tp := range m.Topics {
		s.Topics = addSorted(s.Topics, tp)
	}
	s.Articles++
	if m.DuplicateOf != "" {
		s.Copies++
	}
}

// addSorted inserts v into the sorted list unless it is empty or present.
func addSorted(list []string, v string) []string {
	if v == "" {
		return list
	}
	i := 0
	for i < len(list) && list[i] < v {
		i++
	}
	if i < len(list) && list[i] == v {
		return list
	}
	list = append(list, "")
	copy(list[i+1:], list[i:])
	list[i] = v
	return list
}

// StoryMember is one article's place in a story and the evidence that put
// it there.
type StoryMember struct {
	Story       string    `json:"story"`
	ArticleID   string    `json:"article_id"`
	URL         string    `json:"url"`
	Source      string    `json:"source"`
	Lang        string    `json:"lang"`
	Title       string    `json:"title"`
	Published   time.Time `json:"published,omitzero"`
	Fetched     time.Time `json:"fetched"`
	Topics      []string  `json:"topics,omitempty"`
	DuplicateOf string    `json:"duplicate_of,omitempty"` // the article this one copies
	// With is the article of the story this one was found closest to
	// ("" for the article that opened the story); Score is how close,
	// and Evidence says why.
	With     string     `json:"with,omitempty"`
	Score    float64    `json:"score,omitempty"`
	Evidence []Evidence `json:"evidence,omitempty"`
	// Features are the story package's compact features of the article,
	// kept while the story is open so a restart rebuilds the window.
	Features []byte `json:"-"`
}

// Time is the member's time in the story: published, else fetched.
func (m *StoryMember) Time() time.Time {
	if m.Published.IsZero() {
		return m.Fetched
	}
	return m.Published
}

// Evidence is one reason an article joined a story.
type Evidence struct {
	// Kind is one of the Evidence* constants.
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// Kinds of Evidence.
const (
	EvidenceDuplicate  = "near_duplicate" // Value: shared share of shingles, "0.93"
	EvidenceSimilarity = "similarity"     // Value: cosine of the term vectors, "0.41"
	EvidenceTerm       = "term"           // a shared telling word
	EvidenceNumber     = "number"         // a shared number or amount
	EvidenceDate       = "date"           // a shared day of the year, "11-23"
	EvidenceYear       = "year"
	EvidenceSymbol     = "symbol" // a UN document symbol, "S/RES/2719"
	EvidenceOrg        = "org"    // an agency, "UNODC"
	EvidenceName       = "name"   // a Latin or Cyrillic name, by its consonant skeleton
	EvidencePlace      = "place"  // a place of the gazetteer
	EvidenceImage      = "image"  // the same image URL
	EvidenceLink       = "link"   // the same outbound link
)

// Copy is another URL at which an article's text was found again.
type Copy struct {
	ArticleID string    `json:"article_id"`
	URL       string    `json:"url"`
	Source    string    `json:"source"`
	FirstSeen time.Time `json:"first_seen"`
}

// StoryID derives the id of the story an article opens.
func StoryID(articleID string) string { return "sty_" + articleID }
