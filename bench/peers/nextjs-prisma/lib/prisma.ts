// Prisma Client over the pg driver adapter, 10 connections (the generated API's
// DB_MAX_CONNECTIONS default), created once per server process.
import { PrismaPg } from '@prisma/adapter-pg'
import { PrismaClient } from '../generated/prisma/client'

const globalForPrisma = globalThis as unknown as { prisma?: PrismaClient }

const adapter = new PrismaPg({
  connectionString: process.env.DATABASE_URL,
  max: Number.parseInt(process.env.DB_MAX_CONNECTIONS ?? '10', 10),
  connectionTimeoutMillis: 3000,
  statement_timeout: 15000,
})

export const prisma = globalForPrisma.prisma ?? new PrismaClient({ adapter })

globalForPrisma.prisma = prisma
