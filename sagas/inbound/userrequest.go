package inbound

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/normalize"
)

// The userrequest menu (spec/ops.md §3.8, spec/access.md §1.9): a known
// number sees its identity card, confirms it and may update its fields; an
// unknown number binds itself to an NRP first.

// Steps of the menus.
const (
	stepConfirmID   = "confirm_identity"
	stepAskUpdate   = "ask_update"
	stepChooseField = "choose_field"
	stepValue       = "value"
	stepAskNRP      = "ask_nrp"
	stepConfirmBind = "confirm_bind"
)

// startUserMenu opens the menu: the identity card for a bound number, the
// NRP question otherwise.
func (r *Router) startUserMenu(t *turn) error {
	p, bound, err := r.d.Directory.PersonByWhatsApp(t.ctx, t.number)
	if err != nil {
		return err
	}
	if !bound {
		if err := t.setState(state{Menu: menuBind, Step: stepAskNRP}, ttlBind); err != nil {
			return err
		}
		return t.reply(txtAskNRP)
	}
	if err := t.setState(state{Menu: menuUser, Step: stepConfirmID, NRP: p.NRP}, ttlMenu); err != nil {
		return err
	}
	return t.reply(identityCard(p) + "\n\n" + txtConfirmID)
}

// bindStep runs the binding flow.
func (r *Router) bindStep(t *turn, st state) error {
	switch st.Step {
	case stepAskNRP:
		nrp := normalize.NRP(t.text)
		if len(nrp) < normalize.MinNRPDigits || len(nrp) > normalize.MaxNRPDigits {
			return t.reply(txtBadNRP)
		}
		p, found, err := r.d.Directory.Person(t.ctx, nrp)
		if err != nil {
			return err
		}
		if !found {
			return t.replyf(txtNotFoundNRP, nrp)
		}
		if p.WhatsApp != "" && p.WhatsApp != t.number {
			// The old flow let any number take over an NRP's binding, and
			// with it the notices (and WhatsApp OTPs) meant for its owner.
			return t.replyf(txtBoundElsewhere, p.NRP)
		}
		if err := t.setState(state{Menu: menuBind, Step: stepConfirmBind, NRP: p.NRP}, ttlBind); err != nil {
			return err
		}
		return t.replyf(txtConfirmBind, strings.TrimSpace(p.Title+" "+p.Nama), p.NRP)
	case stepConfirmBind:
		switch yesNo(t.word()) {
		case "ya":
			p, found, err := r.d.Directory.Person(t.ctx, st.NRP)
			if err != nil {
				return err
			}
			if !found {
				return t.endState()
			}
			number := t.number
			ok, err := t.run("", func(m commands.Meta) (commands.Outcome, error) {
				return r.d.Commands.Person.UpdatePerson(t.ctx, m, person.UpdatePerson{NRP: p.NRP, WhatsApp: &number})
			})
			if err != nil || !ok {
				return err
			}
			p.WhatsApp = number
			if err := t.setState(state{Menu: menuUser, Step: stepAskUpdate, NRP: p.NRP}, ttlMenu); err != nil {
				return err
			}
			return t.reply(fmt.Sprintf(txtBound, p.NRP) + "\n\n" + identityCard(p) + "\n\n" + txtAskUpdate)
		case "tidak":
			if err := t.endState(); err != nil {
				return err
			}
			return t.reply(txtSessionClosed)
		}
		return t.reply(txtYaTidak)
	}
	return t.endState()
}

// userStep runs the update menu of a bound number.
func (r *Router) userStep(t *turn, st state) error {
	p, found, err := r.d.Directory.Person(t.ctx, st.NRP)
	if err != nil {
		return err
	}
	if !found {
		return t.endState()
	}
	switch st.Step {
	case stepConfirmID, stepAskUpdate:
		switch yesNo(t.word()) {
		case "ya":
			if st.Step == stepConfirmID {
				st.Step = stepAskUpdate
				if err := t.setState(st, ttlMenu); err != nil {
					return err
				}
				return t.reply(txtAskUpdate)
			}
			st.Step = stepChooseField
			if err := t.setState(st, ttlMenu); err != nil {
				return err
			}
			return t.reply(fieldMenu(p))
		case "tidak":
			if err := t.endState(); err != nil {
				return err
			}
			if st.Step == stepConfirmID {
				return t.reply(txtNotMine)
			}
			return t.reply(txtSessionClosed)
		}
		return t.reply(txtYaTidak)
	case stepChooseField:
		return r.chooseField(t, st, p)
	case stepValue:
		return r.fieldValue(t, st, p)
	}
	return t.endState()
}

// chooseField takes the field number and asks for its value.
func (r *Router) chooseField(t *turn, st state, p Person) error {
	n, err := strconv.Atoi(strings.TrimSpace(t.text))
	fields := fieldsOf(p)
	if err != nil || n < 1 || n > len(fields) {
		return t.reply(txtBadChoice)
	}
	f := fields[n-1]
	st.Step, st.Field, st.Options = stepValue, f.key, nil
	prompt := f.prompt
	switch f.key {
	case fieldPangkat, fieldSatfung:
		var opts []string
		if f.key == fieldPangkat {
			opts, err = r.d.Directory.Titles(t.ctx)
		} else {
			opts, err = r.d.Directory.Satfung(t.ctx, p.ClientID)
		}
		if err != nil {
			return err
		}
		st.Options = opts
		prompt += "\n" + numbered(opts)
	}
	if err := t.setState(st, ttlMenu); err != nil {
		return err
	}
	return t.reply(prompt)
}

