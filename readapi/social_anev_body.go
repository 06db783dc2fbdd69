package readapi

import "slices"

// The ANEV answer as typed structs (its multi-MB answer encodes several
// times faster than nested maps): the legacy answer's data plus the fields
// the ANEV cards read (SPEC.md §5.15).

type anevAnswer struct {
	Success bool     `json:"success"`
	Data    anevBody `json:"data"`
}

type anevBody struct {
	Filters             anevFilters    `json:"filters"`
	UserDirectory       []anevDirEntry `json:"user_directory"`
	InstagramEngagement anevEngagement `json:"instagram_engagement"`
	TiktokEngagement    anevEngagement `json:"tiktok_engagement"`
	Aggregates          anevAggregates `json:"aggregates"`
}

type anevFilters struct {
	ClientID            string   `json:"client_id"`
	Role                string   `json:"role"`
	Scope               string   `json:"scope"`
	RegionalID          *string  `json:"regional_id"`
	TimeRange           string   `json:"time_range"`
	StartDate           string   `json:"start_date"`
	EndDate             string   `json:"end_date"`
	PermittedTimeRanges []string `json:"permitted_time_ranges"`
}

type anevContact struct {
	Instagram *string `json:"instagram"`
	Tiktok    *string `json:"tiktok"` // "@name"
}

type anevDirEntry struct {
	UserID       string      `json:"user_id"`
	Nama         string      `json:"nama"`
	Title        string      `json:"title"`
	Divisi       string      `json:"divisi"`
	ClientID     string      `json:"client_id"`
	ClientName   string      `json:"client_name"`
	KontakSosial anevContact `json:"kontak_sosial"`
}

// anevEngagement is one platform's block: total_likes or total_comments.
type anevEngagement struct {
	TotalPosts    int           `json:"total_posts"`
	TotalLikes    *int          `json:"total_likes,omitempty"`
	TotalComments *int          `json:"total_comments,omitempty"`
	PerUser       []anevPerUser `json:"per_user"`
}

// anevPerUser is a directory user's entry (strings set, kontak_sosial) or
// an unmapped engager's (nulls, unmapped true); likes or comments.
type anevPerUser struct {
	UserID       *string      `json:"user_id"`
	Nama         *string      `json:"nama"`
	Divisi       *string      `json:"divisi"`
	ClientID     *string      `json:"client_id"`
	Username     *string      `json:"username"`
	Likes        *int         `json:"likes,omitempty"`
	Comments     *int         `json:"comments,omitempty"`
	Unmapped     bool         `json:"unmapped,omitempty"`
	KontakSosial *anevContact `json:"kontak_sosial,omitempty"`
}

type anevCompliance struct {
	UserID          string  `json:"user_id"`
	Nama            string  `json:"nama"`
	Divisi          string  `json:"divisi"`
	ClientID        string  `json:"client_id"`
	Likes           int     `json:"likes"`
	Comments        int     `json:"comments"`
	TotalActions    int     `json:"total_actions"`
	ExpectedActions int     `json:"expected_actions"`
	CompletionRate  float64 `json:"completion_rate"`
	Exception       bool    `json:"exception"`
}

type anevSatfungLikes struct {
	Satfung  string `json:"satfung"`
	Likes    int    `json:"likes"`
	Comments int    `json:"comments"`
	Users    int    `json:"users"`
}

type anevSatfungUsers struct {
	Satfung string `json:"satfung"`
	Count   int    `json:"count"`
}

type anevPlatformPosts struct {
	Platform string `json:"platform"`
	Posts    int    `json:"posts"`
}

type anevPostCounts struct {
	Instagram int `json:"instagram"`
	Tiktok    int `json:"tiktok"`
}

type anevTotals struct {
	TotalUsers      int                `json:"total_users"`
	Posts           anevPostCounts     `json:"posts"`
	Likes           int                `json:"likes"`
	Comments        int                `json:"comments"`
	ExpectedActions int                `json:"expected_actions"`
	LikesPerSatfung []anevSatfungLikes `json:"likes_per_satfung"`
}

type anevAggregates struct {
	TotalUsers             int                 `json:"total_users"`
	InstagramPosts         int                 `json:"instagram_posts"`
	TiktokPosts            int                 `json:"tiktok_posts"`
	TotalLikes             int                 `json:"total_likes"`
	TotalComments          int                 `json:"total_comments"`
	ExpectedActions        int                 `json:"expected_actions"`
	CompliancePerPelaksana []anevCompliance    `json:"compliance_per_pelaksana"`
	Totals                 anevTotals          `json:"totals"`
	Platforms              []anevPlatformPosts `json:"platforms"`
	UserPerSatfung         []anevSatfungUsers  `json:"user_per_satfung"`
}

