package audit

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/normalize"
	"github.com/cicero/cicero/projections/social"
)

// Person is what the attendance of one person depends on, taken from the
// person aggregate's own state (the wiring folds it with the aggregate's
// code).
type Person struct {
	ClientID  string
	Insta     string
	Tiktok    string
	Exception bool
}

// Why explains a person's attendance on one Jakarta day, per platform:
// the client's task posts of that day, and on each the events that
// recorded the person's handle liking or commenting, with the handle used.
type Why struct {
	NRP       string `json:"nrp"`
	Date      string `json:"date"`
	ClientID  string `json:"client_id"`
	Exception bool   `json:"exception"`
	// HandleHistory are the person's events that set a handle or the
	// client (registration, updates, handle changes, renumbering).
	HandleHistory []Event     `json:"handle_history"`
	Platforms     []WhyByPlat `json:"platforms"`
}

// WhyByPlat is one platform of Why. Done counts the task posts the handle
// engaged with in the platform's kind (Instagram: likes, TikTok:
// comments); ReadModelDone is the attendance read model's figure for the
// same day, so the two can be held side by side.
type WhyByPlat struct {
	Platform      string    `json:"platform"`
	Kind          string    `json:"kind"`
	Handle        string    `json:"handle"`
	TaskPosts     int       `json:"task_posts"`
	Done          int       `json:"done"`
	ReadModelDone int       `json:"read_model_done"`
	Posts         []WhyPost `json:"posts"`
}

// WhyPost is one task post: the events that put it in the client's feed
// and those that recorded the person's handle on it.
type WhyPost struct {
	PostID     string       `json:"post_id"`
	Subject    string       `json:"subject"`
	Counted    bool         `json:"counted"`
	Feed       []Event      `json:"feed_events"`
	Engagement []Engagement `json:"engagement_events"`
}

// Engagement is a likes or comments event that named the handle; the
// payload (every username of that fetch) is left out.
type Engagement struct {
	Event
	HandleUsed string `json:"handle_used"`
}

// Bad input of Why.
const (
	MsgDate     = "date wajib diisi dengan format YYYY-MM-DD"
	MsgPlatform = "platform harus instagram atau tiktok"
	MsgNRP      = "nrp wajib diisi"
)

// Why answers for nrp on day (YYYY-MM-DD); platform "" takes both.
func (s *Service) Why(ctx context.Context, nrp, day, platform string) (Why, error) {
	nrp = normalize.NRP(nrp)
	if nrp == "" {
		return Why{}, apperr.Invalidf("nrp", MsgNRP)
	}
	if _, err := time.ParseInLocation(time.DateOnly, day, jakarta.Location); err != nil {
		return Why{}, apperr.Invalidf("date", MsgDate)
	}
	plats := []string{events.PlatformInstagram, events.PlatformTiktok}
	switch platform {
	case "":
	case events.PlatformInstagram, events.PlatformTiktok:
		plats = []string{platform}
	default:
		return Why{}, apperr.Invalidf("platform", MsgPlatform)
	}
	subject := events.PersonSubject(nrp)
	envs, _, err := s.Store.Load(ctx, subject)
	if err != nil {
		return Why{}, err
	}
	if len(envs) == 0 || s.Person == nil {
		return Why{}, apperr.New(apperr.NotFound, MsgNotFound)
	}
	w := Why{NRP: nrp, Date: day, HandleHistory: []Event{}, Platforms: []WhyByPlat{}}
	var evs []events.Payload
	for i := range envs {
		p, err := s.Store.Registry().Decode(&envs[i])
		if err != nil {
			return Why{}, err
		}
		evs = append(evs, p)
		switch envs[i].Type {
		case "PersonRegistered", "PersonUpdated", "PersonHandleChanged", "PersonRenumbered":
			w.HandleHistory = append(w.HandleHistory, EventOf(&envs[i]))
		}
	}
	p := s.Person(nrp, evs)
	w.ClientID, w.Exception = p.ClientID, p.Exception
	for _, plat := range plats {
		handle := p.Insta
		if plat == events.PlatformTiktok {
			handle = p.Tiktok
		}
		bp, err := s.whyOn(ctx, p.ClientID, plat, day, normalize.Handle(handle))
		if err != nil {
			return Why{}, err
		}
		w.Platforms = append(w.Platforms, bp)
	}
	return w, nil
}

func (s *Service) whyOn(ctx context.Context, clientID, plat, day, handle string) (WhyByPlat, error) {
	kind, counted := social.KindLike, "LikesRecorded"
	if plat == events.PlatformTiktok {
		kind, counted = social.KindComment, "CommentsRecorded"
	}
	bp := WhyByPlat{Platform: plat, Kind: kind, Handle: handle, Posts: []WhyPost{}}
	ids, err := social.NewQueries(s.Pool).ClientPostsOn(ctx, clientID, plat, day)
	if err != nil {
		return bp, err
	}
	bp.TaskPosts = len(ids)
	for _, id := range ids {
		subject := events.PostSubject(plat, id)
		envs, _, err := s.Store.Load(ctx, subject)
		if err != nil {
			return bp, err
		}
		wp := WhyPost{PostID: id, Subject: subject, Feed: []Event{}, Engagement: []Engagement{}}
		for i := range envs {
			e := &envs[i]
			switch e.Type {
			case "PostIngested", "PostWithdrawn", "PostTaggedForRole", "PostUntaggedForRole":
				wp.Feed = append(wp.Feed, EventOf(e))
			case "LikesRecorded", "CommentsRecorded":
				if handle == "" {
					continue
				}
				ev, err := s.Store.Registry().Decode(e)
				if err != nil {
					return bp, err
				}
				var names []string
				switch r := ev.(type) {
				case *events.LikesRecorded:
					names = r.Usernames
				case *events.CommentsRecorded:
					names = r.Usernames
				}
				for _, n := range names {
					if normalize.Handle(n) == handle {
						ee := EventOf(e)
						ee.Payload = nil
						wp.Engagement = append(wp.Engagement, Engagement{Event: ee, HandleUsed: n})
						if e.Type == counted {
							wp.Counted = true
						}
						break
					}
				}
			}
		}
		if wp.Counted {
			bp.Done++
		}
		bp.Posts = append(bp.Posts, wp)
	}
	if handle != "" {
		err = s.Pool.QueryRow(ctx, `SELECT posts FROM social_daily_attendance
			WHERE platform = $1 AND kind = $2 AND task = $3 AND jakarta_date = $4::date AND username = $5`,
			plat, kind, social.ClientTask(clientID), day, handle).Scan(&bp.ReadModelDone)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return bp, fmt.Errorf("attendance of %s on %s: %w", handle, day, err)
		}
	}
	return bp, nil
}
