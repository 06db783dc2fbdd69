package inbound

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/internal/complainttext"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/waid"
)

// The main session's answer to a message nothing else understood
// (spec/ops.md §3.6 step 12): on a number's first contact (remembered a
// day) admins and a client's operator or super admin get their option
// prompt (valid 2 minutes); otherwise a bound number hears that the
// command is unknown, with its operator's contact, and anyone else the
// WA-USER redirect.

const (
	menuPrompt   = "prompt"
	promptAdmin  = "admin"
	promptOpr    = "operator"
	firstContact = 24 * time.Hour
)

const txtAdminPrompt = "Pilih menu:\n1️⃣ Menu Client\n2️⃣ Menu Operator\n3️⃣ Perbarui data saya\nBalas angka pilihan Anda."

func (r *Router) fallbackMain(t *turn) error {
	first, err := r.sess.claim(t.ctx, "contact:"+t.session+":"+t.number, firstContact)
	if err != nil {
		return err
	}
	if first && t.number != "" {
		if t.admin {
			if err := t.setState(state{Menu: menuPrompt, Step: promptAdmin}, ttlPrompt); err != nil {
				return err
			}
			return t.reply(txtAdminPrompt)
		}
		cs, err := r.d.Directory.ClientsByContact(t.ctx, t.number)
		if err != nil {
			return err
		}
		if len(cs) > 0 {
			role := "super admin"
			if cs[0].Operator == t.number {
				role = "operator"
			}
			if err := t.setState(state{Menu: menuPrompt, Step: promptOpr}, ttlPrompt); err != nil {
				return err
			}
			return t.replyf("%s! Nomor ini terdaftar sebagai *%s* untuk client *%s*.\n1️⃣ Menu Operator\n2️⃣ Perbarui data saya\nBalas angka pilihan Anda.",
				complainttext.Greeting(r.cfg.Now(), jakarta.Location), role, cs[0].Nama)
		}
	}
	p, bound, err := r.d.Directory.PersonByWhatsApp(t.ctx, t.number)
	if err != nil {
		return err
	}
	if !bound {
		return t.reply(txtUserRedirect)
	}
	text := txtUnknown + "\n" + txtHelp
	if line, err := r.operatorContact(t.ctx, p); err != nil {
		return err
	} else if line != "" {
		text += "\n" + line
	}
	return t.reply(text)
}

// operatorContact is the "Hubungi operator Anda" line of a person's client.
func (r *Router) operatorContact(ctx context.Context, p Person) (string, error) {
	if p.ClientID == "" {
		return "", nil
	}
	c, found, err := r.d.Directory.Client(ctx, p.ClientID)
	if err != nil || !found || waid.UserJID(c.Operator) == "" {
		return "", err
	}
	return fmt.Sprintf("Hubungi operator Anda: *%s* (WA: https://wa.me/%s)", c.Nama, waid.Number(c.Operator)), nil
}

// promptStep takes the answer to an option prompt.
func (r *Router) promptStep(t *turn, st state) error {
	choice := strings.TrimSpace(t.text)
	if st.Step == promptAdmin {
		switch choice {
		case "1":
			return r.endThen(t, func() error { return t.reply(adminHelp) })
		case "2":
			return r.endThen(t, func() error { return r.startOperatorMenu(t) })
		case "3":
			return r.endThen(t, func() error { return t.reply(txtUserRedirect) })
		}
		return t.reply(txtBadChoice)
	}
	switch choice {
	case "1":
		return r.endThen(t, func() error { return r.startOperatorMenu(t) })
	case "2":
		return r.endThen(t, func() error { return t.reply(txtUserRedirect) })
	}
	return t.reply(txtBadChoice)
}

// endThen closes the prompt and runs what was chosen.
func (r *Router) endThen(t *turn, fn func() error) error {
	if err := t.endState(); err != nil {
		return err
	}
	return fn()
}
