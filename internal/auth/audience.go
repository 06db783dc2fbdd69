package auth

// Audience is the class of caller an allow-list is written for.
type Audience string

const (
	AudienceAdmin     Audience = "admin"     // dashboard user with role admin
	AudienceOperator  Audience = "operator"  // dashboard user with role operator
	AudienceDashboard Audience = "dashboard" // any other dashboard user (directorates, …)
	AudiencePersonnel Audience = "personnel" // personnel (user) token
	AudiencePenmas    Audience = "penmas"    // Penmas editorial token
	AudienceClient    Audience = "client"    // client-operator (mobile) token
)

// AudienceOf classifies a principal.
func AudienceOf(p *Principal) Audience {
	switch p.Kind {
	case KindDashboard:
		switch {
		case p.IsAdmin():
			return AudienceAdmin
		case p.IsOperator():
			return AudienceOperator
		default:
			return AudienceDashboard
		}
	case KindUser:
		return AudiencePersonnel
	case KindPenmas:
		return AudiencePenmas
	default:
		return AudienceClient
	}
}
