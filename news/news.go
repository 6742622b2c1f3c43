package news

import (
	"crypto/sha256"
	"encoding/hex"
	"reflect"
	"slices"
	"time"
	"unicode"
)

// Feed is a feed the user subscribed to, as configured.
type Feed struct {
	URL      string        // feed URL as written in the config
	Name     string        // human name; also the article's Source
	Interval time.Duration // poll interval; 0 means adaptive
	Scrape   bool          // fetch and extract the full article page
	Lang     string        // language hint for items without one (BCP 47, may be empty)

	// Origin says where the feed is declared: OriginConfig (the config
	// file) or OriginAdded (added at run time, kept in the store).
	Origin string
	Added  time.Time // when it was added at run time; zero for the config's
	Via    string    // how it was added: "feeds add", "feeds import subs.opml"

	// Type says what the source at URL is: SourceFeed (also ""), a
	// SourceSitemap or a SourcePage.
	Type SourceType
	// Select are the CSS selectors of a page source; empty ones mean the
	// generic link discovery.
	Select Selectors
	// Backfill is the URL of the source read at once when a poll finds a
	// gap in the feed, or on the first poll after downtime; "" for none.
	Backfill string
	// Hosts are other hosts whose links a sitemap or page source takes;
	// by default only links to the source's own site are.
	Hosts []string
}

// SourceType is the kind of a source: what its URL serves.
type SourceType string

// Source types.
const (
	SourceFeed    SourceType = "feed"    // RSS, Atom or JSON Feed
	SourceSitemap SourceType = "sitemap" // a sitemap, Google News or plain, or a sitemap index
	SourcePage    SourceType = "page"    // a section or tag page linking to articles
)

// Kind returns the feed's type, SourceFeed when it has none.
func (f Feed) Kind() SourceType {
	if f.Type == "" {
		return SourceFeed
	}
	return f.Type
}

// Equal reports whether f and o are the same feed with the same settings.
// (Feed holds a slice, so == does not compile.)
func (f Feed) Equal(o Feed) bool { return reflect.DeepEqual(f, o) }

// Selectors pick the articles of a section page: Items the article links
// or the elements holding one each; Title and Date, looked up inside each
// item, its headline and publication date.
type Selectors struct {
	Items, Title, Date string
}

// Origins of a feed.
const (
	OriginConfig = "config"
	OriginAdded  = "added"
)

// Item is one entry of a parsed feed.
type Item struct {
	GUID       string    // the feed's id for the entry; may be empty
	URL        string    // canonical link: absolute, tracking parameters stripped
	Title      string    // plain text
	Summary    string    // plain text of the description/summary
	Content    string    // plain text of content:encoded / atom content, if any
	Published  time.Time // zero if the feed gives none
	Updated    time.Time
	Lang       string
	Authors    []string
	Categories []string
	Image      string // the item's image or image enclosure, absolute URL
}

// Key returns the identity of the item for the seen-set: its canonical URL,
// or its GUID when it has no link.
func (it Item) Key() string {
	if it.URL != "" {
		return it.URL
	}
	return it.GUID
}

// Article is an item with its extracted page text, as stored and exported.
type Article struct {
	ID        string    // stable id derived from the canonical URL (see ArticleID)
	URL       string    // canonical URL
	FeedURL   string    // the feed it was first seen in
	Source    string    // the feed's name (or host when unnamed)
	Title     string    // plain text
	Byline    string    // author(s), if found
	Text      string    // extracted body: paragraphs separated by "\n", NFC
	Summary   string    // the feed's summary, plain text
	Lang      string    // BCP 47 primary tag, e.g. "vi", "ar", "zh"
	Dir       string    // "ltr" or "rtl"
	Published time.Time // zero if unknown
	Fetched   time.Time
	Extractor string // how Text was obtained, for people: "site:<rule>", "fallback:<rule>", "generic", "feed", "feed:robots" (robots.txt disallows the page)
	Topics    []string
	Hits      []Hit
	// Unmatched is when a rematch took the article's last topic away (zero
	// otherwise): retention counts from the later of it and Fetched, so an
	// article is never deleted at once because a topic changed.
	Unmatched time.Time `json:",omitzero"`

	// Rule names the site rule that applied to the page ("" when none), and
	// RuleFellBack says it found no article body, so Text came from the
	// generic extractor: the site has probably changed its layout.
	Rule         string `json:",omitempty"`
	RuleFellBack bool   `json:",omitempty"`

	// Image is the page's or the feed item's lead image URL, if any.
	Image string `json:",omitempty"`
	// Story is the id of the story the article belongs to (see package
	// story); "" for articles stored before stories existed.
	Story string `json:",omitempty"`
	// DuplicateOf is the ID of the article whose text this one repeats
	// (a syndicated, AMP or print copy): it alerts no one again.
	DuplicateOf string `json:",omitempty"`
	// Copies lists the other URLs where this article's text was found.
	// The store keeps them apart from the article (one record per copy)
	// and fills them in when it reads one article.
	Copies []Copy `json:",omitempty"`
	// Revisions are the changes later fetches of the page found, oldest
	// first (see Revision); Text stays the text first stored.
	Revisions []Revision `json:",omitempty"`

	// Norm is the article's text as topic matching normalised it, for
	// the stages after matching (see Normalized); nil when the article was
	// not matched in this process. It is never stored.
	Norm *Normalized `json:"-"`
}

