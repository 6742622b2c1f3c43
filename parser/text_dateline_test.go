package parser

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestIsDateline(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Aktualisiert: 11.04.2020, 10:27", true},
		{"Verfasst von: mitundvoneinander | 31. Dezember 2008", true},
		{"2021-10-16 | Botschaft", true},
		{"16 marca 2021", true},
		{"Cập nhật: 08:15 ngày 12 tháng 3 năm 2024", true},
		{"2020年4月3日 14:05", true},
		{"Обновлено 5 марта 2024, 12:40", true},
		{"29 November 2018 | 20 January 2019", false}, // a period, not a dateline
		{"Am 3. März 2020 starb er.", false},          // a sentence
		{"Die Regierung hat am 3. März 2020 in Berlin neue Regeln für den Handel beschlossen", false},
		{"Release Date:", false},
		{"Chris Eubank Jr.", false},
	}
	for _, tt := range tests {
		if got := isDateline(tt.line); got != tt.want {
			t.Errorf("isDateline(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestDropDatelines(t *testing.T) {
	in := "Headline\nAktualisiert: 11.04.2020, 10:27\nFirst paragraph of the article.\nSecond paragraph, 2020.\nPubliziert: 03.04.2020, 12:35"
	want := "Headline\nFirst paragraph of the article.\nSecond paragraph, 2020."
	if got := dropDatelines(in); got != want {
		t.Errorf("dropDatelines(%q) = %q, want %q", in, got, want)
	}
	short := "31. Dezember 2008\nText."
	if got := dropDatelines(short); got != short {
		t.Errorf("dropDatelines(%q) = %q, want it unchanged", short, got)
	}
}

func TestIsBylineLine(t *testing.T) {
	tests := map[string]bool{
		"By Anna Smith":                                             true,
		"Por María López Fernández":                                 true,
		"Автор: Ольга Смирнова":                                     true,
		"作者：李明":                                                     true,
		"بقلم: سارة الحسيني":                                        true,
		"Tác giả: Minh Anh":                                         true,
		"By the river, police found him":                            false,
		"Par ailleurs, le maire a promis":                           false,
		"By Anna Smith and the editors of the weekly paper in town": false,
		"Автор: Ольга Смирнова сказала, что всё хорошо.": false,
		"The council met on Monday": false,
	}
	for line, want := range tests {
		if got := isBylineLine(line); got != want {
			t.Errorf("isBylineLine(%q) = %v, want %v", line, got, want)
		}
	}
}

// TestRunesOver: the early answers for short and long strings agree with
// counting every rune, at the byte lengths where they switch, for ASCII,
// two-, three- and four-byte runes and invalid bytes.
func TestRunesOver(t *testing.T) {
	for _, unit := range []string{"a", "é", "中", "😀", "\xff", "中a"} {
		for reps := range 70 {
			s := strings.Repeat(unit, reps)
			for _, n := range []int{0, 1, 10, 50, 60} {
				if got, want := runesOver(s, n), utf8.RuneCountInString(s) > n; got != want {
					t.Errorf("runesOver(%d × %q, %d) = %v, want %v", reps, unit, n, got, want)
				}
			}
		}
	}
}
