// Package natsembed runs the in-process nats-server with JetStream that
// `make run` and the tests use, so nothing depends on a packaged NATS.
package natsembed

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// Options configure the embedded server.
type Options struct {
	// Name is the server name (unique inside a cluster).
	Name string
	// Listen is host:port on loopback; port -1 picks a free one; "" = in-process only.
	Listen string
	// StoreDir holds JetStream's files.
	StoreDir string
	// SyncInterval 0 means fsync before every acknowledgement (SyncAlways),
	// the default because the event store is our only source of truth.
	SyncInterval time.Duration
	// Cluster, when set, joins a cluster: its listen address and the routes
	// to the other members.
	ClusterName   string
	ClusterListen string
	Routes        []string
	// Credentials, when set, are the only user the server admits, in-process
	// connections included; anonymous and unknown clients are refused. The
	// process's server always has them (cmd/cicero openNATS); tests that own
	// a throw-away server may leave them out.
	Credentials *Credentials
}

// Server is a running embedded nats-server.
type Server struct {
	*server.Server
	creds *Credentials
}

// Start boots the server and waits until it accepts connections.
func Start(o Options) (*Server, error) {
	opts := &server.Options{
		ServerName: o.Name,
		JetStream:  true,
		StoreDir:   o.StoreDir,
		NoSigs:     true,
		NoLog:      true,
		// JetStream's default acknowledges before fsync (Jepsen, NATS 2.12.1,
		// lost acknowledged writes on power loss). Sync before ack instead.
		SyncAlways:         o.SyncInterval == 0,
		SyncInterval:       o.SyncInterval,
		MaxPayload:         8 << 20,
		JetStreamMaxMemory: 256 << 20,
	}
	if o.SyncInterval == 0 {
		opts.SyncInterval = 2 * time.Minute
	}
	if o.Listen == "" {
		opts.DontListen = true
	} else {
		host, port, err := splitHostPort(o.Listen)
		if err != nil {
			return nil, fmt.Errorf("nats listen %q: %w", o.Listen, err)
		}
		opts.Host, opts.Port = host, port
	}
	if o.ClusterListen != "" {
		host, port, err := splitHostPort(o.ClusterListen)
		if err != nil {
			return nil, fmt.Errorf("nats cluster listen %q: %w", o.ClusterListen, err)
		}
		opts.Cluster = server.ClusterOpts{Name: o.ClusterName, Host: host, Port: port}
		opts.Routes = server.RoutesFromStr(joinRoutes(o.Routes))
	}
	if o.Credentials != nil {
		opts.Nkeys = []*server.NkeyUser{{Nkey: o.Credentials.PublicKey()}}
	}
	srv, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("nats server: %w", err)
	}
	go srv.Start()
	if !srv.ReadyForConnections(30 * time.Second) {
		srv.Shutdown()
		return nil, errors.New("nats server not ready within 30s")
	}
	return &Server{Server: srv, creds: o.Credentials}, nil
}

// Connect opens a client connection, authenticated with the server's
// credentials when it has them: in-process when the server does not listen,
// over loopback otherwise.
func (s *Server) Connect(name string, extra ...nats.Option) (*nats.Conn, error) {
	opts := []nats.Option{nats.Name(name), nats.MaxReconnects(-1)}
	if s.creds != nil {
		opts = append(opts, s.creds.ConnectOption())
	}
	opts = append(opts, extra...)
	if s.Addr() == nil {
		opts = append(opts, nats.InProcessServer(s.Server))
		return nats.Connect("", opts...)
	}
	return nats.Connect(s.ClientURL(), opts...)
}

// Close shuts the server down and waits for it to finish.
func (s *Server) Close() {
	s.Shutdown()
	s.WaitForShutdown()
}

// LogErrors routes the client's asynchronous errors to log instead of the
// library's default of writing to stderr.
func LogErrors(log *slog.Logger) nats.Option {
	return nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
		subject := ""
		if sub != nil {
			subject = sub.Subject
		}
		log.Warn("nats async error", "err", err, "subject", subject)
	})
}

func splitHostPort(addr string) (string, int, error) {
	host, p, err := net.SplitHostPort(addr)
	if err != nil {
		return "", 0, err
	}
	port, err := strconv.Atoi(p)
	if err != nil {
		return "", 0, err
	}
	return host, port, nil
}

func joinRoutes(routes []string) string {
	out := ""
	for i, r := range routes {
		if i > 0 {
			out += ","
		}
		out += "nats://" + r
	}
	return out
}
