// Package tiktok is the adapter for the TikTok RapidAPI
// (tiktok-api23.p.rapidapi.com, spec/social.md §2.3): user info (secUid),
// an account's latest videos, a video's commenters and a single video's
// detail, read into typed values, plus the parser for a manually imported
// video link.
//
// Fallbacks, in the order FetchClientPosts applies them: the primary host
// by secUid; the fallback host's user/videos when the primary failed (any
// error, 401/403 included) or listed nothing; then, only between 11:00 and
// 17:15 Asia/Jakarta and at most once, a fetch by username when the list is
// still empty, failed, or holds no video of today. Comment pages are paced
// (2 s apart) and retried on transient failures (500 ms × 2^(attempt−1));
// the delays and the clock are options so tests run fast and at any hour.
//
// Answers of this API nest their lists at several depths and sometimes
// carry the payload (or its data) as a JSON string; the readers here accept
// every variant spec §2.3 lists.
//
// It may import the standard library, internal/rapidapi, internal/jakarta
// and internal/apperr.
package tiktok
