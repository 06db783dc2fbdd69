package jobs

import (
	"context"
	"fmt"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/taskboard"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/internal/waid"
	"github.com/cicero/cicero/projections/recap"
)

// BoardReader reads what a task board lists (projections/recap.Reader).
type BoardReader interface {
	Client(ctx context.Context, id string) (recap.Client, error)
	Posts(ctx context.Context, clientID, platform, day string) ([]recaptext.Post, error)
	TaskPosts(ctx context.Context, c recap.Client, platform, from, to string, engagers bool) (
		[]recaptext.Post, map[string]map[string]bool, error)
}

// TaskBroadcast posts a client's task board after a fetch (spec/ops.md
// §5.5 step 5): the day's posts of its own feed (for a directorate also
// the posts tagged for its role: its task set, SPEC.md §5.4) with their
// counts, read
// once the read models hold what the fetch appended. The board
// (commands/taskboard) decides whether the posts changed and records the
// broadcast; the social-task-broadcast saga sends it.
type TaskBroadcast struct {
	Read   BoardReader
	Boards *taskboard.Handlers
	// CatchUp waits until the read models hold every event appended so
	// far (nil: don't wait).
	CatchUp func(ctx context.Context) error
	Now     func() time.Time
}

// Broadcast posts the client's board of the current Jakarta day. The group
// of an inactive client, or of one with Instagram and TikTok both off, is
// never told (its board is recorded, suppressed, with no recipient).
func (b *TaskBroadcast) Broadcast(ctx context.Context, clientID string) error {
	if b.CatchUp != nil {
		if err := b.CatchUp(ctx); err != nil {
			return fmt.Errorf("task board %s: read models: %w", clientID, err)
		}
	}
	now := time.Now()
	if b.Now != nil {
		now = b.Now()
	}
	c, err := b.Read.Client(ctx, clientID)
	if err != nil {
		return fmt.Errorf("task board %s: %w", clientID, err)
	}
	day := jakarta.Date(now)
	// Only the groups of active clients with Instagram or TikTok on are
	// told (the old fetch's clients); a client fetched because
	// amplification is on, with both off, is not.
	cmd := taskboard.PostBoard{Client: c.Client, Day: day, At: now, Inactive: !c.Active || !(c.InstaOn || c.TiktokOn)}
	if !cmd.Inactive {
		cmd.Group = firstGroup(c.Group)
	}
	for _, pl := range []string{events.PlatformInstagram, events.PlatformTiktok} {
		var posts []recaptext.Post
		if c.Directorate() {
			posts, _, err = b.Read.TaskPosts(ctx, c, pl, day, day, false)
		} else {
			posts, err = b.Read.Posts(ctx, c.ID, pl, day)
		}
		if err != nil {
			return fmt.Errorf("task board %s: %w", clientID, err)
		}
		board := make([]events.TaskBoardPost, len(posts))
		for i, p := range posts {
			board[i] = events.TaskBoardPost{ID: p.ID, Uploaded: p.Uploaded, Count: p.Count}
		}
		if pl == events.PlatformInstagram {
			cmd.Instagram = board
		} else {
			cmd.Tiktok = board
		}
	}
	if _, err := b.Boards.PostBoard(ctx, commands.Meta{Actor: "system:" + SocialFetchJob}, cmd); err != nil {
		return fmt.Errorf("task board %s: %w", clientID, err)
	}
	return nil
}

// firstGroup is the first valid group JID of a client_group field (the
// old fetch normalised the field as one group id).
func firstGroup(field string) string {
	for _, g := range waid.Split(field) {
		if j := waid.GroupJID(g); j != "" {
			return j
		}
	}
	return ""
}
