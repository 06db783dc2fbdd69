package main

import (
	"context"
	"fmt"
	"io"
	"os/user"

	"github.com/spf13/cobra"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/internal/apperr"
)

// adminEnv is what every `cicero admin` subcommand uses: a command runtime
// over the event store and the Postgres command log.
type adminEnv struct {
	c         *cli
	commandID string
}

func newAdminCmd(c *cli) *cobra.Command {
	env := &adminEnv{c: c}
	cmd := &cobra.Command{
		Use:   "admin",
		Short: "Bootstrap and maintain data without SQL (clients, personnel, …)",
		Long: `Issues commands through the same handlers as the write API. Each prints what it
appended (event type, subject, stream position) and exits non-zero with a clear message on bad input.
--command-id makes a retry safe: the same id again returns the first outcome and appends nothing.`,
	}
	cmd.PersistentFlags().StringVar(&env.commandID, "command-id", "", "idempotency key (default: a fresh UUIDv7)")
	cmd.AddCommand(newAdminClientCmd(env), newAdminPersonCmd(env), newAdminDashboardUserCmd(env), newAdminPremiumCmd(env), newAdminPostCmd(env),
		newAdminPenmasUserCmd(env))
	return cmd
}

// run opens the dependencies, builds a runtime and calls fn with it.
func (e *adminEnv) run(cmd *cobra.Command, fn func(ctx context.Context, rt *commands.Runtime, meta commands.Meta) (commands.Outcome, error)) error {
	ctx := cmd.Context()
	d, err := openDeps(ctx, e.c.cfg, e.c.log, false, false)
	if err != nil {
		return err
	}
	defer d.Close()
	rt := commands.NewRuntime(d.store, commands.NewPGCommandLog(d.pool), e.c.log)
	out, err := fn(ctx, rt, commands.Meta{CommandID: e.commandID, Actor: cliActor(), Channel: commands.ChannelCLI})
	if err != nil {
		if apperr.CodeOf(err) != apperr.Internal {
			return fmt.Errorf("%s", apperr.MessageOf(err))
		}
		return err
	}
	printOutcome(cmd.OutOrStdout(), out)
	return nil
}

// cliActor names the operator in the events' actor header.
func cliActor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}

func printOutcome(w io.Writer, o commands.Outcome) {
	if len(o.Appended) == 0 {
		fmt.Fprintf(w, "nothing to change (command %s)\n", o.CommandID)
		return
	}
	for _, a := range o.Appended {
		for _, t := range a.Types {
			fmt.Fprintf(w, "appended %s to %s at %s/%d\n", t, a.Subject, a.Stream, a.Sequence)
		}
	}
	fmt.Fprintf(w, "command %s\n", o.CommandID)
}
