package store_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// A poll's articles, seen keys, alerts and feed state are saved together;
// the delivery worker then takes due alerts and marks them.
func Example() {
	dir, err := os.MkdirTemp("", "newswatch-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	s, err := store.Open(filepath.Join(dir, "newswatch.db"), store.Options{})
	if err != nil {
		log.Fatal(err)
	}
	defer s.Close()

	now := time.Date(2026, 11, 22, 3, 31, 0, 0, time.UTC)
	a := &news.Article{
		URL:   "https://news.un.org/zh/story/2026/11/1120002",
		Title: "联合国秘书长呼吁加强国际合作打击人口贩运", Lang: "zh", Fetched: now,
	}
	a.ID = news.ArticleID(a.URL)
	a.SetHits([]news.Hit{{Topic: "trafficking", Term: "人口贩运", Field: news.FieldTitle}})
	alert := news.Alert{
		ID:         news.AlertID("ngo@example.org", news.ChannelEmail, a.ID),
		Subscriber: "ngo@example.org", Channel: news.ChannelEmail, ArticleID: a.ID,
		Topics: a.Topics, NextAt: now, Created: now,
	}
	poll := store.Poll{
		Feed:     store.FeedState{URL: "https://news.un.org/feed/subscribe/zh/news/all/rss.xml", ETag: `"v1"`, LastSuccess: now},
		Seen:     []string{a.URL},
		Articles: []*news.Article{a},
		Alerts:   []news.Alert{alert},
	}
	for range 2 { // the second time, nothing is new
		res, err := s.SavePoll(poll)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("new articles %d, new alerts %d\n", res.NewArticles, res.NewAlerts)
	}

	unseen, _ := s.Unseen([]string{a.URL, "https://news.un.org/zh/story/2026/11/1120003"})
	fmt.Println("unseen:", unseen)

	due, _ := s.DueAlerts(now, 10)
	for _, al := range due {
		// ... send al, then:
		if err := s.MarkDelivered(al.ID, now.Add(time.Second)); err != nil {
			log.Fatal(err)
		}
	}
	counts, _ := s.CountAlerts()
	fmt.Println("delivered:", counts[news.AlertDelivered])

	_ = s.ForEachArticle(context.Background(), store.Query{Topic: "trafficking"}, func(a *news.Article) error {
		fmt.Println(a.Topics, a.Title)
		return nil
	})
	// Output:
	// new articles 1, new alerts 1
	// new articles 0, new alerts 0
	// unseen: [https://news.un.org/zh/story/2026/11/1120003]
	// delivered: 1
	// [trafficking] 联合国秘书长呼吁加强国际合作打击人口贩运
}
