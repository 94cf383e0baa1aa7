package exportctl

import _ "embed"

// OpenAPIYAML is the API contract, docs/api/openapi.yaml, served by the
// server as JSON at /api/openapi.json.
//
//go:embed docs/api/openapi.yaml
var OpenAPIYAML []byte
