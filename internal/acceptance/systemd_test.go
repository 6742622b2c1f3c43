package acceptance

import (
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
)

// TestSystemdNotify runs the daemon as systemd runs a Type=notify service
// with WatchdogSec: NOTIFY_SOCKET names a datagram socket the test listens
// on. READY=1 must come only when the web server answers, watchdog pings
// must follow, SIGHUP must be framed by RELOADING=1 and READY=1, and
// SIGTERM must give STOPPING=1 and a clean exit.
func TestSystemdNotify(t *testing.T) {
	t.Parallel()
	site, feeds := newsSite(t, unseenStories[:2])
	dir := t.TempDir()
	cfg := stableConfig(t, dir, true, []string{site.URL() + feeds[0].path}, []string{"vi"})
	appendFile(t, cfg, "web:\n  listen: 127.0.0.1:0\n")
	notify := listenNotify(t, filepath.Join(dir, "notify.sock"))

	var log lockedBuffer
	d := exec.Command(binary(t), "run", "--config", cfg)
	d.Env = append(os.Environ(), "NOTIFY_SOCKET="+notify.LocalAddr().String(), "WATCHDOG_USEC=200000")
	d.Stdout, d.Stderr = &log, &log
	if err := d.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Process.Kill(); d.Wait() }) //nolint:errcheck
	msgs := readNotify(t, notify)

	waitNotify(t, msgs, "READY=1", &log)
	// The daemon logged its address before READY=1; the copy of its
	// stderr into log may lag the datagram.
	listening := regexp.MustCompile(`"addr":"(127\.0\.0\.1:\d+)"`)
	waitFor(t, "the listening address in the log", func() bool { return listening.MatchString(log.String()) })
	addr := listening.FindStringSubmatch(log.String())
	resp, err := http.Get("http://" + addr[1] + "/healthz")
	if err != nil {
		t.Fatalf("GET /healthz right after READY=1: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET /healthz right after READY=1 = %d, want 200", resp.StatusCode)
	}
	waitNotify(t, msgs, "WATCHDOG=1", &log)

	// systemctl reload: RELOADING=1 with the clock, then READY=1 again,
	// also when the new file is refused (and then a status says so).
	d.Process.Signal(syscall.SIGHUP) //nolint:errcheck
	waitNotify(t, msgs, "RELOADING=1\nMONOTONIC_USEC=", &log)
	waitNotify(t, msgs, "READY=1", &log)
	writeFile(t, dir, "newswatch.yaml", "feeds: [{url: ftp://nowhere}]\n")
	d.Process.Signal(syscall.SIGHUP) //nolint:errcheck
	waitNotify(t, msgs, "RELOADING=1\nMONOTONIC_USEC=", &log)
	waitNotify(t, msgs, "STATUS=config reload refused", &log)
	waitNotify(t, msgs, "READY=1", &log)

	d.Process.Signal(syscall.SIGTERM) //nolint:errcheck
	waitNotify(t, msgs, "STOPPING=1", &log)
	if err := d.Wait(); err != nil {
		t.Errorf("run after SIGTERM: %v\n%s", err, tail(log.String(), 2000))
	}
}

// listenNotify opens the datagram socket systemd would pass as NOTIFY_SOCKET.
func listenNotify(t *testing.T, path string) *net.UnixConn {
	t.Helper()
	conn, err := net.ListenUnixgram("unixgram", &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// readNotify delivers the datagrams received on conn until the test ends
// (its cleanup closes conn).
func readNotify(t *testing.T, conn *net.UnixConn) <-chan string {
	msgs := make(chan string)
	go func() {
		defer close(msgs)
		buf := make([]byte, 4096)
		for {
			n, err := conn.Read(buf)
			if err != nil {
				return
			}
			select {
			case msgs <- string(buf[:n]):
			case <-t.Context().Done():
				return
			}
		}
	}()
	return msgs
}

// waitNotify waits for a notification that starts with want, skipping
// others (watchdog pings between the states).
func waitNotify(t *testing.T, msgs <-chan string, want string, log *lockedBuffer) {
	t.Helper()
	guard := beforeDeadline(t)
	for {
		select {
		case m, ok := <-msgs:
			if !ok {
				t.Fatalf("notify socket closed before %s", want)
			}
			if strings.HasPrefix(m, want) {
				return
			}
		case <-guard:
			t.Fatalf("no %s from the daemon by the test's deadline\n%s", want, tail(log.String(), 2000))
		}
	}
}

// appendFile appends text to the file at path.
func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
