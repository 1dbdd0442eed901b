import { readFileSync } from 'node:fs';
import type { TLSConfig } from '@temporalio/client';
import type { Config } from '../domain/config';

/**
 * What every connection to the Temporal frontend is opened with: `Connection.connect` (the API,
 * the worker's client, the scripts) and the worker's `NativeConnection.connect` take the same shape.
 */
export interface TemporalConnectionOptions {
  address: string;
  /** Mutual TLS: the frontend's CA, this process's certificate and key; absent: plaintext. */
  tls?: TLSConfig;
}

type TemporalSettings = Pick<Config, 'TEMPORAL_ADDRESS' | 'TEMPORAL_TLS_CA' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY' | 'TEMPORAL_TLS_SERVER_NAME'>;

/**
 * The one place configuration becomes connection options. readConfig has already refused a TLS
 * setting given by halves; the files are read here, once, at start-up, so a missing or wrong file
 * stops the process with the variable that names it rather than a handshake error later.
 */
export function temporalConnectionOptions(config: TemporalSettings): TemporalConnectionOptions {
  const address = config.TEMPORAL_ADDRESS;
  if (!address) throw new Error('TEMPORAL_ADDRESS is not set: the address of the Temporal frontend (npm start sets it)');
  if (!config.TEMPORAL_TLS_CA || !config.TEMPORAL_TLS_CERT || !config.TEMPORAL_TLS_KEY) return { address };
  return {
    address,
    tls: {
      // Only this CA, not the system's: the frontend is the city's, its certificate from the city's PKI.
      serverRootCACertificate: readPem('TEMPORAL_TLS_CA', config.TEMPORAL_TLS_CA, 'CERTIFICATE'),
      clientCertPair: {
        crt: readPem('TEMPORAL_TLS_CERT', config.TEMPORAL_TLS_CERT, 'CERTIFICATE'),
        key: readPem('TEMPORAL_TLS_KEY', config.TEMPORAL_TLS_KEY, 'PRIVATE KEY'),
      },
      ...(config.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: config.TEMPORAL_TLS_SERVER_NAME } : {}),
    },
  };
}

function readPem(variable: string, path: string, kind: 'CERTIFICATE' | 'PRIVATE KEY'): Buffer {
  let contents: Buffer;
  try {
    contents = readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (err as Error).message;
    throw new Error(`${variable}=${path}: cannot read it (${why})`, { cause: err });
  }
  // "PRIVATE KEY" also matches "EC PRIVATE KEY" and "RSA PRIVATE KEY".
  if (!new RegExp(`-----BEGIN [A-Z ]*${kind}-----`).test(contents.toString('latin1'))) {
    throw new Error(`${variable}=${path}: not a PEM ${kind.toLowerCase()} (no "-----BEGIN …${kind}-----" line)`);
  }
  return contents;
}
