package readapi

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/cicero/cicero/projections/social"
)

// The recap payload is written by hand: at a few thousand people per
// answer, building one map per row and letting encoding/json sort their
// keys took most of the request's time (README, Performance).

// recapTally is what the payload's summary needs from the rows.
type recapTally struct {
	status                       []string
	sudah, kurang, belum, noUser int
	noPosts, sumCount            int
	sumRate                      float64
}

func tallyRecap(rows []social.AttendanceRow, total int) recapTally {
	t := recapTally{status: make([]string, len(rows))}
	for i, x := range rows {
		st := recapStatus(x, total)
		t.status[i] = st
		t.sumCount += x.Done
		switch st {
		case stSudah:
			t.sudah++
		case stKurang:
			t.kurang++
		case stBelum:
			t.belum++
		case stNoUsername:
			t.noUser++
		case stNoPosts:
			t.noPosts++
		}
		if total > 0 && (st == stSudah || st == stKurang || st == stBelum) {
			t.sumRate += float64(x.Done) / float64(total)
		}
	}
	return t
}

// appendRecap appends the members of the payload of spec §4.2 (likes) or
// §4.3 (comments), from rows already ordered, to an open JSON object.
func appendRecap(j *jsonw, rows []social.AttendanceRow, total int, w *recapWords) {
	t := tallyRecap(rows, total)
	j.key("data")
	j.open('[')
	for i, x := range rows {
		appendRecapRow(j, x, i, t.status[i], total, w)
	}
	j.close(']')
	j.key("chartHeight")
	j.int(max(len(rows)*36, 320))
	j.key("totalPosts")
	j.int(total)
	for _, l := range []struct {
		key string
		st  string
	}{{"sudahUsers", stSudah}, {"kurangUsers", stKurang}, {"belumUsers", stBelum}} {
		j.key(l.key)
		j.open('[')
		for i, x := range rows {
			if t.status[i] == l.st && x.Username != "" {
				j.str(x.Username)
			}
		}
		j.close(']')
	}
	j.key("sudahUsersCount")
	j.int(t.sudah)
	j.key("kurangUsersCount")
	j.int(t.kurang)
	j.key("belumUsersCount")
	j.int(t.belum + t.noUser)
	j.key("noUsernameUsersCount")
	j.int(t.noUser)
	j.key("noUsernameUsers")
	j.open('[')
	for range t.noUser {
		j.null()
	}
	j.close(']')
	j.key("usersCount")
	j.int(len(rows))
	appendRecapSummary(j, t, len(rows), total, w)
	j.key("chartData")
	j.open('[')
	for i, x := range rows {
		j.open('{')
		label := firstNonEmpty(x.Nama, x.Title, x.Username)
		if label == "" {
			label = "Pengguna " + itoa(i+1)
		}
		j.key("label")
		j.str(label)
		j.key(w.chart)
		j.int(x.Done)
		j.key(w.missing)
		j.int(max(total-x.Done, 0))
		j.key("completionPercentage")
		j.int(recapPct(x.Done, total))
		j.close('}')
	}
	j.close(']')
	j.key("insights")
	j.open('[')
	for _, c := range []struct {
		n   int
		txt string
	}{{t.sudah, w.insSudah}, {t.kurang, w.insKurang}, {t.belum, w.insBelum}, {t.noUser, w.insNoHandle}} {
		if c.n > 0 {
			j.str(strings.Replace(c.txt, "%d", itoa(c.n), 1))
		}
	}
	if total == 0 {
		j.str("ℹ️ Tidak ada konten pada periode ini.")
	}
	j.close(']')
	j.key("statusLegend")
	j.raw(w.legend())
	j.key("noUsernameUsersDetails")
	j.open('[')
	for i, x := range rows {
		if t.status[i] != stNoUsername {
			continue
		}
		j.open('{')
		j.key("userId")
		j.str(x.UserID)
		j.key("name")
		j.str(x.Nama)
		j.key("division")
		j.str(x.Divisi)
		j.key("clientId")
		j.str(x.ClientID)
		j.key("regionalId")
		j.strPtr(x.RegionalID)
		j.close('}')
	}
	j.close(']')
}

func recapRate(done, total int) float64 {
	if total <= 0 {
		return 0
	}
	return float64(done) / float64(total)
}

func recapPct(done, total int) int { return int(math.Round(recapRate(done, total) * 100)) }

func appendRecapRow(j *jsonw, x social.AttendanceRow, i int, st string, total int, w *recapWords) {
	j.open('{')
	j.key("user_id")
	j.str(x.UserID)
	j.key("title")
	j.str(x.Title)
	j.key("nama")
	j.str(x.Nama)
	j.key("username")
	j.strOrNull(x.Username)
	j.key("divisi")
	j.str(x.Divisi)
	j.key("client_id")
	j.str(x.ClientID)
	j.key("client_name")
	j.str(x.ClientName)
	j.key("regional_id")
	j.strPtr(x.RegionalID)
	j.key(w.count)
	j.int(x.Done)
	if w.tiktok {
		j.key("total_konten")
		j.int(total)
	} else {
		j.key("exception")
		j.bool(x.Exception)
	}
	j.key("ranking")
	j.int(i + 1)
	j.key("completionRate")
	j.float(recapRate(x.Done, total))
	j.key("completionPercentage")
	j.int(recapPct(x.Done, total))
	j.key(w.missing)
	j.int(max(total-x.Done, 0))
	j.key("status")
	j.str(st)
	j.key("badges")
	j.open('[')
	switch st {
	case stSudah:
		j.str(w.sudah)
	case stKurang:
		j.str(w.kurang)
	case stBelum:
		j.str(w.belum)
	case stNoPosts:
		j.str(w.noPosts)
	}
	if x.Handle == "" && !x.Exception {
		j.str(w.noHandle)
	}
	j.close(']')
	j.close('}')
}

