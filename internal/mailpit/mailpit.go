// Package mailpit starts a real Mailpit SMTP server on 127.0.0.1 for tests
// and reads the mail it received through its REST API.
package mailpit

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is a running Mailpit.
type Server struct {
	SMTPHost string // "127.0.0.1"
	SMTPPort int
	APIURL   string // http://127.0.0.1:<port>
	cmd      *exec.Cmd
	client   *http.Client
}

// Start runs Mailpit on free loopback ports with its database in a temp
// dir, waits until it is ready, and stops it when the test ends. The binary
// is $MAILPIT_BIN or the module's pinned tool (see Binary). Extra
// command-line flags (e.g. "--enable-chaos") are passed through.
func Start(t testing.TB, flags ...string) *Server {
	t.Helper()
	bin, err := Binary()
	if err != nil {
		t.Fatalf("mailpit: %v", err)
	}
	var lastErr error
	for range 5 { // ports are picked before Mailpit binds them: retry on a race
		s, err := start(t, bin, flags)
		if err == nil {
			return s
		}
		lastErr = err
	}
	t.Fatalf("mailpit: %v", lastErr)
	return nil
}

func start(t testing.TB, bin string, flags []string) (*Server, error) {
	ports, err := freePorts(2)
	if err != nil {
		return nil, err
	}
	dir := t.TempDir()
	s := &Server{
		SMTPHost: "127.0.0.1", SMTPPort: ports[0],
		APIURL: "http://127.0.0.1:" + strconv.Itoa(ports[1]),
		client: &http.Client{Timeout: 10 * time.Second},
	}
	args := append([]string{
		"-l", "127.0.0.1:" + strconv.Itoa(ports[1]), "-s", "127.0.0.1:" + strconv.Itoa(ports[0]),
		"-d", filepath.Join(dir, "mailpit.db"), "--max", "0", "--disable-version-check",
		"--smtp-auth-accept-any", "--smtp-auth-allow-insecure",
	}, flags...)
	s.cmd = exec.Command(bin, args...)
	logf, err := os.Create(filepath.Join(dir, "mailpit.log"))
	if err != nil {
		return nil, err
	}
	s.cmd.Stdout, s.cmd.Stderr = logf, logf
	if err := s.cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("start %s: %w", bin, err)
	}
	exited := make(chan struct{})
	go func() { s.cmd.Wait(); logf.Close(); close(exited) }()
	t.Cleanup(func() {
		s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			s.cmd.Process.Kill()
			<-exited
		}
	})
	if err := s.waitReady(exited); err != nil {
		s.cmd.Process.Kill()
		<-exited
		log, _ := os.ReadFile(filepath.Join(dir, "mailpit.log"))
		return nil, fmt.Errorf("%v; log: %s", err, log)
	}
	return s, nil
}

// waitReady polls Mailpit until its API says ready and its SMTP port
// accepts, or it exits. It sets no deadline of its own: on a loaded
// machine start-up may be slow, and the test's deadline guards a hang.
func (s *Server) waitReady(exited <-chan struct{}) error {
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for !s.ready() {
		select {
		case <-exited:
			return fmt.Errorf("mailpit exited before it was ready")
		case <-tick.C:
		}
	}
	return nil
}

// ready reports whether the API answers /readyz and the SMTP port accepts.
func (s *Server) ready() bool {
	resp, err := s.client.Get(s.APIURL + "/readyz")
	if err != nil {
		return false
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return false
	}
	c, err := net.DialTimeout("tcp", net.JoinHostPort(s.SMTPHost, strconv.Itoa(s.SMTPPort)), 10*time.Second)
	if err != nil {
		return false
	}
	c.Close()
	return true
}

// freePorts returns n distinct free TCP ports on 127.0.0.1.
func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

var (
	buildOnce sync.Once
	built     string
	buildErr  error
)

// Binary returns the path of a Mailpit binary: $MAILPIT_BIN if set, else
// the tool pinned in go.mod (`go tool mailpit`), which the go command
// builds once into its build cache. That first build takes minutes, so a
// line on the terminal says what is going on.
func Binary() (string, error) {
	if p := os.Getenv("MAILPIT_BIN"); p != "" {
		return p, nil
	}
	buildOnce.Do(func() { built, buildErr = build() })
	return built, buildErr
}

// build asks the go command for the path of the module's Mailpit tool,
// building it if needed. A file lock makes the test binaries of several
// packages, which go test runs at once, build it only once.
func build() (string, error) {
	lock, err := os.OpenFile(filepath.Join(os.TempDir(), "newswatch-mailpit-build.lock"), os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return "", err
	}
	defer lock.Close()
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		return "", fmt.Errorf("lock: %w", err)
	}
	defer syscall.Flock(int(lock.Fd()), syscall.LOCK_UN) //nolint:errcheck // closing unlocks too
	slow := time.AfterFunc(3*time.Second, func() { announce(buildNotice) })
	out, err := exec.Command("go", "tool", "-n", "mailpit").Output()
	slow.Stop()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		return "", fmt.Errorf("go tool -n mailpit: %v: %s", err, stderr)
	}
	return strings.TrimSpace(string(out)), nil
}

