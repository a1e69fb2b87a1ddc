import type { FastifyInstance, FastifyRequest } from 'fastify';
import { parse as parseForm } from 'node:querystring';
import { DomainError } from '@pavilion/core';

/** Deeper JSON than any Pavilion body needs; deeper input is refused before it reaches the validators. */
export const MAX_JSON_DEPTH = 32;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

type Done = (error: Error | null, value?: unknown) => void;

/** How deeply a JSON text nests arrays and objects, counted without parsing it (and without recursion). */
export function jsonDepth(text: string, stopAbove = Infinity): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      deepest = Math.max(deepest, ++depth);
      if (deepest > stopAbove) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

function decodeUtf8(body: string | Buffer, done: Done): string | undefined {
  try {
    return strictUtf8.decode(body as Buffer);
  } catch {
    done(DomainError.invalid('body', 'is not valid UTF-8'));
    return undefined;
  }
}

/**
 * Replaces the JSON and form body parsers: the bytes must be valid UTF-8 (otherwise U+FFFD would be stored in
 * their place), and JSON may nest at most MAX_JSON_DEPTH levels; then Fastify's own JSON parser (with its
 * prototype-poisoning checks) runs.
 */
export function registerStrictBodyParsers(fastify: FastifyInstance): void {
  const parseJson = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser(['application/json', 'application/x-www-form-urlencoded']);
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'buffer' },
    (request: FastifyRequest, body: string | Buffer, done: Done) => {
      const text = decodeUtf8(body, done);
      if (text === undefined) return;
      if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
        return done(DomainError.invalid('body', `nests deeper than ${MAX_JSON_DEPTH} levels`));
      }
      parseJson(request, text, done);
    },
  );
  // Item imports (POST /api/programmes/:id/items/import) read the file as text; csv-parse does the rest.
  fastify.addContentTypeParser(
    'text/csv',
    { parseAs: 'buffer' },
    (_request: FastifyRequest, body: string | Buffer, done: Done) => {
      const text = decodeUtf8(body, done);
      if (text !== undefined) done(null, text);
    },
  );
  fastify.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'buffer' },
    (_request: FastifyRequest, body: string | Buffer, done: Done) => {
      const text = decodeUtf8(body, done);
      if (text !== undefined) done(null, { ...parseForm(text) });
    },
  );
}
