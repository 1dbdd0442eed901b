import { NativeConnection, Worker } from '@temporalio/worker';

// Runs the baseline's minimal workflow on its own task queue, in its own process, as the
// suggestion worker runs in its own.
async function main() {
  const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
  const worker = await Worker.create({ connection, taskQueue: process.env.BASELINE_TASK_QUEUE!, workflowsPath: require.resolve('./minimal-workflow') });
  await worker.run();
  await connection.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
