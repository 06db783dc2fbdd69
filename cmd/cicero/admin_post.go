package main

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/cicero/cicero/commands"
	postcmd "github.com/cicero/cicero/commands/post"
	"github.com/cicero/cicero/internal/apperr"
)

func newAdminPostCmd(env *adminEnv) *cobra.Command {
	cmd := &cobra.Command{Use: "post", Short: "Import an official post by hand, tag it for a directorate role"}
	cmd.AddCommand(newAdminPostImportCmd(env), newAdminPostTagCmd(env, "tag", true), newAdminPostTagCmd(env, "untag", false))
	return cmd
}

func newAdminPostImportCmd(env *adminEnv) *cobra.Command {
	var platform, clientID string
	cmd := &cobra.Command{
		Use:   "import LINK_OR_ID",
		Short: "Read one post from the platform's API (RAPIDAPI_*) and ingest it for a client",
		Long: `Instagram: a shortcode or a /p/, /reel/ or /tv/ link. TikTok: a video id or a link with /video/<id>
(or video_id=, item_id=, share_video_id=). The client must be active and have an official account on the
platform. Importing a post the client already has changes nothing.`,
		Example: `  cicero admin post import --client POLRESA https://www.instagram.com/p/C1abcDEF/
  cicero admin post import --client POLRESA --platform tiktok https://www.tiktok.com/@polres/video/7350000000000000001`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			d, err := openDeps(ctx, env.c.cfg, env.c.log, false, false)
			if err != nil {
				return err
			}
			defer d.Close()
			w := &wiring{cfg: env.c.cfg, log: env.c.log, pool: d.pool, store: d.store,
				runtime: commands.NewRuntime(d.store, commands.NewPGCommandLog(d.pool), env.c.log)}
			imp, err := newSocialImport(w)
			if err != nil {
				return err
			}
			plat, id, out, err := imp.ImportPost(ctx, commands.Meta{CommandID: env.commandID, Actor: cliActor(), Channel: commands.ChannelCLI}, platform, args[0], clientID)
			if err != nil {
				if apperr.CodeOf(err) != apperr.Internal {
					return fmt.Errorf("%s", apperr.MessageOf(err))
				}
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s post %s for %s\n", plat, id, clientID)
			printOutcome(cmd.OutOrStdout(), out)
			return nil
		},
	}
	cmd.Flags().StringVar(&platform, "platform", "instagram", "instagram (ig) or tiktok")
	cmd.Flags().StringVar(&clientID, "client", "", "the client whose post it is (required)")
	_ = cmd.MarkFlagRequired("client")
	return cmd
}

func newAdminPostTagCmd(env *adminEnv, verb string, on bool) *cobra.Command {
	var platform string
	short := "Make a post a task for a directorate role"
	if !on {
		short = "Stop a post being a task for a directorate role"
	}
	cmd := &cobra.Command{
		Use:     verb + " POST_ID ROLE",
		Short:   short,
		Example: fmt.Sprintf("  cicero admin post %s --platform instagram C1abcDEF ditbinmas", verb),
		Args:    cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return env.run(cmd, func(ctx context.Context, rt *commands.Runtime, meta commands.Meta) (commands.Outcome, error) {
				h := postcmd.NewHandlers(rt, nil)
				if on {
					return h.TagPostForRole(ctx, meta, postcmd.TagPostForRole{Platform: platform, PostID: args[0], Role: args[1], By: cliActor()})
				}
				return h.UntagPostForRole(ctx, meta, postcmd.UntagPostForRole{Platform: platform, PostID: args[0], Role: args[1], By: cliActor()})
			})
		},
	}
	cmd.Flags().StringVar(&platform, "platform", "instagram", "instagram or tiktok")
	return cmd
}
