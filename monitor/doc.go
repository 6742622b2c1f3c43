// Package monitor runs the data path of newswatch: it decides when each
// feed is due, polls it through the pipeline (fetch, parse, drop seen items,
// fetch and extract each new article, match topics, plan alerts, store) and
// keeps the schedule state in the store so a restart resumes where it was.
//
// A source is a feed, a sitemap or a section page: only the parse step
// tells them apart (source.go), so the scheduler, the fetcher and the
// dedupe treat them alike. A poll that shares no item with the previous
// one of its source records a gap and shortens the source's interval
// (gap.go); after a gap, and on the first poll after downtime, a feed's
// backfill source is polled at once (backfill.go).
//
// All concurrency of the daemon lives here: a bounded pool of workers, each
// polling one feed at a time. Per-host limits are the fetcher's.
package monitor
