package alerts

import (
	htmltemplate "html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"
	"unicode"

	"github.com/newswatch/newswatch/lang"
	"github.com/newswatch/newswatch/news"
)

// subjectRunes bounds the subject line.
const subjectRunes = 150

// Subject returns the mail subject of m: it names the topics, then the
// title of a single article or the size of a digest.
func Subject(m Message) string {
	if m.Health != nil {
		return healthSubject(m)
	}
	var b strings.Builder
	b.WriteString("[newswatch")
	if m.Test {
		b.WriteString(" test")
	}
	b.WriteString("] ")
	b.WriteString(strings.Join(m.Topics(), ", "))
	if period, _, ok := strings.Cut(m.Digest, "/"); ok {
		b.WriteString(": " + period + " digest, ")
		if len(m.Entries) == 1 {
			b.WriteString("1 article")
		} else {
			b.WriteString(strconv.Itoa(len(m.Entries)) + " articles")
		}
	} else if m.Update() {
		b.WriteString(": update: " + storyTitle(m.Entries[0]) + " (" + plural(len(m.Entries), "new article") + ")")
	} else if len(m.Entries) > 0 {
		b.WriteString(": ")
		if r := m.Entries[0].Revision; r != nil {
			b.WriteString(string(r.Kind) + ": ")
		}
		b.WriteString(m.Entries[0].Article.Title)
	}
	return truncate(oneLine(b.String()), subjectRunes)
}

// storyTitle is the title of an entry's story in the article's language,
// else the article's title.
func storyTitle(e Entry) string {
	if e.Story != nil {
		if t := e.Story.Title(e.Article.Lang); t != "" {
			return t
		}
	}
	return e.Article.Title
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}

// storyLine describes an entry's story for people: its size, languages
// and sources; "" outside stories and for a story of this article alone.
func storyLine(e Entry) string {
	s := e.Story
	if s == nil || s.Articles < 2 {
		return ""
	}
	line := "Story: " + oneLine(s.Title(e.Article.Lang)) + " · " + plural(s.Articles, "article") +
		" in " + strings.Join(s.Langs, ", ") + " · sources: " + oneLine(strings.Join(s.Sources, ", "))
	if e.Update {
		line = "Update of the story. " + line
	}
	return truncate(line, 400)
}

func revisionVerb(k news.RevisionKind) string {
	if k == news.RevisionRemoved {
		return "taken down"
	}
	return "edited"
}

// revisionLine says what a refetch saw change, and when; "" for a match.
func revisionLine(r *news.Revision) string {
	if r == nil {
		return ""
	}
	at := r.Time.UTC().Format(time.DateTime + " UTC")
	switch {
	case r.Kind != news.RevisionRemoved:
		return "Edited: the text changed (a diff of " + plural(r.DiffSize, "byte") + "), seen " + at + "."
	case r.URL != "":
		return "Taken down: the page now redirects to " + r.URL + " (HTTP " + strconv.Itoa(r.Status) + "), seen " + at + "."
	}
	return "Taken down: the page answers HTTP " + strconv.Itoa(r.Status) + " " + http.StatusText(r.Status) + ", seen " + at + "."
}

// oneLine replaces control characters (CR, LF, NUL, ...) with spaces, so
// text from feeds can never start a new header line.
func oneLine(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsControl(r) || unicode.IsSpace(r)
	}), " ")
}

// view is the template data of one article block.
type view struct {
	Title, URL, Source, Lang, Dir, Published, Topics, Snippet string
	Story                                                     string // storyLine
	Change                                                    string // revisionLine
}

type mailView struct {
	Subject, Intro, Subscriber string
	Entries                    []view
	Health                     *healthView // a source-health mail
}

