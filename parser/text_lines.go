package parser

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// cleanLines drops widget lines (comment counters, lone share buttons) from
// extracted text and applies a rule's line filter.
func cleanLines(text string, clean func(string) string) string {
	if text == "" {
		return ""
	}
	lines := strings.Split(text, "\n")
	out := lines[:0]
	for _, l := range lines {
		if clean != nil {
			l = clean(l)
		}
		if l == "" || isWidgetLine(l) || isServerError(l) || isImageCredit(l) || isLegalLinks(l) {
			continue
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// dropLabels removes the lines that are only the label of a box of links
// ("Related news", "Ähnliche Beiträge"), wherever they are, and the lines
// at the end of the text that introduce something that is not there
// ("Weitere Informationen:").
func dropLabels(text string) string {
	lines := strings.Split(text, "\n")
	out := lines[:0]
	for _, l := range lines {
		if !isBoxLabel(l) {
			out = append(out, l)
		}
	}
	for len(out) > 0 {
		l := strings.TrimSpace(out[len(out)-1])
		if !strings.HasSuffix(l, ":") && !strings.HasSuffix(l, "：") || !isLabel(l) {
			break
		}
		out = out[:len(out)-1]
	}
	return strings.Join(out, "\n")
}

// widgetWords are labels of comment counters and share buttons in the
// languages we monitor; a short line that consists of one of them plus
// digits and punctuation is a widget, not article text.
var widgetWords = map[string]bool{
	"bình luận": true, "ý kiến": true, "chia sẻ": true, "tin liên quan": true,
	"comment": true, "comments": true, "reply": true, "replies": true, "share": true,
	"tweet": true, "print": true, "email": true, "related": true, "related articles": true,
	"تعليق": true, "تعليقات": true, "التعليقات": true, "مشاركة": true, "شارك": true,
	"评论": true, "評論": true, "分享": true, "コメント": true, "シェア": true, "댓글": true,
	"комментарии": true, "комментариев": true, "комментарий": true, "поделиться": true,
	"commentaires": true, "commentaire": true, "partager": true,
	"comentarios": true, "comentario": true, "compartir": true,
	"kommentare": true, "kommentar": true, "teilen": true,
}

// isWidgetLine reports a short line like "Bình luận (0)" or "تعليق (0)",
// or one without any letter, such as a date.
func isWidgetLine(l string) bool {
	if len(l) > 60 {
		return false
	}
	var b strings.Builder
	space, letters := false, false
	for _, r := range strings.ToLower(l) {
		switch {
		case unicode.IsLetter(r) || unicode.Is(unicode.Mn, r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space, letters = false, true
			b.WriteRune(r)
		case unicode.IsDigit(r) || unicode.IsPunct(r) || unicode.IsSpace(r) || unicode.IsSymbol(r):
			space = true
		default:
			return false
		}
	}
	if !letters {
		return len(l) < 40 // a lone date, time or counter
	}
	return widgetWords[norm.NFC.String(b.String())]
}

// isServerError reports an error message a PHP site printed into its page
// ("Warning: Creating default object from empty value in /www/x.php on
// line 407"): output of the server, never of the author.
func isServerError(l string) bool {
	l = strings.TrimSpace(l)
	for _, p := range []string{"Warning:", "Notice:", "Deprecated:", "Fatal error:", "Parse error:", "Strict Standards:"} {
		if strings.HasPrefix(l, p) {
			return strings.Contains(l, " on line ") && strings.Contains(l, " in /")
		}
	}
	return false
}

// imageLabels start the caption or credit of a picture.
var imageLabels = []string{"Abbildung:", "Beitragsbild:", "Titelbild:", "Symbolbild:", "Bildquelle:", "Bild:",
	"Foto:", "Fotos:", "Photo:", "Photos:", "Image:", "Photo credit:", "Credit:", "Ảnh:", "Фото:", "图片来源：", "صورة:"}

// imageCredits end a caption with the picture's credit: "(Foto: Getty)",
// "© Rike/pixelio.de".
var imageCredits = []string{"(Foto:", "(Photo:", "(Bild:", "(Ảnh:", "(Фото:", "©"}

// isImageCredit reports a picture's caption or credit that sits apart from
// its <figure>: a short line that starts with a picture label or ends with
// a credit.
func isImageCredit(l string) bool {
	l = strings.TrimSpace(l)
	if len(l) > 300 {
		return false
	}
	for _, p := range imageLabels {
		if strings.HasPrefix(l, p) {
			return true
		}
	}
	tail := l[max(0, len(l)-60):]
	for _, c := range imageCredits {
		if strings.Contains(tail, c) {
			return true
		}
	}
	return false
}

// legalWords name the legal pages a site footer links to.
var legalWords = []string{"impressum", "imprint", "datenschutz", "privacy", "terms", "agb", "cookie", "copyright",
	"disclaimer", "sitemap", "kontakt", "contact", "mentions légales", "aviso legal", "privacidad",
	"prywatności", "điều khoản", "liên hệ", "конфиденциальност", "الخصوصية"}

// isLegalLinks reports a footer line of legal links: "Impressum |
// Datenschutz | Kontakt", at least three short parts, two of them legal.
func isLegalLinks(l string) bool {
	parts := strings.Split(l, "|")
	if len(parts) < 3 {
		return false
	}
	legal := 0
	for _, p := range parts {
		p = strings.ToLower(strings.TrimSpace(p))
		if len(p) > 60 {
			return false
		}
		if containsAny(p, legalWords) {
			legal++
		}
	}
	return legal >= 2
}
