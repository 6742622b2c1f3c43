package alerts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/newswatch/newswatch/news"
)

// job is one message to send: a single alert, or the alerts of one digest.
type job struct {
	subscriber, channel string
	alerts              []news.Alert
}

// pass reads one batch of due alerts and delivers it, one lane (destination)
// at a time each, several lanes at once. It returns how many alerts it read.
func (d *delivery) pass(ctx context.Context) (int, error) {
	due, err := d.out.DueAlerts(d.opts.Now(), d.opts.BatchSize)
	if err != nil {
		return 0, fmt.Errorf("read due alerts: %w", err)
	}
	due, markErr := d.markSent(due)
	lanes := map[string][]job{}
	var order []string
	for _, j := range groupJobs(due) {
		lane := "none"
		if s, ok := d.senders[j.subscriber][j.channel]; ok {
			lane = s.lane
		}
		if _, ok := lanes[lane]; !ok {
			order = append(order, lane)
		}
		lanes[lane] = append(lanes[lane], j)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, d.opts.Lanes)
	)
	for _, lane := range order {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := d.runLane(ctx, lanes[lane]); err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return len(due), errors.Join(append(errs, markErr)...)
}

// markSent marks delivered the due alerts that an earlier pass sent but
// could not record, and returns the others, which are still to be sent.
func (d *delivery) markSent(due []news.Alert) ([]news.Alert, error) {
	d.unrecordedMu.Lock()
	defer d.unrecordedMu.Unlock()
	if len(d.unrecorded) == 0 {
		return due, nil
	}
	var errs []error
	rest := due[:0:0]
	for _, a := range due {
		sent, ok := d.unrecorded[a.ID]
		if !ok {
			rest = append(rest, a)
			continue
		}
		if err := d.out.MarkDelivered(a.ID, sent); err != nil {
			errs = append(errs, fmt.Errorf("alert %s was sent at %s; recording it: %w", a.ID, sent.Format(time.RFC3339), err))
			continue
		}
		delete(d.unrecorded, a.ID)
		d.log.Info("alert delivery recorded", "alert_id", a.ID, "sent", sent)
	}
	return rest, errors.Join(errs...)
}

// sentNotRecorded remembers an alert that was sent but not marked.
func (d *delivery) sentNotRecorded(id string, at time.Time) {
	d.unrecordedMu.Lock()
	defer d.unrecordedMu.Unlock()
	d.unrecorded[id] = at
}

// groupJobs turns due alerts into jobs: one per immediate alert, one per
// (subscriber, digest key) for digest alerts, in due order.
func groupJobs(due []news.Alert) []job {
	var jobs []job
	digests := map[string]int{} // subscriber \x00 key -> index in jobs
	for _, a := range due {
		if a.Digest == "" {
			jobs = append(jobs, job{a.Subscriber, a.Channel, []news.Alert{a}})
			continue
		}
		k := a.Subscriber + "\x00" + a.Channel + "\x00" + a.Digest
		if i, ok := digests[k]; ok {
			jobs[i].alerts = append(jobs[i].alerts, a)
			continue
		}
		digests[k] = len(jobs)
		jobs = append(jobs, job{a.Subscriber, a.Channel, []news.Alert{a}})
	}
	return jobs
}

