package writeapi

import (
	"context"
	"net/http"
	"strings"

	"github.com/cicero/cicero/commands/editorial"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
)

// submit is POST /api/approvals {event_id, status?}: the event is
// submitted and a pending request opened; 201 with the request. status,
// when sent, must be pending (a request cannot be born decided).
func (a *editorialAPI) submit(w http.ResponseWriter, r *http.Request) {
	p, ok := a.penmas(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	var eventID int64
	if err == nil {
		eventID, err = b.idField("event_id", edMsgEventID)
	}
	var status *string
	if err == nil {
		status, err = b.text("status")
	}
	if err == nil && status != nil {
		if s := strings.ToLower(strings.TrimSpace(*status)); s != "" && s != events.ApprovalStatusPending {
			err = apperr.Invalidf("status", "Permintaan persetujuan baru harus berstatus pending")
		}
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	id, o, err := a.Editorial.SubmitEvent(r.Context(), writeMeta(r, p), editorial.SubmitEvent{EventID: eventID, By: p.ID})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.reply(w, r, http.StatusCreated, o.Positions(), func(ctx context.Context) (any, error) { return a.Read.Approval(ctx, id) })
}

// decide is PUT /api/approvals/{id} {status: approved|rejected, note?}:
// an editor's decision (403 for anyone else, 409 when decided already).
// event_id and requested_by, which the legacy merge let a client change,
// must name the request's own when sent.
func (a *editorialAPI) decide(w http.ResponseWriter, r *http.Request) {
	p, ok := a.penmas(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	var b rawBody
	if err == nil {
		b, err = decodeBody(w, r)
	}
	var status, note, catatan, eventID, requestedBy *string
	if err == nil {
		status, err = b.text("status")
	}
	if err == nil {
		eventID, err = b.text("event_id")
	}
	if err == nil {
		requestedBy, err = b.text("requested_by")
	}
	if err == nil {
		note, err = b.text("note")
	}
	if err == nil {
		catatan, err = b.text("catatan")
	}
	if err == nil && strings.TrimSpace(strOr(status)) == "" {
		err = apperr.Invalidf("status", "status harus approved atau rejected")
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	n := strOr(note)
	if strings.TrimSpace(n) == "" {
		n = strOr(catatan)
	}
	o, err := a.Editorial.DecideRequest(r.Context(), writeMeta(r, p), editorial.DecideRequest{RequestID: id,
		Status: strOr(status), Note: n, EventID: strOr(eventID), RequestedBy: strOr(requestedBy), By: p.ID})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.reply(w, r, http.StatusOK, o.Positions(), func(ctx context.Context) (any, error) { return a.Read.Approval(ctx, id) })
}

// detailKeys are the press-release detail's fields.
var detailKeys = []string{"judul", "dasar", "tersangka", "tkp", "kronologi", "modus", "barang_bukti", "pasal", "ancaman", "catatan"}

func readDetail(b rawBody) (map[string]*string, error) {
	out := map[string]*string{}
	for _, k := range detailKeys {
		v, err := b.text(k)
		if err != nil {
			return nil, err
		}
		out[k] = v
	}
	return out, nil
}

func (a *editorialAPI) readRelease(id int64) func(ctx context.Context) (any, error) {
	return func(ctx context.Context) (any, error) { return a.Read.Release(ctx, id) }
}

// recordDetail is POST /api/press-release-details {event_id, judul, …}:
// 201 with the row; a second detail for one event is a 409 (the legacy
// primary-key 500).
func (a *editorialAPI) recordDetail(w http.ResponseWriter, r *http.Request) {
	p, ok := a.penmas(w, r)
	if !ok {
		return
	}
	b, err := decodeBody(w, r)
	var eventID int64
	if err == nil {
		eventID, err = b.idField("event_id", edMsgEventID)
	}
	var f map[string]*string
	if err == nil {
		f, err = readDetail(b)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	fields := events.PressReleaseFields{Judul: strOr(f["judul"]), Dasar: strOr(f["dasar"]), Tersangka: strOr(f["tersangka"]),
		TKP: strOr(f["tkp"]), Kronologi: strOr(f["kronologi"]), Modus: strOr(f["modus"]), BarangBukti: strOr(f["barang_bukti"]),
		Pasal: strOr(f["pasal"]), Ancaman: strOr(f["ancaman"]), Catatan: strOr(f["catatan"])}
	o, err := a.Editorial.RecordDetail(r.Context(), writeMeta(r, p), editorial.RecordDetail{EventID: eventID, Fields: fields, By: p.ID})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.reply(w, r, http.StatusCreated, o.Positions(), a.readRelease(eventID))
}

// editDetail is PUT /api/press-release-details/{id} (the event id): the
// named fields change; an empty value clears one.
func (a *editorialAPI) editDetail(w http.ResponseWriter, r *http.Request) {
	p, ok := a.penmas(w, r)
	if !ok {
		return
	}
	id, err := pathID(r)
	var b rawBody
	if err == nil {
		b, err = decodeBody(w, r)
	}
	var f map[string]*string
	if err == nil {
		f, err = readDetail(b)
	}
	if err != nil {
		a.fail(w, r, err)
		return
	}
	ch := editorial.DetailChanges{Judul: f["judul"], Dasar: f["dasar"], Tersangka: f["tersangka"], TKP: f["tkp"],
		Kronologi: f["kronologi"], Modus: f["modus"], BarangBukti: f["barang_bukti"], Pasal: f["pasal"],
		Ancaman: f["ancaman"], Catatan: f["catatan"]}
	o, err := a.Editorial.EditDetail(r.Context(), writeMeta(r, p), editorial.EditDetail{EventID: id, Changes: ch, By: p.ID})
	if err != nil {
		a.fail(w, r, err)
		return
	}
	a.reply(w, r, http.StatusOK, o.Positions(), a.readRelease(id))
}
