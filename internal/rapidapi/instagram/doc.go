// Package instagram is the adapter for the Instagram RapidAPI
// (social-api4.p.rapidapi.com, spec/social.md §2.2): profiles, post pages,
// likers, comments and single posts, read into typed values, plus the
// parser for a manually imported post link.
//
// Every call goes to the primary host; only an HTTP 401 or 403 from it is
// sent once more, unchanged, to the fallback host with the fallback key.
// Likes pages are retried (3 attempts, backoff 1 s × attempt); comment pages
// are paced (1.5 s apart). Both delays are options so tests run fast.
//
// Usernames of likers and commenters are returned raw; callers normalise
// them with rapidapi.NormalizeUsername(s).
//
// It may import the standard library, internal/rapidapi, internal/jakarta
// and internal/apperr.
package instagram
