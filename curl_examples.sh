#!/usr/bin/env bash
# The API with plain curl: the product and order flows, the error checks and the signed payment
# webhook. Every call's status code is checked; the first mismatch stops the script (exit 1).
#
#   ./curl_examples.sh                                        # http://localhost:8000
#   BASE_URL=https://shop.onrender.com WEBHOOK_SECRET=... ./curl_examples.sh
#
# WEBHOOK_SECRET defaults to the `make run` development secret; API_KEY, when set, is sent as
# "Authorization: Bearer <key>". Needs curl, openssl (signing) and python3 (reading ids from JSON).
set -euo pipefail

BASE_URL="${BASE_URL:-http://localhost:8000}"
BASE_URL="${BASE_URL%/}"
WEBHOOK_SECRET="${WEBHOOK_SECRET:-default-secret-change-in-production}"
WEBHOOK_SECRET="${WEBHOOK_SECRET%%,*}"   # a rotation list signs with its first secret
API_KEY="${API_KEY:-}"
RUN_ID="$(date +%Y%m%d%H%M%S)-$$-${RANDOM}"
BODY_FILE="$(mktemp)"
trap 'rm -f "$BODY_FILE"' EXIT

auth=()
if [[ -n "$API_KEY" ]]; then auth=(-H "Authorization: Bearer ${API_KEY}"); fi

# call EXPECTED METHOD PATH [JSON_BODY] [extra curl args...]: prints the call, checks the status;
# the response body is left in $BODY_FILE.
call() {
  local expected="$1" method="$2" path="$3" data="${4:-}"
  shift 4 2>/dev/null || shift $#
  local args=(-sS -o "$BODY_FILE" -w '%{http_code}' -X "$method" "${auth[@]}" "$@")
  if [[ -n "$data" ]]; then args+=(-H 'Content-Type: application/json' --data-binary "$data"); fi
  local status
  status="$(curl "${args[@]}" "${BASE_URL}${path}")" || {
    echo "FAIL  $method $path: cannot reach ${BASE_URL}" >&2
    exit 1
  }
  if [[ "$status" != "$expected" ]]; then
    echo "FAIL  $method $path: expected HTTP $expected, got $status: $(head -c 500 "$BODY_FILE")" >&2
    exit 1
  fi
  echo "ok    $method $path -> $status $(head -c 160 "$BODY_FILE")"
}

# field NAME: one top-level field of the last response body.
field() {
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$BODY_FILE" "$1"
}

# expect_field NAME VALUE: fails unless the last body's field equals VALUE.
expect_field() {
  local actual
  actual="$(field "$1")"
  if [[ "$actual" != "$2" ]]; then
    echo "FAIL  field $1: expected $2, got $actual" >&2
    exit 1
  fi
}

# expect_body JSON: fails unless the last body equals JSON (compared as data, not text).
expect_body() {
  if ! python3 -c 'import json, sys; sys.exit(json.load(open(sys.argv[1])) != json.loads(sys.argv[2]))' \
      "$BODY_FILE" "$1"; then
    echo "FAIL  body: expected $1, got $(head -c 500 "$BODY_FILE")" >&2
    exit 1
  fi
}

# webhook EXPECTED EVENT_ID BODY [SECRET]: posts BODY signed with HMAC-SHA256 of its exact bytes.
webhook() {
  local expected="$1" event_id="$2" body="$3" secret="${4:-$WEBHOOK_SECRET}"
  local signature
  signature="$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$secret" | sed 's/^.* //')"
  call "$expected" POST /webhooks/payment "$body" \
    -H "X-Webhook-Signature: ${signature}" -H "X-Event-Id: ${event_id}"
}

echo "Target: $BASE_URL"

echo "== Health"
call 200 GET /health
expect_body '{"status": "healthy"}'

