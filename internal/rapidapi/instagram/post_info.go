package instagram

import (
	"context"
	"fmt"
	"net/url"

	"github.com/cicero/cicero/internal/rapidapi"
)

// PostInfo reads one post by shortcode (v1/post_info); its data object has
// the posts item shape. An answer whose data has no code is a bad response.
func (c *Client) PostInfo(ctx context.Context, shortcode string) (Post, error) {
	if shortcode == "" {
		return Post{}, fmt.Errorf("instagram post info: empty shortcode")
	}
	v, err := c.get(ctx, "v1/post_info", url.Values{"code_or_id_or_url": {shortcode}})
	if err != nil {
		return Post{}, fmt.Errorf("instagram post info of %s: %w", shortcode, err)
	}
	p, ok := parsePost(rapidapi.At(v, "data"))
	if !ok {
		return Post{}, rapidapi.Malformed("instagram post info of "+shortcode, "data has no code")
	}
	return p, nil
}
