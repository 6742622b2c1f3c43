package parser

import (
	"fmt"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339 in UTC; "" means not parseable
	}{
		{"Wed, 27 Nov 2026 10:15:00 ICT", "2026-11-27T03:15:00Z"},
		{"Fri, 27 Nov 2026 10:15:00 +0700", "2026-11-27T03:15:00Z"},
		{"Fri, 27 Nov 2026 10:15:00 +07:00", "2026-11-27T03:15:00Z"},
		{"Fri, 27 Nov 2026 10:15:00 GMT+7", "2026-11-27T03:15:00Z"},
		{"Fri, 27 Nov 2026 10:15:00 GMT+07:00", "2026-11-27T03:15:00Z"},
		{"Fri, 27 Nov 2026 10:15:00 UTC+7", "2026-11-27T03:15:00Z"},
		{"27/11/2026 10:15 GMT+7", "2026-11-27T03:15:00Z"},
		{"27/11/2026 10:15 (GMT+7)", "2026-11-27T03:15:00Z"},
		{"Thứ Sáu, 27/11/2026 - 10:15 (GMT+7)", "2026-11-27T03:15:00Z"},
		{"27-11-2026 10:15", "2026-11-27T10:15:00Z"},
		{"27/11/2026", "2026-11-27T00:00:00Z"},
		{"11/27/2026 10:15 AM", "2026-11-27T10:15:00Z"}, // month first when day first is impossible
		{"2026-11-27T10:15:00+07:00", "2026-11-27T03:15:00Z"},
		{"2026-11-27T10:15:00.123456Z", "2026-11-27T10:15:00Z"},
		{"2026-11-27T10:15:00.5+0700", "2026-11-27T03:15:00Z"},
		{"2026-11-27 10:15:00", "2026-11-27T10:15:00Z"},
		{"2026-11-27", "2026-11-27T00:00:00Z"},
		{"20261127T101500Z", "2026-11-27T10:15:00Z"},
		{"Mon, 02 Jan 2006 15:04:05 GMT", "2006-01-02T15:04:05Z"},
		{"Mon, 02 Jan 2006 15:04:05 GMT-0700 (MST)", "2006-01-02T22:04:05Z"},
		{"Mon, 2 Jan 06 15:04:05 EST", "2006-01-02T20:04:05Z"},
		{"Sun, 15 Jun 2026 12:00:00 EDT", "2026-06-15T16:00:00Z"},
		{"Tue, 24 Nov 2026 09:00:00 PST", "2026-11-24T17:00:00Z"},
		{"Tue, 24 Nov 2026 09:00:00 CET", "2026-11-24T08:00:00Z"},
		{"Tue, 24 Nov 2026 09:00:00 JST", "2026-11-24T00:00:00Z"},
		{"Tue, 24 Nov 2026 09:00:00 KST", "2026-11-24T00:00:00Z"},
		{"Tue, 24 Nov 2026 09:00:00 IST", "2026-11-24T03:30:00Z"},
		{"Tue, 24 Nov 2026 09:00:00 MSK", "2026-11-24T06:00:00Z"},
		{"Tue, 24 Nov 2026 09:00:00 WIB", "2026-11-24T02:00:00Z"},
		{"Tuesday, November 24, 2026 9:00 PM", "2026-11-24T21:00:00Z"},
		{"November 24, 2026", "2026-11-24T00:00:00Z"},
		{"24 November 2026 21:00", "2026-11-24T21:00:00Z"},
		{"Tue Nov 24 21:00:00 UTC 2026", ""}, // zone in the middle: not a feed format we meet
		{"Tue Nov 24 21:00:00 2026", "2026-11-24T21:00:00Z"},
		{"1795749300", "2026-11-27T03:15:00Z"},
		{"  Fri, 27 Nov 2026 10:15:00 ICT  ", "2026-11-27T03:15:00Z"},
		{"Fri, 27 Nov 2026 10:15:00 XYZ", ""}, // unknown zone: no guess
		{"27/13/2026 10:15", ""},
		{"", ""},
		{"garbage", ""},
		{"not a date at all, 12:00", ""},
		{"0000-00-00 00:00:00", ""},
		{"Fri, 27 Nov 2026 10:15:00 +9900", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := ParseDate(tt.in)
			if tt.want == "" {
				if ok {
					t.Errorf("ParseDate(%q) = %v, true, want false", tt.in, got)
				}
				return
			}
			if !ok {
				t.Fatalf("ParseDate(%q) = false, want %s", tt.in, tt.want)
			}
			if s := got.Format(time.RFC3339); s != tt.want || got.Location() != time.UTC {
				t.Errorf("ParseDate(%q) = %s (%v), want %s UTC", tt.in, s, got.Location(), tt.want)
			}
		})
	}
}

func TestParseDateIn(t *testing.T) {
	hanoi := time.FixedZone("ICT", 7*3600)
	got, ok := ParseDateIn("27-11-2026 10:15", hanoi)
	if want := time.Date(2026, 11, 27, 3, 15, 0, 0, time.UTC); !ok || !got.Equal(want) {
		t.Errorf("ParseDateIn(%q, ICT) = %v, %v, want %v", "27-11-2026 10:15", got, ok, want)
	}
	got, ok = ParseDateIn("27-11-2026 10:15 +0000", hanoi)
	if want := time.Date(2026, 11, 27, 10, 15, 0, 0, time.UTC); !ok || !got.Equal(want) {
		t.Errorf("ParseDateIn(%q, ICT) = %v, %v, want %v (an explicit zone wins)", "27-11-2026 10:15 +0000", got, ok, want)
	}
}

func ExampleParseDate() {
	t, ok := ParseDate("Wed, 27 Nov 2026 10:15:00 ICT")
	fmt.Println(t, ok)
	// Output: 2026-11-27 03:15:00 +0000 UTC true
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"Wed, 27 Nov 2026 10:15:00 ICT", "27/11/2026 10:15 GMT+7", "2026-11-27T10:15:00+07:00", "11/27/2026 10:15 PM"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, ok := ParseDate(s); ok && got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) = %v, not UTC", s, got)
		}
	})
}

func BenchmarkParseDate(b *testing.B) {
	for b.Loop() {
		ParseDate("Wed, 27 Nov 2026 10:15:00 ICT")
	}
}
