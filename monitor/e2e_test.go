package monitor_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/newswatch/newswatch/fetcher"
	"github.com/newswatch/newswatch/internal/newstest"
	"github.com/newswatch/newswatch/news"
	"github.com/newswatch/newswatch/store"
)

// startE2ESite serves testdata/site as a VietnamPlus-like site would: the
// Vietnamese feed gzipped, the windows-1256 feed with its charset only in
// the HTTP header, the windows-1256 page with its charset only in a <meta>.
func startE2ESite(t testing.TB) *newstest.Site {
	t.Helper()
	site, err := newstest.NewSite(os.DirFS("testdata/site"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(site.Close)
	site.Update("/rss/vi.rss", func(r *newstest.Route) { r.Gzip = true })
	site.Update("/rss/en.rss", func(r *newstest.Route) { r.Gzip = true })
	site.Update("/rss/ar-1256.rss", func(r *newstest.Route) { r.ContentType = "application/rss+xml; charset=windows-1256" })
	p, _ := newstest.CorpusPageByID(3002)
	site.Update(p.Path(), func(r *newstest.Route) { r.ContentType = "text/html" })
	return site
}

func TestPollEndToEnd(t *testing.T) {
	t.Parallel()
	site := startE2ESite(t)
	st := openStore(t)
	layout := newstest.E2ELayout()
	feeds := feedsOf(site.URL(), layout)
	m := newMonitor(t, feeds, fetcher.New(testFetchOptions()), st)
	pages := newstest.PagesOf(layout)

	// First poll: every feed fetched in full, every article page once.
	results := pollAll(t, t.Context(), m)
	for _, f := range feeds {
		r := results[f.URL]
		if r.Err != nil || r.Status != 200 || r.NotModified {
			t.Errorf("first poll of %s: status %d, not modified %v, error %v; want 200 without error", f.URL, r.Status, r.NotModified, r.Err)
		}
	}
	if diff := cmp.Diff(wantTopics(site.URL(), pages), storedTopics(t, st)); diff != "" {
		t.Errorf("stored articles and their topics (URL -> topics) differ (-want +got):\n%s", diff)
	}
	for _, p := range pages {
		n := site.Requests(p.Path())
		max := 1
		if p.ID == 2001 {
			max = 2 // in two feeds that may be polled at the same moment
		}
		if n < 1 || n > max {
			t.Errorf("first poll fetched %s %d times, want 1..%d", p.Path(), n, max)
		}
	}
	if c := site.Counts("/rss/vi.rss"); c.Gzipped != 1 {
		t.Errorf("vi feed counts = %+v, want one gzipped answer", c)
	}
	checkArticles(t, st, site.URL())

	// Second poll: conditional requests answered 304, no article page again.
	site.ResetCounts()
	results = pollAll(t, t.Context(), m)
	for _, f := range layout {
		c := site.Counts(f.Path)
		if c.Requests != 1 || c.Conditional != 1 || c.NotModified != 1 {
			t.Errorf("second poll of %s: counts %+v, want one conditional request answered 304", f.Path, c)
		}
		if r := results[site.URL()+f.Path]; !r.NotModified || r.Err != nil || r.New != 0 {
			t.Errorf("second poll of %s: %+v, want not modified, no new items, no error", f.Path, r)
		}
		fs, err := st.Feed(site.URL() + f.Path)
		if err != nil || fs.Status != 304 || fs.Errors != 0 || fs.ETag == "" {
			t.Errorf("feed state of %s = status %d, errors %d, etag %q (%v); want 304, 0 errors, an etag", f.Path, fs.Status, fs.Errors, fs.ETag, err)
		}
	}
	for p, c := range site.AllCounts() {
		if strings.HasSuffix(p, ".vnp") {
			t.Errorf("second poll fetched article page %s %d times, want none", p, c.Requests)
		}
	}

	// A new item appears: only its page is fetched.
	addVietnameseItem(t, site)
	site.ResetCounts()
	results = pollAll(t, t.Context(), m)
	if r := results[site.URL()+"/rss/vi.rss"]; r.Status != 200 || r.New != 1 || r.Stored != 1 || r.Matched != 1 {
		t.Errorf("poll after a new item: %+v, want status 200, 1 new, 1 stored, 1 matched", r)
	}
	var pagesFetched []string
	for p := range site.AllCounts() {
		if strings.HasSuffix(p, ".vnp") {
			pagesFetched = append(pagesFetched, p)
		}
	}
	if diff := cmp.Diff([]string{newItem.Path()}, pagesFetched); diff != "" {
		t.Errorf("pages fetched after a new item differ (-want +got):\n%s", diff)
	}
}

// newItem is an article that appears in the Vietnamese feed later.
var newItem = newstest.Page{
	ID: 1099, Slug: "giai-cuu-12-nan-nhan-bi-lua-ban-sang-campuchia", Lang: "vi", Section: "Xã hội",
	Title:     "Giải cứu 12 nạn nhân bị lừa bán sang Campuchia",
	Sapo:      "Công an tỉnh An Giang phối hợp với lực lượng chức năng Campuchia giải cứu 12 công dân Việt Nam bị lừa bán vào các cơ sở lừa đảo trực tuyến.",
	Published: time.Date(2026, 11, 27, 9, 0, 0, 0, time.FixedZone("ICT", 7*3600)),
	Body: []string{
		"Ngày 26/11, Công an tỉnh An Giang cho biết đã tiếp nhận 12 công dân Việt Nam được giải cứu từ một cơ sở lừa đảo trực tuyến tại tỉnh Takeo, Campuchia.",
		"Các nạn nhân khai nhận bị dụ dỗ sang Campuchia làm việc với mức lương cao, sau đó bị thu giữ hộ chiếu, bị đánh đập và bị bán qua lại giữa các công ty.",
		"Cơ quan công an đang điều tra làm rõ hành vi mua bán người của các đối tượng môi giới trong nước.",
	},
}

// addVietnameseItem publishes newItem: its page, and the feed with it first.
func addVietnameseItem(t *testing.T, site *newstest.Site) {
	t.Helper()
	site.Set(newItem.Path(), newstest.Route{Body: newItem.HTML()})
	items := []newstest.FeedItem{newItem.Item()}
	for _, id := range newstest.E2ELayout()[0].IDs {
		p, _ := newstest.CorpusPageByID(id)
		items = append(items, p.Item())
	}
	site.SetBody("/rss/vi.rss", newstest.RSS(newstest.E2ELayout()[0].Channel, items))
}

// checkArticles checks what was extracted from the pages that make the
// end-to-end site hard: charsets, the related-articles trap, a keyword
// deep in the body, the article in two feeds.
func checkArticles(t *testing.T, st *store.Store, base string) {
	t.Helper()
	tests := []struct {
		id        int
		lang      string
		contains  []string // in Text
		forbidden []string // not in Text
	}{
		{1001, "vi", []string{"giải cứu 7 nạn nhân", "bị ép kết hôn"}, []string{"Bình luận (0)", "Hà Giang: Khởi tố 3 đối tượng", "Chia sẻ", "(TTXVN/Vietnam+)"}},
		{1003, "vi", []string{"Thặng dư thương mại toàn ngành", "vận tải biển"}, []string{"mua bán người", "Liên hợp quốc", "Quảng cáo"}},
		{1005, "vi", []string{"có dấu hiệu của tội phạm mua bán người"}, nil},
		{2003, "en", []string{"Long Thanh International Airport"}, []string{"trafficking", "United Nations", "Comments (0)"}},
		{3002, "ar", []string{"ووجهت إليهم تهمة الاتجار بالبشر"}, nil},
		{3003, "ar", []string{"أكبر مورد للسلع المستوردة"}, []string{"الاتجار بالبشر", "تعليق (0)"}},
		{4001, "zh", []string{"拐卖人口犯罪手段日益隐蔽"}, []string{"评论 (0)", "越通社-VNA", "相关新闻"}},
	}
	for _, tc := range tests {
		p, _ := newstest.CorpusPageByID(tc.id)
		u := newstest.PageURL(base, p.Page)
		a, err := st.Article(news.ArticleID(u))
		if err != nil {
			t.Errorf("Article(%q): %v", u, err)
			continue
		}
		if a.Title != p.Title || a.Lang != tc.lang {
			t.Errorf("article %d: title %q, lang %q; want %q, %q", tc.id, a.Title, a.Lang, p.Title, tc.lang)
		}
		if !a.Published.Equal(p.Published) {
			t.Errorf("article %d: published %v, want %v", tc.id, a.Published, p.Published)
		}
		for _, s := range tc.contains {
			if !strings.Contains(a.Text, s) {
				t.Errorf("article %d: text lacks %q:\n%s", tc.id, s, a.Text)
			}
		}
		for _, s := range tc.forbidden {
			if strings.Contains(a.Text, s) {
				t.Errorf("article %d: text contains %q (page chrome or a related headline):\n%s", tc.id, s, a.Text)
			}
		}
	}
	shared, _ := newstest.CorpusPageByID(2001)
	a, err := st.Article(news.ArticleID(newstest.PageURL(base, shared.Page)))
	if err != nil {
		t.Fatalf("the article of two feeds: %v", err)
	}
	if a.FeedURL != base+"/rss/en.rss" && a.FeedURL != base+"/atom/en-world.atom" {
		t.Errorf("article of two feeds: feed %q, want one of its feeds", a.FeedURL)
	}
}
