package complainttext

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Greeting by the Asia/Jakarta hour of t (the old system used the server's
// hour): 04–09 pagi, 10–14 siang, 15–17 sore, else malam.
func Greeting(t time.Time, jakarta *time.Location) string {
	switch h := t.In(jakarta).Hour(); {
	case h >= 4 && h <= 9:
		return "Selamat pagi"
	case h >= 10 && h <= 14:
		return "Selamat siang"
	case h >= 15 && h <= 17:
		return "Selamat sore"
	}
	return "Selamat malam"
}

// ReporterName is "<title> <nama>", or the name, or the NRP.
func ReporterName(title, nama, nrp string) string {
	title, nama = strings.TrimSpace(title), strings.TrimSpace(nama)
	switch {
	case title != "" && nama != "":
		return title + " " + nama
	case nama != "":
		return nama
	}
	return nrp
}

// FormatIssue is the "Kendala" part of the answer: an info block and the
// numbered issues. As the old API did, the info block carries only Nama
// and Polres: its formatter did not recognise the NRP/NIP, Instagram and
// TikTok labels the controller wrote (spec/access.md §5.5 quirk).
func FormatIssue(p Parsed) string {
	var info []string
	if p.Name != "" {
		info = append(info, "• Nama: "+titleCase(p.Name))
	}
	if p.Polres != "" {
		info = append(info, "• Polres: "+titleCase(p.Polres))
	}
	var parts []string
	if len(info) > 0 {
		parts = append(parts, "*Informasi Tambahan Pelapor*\n"+strings.Join(info, "\n"))
	}
	if len(p.Issues) > 0 {
		lines := make([]string, len(p.Issues))
		for i, s := range p.Issues {
			lines[i] = fmt.Sprintf("%d. %s", i+1, sentence(s))
		}
		parts = append(parts, "*Rincian Kendala*\n"+strings.Join(lines, "\n"))
	}
	return strings.Join(parts, "\n\n")
}

func titleCase(s string) string {
	words := strings.Fields(strings.ToLower(s))
	for i, w := range words {
		r, n := utf8.DecodeRuneInString(w)
		words[i] = string(unicode.ToUpper(r)) + w[n:]
	}
	return strings.Join(words, " ")
}

// sentence capitalises the first letter and ends the text with a period.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	s = string(unicode.ToUpper(r)) + s[n:]
	if !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "!") && !strings.HasSuffix(s, "?") {
		s += "."
	}
	return s
}

// InactiveSolution answers a complaint about a deactivated person.
const InactiveSolution = "Akun Cicero personel saat ini *tidak aktif*.\n" +
	"Mohon hubungi operator satker untuk melakukan aktivasi akun sebelum melanjutkan pelaporan tugas atau komplain.\n" +
	"Setelah akun aktif, silakan informasikan kembali melalui menu *Client Request* bila kendala masih terjadi."

// NoAccountsIssue replaces the issue when the person has no handle at all.
const NoAccountsIssue = "Akun sosial media masih belum terisi"

// NoAccountsSolution answers a person with no handle on file.
const NoAccountsSolution = "Data akun Instagram dan TikTok Anda belum tercatat di Cicero, sehingga like dan komentar " +
	"belum dapat direkap.\n" +
	"1. Buka https://papiqo.com/claim.\n" +
	"2. Masukkan NRP/NIP dan minta kode verifikasi.\n" +
	"3. Masukkan kode yang dikirim ke e-mail Anda.\n" +
	"4. Isi username Instagram dan TikTok yang Anda gunakan untuk melaksanakan tugas.\n" +
	"5. Simpan, lalu lakukan kembali like dan komentar pada konten hari ini.\n" +
	"Tautan update data personel: https://papiqo.com/claim"

// DefaultSolution is the answer when no known issue matched and no
// override was given.
func DefaultSolution(platform string) string {
	return "Tim kami sedang menindaklanjuti laporan " + platform +
		". Jika diperlukan, kami akan menghubungi kembali setelah pengecekan."
}

// Message is the text sent to the person and returned to the dashboard.
func Message(greeting, reporter, nrp, issue, solution string) string {
	return strings.Join([]string{
		greeting + "! Kami menindaklanjuti laporan yang Anda sampaikan.",
		"\n*Pelapor*: " + reporter,
		"\n*NRP/NIP*: " + nrp,
		"\n*Kendala*:",
		issue,
		"\n\n*Solusi/Tindak Lanjut*:",
		solution,
	}, "\n")
}
