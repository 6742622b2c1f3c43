package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Relevance labels: what a user judged an article to be for one topic.
const (
	LabelRelevant    = "relevant"
	LabelNotRelevant = "not_relevant"
)

// Label is one user's judgement of one article for one topic.
type Label struct {
	ArticleID string
	Topic     string
	User      string
	Label     string // LabelRelevant or LabelNotRelevant
	Lang      string // the article's language, for precision per language
	At        time.Time
}

// labelKey is article ID ‖ 0x00 ‖ topic ‖ 0x00 ‖ user.
func labelKey(articleID, topic, user string) []byte {
	k := make([]byte, 0, len(articleID)+len(topic)+len(user)+2)
	k = append(k, articleID...)
	k = append(k, 0)
	k = append(k, topic...)
	k = append(k, 0)
	return append(k, user...)
}

// SetLabel records l, replacing the same user's earlier label of the same
// article and topic (a judgement can be changed; setting it twice is
// setting it once). An empty l.Label clears it.
func (s *Store) SetLabel(l Label) error {
	if l.ArticleID == "" || l.User == "" || checkTopic(l.Topic) != nil {
		return errors.New("label without article, topic or user")
	}
	switch l.Label {
	case LabelRelevant, LabelNotRelevant, "":
	default:
		return fmt.Errorf("label %q: want %s or %s", l.Label, LabelRelevant, LabelNotRelevant)
	}
	err := s.update(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketLabels)
		if err != nil {
			return err
		}
		k := labelKey(l.ArticleID, l.Topic, l.User)
		if l.Label == "" {
			return b.Delete(k)
		}
		v, err := encode(l)
		if err != nil {
			return err
		}
		return b.Put(k, v)
	})
	if err != nil {
		return fmt.Errorf("label article %s: %w", l.ArticleID, err)
	}
	return nil
}

// ArticleLabels returns the labels of one article, by topic then user.
func (s *Store) ArticleLabels(articleID string) ([]Label, error) {
	var out []Label
	prefix := append([]byte(articleID), 0)
	err := s.view(func(tx *bolt.Tx) error {
		b, err := bucket(tx, bucketLabels)
		if err != nil {
			return err
		}
		c := b.Cursor()
		for k, v := c.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = c.Next() {
			var l Label
			if err := decode(v, &l); err != nil {
				return err
			}
			out = append(out, l)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("labels of article %s: %w", articleID, err)
	}
	return out, nil
}

// ForEachLabel calls fn for every label, in article order, in short read
// transactions; fn may keep its argument.
func (s *Store) ForEachLabel(ctx context.Context, fn func(Label) error) error {
	var after []byte
	for {
		var batch []Label
		err := s.view(func(tx *bolt.Tx) error {
			b, err := bucket(tx, bucketLabels)
			if err != nil {
				return err
			}
			c := b.Cursor()
			k, v := c.First()
			if after != nil {
				k, v = c.Seek(after)
				if k != nil && bytes.Equal(k, after) {
					k, v = c.Next()
				}
			}
			for ; k != nil && len(batch) < forEachBatch; k, v = c.Next() {
				var l Label
				if err := decode(v, &l); err != nil {
					return err
				}
				batch = append(batch, l)
				after = bytes.Clone(k)
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("labels: %w", err)
		}
		for _, l := range batch {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(l); err != nil {
				return err
			}
		}
		if len(batch) < forEachBatch {
			return nil
		}
	}
}

// Precision counts one language's labels of a topic.
type Precision struct {
	Relevant, NotRelevant int
}

// LabelStats counts the labels of topic given since since, per language:
// the precision users measured on what the topic matched.
func (s *Store) LabelStats(ctx context.Context, topic string, since time.Time) (map[string]Precision, error) {
	out := map[string]Precision{}
	err := s.ForEachLabel(ctx, func(l Label) error {
		if l.Topic != topic || l.At.Before(since) {
			return nil
		}
		p := out[l.Lang]
		if l.Label == LabelRelevant {
			p.Relevant++
		} else {
			p.NotRelevant++
		}
		out[l.Lang] = p
		return nil
	})
	return out, err
}
