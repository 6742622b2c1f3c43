package story

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/newswatch/newswatch/news"
)

// DefaultWindow is how long a story stays open without a new article,
// and how far apart in time two articles of one story may be.
const DefaultWindow = 7 * 24 * time.Hour

// Options tune a Tracker. The zero value gives the defaults.
type Options struct {
	// Window is how long a story stays open after its last article, and
	// how long an article stays a candidate (stories.window).
	Window time.Duration
}

// Tracker assigns articles to stories. It holds the open window in
// memory; Assign is safe for concurrent use.
type Tracker struct {
	mu     sync.Mutex
	window time.Duration
	docs   []*doc // in the order they were assigned (fetched)
	base   uint32 // seq of docs[0]
	next   uint32 // seq of the next doc
	byID   map[string]*doc

	termPost map[uint32][]uint32 // term -> seqs of the docs that index it
	evPost   map[string][]uint32 // evidence key -> seqs
	df       counts[uint32]      // documents per term
	evdf     counts[string]      // documents per evidence key
	stories  map[string]*open    // open stories

	scratch scratch
	acc     []float32
	touched []uint32
	rar     []float64 // rarity of the new doc's evidence keys, by index
}

// open is what the tracker keeps of an open story.
type open struct {
	first, last time.Time // article times
	updated     time.Time // fetch time of its latest article
	members     int
}

// New returns an empty Tracker; Load fills it from the store.
func New(o Options) *Tracker {
	return &Tracker{
		window:   cmp.Or(o.Window, DefaultWindow),
		byID:     map[string]*doc{},
		termPost: map[uint32][]uint32{},
		evPost:   map[string][]uint32{},
		df:       newCounts[uint32](),
		evdf:     newCounts[string](),
		stories:  map[string]*open{},
	}
}

// Window returns the tracker's window.
func (t *Tracker) Window() time.Duration { return t.window }

// Len returns how many articles the window holds.
func (t *Tracker) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.docs)
}

// Assign puts a in a story, sets a.Story and, for a near-duplicate,
// a.DuplicateOf, and returns its membership with the evidence and the
// features the store keeps for Load. now is the time of the poll: the
// window closes what it left behind. Assigning an article again (a poll
// that was not saved, fetched again) gives the same answer.
func (t *Tracker) Assign(a *news.Article, now time.Time) news.StoryMember {
	d, _ := t.assign(a, now)
	return d
}

func (t *Tracker) assign(a *news.Article, now time.Time) (news.StoryMember, *doc) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if d, ok := t.byID[a.ID]; ok {
		a.Story, a.DuplicateOf = d.story, d.dupOf
		return d.member(true), d
	}
	t.expire(now)
	d := newDoc(a, now, &t.scratch)
	tf := d.rawTF
	d.weigh(tf, t.idf, &t.scratch.keys)
	d.rawTF = nil
	t.rar = t.rar[:0]
	for _, e := range d.evidence {
		t.rar = append(t.rar, t.rarity(e.key))
	}
	best := t.best(d)
	if best.doc == nil {
		d.story = news.StoryID(d.id)
	} else {
		d.story, d.with, d.score, d.reasons = best.doc.story, best.doc.id, best.score, best.reasons
		if best.dup {
			d.dupOf = cmp.Or(best.doc.dupOf, best.doc.id)
		}
	}
	d.distinct = distinctTerms(tf, &t.scratch.keys)
	t.insert(d, d.distinct)
	a.Story, a.DuplicateOf = d.story, d.dupOf
	m := d.member(true)
	d.distinct = nil // counted and encoded: only a restart needs them
	return m, d
}

// distinctTerms returns the terms of tf, the most frequent first, at most
// maxDistinct of them: enough to count document frequencies after a
// restart.
func distinctTerms(tf map[uint32]int32, keys *[]uint64) []uint32 {
	ks := (*keys)[:0]
	for h, n := range tf { // most frequent first, then by hash
		ks = append(ks, uint64(^uint32(n))<<32|uint64(h))
	}
	*keys = ks
	slices.Sort(ks)
	out := make([]uint32, min(len(ks), maxDistinct))
	for i := range out {
		out[i] = uint32(ks[i])
	}
	return out
}

// maxDistinct bounds the terms of a document counted in the document
// frequencies (and stored for a restart).
const maxDistinct = 256

