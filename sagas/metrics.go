package sagas

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
)

// RegisterOutboxMetrics exports the outbox depth — rows pending, sending and
// failed — and the age of the oldest pending row, read from Postgres at each
// scrape. Sent rows are history, not depth, and are not counted.
func RegisterOutboxMetrics(reg prometheus.Registerer, pool *pgxpool.Pool) error {
	return reg.Register(&outboxCollector{pool: pool})
}

var (
	outboxDepthDesc = prometheus.NewDesc("cicero_outbox_messages",
		"Outbox rows by status (pending, sending, failed).", []string{"status"}, nil)
	outboxOldestDesc = prometheus.NewDesc("cicero_outbox_oldest_pending_seconds",
		"Age of the oldest pending outbox row (0 when none).", nil, nil)
)

type outboxCollector struct {
	pool *pgxpool.Pool
}

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxDepthDesc
	ch <- outboxOldestDesc
}

// Collect queries at scrape time; a failed query is reported to the
// scraper as an invalid metric rather than as stale numbers.
func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	d, err := NewDeliveries(c.pool).Depth(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxDepthDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxDepthDesc, prometheus.GaugeValue, float64(d.Pending), StatusPending)
	ch <- prometheus.MustNewConstMetric(outboxDepthDesc, prometheus.GaugeValue, float64(d.Sending), StatusSending)
	ch <- prometheus.MustNewConstMetric(outboxDepthDesc, prometheus.GaugeValue, float64(d.Failed), StatusFailed)
	ch <- prometheus.MustNewConstMetric(outboxOldestDesc, prometheus.GaugeValue, d.OldestPendingSeconds)
}
