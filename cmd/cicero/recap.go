package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/projections/recap"
)

// newRecapCmd prints the WhatsApp recap texts from the read models, as
// the messaging sagas will send them: an operator checks a text before it
// goes out, a developer sees the texts on seed-demo data.
func newRecapCmd(c *cli) *cobra.Command {
	var (
		clientID, platform, mode, role, date string
	)
	cmd := &cobra.Command{
		Use:   "recap absensi|tugas",
		Short: "Print a WhatsApp recap text (absensi of a day, or the task broadcast) from the read models",
		Long: `absensi: the ORG/operator attendance recap of one client and day (Instagram likes or TikTok
comments; --mode all|sudah|belum; --role operator keeps the holders of the role, as the operators'
scheduled recap does). tugas: the task broadcast of the client's posts of the day with their recorded
likes and comments. Nothing is sent: the text is printed as the messaging sagas will send it.`,
		Example: `  cicero recap absensi --client LAMONGAN --platform ig --role operator
  cicero recap absensi --client LAMONGAN --platform tiktok --mode belum --date 2026-11-20
  cicero recap tugas --client LAMONGAN`,
		Args:      cobra.ExactArgs(1),
		ValidArgs: []string{"absensi", "tugas"},
		RunE: func(cmd *cobra.Command, args []string) error {
			day := date
			if day == "" {
				day = jakarta.Date(time.Now())
			} else if _, err := time.Parse(time.DateOnly, day); err != nil {
				return fmt.Errorf("--date must be a date (YYYY-MM-DD), got %q", date)
			}
			kind := args[0]
			if kind != "absensi" && kind != "tugas" {
				return fmt.Errorf("unknown recap %q: want absensi or tugas", kind)
			}
			plat := events.PlatformInstagram
			switch strings.ToLower(platform) {
			case "ig", "instagram":
			case "tt", "tiktok":
				plat = events.PlatformTiktok
			default:
				return fmt.Errorf("--platform must be ig or tiktok, got %q", platform)
			}
			ctx := cmd.Context()
			d, err := openDeps(ctx, c.cfg, c.log, false, false)
			if err != nil {
				return err
			}
			defer d.Close()
			r := recapReader{recap.New(d.pool)}
			var text string
			if kind == "absensi" {
				text, err = r.absensi(ctx, clientID, plat, role, day, recaptext.ParseMode(mode))
			} else {
				text, err = r.tugas(ctx, clientID, day)
			}
			if err != nil {
				return err
			}
			fmt.Fprintln(cmd.OutOrStdout(), text)
			return nil
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&clientID, "client", "", "client id (required)")
	fl.StringVar(&platform, "platform", "ig", "absensi: ig (likes) or tiktok (comments)")
	fl.StringVar(&mode, "mode", "all", "absensi: all, sudah or belum")
	fl.StringVar(&role, "role", "", "absensi: keep only holders of this role (e.g. operator)")
	fl.StringVar(&date, "date", "", "the Jakarta day (default today)")
	_ = cmd.MarkFlagRequired("client")
	return cmd
}

// recapReader renders the recap texts from the read models (projections/recap).
type recapReader struct{ r *recap.Reader }

func (r recapReader) client(ctx context.Context, id string) (recap.Client, error) {
	c, err := r.r.Client(ctx, id)
	if errors.Is(err, recap.ErrNotFound) {
		return c, fmt.Errorf("client %s not found", id)
	}
	return c, err
}

func (r recapReader) absensi(ctx context.Context, clientID, platform, role, day string, mode recaptext.Mode) (string, error) {
	c, err := r.client(ctx, clientID)
	if err != nil {
		return "", err
	}
	in, err := r.r.Absensi(ctx, c, platform, role, day, time.Now())
	if err != nil {
		return "", err
	}
	in.Mode = mode
	if platform == events.PlatformTiktok {
		return recaptext.AbsensiKomentarOperator(in), nil
	}
	return recaptext.AbsensiLikes(in), nil
}

func (r recapReader) tugas(ctx context.Context, clientID, day string) (string, error) {
	c, err := r.client(ctx, clientID)
	if err != nil {
		return "", err
	}
	ig, err := r.r.Posts(ctx, c.ID, events.PlatformInstagram, day)
	if err != nil {
		return "", err
	}
	tt, err := r.r.Posts(ctx, c.ID, events.PlatformTiktok, day)
	if err != nil {
		return "", err
	}
	return recaptext.TaskMessage(recaptext.TaskBroadcast{Client: c.Client, Instagram: ig, Tiktok: tt}), nil
}
