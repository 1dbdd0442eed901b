import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export type Database = InstanceType<typeof PrismaClient>;
export { Prisma } from '../generated/prisma/client';

/** A Prisma client over node-postgres; Prisma 7 needs no engine binary this way. */
export function connectDatabase(databaseUrl: string, poolSize = 10): Database {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: poolSize }) });
}
