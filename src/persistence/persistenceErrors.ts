import { Prisma } from '@prisma/client';
import { notFound } from '../errors';

/** A Prisma error with this code (P2002 unique, P2003 foreign key, P2025 record missing). */
export const isPrismaError = (error: unknown, code: string) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;

export const projectNotFound = (name: string) => notFound(`Project "${name}" does not exist.`);
