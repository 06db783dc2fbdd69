package projections

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the projection runtime's Prometheus series. They live on a
// registry the caller passes in (never the global one), so tests and several
// processes in one binary do not collide.
type Metrics struct {
	lagEvents  *prometheus.GaugeVec
	lagSeconds *prometheus.GaugeVec
	applied    *prometheus.CounterVec
	batch      *prometheus.HistogramVec
}

// NewMetrics creates and registers the series on reg:
//   - cicero_projection_lag_events{projection,stream}: stream head minus checkpoint
//   - cicero_projection_lag_seconds{projection,stream}: age of the oldest
//     event not yet applied (0 when caught up)
//   - cicero_projection_applied_events_total{projection,stream}
//   - cicero_projection_batch_seconds{projection}: one batch transaction
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		lagEvents: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "cicero_projection_lag_events",
			Help: "Events in the stream not yet applied by the projection (head minus checkpoint).",
		}, []string{"projection", "stream"}),
		lagSeconds: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "cicero_projection_lag_seconds",
			Help: "Age of the oldest event the projection has not applied yet; 0 when caught up.",
		}, []string{"projection", "stream"}),
		applied: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "cicero_projection_applied_events_total",
			Help: "Events applied and committed by the projection.",
		}, []string{"projection", "stream"}),
		batch: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "cicero_projection_batch_seconds",
			Help:    "Duration of one projection batch transaction.",
			Buckets: prometheus.ExponentialBuckets(0.001, 2, 14),
		}, []string{"projection"}),
	}
	for _, c := range []prometheus.Collector{m.lagEvents, m.lagSeconds, m.applied, m.batch} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register projection metrics: %w", err)
		}
	}
	return m, nil
}

func (m *Metrics) setLag(projection, stream string, events uint64, seconds float64) {
	if m == nil {
		return
	}
	m.lagEvents.WithLabelValues(projection, stream).Set(float64(events))
	m.lagSeconds.WithLabelValues(projection, stream).Set(seconds)
}

func (m *Metrics) addApplied(projection, stream string, n int) {
	if m == nil || n == 0 {
		return
	}
	m.applied.WithLabelValues(projection, stream).Add(float64(n))
}

func (m *Metrics) observeBatch(projection string, seconds float64) {
	if m == nil {
		return
	}
	m.batch.WithLabelValues(projection).Observe(seconds)
}
