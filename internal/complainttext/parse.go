package complainttext

import (
	"regexp"
	"strings"
	"unicode"
)

// Parsed is a complaint message read into its fields.
type Parsed struct {
	Raw       string
	NRP       string // digits only
	Name      string
	Polres    string
	Instagram string // "@handle", lower-case
	Tiktok    string // "@handle", lower-case
	Issues    []string
}

var listPrefix = regexp.MustCompile(`^(?:[•●*\-]+\s*)*(?:\d+[.)]\s*)?`)

// stripPrefix removes a list prefix: runs of •, ●, *, - and then an
// optional "1." or "1)".
func stripPrefix(line string) string {
	return strings.TrimSpace(listPrefix.ReplaceAllString(strings.TrimSpace(line), ""))
}

var (
	headerWords = regexp.MustCompile(`(?:rincian|detail|uraian|keterangan|deskripsi) kendala`)
	headerFixed = regexp.MustCompile(`kendala yang dihadapi|kendala yang dialami|kendala berikut`)
)

// isIssueHeader reports whether a line opens the issue section.
func isIssueHeader(line string) bool {
	s := strings.NewReplacer(":", " ", "：", " ").Replace(stripPrefix(line))
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	return strings.HasPrefix(s, "kendala") || headerWords.MatchString(s) || headerFixed.MatchString(s)
}

// field splits a "key: value" line (':' or full-width '：') and names the
// field it sets, or "" when the key is none of ours.
func field(line string) (name, value string) {
	s := stripPrefix(line)
	i := strings.IndexAny(s, ":：")
	if i < 0 {
		return "", ""
	}
	key := strings.ToLower(strings.Join(strings.Fields(s[:i]), " "))
	_, size := firstRuneSize(s[i:])
	value = strings.TrimSpace(s[i+size:])
	switch {
	case strings.HasPrefix(key, "nrp"), strings.HasPrefix(key, "nip"):
		return "nrp", value
	case strings.HasPrefix(key, "nama"):
		return "name", value
	case strings.HasPrefix(key, "polres"):
		return "polres", value
	case key == "username ig", key == "username instagram", key == "instagram":
		return "instagram", value
	case key == "username tiktok", key == "tiktok":
		return "tiktok", value
	}
	return "", ""
}

func firstRuneSize(s string) (rune, int) {
	for _, r := range s {
		return r, len(string(r))
	}
	return 0, 0
}

// Parse reads a complaint text. Lines starting with "pesan komplain" are
// skipped; field lines set fields wherever they appear; after an issue
// header every other line is one issue.
func Parse(raw string) Parsed {
	p := Parsed{Raw: raw}
	inIssues := false
	for _, line := range strings.Split(strings.ReplaceAll(raw, "\r\n", "\n"), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if strings.HasPrefix(strings.ToLower(stripPrefix(line)), "pesan komplain") {
			continue
		}
		if name, value := field(line); name != "" {
			p.set(name, value)
			continue
		}
		if isIssueHeader(line) {
			inIssues = true
			continue
		}
		if inIssues {
			if s := stripPrefix(line); s != "" {
				p.Issues = append(p.Issues, s)
			}
		}
	}
	return p
}

func (p *Parsed) set(name, value string) {
	switch name {
	case "nrp":
		p.NRP = Digits(value)
	case "name":
		p.Name = value
	case "polres":
		p.Polres = value
	case "instagram":
		p.Instagram = Handle(value)
	case "tiktok":
		p.Tiktok = Handle(value)
	}
}

// Digits keeps the digits of an NRP/NIP.
func Digits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// Handle is "@" + the lower-cased username without leading '@' and
// spaces, or "" when blank.
func Handle(s string) string {
	h := strings.ToLower(strings.TrimLeftFunc(strings.TrimSpace(s), func(r rune) bool { return r == '@' || unicode.IsSpace(r) }))
	if h == "" {
		return ""
	}
	return "@" + h
}

// Platform labels used in texts.
const (
	Instagram = "Instagram"
	TikTok    = "TikTok"
)

// Fallbacks fills what the text left out from the request body: the NRP,
// the handles, and, when there is no issue line, one issue (the override,
// or the "no details" sentence of the platform).
func (p *Parsed) Fallbacks(platform, nrp, instagram, tiktok, issueOverride string) {
	if p.NRP == "" {
		p.NRP = Digits(nrp)
	}
	if p.Instagram == "" {
		p.Instagram = Handle(instagram)
	}
	if p.Tiktok == "" {
		p.Tiktok = Handle(tiktok)
	}
	if len(p.Issues) == 0 {
		if s := strings.TrimSpace(issueOverride); s != "" {
			p.Issues = []string{s}
		} else {
			p.Issues = []string{"Belum ada rincian kendala untuk komplain " + platform + "."}
		}
	}
}
