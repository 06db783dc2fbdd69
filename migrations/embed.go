// Package migrations embeds the numbered SQL files applied by `cicero migrate`
// and at `serve` start. DDL lives here only.
package migrations

import "embed"

// FS holds every migration.
//
//go:embed *.sql
var FS embed.FS
