// Package taskboard is the task-board aggregate of the MESSAGING context:
// what one client's WhatsApp group was last told about the day's task
// posts (subject messaging.taskboard.<day>.<client>). After a fetch the
// job posts the day's posts here; the board records a TaskBoardChanged,
// with the broadcast's text, only when the posts listed changed since the
// board of the day last recorded (spec/ops.md §5.5 step 5, SPEC.md §5.7).
// The social-task-broadcast saga sends it. Because the state lives in the
// events, a restart neither re-sends nor misses a change.
package taskboard

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/internal/recaptext"
)

// Cutoff is the Jakarta time of day from which the group is no longer
// told (spec/ops.md §5.5: fetching goes on, delivery is suppressed).
const (
	CutoffHour   = 17
	CutoffMinute = 15
)

// CutoffOf is the cut-off instant of a Jakarta day ("YYYY-MM-DD"): a
// broadcast not sent by then is not sent at all.
func CutoffOf(day string) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, day, jakarta.Location)
	if err != nil {
		return time.Time{}, err
	}
	return d.Add(CutoffHour*time.Hour + CutoffMinute*time.Minute), nil
}

// Reasons a board is recorded without a message.
const (
	SuppressedLate     = "setelah 17:15 WIB: pengiriman ke grup dihentikan"
	SuppressedNoGroup  = "client_group kosong atau tidak valid"
	SuppressedInactive = "client tidak aktif atau Instagram dan TikTok nonaktif"
)

// PostBoard posts the client's task posts of Day (in task order, with their
// engagement counts at At) → TaskBoardChanged when the set of Instagram or
// TikTok posts differs from the day's last board (a first board of the day
// differs when it lists any post). Group is the client's normalised group
// JID ("" when it has none, recorded as suppressed). Inactive says the
// client is not one whose group the fetch tells: inactive, or with both
// Instagram and TikTok off (spec/ops.md §5.5: the old fetch worked only for
// active clients with either on); its board is recorded as suppressed.
// Refusals: Invalid client_id, day, at.
type PostBoard struct {
	Client    recaptext.Client
	Day       string
	At        time.Time
	Instagram []events.TaskBoardPost
	Tiktok    []events.TaskBoardPost
	Group     string
	Inactive  bool
}

// board is the day's last recorded board: the ids it listed.
type board struct {
	ig, tt []string
}

func idsOf(ps []events.TaskBoardPost) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = p.ID
	}
	return out
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

func setOf(ids []string) map[string]bool {
	m := make(map[string]bool, len(ids))
	for _, id := range ids {
		m[id] = true
	}
	return m
}

func (cmd PostBoard) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	id := normalize.ClientID(cmd.Client.ID)
	if id == "" {
		return nil, apperr.Invalidf("client_id", "client_id wajib diisi")
	}
	if _, err := time.Parse(time.DateOnly, cmd.Day); err != nil {
		return nil, apperr.Invalidf("day", "day harus YYYY-MM-DD")
	}
	if cmd.At.IsZero() {
		return nil, apperr.Invalidf("at", "at wajib diisi")
	}
	subject := events.TaskBoardSubject(id, cmd.Day)
	last, v, err := commands.Fold(ctx, l, subject, func() board { return board{} }, func(b *board, env *events.Envelope) error {
		p, err := l.Registry().Decode(env)
		if err != nil {
			return err
		}
		if e, ok := p.(*events.TaskBoardChanged); ok {
			*b = board{ig: idsOf(e.Instagram), tt: idsOf(e.Tiktok)}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	ig, tt := idsOf(cmd.Instagram), idsOf(cmd.Tiktok)
	if sameSet(ig, last.ig) && sameSet(tt, last.tt) {
		return nil, nil
	}
	cmd.Client.ID = id
	ev := events.TaskBoardChanged{ClientID: id, Day: cmd.Day, At: cmd.At.UTC(),
		Instagram: slices.Clone(cmd.Instagram), Tiktok: slices.Clone(cmd.Tiktok), Recipient: strings.TrimSpace(cmd.Group),
		Text: recaptext.TaskMessage(recaptext.TaskBroadcast{Client: cmd.Client, Instagram: postsOf(cmd.Instagram),
			Tiktok: postsOf(cmd.Tiktok), Previous: &recaptext.BroadcastState{Instagram: setOf(last.ig), Tiktok: setOf(last.tt)}})}
	switch {
	case late(cmd.At):
		ev.Suppressed = SuppressedLate
	case cmd.Inactive:
		ev.Suppressed, ev.Recipient = SuppressedInactive, ""
	case ev.Recipient == "":
		ev.Suppressed = SuppressedNoGroup
	}
	return []events.Commit{{Subject: subject, AggregateID: id + "/" + cmd.Day, Expected: v,
		Events: []events.Payload{ev}}}, nil
}

// late reports a Jakarta time at or after the cut-off.
func late(at time.Time) bool {
	j := at.In(jakarta.Location)
	return j.Hour() > CutoffHour || (j.Hour() == CutoffHour && j.Minute() >= CutoffMinute)
}

func postsOf(ps []events.TaskBoardPost) []recaptext.Post {
	out := make([]recaptext.Post, len(ps))
	for i, p := range ps {
		out[i] = recaptext.Post{ID: p.ID, Uploaded: p.Uploaded, Count: p.Count}
	}
	return out
}

// Handlers runs the task-board command.
type Handlers struct{ rt *commands.Runtime }

// NewHandlers returns the task-board handlers over rt.
func NewHandlers(rt *commands.Runtime) *Handlers { return &Handlers{rt: rt} }

// PostBoard → TaskBoardChanged (nothing when the day's posts are those of
// the last board).
func (h *Handlers) PostBoard(ctx context.Context, meta commands.Meta, cmd PostBoard) (commands.Outcome, error) {
	return h.rt.Handle(ctx, "taskboard.PostBoard", meta, cmd.decide)
}
