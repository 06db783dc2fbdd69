package inbound

import (
	"strings"
)

// routeUser is the user-facing session's order (spec/ops.md §3.6 for the
// WA-USER client): batal, the open menu, notifwa#, complaints, admin
// commands, userrequest, profile links; anything else opens the user menu.
func (r *Router) routeUser(t *turn) error {
	if handled, err := r.common(t); handled || err != nil {
		return err
	}
	if t.word() == "userrequest" {
		return r.startUserMenu(t)
	}
	if handled, err := r.profileLink(t); handled || err != nil {
		return err
	}
	return r.startUserMenu(t)
}

// routeMain is the main session's order for private chats: the same
// common steps, the redirect for userrequest, then the fallback.
func (r *Router) routeMain(t *turn) error {
	if handled, err := r.common(t); handled || err != nil {
		return err
	}
	switch strings.ReplaceAll(t.word(), " ", "") {
	case "userrequest":
		return t.reply(txtUserRedirect)
	case "oprrequest":
		return r.startOperatorMenu(t)
	case "dirrequest":
		return r.startDirMenu(t)
	}
	if handled, err := r.profileLink(t); handled || err != nil {
		return err
	}
	return r.fallbackMain(t)
}

// routeGroup handles a group message on the main session: complaints are
// answered; an admin's thisgroup# sets the client's group (the old router
// never let it through, spec/ops.md §6 #20); the rest is group chatter.
func (r *Router) routeGroup(t *turn) error {
	if isComplaint(t.text) {
		return r.complaint(t)
	}
	if strings.HasPrefix(t.word(), "thisgroup#") {
		if !t.admin {
			return t.send(t.senderJID, txtNoAccess, nil)
		}
		return r.thisGroup(t)
	}
	return nil
}

// routeGateway answers complaints and bulk deletion requests only: in
// private chats and in the groups of active clients (the gateway's
// allow-list).
func (r *Router) routeGateway(t *turn) error {
	_, bulk := parseBulkDeletion(t.text)
	if !isComplaint(t.text) && !bulk {
		return nil
	}
	if t.group {
		ok, err := r.isClientGroup(t)
		if err != nil || !ok {
			return err
		}
	}
	if bulk {
		_, err := r.bulkDeletion(t)
		return err
	}
	return r.complaint(t)
}

// common are the steps both private-chat sessions share, in order: batal,
// the open menu session, bulk deletion requests, complaints, the admin
// guard and commands, notifwa#.
func (r *Router) common(t *turn) (bool, error) {
	st, open, err := t.getState()
	if err != nil {
		return true, err
	}
	w := t.word()
	if w == "batal" {
		if open {
			if err := t.endState(); err != nil {
				return true, err
			}
		}
		return true, t.reply(closeText(st.Menu))
	}
	if open && !isMenuCommand(w) {
		return true, r.step(t, st)
	}
	if handled, err := r.bulkDeletion(t); handled || err != nil {
		return true, err
	}
	if isComplaint(t.text) {
		return true, r.complaint(t)
	}
	if cmd, ok := adminCommand(w); ok {
		if !t.admin {
			return true, t.reply(txtNoAccess)
		}
		return true, r.admin(t, cmd)
	}
	if strings.HasPrefix(w, "notifwa#") {
		return true, r.notifWA(t)
	}
	return false, nil
}

// step continues the open menu session.
func (r *Router) step(t *turn, st state) error {
	switch st.Menu {
	case menuBind:
		return r.bindStep(t, st)
	case menuUser:
		return r.userStep(t, st)
	case menuLink:
		return r.linkStep(t, st)
	case menuOpr:
		return r.oprStep(t, st)
	case menuDir:
		return r.dirStep(t, st)
	case menuPrompt:
		return r.promptStep(t, st)
	}
	return t.endState()
}

// isMenuCommand: a menu command restarts its menu even inside another.
func isMenuCommand(w string) bool {
	switch strings.ReplaceAll(w, " ", "") {
	case "userrequest", "oprrequest", "dirrequest":
		return true
	}
	return false
}

// closeText answers batal (spec/ops.md §3.6 step 3).
func closeText(menu string) string {
	switch menu {
	case menuOpr:
		return "✅ Menu Operator ditutup."
	case menuDir:
		return txtDirExit
	}
	return txtUserClosed
}

// isClientGroup reports whether a group is the WhatsApp group of an active
// client (the gateway's allow-list, spec/ops.md §3.3).
func (r *Router) isClientGroup(t *turn) (bool, error) {
	if r.d.Groups == nil {
		return false, nil
	}
	return r.d.Groups.IsClientGroup(t.ctx, t.chat)
}
