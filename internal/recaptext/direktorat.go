package recaptext

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Directorate is the input of the directorate accumulations (§5.3, §5.4):
// the directorate, its task posts, the units (polres/satker) to report on
// and the personnel holding the directorate's role, each with its unit.
type Directorate struct {
	Client Client // the directorate (e.g. DITBINMAS)
	At     time.Time
	Posts  []Post
	// Units lists the clients to report on, even those with nobody in
	// them; units of personnel not listed are added from the personnel's
	// ClientID / ClientName.
	Units  []Client
	People []Person
}

// unitTally is one unit's counts.
type unitTally struct {
	Client                                  Client
	Total, Lengkap, Kurang, Belum, NoHandle int
}

func (u unitTally) sudah() int { return u.Lengkap + u.Kurang }

// tally counts each unit's personnel with classify; units come in the
// order given, then units known only from personnel in order of first
// appearance.
func tally(in Directorate, classify func(Person, int) Status) (units []*unitTally, all unitTally) {
	byID := map[string]*unitTally{}
	add := func(c Client) *unitTally {
		key := strings.ToUpper(strings.TrimSpace(c.ID))
		if u, ok := byID[key]; ok {
			return u
		}
		u := &unitTally{Client: c}
		byID[key] = u
		units = append(units, u)
		return u
	}
	for _, c := range in.Units {
		add(c)
	}
	n := len(in.Posts)
	for _, p := range in.People {
		u := add(Client{ID: p.ClientID, Name: p.ClientName})
		u.Total++
		all.Total++
		switch classify(p, n) {
		case Lengkap:
			u.Lengkap++
			all.Lengkap++
		case Kurang:
			u.Kurang++
			all.Kurang++
		case Belum:
			u.Belum++
			all.Belum++
		default:
			u.NoHandle++
			all.NoHandle++
		}
	}
	return units, all
}