// runLane sends the jobs of one destination in order. After the destination
// proves unreachable, the rest are not attempted in this pass but
// rescheduled with the same error, so one dead host cannot stall the batch.
func (d *delivery) runLane(ctx context.Context, jobs []job) error {
	var down error
	var errs []error
	for _, j := range jobs {
		if ctx.Err() != nil {
			break
		}
		var err error
		switch {
		case down != nil && throttling(down):
			err = d.postpone(j, down)
		case down != nil:
			err = d.record(j, fmt.Errorf("not attempted, destination unavailable: %w", down), d.opts.Now())
		default:
			var sendErr error
			sendErr, err = d.deliver(ctx, j)
			if unreachable(sendErr) {
				down = sendErr
			}
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// throttling reports whether err is the destination asking every sender
// to slow down (429, 503), not a failure of the message.
func throttling(err error) bool {
	var de *DeliveryError
	return errors.As(err, &de) && (de.Status == 429 || de.Status == 503)
}

// postpone moves a job the lane did not send, because its destination is
// throttling, past the destination's Retry-After (or the schedule's next
// delay) without counting an attempt: a receiver that answers 429 must
// not use up the retry schedule of alerts it never saw.
func (d *delivery) postpone(j job, cause error) error {
	wait := retryAfterOf(cause)
	if wait <= 0 {
		wait = d.delay(max(j.alerts[0].Attempts, 1), 0)
	}
	next := d.opts.Now().Add(wait)
	msg := fmt.Sprintf("not attempted, destination unavailable: %v", cause)
	var errs []error
	for _, a := range j.alerts {
		errs = append(errs, d.out.PostponeAlert(a.ID, next, msg))
	}
	d.log.Debug("alerts postponed", "subscriber", j.subscriber, "channel", j.channel, "alerts", len(j.alerts), "next_at", next, "error", cause)
	return errors.Join(errs...)
}

// unreachable reports whether err says the whole destination is down or
// throttling, rather than this one message failing.
func unreachable(err error) bool {
	var de *DeliveryError
	if !errors.As(err, &de) || de.Permanent {
		return false
	}
	return de.Status == 0 || de.Status == 429 || de.Status == 503
}

// deliver sends one job and records the outcome. It returns the send error
// (for the lane) and any error recording it. When ctx ends during the send,
// nothing is recorded: the alert stays due and is sent again, with the same
// id, after a restart.
func (d *delivery) deliver(ctx context.Context, j job) (sendErr, markErr error) {
	cs, ok := d.senders[j.subscriber][j.channel]
	if !ok {
		err := &DeliveryError{Channel: j.channel, Endpoint: "-", Permanent: true, Err: d.unrouted(j)}
		return err, d.record(j, err, d.opts.Now())
	}
	m, err := d.message(j)
	if err != nil {
		return nil, d.record(j, err, d.opts.Now())
	}
	start := time.Now()
	sendErr = cs.Send(ctx, m)
	if sendErr != nil && ctx.Err() != nil {
		return nil, nil
	}
	d.log.Debug("alert attempt", "alert_id", m.ID, "subscriber", j.subscriber, "channel", j.channel,
		"endpoint", cs.endpoint, "duration", time.Since(start), "error", sendErr)
	return sendErr, d.record(j, sendErr, d.opts.Now())
}

// unrouted says why the configuration has no sender for a job: its
// subscriber or its channel was removed since the alerts were planned.
func (d *delivery) unrouted(j job) error {
	if d.router.route(j.subscriber) == nil {
		return fmt.Errorf("subscriber %q was removed from the config", j.subscriber)
	}
	return fmt.Errorf("subscriber %q has no %s target in the config", j.subscriber, j.channel)
}

// message loads the articles of a job and builds its Message.
func (d *delivery) message(j job) (Message, error) {
	rt := d.router.route(j.subscriber)
	first := j.alerts[0]
	m := Message{ID: first.ID, Subscriber: j.subscriber, Time: first.Created, Digest: first.Digest}
	if first.Kind == news.AlertSourceHealth {
		if first.Health == nil {
			return m, fmt.Errorf("source-health alert %s without its change", first.ID)
		}
		m.Health = first.Health
		return m, nil
	}
	if m.Digest != "" {
		m.ID = digestID(j)
	}
	stories := map[string]*news.Story{}
	for _, a := range j.alerts {
		ids := []string{a.ArticleID}
		if !a.Since.IsZero() {
			ids = d.updateArticles(rt, a)
		}
		for _, id := range ids {
			art, err := d.out.Article(id)
			if err != nil {
				return m, fmt.Errorf("load article %s: %w", id, err)
			}
			e := Entry{Article: art, Topics: a.Topics, Update: a.Kind == news.AlertStoryUpdate, Story: d.story(stories, a.Story),
				Revision: a.Revision}
			if rt != nil {
				_, hits, _ := rt.match(art)
				for _, h := range hits {
					if slices.Contains(a.Topics, h.Topic) {
						e.Hits = append(e.Hits, h)
					}
				}
			}
			m.Entries = append(m.Entries, e)
		}
		if a.Created.After(m.Time) {
			m.Time = a.Created
		}
	}
	groupByStory(m.Entries)
	return m, nil
}

// story returns the story with id as the store has it now (nil for an
// article outside stories, or a story the store lost), loading each once
// per message.
func (d *delivery) story(loaded map[string]*news.Story, id string) *news.Story {
	if id == "" {
		return nil
	}
	if s, ok := loaded[id]; ok {
		return s
	}
	var s *news.Story
	if st, err := d.out.Story(id); err == nil {
		s = &st
	}
	loaded[id] = s
	return s
}

// updateArticles returns the articles that an interval's update alert a
// lists: those of its story fetched between a.Since and a.Until that the
// subscriber gets, copies and the article of the story's first alert
// left out; a's own article when none is left.
func (d *delivery) updateArticles(rt *route, a news.Alert) []string {
	members, err := d.out.StoryMembers(a.Story)
	if err != nil {
		return []string{a.ArticleID}
	}
	first := ""
	if fa, err := d.out.Alert(StoryAlertID(a.Subscriber, a.Channel, a.Story)); err == nil {
		first = fa.ArticleID
	}
	var ids []string
	for _, m := range members {
		if m.DuplicateOf != "" || m.ArticleID == first || m.Fetched.Before(a.Since) || !m.Fetched.Before(a.Until) {
			continue
		}
		if rt != nil {
			if art, err := d.out.Article(m.ArticleID); err != nil || !rt.gets(art, a.Topics) {
				continue
			}
		}
		ids = append(ids, m.ArticleID)
	}
	if len(ids) == 0 {
		return []string{a.ArticleID}
	}
	return ids
}

// digestID derives a digest's message id from its subscriber, key and
// alerts, so every attempt of the same digest carries the same Message-ID.
func digestID(j job) string {
	ids := make([]string, len(j.alerts))
	for i, a := range j.alerts {
		ids[i] = a.ID
	}
	slices.Sort(ids)
	h := sha256.New()
	for _, s := range append([]string{j.subscriber, j.channel, j.alerts[0].Digest}, ids...) {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "dig_" + hex.EncodeToString(h.Sum(nil)[:12])
}

// record marks the job's alerts after an attempt at time now: delivered,
// failed for good (permanent error or schedule exhausted), or due again
// after the next delay of the schedule (or the receiver's Retry-After).
func (d *delivery) record(j job, sendErr error, now time.Time) error {
	var errs []error
	log := d.log.With("subscriber", j.subscriber, "channel", j.channel)
	switch attempts := j.alerts[0].Attempts + 1; {
	case sendErr == nil:
		for _, a := range j.alerts {
			if err := d.out.MarkDelivered(a.ID, now); err != nil {
				d.sentNotRecorded(a.ID, now)
				errs = append(errs, fmt.Errorf("alert %s was sent; recording it: %w", a.ID, err))
			}
			log.Info("alert delivered", "alert_id", a.ID, "article_id", a.ArticleID, "attempts", a.Attempts+1)
			if d.opts.Observer != nil && !a.Created.IsZero() {
				d.opts.Observer.ObserveDelivery(j.channel, now.Sub(a.Created))
			}
		}
	case IsPermanent(sendErr) || attempts >= len(d.schedule):
		msg := sendErr.Error()
		if !IsPermanent(sendErr) {
			msg = fmt.Sprintf("retries exhausted after %d attempts: %s", attempts, msg)
		}
		for _, a := range j.alerts {
			errs = append(errs, d.out.MarkFailed(a.ID, now, msg))
			log.Error("alert failed", "alert_id", a.ID, "article_id", a.ArticleID, "attempts", a.Attempts+1, "error", msg)
		}
	default:
		next := now.Add(d.delay(attempts, retryAfterOf(sendErr)))
		for _, a := range j.alerts {
			errs = append(errs, d.out.MarkRetry(a.ID, now, next, sendErr.Error()))
			log.Warn("alert attempt failed", "alert_id", a.ID, "attempts", a.Attempts+1, "next_at", next, "error", sendErr)
		}
	}
	return errors.Join(errs...)
}

// delay returns the wait before attempt number attempts+1: the schedule's
// entry with ±20% jitter, or the receiver's Retry-After when it gave one.
func (d *delivery) delay(attempts int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return retryAfter
	}
	base := d.schedule[min(attempts, len(d.schedule)-1)]
	return time.Duration(float64(base) * (0.8 + 0.4*d.opts.Jitter()))
}
