package inbound

// Reply texts. Where the old system had a text (spec/ops.md §3.6–3.8,
// spec/access.md §1.9, §3.5, §3.8) it is kept word for word.
const (
	txtNoAccess      = "❌ Anda tidak memiliki akses ke sistem ini."
	txtUserRedirect  = "Menu pengguna hanya tersedia melalui nomor *WA-USER*. Silakan hubungi nomor tersebut dan ketik *userrequest* untuk melanjutkan."
	txtUserClosed    = "✅ Menu User ditutup. Terima kasih."
	txtSessionClosed = "Terima kasih. Sesi ditutup. Ketik *userrequest* untuk memulai lagi."
	txtUnknown       = "🤖 Maaf, perintah yang Anda kirim belum dikenali oleh sistem."
	txtHelp          = "Ketik *userrequest* di nomor *WA-USER* untuk melihat dan memperbarui data Anda."
	txtNotFoundNRP   = "❌ NRP/NIP *%s* tidak ditemukan. Jika yakin benar, hubungi Opr Humas Polres Anda."
	txtAskNRP        = "Nomor WhatsApp Anda belum terhubung ke data personel.\nSilakan ketik *NRP/NIP* Anda untuk menghubungkan nomor ini (ketik *batal* untuk keluar)."
	txtBadNRP        = "❌ NRP/NIP harus terdiri dari 6–18 digit angka. Silakan ketik ulang NRP/NIP Anda atau *batal*."
	txtConfirmBind   = "Apakah benar Anda *%s* (NRP/NIP *%s*)?\nBalas *ya* untuk menghubungkan nomor ini, atau *tidak* untuk membatalkan."
	txtBound         = "✅ Nomor WhatsApp Anda berhasil dihubungkan dengan NRP/NIP *%s*."
	txtYaTidak       = "Balas *ya* atau *tidak* (ketik *batal* untuk keluar)."
	txtConfirmID     = "Apakah data di atas benar milik Anda? Balas *ya*, *tidak*, atau *batal*."
	txtNotMine       = "Jika data tersebut bukan milik Anda, hubungi Opr Humas Polres Anda untuk memperbaiki nomor WhatsApp yang terdaftar.\n" + txtSessionClosed
	txtAskUpdate     = "Apakah Anda ingin memperbarui data Anda? Balas *ya* atau *tidak*."
	txtAskMore       = "Apakah Anda ingin memperbarui data lain? Balas *ya* atau *tidak*."
	txtBadChoice     = "❌ Pilihan tidak valid. Balas dengan nomor pada daftar atau ketik *batal*."
	txtUpdated       = "✅ %s berhasil diperbarui menjadi *%s*."
	txtEmptyValue    = "❌ %s tidak boleh kosong. Silakan ketik ulang atau *batal*."
	txtHandleTaken   = "❌ Username %s @%s sudah terdaftar pada personel lain. Hubungi Opr Humas Polres Anda bila ini akun Anda."
	txtNotBound      = "Nomor WhatsApp ini belum terhubung ke data user. Kirim *userrequest* ke nomor *WA-USER* untuk menghubungkan nomor Anda dengan NRP/NIP."
	txtNotifOn       = "✅ Notifikasi WhatsApp untuk likes/komentar Instagram diaktifkan."
	txtNotifOff      = "🚫 Notifikasi WhatsApp untuk likes/komentar Instagram dimatikan."
	txtNotifFormat   = "Format salah! Gunakan notifwa#on atau notifwa#off untuk mengatur preferensi notifikasi."
	txtLinkOffer     = "Apakah Anda ingin memperbarui username %s Anda menjadi *@%s*? Balas *ya* atau *tidak*."
	txtLinkCancelled = "Perubahan username dibatalkan."
)

// txtUnknownSender answers a private message whose sender has no phone
// number WhatsApp told us (a LID without its alternative address).
const txtUnknownSender = "❌ Nomor WhatsApp pengirim tidak dapat dikenali. Silakan kirim ulang dari aplikasi WhatsApp di ponsel Anda."

// txtBoundElsewhere refuses binding an NRP already bound to another number.
const txtBoundElsewhere = "❌ NRP/NIP *%s* sudah terhubung dengan nomor WhatsApp lain. Hubungi Opr Humas Polres Anda untuk memindahkan nomor."
