package main

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
	"github.com/spf13/cobra"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/dashuser"
	"github.com/cicero/cicero/commands/premium"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/premiumguard"
)

func newAdminDashboardUserCmd(env *adminEnv) *cobra.Command {
	cmd := &cobra.Command{Use: "dashboard-user", Short: "Create and approve dashboard accounts"}

	var c dashuser.CreateDashboardUser
	create := &cobra.Command{
		Use:     "create",
		Short:   "Create a dashboard account, already approved (any role, admin included)",
		Example: `  cicero admin dashboard-user create --username opr_polresa --password 'rahasia123' --role operator --clients POLRESA`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return env.run(cmd, func(ctx context.Context, rt *commands.Runtime, meta commands.Meta) (commands.Outcome, error) {
				c.ActorRole, c.By = dashuser.RoleAdmin, meta.Actor
				id, out, err := dashuser.NewHandlers(rt).CreateDashboardUser(ctx, meta, c)
				if err == nil {
					fmt.Fprintf(cmd.OutOrStdout(), "dashboard_user_id %s\n", id)
				}
				return out, err
			})
		},
	}
	fl := create.Flags()
	fl.StringVar(&c.Username, "username", "", "login name (required)")
	fl.StringVar(&c.Password, "password", "", "password, at least 8 characters (required)")
	fl.StringVar(&c.Role, "role", "", "admin, operator, ditbinmas, … (required)")
	fl.StringSliceVar(&c.ClientIDs, "clients", nil, "client ids the account may see (comma separated)")
	fl.StringVar(&c.WhatsApp, "whatsapp", "", "WhatsApp number")
	fl.StringVar(&c.Email, "email", "", "e-mail address")
	for _, f := range []string{"username", "password", "role"} {
		_ = create.MarkFlagRequired(f)
	}

	var username string
	approve := &cobra.Command{
		Use:   "approve",
		Short: "Approve a pending dashboard account",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return env.run(cmd, func(ctx context.Context, rt *commands.Runtime, meta commands.Meta) (commands.Outcome, error) {
				h := dashuser.NewHandlers(rt)
				id, err := h.IDByUsername(ctx, username)
				if err != nil {
					return commands.Outcome{}, err
				}
				return h.ApproveDashboardUser(ctx, meta, dashuser.ApproveDashboardUser{DashboardUserID: id, ActorRole: dashuser.RoleAdmin, By: meta.Actor})
			})
		},
	}
	approve.Flags().StringVar(&username, "username", "", "login name (required)")
	_ = approve.MarkFlagRequired("username")
	cmd.AddCommand(create, approve, newAdminDashboardUserRejectCmd(env), newAdminAssignClientsCmd(env),
		newAdminSetPasswordCmd(env))
	return cmd
}

// byUsername runs a dashboard-user command on the account named --username.
func byUsername(env *adminEnv, cmd *cobra.Command, username *string,
	do func(ctx context.Context, h *dashuser.Handlers, meta commands.Meta, id string) (commands.Outcome, error)) error {
	return env.run(cmd, func(ctx context.Context, rt *commands.Runtime, meta commands.Meta) (commands.Outcome, error) {
		h := dashuser.NewHandlers(rt)
		id, err := h.IDByUsername(ctx, *username)
		if err != nil {
			return commands.Outcome{}, err
		}
		return do(ctx, h, meta, id)
	})
}

func newAdminDashboardUserRejectCmd(env *adminEnv) *cobra.Command {
	var username, note string
	c := &cobra.Command{
		Use:   "reject",
		Short: "Reject a registration, or withdraw an approval (the account and username stay)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return byUsername(env, cmd, &username, func(ctx context.Context, h *dashuser.Handlers, meta commands.Meta, id string) (commands.Outcome, error) {
				return h.RejectDashboardUser(ctx, meta, dashuser.RejectDashboardUser{DashboardUserID: id, Note: note,
					ActorRole: dashuser.RoleAdmin, By: meta.Actor})
			})
		},
	}
	c.Flags().StringVar(&username, "username", "", "login name (required)")
	c.Flags().StringVar(&note, "note", "", "why")
	_ = c.MarkFlagRequired("username")
	return c
}

func newAdminAssignClientsCmd(env *adminEnv) *cobra.Command {
	var username string
	var clients []string
	c := &cobra.Command{
		Use:     "assign-clients",
		Short:   "Replace the clients a dashboard account may see",
		Example: `  cicero admin dashboard-user assign-clients --username opr_polresa --clients POLRESA,POLRESB`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return byUsername(env, cmd, &username, func(ctx context.Context, h *dashuser.Handlers, meta commands.Meta, id string) (commands.Outcome, error) {
				return h.AssignClients(ctx, meta, dashuser.AssignClients{DashboardUserID: id, ClientIDs: clients,
					ActorRole: dashuser.RoleAdmin})
			})
		},
	}
	c.Flags().StringVar(&username, "username", "", "login name (required)")
	c.Flags().StringSliceVar(&clients, "clients", nil, "client ids, comma separated (required; the new set)")
	_ = c.MarkFlagRequired("username")
	_ = c.MarkFlagRequired("clients")
	return c
}

