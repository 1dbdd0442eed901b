import { Connection, type TLSConfig } from '@temporalio/client';

/**
 * One connection attempt. `Connection.connect` leaves its gRPC channel open when the server is
 * not there yet; repeated attempts during start-up would pile up channels (and Jest open-handle
 * warnings), so a failed attempt is closed here. `tls` for a server that requires it.
 */
export async function connectOnce(address: string, timeoutMs = 1000, tls?: TLSConfig): Promise<Connection> {
  const connection = Connection.lazy({ address, connectTimeout: timeoutMs, tls });
  try {
    await connection.ensureConnected();
    return connection;
  } catch (err) {
    await connection.close().catch(() => undefined);
    throw err;
  }
}
