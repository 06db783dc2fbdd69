package importv2

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/commands"
	postcmd "github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/normalize"
)

// oldEngagement is a row of insta_like or tiktok_comment: the post and
// the stored usernames (a JSON array, in one of the legacy shapes).
type oldEngagement struct {
	PostID  string
	Raw     []byte
	Updated *time.Time
}

const (
	reasonEngagementOrphan = "the post was not imported (skipped or missing)"
	reasonEngagementJSON   = "usernames are not a JSON list the old code wrote"
)

func (im *Importer) importLikes(ctx context.Context, t *TableReport) error {
	return im.importEngagements(ctx, t, events.PlatformInstagram, "insta_like", "shortcode", "likes")
}

func (im *Importer) importComments(ctx context.Context, t *TableReport) error {
	return im.importEngagements(ctx, t, events.PlatformTiktok, "tiktok_comment", "video_id", "comments")
}

// importEngagements issues one LikesRecorded (Instagram) or
// CommentsRecorded (TikTok) per post carrying the stored usernames,
// normalised; the decision records only names not recorded yet, so a
// rerun after new likes appended there records just those.
func (im *Importer) importEngagements(ctx context.Context, t *TableReport, platform, table, idCol, listCol string) error {
	n, err := im.src.Count(ctx, table)
	if err != nil {
		return fmt.Errorf("count %s: %w", table, err)
	}
	rows, err := im.src.Query(ctx, fmt.Sprintf(`SELECT e.%s, e.%s::text, %s FROM %s e ORDER BY e.%s`,
		idCol, listCol, im.src.col(table, "e", "updated_at", "timestamp"), table, idCol))
	if err != nil {
		return fmt.Errorf("read %s: %w", table, err)
	}
	im.progress.Start(table, n)
	scan := func(r pgx.Rows) (oldEngagement, error) {
		var e oldEngagement
		var raw *string
		if err := r.Scan(&e.PostID, &raw, &e.Updated); err != nil {
			return e, err
		}
		if raw != nil {
			e.Raw = []byte(*raw)
		}
		return e, nil
	}
	return stream(ctx, im, rows, scan, func(ctx context.Context, e oldEngagement) error {
		im.read(t, 1)
		return im.importEngagement(ctx, t, platform, table, e)
	})
}

func (im *Importer) importEngagement(ctx context.Context, t *TableReport, platform, table string, e oldEngagement) error {
	key := e.PostID
	published, ok := im.posts.published(platform, e.PostID)
	if !ok {
		im.skip(t, reasonEngagementOrphan, key)
		return nil
	}
	// A list without its time is dated by its post (a fixed time keeps the
	// command's content, and so its id, the same on every run).
	at := published
	if e.Updated != nil && plausible(*e.Updated) {
		at = wall(*e.Updated, im.opts.Clock.Other)
	}
	// The row's gate: the id of its last command, named by the stored
	// bytes as they are. A rerun over an unchanged list is answered by one
	// lookup, without parsing and hashing a thousand names (on 3,000,000
	// likes that was most of a no-change run). Being the last command, it
	// is logged only once every part before it was recorded.
	sum := sha256.Sum256(e.Raw)
	gate := named(table, key, gateOf{}, gateOf{Sum: hex.EncodeToString(sum[:]), At: at}, at)
	if !im.opts.DryRun {
		if o, seen, err := im.cmdlog.Get(ctx, gate.CommandID); err != nil {
			return fmt.Errorf("command log: %w", err)
		} else if seen {
			skip, _ := refusal(o.Err())
			im.rowDone(t, key, false, skip)
			return nil
		}
	}
	names, ok := Usernames(e.Raw)
	if !ok {
		im.skip(t, reasonEngagementJSON, key)
		return nil
	}
	if len(names) == 0 || im.opts.DryRun {
		im.rowDone(t, key, len(names) > 0, nil)
		return nil
	}
	changed := false
	parts := slices.Collect(slices.Chunk(names, im.opts.MaxUsernames))
	for i, part := range parts {
		var (
			out commands.Outcome
			err error
		)
		if platform == events.PlatformInstagram {
			cmd := postcmd.RecordLikes{Platform: platform, PostID: e.PostID, Usernames: part, ObservedAt: at}
			m := meta(table, key, cmd, at)
			if i == len(parts)-1 {
				m = gate
			}
			out, err = im.exec(ctx, m, func(m commands.Meta) (commands.Outcome, error) {
				o, _, err := im.postsH.RecordLikes(ctx, m, cmd)
				return o, err
			})
		} else {
			cmd := postcmd.RecordComments{Platform: platform, PostID: e.PostID, Usernames: part, ObservedAt: at}
			m := meta(table, key, cmd, at)
			if i == len(parts)-1 {
				m = gate
			}
			out, err = im.exec(ctx, m, func(m commands.Meta) (commands.Outcome, error) {
				o, _, err := im.postsH.RecordComments(ctx, m, cmd)
				return o, err
			})
		}
		skip, fail := refusal(err)
		if fail != nil {
			return fmt.Errorf("%s %s: %w", table, key, fail)
		}
		if skip != nil {
			im.rowDone(t, key, false, skip)
			return nil
		}
		changed = im.fresh(t, out) || changed
	}
	im.rowDone(t, key, changed, nil)
	return nil
}

// gateOf names an engagement row's gate: its stored bytes and time.
type gateOf struct {
	Sum string    `json:"sum"`
	At  time.Time `json:"at"`
}

// Usernames reads a stored likes/comments list in any shape the old code
// wrote or read (spec social.md §1.3–1.4): a JSON array of usernames
// (Instagram lower-case without '@', TikTok with '@'), an array of
// objects with "username", or a JSON string holding such an array. The
// names come back trimmed, without '@', lower-cased, once each, in order.
func Usernames(raw []byte) ([]string, bool) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, true
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		var inner string
		if err := json.Unmarshal(raw, &inner); err != nil {
			return nil, false
		}
		return Usernames([]byte(inner))
	}
	seen := map[string]bool{}
	var out []string
	for _, it := range items {
		var name string
		if err := json.Unmarshal(it, &name); err != nil {
			var obj struct {
				Username string `json:"username"`
			}
			if err := json.Unmarshal(it, &obj); err != nil {
				return nil, false
			}
			name = obj.Username
		}
		name = normalize.Handle(name) // the rule RecordLikes/RecordComments record by
		if name != "" && !seen[name] {
			seen[name] = true
			out = append(out, name)
		}
	}
	return out, true
}
