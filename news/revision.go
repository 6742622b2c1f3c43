package news

import "time"

// RevisionKind says what a fetch of a stored article's page found changed.
type RevisionKind string

// Revision kinds.
const (
	RevisionEdited  RevisionKind = "edited"  // the text changed (see Revision.DiffSize)
	RevisionRemoved RevisionKind = "removed" // 404 or 410, or a redirect to a home or section page
)

// Revision is one change of a stored article seen when its page was
// fetched again after it was stored: its summary, as the article carries
// it and exports show it. The changed text, its diff and the capture live
// in the store.
type Revision struct {
	Seq      int          `json:"seq"`  // 1 for the first revision, then 2, ...
	Time     time.Time    `json:"time"` // when the fetch that saw it ran
	Kind     RevisionKind `json:"kind"`
	DiffSize int          `json:"diff_size,omitempty"` // bytes of the unified diff of the text (edited)
	Status   int          `json:"status,omitempty"`    // the HTTP status that showed a removal (404, 410, or the 3xx)
	URL      string       `json:"url,omitempty"`       // where a redirect led (removed)
}

// AlertRevision is the kind of an alert about a revision of an article a
// subscriber was alerted to: ArticleID, Topics, Revision.
const AlertRevision AlertKind = "revision"
