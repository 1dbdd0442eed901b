import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { Client } from '@temporalio/client';
import { connectToTemporal, TemporalCallMetrics } from '../../api/temporal-calls';

// The baseline for intake: an HTTP endpoint that does nothing but `client.workflow.start` of the
// minimal workflow, driven by the same load generator as POST /v1/suggestions. Its calls to
// Temporal are timed as the API's are (GET /metrics), so the two sides' start round trips compare.
async function main() {
  const temporalCalls = new TemporalCallMetrics();
  const connection = await connectToTemporal({ address: process.env.TEMPORAL_ADDRESS! }, temporalCalls);
  const client = new Client({ connection });
  const taskQueue = process.env.BASELINE_TASK_QUEUE!;
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/metrics') {
      temporalCalls.registry.metrics().then((text) => res.writeHead(200, { 'content-type': temporalCalls.registry.contentType }).end(text));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      try {
        const input = JSON.parse(Buffer.concat(chunks).toString() || '{}');
        const handle = await client.workflow.start('minimalWorkflow', { args: [input], taskQueue, workflowId: `baseline-${randomUUID()}` });
        res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ id: handle.workflowId }));
      } catch (err) {
        res.writeHead(500).end(String(err));
      }
    });
  });
  server.listen(Number(process.env.PORT), '127.0.0.1', () => console.log('baseline listening'));
  const stop = () => server.close(() => connection.close().then(() => process.exit(0)));
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
