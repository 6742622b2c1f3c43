// Package newstest is newswatch's test kit: a news site served over HTTP
// on 127.0.0.1 from files (an fs.FS or a map), with the HTTP
// behaviour real feeds have (ETag and Last-Modified with 304 answers, gzip,
// per-route status codes and headers) and the hostile behaviour the daemon
// must survive (gzip bombs, endless and trickling bodies, redirect loops,
// a 36 MB feed, entity bombs, 429 with Retry-After, slow headers).
//
// It renders the other sources a site publishes (news sitemaps, sitemap
// indexes, section pages, see sources.go) from stories made of the corpus.
// It also generates large synthetic sites for benchmarks. The demo command
// serves its embedded sample site with it, so this package never imports
// "testing" or net/http/httptest (both register flags in the binary):
// constructors return errors and a Site is closed with Close.
package newstest