// Matched reports whether the article matched at least one topic.
func (a *Article) Matched() bool { return len(a.Topics) > 0 }

// SetHits records the hits and derives the sorted, deduplicated topic names.
func (a *Article) SetHits(hits []Hit) {
	a.Hits = hits
	a.Topics = a.Topics[:0]
	for _, h := range hits {
		if !slices.Contains(a.Topics, h.Topic) {
			a.Topics = append(a.Topics, h.Topic)
		}
	}
	slices.Sort(a.Topics)
	if len(a.Topics) == 0 {
		a.Topics = nil
	}
}

// ValidTopicName reports whether name can name a topic: 1 to 64 letters,
// digits, '-' and '_'. Topic names appear in exports, alerts, metrics
// labels and the store's topic index.
func ValidTopicName(name string) bool {
	if name == "" || len(name) > 64 {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '_' {
			return false
		}
	}
	return true
}

// Field names used in Hit.Field.
const (
	FieldTitle = "title"
	FieldText  = "text"
	FieldURL   = "url"
)

// Hit is one matched term of a topic inside an article.
type Hit struct {
	Topic   string `json:"topic"`
	Term    string `json:"term"`    // the query term that matched, as written
	Field   string `json:"field"`   // FieldTitle, FieldText, ...
	Start   int    `json:"start"`   // byte offset into the original field text
	End     int    `json:"end"`     // byte offset, exclusive
	Snippet string `json:"snippet"` // short context around the hit
	// Context marks a word that only qualified a match rather than what
	// made the query true: a NEAR's later operands, say, or a term weighted
	// ^0 (see package topic). topic.Matcher.Match returns a topic's
	// decisive hits first, so explanations, snippets and alerts lead with
	// them. Hits stored before the topic engine set it are all decisive.
	Context bool `json:"context,omitempty"`
}

// ArticleID derives the stable article id from a canonical URL: the first
// 10 bytes of its SHA-256, hex encoded.
func ArticleID(canonicalURL string) string {
	sum := sha256.Sum256([]byte(canonicalURL))
	return hex.EncodeToString(sum[:10])
}

// AlertState is where an alert is in the outbox.
type AlertState string

// Alert states.
const (
	AlertPending   AlertState = "pending"   // waiting for its next attempt
	AlertDelivered AlertState = "delivered" // a send succeeded
	AlertFailed    AlertState = "failed"    // dead letter: permanent failure or retries exhausted
)

// Alert channels.
const (
	ChannelWebhook = "webhook"
	ChannelEmail   = "email"
)

// AlertKind says what an alert is about.
type AlertKind string

// Alert kinds.
const (
	AlertArticle      AlertKind = ""              // a matched article: ArticleID, Topics
	AlertSourceHealth AlertKind = "source_health" // a feed's health changed: Health
	AlertStory        AlertKind = "story"         // the first article of a story for the subscriber: ArticleID, Story
	AlertStoryUpdate  AlertKind = "story_update"  // later articles of a story: ArticleID (or those fetched Since..Until), Story
)

// Alert is one notification of one article (or of a change of a feed's
// health) to one subscriber over one channel. Its ID is stable (see
// AlertID), so retries and crash recovery never turn one alert into two.
type Alert struct {
	ID          string
	Subscriber  string
	Channel     string // ChannelWebhook or ChannelEmail
	ArticleID   string
	Topics      []string // the subscriber's topics this article matched
	Digest      string   // "" for immediate delivery; else the digest period key, e.g. "daily/2026-11-27"
	State       AlertState
	Attempts    int
	NextAt      time.Time // when the next attempt is due (for pending alerts)
	LastError   string
	Created     time.Time
	LastAttempt time.Time
	Delivered   time.Time
	// Kind is AlertArticle for a matched article (ArticleID, Topics) and
	// AlertSourceHealth for a feed's health change (Health).
	Kind   AlertKind     `json:",omitempty"`
	Health *HealthChange `json:",omitempty"`
	// Story is the story of a story alert or update. An update that
	// gathers the articles fetched in an interval has Since and Until.
	Story string    `json:",omitempty"`
	Since time.Time `json:",omitzero"`
	Until time.Time `json:",omitzero"`
	// Fallback is inserted instead when an alert with ID is already
	// stored: a story's update when its first alert went out. Never
	// stored itself.
	Fallback *Alert `json:"-"`
	// Revision is the change an AlertRevision reports.
	Revision *Revision `json:",omitempty"`
}

// AlertID derives the stable alert id for (subscriber, channel, subject):
// the subject is an article ID, or a HealthChange's Key.
func AlertID(subscriber, channel, subject string) string {
	h := sha256.New()
	for _, s := range []string{subscriber, channel, subject} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "alt_" + hex.EncodeToString(h.Sum(nil)[:12])
}