// DirectorateLikes renders the directorate Instagram accumulation (§5.3):
// lengkap at ≥ 50% of the posts, kurang above 0; "Belum melaksanakan"
// counts those without a username too, who are also counted apart. Units
// are sorted DIREKTORAT BINMAS first, then by sudah (lengkap + kurang)
// descending, personnel descending, name.
func DirectorateLikes(in Directorate) string {
	if len(in.Posts) == 0 {
		return fmt.Sprintf("Tidak ada konten pada akun Official Instagram *%s* hari ini.", in.Client.name())
	}
	units, all := tally(in, ClassifyHalfPercent)
	slices.SortStableFunc(units, func(a, b *unitTally) int {
		ab := strings.EqualFold(strings.TrimSpace(a.Client.name()), "DIREKTORAT BINMAS")
		bb := strings.EqualFold(strings.TrimSpace(b.Client.name()), "DIREKTORAT BINMAS")
		if ab != bb {
			if ab {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(b.sudah(), a.sudah()); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Total, a.Total); c != 0 {
			return c
		}
		return compareFold(a.Client.name(), b.Client.name())
	})
	st := StampOf(in.At)
	links := make([]string, len(in.Posts))
	for i, p := range in.Posts {
		links[i] = igLink(p.ID)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "Mohon ijin Komandan,\n\n📋 Rekap Akumulasi Likes Instagram\n*%s\n%s*, %s\nJam: %s\n\n",
		in.Client.name(), st.Day, st.Date, st.Time)
	fmt.Fprintf(&b, "*Jumlah Konten :* %d\n*Daftar Link Konten :*\n%s\n\n", len(in.Posts), listOrDash(links))
	fmt.Fprintf(&b, "*Jumlah Total Personil :* %d pers\n", all.Total)
	fmt.Fprintf(&b, "✅ *Sudah melaksanakan :* %d pers\n", all.sudah())
	fmt.Fprintf(&b, "- ✅ Melaksanakan lengkap : %d pers\n", all.Lengkap)
	fmt.Fprintf(&b, "- ⚠️ Melaksanakan kurang lengkap : %d pers\n", all.Kurang)
	fmt.Fprintf(&b, "❌ *Belum melaksanakan :* %d pers\n", all.Belum+all.NoHandle)
	fmt.Fprintf(&b, "⚠️❌ *Belum Update Username Instagram :* %d pers", all.NoHandle)
	for i, u := range units {
		fmt.Fprintf(&b, "\n\n%d. %s\n", i+1, u.Client.name())
		fmt.Fprintf(&b, "*Jumlah Personil :* %d pers\n", u.Total)
		fmt.Fprintf(&b, "*Sudah Melaksanakan :* %d pers\n", u.sudah())
		fmt.Fprintf(&b, "- Melaksanakan lengkap : %d pers\n", u.Lengkap)
		fmt.Fprintf(&b, "- Melaksanakan kurang lengkap : %d pers\n", u.Kurang)
		fmt.Fprintf(&b, "*Belum melaksanakan :* %d pers\n", u.Belum+u.NoHandle)
		fmt.Fprintf(&b, "*Belum Update Username Instagram :* %d pers", u.NoHandle)
	}
	return strings.TrimSpace(b.String())
}

// bigUnit is the personnel count from which a unit is ranked by ratio.
const bigUnit = 100

// DirectorateKomentar renders the TikTok DITBINMAS accumulation (§5.4):
// lengkap at ≥ ceil(N/2) posts, kurang above 0, those without a username
// counted apart (not inside belum). Units: DITBINMAS first; units of ≥ 100
// personnel next, by sudah/total descending; then by sudah descending
// (then name, so the order is total). Per-unit kurang, belum and
// no-username lines appear only when not zero.
func DirectorateKomentar(in Directorate) string {
	if len(in.Posts) == 0 {
		return fmt.Sprintf("Tidak ada konten pada akun Official Tiktok *%s* hari ini.", in.Client.name())
	}
	units, all := tally(in, ClassifyHalfCeil)
	slices.SortStableFunc(units, compareTiktokUnits)
	st := StampOf(in.At)
	user := in.Client.tiktokUser()
	links := make([]string, len(in.Posts))
	for i, p := range in.Posts {
		links[i] = tiktokLink(user, p.ID)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "📋 *Rekap Akumulasi Komentar TikTok*\n*Direktorat*: *%s*\n%s, %s\nJam: %s\n\n",
		in.Client.name(), st.Day, st.Date, st.Time)
	fmt.Fprintf(&b, "*Jumlah Konten:* %d\n*Daftar Link Konten:*\n%s\n\n", len(in.Posts), listOrDash(links))
	fmt.Fprintf(&b, "*Total Personel:* %d\n", all.Total)
	fmt.Fprintf(&b, "✅ *Sudah Melaksanakan* : *%d user*\n", all.sudah())
	fmt.Fprintf(&b, "- ✅ Melaksanakan Lengkap : %d user\n", all.Lengkap)
	fmt.Fprintf(&b, "- ⚠️ Melaksanakan Kurang Lengkap : %d user\n", all.Kurang)
	fmt.Fprintf(&b, "❌ *Belum Melaksanakan* : *%d user*\n", all.Belum)
	fmt.Fprintf(&b, "⚠️❌ *Belum Input Username Tiktok* : *%d user*\n\n", all.NoHandle)
	for i, u := range units {
		fmt.Fprintf(&b, "*%d. %s*\n", i+1, u.Client.name())
		fmt.Fprintf(&b, "*Jumlah user:* %d\n", u.Total)
		fmt.Fprintf(&b, "*Sudah Melaksanakan* : *%d user*\n", u.sudah())
		fmt.Fprintf(&b, "- Melaksanakan Lengkap : %d user\n", u.Lengkap)
		if u.Kurang > 0 {
			fmt.Fprintf(&b, "- Melaksanakan Kurang Lengkap : %d user\n", u.Kurang)
		}
		if u.Belum > 0 {
			fmt.Fprintf(&b, "*Belum Melaksanakan* : *%d user*\n", u.Belum)
		}
		if u.NoHandle > 0 {
			fmt.Fprintf(&b, "*Belum Input Username Tiktok* : *%d user*\n", u.NoHandle)
		}
		b.WriteString("\n")
	}
	b.WriteString("Terimakasih.")
	return strings.TrimSpace(b.String())
}

func compareTiktokUnits(a, b *unitTally) int {
	ad, bd := strings.EqualFold(a.Client.ID, "DITBINMAS"), strings.EqualFold(b.Client.ID, "DITBINMAS")
	if ad != bd {
		if ad {
			return -1
		}
		return 1
	}
	aBig, bBig := a.Total >= bigUnit, b.Total >= bigUnit
	if aBig != bBig {
		if aBig {
			return -1
		}
		return 1
	}
	if aBig {
		// a.sudah/a.Total vs b.sudah/b.Total, descending, without floats.
		if c := cmp.Compare(b.sudah()*a.Total, a.sudah()*b.Total); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(b.sudah(), a.sudah()); c != 0 {
		return c
	}
	return compareFold(a.Client.name(), b.Client.name())
}
