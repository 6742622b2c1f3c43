package main

import (
	"context"
	"log/slog"
	"strings"
	"time"

	"github.com/coreos/go-systemd/v22/daemon"
)

// notifier tells systemd what the daemon is doing, through the sd_notify
// protocol (deploy/newswatch.service has Type=notify and WatchdogSec):
// Ready once it serves, Reloading and then Ready again around a reload,
// Stopping at shutdown, a free-form Status line, and watchdog pings while
// it is healthy. Outside systemd (NOTIFY_SOCKET unset) every method does
// nothing, so the daemon runs the same from a terminal.
type notifier struct {
	log *slog.Logger
}

// Ready says start-up is complete: the store is open and the listeners are
// up. After a reload, it says the reload is over, whether the new config
// was applied or refused; systemd waits for it to leave "reloading".
func (n notifier) Ready() { n.send(daemon.SdNotifyReady) }

// Reloading says a reload has begun. It carries MONOTONIC_USEC, which
// systemd's reload protocol (Type=notify-reload) requires; Ready ends it.
func (n notifier) Reloading() {
	n.send(daemon.SdNotifyReloading + "\n" + strings.TrimSuffix(daemon.SdNotifyMonotonicUsec(), "\n"))
}

// Stopping says the daemon has begun its shutdown.
func (n notifier) Stopping() { n.send(daemon.SdNotifyStopping) }

// Status sets the one-line status `systemctl status` shows.
func (n notifier) Status(s string) {
	n.send("STATUS=" + strings.ReplaceAll(s, "\n", " "))
}

// send sends one notification. A failure is logged and otherwise ignored:
// it costs at most a restart by systemd, never the daemon's work.
func (n notifier) send(state string) {
	if _, err := daemon.SdNotify(false, state); err != nil {
		n.log.Warn("systemd notification failed", "state", state, "error", err)
	}
}

// watchdog pings systemd's watchdog at half of WatchdogSec, each time
// healthy returns nil, until ctx is done. While healthy fails (or hangs)
// it sends nothing, so systemd restarts a wedged daemon when WatchdogSec
// runs out. Without a watchdog for this process it returns at once.
func (n notifier) watchdog(ctx context.Context, healthy func() error) {
	timeout, err := daemon.SdWatchdogEnabled(false)
	if err != nil {
		n.log.Warn("systemd watchdog disabled", "error", err)
		return
	}
	if timeout == 0 {
		return
	}
	tick := time.NewTicker(timeout / 2)
	defer tick.Stop()
	wasHealthy := true
	for {
		err := healthy()
		switch {
		case err == nil:
			n.send(daemon.SdNotifyWatchdog)
		case wasHealthy:
			n.log.Error("daemon unhealthy; the systemd watchdog will restart it unless it recovers", "error", err, "timeout", timeout)
		}
		wasHealthy = err == nil
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// storeAnswers is the watchdog's health check: the store serves a read.
func (p *pipeline) storeAnswers() error {
	_, err := p.store.Feeds()
	return err
}
