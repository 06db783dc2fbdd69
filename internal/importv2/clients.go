package importv2

import (
	"context"
	"fmt"
	"github.com/cicero/cicero/commands"
	"strings"
	"time"

	"github.com/cicero/cicero/commands/client"
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/internal/apperr"
	"github.com/cicero/cicero/internal/normalize"
)

// oldClient is a row of the old `clients` table.
type oldClient struct {
	ID, Nama, Type, Insta, Tiktok, Operator, Group, Regional, Parent, Level, SecUID, Super string
	Status, InstaStatus, TiktokStatus, AmplifyStatus                                       *bool
}

func (im *Importer) readClients(ctx context.Context) ([]oldClient, error) {
	s := im.src
	c := func(name, typ string) string { return s.col("clients", "c", name, typ) }
	rows, err := s.Query(ctx, `SELECT c.client_id, COALESCE(c.nama, ''), COALESCE(`+c("client_type", "text")+`, ''),
		COALESCE(`+c("client_insta", "text")+`, ''), COALESCE(`+c("client_tiktok", "text")+`, ''),
		COALESCE(`+c("client_operator", "text")+`, ''), COALESCE(`+c("client_group", "text")+`, ''),
		COALESCE(`+c("regional_id", "text")+`, ''), COALESCE(`+c("parent_client_id", "text")+`, ''),
		COALESCE(`+c("client_level", "text")+`, ''), COALESCE(`+c("tiktok_secuid", "text")+`, ''),
		COALESCE(`+c("client_super", "text")+`, ''),
		`+c("client_status", "boolean")+`, `+c("client_insta_status", "boolean")+`,
		`+c("client_tiktok_status", "boolean")+`, `+c("client_amplify_status", "boolean")+`
		FROM clients c ORDER BY c.client_id`)
	if err != nil {
		return nil, fmt.Errorf("read clients: %w", err)
	}
	defer rows.Close()
	var out []oldClient
	for rows.Next() {
		var r oldClient
		if err := rows.Scan(&r.ID, &r.Nama, &r.Type, &r.Insta, &r.Tiktok, &r.Operator, &r.Group, &r.Regional, &r.Parent,
			&r.Level, &r.SecUID, &r.Super, &r.Status, &r.InstaStatus, &r.TiktokStatus, &r.AmplifyStatus); err != nil {
			return nil, fmt.Errorf("read clients: %w", err)
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// parentsFirst orders clients so a parent is registered before its
// children (a parent must exist); a cycle or an unknown parent keeps its
// rows last, where the command refuses them.
func parentsFirst(cs []oldClient) []oldClient {
	done := map[string]bool{}
	var out []oldClient
	for len(out) < len(cs) {
		progressed := false
		for _, c := range cs {
			id := normalize.ClientID(c.ID)
			if done[id] {
				continue
			}
			p := normalize.ClientID(c.Parent)
			if p == "" || p == id || done[p] {
				done[id] = true
				out = append(out, c)
				progressed = true
			}
		}
		if !progressed {
			for _, c := range cs {
				if id := normalize.ClientID(c.ID); !done[id] {
					done[id] = true
					out = append(out, c)
				}
			}
		}
	}
	return out
}

const reasonClientDuplicate = "duplicate client_id (the same id in another case or with spaces): the row spelled as the id is imported"

// uniqueClients keeps one row per client id compared case-insensitively
// and trimmed (how the old code looked clients up): the row spelled
// exactly as the normalised id, else the first. The others are reported.
func (im *Importer) uniqueClients(t *TableReport, cs []oldClient) []oldClient {
	pick := map[string]int{}
	for i, c := range cs {
		id := normalize.ClientID(c.ID)
		if j, seen := pick[id]; !seen || (cs[j].ID != id && c.ID == id) {
			pick[id] = i
		}
	}
	var out []oldClient
	for i, c := range cs {
		if pick[normalize.ClientID(c.ID)] != i {
			im.skip(t, reasonClientDuplicate, c.ID)
			continue
		}
		out = append(out, c)
	}
	return out
}

func (im *Importer) importClients(ctx context.Context, t *TableReport) error {
	cs, err := im.readClients(ctx)
	if err != nil {
		return err
	}
	im.read(t, len(cs))
	im.progress.Start("clients", len(cs))
	cs = im.uniqueClients(t, cs)
	// Parents before children, one at a time: a child's check needs its
	// parent registered.
	for _, c := range parentsFirst(cs) {
		if err := im.importClient(ctx, t, c); err != nil {
			return err
		}
		im.progress.Add(1)
	}
	im.progress.Finish()
	return nil
}

func (im *Importer) importClient(ctx context.Context, t *TableReport, c oldClient) error {
	key := c.ID
	id := normalize.ClientID(c.ID)
	if c.Parent != "" && normalize.ClientID(c.Parent) == id {
		c.Parent = "" // a client that is its own parent: legacy seed data
	}
	accounts := clientAccounts{Insta: strings.TrimPrefix(strings.TrimSpace(c.Insta), "@"), Tiktok: strings.TrimPrefix(strings.TrimSpace(c.Tiktok), "@")}
	if im.opts.DryRun {
		if id == "" || strings.TrimSpace(c.Nama) == "" {
			im.rowDone(t, key, false, fmt.Errorf("client_id and nama are required"))
			return nil
		}
		im.known.Store(id, accounts)
		im.rowDone(t, key, true, nil)
		return nil
	}
	reg := client.RegisterClient{ClientID: c.ID, Nama: c.Nama, ClientType: c.Type, ClientInsta: c.Insta,
		ClientTiktok: c.Tiktok, InstaStatus: c.InstaStatus, TiktokStatus: c.TiktokStatus, AmplifyStatus: c.AmplifyStatus,
		ClientOperator: c.Operator, ClientGroup: c.Group, RegionalID: c.Regional, ParentClientID: c.Parent,
		ClientLevel: c.Level, TiktokSecUID: c.SecUID, ClientSuper: c.Super}
	at := time.Time{} // clients carry no time of their own: now
	v, err := im.version(ctx, events.ClientSubject(id))
	if err != nil {
		return fmt.Errorf("client %s: %w", key, err)
	}
	out, err := im.exec(ctx, metaAt("clients", key, reg, at, v), func(m commands.Meta) (commands.Outcome, error) { return im.clients.RegisterClient(ctx, m, reg) })
	changed := false
	if apperr.CodeOf(err) == apperr.Conflict {
		// Imported before (or made here): bring it up to date; the
		// decision appends only what differs.
		up := client.UpdateClient{ActorRole: client.RoleAdmin, ClientID: c.ID, Nama: &c.Nama, ClientType: &c.Type,
			ClientInsta: &c.Insta, ClientTiktok: &c.Tiktok, InstaStatus: c.InstaStatus, TiktokStatus: c.TiktokStatus,
			AmplifyStatus: c.AmplifyStatus, ClientOperator: &c.Operator, ClientGroup: &c.Group, RegionalID: &c.Regional,
			ParentClientID: &c.Parent, ClientLevel: &c.Level, TiktokSecUID: &c.SecUID, ClientSuper: &c.Super}
		out, err = im.exec(ctx, metaAt("clients", key, up, at, v), func(m commands.Meta) (commands.Outcome, error) { return im.clients.UpdateClient(ctx, m, up) })
	}
	skip, fail := refusal(err)
	if fail != nil {
		return fmt.Errorf("client %s: %w", key, fail)
	}
	if skip == nil {
		changed = im.fresh(t, out)
		if c.Status != nil {
			st := client.SetClientStatus{ClientID: c.ID, Active: *c.Status}
			out, err := im.exec(ctx, metaAt("clients", key, st, at, v), func(m commands.Meta) (commands.Outcome, error) { return im.clients.SetClientStatus(ctx, m, st) })
			s, f := refusal(err)
			if f != nil {
				return fmt.Errorf("client %s status: %w", key, f)
			}
			if s == nil {
				changed = im.fresh(t, out) || changed
			}
		}
		im.known.Store(id, accounts)
	}
	im.rowDone(t, key, changed, skip)
	return nil
}
