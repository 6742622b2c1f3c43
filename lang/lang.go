// Package lang identifies the language of a text.
package lang

import "strings"

// Normalize reduces a BCP 47 tag to its lower-case primary subtag.
func Normalize(tag string) string {
	tag = strings.TrimSpace(tag)
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	return strings.ToLower(tag)
}

// Detect guesses the ISO 639-1 code of text, or "" when unsure.
func Detect(text string) string { return "" }
