package events

import "time"

// Social context (stream SOCIAL): the official posts of the clients'
// Instagram and TikTok accounts, who engaged with them (likes, comments),
// the accounts' profiles, and each fetch run. Emitted by commands/post,
// commands/account and commands/fetchrun (through the fetch jobs and the
// editors' routes); consumed by the social read models (projections/social:
// posts, engagements, profiles, fetch runs) and by auditors.
//
// Usernames in events are normalised (internal/normalize.Handle: trimmed,
// without "@", lower-case), so every reader matches them the same way.

// Subject prefixes of the social aggregates. PostSubject and
// AccountSubject take the platform's short name (ig, tt).
const (
	SocialPrefix          = "social"
	FetchRunSubjectPrefix = "social.fetch"
)

// PlatformShort is the subject token of a platform: ig, tt.
func PlatformShort(platform string) string {
	if platform == PlatformTiktok {
		return "tt"
	}
	return "ig"
}

// PostSubject is the subject of one post (Instagram shortcode, TikTok video
// id), whatever clients share it.
func PostSubject(platform, postID string) string {
	return Subject(SocialPrefix+"."+PlatformShort(platform)+".post", postID)
}

// AccountSubject is the subject of one platform account (by its normalised
// username).
func AccountSubject(platform, username string) string {
	return Subject(SocialPrefix+"."+PlatformShort(platform)+".account", username)
}

// FetchRunSubject is the subject of one fetch run.
func FetchRunSubject(runID string) string { return Subject(FetchRunSubjectPrefix, runID) }

// PostMedia is what a post shows.
type PostMedia struct {
	ThumbnailURL string   `json:"thumbnail_url,omitempty"`
	ImageURL     string   `json:"image_url,omitempty"`
	Images       []string `json:"images,omitempty"`
	VideoURL     string   `json:"video_url,omitempty"`
	IsVideo      bool     `json:"is_video,omitempty"`
	IsCarousel   bool     `json:"is_carousel,omitempty"`
}

// PostIngested: a client's official account published the post (first
// seen in a fetch, or imported by an editor). A post shared by several
// clients' accounts is ingested once per client and belongs to all of
// them; it is ingested again for a client that had it withdrawn when it
// reappears in that client's feed. Counts are as observed then.
type PostIngested struct {
	Platform    string    `json:"platform"`
	PostID      string    `json:"post_id"`
	ClientID    string    `json:"client_id"`
	Account     string    `json:"account"`
	Caption     string    `json:"caption"`
	Media       PostMedia `json:"media"`
	PublishedAt time.Time `json:"published_at"`
	Likes       int       `json:"likes"`
	Comments    int       `json:"comments"`
	// Source is "fetch" or "import".
	Source string `json:"source"`
}

func (PostIngested) EventType() string { return "PostIngested" }

// PostStatsObserved: a later fetch saw other like or comment counts (only
// changes are recorded).
type PostStatsObserved struct {
	Platform   string    `json:"platform"`
	PostID     string    `json:"post_id"`
	Likes      int       `json:"likes"`
	Comments   int       `json:"comments"`
	ObservedAt time.Time `json:"observed_at"`
}

func (PostStatsObserved) EventType() string { return "PostStatsObserved" }

// PostWithdrawn: the post is gone from the client's official feed of its
// day, as a successful fetch of that client with at least one post of the
// day showed. It leaves that client's task sets; nothing is deleted, and
// the other clients sharing it keep it.
type PostWithdrawn struct {
	Platform string `json:"platform"`
	PostID   string `json:"post_id"`
	ClientID string `json:"client_id"`
	// RunID is the fetch run that found it missing.
	RunID string `json:"run_id,omitempty"`
}

func (PostWithdrawn) EventType() string { return "PostWithdrawn" }

// PostTaggedForRole: an editor made the post a task for a directorate role
// (legacy insta_post_roles / tiktok_post_roles); By is the editor.
type PostTaggedForRole struct {
	Platform string `json:"platform"`
	PostID   string `json:"post_id"`
	Role     string `json:"role"`
	By       string `json:"by"`
}

