package inbound

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// saveContacts is savecontact: the numbers of active, opted-in personnel
// become Google contacts, each through the outbox and the dispatcher. It
// may take a while (one call per new number), so the wait for them runs
// after the message is handled; the admin hears when it starts and, under
// the message's next key, how it ended.
func (r *Router) saveContacts(t *turn) error {
	if r.d.Contacts == nil {
		return t.reply("❌ Perintah savecontact belum tersedia pada server ini.")
	}
	if err := t.reply("⏳ Menyimpan kontak personel ke Google…"); err != nil {
		return err
	}
	key := t.nextKey()
	session, chat, meta := t.session, t.chat, t.meta()
	r.work.Go(func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(t.ctx), 10*time.Minute)
		defer cancel()
		saved, err := r.d.Contacts.SaveAll(ctx, meta, "savecontact/"+key)
		text := fmt.Sprintf("✅ Kontak tersimpan ke Google: %d", saved)
		switch {
		case errors.Is(err, ErrNotConfigured):
			text = "❌ Google Contacts belum dikonfigurasi pada server ini."
		case err != nil:
			r.log.Warn("savecontact stopped", "saved", saved, "error", err)
			text = fmt.Sprintf("⚠️ Penyimpanan kontak terhenti setelah %d kontak; coba lagi nanti.", saved)
		}
		if qerr := r.queue(ctx, session, key, chat, text, nil); qerr != nil {
			r.log.Warn("savecontact reply failed", "error", qerr)
		}
	})
	return nil
}
