package parser

import "testing"

func TestIsServerError(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Warning: Creating default object from empty value in /www/htdocs/wp-includes/classes.php on line 407", true},
		{"Notice: Undefined index: id in /var/www/html/news.php on line 12", true},
		{"Warning: the river is rising in the north of the province", false},
		{"Cảnh báo: mưa lớn ở miền Trung", false},
	}
	for _, tt := range tests {
		if got := isServerError(tt.line); got != tt.want {
			t.Errorf("isServerError(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}
