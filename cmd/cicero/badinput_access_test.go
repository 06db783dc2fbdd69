package main

import (
	"testing"
)

// accessHoleRows are the refusals that close the access holes of issue 8
// §6, through the fully wired server; each refused call appends nothing.
func (w *badWorld) accessHoleRows() []badRow {
	user := func(nrp string) string { return "/api/users/" + nrp }
	fresh := func(i int) string { return w.nrp(60 + i) }
	const unknownRole = "role humas tidak dikenal; role yang tersedia: operator, ditbinmas, ditlantas, bidhumas, ditsamapta, ditintelkam"
	return []badRow{
		// Roles are a closed set; a directorate role is changed only by
		// admins and that directorate's own users (real changes only).
		{method: post, route: "/api/users/create", kind: badInvalid, variant: "unknown-role", caller: w.admin,
			body:   badJSON(badObj{"user_id": fresh(0), "nama": "BARU", "client_id": "POLRESA", "roles": []string{"operator", "humas"}}),
			status: s400, message: unknownRole, probe: user(fresh(0))},
		{method: post, route: "/api/users/create", kind: badWrongKind, variant: "directorate-role", caller: w.opr,
			body:   badJSON(badObj{"user_id": fresh(1), "nama": "BARU", "roles": []string{"ditbinmas"}}),
			status: s403, message: "role ditbinmas tidak diizinkan", probe: user(fresh(1))},
		{method: put, route: "/api/users/{id}", path: user(w.pA1), kind: badWrongKind, variant: "directorate-role", caller: w.opr,
			body: `{"operator":true,"ditlantas":true}`, status: s403, message: "role ditlantas tidak diizinkan", probe: user(w.pA1)},
		{method: put, route: "/api/users/{id}/roles", path: user(w.pB1) + "/roles", kind: badWrongKind, variant: "directorate-role",
			caller: w.dirB, body: `{"roles":["ditbinmas","ditlantas"]}`,
			status: s403, message: "role ditlantas tidak diizinkan", probe: user(w.pB1)},
		{method: del, route: "/api/users/{id}", path: user(fresh(2)) + "?role=ditlantas", kind: badWrongKind, variant: "directorate-role",
			caller: w.dirB, before: func(t *testing.T, _ *badRequest) {
				w.expect(t, w.admin, post, "/api/users/create", badJSON(badObj{"user_id": fresh(2), "nama": "LANTAS",
					"client_id": "POLRESB", "roles": []string{"ditlantas"}}), nil, s201)
			},
			status: s403, message: "role ditlantas tidak diizinkan", probe: user(fresh(2))},
		// Another directorate's row names its operator's number.
		{method: get, route: "/api/clients/profile", path: "/api/clients/profile?client_id=POLRESB&scope=direktorat&role=ditlantas",
			kind: badWrongKind, variant: "other-directorate", caller: w.dirB, status: s403, legacyErr: "role direktorat tidak diizinkan"},
		// Placement and the operator's number are the admins'.
		{method: put, route: "/api/clients/{client_id}", path: "/api/clients/POLRESC", kind: badWrongKind, variant: "admin-only-field",
			caller: w.dirB, body: `{"nama":"POLRES C","client_operator":"081299990000"}`,
			status: s403, message: "client_operator hanya dapat diubah oleh admin", probe: "/api/clients/POLRESC"},
	}
}
