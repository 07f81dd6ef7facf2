// The items resource: the SQL, rules and JSON of the generated bench API (bench/schema.toml),
// written by hand for pg. The statements are those the generated handlers run.
import { pool } from './db.js'

export const COLUMNS =
  '"items"."id", "items"."name", "items"."category", "items"."price", "items"."stock", "items"."active", "items"."created_at", "items"."updated_at"'
const RETURNING = 'RETURNING "id", "name", "category", "price", "stock", "active", "created_at", "updated_at"'
const CATEGORIES = ['books', 'games', 'tools', 'music']
const DEFAULT_PER_PAGE = 20
const MAX_PER_PAGE = 100
const MAX_PAGE = 1_000_000_000
const INT32_MAX = 2 ** 31 - 1

/** An application/problem+json answer. */
export function problem(status, title, detail, errors) {
  const body = { type: 'about:blank', title, status, detail }
  if (errors && errors.length > 0) body.errors = errors
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/problem+json' },
  })
}

const notFound = () => problem(404, 'Not Found', 'no such resource')
const invalid = (errors) => problem(422, 'Unprocessable Entity', 'the request has invalid fields', errors)
const badParameter = (param, message) =>
  problem(400, 'Bad Request', `query parameter ${param}: ${message}`, [
    { field: param, code: 'invalid_parameter', message },
  ])

/** Runs `handler`, answering 500 (or 503 when the pool has no connection) on a database error. */
export async function guarded(handler) {
  try {
    return await handler()
  } catch (err) {
    console.error('request failed:', err)
    if (String(err?.message).includes('timeout')) {
      return problem(503, 'Service Unavailable', 'the database is unavailable: try again shortly')
    }
    return problem(500, 'Internal Server Error', 'internal error')
  }
}

function positiveId(raw) {
  return /^[0-9]+$/.test(raw) && Number(raw) > 0 && Number.isSafeInteger(Number(raw)) ? Number(raw) : null
}

export function badId(raw) {
  return problem(400, 'Bad Request', `id must be a positive integer, not ${JSON.stringify(raw)}`)
}

/** The JSON body of `request`: 415 without a JSON content type, 400 unless it is an object. */
async function body(request) {
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
  if (!(type === 'application/json' || (type.startsWith('application/') && type.endsWith('+json')))) {
    return { error: problem(415, 'Unsupported Media Type', 'the body must be JSON, sent with Content-Type: application/json') }
  }
  let value
  try {
    value = JSON.parse(await request.text())
  } catch (err) {
    return { error: problem(400, 'Bad Request', `malformed JSON: ${err.message}`) }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: problem(400, 'Bad Request', 'the body must be a JSON object') }
  }
  return { value }
}

const FIELDS = ['name', 'category', 'price', 'stock', 'active']

/** Checks each field sent; `partial` for PATCH (absent fields are fine, null is not). */
function check(input, partial) {
  const errors = []
  for (const key of Object.keys(input)) {
    if (!FIELDS.includes(key)) errors.push({ field: key, code: 'unknown', message: 'is not a field of this resource' })
  }
  const rule = (field, ok, code, message) => {
    if (!ok) errors.push({ field, code, message })
  }
  const required = { name: true, category: true, price: true, stock: false, active: false }
  for (const field of FIELDS) {
    const value = input[field]
    if (value === undefined) {
      if (!partial && required[field]) errors.push({ field, code: 'required', message: 'is required' })
      continue
    }
    if (value === null) {
      errors.push({ field, code: 'required', message: partial ? 'must not be null' : 'is required and may not be null' })
      continue
    }
    switch (field) {
      case 'name':
        rule(field, typeof value === 'string', 'invalid', 'must be a string')
        if (typeof value === 'string') rule(field, [...value].length <= 120, 'max_length', 'must be at most 120 characters long')
        break
      case 'category':
        rule(field, CATEGORIES.includes(value), 'invalid', `must be one of ${CATEGORIES.join(', ')}`)
        break
      case 'price':
      case 'stock':
        rule(field, Number.isInteger(value) && Math.abs(value) <= INT32_MAX, 'invalid', 'must be a 32-bit integer')
        if (Number.isInteger(value)) rule(field, value >= 0, 'min', 'must be at least 0')
        break
      case 'active':
        rule(field, typeof value === 'boolean', 'invalid', 'must be true or false')
        break
    }
  }
  return errors
}

