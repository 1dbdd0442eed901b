import type { z } from 'zod';
import { validationProblem } from './problem';

/** Parses one part of a request with its schema, or throws a 400 problem naming the fields. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, where: 'body' | 'query' | 'path' | 'header'): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(result.error, where);
  return result.data;
}
