package alerts

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/topic"
)

// QueryTopic is the topic name reported for articles that reached a
// subscriber through its own query.
const QueryTopic = "query"

// Router decides which subscribers get an article.
type Router struct {
	routes  []*route
	updates storyUpdates // what later articles of a story give
}

// route is one subscriber with its compiled filters.
type route struct {
	sub    Subscriber
	query  *topic.Matcher // nil without a query
	digest digestSchedule
}

// NewRouter compiles the subscribers' filters. Subscribers must be valid
// (see ValidateSubscribers).
func NewRouter(subs []Subscriber) (*Router, error) {
	r := &Router{}
	seen := map[string]bool{}
	for _, s := range subs {
		if seen[s.Name] {
			return nil, fmt.Errorf("subscriber %q: duplicate name", s.Name)
		}
		seen[s.Name] = true
		rt := &route{sub: s}
		if strings.TrimSpace(s.Query) != "" {
			m, err := topic.Compile([]topic.Topic{{Name: QueryTopic, Query: s.Query}})
			if err != nil {
				return nil, fmt.Errorf("subscriber %q: query: %w", s.Name, err)
			}
			rt.query = m
		}
		if s.Email != nil {
			d, err := s.Email.schedule()
			if err != nil {
				return nil, fmt.Errorf("subscriber %q: email: %w", s.Name, err)
			}
			rt.digest = d
		}
		r.routes = append(r.routes, rt)
	}
	return r, nil
}

// Plan returns the alerts for article a: one per (subscriber, channel)
// whose topics or query match and whose langs and sources admit it. Email
// alerts of digest subscribers are due at the next digest time and carry
// its key; all others are due at now.
func (r *Router) Plan(a *news.Article, now time.Time) []news.Alert {
	var out []news.Alert
	for _, rt := range r.routes {
		topics, _, ok := rt.match(a)
		if !ok {
			continue
		}
		if rt.sub.Webhook != nil {
			out = append(out, r.alert(rt, news.ChannelWebhook, a, topics, now))
		}
		if rt.sub.Email != nil {
			out = append(out, r.alert(rt, news.ChannelEmail, a, topics, now))
		}
	}
	return out
}

// alert returns the alert of article a to a route's channel: of the
// article, or, for an article in a story, of the story with the update
// it gives instead when the story alerted the subscriber already.
func (r *Router) alert(rt *route, channel string, a *news.Article, topics []string, now time.Time) news.Alert {
	al := news.Alert{
		ID: news.AlertID(rt.sub.Name, channel, a.ID), Subscriber: rt.sub.Name, Channel: channel,
		ArticleID: a.ID, Topics: topics, State: news.AlertPending, NextAt: now, Created: now,
	}
	rt.schedule(&al, now)
	if a.Story == "" {
		return al
	}
	first := al
	first.ID, first.Kind, first.Story = StoryAlertID(rt.sub.Name, channel, a.Story), news.AlertStory, a.Story
	if a.DuplicateOf == "" { // a copy of an article adds nothing to its story
		first.Fallback = r.updates.plan(rt, al, a.Story, now)
	}
	return first
}

// schedule makes an email alert of a digest subscriber due with its
// digest.
func (rt *route) schedule(al *news.Alert, now time.Time) {
	if al.Channel == news.ChannelEmail && rt.digest.period != "" {
		al.NextAt, al.Digest = rt.digest.next(now)
	}
}

// PlanRevision returns the alerts about rev, a revision of the stored
// article a, owed to the subscribers who opted in to its kind and whose
// topics a matched: one per channel, due now, never in a digest.
func (r *Router) PlanRevision(a *news.Article, rev news.Revision, now time.Time) []news.Alert {
	var out []news.Alert
	for _, rt := range r.routes {
		topics, _, ok := rt.match(a)
		if !ok || !rt.sub.wantsRevision(rev.Kind) {
			continue
		}
		for _, ch := range rt.channels() {
			out = append(out, news.Alert{
				ID: news.AlertID(rt.sub.Name, ch, fmt.Sprintf("%s/revision/%d", a.ID, rev.Seq)), Subscriber: rt.sub.Name, Channel: ch,
				ArticleID: a.ID, Topics: topics, State: news.AlertPending, NextAt: now, Created: now,
				Kind: news.AlertRevision, Revision: &rev,
			})
		}
	}
	return out
}

// channels returns the channels of the route's subscriber.
func (rt *route) channels() []string {
	var out []string
	if rt.sub.Webhook != nil {
		out = append(out, news.ChannelWebhook)
	}
	if rt.sub.Email != nil {
		out = append(out, news.ChannelEmail)
	}
	return out
}

