package events

import "time"

// ComplaintSubjectPrefix is the prefix of the complaint aggregates (stream
// COMPLAINT).
const ComplaintSubjectPrefix = "complaint"

// ComplaintSubject is the subject of one answered complaint.
func ComplaintSubject(id string) string { return Subject(ComplaintSubjectPrefix, id) }

// ComplaintAnswered: a dashboard user answered a person's complaint about
// their Instagram or TikTok attendance (spec/access.md §5). Message is the
// composed answer; it goes to the WhatsApp numbers named, or by e-mail to
// a person without a number (the complaint saga queues it in the outbox),
// and is kept here for auditors.
type ComplaintAnswered struct {
	ComplaintID string `json:"complaint_id"`
	Platform    string `json:"platform"` // instagram, tiktok
	NRP         string `json:"user_id"`
	ClientID    string `json:"client_id"`
	Reporter    string `json:"reporter"`
	Issue       string `json:"issue"`
	Solution    string `json:"solution"`
	Message     string `json:"message"`
	// Known lists the recognised issue keys (complainttext.Detect).
	Known []string `json:"known,omitempty"`
	// PersonnelWhatsApp and DashboardWhatsApp are the normalised numbers
	// (digits, 62…) the answer is sent to; "" when none.
	PersonnelWhatsApp string `json:"personnel_whatsapp,omitempty"`
	DashboardWhatsApp string `json:"dashboard_whatsapp,omitempty"`
	// PersonnelEmail is where the answer goes when the person has no
	// WhatsApp number ("" otherwise).
	PersonnelEmail string    `json:"personnel_email,omitempty"`
	By             string    `json:"by"`
	AnsweredAt     time.Time `json:"answered_at"`
}

func (ComplaintAnswered) EventType() string { return "ComplaintAnswered" }

func registerComplaint(r *Registry) { r.Register(1, func() Payload { return &ComplaintAnswered{} }) }