func newMailView(m Message, subject string) mailView {
	v := mailView{Subject: subject, Subscriber: m.Subscriber, Intro: "A new article matched your topics."}
	if m.Health != nil {
		v.Intro, v.Health = "The health of a feed you follow changed.", newHealthView(m.Health)
	}
	if m.Digest != "" {
		v.Intro = "Articles that matched your topics (" + m.Digest + ")."
	}
	if m.Update() {
		v.Intro = "New articles of a story you were alerted to."
	}
	if len(m.Entries) > 0 && m.Entries[0].Revision != nil {
		v.Intro = "An article you were alerted to was " + revisionVerb(m.Entries[0].Revision.Kind) + "."
	}
	if m.Test {
		v.Intro = "This is a sample alert sent by `newswatch alerts test`."
	}
	for _, e := range m.Entries {
		a := e.Article
		pub := ""
		if !a.Published.IsZero() {
			pub = a.Published.UTC().Format(time.DateTime + " UTC")
		}
		v.Entries = append(v.Entries, view{
			Title: oneLine(a.Title), URL: a.URL, Source: oneLine(a.Source), Lang: lang.Normalize(a.Lang),
			Dir: dir(a), Published: pub, Topics: strings.Join(e.Topics, ", "), Snippet: e.Snippet(), Story: storyLine(e),
			Change: revisionLine(e.Revision),
		})
	}
	return v
}

// The mail templates are parsed on first use, not at package init, which
// every run of the binary (newswatch extract, once per page) would pay.
var textMail = sync.OnceValue(func() *texttemplate.Template {
	return texttemplate.Must(texttemplate.New("text").Parse(`{{.Intro}}
{{with .Health}}
{{.Feed}} is {{.To}} (was {{.From}}).
{{.Reason}}
{{.URL}}
Seen at {{.At}}.
{{end}}{{range .Entries}}
{{.Title}}
{{.URL}}
{{.Source}}{{with .Lang}} · {{.}}{{end}}{{with .Published}} · {{.}}{{end}} · topics: {{.Topics}}
{{with .Change}}{{.}}
{{end}}{{with .Story}}{{.}}
{{end}}{{with .Snippet}}{{.}}
{{end}}{{end}}
-- 
newswatch alerts for subscriber "{{.Subscriber}}".
`))
})

var htmlMail = sync.OnceValue(func() *htmltemplate.Template {
	return htmltemplate.Must(htmltemplate.New("html").Parse(`<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{{.Subject}}</title></head>
<body style="font-family:sans-serif">
<p>{{.Intro}}</p>
{{with .Health}}<div style="margin:0 0 1.5em 0">
<h3 dir="auto" style="margin:0">{{.Feed}} is {{.To}} (was {{.From}})</h3>
<p dir="auto" style="margin:0.2em 0">{{.Reason}}</p>
<p style="color:#555;margin:0.2em 0"><a href="{{.URL}}">{{.URL}}</a> · seen at {{.At}}</p>
</div>
{{end}}{{range .Entries}}<div {{with .Lang}}lang="{{.}}" {{end}}dir="{{.Dir}}" style="margin:0 0 1.5em 0">
<h3 dir="auto" style="margin:0"><a href="{{.URL}}">{{.Title}}</a></h3>
<p dir="auto" style="color:#555;margin:0.2em 0">{{.Source}}{{with .Published}} · {{.}}{{end}} · {{.Topics}}</p>
{{with .Change}}<p dir="ltr" style="margin:0.2em 0"><strong>{{.}}</strong></p>{{end}}
{{with .Story}}<p dir="auto" style="color:#555;margin:0.2em 0">{{.}}</p>{{end}}
{{with .Snippet}}<p dir="auto" style="margin:0.2em 0">{{.}}</p>{{end}}
</div>
{{end}}<p style="color:#888;font-size:small">newswatch alerts for subscriber “{{.Subscriber}}”.</p>
</body></html>
`))
})

// renderBodies returns the text and HTML parts of m.
func renderBodies(m Message, subject string) (text, html string, err error) {
	v := newMailView(m, subject)
	var tb, hb strings.Builder
	if err := textMail().Execute(&tb, v); err != nil {
		return "", "", err
	}
	if err := htmlMail().Execute(&hb, v); err != nil {
		return "", "", err
	}
	return tb.String(), hb.String(), nil
}
