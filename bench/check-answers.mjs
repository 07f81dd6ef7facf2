// Checks one server of bench/http.sh before it is timed: sends each measured request (and
// a few wrong ones) to BASE_URL on freshly seeded data, and prints a fingerprint of the
// answers: status, content type, JSON shape and values, with instants as epoch
// milliseconds (servers print them with different precision) and the values that depend
// on the clock left out. bench/http.sh requires the three servers' fingerprints to be equal.
// Usage: node bench/check-answers.mjs BASE_URL LIST_PATH
const [base, listPath] = process.argv.slice(2)
if (!base || !listPath) {
  console.error('usage: node bench/check-answers.mjs BASE_URL LIST_PATH')
  process.exit(2)
}

const instant = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/

/** `value` with instants as epoch ms and the keys in `drop` replaced by their type. */
function normal(value, drop = []) {
  if (Array.isArray(value)) return value.map((item) => normal(item, drop))
  if (value !== null && typeof value === 'object') {
    const out = {}
    for (const [key, item] of Object.entries(value)) {
      out[key] = drop.includes(key) ? `<${typeof item}>` : normal(item, drop)
    }
    return out
  }
  if (typeof value === 'string' && instant.test(value)) return `<instant ${Date.parse(value)}>`
  return value
}

/** A problem answer, less its `detail` text (worded differently by each server). */
function problem(body) {
  const errors = (body.errors ?? []).map(({ field, code }) => ({ field, code }))
  return { type: body.type, title: body.title, status: body.status, errors }
}

async function call(method, path, body) {
  const init = { method, headers: {} }
  if (body !== undefined) {
    init.headers['content-type'] = 'application/json'
    init.body = JSON.stringify(body)
  }
  const response = await fetch(base + path, init)
  const type = (response.headers.get('content-type') ?? '').split(';')[0].trim()
  const text = await response.text()
  let json
  try {
    json = JSON.parse(text)
  } catch {
    json = `<not JSON: ${text.slice(0, 80)}>`
  }
  return { status: response.status, type, location: response.headers.get('location'), json }
}

const out = {}
const get = await call('GET', '/api/items/1')
out.get = { status: get.status, type: get.type, body: normal(get.json) }

const list = await call('GET', listPath)
out.list = { status: list.status, type: list.type, body: normal(list.json) }

const post = await call('POST', '/api/items', { name: 'bench item', category: 'tools', price: 1999, stock: 5 })
out.post = {
  status: post.status,
  type: post.type,
  location_matches_id: post.location === `/api/items/${post.json.id}`,
  body: normal(post.json, ['created_at', 'updated_at']),
}

const patch = await call('PATCH', '/api/items/2', { price: 123, stock: 7 })
out.patch = { status: patch.status, type: patch.type, body: normal(patch.json, ['updated_at']) }
const again = await call('GET', '/api/items/2')
out.patch_persisted = again.json.price === 123 && again.json.stock === 7

const missing = await call('GET', '/api/items/999999')
out.missing = { status: missing.status, type: missing.type, body: problem(missing.json) }
const badId = await call('GET', '/api/items/abc')
out.bad_id = { status: badId.status, type: badId.type }
const invalid = await call('PATCH', '/api/items/3', { price: -1 })
out.invalid = { status: invalid.status, type: invalid.type, body: problem(invalid.json) }
const unknown = await call('GET', '/api/items?colour=red')
out.unknown_filter = { status: unknown.status, type: unknown.type, body: problem(unknown.json) }
const notJson = await fetch(`${base}/api/items`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/plain' } })
out.not_json = { status: notJson.status }

console.log(JSON.stringify(out, null, 1))
