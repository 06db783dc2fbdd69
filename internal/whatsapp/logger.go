package whatsapp

import (
	"fmt"
	"log/slog"

	waLog "go.mau.fi/whatsmeow/util/log"
)

// slogLogger is whatsmeow's logger on slog. whatsmeow's messages may name
// numbers and JIDs, so its info and debug lines go to Debug only.
type slogLogger struct{ log *slog.Logger }

func newLogger(log *slog.Logger, module string) waLog.Logger {
	if log == nil {
		return waLog.Noop
	}
	return slogLogger{log: log.With("whatsmeow", module)}
}

func (l slogLogger) Errorf(msg string, args ...any) { l.log.Warn(fmt.Sprintf(msg, args...)) }
func (l slogLogger) Warnf(msg string, args ...any)  { l.log.Warn(fmt.Sprintf(msg, args...)) }
func (l slogLogger) Infof(msg string, args ...any)  { l.log.Debug(fmt.Sprintf(msg, args...)) }
func (l slogLogger) Debugf(string, ...any)          {}
func (l slogLogger) Sub(module string) waLog.Logger {
	return slogLogger{log: l.log.With("module", module)}
}
