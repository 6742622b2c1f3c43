package fetcher

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"syscall"
	"time"

	"code.dny.dev/ssrf"
)

// guardian classifies addresses with the IANA special-purpose registries.
// Any port is allowed: feeds on :8080 are legitimate.
var guardian = ssrf.New(ssrf.WithAnyPort())

// checkFunc decides whether the client may connect to an address; nil
// allows everything.
type checkFunc func(netip.Addr) error

// CheckAddr returns nil if ip is a public unicast address the fetcher may
// connect to, and an error wrapping ErrBlocked otherwise: loopback, private
// (RFC 1918, ULA), link-local (including 169.254.169.254), CGNAT, multicast,
// unspecified, documentation, NAT64 and other special-purpose ranges.
// IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
func CheckAddr(ip netip.Addr) error {
	if !ip.IsValid() {
		return fmt.Errorf("%w: invalid address", ErrBlocked)
	}
	if err := guardian.SafeAddr(ip.Unmap()); err != nil {
		msg := strings.TrimPrefix(err.Error(), ssrf.ErrProhibitedIP.Error()+": ")
		return fmt.Errorf("%w: %s", ErrBlocked, msg)
	}
	return nil
}

// dialControl returns a net.Dialer.ControlContext function that applies
// check to the resolved address just before the socket connects.
func dialControl(check checkFunc) func(context.Context, string, string, syscall.RawConn) error {
	return func(_ context.Context, network, address string, _ syscall.RawConn) error {
		if network != "tcp4" && network != "tcp6" {
			return fmt.Errorf("%w: network %s is not allowed", ErrBlocked, network)
		}
		ap, err := netip.ParseAddrPort(address)
		if err != nil {
			return fmt.Errorf("%w: cannot parse address %q", ErrBlocked, address)
		}
		return check(ap.Addr())
	}
}

// NewTransport returns the fetcher's guarded transport: per-phase timeouts
// from o, no proxy (an environment proxy would bypass the address check),
// no transparent decompression, and, unless o.AllowPrivateNetworks, the SSRF
// guard applied to every resolved address at dial time. Callers that must
// not follow redirects (webhooks) set CheckRedirect on their http.Client.
func NewTransport(o Options) *http.Transport {
	o = o.withDefaults()
	var check checkFunc
	if !o.AllowPrivateNetworks {
		check = CheckAddr
	}
	return newTransport(o, check)
}

func newTransport(o Options, check checkFunc) *http.Transport {
	d := &net.Dialer{Timeout: o.DialTimeout, KeepAlive: 30 * time.Second}
	if check != nil {
		d.ControlContext = dialControl(check)
	}
	return &http.Transport{
		Proxy:                  nil,
		DialContext:            d.DialContext,
		ForceAttemptHTTP2:      true,
		TLSHandshakeTimeout:    o.TLSHandshakeTimeout,
		ResponseHeaderTimeout:  o.ResponseHeaderTimeout,
		ExpectContinueTimeout:  time.Second,
		IdleConnTimeout:        90 * time.Second,
		MaxIdleConns:           100,
		MaxIdleConnsPerHost:    o.PerHostConcurrency,
		MaxResponseHeaderBytes: 1 << 20,
		DisableCompression:     true,
	}
}

// checkHost refuses host names that are loopback by definition (RFC 6761
// "localhost") and obfuscated numeric IPv4 forms such as "127.1" or
// "0x7f000001", which some resolvers accept. Canonical IP literals and
// ordinary names are left to the dial-time check.
func checkHost(host string, check checkFunc) error {
	if check == nil {
		return nil
	}
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	if h == "localhost" || strings.HasSuffix(h, ".localhost") {
		return fmt.Errorf("%w: %s is a loopback name", ErrBlocked, host)
	}
	if _, err := netip.ParseAddr(host); err == nil {
		return nil // canonical literal: the dial-time check judges it
	}
	ip, ok := parseLegacyIPv4(h)
	if !ok {
		return nil
	}
	if err := check(ip); err != nil {
		return fmt.Errorf("numeric host %s means %s: %w", host, ip, err)
	}
	return fmt.Errorf("%w: ambiguous numeric host %s (write %s)", ErrInvalidURL, host, ip)
}

// parseLegacyIPv4 parses the inet_aton forms of an IPv4 address: one to four
// dot-separated parts, each decimal, octal (leading 0) or hex (0x), the last
// part filling the remaining bytes.
func parseLegacyIPv4(s string) (netip.Addr, bool) {
	parts := strings.Split(s, ".")
	if len(parts) > 4 || s == "" {
		return netip.Addr{}, false
	}
	var v uint64
	for i, p := range parts {
		n, err := strconv.ParseUint(p, 0, 32)
		if err != nil || p == "" || strings.ContainsAny(p, "_+-") {
			return netip.Addr{}, false
		}
		last := i == len(parts)-1
		if !last && n > 0xff {
			return netip.Addr{}, false
		}
		if !last {
			v = v<<8 | n
			continue
		}
		rest := uint(4 - i) // bytes left for the last part
		if n >= 1<<(8*rest) {
			return netip.Addr{}, false
		}
		v = v<<(8*rest) | n
	}
	return netip.AddrFrom4([4]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}), true
}
