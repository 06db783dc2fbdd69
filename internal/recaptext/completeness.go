package recaptext

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Member is one member of the personnel with the usernames the data
// completeness reports check.
type Member struct {
	NRP, Title, Name, Division, Jabatan string
	ClientID, ClientName                string
	Insta, Tiktok                       string
}

func (m Member) missing() []string {
	var out []string
	if strings.TrimSpace(m.Insta) == "" {
		out = append(out, "Instagram")
	}
	if strings.TrimSpace(m.Tiktok) == "" {
		out = append(out, "TikTok")
	}
	return out
}

func (m Member) person() Person {
	return Person{NRP: m.NRP, Title: m.Title, Name: m.Name, Division: m.Division, Jabatan: m.Jabatan,
		ClientID: m.ClientID, ClientName: m.ClientName}
}

// Completeness is the input of the data completeness reports (dirrequest
// menus 1 and 3): a client's active personnel.
type Completeness struct {
	Client  Client
	At      time.Time
	Members []Member
}

type completenessUnit struct {
	Client                      Client
	Total, Complete, NoIG, NoTT int
	Incomplete                  []Member
}

func completenessUnits(in Completeness) (units []*completenessUnit, all completenessUnit) {
	idx := map[string]*completenessUnit{}
	for _, m := range in.Members {
		key := strings.ToUpper(strings.TrimSpace(m.ClientID))
		u, ok := idx[key]
		if !ok {
			u = &completenessUnit{Client: Client{ID: m.ClientID, Name: m.ClientName}}
			idx[key] = u
			units = append(units, u)
		}
		miss := m.missing()
		for _, x := range []*completenessUnit{u, &all} {
			x.Total++
			if len(miss) == 0 {
				x.Complete++
			} else {
				x.Incomplete = append(x.Incomplete, m)
			}
			if slices.Contains(miss, "Instagram") {
				x.NoIG++
			}
			if slices.Contains(miss, "TikTok") {
				x.NoTT++
			}
		}
	}
	slices.SortStableFunc(units, func(a, b *completenessUnit) int {
		if c := cmp.Compare(SatkerRank(a.Client.name()), SatkerRank(b.Client.name())); c != 0 {
			return c
		}
		return compareFold(a.Client.name(), b.Client.name())
	})
	return units, all
}

// DataCompleteness renders the personnel data recap per satker (menu 1,
// formatRekapUserData): a member's data is complete with both an
// Instagram and a TikTok username. Satker in priority order (§3.5), then
// by name.
func DataCompleteness(in Completeness) string {
	units, all := completenessUnits(in)
	var b strings.Builder
	b.WriteString(header("📋 *Rekap Data Personil*", in.Client, in.At, "") + "\n\n")
	fmt.Fprintf(&b, "*Jumlah Personil:* %s pers\n✅ Data lengkap : %s pers\n❌ Belum lengkap : %s pers\n",
		formatInt(all.Total), formatInt(all.Complete), formatInt(all.Total-all.Complete))
	fmt.Fprintf(&b, "- Belum isi Instagram : %s pers\n- Belum isi TikTok : %s pers", formatInt(all.NoIG), formatInt(all.NoTT))
	for i, u := range units {
		fmt.Fprintf(&b, "\n\n%d. %s\nLengkap %s/%s pers (%s%%) | tanpa Instagram %s | tanpa TikTok %s", i+1, u.Client.name(),
			formatInt(u.Complete), formatInt(u.Total), formatPercent(u.Complete, u.Total), formatInt(u.NoIG), formatInt(u.NoTT))
	}
	return b.String()
}

// IncompleteData renders the list of members whose data is incomplete, by
// satker (menu 3, formatRekapBelumLengkapDirektorat), each with what is
// missing; "" when everybody's data is complete (the job then sends
// nothing).
func IncompleteData(in Completeness) string {
	units, all := completenessUnits(in)
	if len(all.Incomplete) == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString(header("📋 *Rekap Personil Belum Melengkapi Data*", in.Client, in.At, "") + "\n\n")
	fmt.Fprintf(&b, "*Belum lengkap:* %s dari %s pers", formatInt(len(all.Incomplete)), formatInt(all.Total))
	for _, u := range units {
		if len(u.Incomplete) == 0 {
			continue
		}
		ms := slices.Clone(u.Incomplete)
		slices.SortStableFunc(ms, func(a, c Member) int { return ComparePersons(a.person(), c.person()) })
		fmt.Fprintf(&b, "\n\n*%s* (%d pers):", u.Client.name(), len(ms))
		for _, m := range ms {
			fmt.Fprintf(&b, "\n- %s (%s): %s belum diisi", m.person().label(), m.NRP, strings.Join(m.missing(), ", "))
		}
	}
	return b.String()
}
