package parser

import (
	"encoding/json"
	"strings"
	"time"
)

// timeLayouts are the publication time formats seen on news pages.
var timeLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04:05.000Z0700",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02T15:04",
	"2006-01-02 15:04",
	"2006/01/02 15:04:05",
	"2006/01/02 15:04",
	"2006-01-02",
	"2006/01/02",
	"02/01/2006 15:04",
	"02/01/2006",
	time.RFC1123Z,
	time.RFC1123,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"January 2, 2006",
	"Jan 2, 2006",
}

// parseTime parses a publication time. Times without a zone are taken to
// be at the given UTC offset (seconds).
func parseTime(s string, zone int) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	loc := time.UTC
	if zone != 0 {
		loc = time.FixedZone("", zone)
	}
	for _, l := range timeLayouts {
		if t, err := time.ParseInLocation(l, s, loc); err == nil {
			if t.Year() < 1990 || t.Year() > 2200 {
				return time.Time{}, false
			}
			return t, true
		}
	}
	return time.Time{}, false
}

// ldInfo is what JSON-LD says about the article.
type ldInfo struct {
	headline, author, published string
	body, summary               string // articleBody, and the description beside it
}

// parseJSONLD reads schema.org metadata from JSON-LD blocks, preferring
// article objects.
func parseJSONLD(blocks []string) ldInfo {
	var info ldInfo
	for _, b := range blocks {
		var v any
		if err := json.Unmarshal([]byte(strings.TrimSpace(b)), &v); err != nil {
			continue
		}
		ldWalk(v, &info, 0)
		if info.published != "" && info.headline != "" && info.body != "" {
			break
		}
	}
	return info
}

func ldWalk(v any, info *ldInfo, depth int) {
	if depth > 6 {
		return
	}
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			ldWalk(e, info, depth+1)
		}
	case map[string]any:
		if s, ok := x["datePublished"].(string); ok && info.published == "" {
			info.published = s
		}
		if s, ok := x["headline"].(string); ok && info.headline == "" {
			info.headline = strings.TrimSpace(s)
		}
		if info.author == "" {
			info.author = ldName(x["author"])
		}
		if s, ok := x["articleBody"].(string); ok && info.body == "" {
			info.body = s
			info.summary, _ = x["description"].(string)
		}
		if g, ok := x["@graph"]; ok {
			ldWalk(g, info, depth+1)
		}
	}
}

// ldName returns the name(s) of a JSON-LD person value.
func ldName(v any) string {
	switch x := v.(type) {
	case string:
		if !strings.HasPrefix(x, "http") {
			return strings.TrimSpace(x)
		}
	case map[string]any:
		if s, ok := x["name"].(string); ok {
			return strings.TrimSpace(s)
		}
	case []any:
		var names []string
		for _, e := range x {
			if n := ldName(e); n != "" {
				names = append(names, n)
			}
		}
		return strings.Join(names, ", ")
	}
	return ""
}
