package main

import (
	"context"

	"github.com/cicero/cicero/commands/linkreport"
	"github.com/cicero/cicero/commands/outgoing"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/amplifytext"
	"github.com/cicero/cicero/internal/amplifyxlsx"
	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/amplify"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/readapi"
	"github.com/cicero/cicero/sagas"
	amplifysaga "github.com/cicero/cicero/sagas/amplify"
	"github.com/cicero/cicero/sagas/jobs"
	"github.com/cicero/cicero/writeapi"
)

// amplifyContext is AMPLIFY: personnel's link reports of their re-shares
// of official posts, the recaps over them, the thank-you message and the
// scheduled WhatsApp recaps (spec/ops.md §2, §5.4 #2, #3, #13).
func amplifyContext() boundedContext {
	return boundedContext{
		name: "amplify",
		readModels: func(reg *events.Registry) []projections.Projection {
			return []projections.Projection{amplify.NewReports(reg)}
		},
		sagas: func(*wiring) ([]sagas.Saga, error) {
			return []sagas.Saga{amplifysaga.Thanks()}, nil
		},
		jobs: func(w *wiring) ([]schedule.Job, error) {
			src := amplifySource{amplify.NewQueries(w.pool), directory.NewQueries(w.pool)}
			return jobs.NewAmplify(jobs.AmplifyDeps{Source: src, Queue: outgoing.NewHandlers(w.runtime),
				AdminWhatsApp: w.cfg.AdminWhatsApp, Ready: w.waReadiness(), ReadyTimeout: w.cfg.WAReadyWait(),
				Logger: w.log}).Jobs(), nil
		},
		mount: func(w *wiring, api *auth.Router) error {
			imp, err := newSocialImport(w)
			if err != nil {
				return err
			}
			readapi.MountAmplify(api, readapi.AmplifyDeps{Read: amplify.NewQueries(w.pool), Logger: w.log})
			writeapi.MountAmplifyCommands(api, writeapi.AmplifyCommandDeps{Reports: linkreport.NewHandlers(w.runtime),
				Importer: imp, People: directory.NewQueries(w.pool), Read: amplify.NewQueries(w.pool),
				WaitForReports: w.waiter(amplify.ReportsName), Logger: w.log})
			return nil
		},
	}
}

// amplifySource adapts the amplify and directory read models to the jobs.
type amplifySource struct {
	q   *amplify.Queries
	dir *directory.Queries
}

func (s amplifySource) AmplifyClients(ctx context.Context) ([]jobs.AmplifyClient, error) {
	cs, err := s.dir.Clients(ctx, directory.ClientFilter{ActiveOnly: true})
	if err != nil {
		return nil, err
	}
	out := make([]jobs.AmplifyClient, 0, len(cs))
	for _, c := range cs {
		out = append(out, jobs.AmplifyClient{ID: c.ClientID, Nama: c.Nama, Type: c.ClientType, Operator: c.ClientOperator,
			Super: c.ClientSuper, Group: c.ClientGroup, Active: c.ClientStatus, Amplify: c.ClientAmplifyStatus})
	}
	return out, nil
}

func (s amplifySource) AmplifyDay(ctx context.Context, clientID, day, role string) (amplifytext.Absensi, error) {
	return s.q.Day(ctx, clientID, day, role)
}

func (s amplifySource) AmplifyExport(ctx context.Context, clientID, from, to string) ([]amplifyxlsx.Row, error) {
	return s.q.Export(ctx, amplify.ExportFilter{Kind: events.LinkReportRegular, ClientID: clientID, From: from, To: to})
}
