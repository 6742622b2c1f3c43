package fetcher

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// ssrfCases lists addresses and whether the guard must let them through.
// Nothing here is ever dialled: the classifier is called directly.
var ssrfCases = []struct {
	addr  string
	allow bool
}{
	{"10.0.0.1", false},
	{"172.16.0.1", false},
	{"172.31.255.255", false},
	{"192.168.1.1", false},
	{"100.64.0.1", false},
	{"127.0.0.1", false},
	{"127.255.255.254", false},
	{"169.254.169.254", false},
	{"0.0.0.0", false},
	{"224.0.0.1", false},
	{"255.255.255.255", false},
	{"192.0.2.10", false},
	{"::1", false},
	{"::", false},
	{"::ffff:127.0.0.1", false},
	{"::ffff:10.0.0.1", false},
	{"::ffff:169.254.169.254", false},
	{"fd00::1", false},
	{"fc00::1", false},
	{"fe80::1", false},
	{"ff02::1", false},
	{"64:ff9b::7f00:1", false}, // NAT64 of 127.0.0.1
	{"2001:db8::1", false},
	{"2002:7f00:1::", false}, // 6to4 of 127.0.0.1
	{"8.8.8.8", true},
	{"1.1.1.1", true},
	{"203.113.131.1", true}, // a Vietnamese ISP range
	{"::ffff:8.8.8.8", true},
	{"2001:4860::8888", true},
	{"2a00:1450:4001:80b::200e", true},
}

func TestCheckAddr(t *testing.T) {
	t.Parallel()
	for _, tt := range ssrfCases {
		t.Run(tt.addr, func(t *testing.T) {
			err := CheckAddr(netip.MustParseAddr(tt.addr))
			if tt.allow && err != nil {
				t.Errorf("CheckAddr(%q) = %v, want nil", tt.addr, err)
			}
			if !tt.allow && !errors.Is(err, ErrBlocked) {
				t.Errorf("CheckAddr(%q) = %v, want %v", tt.addr, err, ErrBlocked)
			}
			if !tt.allow && err != nil && !strings.Contains(err.Error(), netip.MustParseAddr(tt.addr).Unmap().String()) {
				t.Errorf("CheckAddr(%q) = %q, want the address named", tt.addr, err)
			}
		})
	}
	if err := CheckAddr(netip.Addr{}); !errors.Is(err, ErrBlocked) {
		t.Errorf("CheckAddr(zero) = %v, want %v", err, ErrBlocked)
	}
}

// TestDialControl calls the dial-time hook the way net.Dialer does, with
// the resolved address and the port, on any port.
func TestDialControl(t *testing.T) {
	t.Parallel()
	control := dialControl(CheckAddr)
	for _, tt := range ssrfCases {
		for _, port := range []uint16{80, 443, 8080} {
			ip := netip.MustParseAddr(tt.addr)
			address := netip.AddrPortFrom(ip, port).String()
			network := "tcp4"
			if ip.Is6() {
				network = "tcp6"
			}
			err := control(t.Context(), network, address, nil)
			if (err == nil) != tt.allow || (err != nil && !errors.Is(err, ErrBlocked)) {
				t.Errorf("control(%q, %q) = %v, want allowed %v", network, address, err, tt.allow)
			}
		}
	}
	for _, network := range []string{"udp4", "unix", "ip4"} {
		if err := control(t.Context(), network, "8.8.8.8:53", nil); !errors.Is(err, ErrBlocked) {
			t.Errorf("control(%q, %q) = %v, want %v", network, "8.8.8.8:53", err, ErrBlocked)
		}
	}
}

func TestParseLegacyIPv4(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string // "" means not a numeric host
	}{
		{"127.1", "127.0.0.1"},
		{"127.0.1", "127.0.0.1"},
		{"2130706433", "127.0.0.1"},
		{"0x7f000001", "127.0.0.1"},
		{"0x7f.1", "127.0.0.1"},
		{"0177.0.0.1", "127.0.0.1"},
		{"10.1", "10.0.0.1"},
		{"8.8.8.8", "8.8.8.8"},
		{"256.1", ""},
		{"1.2.3.4.5", ""},
		{"vietnamplus.vn", ""},
		{"1e100.net", ""},
		{"1_0.0.0.1", ""},
		{"", ""},
		{"1..1", ""},
	}
	for _, tt := range tests {
		got, ok := parseLegacyIPv4(tt.in)
		if (tt.want == "" && ok) || (tt.want != "" && (!ok || got.String() != tt.want)) {
			t.Errorf("parseLegacyIPv4(%q) = %v, %v; want %q", tt.in, got, ok, tt.want)
		}
	}
}