func appendRecapSummary(j *jsonw, t recapTally, users, total int, w *recapWords) {
	active := t.sudah + t.kurang + t.belum
	avg, part := 0.0, 0.0
	if active > 0 && total > 0 {
		avg = round1(100 * t.sumRate / float64(active))
		part = round1(100 * float64(t.sudah+t.kurang) / float64(active))
	}
	j.key("summary")
	j.open('{')
	j.key("totalPosts")
	j.int(total)
	j.key("totalUsers")
	j.int(users)
	j.key(w.total)
	j.int(t.sumCount)
	j.key("averageCompletionPercentage")
	j.float(avg)
	j.key("participationRatePercentage")
	j.float(part)
	j.key("distribution")
	j.open('{')
	for _, d := range []struct {
		k string
		n int
	}{{"sudah", t.sudah}, {"kurang", t.kurang}, {"belum", t.belum}, {"noUsername", t.noUser}, {"noPosts", t.noPosts}} {
		j.key(d.k)
		j.int(d.n)
	}
	j.close('}')
	j.close('}')
}

// legend is the fixed statusLegend array, encoded once per platform.
func (w *recapWords) legend() []byte {
	w.legendOnce.Do(func() {
		w.legendJSON, _ = json.Marshal([]map[string]string{
			{"status": stSudah, "label": "Sudah", "description": w.legSudah},
			{"status": stKurang, "label": "Kurang", "description": w.legKurang},
			{"status": stBelum, "label": "Belum", "description": w.legBelum},
			{"status": stNoUsername, "label": "No Username", "description": w.legNoHandle},
			{"status": stNoPosts, "label": "No Posts", "description": "Tidak ada konten untuk periode yang dipilih."},
		})
	})
	return w.legendJSON
}

// jsonw appends JSON: values separated by commas within an array or
// object, keys followed by a colon.
type jsonw struct {
	b     []byte
	comma bool // a value was written at this level: the next one needs a comma
}

func (j *jsonw) sep() {
	if j.comma {
		j.b = append(j.b, ',')
	}
	j.comma = true
}

func (j *jsonw) open(c byte) { j.sep(); j.b = append(j.b, c); j.comma = false }

func (j *jsonw) close(c byte) { j.b = append(j.b, c); j.comma = true }

// key writes "k": — the value that follows needs no comma.
func (j *jsonw) key(k string) { j.sep(); j.appendString(k); j.b = append(j.b, ':'); j.comma = false }

func (j *jsonw) str(s string) { j.sep(); j.appendString(s) }

func (j *jsonw) strPtr(s *string) {
	if s == nil {
		j.null()
		return
	}
	j.str(*s)
}

// strOrNull writes "" as null.
func (j *jsonw) strOrNull(s string) {
	if s == "" {
		j.null()
		return
	}
	j.str(s)
}

func (j *jsonw) null() { j.sep(); j.b = append(j.b, "null"...) }

func (j *jsonw) int(n int) { j.sep(); j.b = strconv.AppendInt(j.b, int64(n), 10) }

func (j *jsonw) bool(v bool) { j.sep(); j.b = strconv.AppendBool(j.b, v) }

func (j *jsonw) raw(v []byte) { j.sep(); j.b = append(j.b, v...) }

// float writes f as encoding/json does (shortest form; finite values only).
func (j *jsonw) float(f float64) {
	j.sep()
	if a := math.Abs(f); a == 0 || (a >= 1e-6 && a < 1e21) {
		j.b = strconv.AppendFloat(j.b, f, 'f', -1, 64)
		return
	}
	v, err := json.Marshal(f)
	if err != nil {
		v = []byte("0")
	}
	j.b = append(j.b, v...)
}

const hexDigits = "0123456789abcdef"

// appendString quotes s as JSON: quote, backslash and control characters
// escaped, invalid UTF-8 replaced by U+FFFD (as encoding/json does; it
// also escapes <, >, & and U+2028/9, which JSON does not require).
func (j *jsonw) appendString(s string) {
	j.b = append(j.b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			j.b = append(j.b, s[start:i]...)
			switch c {
			case '"', '\\':
				j.b = append(j.b, '\\', c)
			case '\n':
				j.b = append(j.b, '\\', 'n')
			case '\r':
				j.b = append(j.b, '\\', 'r')
			case '\t':
				j.b = append(j.b, '\\', 't')
			default:
				j.b = append(j.b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			j.b = append(j.b, s[start:i]...)
			j.b = append(j.b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		i += size
	}
	j.b = append(j.b, s[start:]...)
	j.b = append(j.b, '"')
}

// recapBufs holds the answers' buffers between requests; a buffer grown
// past 8 MiB is let go.
var recapBufs = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// writeRecap answers 200 with the object that fill writes members into.
func writeRecap(w http.ResponseWriter, fill func(j *jsonw)) {
	bp := recapBufs.Get().(*[]byte)
	j := &jsonw{b: (*bp)[:0]}
	j.open('{')
	j.key("success")
	j.bool(true)
	fill(j)
	j.close('}')
	j.b = append(j.b, '\n')
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(len(j.b)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(j.b)
	if cap(j.b) <= 8<<20 {
		*bp = j.b[:0]
		recapBufs.Put(bp)
	}
}
