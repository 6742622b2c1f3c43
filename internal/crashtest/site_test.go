package crashtest

import (
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A story is one article of the test site; its topics are known by
// construction.
type story struct {
	lang, token string // token "[vi-3]" is unique and starts the title
	trafficking bool
	un          bool
}

// phrases of each topic per language, as written in the crash config.
var phrases = map[string][2]string{ // lang -> {trafficking, un}
	"vi": {"mua bán người", "Liên Hợp Quốc"},
	"ar": {"الاتجار بالبشر", "الأمم المتحدة"},
	"zh": {"人口贩运", "联合国"},
	"en": {"human trafficking", "United Nations"},
}

var filler = map[string]string{
	"vi": "Thời tiết hôm nay ở Hà Nội nắng nhẹ, nhiệt độ khoảng 25 độ.",
	"ar": "الطقس اليوم معتدل في القاهرة مع رياح خفيفة.",
	"zh": "今天北京天气晴朗，气温适中。",
	"en": "The weather in Hanoi today is mild and sunny.",
}

// stories returns n stories per language with a fixed mix of topics.
func stories(n int) []story {
	var out []story
	for _, lang := range []string{"vi", "ar", "zh", "en"} {
		for i := range n {
			out = append(out, story{lang: lang, token: fmt.Sprintf("[%s-%d]", lang, i), trafficking: i%3 != 1, un: i%3 != 0 && i%4 != 3})
		}
	}
	return out
}

func (s story) path() string {
	return "/" + s.lang + "/" + strings.Trim(s.token, "[]") + ".html"
}

func (s story) title() string {
	t := s.token + " " + filler[s.lang][:len(filler[s.lang])/2]
	if s.trafficking {
		t = s.token + " " + phrases[s.lang][0]
	}
	return strings.ToValidUTF8(t, "")
}

func (s story) body() string {
	parts := []string{filler[s.lang]}
	if s.trafficking {
		parts = append(parts, "Báo cáo: "+phrases[s.lang][0]+" — "+filler[s.lang])
	}
	if s.un {
		parts = append(parts, phrases[s.lang][1]+" — "+filler[s.lang])
	}
	parts = append(parts, filler[s.lang], filler[s.lang])
	return strings.Join(parts, "\n")
}

// newsSite serves one RSS feed per language whose items appear one by one
// every step after start, and an HTML page per article.
func newsSite(t *testing.T, all []story, step time.Duration) *httptest.Server {
	start := time.Now()
	byPath := map[string]story{}
	for _, s := range all {
		byPath[s.path()] = s
	}
	var srv *httptest.Server
	srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/robots.txt":
			w.Write([]byte("User-agent: *\nAllow: /\n"))
		case strings.HasPrefix(r.URL.Path, "/rss/"):
			lang := strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, "/rss/"), ".rss")
			visible := int(time.Since(start)/step) + 1
			w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
			fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>Test %s</title><link>%s/</link><language>%s</language>`, lang, srv.URL, lang)
			n := 0
			for _, s := range all {
				if s.lang != lang {
					continue
				}
				if n++; n > visible {
					break
				}
				fmt.Fprintf(w, `<item><title>%s</title><link>%s%s</link><guid>%s%s</guid><pubDate>%s</pubDate><description>%s</description></item>`,
					html.EscapeString(s.title()), srv.URL, s.path(), srv.URL, s.path(),
					start.Add(time.Duration(n)*time.Minute).UTC().Format(time.RFC1123Z), html.EscapeString(s.body()))
			}
			fmt.Fprint(w, `</channel></rss>`)
		default:
			s, ok := byPath[r.URL.Path]
			if !ok {
				http.NotFound(w, r)
				return
			}
			dir := "ltr"
			if s.lang == "ar" {
				dir = "rtl"
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, `<!DOCTYPE html><html lang="%s" dir="%s"><head><meta charset="utf-8"><title>%s</title></head><body><header><nav>Home | World</nav></header><article><h1>%s</h1>`,
				s.lang, dir, html.EscapeString(s.title()), html.EscapeString(s.title()))
			for _, p := range strings.Split(s.body(), "\n") {
				fmt.Fprintf(w, "<p>%s</p>", html.EscapeString(p))
			}
			fmt.Fprint(w, `</article><footer>© Test News</footer></body></html>`)
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}
