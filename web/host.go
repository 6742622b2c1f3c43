package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// A web page can reach a server on the reader's machine through DNS
// rebinding: its own name, evil.example, is made to resolve to 127.0.0.1,
// and the browser, which thinks it still talks to evil.example, lets the
// page read the answers (the whole archive, from /export). Only the Host
// header gives it away, so the server answers only the names it knows:
//
//   - any IP address (127.0.0.1:8080, [::1]:8080, 192.0.2.7): a page is
//     only ever same-origin with an address when it was loaded from that
//     very address, so no page can rebind one; this also admits the
//     machine's own addresses when listening on 0.0.0.0 or [::], and the
//     other ports of port forwarding (docker -p, ssh -L);
//   - localhost, which browsers resolve to loopback themselves;
//   - the names in ServeOptions.Hosts: those of web.hosts, such as the
//     public name that a reverse proxy passes on in Host, and the host of
//     web.listen when it is a name.
//
// A request without a Host (HTTP/1.0) comes from no browser and is served.
// Every other request gets 421 Misdirected Request. The check runs on TCP
// listeners only: no browser reaches a unix socket.

// hostRules is the set of Host names a server answers besides IP
// addresses and localhost.
type hostRules struct {
	any   map[string]bool // names served on any port
	ports map[string]bool // "name:port" served on that port only
}

// CheckHost reports what is wrong with one entry of web.hosts: a host
// name or IP address, with an optional port ("news.example.org",
// "news.example.org:8443"). Wildcards, schemes and paths are refused.
func CheckHost(entry string) error {
	_, _, err := parseHostEntry(entry)
	return err
}

// parseHostEntry splits a web.hosts entry into its normalised name and
// its port ("" for any).
func parseHostEntry(entry string) (name, port string, err error) {
	switch {
	case entry == "":
		return "", "", errors.New("empty host name")
	case strings.Contains(entry, "*"):
		return "", "", fmt.Errorf("%q: wildcards are not allowed; list each name the server is reached by", entry)
	case strings.Contains(entry, "/"):
		return "", "", fmt.Errorf("%q: want a host name such as news.example.org, not a URL", entry)
	}
	name, port = splitHost(entry)
	if port != "" {
		if p, err := strconv.ParseUint(port, 10, 16); err != nil || p == 0 {
			return "", "", fmt.Errorf("%q: port %q is not a number from 1 to 65535", entry, port)
		}
	}
	if _, err := netip.ParseAddr(name); err != nil && !validHostName(name) {
		return "", "", fmt.Errorf("%q: %q is not a host name or IP address", entry, name)
	}
	return name, port, nil
}

// validHostName reports whether name is made of DNS labels: letters,
// digits, '-' and '_', separated by dots.
func validHostName(name string) bool {
	if name == "" || len(name) > 253 {
		return false
	}
	for label := range strings.SplitSeq(name, ".") {
		if label == "" || len(label) > 63 {
			return false
		}
		for _, c := range []byte(label) {
			if !isLowerAlnum(c) && c != '-' && c != '_' {
				return false
			}
		}
	}
	return true
}

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// splitHost splits a Host header or a web.hosts entry into a lower-case
// name without brackets or a trailing dot, and a port ("" when absent).
func splitHost(hostport string) (name, port string) {
	name = hostport
	if h, p, err := net.SplitHostPort(hostport); err == nil {
		name, port = h, p
	}
	name = strings.TrimSuffix(strings.Trim(name, "[]"), ".")
	return strings.ToLower(name), port
}

// newHostRules builds the rules of a server that answers for hosts (each
// checked by CheckHost) besides IP addresses and localhost.
func newHostRules(hosts []string) (*hostRules, error) {
	hr := &hostRules{any: map[string]bool{"localhost": true}, ports: map[string]bool{}}
	var problems []error
	for _, h := range hosts {
		name, port, err := parseHostEntry(h)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		if port == "" {
			hr.any[name] = true
		} else {
			hr.ports[net.JoinHostPort(name, port)] = true
		}
	}
	if err := errors.Join(problems...); err != nil {
		return nil, fmt.Errorf("web hosts: %w", err)
	}
	return hr, nil
}

// allows reports whether a request with this Host header is served.
func (hr *hostRules) allows(host string) bool {
	if host == "" {
		return true
	}
	name, port := splitHost(host)
	if _, err := netip.ParseAddr(name); err == nil || hr.any[name] {
		return true
	}
	if port == "" { // the default port of http, or of https behind a proxy
		return hr.ports[net.JoinHostPort(name, "80")] || hr.ports[net.JoinHostPort(name, "443")]
	}
	return hr.ports[net.JoinHostPort(name, port)]
}

// checkHost serves h only to requests whose Host hr allows; the others get
// 421 Misdirected Request with a body that says what to change.
func checkHost(hr *hostRules, log *slog.Logger, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hr.allows(r.Host) {
			h.ServeHTTP(w, r)
			return
		}
		log.Debug("request refused: unknown Host", "host", r.Host, "path", r.URL.Path, "remote", r.RemoteAddr)
		w.Header().Set("Connection", "close")
		http.Error(w, fmt.Sprintf("newswatch: this server does not answer for host %q (a DNS-rebinding defence).\n"+
			"If that is a name of this server, add it to web.hosts in the configuration.", r.Host), http.StatusMisdirectedRequest)
	})
}
