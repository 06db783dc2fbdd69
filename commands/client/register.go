package client

import (
	"context"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// RegisterClient creates a client. client_id is trimmed and upper-cased and
// required; nama is required and kept as given (trimmed); client_type is
// lower-cased, blank means org, and must be org, direktorat, polda or satker;
// handles are stored lower-case without '@' (profile links accepted); the
// three statuses default to true; client_operator is stored like a WhatsApp
// number (62…); regional_id and parent_client_id are upper-cased, and a
// parent must be a registered client.
// Refusals: Invalid (field named), Conflict "client_id sudah terdaftar".
type RegisterClient struct {
	ClientID       string `json:"client_id"`
	Nama           string `json:"nama"`
	ClientType     string `json:"client_type"`
	ClientInsta    string `json:"client_insta"`
	ClientTiktok   string `json:"client_tiktok"`
	InstaStatus    *bool  `json:"client_insta_status"`
	TiktokStatus   *bool  `json:"client_tiktok_status"`
	AmplifyStatus  *bool  `json:"client_amplify_status"`
	ClientOperator string `json:"client_operator"`
	ClientGroup    string `json:"client_group"`
	RegionalID     string `json:"regional_id"`
	ParentClientID string `json:"parent_client_id"`
	ClientLevel    string `json:"client_level"`
	TiktokSecUID   string `json:"tiktok_secuid"`
	ClientSuper    string `json:"client_super"`
}

func (cmd RegisterClient) event() (events.ClientRegistered, error) {
	var (
		ev  events.ClientRegistered
		err error
	)
	if ev.ClientID, err = clientID(cmd.ClientID); err != nil {
		return ev, err
	}
	if ev.Nama, err = nama(cmd.Nama); err != nil {
		return ev, err
	}
	if ev.ClientType, err = clientType(cmd.ClientType); err != nil {
		return ev, err
	}
	if ev.ClientInsta, err = insta(cmd.ClientInsta); err != nil {
		return ev, err
	}
	if ev.ClientTiktok, err = tiktok(cmd.ClientTiktok); err != nil {
		return ev, err
	}
	if ev.ClientOperator, err = operator(cmd.ClientOperator); err != nil {
		return ev, err
	}
	ev.InstaStatus = boolOr(cmd.InstaStatus, true)
	ev.TiktokStatus = boolOr(cmd.TiktokStatus, true)
	ev.AmplifyStatus = boolOr(cmd.AmplifyStatus, true)
	ev.ClientGroup = strings.TrimSpace(cmd.ClientGroup)
	ev.RegionalID = normalize.ClientID(cmd.RegionalID)
	ev.ParentClientID = normalize.ClientID(cmd.ParentClientID)
	ev.ClientLevel = strings.TrimSpace(cmd.ClientLevel)
	ev.TiktokSecUID = strings.TrimSpace(cmd.TiktokSecUID)
	ev.ClientSuper = strings.TrimSpace(cmd.ClientSuper)
	return ev, nil
}

func (cmd RegisterClient) decide(ctx context.Context, l *commands.Loader) ([]events.Commit, error) {
	ev, err := cmd.event()
	if err != nil {
		return nil, err
	}
	c, v, err := Load(ctx, l, ev.ClientID)
	if err != nil {
		return nil, err
	}
	if c.Registered {
		return nil, &apperr.Error{Code: apperr.Conflict, Field: "client_id", Message: msgClientExists}
	}
	if err := checkParent(ctx, l, ev.ClientID, ev.ParentClientID); err != nil {
		return nil, err
	}
	return c.commit(v, ev), nil
}

func boolOr(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}
