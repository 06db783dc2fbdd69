package instagram

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/cicero/cicero/internal/rapidapi"
)

// MaxCommentPages is how many comment pages one post's fetch reads at most.
const MaxCommentPages = 10

// Comment is one comment of v1/comments.
type Comment struct {
	ID        string    // id ?? pk
	UserID    string    // user_id ?? user.id ?? user.pk
	Username  string    // user.username ?? username, raw
	Text      string    // text
	CreatedAt time.Time // created_at (unix seconds), UTC; zero when absent
	User      json.RawMessage
}

// CommentsPage is one page of v1/comments.
type CommentsPage struct {
	Comments  []Comment
	NextToken string
	HasMore   bool
}

// CommentsPage reads one page of shortcode's comments; token "" is the
// first. The next token is the top-level pagination_token or
// data.pagination_token.
func (c *Client) CommentsPage(ctx context.Context, shortcode, token string) (CommentsPage, error) {
	q := url.Values{"code_or_id_or_url": {shortcode}}
	if token != "" {
		q.Set("pagination_token", token)
	}
	v, err := c.get(ctx, "v1/comments", q)
	if err != nil {
		return CommentsPage{}, fmt.Errorf("instagram comments of %s: %w", shortcode, err)
	}
	data := rapidapi.At(v, "data")
	var page CommentsPage
	for _, it := range rapidapi.Arr(rapidapi.At(data, "items")) {
		page.Comments = append(page.Comments, parseComment(it))
	}
	page.NextToken = rapidapi.FirstString(rapidapi.At(v, "pagination_token"), rapidapi.At(data, "pagination_token"))
	page.HasMore = rapidapi.Bool(rapidapi.At(v, "has_more")) || rapidapi.Bool(rapidapi.At(data, "has_more")) ||
		page.NextToken != ""
	return page, nil
}

func parseComment(it any) Comment {
	cm := Comment{
		ID:       rapidapi.Str(rapidapi.Coalesce(rapidapi.At(it, "id"), rapidapi.At(it, "pk"))),
		UserID:   rapidapi.Str(rapidapi.Coalesce(rapidapi.At(it, "user_id"), rapidapi.At(it, "user", "id"), rapidapi.At(it, "user", "pk"))),
		Username: rapidapi.FirstString(rapidapi.At(it, "user", "username"), rapidapi.At(it, "username")),
		Text:     rapidapi.Str(rapidapi.At(it, "text")),
		User:     rapidapi.Raw(rapidapi.At(it, "user")),
	}
	if ts, ok := rapidapi.Num(rapidapi.At(it, "created_at")); ok && ts > 0 {
		cm.CreatedAt = time.Unix(ts, 0).UTC()
	}
	return cm
}

// FetchComments reads shortcode's comments, up to MaxCommentPages pages,
// pausing between pages (default 1.5 s) to stay inside the plan's rate. A
// failed page returns the comments read so far with the error.
func (c *Client) FetchComments(ctx context.Context, shortcode string) ([]Comment, error) {
	if shortcode == "" {
		return nil, fmt.Errorf("instagram comments: empty shortcode")
	}
	var all []Comment
	token := ""
	for n := range MaxCommentPages {
		if n > 0 {
			if err := rapidapi.Sleep(ctx, c.commentsPause); err != nil {
				return all, err
			}
		}
		page, err := c.CommentsPage(ctx, shortcode, token)
		if err != nil {
			return all, err
		}
		all = append(all, page.Comments...)
		if len(page.Comments) == 0 || !page.HasMore || page.NextToken == "" || page.NextToken == token {
			break
		}
		token = page.NextToken
	}
	return all, nil
}
