package alerts

import "time"

// routing is what Reconfigure replaces: the router and the senders of the
// subscribers, and the retry schedule. A value is never changed once
// stored.
type routing struct {
	router   *Router
	senders  map[string]map[string]channelSender // subscriber -> channel -> sender
	schedule []time.Duration
}

// delivery is the Dispatcher with the routing in force when one delivery
// pass began: the whole pass sends through, and records with, the same
// subscribers, senders and retry schedule.
type delivery struct {
	*Dispatcher
	*routing
}

// delivery returns the Dispatcher with the routing in force.
func (d *Dispatcher) delivery() *delivery { return &delivery{d, d.routes.Load()} }

// Reconfigure replaces the subscribers, the SMTP relay and the delivery
// settings of a running dispatcher. It first builds the new router and
// senders, resolving their secrets, and on any problem returns them all and
// changes nothing. The subscribers must be valid (see ValidateSubscribers),
// as for NewDispatcher.
//
// The change applies from the next delivery pass: a pass in progress
// finishes with the subscribers it started with, so an alert being sent is
// never cut off. Router returns the new router at once; give it to the
// monitor (monitor.SetPlanner) so new articles are planned for the new
// subscribers.
//
// Alerts already in the outbox keep their subscriber and channel. Those of
// a subscriber that is gone, or of a channel it no longer has, are never
// sent to a target the configuration no longer names: when they fall due
// they become dead letters whose error says so, and `alerts retry` sends
// them should the subscriber come back. Alerts of a subscriber whose target
// changed (a new URL, other addresses) go to the new target.
//
// Options (webhook client, lanes, batch size) are not reconfigured.
func (d *Dispatcher) Reconfigure(subs []Subscriber, smtp SMTPConfig, cfg Config) error {
	r, err := d.newRouting(subs, smtp, cfg)
	if err != nil {
		return err
	}
	old := d.routes.Swap(r)
	added, removed := r.router.diff(old.router)
	d.log.Info("alert subscribers reconfigured", "subscribers", len(subs), "added", added, "removed", removed)
	return nil
}

// diff returns the names of the subscribers r has and old has not, and
// those old has and r has not.
func (r *Router) diff(old *Router) (added, removed []string) {
	for _, rt := range r.routes {
		if old.route(rt.sub.Name) == nil {
			added = append(added, rt.sub.Name)
		}
	}
	for _, rt := range old.routes {
		if r.route(rt.sub.Name) == nil {
			removed = append(removed, rt.sub.Name)
		}
	}
	return added, removed
}
