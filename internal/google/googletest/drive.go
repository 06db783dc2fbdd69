package googletest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// File is a Drive file as the fake stores it.
type File struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	MimeType    string    `json:"mimeType,omitempty"`
	Parents     []string  `json:"parents,omitempty"`
	CreatedTime time.Time `json:"createdTime"`
	Size        int64     `json:"size,string"`
	Trashed     bool      `json:"trashed"`
	// Content is the uploaded bytes; UploadType how they came
	// ("multipart" or "resumable").
	Content    []byte `json:"-"`
	UploadType string `json:"-"`
}

func (f *File) json() map[string]any {
	return map[string]any{"kind": "drive#file", "id": f.ID, "name": f.Name, "mimeType": f.MimeType,
		"parents": f.Parents, "createdTime": f.CreatedTime.UTC().Format(time.RFC3339Nano),
		"size": strconv.FormatInt(f.Size, 10)}
}

// Files lists the stored files, oldest first.
func (s *Server) Files() []File {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]File, len(s.files))
	for i, f := range s.files {
		out[i] = *f
	}
	return out
}

// AddFile stores a file as if uploaded earlier (CreatedTime as given) and
// returns its id.
func (s *Server) AddFile(f File) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.ID = s.nextID("file")
	f.Size = int64(len(f.Content))
	s.files = append(s.files, &f)
	return f.ID
}

// upload is an open resumable upload session.
type upload struct {
	meta     File
	mimeType string
	data     []byte
}

// upload answers POST /upload/drive/v3/files: a multipart upload in one
// request, or the start of a resumable session and then its chunks.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	switch {
	case q.Get("upload_id") != "":
		s.uploadChunk(w, r, q.Get("upload_id"))
	case r.Method != http.MethodPost:
		writeError(w, http.StatusMethodNotAllowed, "badRequest", "start an upload with POST")
	case q.Get("uploadType") == "multipart":
		s.uploadMultipart(w, r)
	case q.Get("uploadType") == "resumable":
		s.startResumable(w, r)
	default:
		writeError(w, http.StatusBadRequest, "badRequest", "Invalid uploadType "+q.Get("uploadType"))
	}
}

// uploadMultipart reads a multipart/related body: the file's JSON metadata,
// then its media with its own Content-Type.
func (s *Server) uploadMultipart(w http.ResponseWriter, r *http.Request) {
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/related" || params["boundary"] == "" {
		writeError(w, http.StatusBadRequest, "badContent", "multipart upload needs a multipart/related body")
		return
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	meta, err := mr.NextPart()
	if err != nil || !strings.HasPrefix(meta.Header.Get("Content-Type"), "application/json") {
		writeError(w, http.StatusBadRequest, "badContent", "first part must be the JSON metadata")
		return
	}
	var f File
	if err := json.NewDecoder(meta).Decode(&f); err != nil {
		writeError(w, http.StatusBadRequest, "badContent", "metadata: "+err.Error())
		return
	}
	media, err := mr.NextPart()
	if err != nil {
		writeError(w, http.StatusBadRequest, "badContent", "second part must be the media")
		return
	}
	data, err := io.ReadAll(media)
	if err != nil {
		writeError(w, http.StatusBadRequest, "badContent", "media: "+err.Error())
		return
	}
	if _, err := mr.NextPart(); err != io.EOF {
		writeError(w, http.StatusBadRequest, "badContent", "a multipart upload has exactly two parts")
		return
	}
	if f.MimeType == "" {
		f.MimeType = media.Header.Get("Content-Type")
	}
	writeJSON(w, http.StatusOK, s.store(f, data, "multipart").json())
}

// startResumable opens a session for the JSON metadata in the body and
// answers its URI in Location.
func (s *Server) startResumable(w http.ResponseWriter, r *http.Request) {
	var f File
	if err := json.NewDecoder(r.Body).Decode(&f); err != nil {
		writeError(w, http.StatusBadRequest, "badContent", "metadata: "+err.Error())
		return
	}
	s.mu.Lock()
	id := s.nextID("upload")
	s.uploads[id] = &upload{meta: f, mimeType: r.Header.Get("X-Upload-Content-Type")}
	s.mu.Unlock()
	w.Header().Set("Location", s.URL+"/upload/drive/v3/files?uploadType=resumable&upload_id="+id)
	w.WriteHeader(http.StatusOK)
}

var contentRangeRE = regexp.MustCompile(`^bytes (?:(\d+)-(\d+)|\*)/(\d+|\*)$`)

// uploadChunk takes one chunk of a resumable upload. Chunks must come in
// order; the last one names the total size. Until then the answer is
// "resume incomplete" (308, or 200 with X-HTTP-Status-Code-Override when
// the client asked with X-GUploader-No-308, as Google does).
func (s *Server) uploadChunk(w http.ResponseWriter, r *http.Request, id string) {
	m := contentRangeRE.FindStringSubmatch(r.Header.Get("Content-Range"))
	if m == nil {
		writeError(w, http.StatusBadRequest, "badContent", "bad Content-Range "+r.Header.Get("Content-Range"))
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, http.StatusBadRequest, "badContent", err.Error())
		return
	}
	s.mu.Lock()
	u, ok := s.uploads[id]
	if !ok {
		s.mu.Unlock()
		writeError(w, http.StatusNotFound, "notFound", "no upload session "+id)
		return
	}
	if m[1] != "" {
		from, _ := strconv.Atoi(m[1])
		to, _ := strconv.Atoi(m[2])
		if from != len(u.data) || to-from+1 != len(body) {
			s.mu.Unlock()
			writeError(w, http.StatusBadRequest, "badContent",
				fmt.Sprintf("chunk %d-%d does not follow the %d bytes received", from, to, len(u.data)))
			return
		}
		u.data = append(u.data, body...)
	}
	done := m[3] != "*"
	if done {
		if total, _ := strconv.Atoi(m[3]); total != len(u.data) {
			s.mu.Unlock()
			writeError(w, http.StatusBadRequest, "badContent", fmt.Sprintf("total %d but %d bytes received", total, len(u.data)))
			return
		}
		delete(s.uploads, id)
	}
	received := len(u.data)
	s.mu.Unlock()
	if !done {
		w.Header().Set("Range", fmt.Sprintf("bytes=0-%d", received-1))
		if r.Header.Get("X-GUploader-No-308") == "yes" {
			w.Header().Set("X-HTTP-Status-Code-Override", "308")
			w.WriteHeader(http.StatusOK)
		} else {
			w.WriteHeader(http.StatusPermanentRedirect)
		}
		return
	}
	f := u.meta
	if f.MimeType == "" {
		f.MimeType = u.mimeType
	}
	writeJSON(w, http.StatusOK, s.store(f, u.data, "resumable").json())
}

