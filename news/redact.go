package news

import (
	"net/url"
	"strings"
)

// Redaction markers: what RedactURL writes in place of a secret.
const (
	RedactedPassword = "xxxxx"    // as (*url.URL).Redacted writes it
	RedactedValue    = "REDACTED" // a query parameter's value
)

// RedactURL returns raw with the credentials it may carry hidden, for
// showing it (logs, /feeds, metric labels, exports): the password of its
// userinfo becomes "xxxxx", as (*url.URL).Redacted writes it, and the
// value of each query or fragment parameter whose name looks like a
// secret (see SecretParam) becomes "REDACTED". A user name without a
// password is kept, as Redacted keeps it, unless it looks like a token
// (services such as GitHub and GitLab take https://TOKEN@host): then it
// becomes "xxxxx". Everything else is kept byte for byte, so the result
// still names the feed. raw need not parse: it is redacted as text, and
// the result never depends on the secret values.
//
// Fetching uses the URL as configured: redact only what is shown.
func RedactURL(raw string) string {
	rest, frag, hasFrag := strings.Cut(raw, "#")
	rest, query, hasQuery := strings.Cut(rest, "?")
	var b strings.Builder
	b.Grow(len(raw) + len(RedactedValue))
	b.WriteString(redactUserinfo(rest))
	if hasQuery {
		b.WriteByte('?')
		redactParams(&b, query)
	}
	if hasFrag {
		b.WriteByte('#')
		redactParams(&b, frag)
	}
	return b.String()
}

// RedactText applies RedactURL to every URL ("scheme://…") in s, such as
// an error message that names the URL it failed to fetch. A URL ends at
// white space, a quote or an angle bracket; trailing punctuation (the
// colon of "fetch URL: …") is not taken as part of it.
func RedactText(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + len(RedactedValue))
	for {
		i := strings.Index(s, "://")
		if i < 0 {
			break
		}
		start := i
		for start > 0 && isSchemeByte(s[start-1]) {
			start--
		}
		end := i + len("://")
		for end < len(s) && !endsURL(s[end]) {
			end++
		}
		u := strings.TrimRight(s[start:end], ".,:;!)]}") // keeps "://": '/' is not trimmed
		b.WriteString(s[:start])
		b.WriteString(RedactURL(u))
		s = s[start+len(u):]
	}
	b.WriteString(s)
	return b.String()
}

// redactUserinfo replaces the password in the authority of s, the part
// of a URL before its query.
func redactUserinfo(s string) string {
	start := strings.Index(s, "://")
	switch {
	case start >= 0:
		start += len("://")
	case strings.HasPrefix(s, "//"):
		start = len("//")
	default:
		return s
	}
	authority, _, _ := strings.Cut(s[start:], "/")
	at := strings.LastIndexByte(authority, '@')
	if at < 0 {
		return s
	}
	user, _, hasPassword := strings.Cut(authority[:at], ":")
	switch {
	case hasPassword:
		return s[:start] + user + ":" + RedactedPassword + s[start+at:]
	case tokenLike(user):
		return s[:start] + RedactedPassword + s[start+at:]
	}
	return s
}

// tokenLike reports whether a URL's user name looks like an access token
// rather than a person's or an account's name: at least 20 characters of
// the URL-safe alphabet tokens use, mixing letters and digits (ghp_…,
// glpat-…, a hex or base64url key). "reader", "jane.doe1985" and
// "newsbot" are names.
func tokenLike(user string) bool {
	if len(user) < 20 {
		return false
	}
	var letters, digits bool
	for i := range len(user) {
		c := user[i]
		switch {
		case isDigit(c):
			digits = true
		case isLower(c) || isUpper(c):
			letters = true
		case c == '_' || c == '-' || c == '.' || c == '~' || c == '%':
		default:
			return false
		}
	}
	return letters && digits
}

// redactParams writes the parameters of q (name=value, separated by & or
// ;) to b, with the values of secret ones replaced.
func redactParams(b *strings.Builder, q string) {
	for q != "" {
		end := strings.IndexAny(q, "&;")
		if end < 0 {
			end = len(q)
		}
		param := q[:end]
		if name, _, hasValue := strings.Cut(param, "="); hasValue && SecretParam(name) {
			param = name + "=" + RedactedValue
		}
		b.WriteString(param)
		if end < len(q) {
			b.WriteByte(q[end])
			end++
		}
		q = q[end:]
	}
}

// secretParts are substrings that mark a parameter name as a secret
// wherever they occur (accesstoken, client_secret, x-amz-signature).
var secretParts = []string{
	"token", "secret", "passw", "passphrase", "apikey", "api_key", "api-key", "authkey",
	"authorization", "signature", "credential", "privatekey", "accesskey", "sessionid", "sessid",
}

// secretWords mark a name as a secret when they are a whole word of it
// ("key" in api_key or apiKey, but not in keyword; "auth" but not author).
var secretWords = map[string]bool{
	"key": true, "keys": true, "auth": true, "pass": true, "pw": true, "pwd": true, "sig": true,
	"session": true, "sid": true, "jwt": true, "hmac": true, "otp": true, "bearer": true,
}

// SecretParam reports whether a URL parameter of this name (escaped or
// not, any case) looks like it carries a credential: token, key, apikey,
// api_key, access_token, auth, password, pass, secret, sig, signature,
// session and their compounds.
func SecretParam(name string) bool {
	if u, err := url.QueryUnescape(name); err == nil {
		name = u
	}
	lower := strings.ToLower(name)
	for _, p := range secretParts {
		if strings.Contains(lower, p) {
			return true
		}
	}
	for _, w := range nameWords(name) {
		if secretWords[w] {
			return true
		}
	}
	return false
}

// nameWords splits a parameter name into lower-case words at every byte
// that is not a letter or digit and where a lower-case letter or digit is
// followed by an upper-case one (apiKey, X-Api-Key, api_key).
func nameWords(name string) []string {
	var words []string
	start := 0
	for i := 0; i <= len(name); i++ {
		boundary := i == len(name) || !isAlnum(name[i])
		camel := i > 0 && i < len(name) && isUpper(name[i]) && (isLower(name[i-1]) || isDigit(name[i-1]))
		if boundary || camel {
			if i > start {
				words = append(words, strings.ToLower(name[start:i]))
			}
			start = i
			if boundary {
				start = i + 1
			}
		}
	}
	return words
}

func isLower(c byte) bool { return 'a' <= c && c <= 'z' }
func isUpper(c byte) bool { return 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isAlnum(c byte) bool { return isLower(c) || isUpper(c) || isDigit(c) }

// isSchemeByte reports whether c may appear in a URL scheme.
func isSchemeByte(c byte) bool { return isAlnum(c) || c == '+' || c == '-' || c == '.' }

// endsURL reports whether c cannot be part of a URL written in text.
func endsURL(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '"', '\'', '`', '<', '>':
		return true
	}
	return false
}
