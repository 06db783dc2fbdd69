package main

import (
	"fmt"
	"sort"
	"strings"

	"github.com/cicero/cicero/projections/access"
	"github.com/cicero/cicero/projections/directory"
	"github.com/cicero/cicero/projections/premium"

	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
)

// readModels lists every projection that builds a read model: what `serve`
// keeps up to date and what `cicero rebuild` accepts. Sagas are not here:
// side effects stay off during rebuilds.
func readModels(reg *events.Registry) []projections.Projection {
	return []projections.Projection{
		directory.New(reg),
		access.NewDashboardUsers(reg),
		premium.NewDashboard(reg),
		premium.NewPersonnel(reg),
		access.NewPenmasUsers(reg),
	}
}

// findReadModel returns the projection called name.
func findReadModel(reg *events.Registry, name string) (projections.Projection, error) {
	var names []string
	for _, p := range readModels(reg) {
		if p.Name() == name {
			return p, nil
		}
		names = append(names, p.Name())
	}
	sort.Strings(names)
	return nil, fmt.Errorf("unknown projection %q (known: %s)", name, strings.Join(names, ", "))
}
