package whatsapp

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"go.mau.fi/whatsmeow"
	"go.mau.fi/whatsmeow/proto/waE2E"
	"go.mau.fi/whatsmeow/types"
	"google.golang.org/protobuf/proto"
)

// Outgoing is one message to send.
type Outgoing struct {
	// Session picks the session (SessionMain, SessionUser,
	// SessionGateway); empty takes the first ready one of Sessions.
	Session string
	// Recipient is a user or group address (ParseRecipient).
	Recipient string
	// Text is the message, or the document's caption.
	Text string
	// Document, when set, is uploaded and sent as a document.
	Document *Document
}

// Document is a file sent as a WhatsApp document.
type Document struct {
	FileName string
	MimeType string
	Data     []byte
}

// MessageID is the WhatsApp message id a send with idempotencyKey gets: the
// same key always yields the same id, so a resend after a crash carries the
// id of the first attempt and the recipient's devices drop the copy. Its
// shape is whatsmeow's Client.GenerateMessageID ("3EB0" and 18 upper-case
// hex digits of a SHA-256), so it looks like any WhatsApp Web id; the key
// itself does not leak into it.
func MessageID(idempotencyKey string) types.MessageID {
	sum := sha256.Sum256([]byte("cicero-whatsapp-message:" + idempotencyKey))
	return whatsmeow.WebMessageIDPrefix + types.MessageID(strings.ToUpper(hex.EncodeToString(sum[:9])))
}

// TextMessage is a plain text message (what WhatsApp clients send for text
// without quote or preview).
func TextMessage(text string) *waE2E.Message {
	return &waE2E.Message{Conversation: proto.String(text)}
}

// DocumentMessage is a document message for an uploaded file, with caption.
func DocumentMessage(up whatsmeow.UploadResponse, d Document, caption string) *waE2E.Message {
	doc := &waE2E.DocumentMessage{
		URL:           proto.String(up.URL),
		DirectPath:    proto.String(up.DirectPath),
		MediaKey:      up.MediaKey,
		FileEncSHA256: up.FileEncSHA256,
		FileSHA256:    up.FileSHA256,
		FileLength:    proto.Uint64(up.FileLength),
		Mimetype:      proto.String(mimeType(d)),
		FileName:      proto.String(d.FileName),
		Title:         proto.String(d.FileName),
	}
	if caption != "" {
		doc.Caption = proto.String(caption)
	}
	return &waE2E.Message{DocumentMessage: doc}
}

// mimeType is the document's type, application/octet-stream when unknown
// (WhatsApp refuses a document without one).
func mimeType(d Document) string {
	if d.MimeType != "" {
		return d.MimeType
	}
	return "application/octet-stream"
}

// check refuses a message with nothing to send.
func (out Outgoing) check() error {
	if out.Document == nil && strings.TrimSpace(out.Text) == "" {
		return permanent(fmt.Errorf("whatsapp: empty message"))
	}
	if out.Document != nil && len(out.Document.Data) == 0 {
		return permanent(fmt.Errorf("whatsapp: empty document"))
	}
	return nil
}

// build makes the message for out, uploading its document through c.
func build(ctx context.Context, c Client, out Outgoing) (*waE2E.Message, error) {
	if err := out.check(); err != nil {
		return nil, err
	}
	if out.Document == nil {
		return TextMessage(out.Text), nil
	}
	up, err := c.Upload(ctx, out.Document.Data, whatsmeow.MediaDocument)
	if err != nil {
		return nil, fmt.Errorf("upload document: %w", err)
	}
	return DocumentMessage(up, *out.Document, out.Text), nil
}
