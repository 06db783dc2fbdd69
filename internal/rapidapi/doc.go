// Package rapidapi holds the plumbing that the RapidAPI adapters share
// (spec/social.md §2.1): the configuration (keys, base URLs, the optional
// fallback host), a Caller that sends GETs with the RapidAPI headers and
// turns every failure into one typed *Error (HTTP status, a truncated,
// key-free body, retryable or permanent), tolerant readers for the loosely
// shaped JSON those APIs answer with, retry and pause helpers that respect
// ctx, a small concurrency Limiter, and the username normalisation used when
// likers and commenters are matched to personnel (§2.6).
//
// The platform adapters live in sub-packages: instagram (social-api4) and
// tiktok (tiktok-api23). They return typed posts, profiles, likers and
// commenters; they never touch the event store or Postgres — ingestion jobs
// turn their results into commands.
//
// It may import only the standard library and internal/ platform packages
// (internal/normalize, internal/jakarta, internal/apperr). Nothing here reads
// the environment: Config carries env tags so cmd/ can parse it with the rest
// of the process configuration.
package rapidapi