echo "== Products: create, list, get, update, delete"
call 201 POST /products/ "{\"sku\": \"CURL-${RUN_ID}\", \"name\": \"Curl widget\", \"price\": 19.99, \"stock\": 10}"
PRODUCT_ID="$(field id)"
expect_field price 19.99
call 200 GET "/products/?skip=0&limit=10"
call 200 GET "/products/?sku=CURL-${RUN_ID}"
call 200 GET "/products/${PRODUCT_ID}"
expect_field sku "CURL-${RUN_ID}"
call 200 PUT "/products/${PRODUCT_ID}" '{"name": "Curl widget v2", "price": 24.50}'
expect_field name "Curl widget v2"
call 200 PATCH "/products/${PRODUCT_ID}" '{"stock": 8}'
expect_field stock 8
call 409 POST /products/ "{\"sku\": \"CURL-${RUN_ID}\", \"name\": \"Duplicate\", \"price\": 1, \"stock\": 1}"
expect_body "{\"detail\": \"Product with SKU 'CURL-${RUN_ID}' already exists\"}"
call 204 DELETE "/products/${PRODUCT_ID}"
call 404 GET "/products/${PRODUCT_ID}"
expect_body "{\"detail\": \"Product with ID ${PRODUCT_ID} not found\"}"

echo "== Orders: create, get, pay, ship; a second one canceled with its stock restored"
call 201 POST /products/ "{\"sku\": \"CURL-ORD-${RUN_ID}\", \"name\": \"Curl gadget\", \"price\": 12.50, \"stock\": 10}"
PRODUCT_ID="$(field id)"
call 201 POST /orders/ "{\"product_id\": ${PRODUCT_ID}, \"quantity\": 3}"
ORDER_ID="$(field id)"
expect_field status PENDING
call 200 GET "/orders/${ORDER_ID}"
call 200 GET "/orders/?product_id=${PRODUCT_ID}&status=PENDING"
call 200 PUT "/orders/${ORDER_ID}" '{"status": "PAID"}'
expect_field status PAID
call 200 PATCH "/orders/${ORDER_ID}" '{"status": "SHIPPED"}'
expect_field status SHIPPED
call 400 PUT "/orders/${ORDER_ID}" '{"status": "PAID"}'
call 400 DELETE "/orders/${ORDER_ID}"
call 201 POST /orders/ "{\"product_id\": ${PRODUCT_ID}, \"quantity\": 2}"
SECOND_ID="$(field id)"
call 200 GET "/products/${PRODUCT_ID}"
expect_field stock 5
call 204 DELETE "/orders/${SECOND_ID}"
call 200 GET "/orders/${SECOND_ID}"
expect_field status CANCELED
call 200 GET "/products/${PRODUCT_ID}"
expect_field stock 7

echo "== Errors: unknown product 404, insufficient stock 409"
call 404 GET /products/999999999
expect_body '{"detail": "Product with ID 999999999 not found"}'
call 409 POST /orders/ "{\"product_id\": ${PRODUCT_ID}, \"quantity\": 100}"
expect_body "{\"detail\": {\"error\": \"Insufficient stock\", \"requested\": 100, \"available\": 7, \"product_id\": ${PRODUCT_ID}}}"

echo "== Payment webhook: valid signature pays, wrong signature 401, replay 400"
call 201 POST /orders/ "{\"product_id\": ${PRODUCT_ID}, \"quantity\": 2}"
ORDER_ID="$(field id)"
TOTAL="$(field total_price)"
EVENT_ID="$(python3 -c "import uuid; print(uuid.uuid4())")"
PAYMENT="{\"event\": \"payment.succeeded\", \"order_id\": ${ORDER_ID}, \"amount\": ${TOTAL}, \"currency\": \"USD\"}"
webhook 401 "${EVENT_ID}" "$PAYMENT" not-the-webhook-secret
expect_body '{"detail": "Invalid webhook signature"}'
webhook 200 "${EVENT_ID}" "$PAYMENT"
expect_field order_status PAID
webhook 400 "${EVENT_ID}" "$PAYMENT"
call 200 GET "/orders/${ORDER_ID}"
expect_field status PAID

echo "All curl examples passed."
