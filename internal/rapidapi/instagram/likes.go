package instagram

import (
	"context"
	"fmt"
	"net/url"

	"github.com/cicero/cicero/internal/rapidapi"
)

// MaxLikePages is how many likes pages one post's fetch reads at most.
const MaxLikePages = 20

// LikesPage is one page of v1/likes.
type LikesPage struct {
	Usernames  []string // raw, as sent
	NextCursor string
	HasMore    bool
}

// LikesPage reads one page of shortcode's likers; cursor "" is the first.
// An item is an object with username, or the username itself as a string.
func (c *Client) LikesPage(ctx context.Context, shortcode, cursor string) (LikesPage, error) {
	q := url.Values{"code_or_id_or_url": {shortcode}}
	if cursor != "" {
		q.Set("cursor", cursor)
	}
	v, err := c.get(ctx, "v1/likes", q)
	if err != nil {
		return LikesPage{}, fmt.Errorf("instagram likes of %s: %w", shortcode, err)
	}
	data := rapidapi.At(v, "data")
	var page LikesPage
	for _, it := range rapidapi.Arr(rapidapi.At(data, "items")) {
		name, _ := it.(string)
		if name == "" {
			name = rapidapi.Str(rapidapi.At(it, "username"))
		}
		if name != "" {
			page.Usernames = append(page.Usernames, name)
		}
	}
	page.NextCursor = rapidapi.FirstString(rapidapi.At(data, "next_cursor"), rapidapi.At(data, "end_cursor"))
	page.HasMore = rapidapi.Bool(rapidapi.At(data, "has_more")) || page.NextCursor != ""
	return page, nil
}

// FetchLikes reads the likers of shortcode, up to MaxLikePages pages. Each
// page gets 3 attempts, waiting backoff × attempt between them, when the
// failure is retryable (429, 5xx, timeout, network, truncated body); a
// permanent failure (e.g. 404) is not retried. When a page still fails,
// FetchLikes returns the usernames read so far together with the error:
// likes only accumulate, so the caller may keep them.
func (c *Client) FetchLikes(ctx context.Context, shortcode string) ([]string, error) {
	if shortcode == "" {
		return nil, fmt.Errorf("instagram likes: empty shortcode")
	}
	var all []string
	cursor := ""
	for range MaxLikePages {
		var page LikesPage
		err := rapidapi.Retry(ctx, c.likesAttempts, rapidapi.Linear(c.likesBackoff), rapidapi.IsRetryable,
			func(ctx context.Context) (err error) {
				page, err = c.LikesPage(ctx, shortcode, cursor)
				return err
			})
		if err != nil {
			return all, err
		}
		all = append(all, page.Usernames...)
		if len(page.Usernames) == 0 || !page.HasMore || page.NextCursor == "" || page.NextCursor == cursor {
			break
		}
		cursor = page.NextCursor
	}
	return all, nil
}
