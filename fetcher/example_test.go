package fetcher_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/newswatch/newswatch/fetcher"
)

// A monitor keeps the validators of the last response and sends them back:
// an unchanged feed then costs a 304 and no body.
func ExampleClient_Fetch() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		fmt.Fprint(w, `<rss version="2.0"><channel><title>Tin mới</title></channel></rss>`)
	}))
	defer srv.Close()

	// Tests talk to 127.0.0.1; the daemon keeps the SSRF guard on.
	c := fetcher.New(fetcher.Options{AllowPrivateNetworks: true})
	ctx := context.Background()
	first, err := c.Fetch(ctx, srv.URL, fetcher.Validators{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(first.StatusCode, first.ContentType, len(first.Body) > 0)

	second, err := c.Fetch(ctx, srv.URL, first.Validators)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(second.StatusCode, second.NotModified, len(second.Body))
	// Output:
	// 200 application/rss+xml; charset=utf-8 true
	// 304 true 0
}
