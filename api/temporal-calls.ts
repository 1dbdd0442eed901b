import { InterceptingCall, status as grpcStatus, type Interceptor } from '@grpc/grpc-js';
import { Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { Histogram, Registry } from 'prom-client';
import type { TemporalConnectionOptions } from '../temporal-client/connection';

/**
 * How long each call the API makes to Temporal takes, by gRPC method and status, for GET /metrics.
 * Beside the API's own request latency it tells an operator where a slow intake or decision spends
 * its time: in the API, or waiting on the Temporal server.
 */
export class TemporalCallMetrics {
  readonly registry = new Registry();
  private readonly duration = new Histogram({
    name: 'temporal_request_duration_seconds',
    help: 'Time from sending a call to the Temporal server until its answer, retries included, by gRPC method and status',
    labelNames: ['method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  /** A gRPC interceptor that times each call; outermost, so a call's retries count in its time. */
  readonly interceptor: Interceptor = (options, nextCall) => {
    const method = options.method_definition.path.split('/').pop() ?? 'unknown';
    const started = process.hrtime.bigint();
    return new InterceptingCall(nextCall(options), {
      start: (metadata, listener, next) =>
        next(metadata, {
          onReceiveStatus: (status, nextStatus) => {
            this.duration.observe({ method, status: grpcStatus[status.code] ?? String(status.code) }, Number(process.hrtime.bigint() - started) / 1e9);
            nextStatus(status);
          },
        }),
    });
  };
}

/** The API's connection to Temporal (address, and mTLS when configured): the client's usual retries, every call timed. */
export function connectToTemporal(options: TemporalConnectionOptions, metrics: TemporalCallMetrics): Promise<Connection> {
  return Connection.connect({ ...options, interceptors: [metrics.interceptor, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())] });
}
