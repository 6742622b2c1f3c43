// Package fetcher is newswatch's HTTP client for feeds and article pages.
//
// One [Client] is shared by all of the monitor's workers. [Client.Fetch]
// performs a conditional GET (ETag / Last-Modified, so an unchanged feed
// costs a 304 and no body), follows at most a few http/https redirects,
// decompresses gzip and deflate itself and refuses bodies that grow past a
// size cap after decompression, so a gzip bomb or an endless stream cannot
// exhaust memory. Every request has per-phase timeouts (dial, TLS, response
// headers) and an overall deadline that also covers the body read.
//
// The client is polite to the sites it watches: it sends an honest
// User-Agent ("newswatch/<version> (+<contact>)"), limits concurrent
// requests and the request rate per host (2 and 2 per second unless
// configured), and when a host answers 429 or 503 with Retry-After, later
// requests to that host wait (or fail fast with [*HostBackoffError] when
// the wait is long).
//
// [Client.FetchPage], for the pages newswatch crawls on its own (the
// articles feeds link to), obeys robots.txt as RFC 9309 describes, matched
// for the product token "newswatch" by Google's reference parser: each URL
// of a redirect chain is checked against its site's robots.txt (scheme,
// host and port), and a disallowed one fails with [ErrDisallowed] without
// being requested. A site's robots.txt is fetched through the same client
// (SSRF guard, timeouts, host limits; up to 5 redirects; the first 500 KiB
// read), once for concurrent first requests, and kept 24 hours (less if
// its max-age says so, but at least an hour). A 4xx answer allows
// everything; a 5xx or 429 answer or a network failure disallows the
// site's pages with the temporary [*RobotsUnreachableError] until a retry
// after a back-off that grows from a minute to an hour, while an earlier
// copy of the file, if any, stays in force. A Crawl-delay (at most a
// minute) lowers the host's request rate, never raises it. [Client.Fetch],
// for the feeds a user subscribed to, fetches regardless, as feed readers
// do.
//
// Because feed URLs come from users, the client guards against server-side
// request forgery: unless [Options.AllowPrivateNetworks] is set it refuses to
// connect to loopback, private, link-local, CGNAT, multicast and other
// special-purpose addresses. The check runs on the resolved address at dial
// time, so it also covers redirects and DNS rebinding. [NewTransport] exposes
// the same guarded transport for other outbound HTTP such as webhooks.
//
// Errors carry the URL and can be classified: [ErrTooLarge], [ErrBlocked],
// [ErrTooManyRedirects], [ErrInvalidURL] and [ErrDisallowed] are
// sentinels, [*StatusError] reports non-2xx answers, and [Temporary] and
// [RetryAfter] tell a scheduler whether and when a retry is worthwhile. A 304 is not an error: it is
// reported as [Response.NotModified]. [ErrorKind] names an error's class
// for metrics (dns, connect, timeout, tls, http_4xx, http_5xx, too_large,
// robots, other); with [Options.ErrorCounter] set, the client counts each
// failed Fetch and FetchPage by it.
//
// The body is returned decompressed but not charset-decoded: turning bytes
// into UTF-8 is the parser's job.
//
// For evidence, [Options.CaptureExchange] makes FetchPage hand up the raw
// [Exchange] as well: each hop's request and response headers and the body
// as transferred (chunking removed, gzip or deflate kept), within the same
// size cap. Nothing is kept unless asked for.
package fetcher
