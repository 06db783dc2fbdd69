package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/mdp/qrterminal/v3"
	"github.com/spf13/cobra"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/internal/whatsapp"
)

// sessionArg reads the optional session argument (default: the main session).
func sessionArg(args []string) (string, error) {
	name := whatsapp.SessionMain
	if len(args) == 1 {
		name = strings.TrimSpace(args[0])
	}
	if !whatsapp.ValidSession(name) {
		return "", fmt.Errorf("unknown session %q: one of %s", name, strings.Join(whatsapp.Sessions, ", "))
	}
	return name, nil
}

// withWhatsApp opens what a session command needs and runs fn with the
// manager; the manager's connections end with it.
func (c *cli) withWhatsApp(ctx context.Context, fn func(ctx context.Context, m *whatsapp.Manager) error) error {
	d, err := openDeps(ctx, c.cfg, c.log, false, false)
	if err != nil {
		return err
	}
	defer d.Close()
	rt := commands.NewRuntime(d.store, commands.NewPGCommandLog(d.pool), c.log)
	m, st, err := newWhatsApp(ctx, c.cfg, d.pool, rt, c.log)
	if err != nil {
		return err
	}
	defer st.Close()
	defer m.Close()
	return fn(ctx, m)
}

func newWALoginCmd(c *cli) *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "wa-login [" + strings.Join(whatsapp.Sessions, "|") + "]",
		Short: "Pair a WhatsApp session with a phone: scan the QR code from Linked devices",
		Long: `Connects the session's device (default "wa") and prints QR codes in the terminal until one is
scanned from the phone: WhatsApp → Settings → Linked devices → Link a device. The pairing is kept in
Postgres (whatsmeow's tables, whatsapp_devices) and recorded as WhatsAppSessionPaired; a running
serve connects the session within seconds. A paired session is refused: run wa-logout first.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := sessionArg(args)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			return c.withWhatsApp(cmd.Context(), func(ctx context.Context, m *whatsapp.Manager) error {
				fmt.Fprintf(out, "Pairing WhatsApp session %s (device id %s)…\n", name, waDevices(c.cfg).ID(name))
				jid, err := m.Pair(ctx, name, whatsapp.PairOptions{Timeout: timeout,
					OnQR:    func(code string) { printQR(out, code) },
					OnEvent: func(text string) { fmt.Fprintln(out, progressText(text)) }})
				if errors.Is(err, whatsapp.ErrAlreadyPaired) {
					return fmt.Errorf("session %s is paired already: run `cicero wa-logout %s` first", name, name)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(out, "Session %s paired as %s and ready.\n", name, jid.ToNonAD().String())
				return nil
			})
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", 3*time.Minute, "give up when no code was scanned by then")
	return cmd
}

func newWALogoutCmd(c *cli) *cobra.Command {
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "wa-logout [" + strings.Join(whatsapp.Sessions, "|") + "]",
		Short: "Unlink a WhatsApp session's device (it stops sending until paired again)",
		Long: `Connects the paired session, logs its device out (it leaves the phone's Linked devices), deletes it
from the store and records WhatsAppSessionLoggedOut. Stop serve first or expect its connection of the
same device to end ("stream replaced").`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			name, err := sessionArg(args)
			if err != nil {
				return err
			}
			return c.withWhatsApp(cmd.Context(), func(ctx context.Context, m *whatsapp.Manager) error {
				if !slices.ContainsFunc(m.Statuses(), func(s whatsapp.SessionStatus) bool { return s.Name == name }) {
					return fmt.Errorf("unknown session %s", name)
				}
				if err := m.ConnectSession(ctx, name, timeout); err != nil {
					return fmt.Errorf("session %s: %w", name, err)
				}
				if err := m.Logout(ctx, name); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "Session %s logged out.\n", name)
				return nil
			})
		},
	}
	cmd.Flags().DurationVar(&timeout, "timeout", time.Minute, "how long to wait for the session to connect")
	return cmd
}

// printQR draws the code in half blocks (two rows per line), as the
// style guide asks for terminal QR codes.
func printQR(w io.Writer, code string) {
	fmt.Fprintln(w, "Scan this code from the phone: WhatsApp → Linked devices → Link a device")
	qrterminal.GenerateHalfBlock(code, qrterminal.L, w)
}

func progressText(event string) string {
	switch event {
	case "connecting":
		return "Connecting to WhatsApp…"
	case "scanned":
		return "Code scanned; finishing the pairing…"
	case "connected":
		return "Connected."
	}
	return event
}
