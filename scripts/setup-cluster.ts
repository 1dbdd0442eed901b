import { Connection } from '@temporalio/client';
import { readConfig } from '../domain/config';
import { prepareDatabase } from '../prisma/prepare';
import { temporalConnectionOptions } from '../temporal-client/connection';
import { registerSearchAttributes } from '../workflows/register-search-attributes';
import { objectStoreConfigFrom, prepareBucket } from '../storage/object-store';

// One-shot set-up for a deployment on a Temporal cluster and a managed PostgreSQL (the compose
// file's `setup` service): migrations, reference data, the search attributes, and the attachments'
// bucket when S3_BUCKET names one that is not there yet (a city's store may have made it already).
async function main() {
  const config = readConfig(process.env);
  if (!config.DATABASE_URL || !config.TEMPORAL_ADDRESS) throw new Error('setup needs DATABASE_URL and TEMPORAL_ADDRESS');
  await prepareDatabase(config.DATABASE_URL, console.log);
  const connection = await Connection.connect(temporalConnectionOptions(config));
  const added = await registerSearchAttributes(connection, config.TEMPORAL_NAMESPACE);
  console.log(added.length ? `registered search attributes: ${added.join(', ')}` : 'search attributes already registered');
  await connection.close();
  const objects = objectStoreConfigFrom(process.env);
  if (objects) console.log(`attachments bucket ${objects.bucket}: ${(await prepareBucket(objects)) === 'created' ? 'created' : 'already there'}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
