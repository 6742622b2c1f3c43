package alerts

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/newswatch/newswatch/news"
)

// smtpTimeout bounds each SMTP exchange. It is long because a relay may
// take minutes to answer the final "." of DATA (RFC 5321 §4.5.3.2), and a
// timeout there leaves the outcome unknown.
const smtpTimeout = 60 * time.Second

// Email sends alerts as mail to a subscriber's addresses through one SMTP
// relay: one mail per message, all recipients together.
type Email struct {
	smtp       SMTPConfig // password resolved
	to         []string
	subscriber string
	domain     string // right-hand side of Message-IDs
	now        func() time.Time
}

var _ Sender = (*Email)(nil)

// NewEmail returns a sender that mails subscriber's alerts to addresses to
// through relay c. The password must already be resolved into c.Password.
func NewEmail(c SMTPConfig, subscriber string, to []string) (*Email, error) {
	from, err := mail.ParseAddress(c.From)
	if err != nil {
		return nil, fmt.Errorf("smtp from %q: %v", c.From, err)
	}
	if len(to) == 0 {
		return nil, errors.New("email: no recipients")
	}
	domain := "newswatch"
	if _, d, ok := strings.Cut(from.Address, "@"); ok && d != "" {
		domain = d
	}
	return &Email{smtp: c, to: to, subscriber: subscriber, domain: domain, now: time.Now}, nil
}

// MessageID returns the Message-ID (without angle brackets) that every
// attempt of message id carries.
func (e *Email) MessageID(id string) string { return id + "@" + e.domain }

// Endpoint returns the relay's host:port, safe to log.
func (e *Email) Endpoint() string { return net.JoinHostPort(e.smtp.Host, strconv.Itoa(e.port())) }

func (e *Email) port() int {
	switch {
	case e.smtp.Port != 0:
		return e.smtp.Port
	case e.smtp.TLS == TLSNone:
		return 25
	case e.smtp.TLS == TLSImplicit:
		return 465
	}
	return 587
}

// Send mails m once. 4xx replies and connection errors are retried; 5xx
// replies (a refused address, a rejected message) are permanent.
func (e *Email) Send(ctx context.Context, m Message) error {
	msg, err := e.compose(m)
	if err != nil {
		return e.fail(0, true, err)
	}
	c, err := gomail.NewClient(e.smtp.Host, e.clientOptions()...)
	if err != nil {
		return e.fail(0, true, err)
	}
	if err := c.DialAndSendWithContext(ctx, msg); err != nil {
		var se *gomail.SendError
		if errors.As(err, &se) {
			code := se.ErrorCode()
			return e.fail(code, !se.IsTemp() && code >= 500 && code < 600, err)
		}
		return e.fail(0, false, err)
	}
	return nil
}

func (e *Email) clientOptions() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(e.port()), gomail.WithTimeout(smtpTimeout)}
	switch e.smtp.TLS {
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	case TLSImplicit:
		opts = append(opts, gomail.WithSSL())
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if e.smtp.Username != "" {
		auth := gomail.SMTPAuthAutoDiscover
		if e.smtp.TLS == TLSNone {
			auth = gomail.SMTPAuthPlainNoEnc
		}
		opts = append(opts, gomail.WithSMTPAuth(auth),
			gomail.WithUsername(e.smtp.Username), gomail.WithPassword(e.smtp.Password))
	}
	return opts
}

// compose builds the mail for m: multipart/alternative text and HTML,
// deterministic Message-ID, Auto-Submitted and List-Unsubscribe.
func (e *Email) compose(m Message) (*gomail.Msg, error) {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(e.smtp.From); err != nil {
		return nil, fmt.Errorf("from: %v", err)
	}
	for _, to := range e.to {
		if err := msg.AddTo(to); err != nil {
			return nil, fmt.Errorf("to %q: %v", to, err)
		}
	}
	subject := Subject(m)
	msg.Subject(subject)
	msg.SetMessageIDWithValue(e.MessageID(m.ID))
	msg.SetDateWithValue(e.now())
	msg.SetGenHeader(gomail.Header("Auto-Submitted"), "auto-generated")
	msg.SetBulk()
	msg.SetUserAgent("newswatch")
	if err := e.setUnsubscribe(msg); err != nil {
		return nil, err
	}
	text, html, err := renderBodies(m, subject)
	if err != nil {
		return nil, err
	}
	msg.SetBodyString(gomail.TypeTextPlain, text)
	msg.AddAlternativeString(gomail.TypeTextHTML, html)
	return msg, nil
}

// setUnsubscribe sets List-Unsubscribe: RFC 8058 one-click when an https
// URL is configured, else a mailto: to the sender.
func (e *Email) setUnsubscribe(msg *gomail.Msg) error {
	from, _ := mail.ParseAddress(e.smtp.From)
	mailto := (&url.URL{Scheme: "mailto", Opaque: from.Address,
		RawQuery: "subject=" + url.QueryEscape("unsubscribe "+e.subscriber)}).String()
	if e.smtp.UnsubscribeURL == "" {
		msg.SetListUnsubscribe(mailto)
		return nil
	}
	u, err := url.Parse(e.smtp.UnsubscribeURL)
	if err != nil {
		return fmt.Errorf("unsubscribe url: %v", err)
	}
	q := u.Query()
	q.Set("subscriber", e.subscriber)
	u.RawQuery = q.Encode()
	return msg.SetListUnsubscribeOneClick(u.String(), mailto)
}

func (e *Email) fail(code int, permanent bool, err error) error {
	return &DeliveryError{Channel: news.ChannelEmail, Endpoint: e.Endpoint(), Status: code, Permanent: permanent, Err: err}
}
