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
	var pending, sending, failed int64
	var oldest float64
	err := c.pool.QueryRow(ctx, `
		SELECT count(*) FILTER (WHERE status = 'pending'),
		       count(*) FILTER (WHERE status = 'sending'),
		       count(*) FILTER (WHERE status = 'failed'),
		       COALESCE(EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'pending')), 0)::float8
		FROM outbox WHERE status IN ('pending', 'sending', 'failed')`).Scan(&pending, &sending, &failed, &oldest)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxDepthDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxDepthDesc, prometheus.GaugeValue, float64(pending), StatusPending)
	ch <- prometheus.MustNewConstMetric(outboxDepthDesc, prometheus.GaugeValue, float64(sending), StatusSending)
	ch <- prometheus.MustNewConstMetric(outboxDepthDesc, prometheus.GaugeValue, float64(failed), StatusFailed)
	ch <- prometheus.MustNewConstMetric(outboxOldestDesc, prometheus.GaugeValue, oldest)
}
