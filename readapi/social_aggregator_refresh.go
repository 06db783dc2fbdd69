package readapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/cicero/cicero/internal/auth"
	"github.com/cicero/cicero/internal/httpx"
	"github.com/cicero/cicero/internal/schedule"
	"github.com/cicero/cicero/projections/directory"
)

// Messages of the refresh's body.
const (
	msgRefreshBadJSON = "Body JSON tidak valid"
	msgRefreshField   = "Field tidak diizinkan: "
)

// Refresh states: the fetch was started, was running already (it will
// bring the same news), was not asked for (skipPostRefresh), or cannot be
// started by this process.
const (
	refreshStarted     = "started"
	refreshRunning     = "running"
	refreshSkipped     = "skipped"
	refreshUnavailable = "unavailable"
)

// refreshInfo says what the refresh set going.
type refreshInfo struct {
	Job     string   `json:"job"`
	Status  string   `json:"status"`
	Clients []string `json:"clients"`
}

// refresh is POST /api/aggregator/refresh (spec/social.md §4.6). The
// targets are the active direktorat clients with Instagram and TikTok on
// (of regional_id, when named); a named client is resolved as GET does
// and must be one of them (400 otherwise). Unlike the old route it calls
// no API from the handler: it launches the social fetch job (the one the
// schedule runs every half hour and POST /admin/jobs/{name}/run starts)
// for the target, or for every client when there are several targets,
// and answers the read models' payloads as they are now. The fetch
// records what it finds through commands; the next GET shows it.
// skipPostRefresh launches nothing. Admins may refresh every target;
// everyone else names (or has) one client of theirs.
func (a *socialAPI) refresh(w http.ResponseWriter, r *http.Request) {
	p, found := principal(w, r)
	if !found {
		return
	}
	prm, err := refreshParams(r)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	per, err := a.aggPeriod(prm.periode)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	targets, err := a.refreshTargets(r, p, prm)
	if err != nil {
		httpx.Error(w, r, a.Logger, err)
		return
	}
	info := a.launchRefresh(targets, prm.skipPosts)
	results := make([]aggPayload, 0, len(targets))
	for _, c := range targets {
		out, err := a.aggPayloadOf(r.Context(), c, per, prm.limit)
		if err != nil {
			httpx.Error(w, r, a.Logger, err)
			return
		}
		results = append(results, out)
	}
	ok(w, map[string]any{"message": msgAggRefreshed, "results": results, "refresh": info})
}

func (a *socialAPI) refreshTargets(r *http.Request, p *auth.Principal, prm aggParams) ([]directory.Client, error) {
	all, err := a.Directory.Clients(r.Context(), directory.ClientFilter{Type: scopeDirektor, RegionalID: strings.TrimSpace(prm.regional), ActiveOnly: true})
	if err != nil {
		return nil, err
	}
	all = slices.DeleteFunc(all, func(c directory.Client) bool { return !c.ClientInstaStatus || !c.ClientTiktokStatus })
	if prm.client == "" && p.IsAdmin() {
		return all, nil
	}
	c, err := a.aggregatorClient(r.Context(), p, prm.client, prm.regional)
	if err != nil {
		return nil, err
	}
	if !slices.ContainsFunc(all, func(t directory.Client) bool { return t.ClientID == c.ClientID }) {
		return nil, invalid(msgAggNotDirectorate)
	}
	return []directory.Client{c}, nil
}

// launchRefresh starts the fetch for the targets in the background.
func (a *socialAPI) launchRefresh(targets []directory.Client, skip bool) refreshInfo {
	info := refreshInfo{Job: a.RefreshJob, Clients: []string{}}
	for _, c := range targets {
		info.Clients = append(info.Clients, c.ClientID)
	}
	switch {
	case skip || len(targets) == 0:
		info.Status = refreshSkipped
		return info
	case a.Jobs == nil || a.RefreshJob == "":
		info.Status = refreshUnavailable
		return info
	}
	var args schedule.Args
	if len(targets) == 1 {
		args.ClientID = targets[0].ClientID
	}
	name := a.RefreshJob
	err := a.Jobs.Launch(a.Background, name, args, func(err error) {
		if err != nil {
			a.Logger.Error("aggregator refresh: fetch failed", "job", name, "client", args.ClientID, "err", err)
		}
	})
	switch {
	case errors.Is(err, schedule.ErrRunning):
		info.Status = refreshRunning
	case err != nil:
		a.Logger.Error("aggregator refresh: fetch not started", "job", name, "err", err)
		info.Status = refreshUnavailable
	default:
		info.Status = refreshStarted
	}
	return info
}

// refreshParams reads client_id|clientId, periode, limit, regional_id and
// skipPostRefresh from the JSON body (optional) and the query; the body
// wins. A body that is not a JSON object, or names another field, is 400.
func refreshParams(r *http.Request) (aggParams, error) {
	q := r.URL.Query()
	vals := map[string]string{}
	for _, k := range []string{"client_id", "clientId", "periode", "limit", "regional_id", "skipPostRefresh"} {
		vals[k] = strings.TrimSpace(q.Get(k))
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		return aggParams{}, invalid(msgRefreshBadJSON)
	}
	if len(bytes.TrimSpace(raw)) > 0 {
		var body map[string]any
		if err := json.Unmarshal(raw, &body); err != nil || body == nil {
			return aggParams{}, invalid(msgRefreshBadJSON)
		}
		for k, v := range body {
			if _, known := vals[k]; !known {
				return aggParams{}, invalid(msgRefreshField + k)
			}
			switch v := v.(type) {
			case string:
				if strings.ContainsRune(v, 0) {
					return aggParams{}, invalid(fmt.Sprintf(msgNUL, k))
				}
				vals[k] = strings.TrimSpace(v)
			case float64:
				vals[k] = strconv.FormatFloat(v, 'f', -1, 64)
			case bool:
				vals[k] = strconv.FormatBool(v)
			}
		}
	}
	client := vals["client_id"]
	if client == "" {
		client = vals["clientId"]
	}
	if client == "" {
		client = strings.TrimSpace(r.Header.Get("X-Client-Id"))
	}
	skip, _ := strconv.ParseBool(vals["skipPostRefresh"])
	return aggParams{client: client, regional: vals["regional_id"], periode: vals["periode"],
		limit: aggLimit(vals["limit"]), skipPosts: skip}, nil
}
