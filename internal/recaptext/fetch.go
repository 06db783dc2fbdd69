package recaptext

import (
	"fmt"
	"strings"
)

// Progress pings sent every few seconds while a fetch runs (§5.6).
const (
	ProgressInstagram = "⏳ Processing fetch data..."
	ProgressTiktok    = "⏳ Processing fetch TikTok data..."
)

// linkChunk is how many links one follow-up message carries.
const linkChunk = 30

// FetchDoneInstagram is the Instagram post-fetch summary followed by the
// link messages, 30 links each. clientID may be blank (a fetch of all
// clients), which leaves out the Client line.
func FetchDoneInstagram(clientID string, shortcodes []string) []string {
	links := make([]string, len(shortcodes))
	for i, sc := range shortcodes {
		links[i] = igLink(sc)
	}
	return fetchDone("✅ Fetch selesai!", "Link konten Instagram:\n", clientID, links)
}

// FetchDoneTiktok is FetchDoneInstagram for TikTok; the links name the
// client's username, or "_" when it has none.
func FetchDoneTiktok(clientID, tiktokUser string, videoIDs []string) []string {
	user := strings.TrimLeft(strings.TrimSpace(tiktokUser), "@")
	if user == "" {
		user = "_"
	}
	links := make([]string, len(videoIDs))
	for i, id := range videoIDs {
		links[i] = "https://www.tiktok.com/@" + user + "/video/" + id
	}
	return fetchDone("✅ Fetch TikTok selesai!", "Link konten TikTok:\n", clientID, links)
}

func fetchDone(title, linkHead, clientID string, links []string) []string {
	s := title
	if clientID != "" {
		s += "\nClient: *" + clientID + "*"
	}
	s += fmt.Sprintf("\nJumlah konten hari ini: *%d*", len(links))
	out := []string{s}
	for i := 0; i < len(links); i += linkChunk {
		out = append(out, linkHead+strings.Join(links[i:min(i+linkChunk, len(links))], "\n"))
	}
	return out
}

// LikesFetched is the end of an Instagram likes refresh.
func LikesFetched(clientID string, ok, failed int) string {
	return fmt.Sprintf("✅ Selesai fetch likes IG client %s. Berhasil: %d, Gagal: %d", clientID, ok, failed)
}

// CommentsFetching announces a TikTok comments refresh of n videos.
func CommentsFetching(n int) string { return fmt.Sprintf("⏳ Fetch komentar %d video TikTok...", n) }

// CommentsFetched is the end of a TikTok comments refresh.
func CommentsFetched(clientID string, ok, failed int) string {
	return fmt.Sprintf("✅ Selesai fetch komentar TikTok client %s. Berhasil: %d, Gagal: %d", clientID, ok, failed)
}

// NoPostsInstagram / NoPostsTiktok say there is nothing to refresh today.
func NoPostsInstagram(clientID string) string {
	return fmt.Sprintf("Tidak ada konten IG hari ini untuk client %s.", clientID)
}

// NoPostsTiktok is NoPostsInstagram for TikTok.
func NoPostsTiktok(clientID string) string {
	return fmt.Sprintf("Tidak ada konten TikTok hari ini untuk client %s.", clientID)
}
