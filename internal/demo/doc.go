// Package demo plans a realistic, deterministic demo data set for `cicero
// seed-demo`: clients (Polres and one directorate) with their official
// accounts, personnel with handles typed the ways people type them (leading
// "@", upper and mixed case, spaces, profile links, missing), dashboard
// logins, and days of Instagram and TikTok posts with their likes and
// comments as a fetch would see them over several rounds.
//
// A plan is a pure function of its Options: the same options give the same
// clients, people, posts and usernames, in the same spellings, whatever
// order or concurrency the caller issues them with (every random choice
// draws from a generator keyed by the seed and the item). The package only
// plans; cmd/cicero issues the plan through the real command handlers.
// It imports the standard library and internal/normalize only.
package demo
