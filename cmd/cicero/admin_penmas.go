package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/penmasuser"
)

// newAdminPenmasUserCmd is `cicero admin penmas-user set --username U
// [--role R] [--whatsapp P]`: the admin's way to make a Penmas editor
// (self-registration refuses editor and admin) and to record the number
// the editorial notices go to (--whatsapp "" clears it).
func newAdminPenmasUserCmd(env *adminEnv) *cobra.Command {
	cmd := &cobra.Command{Use: "penmas-user", Short: "Set a Penmas account's role (editor, …) and WhatsApp number"}
	var username, role, wa string
	set := &cobra.Command{
		Use:     "set",
		Short:   "Set the role and/or WhatsApp number of the Penmas account named --username",
		Example: "  cicero admin penmas-user set --username siti --role editor --whatsapp 081234567890",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			c := penmasuser.SetProfile{By: cliActor()}
			if cmd.Flags().Changed("role") {
				c.Role = &role
			}
			if cmd.Flags().Changed("whatsapp") {
				c.WhatsApp = &wa
			}
			return env.run(cmd, func(ctx context.Context, rt *commands.Runtime, meta commands.Meta) (commands.Outcome, error) {
				h := penmasuser.NewHandlers(rt)
				u, err := h.ByUsername(ctx, username)
				if err != nil {
					return commands.Outcome{}, err
				}
				c.UserID = u.ID
				return h.SetProfile(ctx, meta, c)
			})
		},
	}
	set.Flags().StringVar(&username, "username", "", "Penmas login name (required)")
	set.Flags().StringVar(&role, "role", "", "new role: penulis, editor, validator, admin, …")
	set.Flags().StringVar(&wa, "whatsapp", "", "WhatsApp number (any spelling; \"\" clears it)")
	_ = set.MarkFlagRequired("username")
	cmd.AddCommand(set)
	return cmd
}
