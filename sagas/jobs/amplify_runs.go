package jobs

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/amplifytext"
	"github.com/cicero/cicero/internal/amplifyxlsx"
	"github.com/cicero/cicero/internal/jakarta"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/internal/waid"
)

// RunRekapLink is cronRekapLink (spec/ops.md §5.4 #2): for each active
// org client with amplification, absensiLink of its operators to every
// ADMIN_WHATSAPP number and the client's operator, super and group
// fields (every number of a multi-number field, unlike the old job).
func (a *Amplify) RunRekapLink(ctx context.Context, args schedule.Args) error {
	if err := a.ready(ctx, RekapLinkJob); err != nil {
		return err
	}
	now := a.d.Now()
	cs, err := a.clients(ctx, args, true)
	if err != nil {
		return err
	}
	at := slot(now, 5, 15, 18, 21)
	var errs []error
	for _, c := range cs {
		to := recipients(a.admins, waid.Split(c.Operator), waid.Split(c.Super), waid.Split(c.Group))
		if len(to) == 0 {
			continue
		}
		day, err := a.d.Source.AmplifyDay(ctx, c.ID, jakarta.Date(now), amplifyOperatorRole)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		day.ClientID = c.ID
		if err := a.enqueue(ctx, RekapLinkJob, at, "1", events.MessageQueued{ClientID: c.ID, Recipients: to,
			Text: amplifytext.AbsensiLink(now, day)}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

var bulanIndo = [12]string{"Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September",
	"Oktober", "November", "Desember"}

// RunMonthly is cronAmplifyLinkMonthly (spec/ops.md §5.4 #3): on the
// month's last Jakarta day only, each active amplification client's
// reports on the month's posts as `<client_id>_<Bulan>.xlsx` to its
// operator numbers (a header-only file when there are none).
func (a *Amplify) RunMonthly(ctx context.Context, args schedule.Args) error {
	now := a.d.Now().In(jakarta.Location)
	if now.AddDate(0, 0, 1).Day() != 1 {
		a.d.Logger.Info("amplify monthly: not the last day of the month", "date", jakarta.Date(now))
		return nil
	}
	if err := a.ready(ctx, AmplifyMonthlyJob); err != nil {
		return err
	}
	cs, err := a.clients(ctx, args, false)
	if err != nil {
		return err
	}
	first := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, jakarta.Location)
	at := time.Date(now.Year(), now.Month(), now.Day(), 23, 0, 0, 0, jakarta.Location).Format("2006-01-02T15:04")
	var errs []error
	for _, c := range cs {
		to := recipients(waid.Split(c.Operator))
		if len(to) == 0 {
			a.d.Logger.Info("amplify monthly: Nomor operator tidak valid", "client", c.ID)
			continue
		}
		rows, err := a.d.Source.AmplifyExport(ctx, c.ID, first.Format(time.DateOnly), jakarta.Date(now))
		if err != nil {
			errs = append(errs, err)
			continue
		}
		data, err := amplifyxlsx.Write(rows)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		name := c.ID + "_" + strings.ReplaceAll(bulanIndo[now.Month()-1], " ", "_") + ".xlsx"
		if err := a.enqueue(ctx, AmplifyMonthlyJob, at, "1", events.MessageQueued{ClientID: c.ID, Recipients: to,
			Document: &events.QueuedDocument{FileName: name, MimeType: amplifyxlsx.ContentType, Data: data}}); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// RunDailyReport is cronOprRequestDailyReport (spec/ops.md §5.4 #13): for
// each active org client with amplification, today's and then
// yesterday's amplification report of its operators to its operator
// numbers; a day nobody reported is skipped.
func (a *Amplify) RunDailyReport(ctx context.Context, args schedule.Args) error {
	if err := a.ready(ctx, AmplifyDailyJob); err != nil {
		return err
	}
	now := a.d.Now().In(jakarta.Location)
	cs, err := a.clients(ctx, args, true)
	if err != nil {
		return err
	}
	at := slot(now, 7, 21)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, jakarta.Location)
	var errs []error
	for _, c := range cs {
		to := recipients(waid.Split(c.Operator))
		if len(to) == 0 {
			continue
		}
		for i, day := range []time.Time{today, today.AddDate(0, 0, -1)} {
			d, err := a.d.Source.AmplifyDay(ctx, c.ID, jakarta.Date(day), amplifyOperatorRole)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			d.ClientID = c.ID
			text, ok := amplifytext.DailyReport(now, day, d)
			if !ok {
				continue
			}
			if err := a.enqueue(ctx, AmplifyDailyJob, at, fmt.Sprint(i+1), events.MessageQueued{ClientID: c.ID,
				Recipients: to, Text: text}); err != nil {
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}
