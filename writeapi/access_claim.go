package writeapi

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/cicero/cicero/projections/directory"

	"github.com/google/uuid"

	"github.com/cicero/cicero/commands"
	"github.com/cicero/cicero/commands/claim"
	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/otp"
)

// The claim API (spec access.md §4): a member proves an NRP by a code
// e-mailed to him, then reads and updates his own profile. The routes take
// no token (the code is the credential) and are exempt from request
// de-duplication. Paths, bodies, statuses and messages are the legacy
// ones; the differences are the fixes of SPEC.md §5.12 (crypto codes
// stored as HMACs, attempts counted, requests throttled → 429) and one
// more: an address already held by another person is refused (409) also
// when the claimed person has none yet (access.md §7 #23).
//
// The OTP mail is sent directly through the email Sender, not through the
// outbox: a code is useful for five minutes and must arrive within
// seconds, while the outbox is polled and retried with back-off over
// minutes to hours; a code is also not history worth replaying. The member
// sees a failure at once (502/503) and asks again; the failed code is
// withdrawn so he need not wait out the cooldown.

// Legacy messages of the claim API.
const (
	claimMsgNRPEmailRequired = "nrp dan email wajib diisi"
	claimMsgVerifyRequired   = "nrp, email, dan otp wajib diisi"
	claimMsgEmailRequired    = "Email wajib diisi"
	claimMsgEmailFormat      = "Format email tidak valid. Pastikan menulis alamat lengkap seperti nama@contoh.com"
	claimMsgEmailDomain      = "Email tidak dapat digunakan. Domain email tidak aktif atau tidak menerima email."
	claimMsgDNSUnavailable   = "Layanan validasi email tidak tersedia. Coba beberapa saat lagi."
	claimMsgEmailInactive    = "Email tidak aktif. Hubungi admin untuk mengaktifkan kembali."
	claimMsgEmailValid       = "Email valid dan bisa digunakan"
	claimMsgDBUnavailable    = "Database tidak tersedia"
	claimMsgUserNotFound     = "User tidak ditemukan"
	claimMsgEmailTaken       = "Email sudah dipakai akun lain. Gunakan email berbeda atau hubungi admin untuk memperbaiki data."
	claimMsgEmailDiffers     = "email tidak sesuai"
	claimMsgSendFailed       = "Gagal mengirim OTP"
	claimMsgOTPSent          = "OTP akan dikirim sesaat lagi"
	claimMsgOTPInvalid       = "OTP tidak valid"
	claimMsgNotVerified      = "OTP belum diverifikasi"
	claimMsgInstaFormat      = "Format username Instagram tidak valid. Gunakan tautan profil atau username seperti instagram.com/username atau @username."
	claimMsgTiktokFormat     = "Format username TikTok tidak valid. Gunakan tautan profil atau username seperti tiktok.com/@username atau @username."
	claimMsgInstaReserved    = "username instagram tidak valid"
	claimMsgTiktokReserved   = "username tiktok tidak valid"
	claimMsgPhoneInvalid     = "Nomor telepon tidak valid. Masukkan minimal 8 digit angka."
	claimMsgBadJSON          = "Body JSON tidak valid"
	// Ours (the legacy system had neither a throttle nor Redis errors).
	claimMsgThrottled      = "Terlalu sering meminta OTP. Coba lagi dalam %d detik."
	claimMsgOTPUnavailable = "Layanan OTP tidak tersedia. Coba beberapa saat lagi."
)

// claimReservedHandle belongs to the Super Admin on both platforms.
const claimReservedHandle = "cicero_devs"

// ClaimDirectory is what the claim API reads from the personnel read
// model (directory.Queries satisfies it).
type ClaimDirectory interface {
	Person(ctx context.Context, userID string) (directory.Person, error)
	PeopleByEmail(ctx context.Context, email string) ([]directory.Person, error)
}

// ClaimDeps is everything the claim routes use.
type ClaimDeps struct {
	Directory ClaimDirectory
	OTP       *otp.Store
	Claims    *claim.Handlers
	People    *person.Handlers
	// Seal seals a code into its ClaimOTPIssued for the mail saga
	// (seal.Box.Seal); Deliveries waits for the mail the saga makes due.
	Seal       func(secret string) string
	Deliveries Deliveries
	// CanWhatsApp says the dispatcher has a WhatsApp sender: a person with
	// no e-mail on file then gets the code at his WhatsApp number on file.
	CanWhatsApp bool
	// WaitForDirectory blocks until the directory read model has applied
	// the positions, so /update answers with the row it wrote (e.g.
	// Manager.WaitFor(ctx, "directory", ps, max)). Nil: no wait.
	WaitForDirectory Waiter
	// LookupMX resolves a domain's mail exchangers for validate-email
	// (default net.DefaultResolver.LookupMX, bounded by MXTimeout).
	LookupMX  func(ctx context.Context, domain string) ([]*net.MX, error)
	MXTimeout time.Duration // default 5s
	Logger    *slog.Logger
}

// claimAPI holds the routes' dependencies.
type claimAPI struct {
	ClaimDeps
}

