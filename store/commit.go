package store

import (
	"fmt"
	"slices"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Group commit. Each save (SavePoll, SaveFeedState, SaveRefetch) is
// stored whole or not at all and is on disk when its method returns, as
// if it had a write transaction of its own. But saves that arrive while
// another one commits wait for bbolt's single writer anyway: when it is
// free, the first of them commits them all in one transaction. A commit
// writes the pages its saves changed, the branch pages above them, the
// free list and the meta page, and syncs the file; saves that share a
// commit share that part.
//
// A save whose function fails leaves its group and the group's
// transaction runs again without it, so one bad save fails alone as it
// would on its own. A function may thus run more than once, each time in
// a new transaction, and must do the same each time.

// maxGroup bounds the saves committed together: the changes of a group,
// and the pages they make, are held in memory until it commits (about a
// megabyte a poll of 20 articles with their captures). In
// BenchmarkSavePollSite four polls a commit write 23 % fewer pages than
// one; in the 1,000 x 20 poll, groups of up to four lowered peak RSS
// from 340-344 to 319-321 MB, with fewer leaves rewritten and read back
// through the file's memory map.
const maxGroup = 4

// commitQueue holds the saves waiting for the writer.
type commitQueue struct {
	mu      sync.Mutex
	waiting []*saveRequest
	busy    bool // a group is being committed; the next leader is waiting[0]
}

// saveRequest is one save: its function and where its outcome goes.
type saveRequest struct {
	fn   func(tx *bolt.Tx) error
	done chan saveOutcome // the lead, then the result; never more than one at a time
}

// saveOutcome is a save's result, or the turn to lead the next group.
type saveOutcome struct {
	err  error
	lead bool
}

// save runs fn in a write transaction, grouped with the saves waiting at
// the same time, and records its outcome in the store's write health.
func (s *Store) save(fn func(tx *bolt.Tx) error) error {
	r := &saveRequest{fn: fn, done: make(chan saveOutcome, 1)}
	q := &s.commits
	q.mu.Lock()
	q.waiting = append(q.waiting, r)
	lead := !q.busy
	q.busy = true
	q.mu.Unlock()
	if !lead {
		if o := <-r.done; !o.lead {
			return o.err
		}
	}
	s.leadGroup()
	return (<-r.done).err
}

// leadGroup commits the first maxGroup waiting saves, the caller's first
// among them, and passes the lead to the next waiting save, if any.
func (s *Store) leadGroup() {
	q := &s.commits
	q.mu.Lock()
	n := min(len(q.waiting), maxGroup)
	group := slices.Clone(q.waiting[:n])
	q.waiting = slices.Delete(q.waiting, 0, n)
	q.mu.Unlock()
	defer func() {
		q.mu.Lock()
		defer q.mu.Unlock()
		if len(q.waiting) > 0 {
			q.waiting[0].done <- saveOutcome{lead: true}
		} else {
			q.busy = false
		}
	}()
	s.commitGroup(group)
}

// commitGroup runs the saves of group in one transaction and gives each
// its outcome. A save whose function fails gets its error and the others
// run again without it.
func (s *Store) commitGroup(group []*saveRequest) {
	defer func() {
		if r := recover(); r != nil {
			for _, g := range group {
				g.done <- saveOutcome{err: fmt.Errorf("a save in the same transaction panicked: %v", r)}
			}
			panic(r)
		}
	}()
	for {
		failed := -1
		err := s.update(func(tx *bolt.Tx) error {
			for i, g := range group {
				if err := g.fn(tx); err != nil {
					failed = i
					return err
				}
			}
			return nil
		})
		now := time.Now()
		if failed < 0 || len(group) == 1 {
			for _, g := range group {
				s.health.saved(err, now)
				g.done <- saveOutcome{err: err}
			}
			group = nil
			return
		}
		s.health.saved(err, now)
		group[failed].done <- saveOutcome{err: err}
		group = slices.Delete(group, failed, failed+1)
	}
}
