package writeapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/cicero/cicero/internal/apperr"
)

// Messages of the user write routes: the legacy ones (spec/access.md §1.5)
// and ours for inputs the old system crashed on.
const (
	usersMsgBadJSON       = "Body JSON tidak valid"
	usersMsgUnknownFields = "Field tidak diizinkan: %s"
	usersMsgNotString     = "%s harus berupa teks"
	usersMsgNotBoolean    = "%s harus bernilai boolean"
	usersMsgNUL           = "%s tidak valid: mengandung karakter NUL"
	usersMsgNotVersion    = "expected_version harus berupa angka"
	usersMsgRolesArray    = "roles harus berupa array"
	usersMsgWhatsApp      = "whatsapp wajib diisi"
	usersMsgOptIn         = "opt_in harus bernilai boolean"
	usersMsgNotFound      = "user tidak ditemukan"
	usersMsgNotAllowed    = "client_id tidak diizinkan"
	usersMaxBody          = 64 << 10
)

// rawBody is a JSON object body by key; an empty body is an empty object.
type rawBody map[string]json.RawMessage

// decodeBody reads a JSON object body (at most usersMaxBody bytes) whose
// fields keep within their length limits (checkLengths).
func decodeBody(w http.ResponseWriter, r *http.Request) (rawBody, error) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, usersMaxBody))
	if err != nil {
		return nil, apperr.New(apperr.Invalid, usersMsgBadJSON)
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return rawBody{}, nil
	}
	var m rawBody
	if err := json.Unmarshal(b, &m); err != nil || m == nil {
		return nil, apperr.New(apperr.Invalid, usersMsgBadJSON)
	}
	if err := checkLengths(m); err != nil {
		return nil, err
	}
	return m, nil
}

// unknown refuses keys outside allowed, naming them (sorted) in one 400.
func (b rawBody) unknown(allowed map[string]bool) error {
	var bad []string
	for k := range b {
		if !allowed[k] {
			bad = append(bad, k)
		}
	}
	if len(bad) == 0 {
		return nil
	}
	sort.Strings(bad)
	return apperr.Invalidf(bad[0], usersMsgUnknownFields, strings.Join(bad, ", "))
}

// text reads a text field: a string, or a number taken as its digits
// (NRPs arrive as numbers from some clients); null is "". Absent → nil.
func (b rawBody) text(key string) (*string, error) {
	raw, ok := b[key]
	if !ok {
		return nil, nil
	}
	s, err := textOf(raw)
	if err != nil {
		return nil, apperr.Invalidf(key, usersMsgNotString, key)
	}
	if strings.ContainsRune(s, 0) {
		// Postgres text cannot hold NUL: such an event would stop the
		// directory projection, so it never reaches a command.
		return nil, apperr.Invalidf(key, usersMsgNUL, key)
	}
	return &s, nil
}

func textOf(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	switch {
	case string(raw) == "null":
		return "", nil
	case len(raw) > 0 && raw[0] == '"':
		var s string
		err := json.Unmarshal(raw, &s)
		return s, err
	}
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		return "", err
	}
	return n.String(), nil
}

// boolean reads a boolean field: true/false, or the legacy strings and
// numbers (true, 1, on, ya, yes / false, 0, off, tidak, no). Absent or
// null → nil.
func (b rawBody) boolean(key string) (*bool, error) {
	raw, ok := b[key]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return nil, nil
	}
	v, err := boolOf(raw)
	if err != nil {
		return nil, apperr.Invalidf(key, usersMsgNotBoolean, key)
	}
	return &v, nil
}

func boolOf(raw json.RawMessage) (bool, error) {
	var v bool
	if err := json.Unmarshal(raw, &v); err == nil {
		return v, nil
	}
	s, err := textOf(raw)
	if err != nil {
		return false, err
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true", "1", "on", "ya", "yes":
		return true, nil
	case "false", "0", "off", "tidak", "no":
		return false, nil
	}
	return false, errors.New("not a boolean")
}

// strings reads an array of strings (absent → nil, ok=false).
func (b rawBody) strings(key string) ([]string, bool, error) {
	raw, ok := b[key]
	if !ok || string(bytes.TrimSpace(raw)) == "null" {
		return nil, false, nil
	}
	var out []string
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, true, apperr.Invalidf(key, usersMsgRolesArray)
	}
	return out, true, nil
}

// version reads expected_version (a number or numeric string).
func (b rawBody) version() (*uint64, error) {
	s, err := b.text("expected_version")
	if err != nil || s == nil || *s == "" {
		if err != nil {
			return nil, apperr.Invalidf("expected_version", usersMsgNotVersion)
		}
		return nil, nil
	}
	v, err := strconv.ParseUint(*s, 10, 64)
	if err != nil {
		return nil, apperr.Invalidf("expected_version", usersMsgNotVersion)
	}
	return &v, nil
}

// flagKeys are the legacy role flags a user body may carry.
var flagKeys = []string{"ditbinmas", "ditlantas", "bidhumas", "ditsamapta", "ditintelkam", "operator"}

// directorateKeys are the flags that name a directorate.
var directorateKeys = flagKeys[:5]

// flags reads the role flags present in the body.
func (b rawBody) flags() (map[string]bool, error) {
	out := map[string]bool{}
	for _, k := range flagKeys {
		v, err := b.boolean(k)
		if err != nil {
			return nil, err
		}
		if v != nil {
			out[k] = *v
		}
	}
	return out, nil
}

// textField is a body key and where its text goes ("" when absent).
type textField struct {
	key string
	dst *string
}

// texts reads fields in order; the first that is not text is the error.
func (b rawBody) texts(fields ...textField) error {
	for _, f := range fields {
		v, err := b.text(f.key)
		if err != nil {
			return err
		}
		*f.dst = strOr(v)
	}
	return nil
}

func strOr(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

func boolOr(b *bool) bool { return b != nil && *b }

func notAllowed() error { return apperr.New(apperr.Forbidden, usersMsgNotAllowed) }

func userNotFound() error {
	return &apperr.Error{Code: apperr.NotFound, Field: "user_id", Message: usersMsgNotFound}
}
