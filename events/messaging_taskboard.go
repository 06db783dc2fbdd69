package events

import "time"

// TaskBoardSubject is the subject of one client's task board of one
// Jakarta day (YYYY-MM-DD): the posts its group was last told about.
func TaskBoardSubject(clientID, day string) string {
	return Subject("messaging.taskboard."+EncodeToken(day), clientID)
}

// TaskBoardPost is one post a task board lists: its id (Instagram shortcode
// or TikTok video id), upload instant and engagement count when the board
// was made.
type TaskBoardPost struct {
	ID       string    `json:"id"`
	Uploaded time.Time `json:"uploaded,omitzero"`
	Count    int       `json:"count"`
}

// TaskBoardChanged: the day's task posts of a client changed (a post
// appeared or left either platform's list) since the board last recorded
// for that day, so the client's WhatsApp group is told (spec/social.md
// §5.1, SPEC.md §5.7). Emitted by commands/taskboard after a fetch;
// consumed by the social-task-broadcast saga, which sends Text to
// Recipient unless Suppressed says why not (after 17:15 WIB, no valid
// group). The board, not a process's memory, is the "what changed" state:
// a restart neither re-sends nor misses a change. Text carries the [BARU]
// marks relative to the previous board of the day.
type TaskBoardChanged struct {
	ClientID   string          `json:"client_id"`
	Day        string          `json:"day"`
	At         time.Time       `json:"at"`
	Instagram  []TaskBoardPost `json:"instagram"`
	Tiktok     []TaskBoardPost `json:"tiktok"`
	Text       string          `json:"text"`
	Recipient  string          `json:"recipient,omitempty"`
	Suppressed string          `json:"suppressed,omitempty"`
}

func (TaskBoardChanged) EventType() string { return "TaskBoardChanged" }

func registerTaskBoard(r *Registry) {
	r.Register(1, func() Payload { return &TaskBoardChanged{} })
}
