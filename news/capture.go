package news

import "time"

// KeepRaw says which article pages are kept as captured HTTP exchanges
// (evidence of what a site served).
type KeepRaw string

// KeepRaw values; the zero value means KeepMatched.
const (
	KeepMatched KeepRaw = "matched" // the pages of articles that matched a topic
	KeepAll     KeepRaw = "all"     // every scraped page
	KeepNone    KeepRaw = "none"    // none
)

// Keeps reports whether the page of an article that matched (or not) is
// kept.
func (k KeepRaw) Keeps(matched bool) bool {
	switch k {
	case KeepAll:
		return true
	case KeepNone:
		return false
	}
	return matched
}

// Capture is the manifest of one kept HTTP exchange of an article's page:
// what was asked, what answered, when, and the digests that prove the
// kept bytes unchanged. The bytes themselves (RawHop) are in the store.
type Capture struct {
	ArticleID string    `json:"article_id"`
	Seq       int       `json:"seq"`       // 1 for the article's first capture, then 2, ...
	Revision  int       `json:"revision"`  // the revision (news.Revision.Seq) the page showed; 0 for the first fetch
	Time      time.Time `json:"time"`      // when the first request was sent
	URL       string    `json:"url"`       // the URL requested
	FinalURL  string    `json:"final_url"` // where redirects led
	Status    int       `json:"status"`    // of the final response
	// SHA256 is the hex digest of the exchange's bytes: every hop's
	// request, response header block and body, in order.
	SHA256 string `json:"sha256"`
	// PayloadSHA256 is the hex digest of the final response's body as
	// transferred: the WARC payload.
	PayloadSHA256 string       `json:"payload_sha256"`
	Size          int          `json:"size"`   // bytes of the exchange
	Stored        int          `json:"stored"` // bytes kept, compressed
	Hops          []CaptureHop `json:"hops"`
}

// CaptureHop describes one request and response of a Capture.
type CaptureHop struct {
	URL          string    `json:"url"`
	Time         time.Time `json:"time"`
	Status       int       `json:"status"`
	RequestSize  int       `json:"request_size"`
	ResponseSize int       `json:"response_size"` // of the status line and headers
	BodySize     int       `json:"body_size"`
}

// RawHop is the bytes of one hop of a captured exchange: the request line
// and headers, the status line and headers, and the body as transferred.
type RawHop struct {
	URL      string
	Time     time.Time
	Status   int
	Request  []byte
	Response []byte
	Body     []byte
}
