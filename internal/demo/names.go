package demo

// Word lists the plan draws from: East Java Polres, Indonesian names,
// ranks, units and positions as the legacy data holds them.

// polres are the org clients in order; beyond the list, POLRES DEMO <n>.
var polres = []string{"LAMONGAN", "BOJONEGORO", "PROBOLINGGO", "NGAWI", "MADIUN", "PACITAN", "BONDOWOSO",
	"SITUBONDO", "MOJOKERTO", "KEDIRI", "TUBAN", "GRESIK", "SIDOARJO", "JOMBANG", "NGANJUK", "MAGETAN",
	"PONOROGO", "TRENGGALEK", "TULUNGAGUNG", "BLITAR", "LUMAJANG", "JEMBER", "BANYUWANGI", "PASURUAN",
	"SAMPANG", "BANGKALAN", "PAMEKASAN", "SUMENEP", "BATU", "MALANG"}

var firstNames = []string{"budi", "siti", "agus", "dewi", "eko", "rina", "joko", "wahyu", "sri", "andi",
	"yuli", "hendra", "rudi", "fitri", "bambang", "nur", "dian", "arif", "putri", "teguh", "indah", "bayu",
	"ratna", "dwi", "slamet", "lestari", "heru", "ayu", "imam", "wulan", "fajar", "novi", "yusuf", "endah",
	"rizky", "sari", "hadi", "mega", "anton", "kurniawati"}

var lastNames = []string{"santoso", "wijaya", "saputra", "hidayat", "pratama", "setiawan", "kusuma",
	"nugroho", "purnomo", "rahayu", "susanto", "hartono", "wibowo", "lestari", "gunawan", "prasetyo",
	"suryadi", "utomo", "maulana", "handayani"}

var titles = []string{"BRIPDA", "BRIPTU", "BRIGPOL", "BRIPKA", "AIPDA", "AIPTU", "IPDA", "IPTU", "AKP",
	"KOMPOL", "AKBP", "PENATA", "PENGATUR", "PPPK"}

var divisions = []string{"SAT BINMAS", "SAT LANTAS", "SAT RESKRIM", "SAT INTELKAM", "SAT SAMAPTA",
	"BAG OPS", "BAG SDM", "SI HUMAS", "SI PROPAM", "SPKT", "POLSEK KOTA", "POLSEK UTARA", "POLSEK SELATAN"}

var positions = []string{"BA", "BANIT", "KANIT", "KASUBBAG", "KASAT", "KAPOLSEK", "PAURMIN", "BAMIN", "BHABINKAMTIBMAS"}

var activities = []string{"Apel pagi", "Patroli dialogis", "Sambang desa", "Pengamanan ibadah",
	"Bakti sosial", "Jumat curhat", "Pengaturan lalu lintas", "Sosialisasi kamtibmas", "Ronda malam",
	"Olahraga bersama", "Pembagian sembako", "Penyuluhan narkoba"}

// Words of the accounts that engage without being personnel:
// adjective.noun<n>, two dots, so they never equal a personnel handle
// (name.<n> or name_<n>).
var adjectives = []string{"senja", "pagi", "biru", "manis", "ceria", "damai", "bening", "hangat",
	"cerah", "tenang", "riang", "lembut", "sejuk", "indah", "mulia", "jaya"}

var nouns = []string{"pelangi", "mentari", "samudra", "bintang", "melati", "rembulan", "angkasa",
	"cahaya", "embun", "kenari", "merpati", "teratai", "cemara", "kasih", "nusantara", "bahari"}
