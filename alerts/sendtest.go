package alerts

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/newswatch/newswatch/news"
)

// SendTest sends a sample alert to every target of the named subscriber,
// through the same senders, client and SSRF guard as real deliveries. It
// bypasses the outbox and digests, and returns the error of each target.
func (d *Dispatcher) SendTest(ctx context.Context, subscriber string) error {
	r := d.routes.Load()
	rt := r.router.route(subscriber)
	if rt == nil {
		return fmt.Errorf("alerts test %q: %w", subscriber, ErrUnknownSubscriber)
	}
	now := d.opts.Now()
	art := SampleArticle()
	topics := rt.sub.Topics
	if len(topics) == 0 || topics[0] == AnyTopic {
		topics = []string{QueryTopic}
	}
	var errs []error
	for _, ch := range []string{news.ChannelWebhook, news.ChannelEmail} {
		cs, ok := r.senders[subscriber][ch]
		if !ok {
			continue
		}
		m := Message{
			ID:         news.AlertID(subscriber, ch, "test-"+strconv.FormatInt(now.UnixNano(), 36)),
			Subscriber: subscriber, Time: now, Test: true,
			Entries: []Entry{{Article: art, Topics: topics[:1]}},
		}
		if err := cs.Send(ctx, m); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ch, err))
		}
	}
	return errors.Join(errs...)
}

// SampleArticle returns the article `alerts test` sends.
func SampleArticle() *news.Article {
	const u = "https://example.org/newswatch/sample-alert"
	return &news.Article{
		ID: news.ArticleID(u), URL: u, Source: "newswatch", Lang: "en", Dir: "ltr",
		Title:   "newswatch sample alert",
		Summary: "If you can read this, alerts from newswatch reach you.",
		Text:    "If you can read this, alerts from newswatch reach you.",
	}
}
