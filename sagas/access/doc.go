// Package access holds the sagas of the ACCESS context: the messages its
// events make due (the personnel claim's OTP code by e-mail, the dashboard
// password-reset token by e-mail or WhatsApp). A saga decides from the event
// alone; the secrets travel sealed and only the dispatcher opens them.
// It imports events and the sagas runtime only.
package access
