package story

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
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
	meta   []meta // by index of docs
	base   uint32 // seq of docs[0]
	next   uint32 // seq of the next doc
	byID   map[string]*doc

	post      postings          // indexed terms and evidence keys -> docs
	df        counts[uint32]    // documents per term
	evDF      counts[uint64]    // and per evidence key
	stories   map[string]*open  // open stories
	langs     map[string]uint16 // the id of each language tag (see intern)
	langNames []string          // and the tag of each id

	scratch scratch
	acc     []acc // by article of the window, while candidates are found
	touched []uint32
	found   []found
}

// meta is what best asks of a candidate before its doc, its language, in
// a dense array by window index: 4 bytes an article, which stay in the
// cache where the docs do not.
type meta struct {
	lang uint16 // see intern; 0: none
	zh   bool   // in Chinese (see isZh)
}

// open is what the tracker keeps of an open story.
type open struct {
	id          string // one copy for all its articles
	first, last int64  // article times (Unix nanoseconds)
	updated     int64  // fetch time of its latest article
	members     int
}

// New returns an empty Tracker; Load fills it from the store.
func New(o Options) *Tracker {
	return &Tracker{
		window:  cmp.Or(o.Window, DefaultWindow),
		byID:    map[string]*doc{},
		post:    newPostings(),
		df:      newCounts[uint32](),
		evDF:    newCounts[uint64](),
		stories: map[string]*open{},
		langs:   map[string]uint16{},
	}
}

// maxLangs bounds the language tags intern keeps.
const maxLangs = 1000

// intern sets d.lang to one copy of its language tag for all the
// window's articles, and d.langID to the tag's id (0 past maxLangs):
// scoring compares the new article's language with each candidate's,
// which then costs no load of the candidate's own copy, or of its doc.
func (t *Tracker) intern(d *doc) {
	if id, ok := t.langs[d.lang]; ok {
		d.lang, d.langID = t.langNames[id-1], id
		return
	}
	if len(t.langs) >= maxLangs {
		return
	}
	d.lang = strings.Clone(d.lang)
	t.langNames = append(t.langNames, d.lang)
	d.langID = uint16(len(t.langNames))
	t.langs[d.lang] = d.langID
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
		a.Story, a.DuplicateOf = d.open.id, d.dupOf
		return t.again(a, d, now), d
	}
	t.expire(now)
	d := t.features(a, now)
	best := t.best(d)
	var story string
	if best.doc == nil {
		story = news.StoryID(d.id)
	} else {
		story, d.with, d.score = best.doc.open.id, best.doc.id, float32(best.score)
		if best.dup {
			d.dupOf = cmp.Or(best.doc.dupOf, best.doc.id)
		}
	}
	t.insert(d, story, t.scratch.feat.distinct)
	a.Story, a.DuplicateOf = story, d.dupOf
	return member(a, d, cmp.Or(a.Fetched, now), best.score, best.reasons, t.scratch.feat), d
}

// features computes the doc of a new article, with its vector weighed
// by the window and its features (t.scratch.feat) for the rest of
// Assign.
func (t *Tracker) features(a *news.Article, now time.Time) *doc {
	sc := &t.scratch
	d := newDoc(a, now, sc)
	t.intern(d)
	d.weigh(&sc.tf, t.idf, &sc.keys)
	sc.feat.distinct = distinctTerms(&sc.tf, &sc.keys, sc.feat.distinct)
	sc.feat.rar, sc.feat.evMax, sc.feat.evMaxZ = sc.feat.rar[:0], 0, 0
	for _, e := range d.evidence {
		r := t.rarity(e)
		sc.feat.rar = append(sc.feat.rar, r)
		if evKind(e) == 'z' {
			sc.feat.evMaxZ += evWeight(e, r)
		} else {
			sc.feat.evMax += evWeight(e, r)
		}
	}
	return d
}

// again returns the membership of an article assigned before (a poll
// that was not saved, fetched again): the same story, with its features
// and evidence computed again.
func (t *Tracker) again(a *news.Article, d *doc, now time.Time) news.StoryMember {
	n := t.features(a, now)
	var reasons []news.Evidence
	score := float64(d.score)
	if w := t.byID[d.with]; w != nil && w != d {
		if s, _, ok := t.pair(n, w, &reasons, math.Inf(1), nil); ok {
			score = s
		}
	}
	return member(a, d, cmp.Or(a.Fetched, now), score, reasons, t.scratch.feat)
}

// distinctTerms returns the terms of tf, the most frequent first, at most
// maxDistinct of them, in out: enough to count document frequencies after
// a restart.
func distinctTerms(tf *termCounts, keys *[]uint64, out []uint32) []uint32 {
	ks := (*keys)[:0]
	for _, i := range tf.used { // most frequent first, then by hash
		s := tf.slots[i]
		ks = append(ks, uint64(^uint32(s.n))<<32|uint64(s.h))
	}
	*keys = ks
	out = out[:0]
	for _, k := range leastK(ks, maxDistinct) {
		out = append(out, uint32(k))
	}
	return out
}

