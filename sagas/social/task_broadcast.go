package social

import (
	"time"

	"github.com/cicero/cicero/commands/taskboard"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/sagas"
)

// TaskBroadcastName names the task broadcast saga.
const TaskBroadcastName = "social-task-broadcast"

// taskBroadcastMaxAge: a board is about one day's posts; one not sent
// within the day is stale, and a saga started late or replaying history
// skips it.
const taskBroadcastMaxAge = 12 * time.Hour

// TaskBroadcast sends each recorded task board (TaskBoardChanged) to the
// client's WhatsApp group through the fallback chain (gateway first, no
// session named), unless the board says why it was not to be sent.
func TaskBroadcast() sagas.Saga {
	return sagas.Saga{
		Name:       TaskBroadcastName,
		Streams:    []string{"MESSAGING"},
		EventTypes: events.Types(events.TaskBoardChanged{}),
		MaxAge:     taskBroadcastMaxAge,
		Decide: func(_ events.Envelope, p events.Payload) []sagas.Message {
			e, ok := p.(*events.TaskBoardChanged)
			if !ok || e.Suppressed != "" || e.Recipient == "" || e.Text == "" {
				return nil
			}
			content := sagas.Content{Text: e.Text}
			// Delivery, like recording, stops at the day's 17:15 cut-off:
			// a board recorded at 17:10 while WhatsApp is down is not sent
			// to the group in the evening.
			if cut, err := taskboard.CutoffOf(e.Day); err == nil {
				content.NotAfter = &cut
			}
			return []sagas.Message{{Channel: sagas.ChannelWhatsApp, Recipient: e.Recipient, Content: content}}
		},
	}
}