// buildNotice is what the user sees while Mailpit builds.
const buildNotice = "mailpit: building the Mailpit pinned in go.mod (go tool mailpit), the SMTP server of the alert tests;" +
	" the first build takes a few minutes, later runs use the build cache\n"

// announce writes msg where the user sees it now: on the terminal if the
// tests run from one (go test holds a package's output until it ends),
// else on stderr.
func announce(msg string) {
	if tty, err := os.OpenFile("/dev/tty", os.O_WRONLY, 0); err == nil {
		defer tty.Close()
		if _, err := tty.WriteString(msg); err == nil {
			return
		}
	}
	fmt.Fprint(os.Stderr, msg)
}

// Address is a mail address in the API's JSON.
type Address struct {
	Name    string `json:"Name"`
	Address string `json:"Address"`
}

// Summary is one message in a list or search result.
type Summary struct {
	ID        string    `json:"ID"`
	MessageID string    `json:"MessageID"`
	From      Address   `json:"From"`
	To        []Address `json:"To"`
	Subject   string    `json:"Subject"`
	Snippet   string    `json:"Snippet"`
	Created   time.Time `json:"Created"`
}

// Message is a full message.
type Message struct {
	Summary
	Text            string `json:"Text"`
	HTML            string `json:"HTML"`
	ListUnsubscribe struct {
		Header     string   `json:"Header"`
		Links      []string `json:"Links"`
		HeaderPost string   `json:"HeaderPost"`
	} `json:"ListUnsubscribe"`
}

// Messages returns every stored message, newest first.
func (s *Server) Messages(ctx context.Context) ([]Summary, error) {
	return s.list(ctx, "/api/v1/messages?limit=500")
}

// Search returns the messages matching a Mailpit search query, such as
// "message-id:<id>".
func (s *Server) Search(ctx context.Context, query string) ([]Summary, error) {
	return s.list(ctx, "/api/v1/search?limit=500&query="+url.QueryEscape(query))
}

func (s *Server) list(ctx context.Context, path string) ([]Summary, error) {
	var out []Summary
	for start := 0; ; {
		var page struct {
			Total    int       `json:"total"`
			Messages []Summary `json:"messages"`
		}
		if err := s.get(ctx, path+"&start="+strconv.Itoa(start), &page); err != nil {
			return nil, err
		}
		out = append(out, page.Messages...)
		start += len(page.Messages)
		if len(page.Messages) == 0 || start >= page.Total {
			return out, nil
		}
	}
}

// Message returns the full message with the given Mailpit ID.
func (s *Server) Message(ctx context.Context, id string) (*Message, error) {
	var m Message
	return &m, s.get(ctx, "/api/v1/message/"+url.PathEscape(id), &m)
}

// Headers returns the headers of the message with the given Mailpit ID.
func (s *Server) Headers(ctx context.Context, id string) (map[string][]string, error) {
	h := map[string][]string{}
	return h, s.get(ctx, "/api/v1/message/"+url.PathEscape(id)+"/headers", &h)
}

// Chaos sets SMTP fault injection (needs Start with "--enable-chaos"):
// the trigger ("Sender", "Recipient" or "Authentication") answers code with
// the given probability in percent. Code 0 turns it off.
func (s *Server) Chaos(ctx context.Context, trigger string, code, probability int) error {
	body := fmt.Sprintf(`{%q:{"ErrorCode":%d,"Probability":%d}}`, trigger, code, probability)
	return s.do(ctx, http.MethodPut, "/api/v1/chaos", body, nil)
}

// DeleteAll deletes every message.
func (s *Server) DeleteAll(ctx context.Context) error {
	return s.do(ctx, http.MethodDelete, "/api/v1/messages", "", nil)
}

func (s *Server) get(ctx context.Context, path string, v any) error {
	return s.do(ctx, http.MethodGet, path, "", v)
}

func (s *Server) do(ctx context.Context, method, path, body string, v any) error {
	req, err := http.NewRequestWithContext(ctx, method, s.APIURL+path, strings.NewReader(body))
	if err != nil {
		return err
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return fmt.Errorf("mailpit %s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("mailpit %s %s: status %d", method, path, resp.StatusCode)
	}
	if v == nil {
		return nil
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("mailpit %s %s: decode: %w", method, path, err)
	}
	return nil
}
