// The connection pool of every route: the pg driver, 10 connections (the generated API's
// DB_MAX_CONNECTIONS default), created once per server process.
import pg from 'pg'

// int8 (ids, COUNT(*)) as JavaScript numbers rather than strings: ids stay below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10))

const globalForPool = globalThis

export const pool =
  globalForPool.benchPool ??
  new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number.parseInt(process.env.DB_MAX_CONNECTIONS ?? '10', 10),
    connectionTimeoutMillis: 3000,
    statement_timeout: 15000,
  })

globalForPool.benchPool = pool
