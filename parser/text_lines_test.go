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

func TestIsImageCredit(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"Golf im TV: Die Übertragungszeiten der großen Turniere im Überblick. (Foto: Getty)", true},
		{"Abbildung: Vergleich auf dem Aletschgletscher.", true},
		{"Schneeräumpflicht - was man darüber wissen muss© Rike/pixelio.de", true},
		{"Ảnh: TTXVN", true},
		{"Die Regierung stellte am Montag ihre Pläne vor. Das Foto zeigt den Minister.", false},
		{"Bộ trưởng cho biết chính phủ sẽ tăng cường hợp tác quốc tế.", false},
	}
	for _, tt := range tests {
		if got := isImageCredit(tt.line); got != tt.want {
			t.Errorf("isImageCredit(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}

func TestIsLegalLinks(t *testing.T) {
	tests := []struct {
		line string
		want bool
	}{
		{"IMPRESSUM | DATENSCHUTZ | COPYRIGHT ANDRÉ LOIBL | THIS IS A KANGA PROJECT", true},
		{"Liên hệ | Điều khoản sử dụng | Quảng cáo", true},
		{"Privacy Policy | Terms of Use | Contact", true},
		{"Berlin | Hamburg | München", false},
		{"Kontakt: Presseabteilung, Telefon 030 1234", false},
	}
	for _, tt := range tests {
		if got := isLegalLinks(tt.line); got != tt.want {
			t.Errorf("isLegalLinks(%q) = %v, want %v", tt.line, got, tt.want)
		}
	}
}
