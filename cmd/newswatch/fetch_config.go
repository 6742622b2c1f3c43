package main

import (
	"fmt"
	"net/url"
	"strings"
)

// identityProblems checks what the fetch section puts in the User-Agent
// header: contact must be an http(s) URL or a mailto: address that fits
// the header's comment, and user_agent must be a valid header value.
func (f FetchConfig) identityProblems() []string {
	var p []string
	if err := checkContact(f.Contact); err != nil {
		p = append(p, fmt.Sprintf("fetch.contact: %v", err))
	}
	if strings.ContainsFunc(f.UserAgent, func(r rune) bool { return r < ' ' && r != '\t' || r == 0x7f }) {
		p = append(p, fmt.Sprintf("fetch.user_agent: %q contains control characters, which a header cannot carry", f.UserAgent))
	}
	return p
}

// checkContact accepts an empty contact (the project's URL is sent), an
// http(s) URL with a host, or a mailto: address.
func checkContact(v string) error {
	if v == "" {
		return nil
	}
	if strings.ContainsFunc(v, func(r rune) bool { return r <= ' ' || r > '~' || r == '(' || r == ')' }) {
		return fmt.Errorf("%q: spaces, parentheses and non-ASCII characters cannot go in the User-Agent; percent-encode them", v)
	}
	u, err := url.Parse(v)
	if err == nil && (u.Scheme == "mailto" && u.Opaque != "" || (u.Scheme == "http" || u.Scheme == "https") && u.Host != "") {
		return nil
	}
	return fmt.Errorf("%q is neither an http(s) URL nor a mailto: address (e.g. https://ngo.example/newswatch or mailto:ops@ngo.example)", v)
}
