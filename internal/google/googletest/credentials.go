package googletest

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"testing"
)

// ServiceAccount returns a service account key (the JSON Google issues)
// with a fresh RSA key, whose token endpoint is this server's /token: a
// client configured with it signs in here, as it would at Google.
func (s *Server) ServiceAccount(t testing.TB) string {
	t.Helper()
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(map[string]string{"type": "service_account", "project_id": "cicero-test",
		"private_key_id": "k1", "private_key": string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})),
		"client_email": "backup@cicero-test.iam.gserviceaccount.com", "client_id": "1", "token_uri": s.URL + "/token"})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