export async function readItem(rawId) {
  const id = positiveId(rawId)
  if (id === null) return badId(rawId)
  const { rows } = await pool.query(`SELECT ${COLUMNS} FROM "items" WHERE "items"."id" = $1 LIMIT $2`, [id, 1])
  return rows.length === 0 ? notFound() : Response.json(rows[0])
}

export async function createItem(request) {
  const { value: input, error } = await body(request)
  if (error) return error
  const errors = check(input, false)
  if (errors.length > 0) return invalid(errors)
  const now = new Date()
  const client = await pool.connect()
  let row
  try {
    await client.query('BEGIN')
    const { rows } = await client.query(
      `INSERT INTO "items" ("name", "category", "price", "stock", "active", "created_at", "updated_at") VALUES ($1, $2, $3, $4, $5, $6, $7) ${RETURNING}`,
      [input.name, input.category, input.price, input.stock ?? 0, input.active ?? true, now, now],
    )
    await client.query('COMMIT')
    row = rows[0]
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.release()
  }
  return Response.json(row, { status: 201, headers: { location: `/api/items/${row.id}` } })
}

export async function updateItem(request, rawId) {
  const id = positiveId(rawId)
  if (id === null) return badId(rawId)
  const { value: input, error } = await body(request)
  if (error) return error
  const errors = check(input, true)
  if (errors.length > 0) return invalid(errors)
  // As the generated handler does: in one transaction, read the row (404 if it is not
  // there), then write the fields sent and `updated_at`.
  const client = await pool.connect()
  try {
    await client.query('BEGIN')
    const found = await client.query(`SELECT ${COLUMNS} FROM "items" WHERE "items"."id" = $1 LIMIT $2`, [id, 1])
    if (found.rows.length === 0) {
      await client.query('ROLLBACK')
      return notFound()
    }
    const sets = []
    const values = []
    for (const field of FIELDS) {
      if (input[field] !== undefined) {
        values.push(input[field])
        sets.push(`"${field}" = $${values.length}`)
      }
    }
    values.push(new Date())
    sets.push(`"updated_at" = $${values.length}`)
    values.push(id)
    const { rows } = await client.query(
      `UPDATE "items" SET ${sets.join(', ')} WHERE "items"."id" = $${values.length} ${RETURNING}`,
      values,
    )
    await client.query('COMMIT')
    return Response.json(rows[0])
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.release()
  }
}

