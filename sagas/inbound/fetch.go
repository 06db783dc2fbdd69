package inbound

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// fetch is fetchinsta#/fetchlikes# (Instagram) and fetchtiktok#/
// fetchcomments# (TikTok): the fetch job runs now for the client; the
// admin hears when it starts and when it ends. The job fetches a
// platform's posts and their likes or comments together, so the likes and
// comments commands run the same fetch.
func (r *Router) fetch(t *turn, clientID, platform string) error {
	label := platformLabel(platform)
	if clientID == "" {
		return t.replyf("Format salah! Gunakan: fetch%s#<client_id>", map[string]string{"instagram": "insta", "tiktok": "tiktok"}[platform])
	}
	if r.d.Fetcher == nil {
		return t.reply("❌ Fetch belum tersedia pada server ini.")
	}
	c, found, err := r.d.Directory.Client(t.ctx, clientID)
	if err != nil {
		return err
	}
	if !found {
		return t.replyf("❌ Client *%s* tidak ditemukan.", strings.ToUpper(clientID))
	}
	// The run's end is answered under this message's next key, so a
	// redelivered message cannot answer it twice.
	if err := t.replyf("⏳ Fetch %s client *%s* dimulai. Hasilnya dikirim setelah selesai.", label, c.ID); err != nil {
		return err
	}
	key := t.nextKey()
	session, chat := t.session, t.chat
	done := func(report []string, err error) {
		text := fmt.Sprintf("✅ Fetch %s client *%s* selesai.", label, c.ID)
		if err != nil {
			text = fmt.Sprintf("❌ Fetch %s client *%s* gagal: %v", label, c.ID, err)
		}
		if len(report) > 0 {
			text += "\n" + strings.Join(report, "\n")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if qerr := r.queue(ctx, session, key, chat, text, nil); qerr != nil {
			r.log.Warn("fetch result reply failed", "client", c.ID, "error", qerr)
		}
	}
	if err := r.d.Fetcher.Launch(context.WithoutCancel(t.ctx), c.ID, platform, done); err != nil {
		return r.queue(t.ctx, session, key, chat, fmt.Sprintf("❌ Fetch %s client *%s* tidak dapat dimulai: %v", label, c.ID, err), nil)
	}
	return nil
}
