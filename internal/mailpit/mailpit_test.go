package mailpit_test

import (
	"net/smtp"
	"strconv"
	"testing"

	"github.com/newswatch/newswatch/internal/mailpit"
)

func TestStartReceivesMail(t *testing.T) {
	s := mailpit.Start(t, "--enable-chaos")
	addr := s.SMTPHost + ":" + strconv.Itoa(s.SMTPPort)
	msg := "From: a@example.org\r\nTo: b@example.org\r\nSubject: Tin tức về buôn người\r\nMessage-ID: <x1@example.org>\r\n\r\nxin chào\r\n"
	if err := smtp.SendMail(addr, nil, "a@example.org", []string{"b@example.org"}, []byte(msg)); err != nil {
		t.Fatalf("SendMail: %v", err)
	}
	got, err := s.Search(t.Context(), "message-id:x1@example.org")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].MessageID != "x1@example.org" {
		t.Fatalf("Search(message-id) = %+v, want one message x1@example.org", got)
	}
	h, err := s.Headers(t.Context(), got[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if h["Subject"] == nil {
		t.Errorf("Headers = %v, want a Subject", h)
	}
	if err := s.Chaos(t.Context(), "Recipient", 550, 100); err != nil {
		t.Fatalf("Chaos: %v", err)
	}
	if err := smtp.SendMail(addr, nil, "a@example.org", []string{"b@example.org"}, []byte(msg)); err == nil {
		t.Errorf("SendMail with chaos 550 = nil, want an error")
	}
	if err := s.DeleteAll(t.Context()); err != nil {
		t.Fatal(err)
	}
	if all, err := s.Messages(t.Context()); err != nil || len(all) != 0 {
		t.Errorf("Messages after DeleteAll = %d, %v; want 0", len(all), err)
	}
}
