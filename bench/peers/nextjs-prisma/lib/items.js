// The items resource with Prisma Client: the rules and JSON of the generated bench API
// (bench/schema.toml), and the same requests to the database (a read by id; a count and a
// page; a create; a read and an update in one transaction), in Prisma's own SQL.
// The helpers above the handlers are those of bench/peers/nextjs/lib/items.js.
import { prisma } from './prisma'

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

/** A row as JSON: the BigInt id as a number. */
const json = (row) => ({ ...row, id: Number(row.id) })

export async function readItem(rawId) {
  const id = positiveId(rawId)
  if (id === null) return badId(rawId)
  const row = await prisma.item.findUnique({ where: { id: BigInt(id) } })
  return row === null ? notFound() : Response.json(json(row))
}

export async function createItem(request) {
  const { value: input, error } = await body(request)
  if (error) return error
  const errors = check(input, false)
  if (errors.length > 0) return invalid(errors)
  const now = new Date()
  const row = await prisma.item.create({
    data: {
      name: input.name,
      category: input.category,
      price: input.price,
      stock: input.stock ?? 0,
      active: input.active ?? true,
      created_at: now,
      updated_at: now,
    },
  })
  return Response.json(json(row), { status: 201, headers: { location: `/api/items/${row.id}` } })
}

export async function updateItem(request, rawId) {
  const id = positiveId(rawId)
  if (id === null) return badId(rawId)
  const { value: input, error } = await body(request)
  if (error) return error
  const errors = check(input, true)
  if (errors.length > 0) return invalid(errors)
  const data = { updated_at: new Date() }
  for (const field of FIELDS) {
    if (input[field] !== undefined) data[field] = input[field]
  }
  // As the generated handler does: in one transaction, read the row (404 if it is not
  // there), then write the fields sent and `updated_at`.
  const row = await prisma.$transaction(async (tx) => {
    const found = await tx.item.findUnique({ where: { id: BigInt(id) } })
    if (found === null) return null
    return tx.item.update({ where: { id: BigInt(id) }, data })
  })
  return row === null ? notFound() : Response.json(json(row))
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

const PRISMA_OPS = { eq: 'equals', ne: 'not', gt: 'gt', gte: 'gte', lt: 'lt', lte: 'lte', in: 'in' }

export async function listItems(request) {
  const url = new URL(request.url)
  const pairs = [...url.searchParams]
  let page = 1
  let perPage = DEFAULT_PER_PAGE
  let order = []
  const where = { AND: [] }
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
        if (order.some((entry) => name in entry)) return badParameter('sort', `names ${name} twice`)
        order.push({ [name]: desc ? 'desc' : 'asc' })
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
      // Integers as the column's type: BigInt for the id, numbers for the int columns.
      const typed = (value) => (kind === 'integer' ? (name === 'id' ? BigInt(value) : Number(value)) : value)
      if (op === 'in') {
        const raws = raw.split(',')
        if (raws.length > 100) return badParameter(key, 'takes at most 100 values')
        const values = []
        for (const one of raws) {
          const { value, error } = bound(kind, one)
          if (error) return badParameter(key, error)
          values.push(typed(value))
        }
        where.AND.push({ [name]: { in: values } })
      } else if (op === 'contains') {
        if (raw.includes('\0')) return badParameter(key, 'must not contain a NUL character')
        where.AND.push({ [name]: { contains: raw, mode: 'insensitive' } })
      } else {
        const { value, error } = bound(kind, raw)
        if (error) return badParameter(key, error)
        where.AND.push({ [name]: { [PRISMA_OPS[op]]: typed(value) } })
      }
    }
  }
  if (!order.some((entry) => 'id' in entry)) order.push({ id: 'asc' })

  // As the generated list does: the count of the matching rows, then the page.
  const total = await prisma.item.count({ where })
  const rows = await prisma.item.findMany({ where, orderBy: order, take: perPage, skip: (page - 1) * perPage })

  const last = Math.max(Math.ceil(total / perPage), 1)
  const link = (value) => {
    const kept = pairs.filter(([name]) => !['page', 'after', 'per_page'].includes(name))
    kept.push(['page', String(value)], ['per_page', String(perPage)])
    return `${url.pathname}?${new URLSearchParams(kept)}`
  }
  return Response.json({
    data: rows.map(json),
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