func (s *Server) store(f File, data []byte, how string) *File {
	s.mu.Lock()
	defer s.mu.Unlock()
	f.ID = s.nextID("file")
	f.CreatedTime = s.now().UTC()
	f.Content, f.Size, f.UploadType = data, int64(len(data)), how
	if len(f.Parents) == 0 {
		f.Parents = []string{"root"}
	}
	s.files = append(s.files, &f)
	return &f
}

// clause is one condition of a files.list query.
type clause func(*File) bool

var (
	inParentsRE = regexp.MustCompile(`^'((?:[^'\\]|\\.)*)' in parents$`)
	nameRE      = regexp.MustCompile(`^name (contains|=) '((?:[^'\\]|\\.)*)'$`)
	trashedRE   = regexp.MustCompile(`^trashed = (true|false)$`)
)

// parseQuery reads the clauses of Drive's query language that we use,
// joined by "and"; anything else is the API's 400 "Invalid Value".
func parseQuery(q string) ([]clause, error) {
	var out []clause
	if strings.TrimSpace(q) == "" {
		return nil, nil
	}
	for _, part := range strings.Split(q, " and ") {
		part = strings.TrimSpace(part)
		unq := func(s string) string { return strings.NewReplacer(`\'`, `'`, `\\`, `\`).Replace(s) }
		switch {
		case inParentsRE.MatchString(part):
			id := unq(inParentsRE.FindStringSubmatch(part)[1])
			out = append(out, func(f *File) bool { return slices.Contains(f.Parents, id) })
		case nameRE.MatchString(part):
			m := nameRE.FindStringSubmatch(part)
			op, v := m[1], unq(m[2])
			if op == "=" {
				out = append(out, func(f *File) bool { return f.Name == v })
			} else {
				// Drive matches "name contains" on prefixes of the name's
				// words, the first word being the name's start.
				out = append(out, func(f *File) bool { return strings.HasPrefix(f.Name, v) })
			}
		case trashedRE.MatchString(part):
			want := trashedRE.FindStringSubmatch(part)[1] == "true"
			out = append(out, func(f *File) bool { return f.Trashed == want })
		default:
			return nil, fmt.Errorf("Invalid Value: %q", part)
		}
	}
	return out, nil
}

// listFiles answers GET /drive/v3/files (q, orderBy createdTime [desc] or
// name, pageSize, pageToken).
func (s *Server) listFiles(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	clauses, err := parseQuery(q.Get("q"))
	if err != nil {
		writeError(w, http.StatusBadRequest, "invalid", err.Error())
		return
	}
	size := 100
	if ps := q.Get("pageSize"); ps != "" {
		if size, err = strconv.Atoi(ps); err != nil || size < 1 || size > 1000 {
			writeError(w, http.StatusBadRequest, "invalid", "Invalid pageSize")
			return
		}
	}
	var list []*File
	s.mu.Lock()
	for _, f := range s.files {
		if all(clauses, f) {
			list = append(list, f)
		}
	}
	s.mu.Unlock()
	switch q.Get("orderBy") {
	case "", "name":
		slices.SortStableFunc(list, func(a, b *File) int { return strings.Compare(a.Name, b.Name) })
	case "createdTime":
		slices.SortStableFunc(list, func(a, b *File) int { return a.CreatedTime.Compare(b.CreatedTime) })
	case "createdTime desc":
		slices.SortStableFunc(list, func(a, b *File) int { return b.CreatedTime.Compare(a.CreatedTime) })
	default:
		writeError(w, http.StatusBadRequest, "invalid", "Invalid orderBy "+q.Get("orderBy"))
		return
	}
	start, _ := strconv.Atoi(q.Get("pageToken"))
	end := min(start+size, len(list))
	if start > len(list) {
		start = len(list)
	}
	files := []map[string]any{}
	for _, f := range list[start:end] {
		files = append(files, f.json())
	}
	out := map[string]any{"kind": "drive#fileList", "incompleteSearch": false, "files": files}
	if end < len(list) {
		out["nextPageToken"] = strconv.Itoa(end)
	}
	writeJSON(w, http.StatusOK, out)
}

func all(cs []clause, f *File) bool {
	for _, c := range cs {
		if !c(f) {
			return false
		}
	}
	return true
}

// deleteFile answers DELETE /drive/v3/files/{id}: 204 and no body.
func (s *Server) deleteFile(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.files {
		if f.ID == id {
			s.files = append(s.files[:i], s.files[i+1:]...)
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	writeError(w, http.StatusNotFound, "notFound", "File not found: "+id+".")
}