// MountClaim adds the claim routes to r, the /api router (they are
// public in internal/auth's tables): POST /claim/validate-email,
// request-otp, verify-otp, user-data and PUT /claim/update. It panics when a dependency other
// than WaitForDirectory, LookupMX or Logger is missing (a wiring error).
func MountClaim(r *auth.Router, deps ClaimDeps) {
	if deps.Directory == nil || deps.OTP == nil || deps.Claims == nil || deps.People == nil || deps.Seal == nil || deps.Deliveries == nil {
		panic("writeapi.MountClaim: Directory, OTP, Claims, People, Seal and Deliveries are required")
	}
	if deps.LookupMX == nil {
		deps.LookupMX = net.DefaultResolver.LookupMX
	}
	if deps.MXTimeout <= 0 {
		deps.MXTimeout = 5 * time.Second
	}
	if deps.Logger == nil {
		deps.Logger = slog.New(slog.DiscardHandler)
	}
	a := &claimAPI{deps}
	r.Post("/claim/validate-email", auth.Public, a.validateEmail)
	r.Post("/claim/request-otp", auth.Public, a.requestOTP)
	r.Post("/claim/verify-otp", auth.Public, a.verifyOTP)
	r.Post("/claim/user-data", auth.Public, a.userData)
	r.Put("/claim/update", auth.Public, a.update)
}

// claimField is a body field as the legacy API read it: a string, or a
// number or boolean taken as its text; null and absence are told apart.
type claimField struct {
	Set, Null bool
	Value     string
}

func (f *claimField) UnmarshalJSON(b []byte) error {
	f.Set = true
	switch {
	case string(b) == "null":
		f.Null = true
		return nil
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, &f.Value)
	case len(b) > 0 && (b[0] == '{' || b[0] == '['):
		return errors.New("claim field: object or array")
	}
	f.Value = string(b)
	return nil
}

// text is the trimmed value ("" when absent or null).
func (f claimField) text() string { return strings.TrimSpace(f.Value) }

// given reports a field that is present and neither null nor blank.
func (f claimField) given() bool { return f.Set && !f.Null && f.text() != "" }

// ptr is the value for an optional command field (nil when not given as
// a value: absent or null).
func (f claimField) ptr() *string {
	if !f.Set || f.Null {
		return nil
	}
	v := f.Value
	return &v
}

// claimBody is the union of the claim routes' bodies.
type claimBody struct {
	NRP      claimField `json:"nrp"`
	Email    claimField `json:"email"`
	OTP      claimField `json:"otp"`
	Nama     claimField `json:"nama"`
	Title    claimField `json:"title"`
	Divisi   claimField `json:"divisi"`
	Jabatan  claimField `json:"jabatan"`
	Desa     claimField `json:"desa"`
	Insta    claimField `json:"insta"`
	Tiktok   claimField `json:"tiktok"`
	WhatsApp claimField `json:"whatsapp"`
}

// decode reads the body (an empty one is {}); false when it answered 400,
// also for a field over its length limit (checkLengths).
func (a *claimAPI) decode(w http.ResponseWriter, r *http.Request) (claimBody, bool) {
	var b claimBody
	var raw json.RawMessage
	err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&raw)
	if errors.Is(err, io.EOF) {
		return b, true
	}
	if err == nil {
		err = json.Unmarshal(raw, &b)
	}
	if err != nil {
		claimFail(w, http.StatusBadRequest, claimMsgBadJSON)
		return b, false
	}
	var fields map[string]json.RawMessage
	if json.Unmarshal(raw, &fields) == nil {
		if err := checkLengths(fields); err != nil {
			claimFail(w, http.StatusBadRequest, apperr.MessageOf(err))
			return b, false
		}
	}
	return b, true
}

func claimOK(w http.ResponseWriter, status int, data any) {
	httpx.JSON(w, status, map[string]any{"success": true, "data": data})
}

func claimFail(w http.ResponseWriter, status int, msg string) {
	httpx.JSON(w, status, httpx.ErrorBody{Success: false, Message: msg})
}

// dbFailed answers a read-model failure (logged without personal data).
func (a *claimAPI) dbFailed(w http.ResponseWriter, r *http.Request, err error) {
	httpx.Fail(w, r, a.Logger, "claim: read model", err, http.StatusServiceUnavailable,
		httpx.ErrorBody{Success: false, Message: claimMsgDBUnavailable})
}

func (a *claimAPI) otpFailed(w http.ResponseWriter, r *http.Request, err error) {
	httpx.Fail(w, r, a.Logger, "claim: otp store", err, http.StatusServiceUnavailable,
		httpx.ErrorBody{Success: false, Message: claimMsgOTPUnavailable})
}

// person reads the claimed person; false when it answered (404 or 503).
func (a *claimAPI) person(w http.ResponseWriter, r *http.Request, nrp string) (directory.Person, bool) {
	p, err := a.Directory.Person(r.Context(), nrp)
	switch {
	case errors.Is(err, directory.ErrNotFound):
		claimFail(w, http.StatusNotFound, claimMsgUserNotFound)
		return p, false
	case err != nil:
		a.dbFailed(w, r, err)
		return p, false
	}
	return p, true
}

// meta is the command meta of a claim request: the member acts, through
// the claim (he holds no token), and the request's commands share one
// correlation id.
func claimMeta(nrp, correlation, causation string) commands.Meta {
	return commands.Meta{Actor: "claim:" + nrp, CorrelationID: correlation, CausationID: causation}
}

func newCorrelation() string { return uuid.Must(uuid.NewV7()).String() }

func retryAfterSeconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }

func setRetryAfter(w http.ResponseWriter, secs int) {
	w.Header().Set("Retry-After", strconv.Itoa(secs))
}
