// Package importv2 moves a unit from the old Node system (Cicero_V2) in:
// it reads the old database in one read-only snapshot and issues our
// commands, so what it brings is ordinary event history (actor
// system:import-v2, the old row's own time as occurred_at, causation
// naming the source table and key).
//
// Re-runnable by construction, without a ledger of its own: every command
// id is a hash of the source row's content, so an unchanged row is
// answered from the command log (or found in the aggregate's history when
// that row was lost), and a changed row is a new command that the
// aggregate's decision turns into just the change. An interrupted run is
// resumed by running it again.
package importv2
