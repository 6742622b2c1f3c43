package news

import (
	"net/url"
	"strings"
	"testing"
)

func TestRedactURL(t *testing.T) {
	tests := []struct {
		name, raw, want string
	}{
		{"plain", "https://example.org/feed.rss", "https://example.org/feed.rss"},
		{"empty", "", ""},
		{"password", "https://user:s3cret@example.org/feed", "https://user:xxxxx@example.org/feed"},
		{"empty password", "https://user:@example.org/", "https://user:xxxxx@example.org/"},
		{"user only", "https://reader@example.org/feed", "https://reader@example.org/feed"},
		{"long user name", "https://newsroom.monitoring.team@example.org/feed", "https://newsroom.monitoring.team@example.org/feed"},
		{"token as user", "https://ghp_16C7e42F292c6912E7710c838347Ae178B4a@example.org/feed", "https://xxxxx@example.org/feed"},
		{"hex key as user", "https://0123456789abcdef0123456789abcdef@example.org/", "https://xxxxx@example.org/"},
		{"at sign in password", "https://user:p@ss@example.org/feed", "https://user:xxxxx@example.org/feed"},
		{"at sign in path", "https://example.org/@team/feed", "https://example.org/@team/feed"},
		{"scheme-relative", "//user:pw@example.org/x", "//user:xxxxx@example.org/x"},
		{"token", "https://example.org/feed?token=SECRET", "https://example.org/feed?token=REDACTED"},
		{"mixed parameters", "https://example.org/feed?lang=vi&api_key=K1&page=2", "https://example.org/feed?lang=vi&api_key=REDACTED&page=2"},
		{"case-insensitive", "https://example.org/f?Access_Token=a&APIKEY=b&Sig=c", "https://example.org/f?Access_Token=REDACTED&APIKEY=REDACTED&Sig=REDACTED"},
		{"camel case", "https://example.org/f?apiKey=a&sessionId=b&clientSecret=c", "https://example.org/f?apiKey=REDACTED&sessionId=REDACTED&clientSecret=REDACTED"},
		{"header-like", "https://example.org/f?X-Api-Key=a&X-Amz-Signature=b&X-Amz-Credential=c", "https://example.org/f?X-Api-Key=REDACTED&X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED"},
		{"escaped name", "https://example.org/f?%74oken=a", "https://example.org/f?%74oken=REDACTED"},
		{"semicolon separator", "https://example.org/f?a=1;password=p", "https://example.org/f?a=1;password=REDACTED"},
		{"not secrets", "https://example.org/f?keyword=x&author=y&passage=z&monkey=1", "https://example.org/f?keyword=x&author=y&passage=z&monkey=1"},
		{"bare name kept", "https://example.org/f?token&x=1", "https://example.org/f?token&x=1"},
		{"empty value", "https://example.org/f?token=", "https://example.org/f?token=REDACTED"},
		{"fragment", "https://example.org/cb#access_token=T&state=s", "https://example.org/cb#access_token=REDACTED&state=s"},
		{"plain fragment", "https://example.org/a#section-2", "https://example.org/a#section-2"},
		{"both", "https://u:p@example.org/f?key=k", "https://u:xxxxx@example.org/f?key=REDACTED"},
		{"unparseable", "https://u:p@exa mple.org/%zz?token=t", "https://u:xxxxx@exa mple.org/%zz?token=REDACTED"},
		{"not a URL", "feeds are fine", "feeds are fine"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := RedactURL(tc.raw); got != tc.want {
				t.Errorf("RedactURL(%q) = %q, want %q", tc.raw, got, tc.want)
			}
		})
	}
}

// TestRedactURLMatchesRedacted: for a password, RedactURL writes what
// (*url.URL).Redacted writes.
func TestRedactURLMatchesRedacted(t *testing.T) {
	for _, raw := range []string{"https://user:pass@example.org/a/b", "http://a%20b:c%3Ad@example.org:8080/x", "https://user@example.org/"} {
		u, err := url.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := RedactURL(raw), u.Redacted(); got != want {
			t.Errorf("RedactURL(%q) = %q, want %q as url.Redacted", raw, got, want)
		}
	}
}

