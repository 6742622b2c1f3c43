// Package news holds the vocabulary shared by every newswatch package:
// feeds, feed items, articles, topic hits and alerts. It has types and small
// methods only, and performs no I/O.
package news
