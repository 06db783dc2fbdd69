package tiktok

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"time"

	"github.com/cicero/cicero/internal/rapidapi"
)

// CommentPageSize is the count asked per comment page; the cursor moves by
// it (spec §2.3).
const CommentPageSize = 50

// MaxCommentPages stops the paging of a video whose answers never report a
// total and never run dry (10,000 comments); the old code had no bound.
const MaxCommentPages = 200

// Comment is one comment of api/post/comments.
type Comment struct {
	ID        string    // cid ?? id
	Username  string    // user.unique_id, else username; raw
	Text      string    // text
	CreatedAt time.Time // create_time, UTC; zero when absent
	Raw       json.RawMessage
}

// CommentsPage is one page of api/post/comments.
type CommentsPage struct {
	Comments   []Comment
	Total      int64 // data.total ?? total
	HasTotal   bool
	NextCursor int
	// HasMore: the page was not empty and, when a total is known, the next
	// cursor does not pass it.
	HasMore bool
}

// CommentsPage reads the page of videoID's comments starting at cursor.
func (c *Client) CommentsPage(ctx context.Context, videoID string, cursor int) (CommentsPage, error) {
	q := url.Values{"videoId": {videoID}, "count": {strconv.Itoa(CommentPageSize)}, "cursor": {strconv.Itoa(cursor)}}
	body, err := c.api.Get(ctx, "api/post/comments", q)
	if err != nil {
		return CommentsPage{}, fmt.Errorf("tiktok comments of %s at %d: %w", videoID, cursor, err)
	}
	var page CommentsPage
	for _, it := range rapidapi.Arr(find(body, isArray, []string{"data", "comments"}, []string{"comments"})) {
		page.Comments = append(page.Comments, parseComment(it))
	}
	page.Total, page.HasTotal = rapidapi.Digits(find(body, isNumber, []string{"data", "total"}, []string{"total"}))
	page.NextCursor = cursor + CommentPageSize
	page.HasMore = len(page.Comments) > 0 && (!page.HasTotal || int64(page.NextCursor) <= page.Total)
	return page, nil
}

func isNumber(v any) bool { _, ok := rapidapi.Digits(v); return ok }

func parseComment(it any) Comment {
	cm := Comment{
		ID:        rapidapi.Str(rapidapi.Coalesce(rapidapi.At(it, "cid"), rapidapi.At(it, "id"))),
		Username:  rapidapi.FirstString(rapidapi.At(it, "user", "unique_id"), rapidapi.At(it, "username")),
		Text:      rapidapi.Str(rapidapi.At(it, "text")),
		CreatedAt: unixTime(rapidapi.At(it, "create_time")),
		Raw:       rapidapi.Raw(it),
	}
	return cm
}

// FetchComments reads all comments of videoID, page by page from cursor 0,
// pausing between pages (default 2 s). A page that fails transiently
// (network, timeout, truncated body, 5xx — not 429, as spec §2.3 lists) is
// tried up to 3 times with backoff 500 ms × 2^(attempt−1); when it still
// fails, the whole video is read again from the start, up to 3 times with
// 2 s × attempt between, on any retryable failure. The final failure
// returns the comments of the last attempt with the error.
func (c *Client) FetchComments(ctx context.Context, videoID string) ([]Comment, error) {
	if videoID == "" {
		return nil, fmt.Errorf("tiktok comments: empty video id")
	}
	var all []Comment
	err := rapidapi.Retry(ctx, c.videoAttempts, rapidapi.Linear(c.videoRetryBackoff), rapidapi.IsRetryable,
		func(ctx context.Context) error {
			var err error
			all, err = c.fetchComments(ctx, videoID)
			return err
		})
	return all, err
}

func (c *Client) fetchComments(ctx context.Context, videoID string) ([]Comment, error) {
	var all []Comment
	cursor := 0
	for n := range MaxCommentPages {
		if n > 0 {
			if err := rapidapi.Sleep(ctx, c.commentsPause); err != nil {
				return all, err
			}
		}
		var page CommentsPage
		err := rapidapi.Retry(ctx, c.commentsAttempts, rapidapi.Exponential(c.commentsBackoff), rapidapi.IsTransient,
			func(ctx context.Context) (err error) {
				page, err = c.CommentsPage(ctx, videoID, cursor)
				return err
			})
		if err != nil {
			return all, err
		}
		all = append(all, page.Comments...)
		if !page.HasMore {
			break
		}
		cursor = page.NextCursor
	}
	return all, nil
}

// Usernames returns the commenters' raw usernames, skipping empty ones.
func Usernames(comments []Comment) []string {
	out := make([]string, 0, len(comments))
	for _, c := range comments {
		if c.Username != "" {
			out = append(out, c.Username)
		}
	}
	return out
}
