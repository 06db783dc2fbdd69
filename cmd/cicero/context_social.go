package main

import (
	"github.com/cicero/cicero/events"
	"github.com/cicero/cicero/projections"
	"github.com/cicero/cicero/projections/social"
)

// socialContext is SOCIAL: the clients' official posts, who liked and
// commented on them, the accounts' profiles and the fetch runs
// (spec/social.md §1–2).
func socialContext() boundedContext {
	return boundedContext{
		name: "social",
		readModels: func(reg *events.Registry) []projections.Projection {
			return []projections.Projection{social.NewPosts(reg), social.NewEngagements(reg), social.NewAccounts(reg)}
		},
	}
}
