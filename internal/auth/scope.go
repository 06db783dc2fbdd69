package auth

import "strings"

// AllowsClient reports whether the caller may act for client id (compared
// case-insensitively). Admins may act for any client; everyone else only
// for the clients of their token (client_ids, or client_id).
func (p *Principal) AllowsClient(id string) bool {
	_, ok := p.matchClient(id)
	return ok || (p.IsAdmin() && strings.TrimSpace(id) != "")
}

// ResolveClient turns the client_id a request names (may be empty) into the
// client the caller acts for, with the operator rule of spec/access.md §1.3
// and §1.5 applied to every scoped caller:
//   - named and among the caller's clients → the caller's spelling of it;
//   - named but not among them → 403 "client_id tidak diizinkan";
//   - not named, exactly one client → that one; several → 400 "client_id
//     wajib diisi"; none → 403 "client_id tidak diizinkan".
//
// Admins are unrestricted: a named id is returned trimmed as given; without
// one they get their single client or 400.
// Errors are *apperr.Error, ready for httpx.Error.
func (p *Principal) ResolveClient(requested string) (string, error) {
	requested = strings.TrimSpace(requested)
	if requested != "" {
		if own, ok := p.matchClient(requested); ok {
			return own, nil
		}
		if p.IsAdmin() {
			return requested, nil
		}
		return "", errClientNotAllowed()
	}
	clients := p.clients()
	switch {
	case len(clients) == 1:
		return clients[0], nil
	case len(clients) > 1 || p.IsAdmin():
		return "", errClientRequired()
	default:
		return "", errClientNotAllowed()
	}
}

// clients is the caller's client list: client_ids, else [client_id].
func (p *Principal) clients() []string {
	if len(p.ClientIDs) > 0 {
		return p.ClientIDs
	}
	if p.ClientID != "" {
		return []string{p.ClientID}
	}
	return nil
}

func (p *Principal) matchClient(id string) (string, bool) {
	id = strings.TrimSpace(id)
	if id == "" {
		return "", false
	}
	for _, c := range p.clients() {
		if strings.EqualFold(c, id) {
			return c, true
		}
	}
	return "", false
}
