package writeapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"unicode/utf8"

	"github.com/cicero/cicero/internal/apperr"
)

// Length limits of request text (issue 8 §6), enforced by the shared body
// decoders (decodeBody, decodeAuth and the claim decoder) before any
// handler reads a field, so a refusal appends nothing: passwords 72 bytes
// (what bcrypt reads), usernames 100 characters, free text and URLs 2,000,
// JSON objects (premium metadata) 4,000 bytes written compactly, and every
// other text 255 characters. Numbers count as their text; arrays are
// checked element by element under their field's limit.
const (
	maxPasswordBytes = 72
	maxUsernameChars = 100
	maxFreeTextChars = 2000
	maxObjectBytes   = 4000
	maxTextChars     = 255
	// maxArticleChars bounds a news article's body (the Penmas editorial
	// content and a press release's chronology).
	maxArticleChars = 20000

	msgTooLong = "%s maksimal %d karakter"
)

// passwordFields are measured in bytes (bcrypt ignores what lies beyond 72).
var passwordFields = map[string]bool{
	"password": true, "new_password": true, "old_password": true, "current_password": true,
	"confirmPassword": true, "password_confirmation": true,
}

// freeTextFields hold prose or a URL.
var freeTextFields = map[string]bool{
	"note": true, "proof_url": true, "screenshot_url": true, "link": true, "url": true,
	"reason": true, "description": true, "catatan": true,
	// A complaint's text and its overrides (POST /api/dashboard/komplain/*).
	"message": true, "pesan": true, "complaint": true, "raw": true, "text": true,
	"issue": true, "kendala": true, "problem": true, "solution": true, "solusi": true, "tindak_lanjut": true,
	// The Penmas editorial fields (spec/ops.md §1.2 TEXT columns).
	"summary": true, "image_path": true, "changes": true, "dasar": true, "tersangka": true, "modus": true,
	"barang_bukti": true, "pasal": true, "ancaman": true,
}

// articleFields hold an article's body.
var articleFields = map[string]bool{"content": true, "kronologi": true}

// checkLengths refuses the first field (in key order) over its limit:
// Invalid "<field> maksimal N karakter".
func checkLengths(body map[string]json.RawMessage) error {
	keys := make([]string, 0, len(body))
	for k := range body {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := checkLength(k, body[k], true); err != nil {
			return err
		}
	}
	return nil
}

// checkLength checks one value of field key; an array's elements are
// checked under the same key (one level deep).
func checkLength(key string, raw json.RawMessage, top bool) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	switch raw[0] {
	case '"':
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil // not text: the handler's own check answers
		}
		return checkText(key, s)
	case '{':
		var buf bytes.Buffer
		if json.Compact(&buf, raw) == nil && buf.Len() > maxObjectBytes {
			return tooLong(key, maxObjectBytes)
		}
	case '[':
		var items []json.RawMessage
		if !top || json.Unmarshal(raw, &items) != nil {
			return nil
		}
		for _, it := range items {
			if err := checkLength(key, it, false); err != nil {
				return err
			}
		}
	case 't', 'f', 'n':
	default: // a number, taken as its text by the decoders
		return checkText(key, string(raw))
	}
	return nil
}

func checkText(key, s string) error {
	switch {
	case passwordFields[key]:
		if len(s) > maxPasswordBytes {
			return tooLong(key, maxPasswordBytes)
		}
		return nil
	case key == "username":
		return checkChars(key, s, maxUsernameChars)
	case freeTextFields[key]:
		return checkChars(key, s, maxFreeTextChars)
	case articleFields[key]:
		return checkChars(key, s, maxArticleChars)
	}
	return checkChars(key, s, maxTextChars)
}

func checkChars(key, s string, limit int) error {
	if len(s) > limit && utf8.RuneCountInString(s) > limit {
		return tooLong(key, limit)
	}
	return nil
}

func tooLong(key string, limit int) error {
	return &apperr.Error{Code: apperr.Invalid, Field: key, Message: fmt.Sprintf(msgTooLong, key, limit)}
}
