package googletest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
)

// Person is a contact as the People API stores it (the fields we use).
type Person struct {
	ResourceName string        `json:"resourceName,omitempty"`
	Etag         string        `json:"etag,omitempty"`
	Names        []Name        `json:"names,omitempty"`
	PhoneNumbers []PhoneNumber `json:"phoneNumbers,omitempty"`
}

// Name is a contact's name.
type Name struct {
	GivenName   string `json:"givenName,omitempty"`
	FamilyName  string `json:"familyName,omitempty"`
	DisplayName string `json:"displayName,omitempty"`
}

// PhoneNumber is a contact's number; CanonicalForm is Google's E.164
// reading of Value.
type PhoneNumber struct {
	Value         string `json:"value,omitempty"`
	CanonicalForm string `json:"canonicalForm,omitempty"`
	Type          string `json:"type,omitempty"`
}

// Contacts lists the address book.
func (s *Server) Contacts() []Person {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Person(nil), s.people...)
}

// AddContact puts a contact in the address book (one saved by hand or by
// an earlier run) and returns its resource name.
func (s *Server) AddContact(p Person) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addPerson(p).ResourceName
}

func (s *Server) addPerson(p Person) Person {
	p.ResourceName = "people/" + s.nextID("c")
	p.Etag = "%E" + strconv.Itoa(s.seq)
	for i, n := range p.PhoneNumbers {
		if d := digits(n.Value); d != "" {
			p.PhoneNumbers[i].CanonicalForm = "+" + d
		}
	}
	for i, n := range p.Names {
		if n.DisplayName == "" {
			p.Names[i].DisplayName = strings.TrimSpace(n.GivenName + " " + n.FamilyName)
		}
	}
	s.people = append(s.people, p)
	return p
}

// searchContacts answers GET /v1/people:searchContacts. Like the real
// method it needs readMask, caps pageSize at 30, answers {} for the empty
// warm-up query, and matches names by prefix and phone numbers by digits.
func (s *Server) searchContacts(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("readMask") == "" {
		writeError(w, http.StatusBadRequest, "badRequest", "Request must set readMask.")
		return
	}
	size := 10
	if ps := q.Get("pageSize"); ps != "" {
		n, err := strconv.Atoi(ps)
		if err != nil || n < 0 || n > 30 {
			writeError(w, http.StatusBadRequest, "badRequest", "pageSize must be between 0 and 30.")
			return
		}
		if n > 0 {
			size = n
		}
	}
	query := strings.TrimSpace(q.Get("query"))
	type result struct {
		Person Person `json:"person"`
	}
	var out []result
	s.mu.Lock()
	for _, p := range s.people {
		if query != "" && matches(p, query) && len(out) < size {
			out = append(out, result{Person: p})
		}
	}
	s.mu.Unlock()
	if len(out) == 0 {
		writeJSON(w, http.StatusOK, map[string]any{})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": out})
}

func matches(p Person, query string) bool {
	if d := digits(query); d != "" && d == strings.TrimLeft(query, "+") {
		for _, n := range p.PhoneNumbers {
			if strings.HasPrefix(digits(n.Value), d) {
				return true
			}
		}
		return false
	}
	for _, n := range p.Names {
		if strings.HasPrefix(strings.ToLower(n.DisplayName), strings.ToLower(query)) {
			return true
		}
	}
	return false
}

// createContact answers POST /v1/people:createContact with the stored
// person.
func (s *Server) createContact(w http.ResponseWriter, r *http.Request) {
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		writeError(w, http.StatusBadRequest, "badRequest", "want a JSON body, got "+ct)
		return
	}
	var p Person
	if err := json.NewDecoder(r.Body).Decode(&p); err != nil {
		writeError(w, http.StatusBadRequest, "badRequest", "Invalid JSON payload received. "+err.Error())
		return
	}
	if p.ResourceName != "" {
		writeError(w, http.StatusBadRequest, "badRequest", "Resource name must be empty on create.")
		return
	}
	s.mu.Lock()
	p = s.addPerson(p)
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, p)
}

func digits(s string) string {
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String()
}
