import { Prisma } from '@prisma/client';

/** A Prisma error with this code (P2002 unique, P2003 foreign key, P2025 record missing). */
export const isPrismaError = (error: unknown, code: string) => error instanceof Prisma.PrismaClientKnownRequestError && error.code === code;
