#!/usr/bin/env bash
# Sends one request to a SageMaker endpoint and fails when the call fails or, when a pattern is
# given, when the response body does not match it.
#
# Environment:
#   ENDPOINT_NAME              the endpoint to invoke (required)
#   SMOKE_TEST_BODY            the request body, sent as is (required)
#   SMOKE_TEST_CONTENT_TYPE    the request's Content-Type (required)
#   SMOKE_TEST_ACCEPT          the Accept header (optional)
#   SMOKE_TEST_PATTERN         a Perl-compatible regular expression the whole response body
#                              must match somewhere (grep -P over the body as one record, so
#                              ^ and $ are the start and end of the body); empty: any response
#                              of a successful call passes
#
# https://docs.aws.amazon.com/sagemaker/latest/APIReference/API_runtime_InvokeEndpoint.html
set -euo pipefail

log() { printf '%s\n' "$*" >&2; }
fail() {
  log "ERROR: $*"
  exit 1
}

endpoint="${ENDPOINT_NAME:-}"
content_type="${SMOKE_TEST_CONTENT_TYPE:-}"
accept="${SMOKE_TEST_ACCEPT:-}"
pattern="${SMOKE_TEST_PATTERN:-}"
[ -n "$endpoint" ] || fail "ENDPOINT_NAME is not set."
[ -n "$content_type" ] || fail "SMOKE_TEST_CONTENT_TYPE is not set."
[ -n "${SMOKE_TEST_BODY+set}" ] || fail "SMOKE_TEST_BODY is not set."

workdir="$(mktemp -d)"
trap 'rm -rf "$workdir"' EXIT

# The body goes through a file (fileb://) so the CLI sends its bytes unchanged, whatever the
# CLI's binary format setting.
printf '%s' "$SMOKE_TEST_BODY" >"$workdir/body"

args=(sagemaker-runtime invoke-endpoint
  --endpoint-name "$endpoint"
  --content-type "$content_type"
  --body "fileb://$workdir/body")
[ -n "$accept" ] && args+=(--accept "$accept")

log "Invoking endpoint \"$endpoint\" ($content_type)."
if ! aws "${args[@]}" "$workdir/response" >"$workdir/metadata" 2>"$workdir/err"; then
  fail "InvokeEndpoint on \"$endpoint\" failed: $(cat "$workdir/err")"
fi
log "Response metadata: $(tr -d '\n' <"$workdir/metadata")"
response_preview="$(head -c 1000 "$workdir/response" || true)"
log "Response body (first 1000 bytes): $response_preview"

if [ -n "$pattern" ]; then
  # -z reads the body as one NUL-terminated record: the pattern sees the whole body.
  if grep -Pzq -- "$pattern" "$workdir/response"; then
    log "The response matches $pattern."
  else
    status=$?
    if [ "$status" -gt 1 ]; then
      fail "The pattern $pattern could not be evaluated by grep -P (exit status $status)."
    fi
    fail "The response of \"$endpoint\" does not match $pattern."
  fi
fi
log "Smoke test of \"$endpoint\" passed."
