package inbound

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cicero/cicero/commands/person"
	"github.com/cicero/cicero/sagas"
)

// identityCard is the `👤 *Identitas Anda*` card (spec/ops.md §3.8): the
// Desa Binaan line only for ditbinmas personnel.
func identityCard(p Person) string {
	lines := []string{"👤 *Identitas Anda*", "",
		"*Nama Polres*: " + sagas.OrDash(p.ClientName),
		"*Nama*: " + sagas.OrDash(p.Nama),
		"*Pangkat*: " + sagas.OrDash(p.Title),
		"*NRP/NIP*: " + p.NRP,
		"*Satfung*: " + sagas.OrDash(p.Divisi),
		"*Jabatan*: " + sagas.OrDash(p.Jabatan),
	}
	if isDitbinmas(p) {
		lines = append(lines, "*Desa Binaan*: "+sagas.OrDash(p.Desa))
	}
	lines = append(lines, "*Instagram*: "+handleOrDash(p.Insta), "*TikTok*: "+handleOrDash(p.Tiktok))
	status := "🔴 NONAKTIF"
	if p.Active {
		status = "🟢 AKTIF"
	}
	return strings.Join(append(lines, "*Status*: "+status), "\n")
}

func isDitbinmas(p Person) bool { return slices.Contains(p.Roles, person.RoleDitbinmas) }

func handleOrDash(h string) string {
	if h = strings.TrimLeft(strings.TrimSpace(h), "@"); h == "" {
		return "-"
	}
	return "@" + h
}

// The fields a person may update.
const (
	fieldNama      = "nama"
	fieldPangkat   = "pangkat"
	fieldSatfung   = "satfung"
	fieldJabatan   = "jabatan"
	fieldInstagram = "instagram"
	fieldTiktok    = "tiktok"
	fieldDesa      = "desa"
	fieldWhatsApp  = "whatsapp"
	fieldHapusWA   = "hapus_whatsapp"
)

type field struct {
	key, label, prompt string
	// set points at the UpdatePerson field a text field fills.
	set func(*person.UpdatePerson) **string
}

var allFields = []field{
	{fieldNama, "Nama", "Ketik *nama lengkap* Anda:", func(u *person.UpdatePerson) **string { return &u.Nama }},
	{fieldPangkat, "Pangkat", "Pilih *pangkat* Anda (balas nomor atau nama pangkat):", func(u *person.UpdatePerson) **string { return &u.Title }},
	{fieldSatfung, "Satfung", "Pilih *satfung* Anda (balas nomor atau nama satfung):", func(u *person.UpdatePerson) **string { return &u.Divisi }},
	{fieldJabatan, "Jabatan", "Ketik *jabatan* Anda:", func(u *person.UpdatePerson) **string { return &u.Jabatan }},
	{fieldInstagram, "Instagram", "Ketik *username Instagram* Anda (contoh: @username atau instagram.com/username):", nil},
	{fieldTiktok, "TikTok", "Ketik *username TikTok* Anda (contoh: @username atau tiktok.com/@username):", nil},
	{fieldDesa, "Desa Binaan", "Ketik *desa binaan* Anda:", func(u *person.UpdatePerson) **string { return &u.Desa }},
}

// operatorFields are the fields the operator menu updates for a user
// (spec/ops.md §3.7: 1 Nama … 8 Hapus WhatsApp).
var operatorFields = []field{
	{fieldNama, "Nama", "Ketik *nama* baru:", func(u *person.UpdatePerson) **string { return &u.Nama }},
	{fieldPangkat, "Pangkat", "Pilih *pangkat* (balas nomor atau nama pangkat):", func(u *person.UpdatePerson) **string { return &u.Title }},
	{fieldSatfung, "Satfung", "Pilih *satfung* (balas nomor atau nama satfung):", func(u *person.UpdatePerson) **string { return &u.Divisi }},
	{fieldJabatan, "Jabatan", "Ketik *jabatan* baru:", func(u *person.UpdatePerson) **string { return &u.Jabatan }},
	{fieldInstagram, "Instagram", "Ketik *username Instagram* (contoh: @username atau instagram.com/username):", nil},
	{fieldTiktok, "TikTok", "Ketik *username TikTok* (contoh: @username atau tiktok.com/@username):", nil},
	{fieldWhatsApp, "WhatsApp", "Ketik *nomor WhatsApp* (contoh: 08123456789):", func(u *person.UpdatePerson) **string { return &u.WhatsApp }},
	{fieldHapusWA, "Hapus WhatsApp", "", nil},
}

// fieldsOf lists the fields the person may update, in menu order: Desa
// Binaan only for ditbinmas personnel.
func fieldsOf(p Person) []field {
	if isDitbinmas(p) {
		return allFields
	}
	return allFields[:6]
}

func fieldByKey(key string) (field, bool) {
	for _, f := range append(allFields, operatorFields...) {
		if f.key == key {
			return f, true
		}
	}
	return field{}, false
}

// fieldMenu is the list of updatable fields.
func fieldMenu(p Person) string {
	lines := []string{"Pilih data yang ingin diperbarui (balas nomornya):"}
	for i, f := range fieldsOf(p) {
		lines = append(lines, fmt.Sprintf("%d. %s", i+1, f.label))
	}
	return strings.Join(append(lines, "Ketik *batal* untuk keluar."), "\n")
}
