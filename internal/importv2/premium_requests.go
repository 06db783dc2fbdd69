package importv2

import (
	"context"
	"fmt"
	"time"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/personnelpremium"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/internal/normalize"
)

// oldPremiumRequest is a row of dashboard_premium_request.
type oldPremiumRequest struct {
	ID, Token, UserID, ClientID, WhatsApp, Bank, Account, Sender, Amount, Tier, Proof, Status string
	SubscriptionExpires, Expired                                                              *time.Time
	Created                                                                                   *time.Time
}

const reasonRequestClosed = "request already answered or expired: history stays in the old database"

// importPremiumRequests brings the dashboard premium requests still
// waiting for an admin (pending, or confirmed with a proof) with their
// tokens, so an admin's answer by token still finds them; answered or
// expired requests are over and reported.
func (im *Importer) importPremiumRequests(ctx context.Context, t *TableReport) error {
	s := im.src
	c := func(name, typ string) string { return s.col("dashboard_premium_request", "r", name, typ) }
	rows, err := s.Query(ctx, `SELECT r.request_id::text, r.request_token::text, r.dashboard_user_id::text,
		COALESCE(`+c("client_id", "text")+`, ''), COALESCE(`+c("whatsapp", "text")+`, ''), COALESCE(r.bank_name, ''),
		COALESCE(r.account_number, ''), COALESCE(r.sender_name, ''), COALESCE((`+c("transfer_amount", "text")+`)::text, ''),
		COALESCE(`+c("premium_tier", "text")+`, ''), COALESCE(`+c("proof_url", "text")+`, ''), COALESCE(r.status, ''),
		`+c("subscription_expires_at", "timestamptz")+`, `+c("expired_at", "timestamptz")+`, `+c("created_at", "timestamptz")+`
		FROM dashboard_premium_request r ORDER BY r.request_id`)
	if err != nil {
		return fmt.Errorf("read dashboard_premium_request: %w", err)
	}
	var reqs []oldPremiumRequest
	for rows.Next() {
		var r oldPremiumRequest
		if err := rows.Scan(&r.ID, &r.Token, &r.UserID, &r.ClientID, &r.WhatsApp, &r.Bank, &r.Account, &r.Sender, &r.Amount,
			&r.Tier, &r.Proof, &r.Status, &r.SubscriptionExpires, &r.Expired, &r.Created); err != nil {
			rows.Close()
			return fmt.Errorf("read dashboard_premium_request: %w", err)
		}
		reqs = append(reqs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read dashboard_premium_request: %w", err)
	}
	im.read(t, len(reqs))
	now := im.opts.Now()
	im.progress.Start("dashboard_premium_request", len(reqs))
	defer im.progress.Finish()
	for _, r := range reqs {
		im.progress.Add(1)
		open := (r.Status == "pending" || r.Status == "confirmed") && (r.Expired == nil || r.Expired.After(now))
		if !open {
			im.skip(t, reasonRequestClosed, r.ID)
			continue
		}
		if approved, ok := im.dashboards.Load(r.UserID); !ok {
			im.skip(t, reasonDashMissing, r.ID)
			continue
		} else if !approved.(bool) {
			im.skip(t, reasonDashPending, r.ID)
			continue
		}
		if im.opts.DryRun {
			im.rowDone(t, r.ID, true, nil)
			continue
		}
		var at time.Time
		if r.Created != nil && plausible(*r.Created) && !r.Created.After(now) {
			at = *r.Created
		}
		cmd := premium.RequestPremium{DashboardUserID: r.UserID, RequestToken: r.Token, ClientID: r.ClientID, WhatsApp: r.WhatsApp,
			BankName: r.Bank, AccountNumber: r.Account, SenderName: r.Sender, TransferAmount: r.Amount, PremiumTier: r.Tier,
			ProofURL: r.Proof, SubscriptionExpiresAt: r.SubscriptionExpires, ExpiredAt: r.Expired}
		out, err := im.exec(ctx, meta("dashboard_premium_request", r.ID, cmd, at), func(m commands.Meta) (commands.Outcome, error) {
			return im.premium.RequestPremium(ctx, m, cmd)
		})
		skip, fail := refusal(err)
		if fail != nil {
			return fmt.Errorf("premium request %s: %w", r.ID, fail)
		}
		im.rowDone(t, r.ID, skip == nil && im.fresh(t, out), skip)
	}
	return nil
}

// oldPersonnelRequest is a row of the legacy premium_request.
type oldPersonnelRequest struct {
	ID, UserID, Sender, Account, Bank, Screenshot, Status string
	Created                                               *time.Time
}

// importPersonnelRequests brings the personnel's premium requests still
// pending (grantsub#/denysub# answer them here now); answered ones are
// over and reported.
func (im *Importer) importPersonnelRequests(ctx context.Context, t *TableReport) error {
	s := im.src
	c := func(name, typ string) string { return s.col("premium_request", "r", name, typ) }
	rows, err := s.Query(ctx, `SELECT r.request_id::text, COALESCE(r.user_id, ''), COALESCE(`+c("sender_name", "text")+`, ''),
		COALESCE(`+c("account_number", "text")+`, ''), COALESCE(`+c("bank_name", "text")+`, ''),
		COALESCE(`+c("screenshot_url", "text")+`, ''), COALESCE(r.status, ''), `+c("created_at", "timestamptz")+`
		FROM premium_request r ORDER BY r.request_id`)
	if err != nil {
		return fmt.Errorf("read premium_request: %w", err)
	}
	var reqs []oldPersonnelRequest
	for rows.Next() {
		var r oldPersonnelRequest
		if err := rows.Scan(&r.ID, &r.UserID, &r.Sender, &r.Account, &r.Bank, &r.Screenshot, &r.Status, &r.Created); err != nil {
			rows.Close()
			return fmt.Errorf("read premium_request: %w", err)
		}
		reqs = append(reqs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read premium_request: %w", err)
	}
	im.read(t, len(reqs))
	im.progress.Start("premium_request", len(reqs))
	defer im.progress.Finish()
	for _, r := range reqs {
		im.progress.Add(1)
		if r.Status != "pending" {
			im.skip(t, reasonRequestClosed, r.ID)
			continue
		}
		if _, ok := im.persons.Load(normalize.NRP(r.UserID)); !ok {
			im.skip(t, reasonPersonAbsent, r.ID)
			continue
		}
		if im.opts.DryRun {
			im.rowDone(t, r.ID, true, nil)
			continue
		}
		var at time.Time
		if r.Created != nil && plausible(*r.Created) {
			at = *r.Created
		}
		cmd := personnelpremium.RequestPremium{UserID: r.UserID, SenderName: r.Sender, AccountNumber: r.Account,
			BankName: r.Bank, ScreenshotURL: r.Screenshot}
		out, err := im.exec(ctx, meta("premium_request", r.ID, cmd, at), func(m commands.Meta) (commands.Outcome, error) {
			return im.personnel.RequestPremium(ctx, m, cmd)
		})
		skip, fail := refusal(err)
		if fail != nil {
			return fmt.Errorf("personnel premium request %s: %w", r.ID, fail)
		}
		im.rowDone(t, r.ID, skip == nil && im.fresh(t, out), skip)
	}
	return nil
}
