package apitest

import (
	"context"
	"crypto/rand"
	"time"

	"github.com/cicero/cicero/internal/seal"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/sagas"
	"github.com/cicero/cicero/sagas/email"
	"github.com/cicero/cicero/sagas/email/emailtest"
)

// Messaging is the side-effect half of serve over a Stack: the given sagas
// run like projections, a dispatcher drains the outbox through the real
// SMTP adapter into a local SMTP server, and handlers wait on Deliveries.
// There is no WhatsApp sender, as in serve today.
type Messaging struct {
	SMTP       *emailtest.Server
	Seal       *seal.Box
	Deliveries *sagas.Deliveries
}

// StartMessaging runs sagas and a dispatcher until the test ends. The
// dispatcher mails through mail when it is set (a server that is down,
// say), else to a local SMTP server the test reads (Messaging.SMTP).
func (s *Stack) StartMessaging(mail *email.Config, ss ...sagas.Saga) *Messaging {
	s.T.Helper()
	return s.StartMessagingWith(mail, nil, ss...)
}

// StartMessagingWith is StartMessaging with wa as the dispatcher's
// WhatsApp sender (nil: none, as StartMessaging).
func (s *Stack) StartMessagingWith(mail *email.Config, wa sagas.Sender, ss ...sagas.Saga) *Messaging {
	s.T.Helper()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	box, err := seal.New(key)
	if err != nil {
		s.T.Fatal(err)
	}
	smtp := emailtest.Start(s.T)
	cfg := smtp.Config("Cicero <noreply@cicero.test>")
	if mail != nil {
		cfg = *mail
	}
	mailer, err := email.New(cfg)
	if err != nil {
		s.T.Fatal(err)
	}
	reg := s.N.Store.Registry()
	ps := make([]projections.Projection, len(ss))
	for i, sg := range ss {
		ps[i] = sg.Projection(reg, time.Now)
	}
	mgr, err := projections.NewManager(s.Pool, s.N.Store, projections.RunnerOptions{Logger: s.Log,
		Standby: 50 * time.Millisecond, Linger: 5 * time.Millisecond, LagInterval: time.Second}, ps...)
	if err != nil {
		s.T.Fatal(err)
	}
	senders := map[string]sagas.Sender{sagas.ChannelEmail: mailer}
	if wa != nil {
		senders[sagas.ChannelWhatsApp] = wa
	}
	d, err := sagas.NewDispatcher(s.Pool, s.N.Store, senders, s.Log,
		sagas.DispatcherOptions{Open: box.Open, PollInterval: 10 * time.Millisecond, Lease: 10 * time.Second,
			SendTimeout: 5 * time.Second, MaxAttempts: 2, Backoff: func(int) time.Duration { return 50 * time.Millisecond }})
	if err != nil {
		s.T.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	sagasDone, dispatchDone := make(chan struct{}), make(chan struct{})
	go func() { defer close(sagasDone); _ = mgr.Run(ctx) }()
	go func() { defer close(dispatchDone); _ = d.Run(ctx) }()
	s.T.Cleanup(func() { cancel(); <-sagasDone; <-dispatchDone })
	return &Messaging{SMTP: smtp, Seal: box, Deliveries: sagas.NewDeliveries(s.Pool)}
}
