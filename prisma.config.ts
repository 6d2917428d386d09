// Prisma CLI configuration. The "js" engine with the pg driver adapter keeps migrate/generate offline:
// Prisma's native schema engine would otherwise be downloaded from the internet.
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';
import { resolveDatabaseUrl } from './tools/services/serviceUrls';

// The schema's datasource reads DATABASE_URL; default it to the server the services script found.
process.env.DATABASE_URL ||= resolveDatabaseUrl();

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  experimental: { adapter: true },
  engine: 'js',
  async adapter() {
    // pg keeps an idle connection open for 10 s by default, and the CLI does not exit before the pool
    // has closed it: every `prisma migrate` command waited that long before it exited.
    return new PrismaPg({ connectionString: process.env.DATABASE_URL, idleTimeoutMillis: 500 });
  },
});