// TestFetchSSRF uses default options against a real loopback server: every
// spelling of a loopback destination must be refused before any request.
func TestFetchSSRF(t *testing.T) {
	t.Parallel()
	var hits atomic.Int32
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { hits.Add(1) }))
	port := ":" + strconv.Itoa(srv.Listener.Addr().(*net.TCPAddr).Port)
	c := New(Options{})
	for _, raw := range []string{
		srv.URL,
		"http://localhost" + port + "/feed",
		"http://LOCALHOST." + port + "/feed",
		"http://news.localhost" + port + "/",
		"http://[::1]" + port + "/",
		"http://127.1" + port + "/",
		"http://2130706433" + port + "/",
		"http://127.0.0.1." + port + "/",
		"http://0.0.0.0" + port + "/",
		"http://[::ffff:127.0.0.1]" + port + "/",
	} {
		_, err := c.Fetch(t.Context(), raw, Validators{})
		if !errors.Is(err, ErrBlocked) || Temporary(err) {
			t.Errorf("Fetch(%q) error = %v, want %v (permanent)", raw, err, ErrBlocked)
		}
		t.Logf("Fetch(%q): %v", raw, err)
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("loopback server got %d requests through the guard, want 0", n)
	}
}

// TestFetchSSRFAfterRedirect lets the client reach exactly 127.0.0.1 and has
// that server redirect to other loopback spellings: the guard must refuse the
// redirect target (the redirect check and the dial check both apply).
func TestFetchSSRFAfterRedirect(t *testing.T) {
	t.Parallel()
	only := netip.MustParseAddr("127.0.0.1")
	check := func(ip netip.Addr) error {
		if ip == only {
			return nil
		}
		return CheckAddr(ip)
	}
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, r.URL.Query().Get("to"), http.StatusFound)
	}))
	c := newClient(Options{PerHostRate: -1}, check)
	for _, to := range []string{
		"http://127.0.0.2/latest/meta-data/",
		"http://169.254.169.254/latest/meta-data/",
		"http://localhost:8080/admin",
		"http://[::1]:6379/",
	} {
		_, err := c.Fetch(t.Context(), srv.URL+"/?to="+to, Validators{})
		if !errors.Is(err, ErrBlocked) {
			t.Errorf("Fetch(redirect to %q) error = %v, want %v", to, err, ErrBlocked)
		}
	}
}

// TestNewTransport checks the transport other packages reuse: no proxy, and
// the dial-time guard refuses loopback even without Fetch's URL checks.
func TestNewTransport(t *testing.T) {
	t.Parallel()
	srv := newServer(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	tr := NewTransport(Options{})
	if tr.Proxy != nil {
		t.Error("NewTransport(Options{}).Proxy != nil, want nil (a proxy would bypass the guard)")
	}
	hc := &http.Client{Transport: tr}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/hook", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := hc.Do(req); !errors.Is(err, ErrBlocked) {
		if err == nil {
			resp.Body.Close()
		}
		t.Errorf("guarded transport POST %s error = %v, want %v", srv.URL, err, ErrBlocked)
	}
	open := &http.Client{Transport: NewTransport(Options{AllowPrivateNetworks: true})}
	req, _ = http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL+"/hook", nil)
	resp, err := open.Do(req)
	if err != nil {
		t.Fatalf("unguarded transport POST %s error = %v", srv.URL, err)
	}
	resp.Body.Close()
}

// FuzzCheckHost: host checks never panic, and a numeric host is never let
// through to the resolver.
func FuzzCheckHost(f *testing.F) {
	for _, h := range []string{"127.1", "0x7f.1", "vietnamplus.vn", "news.un.org", "localhost", "8.8.8.8", "2130706433", "xn--vietnamplus-8ya.vn"} {
		f.Add(h)
	}
	f.Fuzz(func(t *testing.T, host string) {
		err := checkHost(host, CheckAddr)
		if _, numeric := parseLegacyIPv4(strings.ToLower(strings.TrimSuffix(host, "."))); numeric && err == nil {
			if _, perr := netip.ParseAddr(host); perr != nil {
				t.Errorf("checkHost(%q) = nil for a non-canonical numeric host", host)
			}
		}
	})
}
