package parser

import (
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ParseDate parses a date as found in feeds and returns it in UTC. It
// accepts RFC 822/1123 (with or without weekday), RFC 3339 / ISO 8601,
// Unix dates, English month names, day-first numeric dates such as the
// Vietnamese "27/11/2026 10:15" or "27-11-2026 10:15" (month-first when the
// day-first reading is impossible), Unix timestamps, and zones written as
// offsets ("+0700", "+07:00", "GMT+7", "UTC+07:00") or names ("ICT", "EST",
// "JST", ...). A date without a zone is taken as UTC. An unknown zone name
// or unreadable text reports false.
func ParseDate(s string) (time.Time, bool) {
	return ParseDateIn(s, time.UTC)
}

// ParseDateIn is ParseDate with loc as the zone of dates that name none.
func ParseDateIn(s string, loc *time.Location) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 100 {
		return time.Time{}, false
	}
	for _, layout := range []string{time.RFC3339Nano, "20060102T150405Z0700"} {
		if t, err := time.Parse(layout, s); err == nil {
			return feedSaneDate(t)
		}
	}
	if t, ok := feedUnixTime(s); ok {
		return t, true
	}
	tokens := feedDateTokens(s)
	tokens, zone, ok := feedSplitZone(tokens)
	if !ok || len(tokens) == 0 {
		return time.Time{}, false
	}
	if zone != nil {
		loc = zone
	}
	text := strings.Join(tokens, " ")
	for _, layout := range feedDateLayouts {
		if t, err := time.ParseInLocation(layout, text, loc); err == nil {
			return feedSaneDate(t)
		}
	}
	return time.Time{}, false
}

// feedSaneDate rejects years no feed means and converts to UTC.
func feedSaneDate(t time.Time) (time.Time, bool) {
	if t.Year() < 1900 || t.Year() > 2200 {
		return time.Time{}, false
	}
	return t.UTC(), true
}

// feedUnixTime reads a bare Unix timestamp in seconds.
func feedUnixTime(s string) (time.Time, bool) {
	if len(s) < 9 || len(s) > 10 {
		return time.Time{}, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}, false
	}
	return time.Unix(n, 0).UTC(), true
}

// Patterns of the dates feeds write.
var (
	// feedDatePunct blanks punctuation that only separates date fields.
	feedDatePunct = strings.NewReplacer(",", " ", "(", " ", ")", " ", " - ", " ", " | ", " ", "\u00a0", " ")
	// feedWeekday matches a leading English or Vietnamese weekday name.
	feedWeekday = regexp.MustCompile(`(?i)^(?:(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?|thứ\s+\S+|chủ\s+nhật|t[2-7]|cn)\s+`)
	// feedGluedZone splits a zone glued to a time: "10:15:00+07:00", "10:15Z", "10:15ICT".
	feedGluedZone = regexp.MustCompile(`^(.*\d:\d\d(?::\d\d(?:[.,]\d+)?)?)((?:[A-Za-z]{1,5})?[+-]\d{1,2}(?::?\d\d)?|[A-Za-z]{1,5})$`)
	// feedOffset matches a numeric offset, optionally after GMT/UTC/UT.
	feedOffset = regexp.MustCompile(`(?i)^(?:gmt|utc|ut)?([+-])(\d{1,2})(?::?(\d\d))?$`)
)

// feedDateTokens splits a date into space-separated tokens, dropping
// punctuation that only separates fields and a leading weekday.
func feedDateTokens(s string) []string {
	s = feedDatePunct.Replace(s)
	s = strings.TrimSpace(s)
	for {
		loc := feedWeekday.FindStringIndex(s)
		if loc == nil {
			break
		}
		s = s[loc[1]:]
	}
	var out []string
	for _, tok := range strings.Fields(s) {
		switch strings.ToLower(tok) {
		case "at", "lúc", "-", "|", "ngày":
			continue
		case "am", "a.m.":
			tok = "AM"
		case "pm", "p.m.":
			tok = "PM"
		}
		if m := feedGluedZone.FindStringSubmatch(tok); m != nil && !strings.EqualFold(m[2], "PM") && !strings.EqualFold(m[2], "AM") {
			out = append(out, m[1], m[2])
			continue
		}
		out = append(out, tok)
	}
	return out
}

// feedSplitZone removes trailing zone tokens and returns the zone they
// name; a numeric offset wins over a name ("-0700 (MST)"). It reports
// false for an unknown trailing zone name.
func feedSplitZone(tokens []string) ([]string, *time.Location, bool) {
	var zone *time.Location
	numeric := false
	for len(tokens) > 1 {
		last := tokens[len(tokens)-1]
		prev := tokens[len(tokens)-2]
		if m := feedOffset.FindStringSubmatch(last); m != nil && (len(m[2]) == 2 || feedHasLetters(last)) && strings.Contains(prev+last, ":") {
			if off, ok := feedOffsetSeconds(m[1], m[2], m[3]); ok {
				zone, numeric = time.FixedZone("", off), true
				tokens = tokens[:len(tokens)-1]
				continue
			}
			return nil, nil, false
		}
		if !feedHasLetters(last) || !strings.Contains(strings.Join(tokens[:len(tokens)-1], " "), ":") {
			break
		}
		up := strings.ToUpper(last)
		if up == "AM" || up == "PM" {
			break
		}
		off, ok := feedZoneNames[up]
		if !ok {
			return nil, nil, false
		}
		if !numeric {
			zone = time.FixedZone(up, off)
		}
		tokens = tokens[:len(tokens)-1]
	}
	return tokens, zone, true
}

