package jakarta

import (
	"fmt"
	"time"
)

// Month names of the id-ID locale.
var monthsID = [...]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
	"September", "Oktober", "November", "Desember"}

// LocaleString is JavaScript's toLocaleString('id-ID', {timeZone:
// 'Asia/Jakarta'}) of t, as the legacy notices print times: "3/12/2026,
// 09.05.07".
func LocaleString(t time.Time) string {
	t = t.In(Location)
	return fmt.Sprintf("%d/%d/%d, %02d.%02d.%02d", t.Day(), int(t.Month()), t.Year(), t.Hour(), t.Minute(), t.Second())
}

// LongDateTime is Intl.DateTimeFormat('id-ID', {dateStyle: 'long',
// timeStyle: 'short', timeZone: 'Asia/Jakarta'}) of t: "3 Desember 2026
// pukul 09.05".
func LongDateTime(t time.Time) string {
	t = t.In(Location)
	return fmt.Sprintf("%d %s %d pukul %02d.%02d", t.Day(), monthsID[t.Month()-1], t.Year(), t.Hour(), t.Minute())
}