// route returns the route of the named subscriber, or nil.
func (r *Router) route(name string) *route {
	for _, rt := range r.routes {
		if rt.sub.Name == name {
			return rt
		}
	}
	return nil
}

// match returns the subscriber's topics that a matched and their hits, and
// whether the subscriber gets a at all.
func (rt *route) match(a *news.Article) ([]string, []news.Hit, bool) {
	if !rt.admits(a) {
		return nil, nil, false
	}
	var topics []string
	var hits []news.Hit
	for _, t := range a.Topics {
		if slices.Contains(rt.sub.Topics, AnyTopic) || containsFold(rt.sub.Topics, t) {
			topics = append(topics, t)
		}
	}
	for _, h := range a.Hits {
		if slices.Contains(topics, h.Topic) {
			hits = append(hits, h)
		}
	}
	if rt.query != nil {
		if qh := rt.query.Match(a); len(qh) > 0 {
			topics = append(topics, QueryTopic)
			hits = append(hits, qh...)
		}
	}
	return topics, hits, len(topics) > 0
}

// admits reports whether a passes the subscriber's langs and sources.
func (rt *route) admits(a *news.Article) bool {
	if len(rt.sub.Langs) > 0 && !slices.ContainsFunc(rt.sub.Langs, func(l string) bool {
		return lang.Normalize(l) == lang.Normalize(a.Lang)
	}) {
		return false
	}
	return rt.admitsSource(a.Source, a.FeedURL)
}

// admitsSource reports whether the subscriber's sources admit the feed
// with the given name and URL.
func (rt *route) admitsSource(name, feedURL string) bool {
	return len(rt.sub.Sources) == 0 || slices.ContainsFunc(rt.sub.Sources, func(s string) bool {
		return strings.EqualFold(s, name) || s == feedURL
	})
}

// ValidateSubscribers reports every problem of the subscribers: each one's
// own (Validate), duplicate names, topics not in topics, and queries that do
// not compile.
func ValidateSubscribers(subs []Subscriber, topics []string) []error {
	var errs []error
	seen := map[string]bool{}
	for _, s := range subs {
		errs = append(errs, s.Validate()...)
		errs = append(errs, s.ValidateTopics(topics)...)
		if s.Name != "" && seen[s.Name] {
			errs = append(errs, fmt.Errorf("subscriber %q: duplicate name", s.Name))
		}
		seen[s.Name] = true
		if strings.TrimSpace(s.Query) != "" {
			if _, err := topic.Compile([]topic.Topic{{Name: QueryTopic, Query: s.Query}}); err != nil {
				errs = append(errs, fmt.Errorf("subscriber %q: query: %v", s.Name, err))
			}
		}
	}
	return errs
}

// errNoLookup means a secret names an environment variable but no lookup
// function was given.
var errNoLookup = errors.New("no environment lookup configured")

// Resolve returns s with Webhook.Secret filled from Webhook.SecretEnv
// through lookup (os.LookupEnv in cmd). It fails when the variable is unset.
func (s Subscriber) Resolve(lookup func(string) (string, bool)) (Subscriber, error) {
	if s.Webhook == nil || s.Webhook.SecretEnv == "" {
		return s, nil
	}
	v, err := lookupEnv(lookup, s.Webhook.SecretEnv)
	if err != nil {
		return s, fmt.Errorf("subscriber %q: webhook secret_env: %w", s.Name, err)
	}
	if _, err := DecodeSecret(v); err != nil {
		return s, fmt.Errorf("subscriber %q: webhook secret_env %s: %v", s.Name, s.Webhook.SecretEnv, err)
	}
	w := *s.Webhook
	w.Secret, w.SecretEnv = v, ""
	s.Webhook = &w
	return s, nil
}

// Resolve returns c with Password filled from PasswordEnv through lookup.
func (c SMTPConfig) Resolve(lookup func(string) (string, bool)) (SMTPConfig, error) {
	if c.PasswordEnv == "" {
		return c, nil
	}
	v, err := lookupEnv(lookup, c.PasswordEnv)
	if err != nil {
		return c, fmt.Errorf("smtp password_env: %w", err)
	}
	c.Password, c.PasswordEnv = v, ""
	return c, nil
}

func lookupEnv(lookup func(string) (string, bool), name string) (string, error) {
	if lookup == nil {
		return "", errNoLookup
	}
	v, ok := lookup(name)
	if !ok || v == "" {
		return "", fmt.Errorf("environment variable %s is not set", name)
	}
	return v, nil
}
