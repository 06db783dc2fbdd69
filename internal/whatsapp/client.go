package whatsapp

import (
	"context"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
)

// Client is what the manager uses of a connected session: the methods of
// *whatsmeow.Client it calls to send. Connecting, pairing and logging out
// use *whatsmeow.Client itself (they need a live WhatsApp).
type Client interface {
	SendMessage(ctx context.Context, to types.JID, message *waE2E.Message, extra ...whatsmeow.SendRequestExtra) (whatsmeow.SendResponse, error)
	Upload(ctx context.Context, plaintext []byte, mediaType whatsmeow.MediaType) (whatsmeow.UploadResponse, error)
	IsOnWhatsApp(ctx context.Context, phones []string) ([]types.IsOnWhatsAppResponse, error)
	IsConnected() bool
	IsLoggedIn() bool
}

var _ Client = (*whatsmeow.Client)(nil)
