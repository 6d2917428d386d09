import { Prisma } from '@prisma/client';

/** A Prisma error with this code (P2002 unique, P2003 foreign key, P2025 record missing). */
export const isPrismaError = (error: unknown, code: string) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;

/** A foreign-key violation reported by Postgres through the pg driver (SQLSTATE 23503). */
export const isForeignKeyViolation = (error: unknown) => (error as { code?: unknown } | null)?.code === '23503';
