import { Prisma } from '@prisma/client';
import { notFound } from '../errors';

/** A Prisma error with this code (P2002 unique, P2003 foreign key, P2025 record missing). */
export const isPrismaError = (error: unknown, code: string) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;

export const projectNotFound = (name: string) => notFound(`Project "${name}" does not exist.`);

/** Postgres's own error code behind a failed raw statement (Prisma's P2010, through the pg adapter). */
const rawStatementCode = (error: unknown): string | undefined =>
  isPrismaError(error, 'P2010') ? (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } }).meta?.driverAdapterError?.cause?.originalCode : undefined;

/** A foreign key violated: P2003 from Prisma's queries, Postgres's 23503 from a raw statement. */
export const isForeignKeyViolation = (error: unknown) => isPrismaError(error, 'P2003') || rawStatementCode(error) === '23503';
