package alerts

import (
	"strconv"
	"testing"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// BenchmarkDeliverWebhook measures end-to-end delivery to a local
// receiver: store the alerts, send them signed, mark them delivered.
func BenchmarkDeliverWebhook(b *testing.B) {
	const batch = 100
	rc := newReceiver(b, nil)
	e := newEnv(b, []Subscriber{webhookSub("desk", rc.URL, "trafficking")}, SMTPConfig{}, nil, Options{})
	tmpl := loadArticles(b)[1]
	n := 0
	start := time.Now()
	for b.Loop() {
		arts := make([]*news.Article, batch)
		for i := range arts {
			a := *tmpl
			a.URL = tmpl.URL + "?n=" + strconv.Itoa(n)
			a.ID = news.ArticleID(a.URL)
			arts[i] = &a
			n++
		}
		e.plan(b, arts, time.Now())
		if err := e.d.Drain(b.Context()); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "alerts/s")
}

// BenchmarkSaveMatchedArticle measures what the outbox adds to storing a
// matched article: the same poll transaction without and with its alerts
// (two subscribers, webhook and email each).
func BenchmarkSaveMatchedArticle(b *testing.B) {
	wh := &WebhookTarget{URL: "https://h.example.org", Secret: testSecret}
	em := &EmailTarget{To: []string{"a@example.org"}}
	r, err := NewRouter([]Subscriber{
		{Name: "desk", Topics: []string{"trafficking"}, Webhook: wh, Email: em},
		{Name: "un", Topics: []string{"un"}, Webhook: wh, Email: em},
	})
	if err != nil {
		b.Fatal(err)
	}
	tmpl := loadArticles(b)[1]
	for _, withAlerts := range []bool{false, true} {
		b.Run("alerts="+strconv.FormatBool(withAlerts), func(b *testing.B) {
			s := openStore(b)
			n := 0
			for b.Loop() {
				a := *tmpl
				a.URL = tmpl.URL + "?n=" + strconv.Itoa(n)
				a.ID = news.ArticleID(a.URL)
				n++
				p := store.Poll{Feed: store.FeedState{URL: a.FeedURL}, Seen: []string{a.URL}, Articles: []*news.Article{&a}}
				if withAlerts {
					p.Alerts = r.Plan(&a, time.Now())
				}
				if _, err := s.SavePoll(p); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPlan(b *testing.B) {
	var subs []Subscriber
	for i := range 50 {
		subs = append(subs, Subscriber{Name: "s" + strconv.Itoa(i), Topics: []string{"trafficking"}, Langs: []string{"ar", "vi"},
			Webhook: &WebhookTarget{URL: "https://h.example.org", Secret: testSecret}})
	}
	r, err := NewRouter(subs)
	if err != nil {
		b.Fatal(err)
	}
	a := loadArticles(b)[1]
	now := time.Now()
	for b.Loop() {
		r.Plan(a, now)
	}
}