// maxDistinct bounds the terms of a document counted in the document
// frequencies (and stored for a restart).
const maxDistinct = 256

// insert adds d to the window, its story and the indexes; distinct are
// the terms it counts in the document frequencies.
func (t *Tracker) insert(d *doc, story string, distinct []uint32) {
	d.seq = t.next
	t.next++
	if len(t.docs) == 0 {
		t.base = d.seq
	}
	t.docs = append(t.docs, d)
	t.meta = append(t.meta, meta{lang: d.langID, zh: isZh(d.lang)})
	t.byID[d.id] = d
	for _, h := range d.indexed(t.scratch.keys) {
		t.post.add(h, d.seq)
	}
	for _, e := range d.evidence {
		t.post.add(e, d.seq)
	}
	day := dayOf(d.fetched)
	for _, h := range distinct {
		t.df.add(day, h)
	}
	for _, e := range d.evidence {
		t.evDF.add(day, e)
	}
	s := t.stories[story]
	if s == nil {
		s = &open{id: story, first: d.at, last: d.at}
		t.stories[story] = s
	}
	d.open = s
	s.first, s.last = min(s.first, d.at), max(s.last, d.at)
	s.updated = max(s.updated, d.fetched)
	s.members++
}

// expire drops the articles fetched before the window, and the stories
// none of whose articles is left.
func (t *Tracker) expire(now time.Time) {
	cut := now.Add(-t.window).UnixNano()
	n := 0
	for n < len(t.docs) && t.docs[n].fetched < cut {
		d := t.docs[n]
		for _, h := range d.indexed(t.scratch.keys) {
			t.post.remove(h, d.seq)
		}
		for _, e := range d.evidence {
			t.post.remove(e, d.seq)
		}
		delete(t.byID, d.id)
		if s := d.open; s != nil {
			if s.members--; s.members <= 0 {
				delete(t.stories, s.id)
			}
		}
		t.docs[n], t.meta[n] = nil, meta{}
		n++
	}
	if n > 0 {
		t.docs, t.meta = t.docs[n:], t.meta[n:]
		t.base += uint32(n)
		if len(t.docs) == 0 {
			t.docs, t.meta = nil, nil
		}
		t.post.drop(t.base)
	}
	t.df.expire(dayOf(cut))
	t.evDF.expire(dayOf(cut))
}

// idf is the inverse document frequency of a term in the window, smoothed
// so a small window does not make every term look rare. Most terms of an
// article have a small document frequency, shared by many others: its
// idf is computed once per article (see idfMemo).
func (t *Tracker) idf(h uint32) float64 {
	df := t.df.get(h)
	if int(df) >= len(t.scratch.idf) {
		return idfOf(len(t.docs), df)
	}
	m := &t.scratch.idf[df]
	if m.docs != len(t.docs)+1 {
		*m = idfMemo{docs: len(t.docs) + 1, idf: idfOf(len(t.docs), df)}
	}
	return m.idf
}

func idfOf(docs int, df int32) float64 {
	return math.Log((float64(docs) + priorDocs) / (float64(df) + 1))
}

// idfMemo is the idf of one document frequency in a window of docs-1
// articles (0: none yet).
type idfMemo struct {
	docs int
	idf  float64
}

// priorDocs smooths document frequencies in a window of few articles.
const priorDocs = 20

// rarity is how telling an evidence key is, from 0 (every article has
// it) to 1 (about one article in a hundred or fewer has it).
func (t *Tracker) rarity(key uint64) float64 {
	f := (float64(t.evDF.get(key)) + 1) / (float64(len(t.docs)) + priorDocs)
	return min(1, max(0, -math.Log10(f)/2))
}

func dayOf(unixNano int64) int64 { return unixNano / (86400 * 1e9) }

// member returns the membership of a, assigned as d, as the store keeps
// it, with the evidence that explains it and the features Load needs.
func member(a *news.Article, d *doc, fetched time.Time, score float64, reasons []news.Evidence, f features) news.StoryMember {
	return news.StoryMember{
		Story: d.open.id, ArticleID: d.id, URL: a.URL, Source: a.Source, Lang: a.Lang, Title: a.Title,
		Published: a.Published, Fetched: fetched, Topics: slices.Clone(a.Topics), DuplicateOf: d.dupOf,
		With: d.with, Score: math.Round(score*1000) / 1000, Evidence: reasons, Features: d.encode(f.distinct),
	}
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
		d, distinct, err := decodeDoc(m, &t.scratch.sorted)
		if errors.Is(err, ErrFeaturesVersion) {
			continue // written by another version: the article just leaves the window early
		}
		if err != nil {
			return fmt.Errorf("story window: article %s: %w", m.ArticleID, err)
		}
		t.intern(d)
		t.insert(d, m.Story, distinct)
	}
	return nil
}
