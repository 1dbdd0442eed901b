import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { Config } from '../domain/config';
import { trackingNumberPattern } from '../domain/tracking-number';

export type { Logger };

/**
 * Fields that may hold the proposer's identity (建议人信息保密) or a credential. Nothing logs a
 * request body or a proposer on purpose; this catches a mistake before it reaches a log store.
 */
const redact = ['name', 'phone', 'email', 'proposer', 'address', 'authorization', 'token', 'trackingToken', 'content'].flatMap((field) => [
  field,
  `*.${field}`,
]);

/** One JSON object a line on stdout (or `destination`), for the API and the worker alike. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL'>, service: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      base: { service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: redact, censor: '[redacted]' },
    },
    destination,
  );
}

/** A suggestion's workflow id carries its tracking number; each line about it names both. */
export function suggestionFields(workflowId: unknown): { workflowId: string; trackingNumber?: string } | undefined {
  if (typeof workflowId !== 'string') return undefined;
  const trackingNumber = workflowId.replace(/^suggestion-/, '');
  return trackingNumberPattern.test(trackingNumber) ? { workflowId, trackingNumber } : { workflowId };
}

const pinoLevel: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * The Temporal SDK's logger interface over pino, so the SDK's own lines (worker state, workflow
 * and activity tasks, failures) land in the same JSON stream with the workflow id and tracking number.
 */
export function temporalSdkLogger(logger: Logger): SdkLogger {
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}) => {
    logger[pinoLevel[level]]({ ...meta, ...suggestionFields(meta.workflowId) }, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
