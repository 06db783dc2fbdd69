package instagram

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/cicero/cicero/internal/rapidapi"
)

// DefaultPostLimit is how many latest posts post ingestion reads per
// account (spec §2.2).
const DefaultPostLimit = 50

// maxPostPages stops a paging loop whose API keeps handing out tokens.
const maxPostPages = 50

// PostsPage is one page of v1/posts.
type PostsPage struct {
	Posts     []Post
	NextToken string
	HasMore   bool
	// Malformed counts the items that could not be read (no shortcode):
	// skipped, but a fetch reports them as failures.
	Malformed int
}

// Feed is what FetchFeed read of an account.
type Feed struct {
	Posts     []Post
	Malformed int // items skipped because they could not be read
}

// PostsPage reads one page of username's posts; token "" is the first.
// The next token is the top-level pagination_token, or (older answers)
// data.pagination_token / data.next_cursor / data.end_cursor. Items without
// a shortcode are skipped.
func (c *Client) PostsPage(ctx context.Context, username, token string) (PostsPage, error) {
	username = account(username)
	if username == "" {
		return PostsPage{}, fmt.Errorf("instagram posts: empty username")
	}
	q := url.Values{"username_or_id_or_url": {username}}
	if token != "" {
		q.Set("pagination_token", token)
	}
	v, err := c.get(ctx, "v1/posts", q)
	if err != nil {
		return PostsPage{}, fmt.Errorf("instagram posts of %s: %w", username, err)
	}
	data := rapidapi.At(v, "data")
	var page PostsPage
	for _, it := range rapidapi.Arr(rapidapi.At(data, "items")) {
		if p, ok := parsePost(it); ok {
			page.Posts = append(page.Posts, p)
		} else {
			page.Malformed++
		}
	}
	page.NextToken = rapidapi.FirstString(rapidapi.At(v, "pagination_token"),
		rapidapi.At(data, "pagination_token"), rapidapi.At(data, "next_cursor"), rapidapi.At(data, "end_cursor"))
	page.HasMore = rapidapi.Bool(rapidapi.At(v, "has_more")) || rapidapi.Bool(rapidapi.At(data, "has_more")) ||
		page.NextToken != ""
	return page, nil
}

// FetchPosts reads username's latest posts, page after page, until limit
// posts (≤ 0 means DefaultPostLimit), an empty page, no more pages or no
// next token; it returns at most limit posts, newest first as the API
// lists them. A failed page fails the whole fetch: a partial list must not
// look like a complete one to the stale-post rule.
func (c *Client) FetchPosts(ctx context.Context, username string, limit int) ([]Post, error) {
	f, err := c.FetchFeed(ctx, username, limit)
	return f.Posts, err
}

// FetchFeed is FetchPosts that also counts the items it had to skip.
func (c *Client) FetchFeed(ctx context.Context, username string, limit int) (Feed, error) {
	if limit <= 0 {
		limit = DefaultPostLimit
	}
	var all []Post
	malformed := 0
	token := ""
	for range maxPostPages {
		page, err := c.PostsPage(ctx, username, token)
		if err != nil {
			return Feed{}, err
		}
		all = append(all, page.Posts...)
		malformed += page.Malformed
		if len(page.Posts) == 0 || !page.HasMore || page.NextToken == "" ||
			page.NextToken == token || len(all) >= limit {
			break
		}
		token = page.NextToken
	}
	if len(all) > limit {
		all = all[:limit]
	}
	return Feed{Posts: all, Malformed: malformed}, nil
}

// account is the username as the API takes it: trimmed, without a leading
// '@' (which an account field typed by an operator may carry).
func account(s string) string {
	return strings.TrimLeft(strings.TrimSpace(s), "@")
}