func newAdminSetPasswordCmd(env *adminEnv) *cobra.Command {
	var username, pw string
	c := &cobra.Command{
		Use:   "set-password",
		Short: "Set a dashboard account's password and end its sessions",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			var id string
			err := byUsername(env, cmd, &username, func(ctx context.Context, h *dashuser.Handlers, meta commands.Meta, uid string) (commands.Outcome, error) {
				id = uid
				return h.ResetPassword(ctx, meta, dashuser.ResetPassword{DashboardUserID: uid, NewPassword: pw,
					ActorRole: dashuser.RoleAdmin})
			})
			if err != nil {
				return err
			}
			n, err := endDashboardSessions(cmd.Context(), env.c.cfg.RedisURL, id)
			if err != nil {
				return fmt.Errorf("password set, but its sessions could not be ended (they expire within 2 h): %w", err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "ended %d session(s)\n", n)
			return nil
		},
	}
	c.Flags().StringVar(&username, "username", "", "login name (required)")
	c.Flags().StringVar(&pw, "password", "", "new password, at least 8 characters (required)")
	_ = c.MarkFlagRequired("username")
	_ = c.MarkFlagRequired("password")
	return c
}

// endDashboardSessions ends every session of a dashboard account in the
// Redis at url (as a password change over HTTP does).
func endDashboardSessions(ctx context.Context, url, id string) (int, error) {
	opt, err := redis.ParseURL(url)
	if err != nil {
		return 0, fmt.Errorf("parse REDIS_URL: %w", err)
	}
	rdb := redis.NewClient(opt)
	defer rdb.Close()
	return auth.NewSessions(rdb, 0).RevokeActor(ctx, auth.KindDashboard, id)
}

func newAdminPremiumCmd(env *adminEnv) *cobra.Command {
	cmd := &cobra.Command{Use: "premium", Short: "Grant or revoke dashboard premium"}
	var username, tier string
	var days int
	grant := &cobra.Command{
		Use:     "grant",
		Short:   "Grant premium to a dashboard account (until the end of the Jakarta day N days from now)",
		Example: `  cicero admin premium grant --username opr_polresa --tier tier1 --days 30`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return env.run(cmd, func(ctx context.Context, rt *commands.Runtime, meta commands.Meta) (commands.Outcome, error) {
				id, err := dashuser.NewHandlers(rt).IDByUsername(ctx, username)
				if err != nil {
					return commands.Outcome{}, err
				}
				tiers := premiumguard.ParseTiers(env.c.cfg.PremiumAllowedTiers)
				return premium.NewHandlers(rt, tiers, nil).GrantPremium(ctx, meta, premium.GrantPremium{
					DashboardUserID: id, Tier: tier, Days: days,
					By: premium.Actor{ID: meta.Actor, Role: premium.RoleAdmin},
				})
			})
		},
	}
	grant.Flags().StringVar(&username, "username", "", "dashboard login name (required)")
	grant.Flags().StringVar(&tier, "tier", "", "tier, one of DASHBOARD_PREMIUM_ALLOWED_TIERS (required)")
	grant.Flags().IntVar(&days, "days", premium.DefaultGrantDays, "length in days")
	_ = grant.MarkFlagRequired("username")
	_ = grant.MarkFlagRequired("tier")

	var revokeUser, note string
	revoke := &cobra.Command{
		Use:   "revoke",
		Short: "End a dashboard account's premium now",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return env.run(cmd, func(ctx context.Context, rt *commands.Runtime, meta commands.Meta) (commands.Outcome, error) {
				id, err := dashuser.NewHandlers(rt).IDByUsername(ctx, revokeUser)
				if err != nil {
					return commands.Outcome{}, err
				}
				tiers := premiumguard.ParseTiers(env.c.cfg.PremiumAllowedTiers)
				return premium.NewHandlers(rt, tiers, nil).RevokePremium(ctx, meta, premium.RevokePremium{
					DashboardUserID: id, Note: note, By: premium.Actor{ID: meta.Actor, Role: premium.RoleAdmin}})
			})
		},
	}
	revoke.Flags().StringVar(&revokeUser, "username", "", "dashboard login name (required)")
	revoke.Flags().StringVar(&note, "note", "", "why")
	_ = revoke.MarkFlagRequired("username")
	cmd.AddCommand(grant, revoke)
	return cmd
}
