package events

import "time"

// Amplify context (stream AMPLIFY): personnel report the links of their
// re-shares of an official Instagram post (spec/ops.md §2). One aggregate
// per (kind, post shortcode, NRP): the duplicate rule ("one report per post
// and person") is decided from that subject's own history. Emitted by
// commands/linkreport; consumed by the amplify_reports read model
// (projections/amplify) and, for LinkReportSubmitted, by the thank-you
// saga (sagas/amplify).

// Kinds of link report.
const (
	LinkReportRegular = "regular" // tugas rutin: a post of the client's feed
	LinkReportKhusus  = "khusus"  // tugas khusus: a post registered ad hoc
)

// LinkReportSubject is the subject of one person's report on one post:
// amplify.report.<shortcode>.<nrp> (regular) or
// amplify.khusus.<shortcode>.<nrp>.
func LinkReportSubject(kind, shortcode, nrp string) string {
	prefix := LinkReportSubjectPrefix
	if kind == LinkReportKhusus {
		prefix = LinkReportKhususSubjectPrefix
	}
	return prefix + "." + EncodeToken(shortcode) + "." + EncodeToken(nrp)
}

// The subject prefixes of the two kinds of report (two id tokens follow).
const (
	LinkReportSubjectPrefix       = "amplify.report"
	LinkReportKhususSubjectPrefix = "amplify.khusus"
)

// LinkReportAggregateID is the aggregate id of a report.
func LinkReportAggregateID(kind, shortcode, nrp string) string {
	return kind + "/" + shortcode + "/" + nrp
}

// Links are the five amplification links of a report; "" = none.
type Links struct {
	Instagram string `json:"instagram_link,omitempty"`
	Facebook  string `json:"facebook_link,omitempty"`
	Twitter   string `json:"twitter_link,omitempty"`
	Tiktok    string `json:"tiktok_link,omitempty"`
	Youtube   string `json:"youtube_link,omitempty"`
}

// Count is the number of non-empty links.
func (l Links) Count() int {
	n := 0
	for _, s := range []string{l.Instagram, l.Facebook, l.Twitter, l.Tiktok, l.Youtube} {
		if s != "" {
			n++
		}
	}
	return n
}

// LinkReportSubmitted: a person reported their re-share links of a post.
// PostPublishedAt is the post's instant (the recaps filter by its Jakarta
// date, as the old system did); SubmittedAt is when the report was made
// (the old system lost it). ClientID is the client the post is a task of.
// Title, Nama and WhatsApp are the person as the directory showed them at
// submission: the thank-you message goes to that number ("" = none).
type LinkReportSubmitted struct {
	Kind            string    `json:"kind"`
	Shortcode       string    `json:"shortcode"`
	UserID          string    `json:"user_id"`
	ClientID        string    `json:"client_id"`
	Links           Links     `json:"links"`
	PostPublishedAt time.Time `json:"post_published_at"`
	SubmittedAt     time.Time `json:"submitted_at"`
	Title           string    `json:"title,omitempty"`
	Nama            string    `json:"nama,omitempty"`
	WhatsApp        string    `json:"whatsapp,omitempty"`
	By              string    `json:"by"`
}

func (LinkReportSubmitted) EventType() string { return "LinkReportSubmitted" }

// LinkReportUpdated: the report's links changed; Links is the whole set
// after the change.
type LinkReportUpdated struct {
	Kind      string    `json:"kind"`
	Shortcode string    `json:"shortcode"`
	UserID    string    `json:"user_id"`
	Links     Links     `json:"links"`
	UpdatedAt time.Time `json:"updated_at"`
	By        string    `json:"by"`
}

func (LinkReportUpdated) EventType() string { return "LinkReportUpdated" }

// LinkReportDeleted: the report was withdrawn (DELETE); the person may
// report the post again. History keeps it.
type LinkReportDeleted struct {
	Kind      string    `json:"kind"`
	Shortcode string    `json:"shortcode"`
	UserID    string    `json:"user_id"`
	DeletedAt time.Time `json:"deleted_at"`
	By        string    `json:"by"`
}

func (LinkReportDeleted) EventType() string { return "LinkReportDeleted" }

func registerAmplify(r *Registry) {
	r.Register(1, func() Payload { return &LinkReportSubmitted{} })
	r.Register(1, func() Payload { return &LinkReportUpdated{} })
	r.Register(1, func() Payload { return &LinkReportDeleted{} })
}
