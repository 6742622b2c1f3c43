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
// User-Agent, limits concurrent requests and the request rate per host, and
// when a host answers 429 or 503 with Retry-After, later requests to that
// host wait (or fail fast with [*HostBackoffError] when the wait is long).
//
// Because feed URLs come from users, the client guards against server-side
// request forgery: unless [Options.AllowPrivateNetworks] is set it refuses to
// connect to loopback, private, link-local, CGNAT, multicast and other
// special-purpose addresses. The check runs on the resolved address at dial
// time, so it also covers redirects and DNS rebinding. [NewTransport] exposes
// the same guarded transport for other outbound HTTP such as webhooks.
//
// Errors carry the URL and can be classified: [ErrTooLarge], [ErrBlocked],
// [ErrTooManyRedirects] and [ErrInvalidURL] are sentinels, [*StatusError]
// reports non-2xx answers, and [Temporary] and [RetryAfter] tell a scheduler
// whether and when a retry is worthwhile. A 304 is not an error: it is
// reported as [Response.NotModified].
//
// The body is returned decompressed but not charset-decoded: turning bytes
// into UTF-8 is the parser's job.
package fetcher