// body builds the answer's data.
func (rep *anevReport) body() anevBody {
	rows := rep.rows()
	var regional *string
	if rep.req.regional != "" {
		regional = &rep.req.regional
	}
	directory := make([]anevDirEntry, len(rows))
	compliance := make([]anevCompliance, len(rows))
	contacts := make([]anevContact, len(rows))
	bySatfung := map[string]*anevSatfungLikes{}
	for i, row := range rows {
		u := row.user
		contacts[i] = anevContact{Instagram: row.instaHandle, Tiktok: tiktokContact(row.tiktokHandle)}
		directory[i] = anevDirEntry{UserID: u.UserID, Nama: u.Nama, Title: u.Title, Divisi: u.Divisi, ClientID: u.ClientID,
			ClientName: u.ClientName, KontakSosial: contacts[i]}
		compliance[i] = anevCompliance{UserID: u.UserID, Nama: u.Nama, Divisi: u.Divisi, ClientID: u.ClientID, Likes: row.likes,
			Comments: row.comments, TotalActions: row.actions, ExpectedActions: row.expected, CompletionRate: row.rate, Exception: u.Exception}
		s := satfung(u.Divisi)
		t := bySatfung[s]
		if t == nil {
			t = &anevSatfungLikes{Satfung: s}
			bySatfung[s] = t
		}
		t.Users++
		t.Likes += row.likes
		t.Comments += row.comments
	}
	names := make([]string, 0, len(bySatfung))
	for s := range bySatfung {
		names = append(names, s)
	}
	slices.Sort(names)
	userPerSatfung := make([]anevSatfungUsers, len(names))
	likesPerSatfung := make([]anevSatfungLikes, len(names))
	for i, s := range names {
		userPerSatfung[i] = anevSatfungUsers{Satfung: s, Count: bySatfung[s].Users}
		likesPerSatfung[i] = *bySatfung[s]
	}
	igTotal, ttTotal := rep.ig.total(), rep.tt.total()
	expected := rep.ig.posts + rep.tt.posts
	return anevBody{
		Filters: anevFilters{ClientID: rep.req.client, Role: rep.req.role, Scope: rep.req.scope, RegionalID: regional,
			TimeRange: rep.req.rng.name, StartDate: rep.req.rng.startRFC(), EndDate: rep.req.rng.endRFC(), PermittedTimeRanges: anevTimeRanges},
		UserDirectory:       directory,
		InstagramEngagement: anevEngagement{TotalPosts: rep.ig.posts, TotalLikes: &igTotal, PerUser: perUser(rows, contacts, rep.ig, true)},
		TiktokEngagement:    anevEngagement{TotalPosts: rep.tt.posts, TotalComments: &ttTotal, PerUser: perUser(rows, contacts, rep.tt, false)},
		Aggregates: anevAggregates{TotalUsers: len(rows), InstagramPosts: rep.ig.posts, TiktokPosts: rep.tt.posts,
			TotalLikes: igTotal, TotalComments: ttTotal, ExpectedActions: expected, CompliancePerPelaksana: compliance,
			Totals: anevTotals{TotalUsers: len(rows), Posts: anevPostCounts{Instagram: rep.ig.posts, Tiktok: rep.tt.posts},
				Likes: igTotal, Comments: ttTotal, ExpectedActions: expected, LikesPerSatfung: likesPerSatfung},
			Platforms:      []anevPlatformPosts{{"instagram", rep.ig.posts}, {"tiktok", rep.tt.posts}},
			UserPerSatfung: userPerSatfung,
		},
	}
}

// tiktokContact is the TikTok handle as the old answer showed it: "@name".
func tiktokContact(norm *string) *string {
	if norm == nil {
		return nil
	}
	at := "@" + *norm
	return &at
}

// perUser is one platform's per_user list: every directory user in
// directory order, then one unmapped entry per engaged username no
// directory user has (in username order). Counts come from pl.counts
// (sorted by username), so the entries point into it and into rows.
func perUser(rows []anevRow, contacts []anevContact, pl anevPlatform, insta bool) []anevPerUser {
	counts := pl.byUser()
	mapped := make(map[string]bool, len(rows))
	n := make([]int, len(rows))
	out := make([]anevPerUser, 0, len(rows)+len(pl.counts))
	for i := range rows {
		row := &rows[i]
		h := row.tiktokHandle
		if insta {
			h = row.instaHandle
		}
		if h != nil {
			n[i] = counts[*h]
			mapped[*h] = true
		}
		e := anevPerUser{UserID: &row.user.UserID, Nama: &row.user.Nama, Divisi: &row.user.Divisi, ClientID: &row.user.ClientID,
			Username: h, KontakSosial: &contacts[i]}
		e.setMetric(&n[i], insta)
		out = append(out, e)
	}
	for i := range pl.counts {
		c := &pl.counts[i]
		if mapped[c.Username] {
			continue
		}
		e := anevPerUser{Username: &c.Username, Unmapped: true}
		e.setMetric(&c.Posts, insta)
		out = append(out, e)
	}
	return out
}

func (e *anevPerUser) setMetric(n *int, insta bool) {
	if insta {
		e.Likes = n
	} else {
		e.Comments = n
	}
}
