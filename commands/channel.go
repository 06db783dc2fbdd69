package commands

import "context"

// Channels a command can arrive through; the envelope records it (header
// Cicero-Channel) so an auditor sees how a change was made, not only who
// made it.
const (
	ChannelHTTP     = "http"
	ChannelCLI      = "cli"
	ChannelWhatsApp = "whatsapp"
	ChannelSchedule = "schedule"
	ChannelSaga     = "saga"
)

type channelKey struct{}

// WithChannel marks ctx as serving commands that arrived through channel.
// The edge of each channel sets it once (the /api router, the CLI's job
// and import commands, the scheduler, the WhatsApp adapter), so handlers
// need not name it; work started in the background (a job launched over
// HTTP or from a chat) carries its caller's. The admin CLI names it in
// each command's Meta, and the dispatcher records deliveries as the saga
// channel's.
func WithChannel(ctx context.Context, channel string) context.Context {
	return context.WithValue(ctx, channelKey{}, channel)
}

// ChannelFrom is the channel WithChannel put in ctx ("" when none).
func ChannelFrom(ctx context.Context) string {
	s, _ := ctx.Value(channelKey{}).(string)
	return s
}