// fieldValue validates the value and runs the person command.
func (r *Router) fieldValue(t *turn, st state, p Person) error {
	f, ok := fieldByKey(st.Field)
	if !ok {
		return t.endState()
	}
	shown, ok, err := r.applyField(t, p, f, st.Options, t.text)
	if err != nil || !ok {
		return err
	}
	st.Step, st.Field, st.Options = stepAskUpdate, "", nil
	if err := t.setState(st, ttlMenu); err != nil {
		return err
	}
	return t.reply(fmt.Sprintf(txtUpdated, f.label, shown) + "\n" + txtAskMore)
}

// applyField validates a new value of one of p's fields (a choice of opts
// when given) and runs the person command with the sender as actor. ok is
// false when the value was refused; the refusal has been answered.
func (r *Router) applyField(t *turn, p Person, f field, opts []string, in string) (shown string, ok bool, err error) {
	value := strings.TrimSpace(in)
	if value == "" && f.key != fieldHapusWA {
		return "", false, t.replyf(txtEmptyValue, f.label)
	}
	if opts != nil {
		v, ok := pick(opts, value)
		if !ok {
			return "", false, t.reply(txtBadChoice)
		}
		value = v
	}
	var cmd func(commands.Meta) (commands.Outcome, error)
	shown = normalize.Text(value)
	switch f.key {
	case fieldInstagram, fieldTiktok:
		platform, parse := "instagram", normalize.InstagramHandle
		if f.key == fieldTiktok {
			platform, parse = "tiktok", normalize.TiktokHandle
		}
		h, ok := parse(value)
		if !ok || h == "" {
			return "", false, t.reply("❌ " + handleFormat(platform))
		}
		if taken, err := r.handleTaken(t, platform, h, p.NRP); err != nil || taken {
			return "", false, err
		}
		shown = "@" + h
		cmd = func(m commands.Meta) (commands.Outcome, error) {
			return r.d.Commands.Person.SetHandle(t.ctx, m, person.SetHandle{NRP: p.NRP, Platform: platform, Handle: h})
		}
	case fieldHapusWA:
		empty := ""
		shown = "-"
		cmd = func(m commands.Meta) (commands.Outcome, error) {
			return r.d.Commands.Person.UpdatePerson(t.ctx, m, person.UpdatePerson{NRP: p.NRP, WhatsApp: &empty})
		}
	default:
		if f.key == fieldWhatsApp {
			shown = normalize.WhatsApp(value)
			other, found, err := r.d.Directory.PersonByWhatsApp(t.ctx, shown)
			if err != nil {
				return "", false, err
			}
			if found && other.NRP != p.NRP {
				return "", false, t.reply("❌ Nomor WhatsApp tersebut sudah terhubung dengan personel lain.")
			}
		}
		upd := person.UpdatePerson{NRP: p.NRP}
		*f.set(&upd) = &value
		cmd = func(m commands.Meta) (commands.Outcome, error) {
			return r.d.Commands.Person.UpdatePerson(t.ctx, m, upd)
		}
	}
	ok, err = t.run("", cmd)
	return shown, ok, err
}

// handleTaken refuses a username another person holds.
func (r *Router) handleTaken(t *turn, platform, handle, nrp string) (bool, error) {
	other, found, err := r.d.Directory.PersonByHandle(t.ctx, platform, handle)
	if err != nil || !found || other.NRP == nrp {
		return false, err
	}
	return true, t.replyf(txtHandleTaken, platformLabel(platform), handle)
}

// yesNo reads a ya/tidak answer ("" for anything else).
func yesNo(w string) string {
	switch w {
	case "ya", "y", "iya", "yes":
		return "ya"
	case "tidak", "t", "no", "tdk", "gak", "nggak":
		return "tidak"
	}
	return ""
}

// pick reads a choice by its number or its exact text (case-insensitive).
func pick(opts []string, in string) (string, bool) {
	if n, err := strconv.Atoi(in); err == nil {
		if n >= 1 && n <= len(opts) {
			return opts[n-1], true
		}
		return "", false
	}
	for _, o := range opts {
		if strings.EqualFold(o, strings.TrimSpace(in)) {
			return o, true
		}
	}
	return "", false
}

func numbered(opts []string) string {
	lines := make([]string, len(opts))
	for i, o := range opts {
		lines[i] = fmt.Sprintf("%d. %s", i+1, o)
	}
	return strings.Join(lines, "\n")
}

func platformLabel(platform string) string {
	if platform == "tiktok" {
		return "TikTok"
	}
	return "Instagram"
}

func handleFormat(platform string) string {
	if platform == "tiktok" {
		return "Format username TikTok tidak valid. Gunakan tautan profil atau username seperti tiktok.com/@username atau @username."
	}
	return "Format username Instagram tidak valid. Gunakan tautan profil atau username seperti instagram.com/username atau @username."
}
