import { randomBytes } from 'node:crypto';
import { ApiKeyService } from '../../src/auth/apiKeyService';
import { createLogger } from '../../src/logger';
import { ApiKeyRepository } from '../../src/persistence/apiKeyRepository';
import { createPrismaClient } from '../../src/persistence/prismaClient';

// The key cache against a flood of made-up key ids, over the real repository (Postgres).
const prisma = createPrismaClient(process.env.DATABASE_URL!);
afterAll(() => prisma.$disconnect());

it('a flood of made-up key ids does not push a key in use out of the cache', async () => {
  const capacity = 50;
  const keys = new ApiKeyService(new ApiKeyRepository(prisma), process.env.ADMIN_API_KEY!, createLogger('silent'), capacity);
  const { apiKey, key } = await keys.create({ name: 'cache flood', actions: ['ReadProjects'], allProjects: true });
  try {
    await keys.authenticate(key);
    expect(keys.isKnownGood(key)).toBe(true); // cached: known good without a lookup

    for (let i = 0; i < capacity * 3; i += 1) {
      const madeUp = `lg_${randomBytes(8).toString('hex')}_${randomBytes(32).toString('base64url')}`;
      await expect(keys.authenticate(madeUp)).rejects.toMatchObject({ code: 'InvalidAccessKeyId' });
    }
    expect(keys.isKnownGood(key)).toBe(true);
  } finally {
    await prisma.apiKey.delete({ where: { id: apiKey.id } });
  }
});
