package auth

// The access tables: which /api routes need no token, and which routes each
// kind of caller may reach (SPEC.md §5.10). Read top to bottom; within a
// list the first rule that matches decides, and anything unlisted is 403.
// Paths are full request paths; "*" is one segment, a final "**" a subtree.

// publicRoutes need no token (spec/access.md §6.1 step 9). A token, when
// sent and valid, is still read, so logout and de-duplication see the caller.
var publicRoutes = []Rule{
	Allow("*", "/api/auth/login"),              // client operator (mobile)
	Allow("*", "/api/auth/user-login"),         // personnel (mobile)
	Allow("*", "/api/auth/user-register"),      //
	Allow("*", "/api/auth/dashboard-login"),    //
	Allow("*", "/api/auth/dashboard-register"), //
	Allow("*", "/api/auth/penmas-login"),       //
	Allow("*", "/api/auth/penmas-register"),    //
	Allow("*", "/api/auth/open"),               // visitor log
	Allow("*", "/api/auth/logout"),             // revokes whatever token it is sent
	Allow("*", "/api/auth/dashboard-password-reset/**"),
	Allow("*", "/api/auth/password-reset/**"),
	Allow("*", "/api/password-reset/**"),
	Allow("*", "/api/claim/**"), // OTP claim: proves itself by e-mail
	Allow("*", "/api/health/wa"),
}

// operatorRoutes is the old operator allow-list (spec/access.md §2.2) kept
// verbatim — exact paths allow every method — plus the ANEV page and its
// export, which the dashboard calls for ORG operators (SPEC.md §5.15).
var operatorRoutes = []Rule{
	Allow("*", "/api/clients/profile"),
	Allow("*", "/api/amplify/rekap"),
	Allow("*", "/api/amplify/rekap-khusus"),
	Allow("*", "/api/amplify-khusus/rekap"),
	Allow("*", "/api/dashboard/stats"),
	Allow("*", "/api/dashboard/login-web/recap"),
	Allow("*", "/api/dashboard/social-media/instagram/analysis"),
	Allow("*", "/api/dashboard/komplain/insta"),
	Allow("*", "/api/dashboard/komplain/tiktok"),
	Allow("*", "/api/insta/rekap-likes"),
	Allow("*", "/api/insta/rapid-profile"),
	Allow("*", "/api/tiktok/rekap-komentar"),
	Allow("*", "/api/users"),
	Allow("*", "/api/users/create"),
	Allow("*", "/api/users/list"),
	Allow("*", "/api/aggregator/**"),
	Allow("PUT", "/api/users/*"),
	Allow("POST", "/api/link-reports"),
	Allow("POST", "/api/link-reports-khusus"),
	Allow("PUT", "/api/link-reports/*"),
	Allow("PUT", "/api/link-reports-khusus/*"),
	// SPEC.md §5.15: the premium guard behind them still decides.
	Allow("GET", "/api/dashboard/anev"),
	Allow("GET", "/api/dashboard/anev/export"),
	// Their own account (the handlers refuse anyone else's): read it,
	// change its password.
	Allow("GET", "/api/dashboard/users/*"),
	Allow("PUT", "/api/dashboard/users/*/password"),
}

// penmasRoutes are the Penmas editorial routes (spec/ops.md §1); only Penmas
// tokens reach them.
var penmasRoutes = []Rule{
	Allow("*", "/api/events/**"),
	Allow("*", "/api/approvals/**"),
	Allow("*", "/api/press-release-details/**"),
}

// legacyPremiumRoutes are the personnel premium requests (spec/access.md
// §3.8); the handler takes user_id from the token. The old system also let
// Penmas tokens in, but premium_request.user_id referenced personnel, so a
// Penmas request could never be stored: only personnel reach them now.
var legacyPremiumRoutes = []Rule{
	Allow("GET", "/api/premium-requests"),
	Allow("POST", "/api/premium-requests"),
	Allow("PUT", "/api/premium-requests/*"),
}

// adminRoutes are decisions that stay with admins (SPEC.md §5.10): approving
// dashboard users, editor commands, the audit API.
var adminRoutes = []Rule{
	Allow("PUT", "/api/dashboard/users/*/approve"),
	Allow("PUT", "/api/dashboard/users/*/reject"),
	Allow("PUT", "/api/dashboard/users/*/clients"),
	Allow("GET", "/api/dashboard/users"), // the account list; one account is the handler's call
	Allow("*", "/api/commands/**"),
	Allow("*", "/api/audit/**"),
	Allow("POST", "/api/premium/requests/*/approve"),
	Allow("POST", "/api/premium/requests/*/deny"),
	Allow("POST", "/api/premium/users/*/grant"),
	Allow("POST", "/api/premium/users/*/revoke"),
	Allow("POST", "/api/premium-requests/*/approve"),
	Allow("POST", "/api/premium-requests/*/deny"),
}

// personnelRoutes are what the personnel mobile app does with a `user`
// token: see its tasks, report amplification links, request premium, file a
// TikTok complaint. Handlers scope them to the caller's NRP.
var personnelRoutes = concat(
	[]Rule{
		Allow("GET", "/api/insta/posts"),
		Allow("GET", "/api/insta/posts-khusus"),
		Allow("GET", "/api/tiktok/posts"),
		Deny("*", "/api/link-reports/excel/**"), // exports are for the dashboard
		Deny("*", "/api/link-reports-khusus/excel/**"),
		Allow("GET,POST", "/api/link-reports"),
		Allow("GET,PUT,DELETE", "/api/link-reports/*"),
		Allow("GET,POST", "/api/link-reports-khusus"),
		Allow("GET,PUT,DELETE", "/api/link-reports-khusus/*"),
		Allow("POST", "/api/tiktok/komplain"),
	},
	legacyPremiumRoutes,
)

// grants maps each audience to its rules.
var grants = map[Audience][]Rule{
	// Admins: every dashboard route; Penmas stays with Penmas tokens.
	AudienceAdmin: concat(deny(penmasRoutes), []Rule{Allow("*", "/api/**")}),
	// Other dashboard users (directorates, …): the same minus admin decisions.
	AudienceDashboard: concat(deny(penmasRoutes), deny(adminRoutes), []Rule{Allow("*", "/api/**")}),
	AudienceOperator:  operatorRoutes,
	AudiencePersonnel: personnelRoutes,
	AudiencePenmas:    penmasRoutes,
	// Client operators (mobile): the operator list, plus the TikTok routes
	// the old system opened to client tokens (verifyDashboardOrClientToken).
	AudienceClient: concat(operatorRoutes, []Rule{
		Allow("GET", "/api/tiktok/**"),
		Allow("POST", "/api/tiktok/komplain"),
	}),
}

// DefaultPolicy is the policy of the tables above.
func DefaultPolicy() *Policy {
	p, err := NewPolicy(publicRoutes, grants)
	if err != nil {
		panic(err) // the tables are constants; TestDefaultPolicyCompiles guards them
	}
	return p
}

func concat(lists ...[]Rule) []Rule {
	var out []Rule
	for _, l := range lists {
		out = append(out, l...)
	}
	return out
}

// deny turns a group's grants into refusals of the same routes.
func deny(rules []Rule) []Rule {
	out := make([]Rule, len(rules))
	for i, r := range rules {
		out[i] = Rule{Deny: true, Methods: r.Methods, Path: r.Path}
	}
	return out
}