const KINDS = {
  id: 'integer',
  name: 'text',
  category: 'enum',
  price: 'integer',
  stock: 'integer',
  active: 'bool',
  created_at: 'datetime',
  updated_at: 'datetime',
}
const OPERATORS = {
  text: ['eq', 'ne', 'contains', 'in'],
  integer: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte', 'in'],
  datetime: ['eq', 'ne', 'gt', 'gte', 'lt', 'lte'],
  bool: ['eq', 'ne'],
  enum: ['eq', 'ne', 'in'],
}
const SYMBOLS = { eq: '=', ne: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=' }

/** `raw` as a value of `kind`, or `{ error }`. */
function bound(kind, raw) {
  const wrong = (what) => ({ error: `must be ${what}, not ${JSON.stringify(raw)}` })
  switch (kind) {
    case 'integer':
      return /^[+-]?[0-9]+$/.test(raw) ? { value: BigInt(raw).toString() } : wrong('an integer')
    case 'text':
      return raw.includes('\0') ? { error: 'must not contain a NUL character' } : { value: raw }
    case 'enum':
      return CATEGORIES.includes(raw) ? { value: raw } : wrong(`one of ${CATEGORIES.join(', ')}`)
    case 'bool':
      return raw === 'true' || raw === 'false' ? { value: raw === 'true' } : wrong('true or false')
    default: {
      const date = /^\d{4}-\d{2}-\d{2}$/.test(raw) ? new Date(`${raw}T00:00:00Z`) : new Date(raw)
      return Number.isNaN(date.getTime()) ? wrong('an RFC 3339 date-time or a date (YYYY-MM-DD)') : { value: date }
    }
  }
}

const escapeLike = (raw) => raw.replace(/[%_\\]/g, (c) => `\\${c}`)

export async function listItems(request) {
  const url = new URL(request.url)
  const pairs = [...url.searchParams]
  let page = 1
  let perPage = DEFAULT_PER_PAGE
  let order = []
  const where = []
  const values = []
  for (const [key, raw] of pairs) {
    if (key === 'page') {
      const n = /^[0-9]+$/.test(raw) ? Number(raw) : 0
      if (n < 1 || n > MAX_PAGE) return badParameter('page', `must be from 1 to ${MAX_PAGE}`)
      page = n
    } else if (key === 'per_page') {
      const n = /^[0-9]+$/.test(raw) ? Number(raw) : 0
      if (n < 1) return badParameter('per_page', 'must be a whole number, 1 or more')
      perPage = Math.min(n, MAX_PER_PAGE)
    } else if (key === 'sort') {
      order = []
      for (const part of raw.split(',')) {
        const desc = part.startsWith('-')
        const name = desc ? part.slice(1) : part
        if (!(name in KINDS)) return badParameter('sort', `${JSON.stringify(name)} is not a field`)
        if (order.some(([seen]) => seen === name)) return badParameter('sort', `names ${name} twice`)
        order.push([name, desc ? 'DESC' : 'ASC'])
      }
    } else {
      const dot = key.lastIndexOf('.')
      const name = dot < 0 ? key : key.slice(0, dot)
      const op = dot < 0 ? 'eq' : key.slice(dot + 1)
      const kind = KINDS[name]
      if (kind === undefined) return badParameter(key, 'is not a filter of this list')
      if (!OPERATORS[kind].includes(op)) {
        return badParameter(key, `${name} takes the operators ${OPERATORS[kind].join(', ')}`)
      }
      const column = `"items"."${name}"`
      if (op === 'in') {
        const raws = raw.split(',')
        if (raws.length > 100) return badParameter(key, 'takes at most 100 values')
        const marks = []
        for (const one of raws) {
          const { value, error } = bound(kind, one)
          if (error) return badParameter(key, error)
          values.push(value)
          marks.push(`$${values.length}`)
        }
        where.push(`${column} IN (${marks.join(', ')})`)
      } else if (op === 'contains') {
        if (raw.includes('\0')) return badParameter(key, 'must not contain a NUL character')
        values.push(`%${escapeLike(raw.toLowerCase())}%`)
        where.push(`LOWER(${column}) LIKE $${values.length} ESCAPE '\\'`)
      } else {
        const { value, error } = bound(kind, raw)
        if (error) return badParameter(key, error)
        values.push(value)
        where.push(`${column} ${SYMBOLS[op]} $${values.length}`)
      }
    }
  }
  if (!order.some(([name]) => name === 'id')) order.push(['id', 'ASC'])
  const whereSql = where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''

  // As the generated list does: the count of the matching rows, then the page.
  const count = await pool.query(
    `SELECT COUNT(*) AS num_items FROM (SELECT ${COLUMNS} FROM "items"${whereSql}) AS "sub_query"`,
    values,
  )
  const total = count.rows[0].num_items
  const orderSql = order.map(([name, direction]) => `"items"."${name}" ${direction}`).join(', ')
  const n = values.length
  const { rows } = await pool.query(
    `SELECT ${COLUMNS} FROM "items"${whereSql} ORDER BY ${orderSql} LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...values, perPage, (page - 1) * perPage],
  )

  const last = Math.max(Math.ceil(total / perPage), 1)
  const link = (value) => {
    const kept = pairs.filter(([name]) => !['page', 'after', 'per_page'].includes(name))
    kept.push(['page', String(value)], ['per_page', String(perPage)])
    return `${url.pathname}?${new URLSearchParams(kept)}`
  }
  return Response.json({
    data: rows,
    page,
    per_page: perPage,
    total,
    links: {
      first: link(1),
      prev: page > 1 ? link(Math.min(page - 1, last)) : null,
      next: page < last ? link(page + 1) : null,
      last: link(last),
    },
  })
}
