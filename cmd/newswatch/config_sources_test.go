package main

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/news"
)

// TestNewsFeedsSources: the source keys of feeds[] reach the monitor's
// feeds, a backfill given by name resolved to that source's URL.
func TestNewsFeedsSources(t *testing.T) {
	t.Parallel()
	cfg, err := parseConfig([]byte(`
feeds:
  - name: VietnamPlus (vi)
    url: https://www.vietnamplus.vn/rss/home.rss
    backfill: https://www.vietnamplus.vn/sitemaps/google-news.xml
  - name: VietnamPlus (es)
    url: https://es.vietnamplus.vn/rss/home.rss
    backfill: VietnamPlus (es) topic page
  - name: VietnamPlus (es) topic page
    url: https://es.vietnamplus.vn/topic/ultimas-noticias-107.vnp
    type: page
    items: .story
    title: h2 a
    date: time[datetime]
    hosts: [media.vietnamplus.vn]
  - url: https://www.vietnamplus.vn/sitemap.xml
    type: sitemap
    interval: 1h
`), "test.yaml")
	if err != nil {
		t.Fatal(err)
	}
	iv := 10 * time.Minute
	want := []news.Feed{
		{URL: "https://www.vietnamplus.vn/rss/home.rss", Name: "VietnamPlus (vi)", Interval: iv, Scrape: true, Origin: news.OriginConfig,
			Backfill: "https://www.vietnamplus.vn/sitemaps/google-news.xml"},
		{URL: "https://es.vietnamplus.vn/rss/home.rss", Name: "VietnamPlus (es)", Interval: iv, Scrape: true, Origin: news.OriginConfig,
			Backfill: "https://es.vietnamplus.vn/topic/ultimas-noticias-107.vnp"},
		{URL: "https://es.vietnamplus.vn/topic/ultimas-noticias-107.vnp", Name: "VietnamPlus (es) topic page", Interval: iv, Scrape: true, Origin: news.OriginConfig,
			Type: news.SourcePage, Select: news.Selectors{Items: ".story", Title: "h2 a", Date: "time[datetime]"}, Hosts: []string{"media.vietnamplus.vn"}},
		{URL: "https://www.vietnamplus.vn/sitemap.xml", Name: "vietnamplus.vn", Interval: time.Hour, Scrape: true, Origin: news.OriginConfig, Type: news.SourceSitemap},
	}
	if diff := cmp.Diff(want, cfg.newsFeeds()); diff != "" {
		t.Errorf("newsFeeds() differs (-want +got):\n%s", diff)
	}
	if cfg.monitorOptions().Horizon != 72*time.Hour {
		t.Errorf("monitor horizon = %v, want the default 72h", cfg.monitorOptions().Horizon)
	}
}
