package instagram_test

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cicero/cicero/internal/rapidapi"
	"github.com/cicero/cicero/internal/rapidapi/instagram"
	"github.com/cicero/cicero/internal/rapidapi/rapidapitest"
)

func TestProfile(t *testing.T) {
	tests := []struct {
		name string
		data string
		want instagram.Profile
	}{
		{
			name: "current field names, business account",
			data: `{"pk":17841400000000001,"username":"polres_x","full_name":"Polres X","biography":"Resmi",
				"followers_count":15000,"follower_count":1,"following_count":12,"media_count":840,"posts_count":1,
				"profile_pic_url":"https://p/x.jpg","profile_pic_url_hd":"https://p/x_hd.jpg",
				"category_name":"Government organization","category":"ignored","category_id":2700,
				"account_type":2,"is_private":false,"is_verified":true,"is_business":true,
				"public_email":"humas@polres.x","external_url":"https://polres.x","total_igtv_videos":3,
				"latest_reel_media":1718000000}`,
			want: instagram.Profile{ID: "17841400000000001", Username: "polres_x", FullName: "Polres X",
				Biography: "Resmi", Followers: 15000, Following: 12, MediaCount: 840,
				ProfilePicURL: "https://p/x.jpg", ProfilePicURLHD: "https://p/x_hd.jpg",
				Category: "Government organization", CategoryID: "2700", AccountType: 2, IsVerified: true,
				IsBusiness: true, PublicEmail: "humas@polres.x", ExternalURL: "https://polres.x",
				TotalIGTVVideos: 3, LatestReelMedia: 1718000000},
		},
		{
			name: "older field names",
			data: `{"id":"42","username":"polsek_y","follower_count":900,"posts_count":77,"category":"Community",
				"is_private":true}`,
			want: instagram.Profile{ID: "42", Username: "polsek_y", Followers: 900, MediaCount: 77,
				Category: "Community", IsPrivate: true},
		},
		{
			name: "user_id, zero followers kept over the older name",
			data: `{"user_id":7,"username":"z","followers_count":0,"follower_count":5}`,
			want: instagram.Profile{ID: "7", Username: "z"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRig(t)
			r.primary.Handle("v1/info", rapidapitest.OK(`{"data":`+tt.data+`}`))
			got, err := r.c.Profile(context.Background(), "@polres_x")
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got, cmpopts.IgnoreFields(instagram.Profile{}, "Raw")); d != "" {
				t.Errorf("profile (-want +got):\n%s", d)
			}
			if q := queries(r.primary, "v1/info", "username_or_id_or_url"); len(q) != 1 || q[0] != "polres_x" {
				t.Errorf("username_or_id_or_url = %q", q)
			}
			assertHeaders(t, r.primary, primaryKey, "social-api4.p.rapidapi.com")
		})
	}
}

func TestProfileWithoutData(t *testing.T) {
	r := newRig(t)
	r.primary.Handle("v1/info", rapidapitest.OK(`{"message":"user not found"}`))
	_, err := r.c.Profile(context.Background(), "ghost")
	var e *rapidapi.Error
	if !errorsAs(err, &e) || e.Code != rapidapi.CodeBadResponse {
		t.Fatalf("err = %v, want a bad response", err)
	}
}
