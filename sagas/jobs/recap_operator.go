package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/recaptext"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/projections/recap"
)

// dataNotFound is the old jobs' text when a recap had nothing to say.
const dataNotFound = "Data tidak ditemukan."

// sosmedOrgs are the active ORG clients with Instagram and TikTok on
// (findAllActiveOrgClientsWithSosmed).
func (r *Recaps) sosmedOrgs(ctx context.Context) ([]recap.Client, error) {
	cs, err := r.d.Read.Clients(ctx, "org", true)
	if err != nil {
		return nil, err
	}
	var out []recap.Client
	for _, c := range cs {
		if c.InstaOn && c.TiktokOn {
			out = append(out, c)
		}
	}
	return out, nil
}

// engagement is job 11 (cronOprRequestAbsensiEngagement): for each ORG
// client with Instagram and TikTok, the operators' absensi likes then
// komentar (mode all, role operator) to the client's group, operators and
// super admins.
func (r *Recaps) engagement(ctx context.Context, _ schedule.Args) error {
	rn, err := r.start(ctx, EngagementJob, "")
	if err != nil {
		return err
	}
	cs, err := r.sosmedOrgs(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", EngagementJob, err)
	}
	day := jakarta.Date(rn.now)
	var errs []error
	for _, c := range cs {
		to := union(groupOf(c), numbers(c.Operator), numbers(c.Super))
		if len(to) == 0 {
			continue
		}
		for i, pl := range []string{events.PlatformInstagram, events.PlatformTiktok} {
			in, err := r.d.Read.Absensi(ctx, c, pl, "operator", day, rn.now)
			if err != nil {
				errs = append(errs, fmt.Errorf("%s %s: %w", EngagementJob, c.ID, err))
				continue
			}
			in.Mode = recaptext.ModeAll
			text := recaptext.AbsensiLikes(in)
			if pl == events.PlatformTiktok {
				text = recaptext.AbsensiKomentarOperator(in)
			}
			if text == "" {
				text = dataNotFound
			}
			if err := rn.queue(ctx, message{client: c.ID, part: fmt.Sprintf("%d-%s", i+1, pl), text: text, recipients: to}); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// updateUsername is job 10 (cronOprRequestAbsensiUpdateDataUsername): for
// each ORG client with Instagram and TikTok and a valid group, the
// operators' username completeness to the group: the recap, then the list
// of who is missing a username when anybody is.
func (r *Recaps) updateUsername(ctx context.Context, _ schedule.Args) error {
	rn, err := r.start(ctx, UpdateUsernameJob, "")
	if err != nil {
		return err
	}
	cs, err := r.sosmedOrgs(ctx)
	if err != nil {
		return fmt.Errorf("%s: %w", UpdateUsernameJob, err)
	}
	var errs []error
	for _, c := range cs {
		to := groupOf(c)
		if len(to) == 0 {
			continue
		}
		ms, err := r.d.Read.Members(ctx, c, "operator", false)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", UpdateUsernameJob, c.ID, err))
			continue
		}
		in := recaptext.Completeness{Client: c.Client, At: rn.now}
		for _, m := range ms {
			in.Members = append(in.Members, m.Member)
		}
		texts := []string{dataNotFound}
		if len(ms) > 0 {
			texts = []string{recaptext.DataCompleteness(in)}
			if missing := recaptext.IncompleteData(in); missing != "" {
				texts = append(texts, missing)
			}
		}
		for i, text := range texts {
			if err := rn.queue(ctx, message{client: c.ID, part: fmt.Sprint(i + 1), text: text, recipients: to}); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// amplifyRoutine is job 12 (cronOprRequestAmplifyRoutineUpdate): the
// Instagram fetch of every active ORG client with amplification on (the
// routine amplification tasks), through the social fetch. It sends
// nothing itself.
func (r *Recaps) amplifyRoutine(ctx context.Context, args schedule.Args) error {
	cs, err := r.d.Read.Clients(ctx, "org", true)
	if err != nil {
		return fmt.Errorf("%s: %w", AmplifyRoutineJob, err)
	}
	var errs []error
	for _, c := range cs {
		if !c.Amplify || (args.ClientID != "" && !equalFold(args.ClientID, c.ID)) {
			continue
		}
		a := args
		a.ClientID, a.Platform = c.ID, events.PlatformInstagram
		if err := r.d.Fetch.Run(ctx, a); err != nil {
			errs = append(errs, fmt.Errorf("%s %s: %w", AmplifyRoutineJob, c.ID, err))
		}
	}
	return errors.Join(errs...)
}