func TestRedactText(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"no URL", "connection refused", "connection refused"},
		{"fetch error", "fetch https://user:xxxxx@example.org/feed?token=SECRET: HTTP 401 Unauthorized",
			"fetch https://user:xxxxx@example.org/feed?token=REDACTED: HTTP 401 Unauthorized"},
		{"quoted", `Get "https://u:pw@example.org/f?key=K": dial tcp: refused`, `Get "https://u:xxxxx@example.org/f?key=REDACTED": dial tcp: refused`},
		{"two URLs", "redirect http://a/?sig=1 -> https://b/?sig=2.", "redirect http://a/?sig=REDACTED -> https://b/?sig=REDACTED."},
		{"parenthesised", "(see https://u:p@example.org/x)", "(see https://u:xxxxx@example.org/x)"},
		{"bare separator", "a :// b", "a :// b"},
		{"at the end", "https://example.org/f?token=t", "https://example.org/f?token=REDACTED"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := RedactText(tc.text); got != tc.want {
				t.Errorf("RedactText(%q) = %q, want %q", tc.text, got, tc.want)
			}
		})
	}
}

func TestSecretParam(t *testing.T) {
	for _, name := range []string{"token", "key", "apikey", "api_key", "access_token", "auth", "password", "pass",
		"secret", "sig", "signature", "session", "PHPSESSID", "jsessionid", "X-Auth-Token", "authKey", "pwd", "hmac"} {
		if !SecretParam(name) {
			t.Errorf("SecretParam(%q) = false, want true", name)
		}
	}
	for _, name := range []string{"", "q", "lang", "page", "keyword", "author", "authuser", "passage", "design", "monkey", "format", "since"} {
		if SecretParam(name) {
			t.Errorf("SecretParam(%q) = true, want false", name)
		}
	}
}

// FuzzRedactURL: RedactURL and RedactText never panic, redacting twice
// changes nothing, and a text that is one URL gets the same treatment.
func FuzzRedactURL(f *testing.F) {
	for _, s := range []string{"https://user:pass@example.org/f?token=t#sig=s", "//a:b@c", "x://?key=;&=", "a://@:/?#", "%zz://u:p@h"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		once := RedactURL(raw)
		if twice := RedactURL(once); twice != once {
			t.Errorf("RedactURL(RedactURL(%q)) = %q, want %q", raw, twice, once)
		}
		text := RedactText(raw)
		if again := RedactText(text); again != text {
			t.Errorf("RedactText(RedactText(%q)) = %q, want %q", raw, again, text)
		}
	})
}

// secretNames are parameter names the fuzz target puts secrets under.
var secretNames = []string{"token", "api_key", "apiKey", "access_token", "password", "sig", "X-Amz-Signature", "session"}

// FuzzRedactURLSecrets builds URLs that carry a password and a secret
// parameter: the redacted URL is the same whatever their values, so it
// cannot reveal them, and a distinctive secret never appears in it.
func FuzzRedactURLSecrets(f *testing.F) {
	f.Add("user", "pa:ss@w/rd?#", "tok&en=1;x", "/feed.rss", "lang=vi", uint8(0))
	f.Add("", "", "", "", "", uint8(3))
	f.Add("a@b", "s3cr3t-value", "s3cr3t-value", "/s3cr3t", "token=zz", uint8(7))
	f.Fuzz(func(t *testing.T, user, password, secret, path, extra string, which uint8) {
		name := secretNames[int(which)%len(secretNames)]
		build := func(password, secret string) string {
			u := url.URL{Scheme: "https", User: url.UserPassword(user, password), Host: "example.org", Path: path}
			q := url.Values{name: {secret}}.Encode()
			if extra != "" {
				q = url.QueryEscape(extra) + "&" + q
			}
			u.RawQuery = q
			return u.String()
		}
		raw := build(password, secret)
		got := RedactURL(raw)
		if other := RedactURL(build("other", "other")); got != other {
			t.Fatalf("RedactURL depends on the secrets:\n%q -> %q\nother secrets -> %q", raw, got, other)
		}
		template := build("", "")
		for _, s := range []string{password, secret, url.QueryEscape(secret), url.PathEscape(password)} {
			if len(s) >= 6 && !strings.Contains(template, s) && strings.Contains(got, s) {
				t.Errorf("RedactURL(%q) = %q, which holds the secret %q", raw, got, s)
			}
		}
		if text := RedactText("fetch " + raw + ": HTTP 401"); strings.Contains(text, url.QueryEscape(secret)) && len(secret) >= 6 && !strings.Contains(template, url.QueryEscape(secret)) {
			t.Errorf("RedactText leaks %q: %q", secret, text)
		}
	})
}
