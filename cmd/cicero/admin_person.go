package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
)

func newAdminPersonCmd(env *adminEnv) *cobra.Command {
	cmd := &cobra.Command{Use: "person", Short: "Register and change personnel (by NRP/NIP)"}
	cmd.AddCommand(newAdminPersonCreateCmd(env), newAdminPersonUpdateCmd(env), newAdminPersonRoleCmd(env),
		newAdminPersonStatusCmd(env), newAdminPersonRenumberCmd(env), newAdminPersonHandleCmd(env),
		newAdminPersonExceptionCmd(env), newAdminPersonOptInCmd(env))
	return cmd
}

// personRun is the common shape of the person subcommands.
func personRun(env *adminEnv, fn func(ctx context.Context, h *person.Handlers, meta commands.Meta) (commands.Outcome, error)) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, _ []string) error {
		return env.run(cmd, func(ctx context.Context, rt *commands.Runtime, meta commands.Meta) (commands.Outcome, error) {
			return fn(ctx, person.NewHandlers(rt), meta)
		})
	}
}

func newAdminPersonCreateCmd(env *adminEnv) *cobra.Command {
	var c person.RegisterPerson
	cmd := &cobra.Command{
		Use:   "create",
		Short: "Register a member of personnel",
		Example: `  cicero admin person create --nrp 75020001 --name BUDI --title AIPTU --division "SAT BINMAS" \
    --client POLRESA --insta budi.ig --tiktok budi.tt --whatsapp 081200000001 --roles operator`,
		Args: cobra.NoArgs,
		RunE: personRun(env, func(ctx context.Context, h *person.Handlers, meta commands.Meta) (commands.Outcome, error) {
			return h.RegisterPerson(ctx, meta, c)
		}),
	}
	fl := cmd.Flags()
	fl.StringVar(&c.NRP, "nrp", "", "NRP/NIP, digits (required)")
	fl.StringVar(&c.Nama, "name", "", "full name (required)")
	fl.StringVar(&c.Title, "title", "", "rank (pangkat)")
	fl.StringVar(&c.Divisi, "division", "", "unit (satfung)")
	fl.StringVar(&c.Jabatan, "position", "", "position (jabatan)")
	fl.StringVar(&c.Desa, "desa", "", "village (desa binaan)")
	fl.StringVar(&c.ClientID, "client", "", "client id the person belongs to")
	fl.StringVar(&c.Insta, "insta", "", "Instagram username")
	fl.StringVar(&c.Tiktok, "tiktok", "", "TikTok username")
	fl.StringVar(&c.WhatsApp, "whatsapp", "", "WhatsApp number (0812… or 62812…)")
	fl.StringVar(&c.Email, "email", "", "e-mail address")
	fl.StringSliceVar(&c.Roles, "roles", nil, "roles (comma separated), e.g. operator,ditbinmas")
	fl.BoolVar(&c.Exception, "exception", false, "exempt from engagement duties")
	fl.BoolVar(&c.WhatsAppOptIn, "wa-opt-in", false, "consents to WhatsApp task notifications")
	_ = cmd.MarkFlagRequired("nrp")
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func newAdminPersonUpdateCmd(env *adminEnv) *cobra.Command {
	var nrp, name, title, division, position, desa, clientID, whatsapp, email string
	cmd := &cobra.Command{
		Use:     "update",
		Short:   "Change a person's fields (only the flags given)",
		Example: `  cicero admin person update --nrp 75020001 --title IPDA`,
		Args:    cobra.NoArgs,
	}
	fl := cmd.Flags()
	fl.StringVar(&nrp, "nrp", "", "NRP/NIP (required)")
	fl.StringVar(&name, "name", "", "full name")
	fl.StringVar(&title, "title", "", "rank")
	fl.StringVar(&division, "division", "", "unit (satfung)")
	fl.StringVar(&position, "position", "", "position (jabatan)")
	fl.StringVar(&desa, "desa", "", "village (desa binaan)")
	fl.StringVar(&clientID, "client", "", "client id")
	fl.StringVar(&whatsapp, "whatsapp", "", "WhatsApp number")
	fl.StringVar(&email, "email", "", "e-mail address")
	_ = cmd.MarkFlagRequired("nrp")
	cmd.RunE = personRun(env, func(ctx context.Context, h *person.Handlers, meta commands.Meta) (commands.Outcome, error) {
		opt := func(flag string, v *string) *string {
			if fl.Changed(flag) {
				return v
			}
			return nil
		}
		return h.UpdatePerson(ctx, meta, person.UpdatePerson{NRP: nrp, Nama: opt("name", &name), Title: opt("title", &title),
			Divisi: opt("division", &division), Jabatan: opt("position", &position), Desa: opt("desa", &desa),
			ClientID: opt("client", &clientID), WhatsApp: opt("whatsapp", &whatsapp), Email: opt("email", &email)})
	})
	return cmd
}

func newAdminPersonRoleCmd(env *adminEnv) *cobra.Command {
	cmd := &cobra.Command{Use: "role", Short: "Grant or revoke a role"}
	for _, grant := range []bool{true, false} {
		var nrp, role string
		use := map[bool]string{true: "grant", false: "revoke"}[grant]
		sub := &cobra.Command{
			Use:   use,
			Short: use + " a role",
			Args:  cobra.NoArgs,
			RunE: personRun(env, func(ctx context.Context, h *person.Handlers, meta commands.Meta) (commands.Outcome, error) {
				if grant {
					return h.GrantRole(ctx, meta, person.GrantRole{NRP: nrp, Role: role})
				}
				return h.RevokeRole(ctx, meta, person.RevokeRole{NRP: nrp, Role: role})
			}),
		}
		sub.Flags().StringVar(&nrp, "nrp", "", "NRP/NIP (required)")
		sub.Flags().StringVar(&role, "role", "", "role name (required)")
		_ = sub.MarkFlagRequired("nrp")
		_ = sub.MarkFlagRequired("role")
		cmd.AddCommand(sub)
	}
	return cmd
}

func newAdminPersonStatusCmd(env *adminEnv) *cobra.Command {
	var nrp, role string
	var active bool
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Deactivate (optionally one role only) or reactivate a person",
		Example: `  cicero admin person status --nrp 75020001 --active=false
  cicero admin person status --nrp 75020001 --active=false --role ditbinmas`,
		Args: cobra.NoArgs,
		RunE: personRun(env, func(ctx context.Context, h *person.Handlers, meta commands.Meta) (commands.Outcome, error) {
			if active {
				return h.Reactivate(ctx, meta, person.Reactivate{NRP: nrp})
			}
			return h.Deactivate(ctx, meta, person.Deactivate{NRP: nrp, Role: role})
		}),
	}
	cmd.Flags().StringVar(&nrp, "nrp", "", "NRP/NIP (required)")
	cmd.Flags().BoolVar(&active, "active", true, "true reactivates, false deactivates")
	cmd.Flags().StringVar(&role, "role", "", "with --active=false: revoke only this role (deactivates when it was the last)")
	_ = cmd.MarkFlagRequired("nrp")
	_ = cmd.MarkFlagRequired("active")
	return cmd
}

