import type { Client } from '@temporalio/client';
import type { Database } from '../prisma/client';

/** What every route needs: the Temporal client, the read model and where the workflows run. */
export interface ApiContext {
  temporal: Client;
  db: Database;
  taskQueue: string;
  now?: () => Date;
}