func (PostTaggedForRole) EventType() string { return "PostTaggedForRole" }

// PostUntaggedForRole: the role tag was removed.
type PostUntaggedForRole struct {
	Platform string `json:"platform"`
	PostID   string `json:"post_id"`
	Role     string `json:"role"`
	By       string `json:"by"`
}

func (PostUntaggedForRole) EventType() string { return "PostUntaggedForRole" }

// LikesRecorded: the accounts that liked the post and had not been seen
// liking it before, first seen at ObservedAt, in the fetch window
// [WindowStart, WindowEnd]. A fetch that finds nobody new records nothing.
// Likes are never removed. Exempt personnel are never injected: only real
// likers are facts.
type LikesRecorded struct {
	Platform    string    `json:"platform"`
	PostID      string    `json:"post_id"`
	Usernames   []string  `json:"usernames"`
	ObservedAt  time.Time `json:"observed_at"`
	WindowStart time.Time `json:"window_start"`
	WindowEnd   time.Time `json:"window_end"`
}

func (LikesRecorded) EventType() string { return "LikesRecorded" }

// CommentsRecorded: the accounts that commented on the post and had not
// been seen commenting before, first seen at ObservedAt.
type CommentsRecorded struct {
	Platform    string    `json:"platform"`
	PostID      string    `json:"post_id"`
	Usernames   []string  `json:"usernames"`
	ObservedAt  time.Time `json:"observed_at"`
	WindowStart time.Time `json:"window_start"`
	WindowEnd   time.Time `json:"window_end"`
}

func (CommentsRecorded) EventType() string { return "CommentsRecorded" }

// ProfileObserved: a fetch saw the account's profile differ from what was
// last recorded (only changes are recorded).
type ProfileObserved struct {
	Platform   string    `json:"platform"`
	Username   string    `json:"username"`
	FullName   string    `json:"full_name"`
	Bio        string    `json:"bio"`
	Followers  int       `json:"followers"`
	Following  int       `json:"following"`
	Posts      int       `json:"posts"`
	AvatarURL  string    `json:"avatar_url"`
	Verified   bool      `json:"verified"`
	ExternalID string    `json:"external_id,omitempty"` // IG pk, TikTok secUid
	ObservedAt time.Time `json:"observed_at"`
}

func (ProfileObserved) EventType() string { return "ProfileObserved" }

// FetchRunCompleted: one fetch of one client's platform finished: which host
// answered, what was found and recorded, what failed and why, how long it
// took. For auditors and /ops.
type FetchRunCompleted struct {
	RunID      string    `json:"run_id"`
	ClientID   string    `json:"client_id"`
	Platform   string    `json:"platform"`
	HostUsed   string    `json:"host_used"`
	Posts      int       `json:"posts"`     // posts of the day in the feed
	Ingested   int       `json:"ingested"`  // of which new to the client
	Withdrawn  int       `json:"withdrawn"` // posts withdrawn for the client
	Likes      int       `json:"likes"`     // new likers recorded
	Comments   int       `json:"comments"`  // new commenters recorded
	Failures   int       `json:"failures"`
	Errors     []string  `json:"errors,omitempty"`
	StartedAt  time.Time `json:"started_at"`
	FinishedAt time.Time `json:"finished_at"`
	// Succeeded is false when the feed itself could not be read: then no
	// post was withdrawn.
	Succeeded bool `json:"succeeded"`
}

func (FetchRunCompleted) EventType() string { return "FetchRunCompleted" }

func registerSocial(r *Registry) {
	for _, f := range []func() Payload{
		func() Payload { return &PostIngested{} },
		func() Payload { return &PostStatsObserved{} },
		func() Payload { return &PostWithdrawn{} },
		func() Payload { return &PostTaggedForRole{} },
		func() Payload { return &PostUntaggedForRole{} },
		func() Payload { return &LikesRecorded{} },
		func() Payload { return &CommentsRecorded{} },
		func() Payload { return &ProfileObserved{} },
		func() Payload { return &FetchRunCompleted{} },
	} {
		r.Register(1, f)
	}
}