func newAdminPersonRenumberCmd(env *adminEnv) *cobra.Command {
	var c person.RenumberPerson
	cmd := &cobra.Command{
		Use:   "renumber",
		Short: "Move a person to a new NRP (roles and data move with them)",
		Args:  cobra.NoArgs,
		RunE: personRun(env, func(ctx context.Context, h *person.Handlers, meta commands.Meta) (commands.Outcome, error) {
			return h.RenumberPerson(ctx, meta, c)
		}),
	}
	cmd.Flags().StringVar(&c.OldNRP, "from", "", "current NRP (required)")
	cmd.Flags().StringVar(&c.NewNRP, "to", "", "new NRP (required)")
	_ = cmd.MarkFlagRequired("from")
	_ = cmd.MarkFlagRequired("to")
	return cmd
}

func newAdminPersonHandleCmd(env *adminEnv) *cobra.Command {
	var c person.SetHandle
	cmd := &cobra.Command{
		Use:     "handle",
		Short:   "Set (or clear with --handle '') a person's Instagram or TikTok username",
		Example: `  cicero admin person handle --nrp 75020001 --platform instagram --handle @budi.ig`,
		Args:    cobra.NoArgs,
		RunE: personRun(env, func(ctx context.Context, h *person.Handlers, meta commands.Meta) (commands.Outcome, error) {
			return h.SetHandle(ctx, meta, c)
		}),
	}
	cmd.Flags().StringVar(&c.NRP, "nrp", "", "NRP/NIP (required)")
	cmd.Flags().StringVar(&c.Platform, "platform", "", "instagram | tiktok (required)")
	cmd.Flags().StringVar(&c.Handle, "handle", "", "username or profile URL")
	_ = cmd.MarkFlagRequired("nrp")
	_ = cmd.MarkFlagRequired("platform")
	return cmd
}

func newAdminPersonExceptionCmd(env *adminEnv) *cobra.Command {
	var c person.SetException
	cmd := &cobra.Command{
		Use:   "exception",
		Short: "Exempt a person from engagement duties (or end the exemption)",
		Args:  cobra.NoArgs,
		RunE: personRun(env, func(ctx context.Context, h *person.Handlers, meta commands.Meta) (commands.Outcome, error) {
			return h.SetException(ctx, meta, c)
		}),
	}
	cmd.Flags().StringVar(&c.NRP, "nrp", "", "NRP/NIP (required)")
	cmd.Flags().BoolVar(&c.Exception, "on", true, "true exempts, false ends the exemption")
	_ = cmd.MarkFlagRequired("nrp")
	return cmd
}

func newAdminPersonOptInCmd(env *adminEnv) *cobra.Command {
	var c person.SetWhatsAppOptIn
	cmd := &cobra.Command{
		Use:   "wa-opt-in",
		Short: "Record consent (or its withdrawal) to WhatsApp task notifications",
		Args:  cobra.NoArgs,
		RunE: personRun(env, func(ctx context.Context, h *person.Handlers, meta commands.Meta) (commands.Outcome, error) {
			return h.SetWhatsAppOptIn(ctx, meta, c)
		}),
	}
	cmd.Flags().StringVar(&c.NRP, "nrp", "", "NRP/NIP (required)")
	cmd.Flags().BoolVar(&c.OptIn, "on", true, "true opts in, false opts out")
	_ = cmd.MarkFlagRequired("nrp")
	return cmd
}
