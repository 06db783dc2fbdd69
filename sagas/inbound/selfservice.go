package inbound

import (
	"regexp"
	"strings"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/person"
)

// notifWA is notifwa#on|off (spec/access.md §1.9 item 4): the bound
// person's consent to WhatsApp task notifications.
func (r *Router) notifWA(t *turn) error {
	_, v, _ := strings.Cut(t.word(), "#")
	var on bool
	switch strings.TrimSpace(v) {
	case "on", "ya", "yes", "true", "1", "aktif":
		on = true
	case "off", "no", "tidak", "false", "0", "nonaktif":
	default:
		return t.reply(txtNotifFormat)
	}
	p, bound, err := r.d.Directory.PersonByWhatsApp(t.ctx, t.number)
	if err != nil {
		return err
	}
	if !bound {
		return t.reply(txtNotBound)
	}
	ok, err := t.run("", func(m commands.Meta) (commands.Outcome, error) {
		return r.d.Commands.Person.SetWhatsAppOptIn(t.ctx, m, person.SetWhatsAppOptIn{NRP: p.NRP, OptIn: on, WhatsApp: t.number})
	})
	if err != nil || !ok {
		return err
	}
	if on {
		return t.reply(txtNotifOn)
	}
	return t.reply(txtNotifOff)
}

var (
	instaLinkRE  = regexp.MustCompile(`(?i)^(?:https?://)?(?:www\.)?instagram\.com/([A-Za-z0-9._]+)/?(?:\?\S*)?$`)
	tiktokLinkRE = regexp.MustCompile(`(?i)^(?:https?://)?(?:www\.|m\.)?tiktok\.com/@([A-Za-z0-9._]+)/?(?:\?\S*)?$`)
)

// instaReserved are instagram.com paths that are not profiles.
var instaReserved = map[string]bool{"p": true, "reel": true, "reels": true, "stories": true, "explore": true, "tv": true, "accounts": true}

// profileLink offers to take the username of a profile link sent on its
// own (no '#'): handled is false when the text is no such link.
func (r *Router) profileLink(t *turn) (bool, error) {
	if strings.Contains(t.text, "#") {
		return false, nil
	}
	platform, handle := "", ""
	if m := instaLinkRE.FindStringSubmatch(t.text); m != nil && !instaReserved[strings.ToLower(m[1])] {
		platform, handle = "instagram", strings.ToLower(m[1])
	} else if m := tiktokLinkRE.FindStringSubmatch(t.text); m != nil {
		platform, handle = "tiktok", strings.ToLower(m[1])
	}
	if platform == "" {
		return false, nil
	}
	p, bound, err := r.d.Directory.PersonByWhatsApp(t.ctx, t.number)
	if err != nil {
		return true, err
	}
	if !bound {
		return true, t.reply(txtNotBound)
	}
	if err := t.setState(state{Menu: menuLink, Step: "confirm", NRP: p.NRP, Platform: platform, Handle: handle}, ttlPrompt); err != nil {
		return true, err
	}
	return true, t.replyf(txtLinkOffer, platformLabel(platform), handle)
}

// linkStep takes the ya/tidak answer to a profile-link offer.
func (r *Router) linkStep(t *turn, st state) error {
	switch yesNo(t.word()) {
	case "ya":
		if err := t.endState(); err != nil {
			return err
		}
		if taken, err := r.handleTaken(t, st.Platform, st.Handle, st.NRP); err != nil || taken {
			return err
		}
		ok, err := t.run("", func(m commands.Meta) (commands.Outcome, error) {
			return r.d.Commands.Person.SetHandle(t.ctx, m, person.SetHandle{NRP: st.NRP, Platform: st.Platform, Handle: st.Handle})
		})
		if err != nil || !ok {
			return err
		}
		return t.replyf(txtUpdated, "Username "+platformLabel(st.Platform), "@"+st.Handle)
	case "tidak":
		if err := t.endState(); err != nil {
			return err
		}
		return t.reply(txtLinkCancelled)
	}
	return t.reply(txtYaTidak)
}
