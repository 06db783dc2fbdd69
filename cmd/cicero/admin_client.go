package main

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/client"
)

func newAdminClientCmd(env *adminEnv) *cobra.Command {
	cmd := &cobra.Command{Use: "client", Short: "Register and change clients (Polres, directorates)"}
	cmd.AddCommand(newAdminClientCreateCmd(env), newAdminClientUpdateCmd(env),
		newAdminClientStatusCmd(env, "activate", true), newAdminClientStatusCmd(env, "deactivate", false))
	return cmd
}

// clientFlags binds the client fields shared by create and update.
type clientFlags struct {
	id, name, typ, insta, tiktok, regional, group, operator, super, level, parent, secuid string
	amplify, instaActive, tiktokActive                                                    bool
}

func (f *clientFlags) bind(cmd *cobra.Command) {
	fl := cmd.Flags()
	fl.StringVar(&f.id, "id", "", "client id, e.g. POLRESA (required)")
	fl.StringVar(&f.name, "name", "", "display name")
	fl.StringVar(&f.typ, "type", "", "org | direktorat (also polda, satker)")
	fl.StringVar(&f.insta, "insta", "", "official Instagram username")
	fl.StringVar(&f.tiktok, "tiktok", "", "official TikTok username")
	fl.StringVar(&f.regional, "regional", "", "regional id, e.g. JATIM")
	fl.StringVar(&f.group, "group", "", "WhatsApp group JID")
	fl.StringVar(&f.operator, "operator", "", "operator WhatsApp number")
	fl.StringVar(&f.super, "super", "", "super-admin WhatsApp numbers (comma separated)")
	fl.StringVar(&f.level, "level", "", "client level (mabes, polda, direktorat, satker, …)")
	fl.StringVar(&f.parent, "parent", "", "parent client id")
	fl.StringVar(&f.secuid, "tiktok-secuid", "", "TikTok secUid of the official account")
	fl.BoolVar(&f.amplify, "amplify", true, "link amplification enabled")
	fl.BoolVar(&f.instaActive, "insta-active", true, "Instagram monitoring enabled")
	fl.BoolVar(&f.tiktokActive, "tiktok-active", true, "TikTok monitoring enabled")
	_ = cmd.MarkFlagRequired("id")
}

func newAdminClientCreateCmd(env *adminEnv) *cobra.Command {
	f := &clientFlags{}
	cmd := &cobra.Command{
		Use:     "create",
		Short:   "Register a client",
		Example: `  cicero admin client create --id POLRESA --name "POLRES A" --type org --insta polresa_official --tiktok polresa_tt --regional JATIM`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return env.run(cmd, func(ctx context.Context, rt *commands.Runtime, meta commands.Meta) (commands.Outcome, error) {
				return client.NewHandlers(rt).RegisterClient(ctx, meta, client.RegisterClient{
					ClientID: f.id, Nama: f.name, ClientType: f.typ, ClientInsta: f.insta, ClientTiktok: f.tiktok,
					InstaStatus: &f.instaActive, TiktokStatus: &f.tiktokActive, AmplifyStatus: &f.amplify,
					ClientOperator: f.operator, ClientGroup: f.group, RegionalID: f.regional, ParentClientID: f.parent,
					ClientLevel: f.level, TiktokSecUID: f.secuid, ClientSuper: f.super,
				})
			})
		},
	}
	f.bind(cmd)
	_ = cmd.MarkFlagRequired("name")
	return cmd
}

func newAdminClientUpdateCmd(env *adminEnv) *cobra.Command {
	f := &clientFlags{}
	cmd := &cobra.Command{
		Use:     "update",
		Short:   "Change a client's fields (only the flags given)",
		Example: `  cicero admin client update --id POLRESA --insta polresa_baru`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			fl := cmd.Flags()
			str := func(name string, v *string) *string {
				if fl.Changed(name) {
					return v
				}
				return nil
			}
			boolean := func(name string, v *bool) *bool {
				if fl.Changed(name) {
					return v
				}
				return nil
			}
			upd := client.UpdateClient{
				ClientID: f.id, Nama: str("name", &f.name), ClientType: str("type", &f.typ),
				ClientInsta: str("insta", &f.insta), ClientTiktok: str("tiktok", &f.tiktok),
				InstaStatus: boolean("insta-active", &f.instaActive), TiktokStatus: boolean("tiktok-active", &f.tiktokActive),
				AmplifyStatus: boolean("amplify", &f.amplify), ClientOperator: str("operator", &f.operator),
				ClientGroup: str("group", &f.group), RegionalID: str("regional", &f.regional),
				ParentClientID: str("parent", &f.parent), ClientLevel: str("level", &f.level),
				TiktokSecUID: str("tiktok-secuid", &f.secuid), ClientSuper: str("super", &f.super),
				ActorRole: client.RoleAdmin,
			}
			return env.run(cmd, func(ctx context.Context, rt *commands.Runtime, meta commands.Meta) (commands.Outcome, error) {
				return client.NewHandlers(rt).UpdateClient(ctx, meta, upd)
			})
		},
	}
	f.bind(cmd)
	return cmd
}

func newAdminClientStatusCmd(env *adminEnv, use string, active bool) *cobra.Command {
	var id string
	cmd := &cobra.Command{
		Use:   use,
		Short: use + " a client",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return env.run(cmd, func(ctx context.Context, rt *commands.Runtime, meta commands.Meta) (commands.Outcome, error) {
				return client.NewHandlers(rt).SetClientStatus(ctx, meta, client.SetClientStatus{ClientID: id, Active: active})
			})
		},
	}
	cmd.Flags().StringVar(&id, "id", "", "client id (required)")
	_ = cmd.MarkFlagRequired("id")
	return cmd
}
