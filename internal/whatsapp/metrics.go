package whatsapp

import "github.com/prometheus/client_golang/prometheus"

// RegisterMetrics exports the sessions' state on reg, read at each scrape:
//   - cicero_whatsapp_session_ready{session}: 1 when connected and logged in
//   - cicero_whatsapp_session_paired{session}, cicero_whatsapp_session_awaiting_qr{session}
//   - cicero_whatsapp_send_queue{session}: sends waiting for or holding the turn
//   - cicero_whatsapp_messages_sent_total{session}, cicero_whatsapp_messages_failed_total{session}
func (m *Manager) RegisterMetrics(reg prometheus.Registerer) error {
	return reg.Register(&collector{m: m})
}

var (
	readyDesc = prometheus.NewDesc("cicero_whatsapp_session_ready",
		"1 when the WhatsApp session is connected and logged in.", []string{"session"}, nil)
	pairedDesc = prometheus.NewDesc("cicero_whatsapp_session_paired",
		"1 when the WhatsApp session has a paired device.", []string{"session"}, nil)
	awaitingQRDesc = prometheus.NewDesc("cicero_whatsapp_session_awaiting_qr",
		"1 while the WhatsApp session waits for its QR code to be scanned.", []string{"session"}, nil)
	queueDesc = prometheus.NewDesc("cicero_whatsapp_send_queue",
		"Sends waiting for or holding the session's send turn.", []string{"session"}, nil)
	sentDesc = prometheus.NewDesc("cicero_whatsapp_messages_sent_total",
		"Messages WhatsApp accepted from the session since start.", []string{"session"}, nil)
	failedDesc = prometheus.NewDesc("cicero_whatsapp_messages_failed_total",
		"Sends through the session that failed since start.", []string{"session"}, nil)
)

type collector struct{ m *Manager }

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{readyDesc, pairedDesc, awaitingQRDesc, queueDesc, sentDesc, failedDesc} {
		ch <- d
	}
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	for _, st := range c.m.Statuses() {
		ch <- prometheus.MustNewConstMetric(readyDesc, prometheus.GaugeValue, b2f(st.Ready), st.Name)
		ch <- prometheus.MustNewConstMetric(pairedDesc, prometheus.GaugeValue, b2f(st.Paired), st.Name)
		ch <- prometheus.MustNewConstMetric(awaitingQRDesc, prometheus.GaugeValue, b2f(st.AwaitingQR), st.Name)
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(st.QueueLength), st.Name)
		ch <- prometheus.MustNewConstMetric(sentDesc, prometheus.CounterValue, float64(st.Sent), st.Name)
		ch <- prometheus.MustNewConstMetric(failedDesc, prometheus.CounterValue, float64(st.Failed), st.Name)
	}
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
