package client

import (
	"context"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// Messages of the client commands (Indonesian, as the legacy API spoke).
const (
	msgClientIDRequired = "client_id wajib diisi"
	msgClientExists     = "client_id sudah terdaftar"
	msgClientNotFound   = "client tidak ditemukan"
	msgNamaRequired     = "nama wajib diisi"
	msgTypeInvalid      = "client_type tidak valid"
	msgInstaInvalid     = "Format username Instagram tidak valid. Gunakan tautan profil atau username seperti instagram.com/username atau @username."
	msgTiktokInvalid    = "Format username TikTok tidak valid. Gunakan tautan profil atau username seperti tiktok.com/@username atau @username."
	msgOperatorInvalid  = "client_operator tidak valid"
	msgParentNotFound   = "parent_client_id tidak ditemukan"
	msgParentInvalid    = "parent_client_id tidak valid"
)

// maxParentDepth bounds the walk up the client hierarchy (mabes → polda →
// satker is three levels; anything deeper than this is a data error).
const maxParentDepth = 32

func invalid(field, msg string) error {
	return &apperr.Error{Code: apperr.Invalid, Field: field, Message: msg}
}

func clientID(s string) (string, error) {
	id := normalize.ClientID(s)
	if id == "" {
		return "", invalid("client_id", msgClientIDRequired)
	}
	return id, nil
}

func nama(s string) (string, error) {
	n := strings.TrimSpace(s)
	if n == "" {
		return "", invalid("nama", msgNamaRequired)
	}
	return n, nil
}

func clientType(s string) (string, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return TypeOrg, nil
	}
	if !clientTypes[t] {
		return "", invalid("client_type", msgTypeInvalid)
	}
	return t, nil
}

func insta(s string) (string, error) {
	h, ok := normalize.InstagramHandle(s)
	if !ok {
		return "", invalid("client_insta", msgInstaInvalid)
	}
	return h, nil
}

func tiktok(s string) (string, error) {
	h, ok := normalize.TiktokHandle(s)
	if !ok {
		return "", invalid("client_tiktok", msgTiktokInvalid)
	}
	return h, nil
}

func operator(s string) (string, error) {
	n := normalize.WhatsApp(s)
	if n != "" && !normalize.ValidWhatsApp(n) {
		return "", invalid("client_operator", msgOperatorInvalid)
	}
	return n, nil
}

// checkParent makes sure parent exists and that making it self's parent
// does not close a loop in the hierarchy. It reads the parents' own
// subjects, never a read model.
func checkParent(ctx context.Context, l *commands.Loader, self, parent string) error {
	if parent == "" {
		return nil
	}
	id := parent
	for depth := 0; depth < maxParentDepth; depth++ {
		if id == self {
			return invalid("parent_client_id", msgParentInvalid)
		}
		c, _, err := Load(ctx, l, id)
		if err != nil {
			return err
		}
		if !c.Registered {
			if depth == 0 {
				return invalid("parent_client_id", msgParentNotFound)
			}
			return nil
		}
		if c.ParentClientID == "" {
			return nil
		}
		id = c.ParentClientID
	}
	return invalid("parent_client_id", msgParentInvalid)
}
