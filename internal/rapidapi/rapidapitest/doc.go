// Package rapidapitest is a test peer for the RapidAPI adapters: an
// httptest server that answers on the APIs' paths with the JSON, statuses
// and broken connections a test scripts, and records every request (path,
// query, headers) so a test can assert what the adapter sent. Only tests
// import it.
package rapidapitest