func feedHasLetters(s string) bool {
	for _, r := range s {
		if ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			return true
		}
	}
	return false
}

// feedOffsetSeconds converts a sign, hours and optional minutes to seconds.
// Hours written as four digits ("0700") mean hours and minutes.
func feedOffsetSeconds(sign, hh, mm string) (int, bool) {
	h, _ := strconv.Atoi(hh)
	m, _ := strconv.Atoi(mm)
	if h > 14 || m > 59 {
		return 0, false
	}
	off := h*3600 + m*60
	if sign == "-" {
		off = -off
	}
	return off, true
}

// feedZoneNames maps zone abbreviations seen in feeds to their offsets in
// seconds. Ambiguous names take the reading most common in feeds: CST and
// PST are North American, IST is India, AST is Atlantic, BST is British.
var feedZoneNames = map[string]int{
	"Z": 0, "UT": 0, "UTC": 0, "GMT": 0, "WET": 0, "WEST": 3600, "BST": 3600,
	"CET": 3600, "CEST": 7200, "MET": 3600, "MEST": 7200, "WAT": 3600,
	"EET": 7200, "EEST": 10800, "CAT": 7200, "SAST": 7200, "IST": 19800,
	"MSK": 10800, "EAT": 10800, "TRT": 10800, "AST": -4 * 3600, "ADT": -3 * 3600,
	"GST": 14400, "PKT": 18000, "NPT": 20700, "ICT": 25200, "WIB": 25200,
	"HKT": 28800, "SGT": 28800, "MYT": 28800, "PHT": 28800, "AWST": 28800,
	"WITA": 28800, "WIT": 32400, "JST": 32400, "KST": 32400, "ACST": 34200,
	"AEST": 36000, "AEDT": 39600, "NZST": 43200, "NZDT": 46800,
	"EST": -5 * 3600, "EDT": -4 * 3600, "CST": -6 * 3600, "CDT": -5 * 3600,
	"MST": -7 * 3600, "MDT": -6 * 3600, "PST": -8 * 3600, "PDT": -7 * 3600,
	"AKST": -9 * 3600, "AKDT": -8 * 3600, "HST": -10 * 3600, "NST": -12600,
	"NDT": -9000, "BRT": -3 * 3600, "ART": -3 * 3600, "CLT": -4 * 3600,
}

// feedDateLayouts are tried in order on the zone-less, comma-less text.
// Day-first numeric layouts come before month-first ones: feeds outside
// the US (Vietnam, Europe, the Arab world) write the day first.
var feedDateLayouts = []string{
	"2 Jan 2006 15:04:05", "2 Jan 2006 15:04", "2 Jan 06 15:04:05", "2 Jan 06 15:04",
	"2 January 2006 15:04:05", "2 January 2006 15:04", "2 Jan 2006 3:04:05 PM", "2 Jan 2006 3:04 PM",
	"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", "2006-01-02 15:04",
	"2006-1-2 15:04:05", "2006-1-2 15:04", "2006/1/2 15:04:05", "2006/1/2 15:04", "2006.1.2 15:04:05",
	"2006-01-02", "2006-1-2", "2006/1/2", "20060102T150405", "20060102",
	"Jan 2 2006 15:04:05", "Jan 2 2006 15:04", "Jan 2 2006 3:04:05 PM", "Jan 2 2006 3:04 PM",
	"January 2 2006 15:04:05", "January 2 2006 15:04", "January 2 2006 3:04:05 PM", "January 2 2006 3:04 PM",
	"Jan 2 15:04:05 2006", "Jan 2 2006", "January 2 2006", "2 Jan 2006", "2 January 2006", "January 2006",
	"2/1/2006 15:04:05", "2/1/2006 15:04", "2/1/2006 3:04:05 PM", "2/1/2006 3:04 PM", "2/1/2006",
	"2-1-2006 15:04:05", "2-1-2006 15:04", "2-1-2006", "2.1.2006 15:04:05", "2.1.2006 15:04", "2.1.2006",
	"15:04:05 2/1/2006", "15:04 2/1/2006", "15:04 2-1-2006", "15:04 2.1.2006",
	"1/2/2006 15:04:05", "1/2/2006 15:04", "1/2/2006 3:04:05 PM", "1/2/2006 3:04 PM", "1/2/2006",
	"1-2-2006 15:04:05", "1-2-2006 15:04", "1-2-2006", "15:04:05 1/2/2006", "15:04 1/2/2006",
	"2 Jan 15:04:05 2006",
}