// insert adds d to the window, its story and the indexes.
func (t *Tracker) insert(d *doc, distinct []uint32) {
	d.seq = t.next
	t.next++
	if len(t.docs) == 0 {
		t.base = d.seq
	}
	t.docs = append(t.docs, d)
	t.byID[d.id] = d
	for _, h := range d.index {
		t.termPost[h] = append(t.termPost[h], d.seq)
	}
	for _, e := range d.evidence {
		t.evPost[e.key] = append(t.evPost[e.key], d.seq)
	}
	day := dayOf(d.fetched)
	for _, h := range distinct {
		t.df.add(day, h)
	}
	for _, e := range d.evidence {
		t.evdf.add(day, e.key)
	}
	s := t.stories[d.story]
	if s == nil {
		s = &open{first: d.at, last: d.at}
		t.stories[d.story] = s
	}
	s.first, s.last = minTime(s.first, d.at), maxTime(s.last, d.at)
	s.updated = maxTime(s.updated, d.fetched)
	s.members++
}

// expire drops the articles fetched before the window, and the stories
// none of whose articles is left.
func (t *Tracker) expire(now time.Time) {
	cut := now.Add(-t.window)
	n := 0
	for n < len(t.docs) && t.docs[n].fetched.Before(cut) {
		d := t.docs[n]
		for _, h := range d.index {
			t.termPost[h] = dropSeq(t.termPost[h], d.seq)
			if len(t.termPost[h]) == 0 {
				delete(t.termPost, h)
			}
		}
		for _, e := range d.evidence {
			t.evPost[e.key] = dropSeq(t.evPost[e.key], d.seq)
			if len(t.evPost[e.key]) == 0 {
				delete(t.evPost, e.key)
			}
		}
		delete(t.byID, d.id)
		if s := t.stories[d.story]; s != nil {
			if s.members--; s.members <= 0 {
				delete(t.stories, d.story)
			}
		}
		t.docs[n] = nil
		n++
	}
	if n > 0 {
		t.docs = t.docs[n:]
		t.base += uint32(n)
		if len(t.docs) == 0 {
			t.docs = nil
		}
	}
	t.df.expire(dayOf(cut))
	t.evdf.expire(dayOf(cut))
}

// dropSeq removes seq from a posting list; expiry goes in insertion
// order, so it is nearly always the first.
func dropSeq(list []uint32, seq uint32) []uint32 {
	if len(list) > 0 && list[0] == seq {
		return list[1:]
	}
	if i := slices.Index(list, seq); i >= 0 {
		return slices.Delete(list, i, i+1)
	}
	return list
}

// idf is the inverse document frequency of a term in the window, smoothed
// so a small window does not make every term look rare.
func (t *Tracker) idf(h uint32) float64 {
	n := float64(len(t.docs))
	return math.Log((n + priorDocs) / (float64(t.df.get(h)) + 1))
}

// priorDocs smooths document frequencies in a window of few articles.
const priorDocs = 20

// rarity is how telling an evidence key is, from 0 (every article has
// it) to 1 (about one article in a hundred or fewer has it).
func (t *Tracker) rarity(key string) float64 {
	f := (float64(t.evdf.get(key)) + 1) / (float64(len(t.docs)) + priorDocs)
	return min(1, max(0, -math.Log10(f)/2))
}

func dayOf(t time.Time) int64 { return t.Unix() / 86400 }

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// member returns d's membership as the store keeps it.
func (d *doc) member(withFeatures bool) news.StoryMember {
	m := news.StoryMember{
		Story: d.story, ArticleID: d.id, URL: d.url, Source: d.source, Lang: d.lang, Title: d.title,
		Published: d.published, Fetched: d.fetched, Topics: d.topics, DuplicateOf: d.dupOf,
		With: d.with, Score: math.Round(d.score*1000) / 1000, Evidence: d.reasons,
	}
	if withFeatures {
		m.Features = d.encode()
	}
	return m
}

// Load rebuilds the window from the members the store kept, oldest
// first; members fetched before now minus the window are skipped. A
// member whose features do not decode is an error (the store is damaged
// or was written by a newer newswatch).
func (t *Tracker) Load(members []news.StoryMember, now time.Time) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	slices.SortStableFunc(members, func(x, y news.StoryMember) int { return x.Fetched.Compare(y.Fetched) })
	cut := now.Add(-t.window)
	for i := range members {
		m := &members[i]
		if m.Fetched.Before(cut) || t.byID[m.ArticleID] != nil {
			continue
		}
		d, distinct, err := decodeDoc(m)
		if errors.Is(err, ErrFeaturesVersion) {
			continue // written by another version: the article just leaves the window early
		}
		if err != nil {
			return fmt.Errorf("story window: article %s: %w", m.ArticleID, err)
		}
		t.insert(d, distinct)
	}
	return nil
}
