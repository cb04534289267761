import type { NextFunction, Request, Response } from 'express';
import { DomainError, type ErrorDetail } from '@sangam/domain';

/** Deepest nesting of objects and arrays a JSON body may have; the body itself is level 1. No DTO needs more than 3. */
export const MAX_BODY_DEPTH = 32;

/** Keys that name an object's prototype machinery: never a field of ours, refused like any unknown field. */
const PROTOTYPE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Refused in every string of a JSON body, keys included: NUL and the other C0 controls except tab,
 * line feed and carriage return (a multi-line reason may use those), DEL, the C1 controls, and
 * UTF-16 surrogates that are not part of a pair. Postgres cannot store a NUL in text or a `\u0000`
 * or lone surrogate in jsonb, and none of them is text anybody meant to write.
 * Single-line fields (names, places, purposes: `IsText`) refuse tab and line breaks too.
 */
const UNSAFE_TEXT =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSAFE_TEXT_GLOBAL = new RegExp(UNSAFE_TEXT.source, 'g');

/** True for a string with a character no Sangam text may hold (see UNSAFE_TEXT). */
export const hasUnsafeText = (value: string): boolean => UNSAFE_TEXT.test(value);

/** Most problems reported for one body; the first few say enough. */
const MAX_DETAILS = 20;
const MAX_FIELD_LENGTH = 200;

/** A field path as we may echo it: unsafe characters replaced, bounded length. */
const shown = (path: string): string => {
  const safe = path.replace(UNSAFE_TEXT_GLOBAL, '\uFFFD');
  return safe.length > MAX_FIELD_LENGTH ? `${safe.slice(0, MAX_FIELD_LENGTH)}...` : safe;
};

const join = (parent: string, key: string) => (parent ? `${parent}.${key}` : key);

/**
 * What makes a parsed JSON body unfit for any route, whatever its DTO says: nesting deeper than
 * MAX_BODY_DEPTH, prototype keys (`__proto__` would become the DTO's prototype and slip past the
 * unknown-field check) and unsafe text anywhere. Iterative, so no nesting can exhaust the stack.
 */
export function hostileJsonProblems(body: unknown): ErrorDetail[] {
  const problems: ErrorDetail[] = [];
  const pending: { value: unknown; path: string; depth: number }[] = [{ value: body, path: '', depth: 1 }];
  while (pending.length > 0 && problems.length < MAX_DETAILS) {
    const { value, path, depth } = pending.pop()!;
    if (typeof value === 'string') {
      if (hasUnsafeText(value)) {
        const field = shown(path);
        problems.push({ field, message: `${field} must not contain control characters or unpaired surrogates` });
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_BODY_DEPTH) {
      const field = shown(path);
      problems.push({ field, message: `${field} is nested more than ${MAX_BODY_DEPTH} levels deep` });
      continue;
    }
    const entries: [string, unknown][] = Array.isArray(value) ? value.map((item, index) => [String(index), item]) : Object.entries(value);
    const children: typeof pending = [];
    for (const [key, child] of entries) {
      const childPath = join(path, key);
      if (!Array.isArray(value) && PROTOTYPE_KEYS.has(key)) {
        problems.push({ field: shown(childPath), message: `unknown field ${key}` });
      } else if (!Array.isArray(value) && hasUnsafeText(key)) {
        problems.push({ field: shown(childPath), message: 'field names must not contain control characters or unpaired surrogates' });
      } else {
        children.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
    // Reversed onto the stack, so fields are looked at (and reported) in the order they came.
    for (let i = children.length - 1; i >= 0; i -= 1) pending.push(children[i]);
  }
  return problems.slice(0, MAX_DETAILS);
}

const isParsedJson = (body: unknown): boolean =>
  Array.isArray(body) || (typeof body === 'object' && body !== null && Object.getPrototypeOf(body) === Object.prototype);

/**
 * Express middleware after the JSON body parser: a body with any hostile part is refused as a
 * whole, `400 validation_failed` naming each field, before guards, interceptors or DTOs see it.
 * Raw bodies (signed webhooks, a Buffer) are left to the route that verifies them.
 */
export function refuseHostileJson(request: Request, _response: Response, next: NextFunction): void {
  if (!isParsedJson(request.body)) return next();
  const problems = hostileJsonProblems(request.body);
  if (problems.length === 0) return next();
  next(new DomainError('validation_failed', 'The request is invalid', 'validation', problems));
}
