package demo

import (
	"errors"
	"fmt"
	"time"

	"github.com/cicero/cicero/internal/jakarta"
)

// Bounds of one plan. The upper ones are the sizes the seed was measured
// at (README "Demo data"); MaxEngagersPerPost keeps a post's aggregate,
// which every RecordLikes decision folds, within what a real post gathers.
const (
	MaxClients         = 40
	MaxPersonnel       = 10_000
	MaxDays            = 60
	MaxPosts           = 3_000
	MaxEngagements     = 3_000_000
	MaxEngagersPerPost = 100_000
	MinPasswordLen     = 8
)

// Options shape a plan.
type Options struct {
	Seed uint64
	// Clients is the number of org clients (Polres); one directorate
	// (DITBINMAS) is always added.
	Clients   int
	Personnel int
	// Days of posts, ending with EndDate (a Jakarta date, YYYY-MM-DD).
	Days    int
	EndDate string
	// Posts in total, spread over clients, days and both platforms.
	Posts int
	// Engagements in total: distinct Instagram likers plus distinct TikTok
	// commenters summed over posts.
	Engagements int
	// Password of the demo dashboard logins.
	Password string
}

// Validate reports every out-of-range option at once, naming the flag.
func (o Options) Validate() error {
	var errs []error
	bound := func(flag string, v, lo, hi int) {
		if v < lo || v > hi {
			errs = append(errs, fmt.Errorf("--%s must be between %d and %d, got %d", flag, lo, hi, v))
		}
	}
	bound("clients", o.Clients, 1, MaxClients)
	bound("personnel", o.Personnel, 0, MaxPersonnel)
	bound("days", o.Days, 1, MaxDays)
	bound("posts", o.Posts, 1, MaxPosts)
	bound("engagements", o.Engagements, 0, MaxEngagements)
	if o.Posts >= 1 && o.Engagements > o.Posts*MaxEngagersPerPost {
		errs = append(errs, fmt.Errorf("--engagements %d over --posts %d is more than %d per post: raise --posts",
			o.Engagements, o.Posts, MaxEngagersPerPost))
	}
	if _, err := o.endDay(); err != nil {
		errs = append(errs, err)
	}
	if len(o.Password) < MinPasswordLen {
		errs = append(errs, fmt.Errorf("--password needs at least %d characters", MinPasswordLen))
	}
	return errors.Join(errs...)
}

// endDay is midnight of EndDate in Jakarta.
func (o Options) endDay() (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, o.EndDate, jakarta.Location)
	if err != nil {
		return time.Time{}, fmt.Errorf("--end-date must be a date like 2026-03-02, got %q", o.EndDate)
	}
	return d, nil
}
