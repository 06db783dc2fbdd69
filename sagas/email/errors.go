package email

import (
	"errors"
	"regexp"

	gomail "github.com/wneessen/go-mail"

	"github.com/cicero/cicero/sagas"
)

// deliveryError carries a failure whose text has the recipient taken out
// (errors are logged and recorded in MessageFailed; addresses are personal
// data) while errors.As still reaches go-mail's and the network's errors.
type deliveryError struct {
	msg string
	err error
}

func (e *deliveryError) Error() string { return e.msg }
func (e *deliveryError) Unwrap() error { return e.err }

// classify wraps a failed delivery as permanent or retryable.
func classify(err error, recipient string) error {
	out := &deliveryError{msg: "email: " + redact(err.Error(), recipient), err: err}
	var se *gomail.SendError
	if !errors.As(err, &se) {
		// Dialling, greeting, STARTTLS, AUTH, a cancelled context: the
		// server or our configuration, not this message.
		return out
	}
	switch se.Reason {
	case gomail.ErrGetSender, gomail.ErrGetRcpts, gomail.ErrNoUnencoded:
		return sagas.Permanent(out)
	case gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose, gomail.ErrWriteContent:
		if code := se.ErrorCode(); code >= 500 && code < 600 && !se.IsTemp() {
			return sagas.Permanent(out)
		}
	}
	return out
}

// redact replaces every occurrence of the recipient's address, in any case.
func redact(s, recipient string) string {
	if recipient == "" {
		return s
	}
	return regexp.MustCompile(`(?i)`+regexp.QuoteMeta(recipient)).ReplaceAllString(s, "<recipient>")
}
