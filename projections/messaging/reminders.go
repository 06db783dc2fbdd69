// Package messaging holds the MESSAGING context's read models: the
// personal reminders' state (spec/ops.md §5.6), advanced by deliveries.
package messaging

import (
	"context"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// RemindersName is the reminders projection's name.
const RemindersName = "messaging_reminders"

// ReminderKind is the MessageQueued kind of a personal reminder; its Meta
// carries MetaDate (Jakarta YYYY-MM-DD), MetaChat, MetaClient, MetaStage
// (0–3) and MetaComplete ("true"/"false").
const (
	ReminderKind = "wa-reminder"
	MetaDate     = "date"
	MetaChat     = "chat"
	MetaClient   = "client"
	MetaStage    = "stage"
	MetaComplete = "complete"
)

// queuedSaga is the saga that sends queued messages (sagas/outgoing
// QueuedName): only its deliveries are reminders'.
const queuedSaga = "messaging-queued"

// Reminders is the read model of the reminders' state:
// wa_reminder_messages (each queued reminder) and wa_reminder_state (the
// stage each chat reached per client and day). A reminder moves the state
// only once its delivery is recorded, never backwards: a completed day
// stays completed.
type Reminders struct{ reg *events.Registry }

var _ projections.Projection = (*Reminders)(nil)

// NewReminders builds the projection; reg decodes event bodies.
func NewReminders(reg *events.Registry) *Reminders { return &Reminders{reg: reg} }

// Name implements projections.Projection.
func (*Reminders) Name() string { return RemindersName }

// Streams implements projections.Projection.
func (*Reminders) Streams() []string { return []string{"MESSAGING"} }

// Tables implements projections.Projection.
func (*Reminders) Tables() []string { return []string{"wa_reminder_messages", "wa_reminder_state"} }

// EventTypes implements projections.Projection.
func (*Reminders) EventTypes() []string {
	return events.Types(events.MessageQueued{}, events.MessageDelivered{})
}

type reminderRow struct {
	date, chat, client string
	stage              int
	complete           bool
}

// Apply implements projections.Projection.
func (r *Reminders) Apply(ctx context.Context, tx pgx.Tx, t projections.Tables, batch []events.Envelope) error {
	queued := map[string]reminderRow{}
	for i := range batch {
		env := &batch[i]
		if env.Type != "MessageQueued" && env.Type != "MessageDelivered" {
			continue
		}
		ev, err := r.reg.Decode(env)
		if err != nil {
			return fmt.Errorf("%s: %w", RemindersName, err)
		}
		switch e := ev.(type) {
		case *events.MessageQueued:
			if e.Kind != ReminderKind {
				continue
			}
			row, ok := rowOf(e.Meta)
			if !ok {
				continue
			}
			queued[env.ID] = row
			if _, err := tx.Exec(ctx, `INSERT INTO `+t["wa_reminder_messages"]+`
				(event_id, date_key, chat_id, client_id, stage, complete) VALUES ($1, $2::date, $3, $4, $5, $6)
				ON CONFLICT DO NOTHING`, env.ID, row.date, row.chat, row.client, row.stage, row.complete); err != nil {
				return fmt.Errorf("%s: %w", RemindersName, err)
			}
		case *events.MessageDelivered:
			if e.Saga != queuedSaga {
				continue
			}
			if err := r.delivered(ctx, tx, t, queued, e.EventID, env.RecordedAt); err != nil {
				return err
			}
		}
	}
	return nil
}

func rowOf(meta map[string]string) (reminderRow, bool) {
	stage, err := strconv.Atoi(meta[MetaStage])
	if err != nil || stage < 0 || stage > 3 || meta[MetaDate] == "" || meta[MetaChat] == "" || meta[MetaClient] == "" {
		return reminderRow{}, false
	}
	return reminderRow{date: meta[MetaDate], chat: meta[MetaChat], client: meta[MetaClient], stage: stage,
		complete: meta[MetaComplete] == "true"}, true
}

// delivered advances the state of a delivered reminder.
func (r *Reminders) delivered(ctx context.Context, tx pgx.Tx, t projections.Tables, queued map[string]reminderRow,
	eventID string, at any) error {
	row, ok := queued[eventID]
	if !ok {
		var date string
		err := tx.QueryRow(ctx, `SELECT date_key::text, chat_id, client_id, stage, complete FROM `+t["wa_reminder_messages"]+`
			WHERE event_id = $1`, eventID).Scan(&date, &row.chat, &row.client, &row.stage, &row.complete)
		if err == pgx.ErrNoRows {
			return nil // not a reminder
		}
		if err != nil {
			return fmt.Errorf("%s: %w", RemindersName, err)
		}
		row.date = date
	}
	stage := row.stage
	if row.complete {
		stage = 3
	}
	_, err := tx.Exec(ctx, `INSERT INTO `+t["wa_reminder_state"]+` AS s
		(date_key, chat_id, client_id, last_stage, is_complete, updated_at) VALUES ($1::date, $2, $3, $4, $5, $6)
		ON CONFLICT (date_key, chat_id, client_id) DO UPDATE SET
			is_complete = s.is_complete OR EXCLUDED.is_complete,
			last_stage = CASE WHEN s.is_complete OR EXCLUDED.is_complete THEN 3
				ELSE greatest(s.last_stage, EXCLUDED.last_stage) END,
			updated_at = EXCLUDED.updated_at`, row.date, row.chat, row.client, stage, row.complete, at)
	if err != nil {
		return fmt.Errorf("%s: %w", RemindersName, err)
	}
	return nil
}

// ReminderState is one chat's stage for a client on a day.
type ReminderState struct {
	Chat, Client string
	Stage        int
	Complete     bool
}

// Queries reads the reminders' state.
type Queries struct{ db projections.Querier }

// NewQueries reads through db.
func NewQueries(db projections.Querier) *Queries { return &Queries{db: db} }

// ReminderStates lists the state of every chat reminded on the Jakarta day.
func (q *Queries) ReminderStates(ctx context.Context, day string) ([]ReminderState, error) {
	rows, err := q.db.Query(ctx, `SELECT chat_id, client_id, last_stage, is_complete FROM wa_reminder_state
		WHERE date_key = $1::date ORDER BY chat_id, client_id`, day)
	if err != nil {
		return nil, fmt.Errorf("reminder states of %s: %w", day, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ReminderState, error) {
		var s ReminderState
		return s, r.Scan(&s.Chat, &s.Client, &s.Stage, &s.Complete)
	})
	if err != nil {
		return nil, fmt.Errorf("reminder states of %s: %w", day, err)
	}
	return out, nil
}
