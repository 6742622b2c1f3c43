// Package monitor runs the data path of newswatch: it decides when each
// feed is due, polls it through the pipeline (fetch, parse, drop seen items,
// fetch and extract each new article, match topics, plan alerts, store) and
// keeps the schedule state in the store so a restart resumes where it was.
//
// All concurrency of the daemon lives here: a bounded pool of workers, each
// polling one feed at a time. Per-host limits are the fetcher's.
package monitor
