import busboy from 'busboy';
import type { Request } from 'express';
import { Problem } from './problem';

// multipart/form-data, read with busboy: the web form with its files, and POST /v1/uploads. A file
// over the size limit is read to its end and marked, not thrown: the rest of the form (what the
// citizen typed) is still read, so the form can come back with it and say which file failed.

export interface ReceivedFile {
  field: string;
  /** As the browser sent it: shown back to the sender on the form, never stored. */
  filename: string;
  bytes: Buffer;
  tooLarge: boolean;
}

export interface MultipartBody {
  fields: Record<string, string[]>;
  files: ReceivedFile[];
  /** More files than allowed were sent: those past the limit were not read. */
  tooManyFiles: boolean;
}

export function isMultipart(req: Request): boolean {
  return Boolean(req.is('multipart/form-data'));
}

export function readMultipart(req: Request, limits: { files: number; fileBytes: number; fields?: number; fieldBytes?: number }): Promise<MultipartBody> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: {
          files: limits.files,
          fileSize: limits.fileBytes,
          fields: limits.fields ?? 60,
          fieldSize: limits.fieldBytes ?? 256 * 1024,
          parts: (limits.fields ?? 60) + limits.files + 10,
        },
        defParamCharset: 'utf8',
      });
    } catch (err) {
      return reject(new Problem(400, 'invalid-multipart', 'Invalid form data', (err as Error).message));
    }
    const body: MultipartBody = { fields: {}, files: [], tooManyFiles: false };
    const pending: Promise<void>[] = [];
    parser.on('field', (name, value) => {
      (body.fields[name] ??= []).push(value);
    });
    parser.on('file', (field, stream, info) => {
      const chunks: Buffer[] = [];
      let tooLarge = false;
      stream.on('limit', () => (tooLarge = true));
      pending.push(
        new Promise((done) => {
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('close', () => {
            const bytes = Buffer.concat(chunks);
            // A file input left empty is sent as a part with no name and no bytes.
            if (info.filename || bytes.length > 0)
              body.files.push({ field, filename: info.filename ?? '', bytes: tooLarge ? Buffer.alloc(0) : bytes, tooLarge });
            done();
          });
        }),
      );
    });
    parser.on('filesLimit', () => (body.tooManyFiles = true));
    parser.on('error', (err: Error) => reject(new Problem(400, 'invalid-multipart', 'Invalid form data', err.message)));
    parser.on('close', () => {
      void Promise.all(pending).then(() => resolve(body));
    });
    req.pipe(parser);
  });
}
