package main

import (
	"context"
	"net/http"

	"go.mau.fi/whatsmeow/types/events"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/whatsapp"
)

// commandChannel marks every request's context with the channel its
// commands arrive through, so the events' envelopes record it
// (Cicero-Channel) without each handler naming it.
func commandChannel(channel string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r.WithContext(commands.WithChannel(r.Context(), channel)))
		})
	}
}

// scheduledChannel makes the commands of a job's run carry the schedule
// channel unless its caller already named one.
func scheduledChannel(j schedule.Job) schedule.Job {
	run := j.Run
	j.Run = func(ctx context.Context, args schedule.Args) error {
		if commands.ChannelFrom(ctx) == "" {
			ctx = commands.WithChannel(ctx, commands.ChannelSchedule)
		}
		return run(ctx, args)
	}
	return j
}

// whatsappChannel makes the commands an inbound WhatsApp message leads to
// carry the whatsapp channel.
func whatsappChannel(h whatsapp.MessageHandler) whatsapp.MessageHandler {
	return whatsapp.MessageHandlerFunc(func(ctx context.Context, session string, evt *events.Message) {
		h.HandleWhatsAppMessage(commands.WithChannel(ctx, commands.ChannelWhatsApp), session, evt)
	})
}
