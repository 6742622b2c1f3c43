package store

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/newswatch/newswatch/news"
)

// ErrWouldRemove means a rematch would take topics away from archived
// articles and was not allowed to: nothing was changed.
var ErrWouldRemove = errors.New("rematch would remove topics from archived articles")

// RematchOptions tune Rematch.
type RematchOptions struct {
	// DryRun reports what would change and writes nothing.
	DryRun bool
	// AllowRemovals lets the rematch take topics away from articles.
	// Without it, a rematch that would remove any changes nothing and
	// returns ErrWouldRemove with the report of what it would have done.
	AllowRemovals bool
	// Plan, if not nil, returns the alerts an article that gained a topic
	// owes subscribers; they are enqueued in the outbox (alerts already
	// enqueued for the same subscriber, channel and article are not
	// repeated).
	Plan func(a *news.Article, now time.Time) []news.Alert
	// Now is the time recorded for the change; zero means time.Now().
	Now time.Time
}

// ArticleRef names an article in a report.
type ArticleRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	URL   string `json:"url"`
}

// TopicChange lists the articles that gained or lost one topic.
type TopicChange struct {
	Topic  string       `json:"topic"`
	Gained []ArticleRef `json:"gained"`
	Lost   []ArticleRef `json:"lost"`
}

// RematchReport is what a rematch changed, or would change.
type RematchReport struct {
	DryRun   bool          `json:"dry_run"`
	Articles int           `json:"articles"` // articles matched again
	Changed  int           `json:"changed"`  // articles whose topics changed
	Alerts   int           `json:"alerts"`   // alerts enqueued
	Topics   []TopicChange `json:"topics"`   // sorted by topic name
}

// Removals returns how many topic assignments the rematch takes away.
func (r *RematchReport) Removals() int {
	n := 0
	for _, tc := range r.Topics {
		n += len(tc.Lost)
	}
	return n
}

// Matcher finds the topic hits of an article (a *topic.Matcher).
type Matcher interface {
	Match(a *news.Article) []news.Hit
}

// Rematch runs m over every stored article, matched or not, and updates
// the topics of those whose topics changed, one short transaction per
// article, so that a running daemon goes on polling meanwhile. Unless
// o.AllowRemovals is set, it first checks in a dry run that no topic would
// be removed. An article that loses its last topic is kept for the
// retention period from then (see UpdateArticleTopics).
func (s *Store) Rematch(ctx context.Context, m Matcher, o RematchOptions) (*RematchReport, error) {
	if o.Now.IsZero() {
		o.Now = time.Now()
	}
	if !o.DryRun && !o.AllowRemovals {
		dry, err := s.rematch(ctx, m, RematchOptions{DryRun: true})
		if err != nil {
			return nil, err
		}
		if dry.Removals() > 0 {
			return dry, ErrWouldRemove
		}
	}
	return s.rematch(ctx, m, o)
}

func (s *Store) rematch(ctx context.Context, m Matcher, o RematchOptions) (*RematchReport, error) {
	r := &RematchReport{DryRun: o.DryRun}
	changes := map[string]*TopicChange{}
	change := func(t string) *TopicChange {
		if changes[t] == nil {
			changes[t] = &TopicChange{Topic: t, Gained: []ArticleRef{}, Lost: []ArticleRef{}}
		}
		return changes[t]
	}
	err := s.ForEachArticle(ctx, Query{All: true}, func(a *news.Article) error {
		r.Articles++
		before := slices.Clone(a.Topics)
		a.SetHits(m.Match(a))
		if slices.Equal(before, a.Topics) {
			return nil
		}
		r.Changed++
		ref := ArticleRef{ID: a.ID, Title: a.Title, URL: a.URL}
		gained := false
		for _, t := range a.Topics {
			if !slices.Contains(before, t) {
				change(t).Gained = append(change(t).Gained, ref)
				gained = true
			}
		}
		for _, t := range before {
			if !slices.Contains(a.Topics, t) {
				change(t).Lost = append(change(t).Lost, ref)
			}
		}
		if o.DryRun {
			return nil
		}
		if err := s.UpdateArticleTopics(a.ID, a.Hits, o.Now); err != nil {
			return err
		}
		if o.Plan != nil && gained {
			n, err := s.EnqueueAlerts(o.Plan(a, o.Now))
			r.Alerts += n
			return err
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("rematch: %w", err)
	}
	for _, t := range slices.Sorted(maps.Keys(changes)) {
		r.Topics = append(r.Topics, *changes[t])
	}
	return r, nil
}
